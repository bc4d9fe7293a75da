/// One entry of `Resource`/`NotResource`: an ARN pattern (IAM UG, reference_policies_elements_resource).
///
/// Matching is case-sensitive and over the whole string: `*` matches any run of characters
/// *including* `:` and `/`, `?` exactly one character; `"*"` alone matches every resource. So
/// `function:NAME*` covers `function:NAME:1` but `function:NAME` does not (Lambda DG, "Function
/// resource names"). In a 2012-10-17 document `${…}` is a policy variable (IAM UG,
/// reference_policies_variables): unknown in proof mode, filled from the context in context mode.
/// In 2008-10-17 and versionless documents it is literal text.
public struct ResourcePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// Whether `${…}` is a policy variable here (the document is 2012-10-17).
    public let substitutesVariables: Bool
    let pieces: [PatternPiece]

    /// The bytes of a pattern that is literal text, or literal text and one final `*`
    /// (`isPrefix`, e.g. `…:function:NAME*`, `…/*`): matched byte by byte.
    let literal: [UInt8]?
    let isPrefix: Bool

    public init(_ text: String, substitutesVariables: Bool = true) {
        self.text = text
        self.substitutesVariables = substitutesVariables
        self.pieces = PatternText.pieces(text, wildcards: true, variables: substitutesVariables)
        var bytes = Array(text.utf8)
        let prefix = bytes.last == UInt8(ascii: "*")
        if prefix { bytes.removeLast() }
        let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "$")]
        if bytes.allSatisfy({ !special.contains($0) }) {
            literal = bytes
            isPrefix = prefix
        } else {
            literal = nil
            isPrefix = false
        }
    }

    public var description: String { text }

    /// Whether the pattern contains a policy variable.
    public var hasPolicyVariable: Bool { PatternText.hasVariables(pieces) }

    /// Whether the pattern covers `resource`: certain without variables; with variables,
    /// `.noMatch` when no value could make it match, else `.unknown` unless `variables` fills them.
    public func match(_ resource: String, variables: PolicyVariableValues = .unknown) -> MatchResult {
        if let literal {
            // Case-sensitive, scalar by scalar, which for UTF-8 is byte by byte.
            let bytes = resource.utf8
            if isPrefix {
                return bytes.count >= literal.count && bytes.prefix(literal.count).elementsEqual(literal)
                    ? .match : .noMatch
            }
            return bytes.elementsEqual(literal) ? .match : .noMatch
        }
        return PatternText.match(pieces, resource, values: variables)
    }
}
