/// The outcome of evaluating conditions against a request context: `.match` (true), `.noMatch`
/// (false) or `.unknown`, with the reasons for doubt.
public struct ConditionOutcome: Sendable, Hashable {
    public var result: MatchResult
    public var uncertainties: [Uncertainty]

    public init(result: MatchResult, uncertainties: [Uncertainty] = []) {
        self.result = result
        self.uncertainties = uncertainties
    }
}
