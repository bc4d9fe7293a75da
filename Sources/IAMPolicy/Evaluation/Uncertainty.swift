/// Why a statement may apply but is not proven to: the evaluator's reasons, reported with the
/// statement so findings can say what to check.
public enum Uncertainty: Sendable, Hashable, CustomStringConvertible {
    /// Proof mode: the statement has a `Condition` (with these operator names), which proof mode
    /// never takes as satisfied (DESIGN, "Already granted").
    case condition(operators: [String])
    /// An operator IAM does not document, or written in another case (never guessed).
    case unknownOperator(String)
    /// A documented operator flowrole does not evaluate (`IpAddress`, `NotIpAddress`, `BinaryEquals`).
    case unevaluatedOperator(String)
    /// A value the operator cannot read (a number, date or boolean that is not one), or an
    /// `ArnLike` pattern without six components.
    case unreadableValue(operatorName: String, key: String, value: String)
    /// A resource or condition pattern whose policy variable has no value (proof mode, or a
    /// context without that key).
    case policyVariable(pattern: String)
    /// An action pattern that matches only if `?` is a wildcard (undocumented for actions).
    case questionMarkInAction(pattern: String)
    /// An identity-policy statement without `Resource`/`NotResource` (IAM rejects it).
    case noResourceElement

    public var description: String {
        switch self {
        case .condition(let operators):
            "it holds only under a condition (\(operators.joined(separator: ", ")))"
        case .unknownOperator(let name):
            "the condition operator \(name) is not one IAM documents"
        case .unevaluatedOperator(let name):
            "the condition operator \(name) is not evaluated by flowrole"
        case .unreadableValue(let name, let key, let value):
            "\(name) cannot read the value \"\(value)\" of \(key)"
        case .policyVariable(let pattern):
            "the pattern \"\(pattern)\" holds a policy variable whose value is not known"
        case .questionMarkInAction(let pattern):
            "the action pattern \"\(pattern)\" matches only if ? is a wildcard, which IAM does not document for actions"
        case .noResourceElement:
            "the statement has no Resource or NotResource"
        }
    }
}

extension Array where Element == Uncertainty {
    /// The reasons without repeats, first occurrence kept.
    var deduplicated: [Uncertainty] {
        var seen: [Uncertainty] = []
        for doubt in self where !seen.contains(doubt) { seen.append(doubt) }
        return seen
    }
}
