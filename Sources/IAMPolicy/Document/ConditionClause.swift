/// One key under one operator of a `Condition` element: `{operator: {key: value-or-list}}`
/// (IAM UG, reference_policies_elements_condition).
public struct ConditionClause: Sendable, Hashable {
    /// The operator as written (`ArnLike`, `ForAnyValue:StringLike`, `StringEqualsIfExists`).
    public var operatorName: String
    /// The operator understood, or nil when flowrole does not know it (never guessed:
    /// proof mode treats the statement as conditional, context mode answers `.unknown`).
    public var conditionOperator: ConditionOperator?
    /// The condition key as written. Keys are case-insensitive (IAM UG,
    /// reference_policies_elements_condition: `aws:SourceArn` ≡ `AWS:sourcearn`).
    public var key: String
    /// The values in document order; several values are alternatives (OR).
    public var values: [ConditionValue]
    /// Whether the document wrote a list rather than one value.
    public var isList: Bool
    /// JSON pointer of the key, relative to the document.
    public var pointer: String

    public init(
        operatorName: String, key: String, values: [ConditionValue], isList: Bool, pointer: String = ""
    ) {
        self.operatorName = operatorName
        self.conditionOperator = ConditionOperator(name: operatorName)
        self.key = key
        self.values = values
        self.isList = isList
        self.pointer = pointer
    }

    /// Whether this clause tests `key`, compared case-insensitively.
    public func tests(key other: String) -> Bool {
        key.lowercased() == other.lowercased()
    }
}
