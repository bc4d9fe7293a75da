/// A statement's `Action` or `NotAction`: a string or a list of action patterns
/// (IAM UG, reference_policies_elements_action and reference_policies_elements_notaction).
///
/// `NotAction` with `Allow` allows every action not listed; with `Deny` it denies every action
/// not listed (within the statement's resources).
public struct ActionElement: Sendable, Hashable {
    /// `true` for `NotAction`.
    public var isNegated: Bool
    public var patterns: [ActionPattern]
    /// Whether the document wrote a list rather than one string.
    public var isList: Bool

    public init(isNegated: Bool, patterns: [ActionPattern], isList: Bool) {
        self.isNegated = isNegated
        self.patterns = patterns
        self.isList = isList
    }

    /// Whether the element covers `action`. A pattern that could match only if `?` were a
    /// wildcard gives `.unknown`; with ``Caution/seekingDeny`` that doubt is resolved the way that
    /// makes the element apply (a positive pattern matches, a `NotAction` pattern does not).
    public func match(_ action: String, caution: Caution = .provingAllow) -> MatchResult {
        var any = MatchResult.noMatch
        for index in patterns.indices {
            var result = patterns[index].match(action)
            if result == .unknown, caution == .seekingDeny { result = isNegated ? .noMatch : .match }
            any = any.or(result)
            if any == .match { break }
        }
        return isNegated ? any.negated : any
    }
}
