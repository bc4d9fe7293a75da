extension Statement {
    /// Context mode for one statement: whether it applies to `request` — principal (when the
    /// statement names one), action, resource (when the request names one), and every condition
    /// evaluated against the request's keys. `.unknown` carries its reasons.
    public func evaluate(_ request: RequestContext, substitutesVariables: Bool) -> ConditionOutcome {
        var result = MatchResult.match
        var doubts: [Uncertainty] = []
        if let principal {
            result = result.and(principal.match(request.principal))
            if result == .noMatch { return ConditionOutcome(result: .noMatch) }
        }
        let actionResult = action.match(request.action)
        if actionResult == .unknown {
            for pattern in action.patterns where pattern.hasQuestionMark {
                doubts.append(.questionMarkInAction(pattern: pattern.text))
            }
        }
        result = result.and(actionResult)
        if result == .noMatch { return ConditionOutcome(result: .noMatch) }
        if let requested = request.resource, let resource {
            let resourceResult = resource.match(requested, variables: .context(request.keys))
            if resourceResult == .unknown {
                for pattern in resource.patterns where pattern.hasPolicyVariable {
                    doubts.append(.policyVariable(pattern: pattern.text))
                }
            }
            result = result.and(resourceResult)
            if result == .noMatch { return ConditionOutcome(result: .noMatch) }
        }
        if let condition {
            let outcome = condition.evaluate(request.keys, substitutesVariables: substitutesVariables)
            result = result.and(outcome.result)
            doubts.append(contentsOf: outcome.uncertainties)
        }
        return ConditionOutcome(result: result, uncertainties: result == .unknown ? doubts.deduplicated : [])
    }
}

extension PolicyDocument {
    /// Context mode: evaluates the document against a concrete request (used for trust policies:
    /// who may assume the role). `policyID` names the document in the reported statements.
    public func evaluate(_ request: RequestContext, policyID: String = "") -> ContextResult {
        ContextResult(statementOutcomes(request, policyID: policyID))
    }

    /// Context mode in one call: `true` allowed, `false` denied or not allowed, nil unknown.
    ///
    /// ```swift
    /// trust.allows(principal: .service("bedrock.amazonaws.com"), action: "sts:AssumeRole",
    ///              context: ["aws:SourceArn": [flowARN], "aws:SourceAccount": [account]])
    /// ```
    public func allows(
        principal: RequestPrincipal, action: String, resource: String? = nil, context: ContextKeys = [:]
    ) -> Bool? {
        evaluate(RequestContext(principal: principal, action: action, resource: resource, keys: context)).isAllowed
    }

    func statementOutcomes(_ request: RequestContext, policyID: String) -> [(StatementMatch, MatchResult)] {
        let substitutes = version.substitutesPolicyVariables
        var outcomes: [(StatementMatch, MatchResult)] = []
        for (index, statement) in statements.enumerated() {
            let outcome = statement.evaluate(request, substitutesVariables: substitutes)
            guard outcome.result != .noMatch else { continue }
            outcomes.append(
                (
                    StatementMatch(
                        reference: statement.reference(in: policyID, index: index), effect: statement.effect,
                        uncertainties: outcome.uncertainties),
                    outcome.result
                ))
        }
        return outcomes
    }
}
