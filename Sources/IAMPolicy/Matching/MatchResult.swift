/// A three-valued answer: the evaluator never guesses. `.unknown` means the answer depends on
/// something flowrole cannot know (a condition, a policy variable, `?` in an action, an unknown
/// operator); each caller decides which way caution runs (DESIGN, "The evaluator").
public enum MatchResult: Sendable, Hashable {
    case match
    case noMatch
    case unknown

    /// The answer for the complement (`NotAction`, `NotResource`, negated operators): `.unknown`
    /// stays `.unknown`.
    public var negated: MatchResult {
        switch self {
        case .match: .noMatch
        case .noMatch: .match
        case .unknown: .unknown
        }
    }

    /// Three-valued AND: `.noMatch` wins, then `.unknown`.
    public func and(_ other: MatchResult) -> MatchResult {
        if self == .noMatch || other == .noMatch { return .noMatch }
        if self == .unknown || other == .unknown { return .unknown }
        return .match
    }

    /// Three-valued OR: `.match` wins, then `.unknown`.
    public func or(_ other: MatchResult) -> MatchResult {
        if self == .match || other == .match { return .match }
        if self == .unknown || other == .unknown { return .unknown }
        return .noMatch
    }

    init(_ flag: Bool) { self = flag ? .match : .noMatch }
}
