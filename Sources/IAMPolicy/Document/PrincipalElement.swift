/// A statement's `Principal` or `NotPrincipal` (IAM UG, reference_policies_elements_principal and
/// reference_policies_elements_notprincipal): everyone (`"*"`), or named principals by type.
public struct PrincipalElement: Sendable, Hashable {
    /// Who is named.
    public enum Subjects: Sendable, Hashable {
        /// `"Principal": "*"`: every principal, including anonymous ones.
        case everyone
        /// `{"AWS": …, "Service": …}` in document order.
        case named([PrincipalEntry])
    }

    /// `true` for `NotPrincipal`: the statement applies to everyone *except* the subjects.
    public var isNegated: Bool
    public var subjects: Subjects

    public init(isNegated: Bool, subjects: Subjects) {
        self.isNegated = isNegated
        self.subjects = subjects
    }

    /// Every value named for `type` (e.g. the service principals), in document order.
    public func values(of type: PrincipalType) -> [String] {
        guard case .named(let entries) = subjects else { return [] }
        return entries.filter { $0.type == type }.flatMap(\.values)
    }

    /// Whether the element names `service` as a service principal (exact text; `"*"` counts).
    public func namesService(_ service: String) -> Bool {
        if case .everyone = subjects { return !isNegated }
        return !isNegated && values(of: .service).contains(service)
    }
}
