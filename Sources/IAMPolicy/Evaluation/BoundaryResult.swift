/// Whether a permissions boundary allows (action, resource) (IAM UG, access_policies_boundaries:
/// the effective permissions are those both the identity policies and the boundary allow).
public struct BoundaryResult: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// An unconditional Allow in the boundary covers it and no Deny does.
        case allows
        /// Only a conditional Allow covers it (`CONDITIONAL_BOUNDARY`, warning; the grant is added).
        case allowsOnlyUnderCondition
        /// Nothing in the boundary allows it, or it denies it: a blocker (`PERMISSIONS_BOUNDARY`).
        case doesNotAllow
    }

    public var verdict: Verdict
    /// The proof over the boundary alone, with the statements that decided.
    public var proof: ProofResult

    public init(proof: ProofResult) {
        self.proof = proof
        switch proof.verdict {
        case .allowed: verdict = .allows
        case .conditionallyAllowed: verdict = .allowsOnlyUnderCondition
        case .denied, .notAllowed: verdict = .doesNotAllow
        }
    }
}

extension NamedPolicy {
    /// This policy as a permissions boundary: does it allow (action, resource)?
    public func boundaryAllows(action: String, resource: String, assuming context: ContextKeys? = nil) -> BoundaryResult
    {
        BoundaryResult(proof: PolicySet([self]).evaluate(action: action, resource: resource, assuming: context))
    }
}
