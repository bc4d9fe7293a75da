extension ConditionClause {
    /// Evaluates this clause against `context` (IAM UG, reference_policies_elements_condition_operators
    /// and reference_policies_multi-value-conditions):
    ///
    /// * a missing key makes the clause false, except negated operators (true), `…IfExists`
    ///   (true), `ForAllValues:` (true) and `Null` (which tests exactly that);
    /// * several policy values are alternatives: a positive operator holds when some context value
    ///   matches some policy value; a negated operator holds when none does;
    /// * `ForAnyValue:` holds when some context value satisfies the base operator against the
    ///   policy values; `ForAllValues:` when every context value does;
    /// * keys are case-insensitive; values are compared as the operator says (`StringEquals` and
    ///   ARN operators case-sensitive, `…IgnoreCase` not, Numeric and Date as numbers and instants);
    /// * `${…}` in string and ARN operator values is filled from the context when
    ///   `substitutesVariables` (a 2012-10-17 document).
    ///
    /// An operator flowrole does not know, or a value it cannot read, gives `.unknown`.
    public func evaluate(_ context: ContextKeys, substitutesVariables: Bool = true) -> ConditionOutcome {
        evaluate(
            present: context[lowercased: lowercasedKey], context: context, substitutesVariables: substitutesVariables)
    }

    /// Whether the outcome may depend on keys other than ``key``: only a policy variable (a `$`
    /// in a value, where variables are filled) reads them. Otherwise the outcome is a function of
    /// the values of ``key`` alone (``ContextGrid`` evaluates it once per value).
    func readsOtherKeys(substitutesVariables: Bool) -> Bool {
        guard substitutesVariables, let op = conditionOperator, op.base != .null, op.base.acceptsPolicyVariables
        else { return false }
        return prepared.contains(where: \.hasDollar)
    }

    /// ``evaluate(_:substitutesVariables:)`` with the values of ``key`` given (`present`, nil
    /// when absent); `context` fills policy variables only, so when
    /// ``readsOtherKeys(substitutesVariables:)`` is false any context gives the same outcome.
    func evaluate<Values: Collection<String>>(
        present: Values?, context: ContextKeys, substitutesVariables: Bool
    ) -> ConditionOutcome {
        guard let op = conditionOperator else {
            return ConditionOutcome(result: .unknown, uncertainties: [.unknownOperator(operatorName)])
        }

        if op.base == .null {
            var result = MatchResult.noMatch
            var doubts: [Uncertainty] = []
            for value in values {
                switch value.text.lowercased() {
                case "true": result = result.or(MatchResult(present == nil))
                case "false": result = result.or(MatchResult(present != nil))
                default:
                    result = result.or(.unknown)
                    doubts.append(.unreadableValue(operatorName: operatorName, key: key, value: value.text))
                }
            }
            return ConditionOutcome(result: result, uncertainties: result == .unknown ? doubts : [])
        }

        guard let contextValues = present else {
            if op.ifExists { return ConditionOutcome(result: .match) }
            switch op.qualifier {
            case .forAllValues?: return ConditionOutcome(result: .match)
            case .forAnyValue?: return ConditionOutcome(result: .noMatch)
            case nil: return ConditionOutcome(result: op.isNegated ? .match : .noMatch)
            }
        }

        var doubts: [Uncertainty] = []
        let variables: PolicyVariableValues =
            substitutesVariables && op.base.acceptsPolicyVariables ? .context(context) : .unknown
        let allowVariables = substitutesVariables && op.base.acceptsPolicyVariables

        // For one context value: does the positive form hold for some policy value? Each value
        // read once when the clause was made (`prepared`) when it can be, else the general path.
        func anyPolicyValue(_ contextValue: String) -> MatchResult {
            var result = MatchResult.noMatch
            for value in prepared {
                let single =
                    value.positive(contextValue, allowVariables: allowVariables)
                    ?? ConditionComparison.positive(
                        op.base, contextValue: contextValue, policyValue: value.text, variables: variables,
                        allowVariables: allowVariables)
                if single.result == .unknown, let doubt = single.doubt(operatorName, key) { doubts.append(doubt) }
                result = result.or(single.result)
                if result == .match { break }
            }
            return result
        }

        // For one context value: does the operator (negated or not) hold?
        func holds(_ contextValue: String) -> MatchResult {
            let positive = anyPolicyValue(contextValue)
            return op.isNegated ? positive.negated : positive
        }

        let result: MatchResult
        switch op.qualifier {
        case nil:
            // Positive: some context value matches some policy value. Negated: none does.
            let positive = contextValues.reduce(MatchResult.noMatch) { $0.or(anyPolicyValue($1)) }
            result = op.isNegated ? positive.negated : positive
        case .forAnyValue?:
            result = contextValues.reduce(MatchResult.noMatch) { $0.or(holds($1)) }
        case .forAllValues?:
            result = contextValues.reduce(MatchResult.match) { $0.and(holds($1)) }
        }
        return ConditionOutcome(result: result, uncertainties: result == .unknown ? doubts.deduplicated : [])
    }
}

extension ConditionBlock {
    /// Evaluates every clause against `context`: AND across operators and keys (IAM UG,
    /// reference_policies_multi-value-conditions). `.noMatch` wins over `.unknown`.
    public func evaluate(_ context: ContextKeys, substitutesVariables: Bool = true) -> ConditionOutcome {
        var result = MatchResult.match
        var doubts: [Uncertainty] = []
        for clause in clauses {
            let outcome = clause.evaluate(context, substitutesVariables: substitutesVariables)
            result = result.and(outcome.result)
            doubts.append(contentsOf: outcome.uncertainties)
            if result == .noMatch { return ConditionOutcome(result: .noMatch) }
        }
        return ConditionOutcome(result: result, uncertainties: result == .unknown ? doubts.deduplicated : [])
    }
}
