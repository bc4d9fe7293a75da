/// One value of a condition key: IAM accepts strings, numbers and booleans and compares them as
/// text (IAM UG, reference_policies_elements_condition).
public enum ConditionValue: Sendable, Hashable {
    case string(String)
    /// The number exactly as written (`10`, `1.5`).
    case number(String)
    case bool(Bool)

    /// The value as IAM compares it: the string, the number literal, or `true`/`false`.
    public var text: String {
        switch self {
        case .string(let text): text
        case .number(let literal): literal
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}
