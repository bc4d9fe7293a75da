/// A statement's `Condition` element: every clause must hold (AND across operators and keys);
/// the values of one clause are alternatives (OR) (IAM UG, reference_policies_multi-value-conditions).
public struct ConditionBlock: Sendable, Hashable {
    /// Clauses in document order (operator by operator, key by key).
    public var clauses: [ConditionClause]

    public init(clauses: [ConditionClause]) {
        self.clauses = clauses
    }

    /// The clauses that test `key` (case-insensitive), e.g. every `aws:SourceArn` clause.
    public func clauses(testing key: String) -> [ConditionClause] {
        clauses.filter { $0.tests(key: key) }
    }

    /// Operator names flowrole does not understand, in document order.
    public var unknownOperators: [String] {
        var seen: [String] = []
        for clause in clauses where clause.conditionOperator == nil && !seen.contains(clause.operatorName) {
            seen.append(clause.operatorName)
        }
        return seen
    }
}
