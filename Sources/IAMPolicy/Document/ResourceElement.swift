/// A statement's `Resource` or `NotResource`: a string or a list of ARN patterns
/// (IAM UG, reference_policies_elements_resource and reference_policies_elements_notresource).
public struct ResourceElement: Sendable, Hashable {
    /// `true` for `NotResource`.
    public var isNegated: Bool
    public var patterns: [ResourcePattern]
    /// Whether the document wrote a list rather than one string.
    public var isList: Bool

    public init(isNegated: Bool, patterns: [ResourcePattern], isList: Bool) {
        self.isNegated = isNegated
        self.patterns = patterns
        self.isList = isList
    }

    /// Whether the element covers `resource`. Doubt (a policy variable, or a variable the
    /// context cannot fill) gives `.unknown`; with ``Caution/seekingDeny`` it is resolved the way
    /// that makes the element apply.
    public func match(
        _ resource: String, caution: Caution = .provingAllow, variables: PolicyVariableValues = .unknown
    ) -> MatchResult {
        var any = MatchResult.noMatch
        for index in patterns.indices {
            var result = patterns[index].match(resource, variables: variables)
            if result == .unknown, caution == .seekingDeny { result = isNegated ? .noMatch : .match }
            any = any.or(result)
            if any == .match { break }
        }
        return isNegated ? any.negated : any
    }
}
