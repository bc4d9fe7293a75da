extension Statement {
    /// Proof mode for one statement (no request context; DESIGN, "The evaluator"): whether it
    /// applies to (`action`, `resource`) with the caution its effect calls for — strict for an
    /// Allow, generous for a Deny — and why it is only `.unknown` when it is.
    ///
    /// A `Condition` is never taken as satisfied: with one, a statement that otherwise applies is
    /// `.unknown` (`.condition`), unless `assumedContext` is given — then the conditions are
    /// evaluated in context mode and an Allow applies only when they certainly hold, while a Deny
    /// is certain only when they certainly hold and conditional otherwise (a Deny is never
    /// dismissed on an assumption). A clause on a key `assumedContext` does not hold is unknown,
    /// whatever its operator.
    public func proofMatch(
        action requested: String, resource requestedResource: String, substitutesVariables: Bool,
        assumedContext: ContextKeys? = nil
    ) -> (result: MatchResult, uncertainties: [Uncertainty]) {
        let caution: Caution = effect == .allow ? .provingAllow : .seekingDeny
        var doubts: [Uncertainty] = []

        let actionResult = action.match(requested, caution: caution)
        if actionResult == .noMatch { return (.noMatch, []) }
        if actionResult == .unknown {
            for pattern in action.patterns where pattern.hasQuestionMark {
                doubts.append(.questionMarkInAction(pattern: pattern.text))
            }
        }

        var resourceResult: MatchResult
        if let resource {
            resourceResult = resource.match(requestedResource, caution: caution)
            if resourceResult == .unknown {
                for pattern in resource.patterns where pattern.hasPolicyVariable {
                    doubts.append(.policyVariable(pattern: pattern.text))
                }
            }
        } else if caution == .seekingDeny {
            resourceResult = .match
        } else {
            resourceResult = .unknown
            doubts.append(.noResourceElement)
        }
        if resourceResult == .noMatch { return (.noMatch, []) }

        var conditionResult = MatchResult.match
        if let condition, !condition.clauses.isEmpty {
            if let assumedContext {
                // Only the keys the assumption declares are known. A clause on any other key says
                // nothing certain — not even `…IfExists`, a negated operator or `Null`, which a
                // real request's other keys may well decide — so the statement stays conditional.
                let declared = condition.clauses.allSatisfy { assumedContext[$0.key] != nil }
                let outcome =
                    declared
                    ? condition.evaluate(assumedContext, substitutesVariables: substitutesVariables)
                    : ConditionOutcome(result: .unknown)
                if outcome.result == .match {
                    conditionResult = .match
                } else {
                    conditionResult = .unknown
                    doubts.append(.condition(operators: operatorNames(condition)))
                    doubts.append(contentsOf: outcome.uncertainties)
                }
            } else {
                conditionResult = .unknown
                doubts.append(.condition(operators: operatorNames(condition)))
                for name in condition.unknownOperators { doubts.append(.unknownOperator(name)) }
            }
        }

        let result = actionResult.and(resourceResult).and(conditionResult)
        return (result, result == .match ? [] : doubts.deduplicated)
    }

    private func operatorNames(_ condition: ConditionBlock) -> [String] {
        var names: [String] = []
        for clause in condition.clauses where !names.contains(clause.operatorName) { names.append(clause.operatorName) }
        return names
    }
}
