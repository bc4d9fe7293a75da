/// One member of a principal object: its type and its value(s), in document order.
public struct PrincipalEntry: Sendable, Hashable {
    public var type: PrincipalType
    /// The identifiers as written (`"bedrock.amazonaws.com"`, an ARN, an account id, `"*"`).
    public var values: [String]
    /// Whether the document wrote a list (`["a"]`) rather than a single string (`"a"`).
    public var isList: Bool

    public init(type: PrincipalType, values: [String], isList: Bool) {
        self.type = type
        self.values = values
        self.isList = isList
    }
}
