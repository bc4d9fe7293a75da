/// One key under one operator of a `Condition` element: `{operator: {key: value-or-list}}`
/// (IAM UG, reference_policies_elements_condition).
public struct ConditionClause: Sendable, Hashable {
    /// The operator as written (`ArnLike`, `ForAnyValue:StringLike`, `StringEqualsIfExists`).
    public var operatorName: String
    /// The operator understood, or nil when flowrole does not know it (never guessed:
    /// proof mode treats the statement as conditional, context mode answers `.unknown`).
    public var conditionOperator: ConditionOperator? {
        didSet { prepared = Self.prepare(values, conditionOperator) }
    }
    /// The condition key as written. Keys are case-insensitive (IAM UG,
    /// reference_policies_elements_condition: `aws:SourceArn` ≡ `AWS:sourcearn`).
    public var key: String {
        didSet { lowercasedKey = key.lowercased() }
    }
    /// The values in document order; several values are alternatives (OR).
    public var values: [ConditionValue] {
        didSet { prepared = Self.prepare(values, conditionOperator) }
    }
    /// Whether the document wrote a list rather than one value.
    public var isList: Bool
    /// JSON pointer of the key, relative to the document.
    public var pointer: String

    /// ``key`` lower-cased, as ``ContextKeys`` stores keys.
    private(set) var lowercasedKey: String
    /// ``values`` read once for the operator (context mode's fast path); kept in step with
    /// ``values`` and ``conditionOperator``, and no part of equality.
    private(set) var prepared: [PreparedConditionValue]

    public init(
        operatorName: String, key: String, values: [ConditionValue], isList: Bool, pointer: String = ""
    ) {
        self.operatorName = operatorName
        self.conditionOperator = ConditionOperator(name: operatorName)
        self.key = key
        self.values = values
        self.isList = isList
        self.pointer = pointer
        self.lowercasedKey = key.lowercased()
        self.prepared = Self.prepare(values, conditionOperator)
    }

    private static func prepare(_ values: [ConditionValue], _ op: ConditionOperator?) -> [PreparedConditionValue] {
        values.map { PreparedConditionValue($0.text, base: op?.base) }
    }

    /// Whether this clause tests `key`, compared case-insensitively.
    public func tests(key other: String) -> Bool {
        key.lowercased() == other.lowercased()
    }

    public static func == (left: ConditionClause, right: ConditionClause) -> Bool {
        left.operatorName == right.operatorName && left.conditionOperator == right.conditionOperator
            && left.key == right.key && left.values == right.values && left.isList == right.isList
            && left.pointer == right.pointer
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(operatorName)
        hasher.combine(conditionOperator)
        hasher.combine(key)
        hasher.combine(values)
        hasher.combine(isList)
        hasher.combine(pointer)
    }
}
