/// Identity policies ∩ permissions boundary for one (action, resource) (IAM UG,
/// access_policies_boundaries; DESIGN, "Already granted" and the blocker rules).
public struct EffectivePermission: Sendable, Hashable {
    public var identity: ProofResult
    /// nil when the role has no boundary.
    public var boundary: BoundaryResult?

    public init(identity: ProofResult, boundary: BoundaryResult?) {
        self.identity = identity
        self.boundary = boundary
    }

    /// Evaluates `identity` and, if given, `boundary`.
    public init(
        action: String, resource: String, identity policies: PolicySet, boundary: NamedPolicy?,
        assuming context: ContextKeys? = nil
    ) {
        self.identity = policies.evaluate(action: action, resource: resource, assuming: context)
        self.boundary = boundary.map { $0.boundaryAllows(action: action, resource: resource, assuming: context) }
    }

    /// The effective verdict: denied when either side denies outright; allowed only when the
    /// identity policies allow and the boundary (if any) allows; conditionally allowed when both
    /// may allow; otherwise not allowed.
    public var verdict: ProofResult.Verdict {
        if identity.verdict == .denied || boundary?.proof.verdict == .denied { return .denied }
        let boundaryVerdict = boundary?.verdict ?? .allows
        switch (identity.verdict, boundaryVerdict) {
        case (.allowed, .allows): return .allowed
        case (.notAllowed, _), (_, .doesNotAllow): return .notAllowed
        default: return .conditionallyAllowed
        }
    }

    /// Whether the boundary alone blocks the grant (`PERMISSIONS_BOUNDARY`): adding an identity
    /// Allow would not help.
    public var boundaryBlocks: Bool { boundary?.verdict == .doesNotAllow }
}
