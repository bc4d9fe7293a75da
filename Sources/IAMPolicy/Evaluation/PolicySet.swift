/// The identity policies that apply to a role — inline, attached customer and AWS managed
/// (default versions) — evaluated together.
///
/// Proof mode (``evaluate(action:resource:assuming:)``) follows IAM's evaluation logic (IAM UG,
/// reference_policies_evaluation-logic): an explicit Deny in any policy overrides every Allow;
/// without an Allow the request is implicitly denied. Conditions are unproven (DESIGN,
/// "Already granted"). Context mode (``evaluate(_:)``) judges a concrete request.
public struct PolicySet: Sendable, Hashable {
    public var policies: [NamedPolicy]

    public init(_ policies: [NamedPolicy]) {
        self.policies = policies
    }

    /// Is `action` on `resource` allowed, denied, allowed only under conditions, or not allowed?
    /// Every matching statement is reported, Denies first in IAM's order of precedence.
    public func evaluate(action: String, resource: String, assuming assumedContext: ContextKeys? = nil) -> ProofResult {
        evaluate(action: action, resource: resource, assuming: assumedContext, only: nil)
    }

    /// ``evaluate(action:resource:assuming:)`` for one action on many resources: the statements
    /// whose `Action` cannot cover the action (under either caution) are set aside once, not once
    /// per resource. The results are those of evaluating each pair alone.
    public func evaluate(action: String, resources: [String], assuming assumedContext: ContextKeys? = nil)
        -> [ProofResult]
    {
        // `.noMatch` when seeking a Deny (the generous caution) is `.noMatch` when proving an Allow.
        let candidates = Set(
            policies.indices.flatMap { policy in
                policies[policy].document.statements.indices.compactMap { index in
                    policies[policy].document.statements[index].action.match(action, caution: .seekingDeny) == .noMatch
                        ? nil : StatementPosition(policy: policy, index: index)
                }
            })
        return resources.map { evaluate(action: action, resource: $0, assuming: assumedContext, only: candidates) }
    }

    struct StatementPosition: Hashable {
        var policy: Int
        var index: Int
    }

    private func evaluate(
        action: String, resource: String, assuming assumedContext: ContextKeys?, only: Set<StatementPosition>?
    ) -> ProofResult {
        var allows: [StatementMatch] = []
        var conditionalAllows: [StatementMatch] = []
        var denies: [StatementMatch] = []
        var conditionalDenies: [StatementMatch] = []
        for (policyIndex, policy) in policies.enumerated() {
            let substitutes = policy.document.version.substitutesPolicyVariables
            for (index, statement) in policy.document.statements.enumerated() {
                if let only, !only.contains(StatementPosition(policy: policyIndex, index: index)) { continue }
                let (result, doubts) = statement.proofMatch(
                    action: action, resource: resource, substitutesVariables: substitutes,
                    assumedContext: assumedContext)
                guard result != .noMatch else { continue }
                let match = StatementMatch(
                    reference: statement.reference(in: policy.id, index: index), effect: statement.effect,
                    uncertainties: doubts)
                switch (statement.effect, result) {
                case (.allow, .match): allows.append(match)
                case (.allow, _): conditionalAllows.append(match)
                case (.deny, .match): denies.append(match)
                case (.deny, _): conditionalDenies.append(match)
                }
            }
        }
        return ProofResult(
            allows: allows, conditionalAllows: conditionalAllows, denies: denies, conditionalDenies: conditionalDenies)
    }

    /// Context mode over every policy of the set: see ``PolicyDocument/evaluate(_:policyID:)``.
    public func evaluate(_ request: RequestContext) -> ContextResult {
        var statements: [(StatementMatch, MatchResult)] = []
        for policy in policies {
            statements.append(contentsOf: policy.document.statementOutcomes(request, policyID: policy.id))
        }
        return ContextResult(statements)
    }
}
