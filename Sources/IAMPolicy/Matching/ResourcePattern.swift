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
    /// The pieces of a pattern that is not literal; empty when ``literal`` is set (then they
    /// follow from the text: see ``pieces``).
    let generalPieces: [PatternPiece]

    /// The bytes of a pattern that is literal text, or literal text and one final `*`
    /// (`isPrefix`, e.g. `…:function:NAME*`, `…/*`): matched byte by byte.
    let literal: [UInt8]?
    let isPrefix: Bool

    public init(_ text: String, substitutesVariables: Bool = true) {
        self.text = text
        self.substitutesVariables = substitutesVariables
        var bytes = Array(text.utf8)
        let prefix = bytes.last == UInt8(ascii: "*")
        if prefix { bytes.removeLast() }
        if bytes.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "$") }) {
            literal = nil
            isPrefix = false
            generalPieces = PatternText.pieces(text, wildcards: true, variables: substitutesVariables)
        } else {
            literal = bytes
            isPrefix = prefix
            generalPieces = []
        }
    }

    /// The pattern read into pieces (for a literal pattern, built when asked: matching does not
    /// need them).
    var pieces: [PatternPiece] {
        literal == nil ? generalPieces : PatternText.pieces(text, wildcards: true, variables: substitutesVariables)
    }

    public var description: String { text }

    /// Whether the pattern contains a policy variable.
    public var hasPolicyVariable: Bool {
        // A literal pattern has no `$`, so no variable.
        PatternText.hasVariables(generalPieces)
    }

    /// Whether the pattern covers `resource`: certain without variables; with variables,
    /// `.noMatch` when no value could make it match, else `.unknown` unless `variables` fills them.
    public func match(_ resource: String, variables: PolicyVariableValues = .unknown) -> MatchResult {
        if let literal {
            // Case-sensitive, scalar by scalar, which for UTF-8 is byte by byte.
            if let matched = resource.utf8.withContiguousStorageIfAvailable({
                Self.literalMatch(literal, prefix: isPrefix, $0)
            }) {
                return matched ? .match : .noMatch
            }
            let bytes = resource.utf8
            if isPrefix {
                return bytes.count >= literal.count && bytes.prefix(literal.count).elementsEqual(literal)
                    ? .match : .noMatch
            }
            return bytes.elementsEqual(literal) ? .match : .noMatch
        }
        return PatternText.match(generalPieces, resource, values: variables)
    }

    /// `bytes` equal to `literal`, or (`prefix`) starting with it.
    private static func literalMatch(_ literal: [UInt8], prefix: Bool, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard prefix ? bytes.count >= literal.count : bytes.count == literal.count else { return false }
        return literal.withUnsafeBufferPointer { literal in
            for index in 0..<literal.count where literal[index] != bytes[index] { return false }
            return true
        }
    }
}
