/// A statement that matched a request, with its effect and — when it only may apply — why.
public struct StatementMatch: Sendable, Hashable {
    public var reference: StatementReference
    public var effect: Effect
    /// Empty when the statement certainly applies.
    public var uncertainties: [Uncertainty]

    public init(reference: StatementReference, effect: Effect, uncertainties: [Uncertainty] = []) {
        self.reference = reference
        self.effect = effect
        self.uncertainties = uncertainties
    }

    /// Whether the statement applies without doubt.
    public var isCertain: Bool { uncertainties.isEmpty }
}
