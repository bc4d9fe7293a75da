/// The context-mode answer for one request (IAM UG, reference_policies_evaluation-logic): an
/// explicit Deny wins, then an Allow; otherwise implicitly denied. Doubt is reported as
/// `.unknown`, never resolved by guessing.
public struct ContextResult: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// An Allow certainly applies and no Deny may apply.
        case allowed
        /// A Deny certainly applies.
        case denied
        /// No Allow may apply (whatever the Denies).
        case notAllowed
        /// The answer depends on a statement flowrole cannot judge (see ``undetermined``).
        case unknown
    }

    public var verdict: Verdict
    /// Allows that certainly apply.
    public var allowedBy: [StatementMatch]
    /// Denies that certainly apply.
    public var deniedBy: [StatementMatch]
    /// Statements that may apply, each with its reasons.
    public var undetermined: [StatementMatch]

    init(_ outcomes: [(StatementMatch, MatchResult)]) {
        // One pass, each list in the order of `outcomes`.
        var allowedBy: [StatementMatch] = []
        var deniedBy: [StatementMatch] = []
        var undetermined: [StatementMatch] = []
        var undeterminedAllow = false
        var undeterminedDeny = false
        for (match, result) in outcomes {
            switch result {
            case .match:
                switch match.effect {
                case .allow: allowedBy.append(match)
                case .deny: deniedBy.append(match)
                }
            case .unknown:
                undetermined.append(match)
                switch match.effect {
                case .allow: undeterminedAllow = true
                case .deny: undeterminedDeny = true
                }
            case .noMatch:
                break
            }
        }
        self.allowedBy = allowedBy
        self.deniedBy = deniedBy
        self.undetermined = undetermined
        let mayAllow = !allowedBy.isEmpty || undeterminedAllow
        if !deniedBy.isEmpty {
            verdict = .denied
        } else if !mayAllow {
            verdict = .notAllowed
        } else if !allowedBy.isEmpty, !undeterminedDeny {
            verdict = .allowed
        } else {
            verdict = .unknown
        }
    }

    /// `true` when allowed, `false` when denied or not allowed, nil when unknown.
    public var isAllowed: Bool? {
        switch verdict {
        case .allowed: true
        case .denied, .notAllowed: false
        case .unknown: nil
        }
    }
}
