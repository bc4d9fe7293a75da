/// The proof-mode answer for one (action, resource) over a set of identity policies
/// (DESIGN, "Already granted" and "The evaluator").
public struct ProofResult: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// An unconditional Allow matches and no unconditional Deny does: already granted.
        case allowed
        /// An unconditional Deny matches: a blocker (an added Allow would not help).
        case denied
        /// Only Allows that hold under a condition (or another doubt) match: unproven.
        case conditionallyAllowed
        /// No Allow matches: implicitly denied.
        case notAllowed
    }

    public var verdict: Verdict
    /// Unconditional Allows that match.
    public var allows: [StatementMatch]
    /// Allows that may match: each with its ``Uncertainty`` reasons.
    public var conditionalAllows: [StatementMatch]
    /// Unconditional Denies that match (the blockers).
    public var denies: [StatementMatch]
    /// Denies that may match under a condition: they do not block but are reported
    /// (`CONDITIONAL_DENY`), whatever the verdict.
    public var conditionalDenies: [StatementMatch]

    public init(
        allows: [StatementMatch], conditionalAllows: [StatementMatch], denies: [StatementMatch],
        conditionalDenies: [StatementMatch]
    ) {
        self.allows = allows
        self.conditionalAllows = conditionalAllows
        self.denies = denies
        self.conditionalDenies = conditionalDenies
        if !denies.isEmpty {
            verdict = .denied
        } else if !allows.isEmpty {
            verdict = .allowed
        } else if !conditionalAllows.isEmpty {
            verdict = .conditionallyAllowed
        } else {
            verdict = .notAllowed
        }
    }

    /// The statements that decided the verdict: the Denies when denied, the Allows when allowed,
    /// the conditional Allows when conditionally allowed, none when not allowed.
    public var decidingStatements: [StatementMatch] {
        switch verdict {
        case .denied: denies
        case .allowed: allows
        case .conditionallyAllowed: conditionalAllows
        case .notAllowed: []
        }
    }
}
