/// One entry of `Action`/`NotAction`: `service:ActionName` with wildcards
/// (IAM UG, reference_policies_elements_action).
///
/// Matching is case-insensitive (`iam:ListAccessKeys` ≡ `IAM:listaccesskeys`) and `*` matches
/// any run of characters. `?` is not documented for actions (IAM-SEMANTICS §3): a pattern that
/// matches only if `?` is a one-character wildcard answers `.unknown`, which does not prove an
/// Allow and, with ``Caution/seekingDeny``, counts as a wildcard when looking for a Deny.
public struct ActionPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    /// The pieces (of the lower-cased text) of a pattern that is not an ASCII literal; empty when
    /// ``asciiLiteral`` is set (then they follow from the text: see ``pieces``).
    let generalPieces: [PatternPiece]
    /// Whether the pattern contains `?`.
    public let hasQuestionMark: Bool

    /// The lower-cased bytes of an ASCII pattern that is literal text, or literal text and one
    /// final `*` (`isPrefix`): matched byte by byte, without building scalar arrays.
    let asciiLiteral: [UInt8]?
    let isPrefix: Bool

    public init(_ text: String) {
        self.text = text
        var bytes = Array(text.utf8)
        let prefix = bytes.last == UInt8(ascii: "*")
        if prefix { bytes.removeLast() }
        if bytes.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") }) {
            asciiLiteral = bytes.map(Self.lower)
            isPrefix = prefix
            // ASCII without a `?` byte: no `?` character either.
            hasQuestionMark = false
            generalPieces = []
        } else {
            asciiLiteral = nil
            isPrefix = false
            hasQuestionMark = text.containsASCII("?")
            generalPieces = PatternText.pieces(text.lowercased(), wildcards: true, variables: false)
        }
    }

    /// The lower-cased pattern read into pieces (for an ASCII literal, built when asked: only a
    /// non-ASCII action needs them).
    var pieces: [PatternPiece] {
        asciiLiteral == nil ? generalPieces : PatternText.pieces(text.lowercased(), wildcards: true, variables: false)
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    public var description: String { text }

    /// Whether the pattern covers `action`: `.match`, `.noMatch`, or `.unknown` when only `?`
    /// read as a wildcard would make it match.
    public func match(_ action: String) -> MatchResult {
        if let literal = asciiLiteral, let matched = Self.asciiMatch(literal, prefix: isPrefix, action) {
            return matched ? .match : .noMatch
        }
        guard PatternText.matches(pieces, action.lowercased()) else { return .noMatch }
        return hasQuestionMark ? .unknown : .match
    }

    /// Case-insensitive comparison of an ASCII action with the literal (or prefix); nil when the
    /// action is not ASCII (then the general matcher decides, with Unicode lower-casing).
    private static func asciiMatch(_ literal: [UInt8], prefix: Bool, _ action: String) -> Bool? {
        if let answer = action.utf8.withContiguousStorageIfAvailable({ asciiMatch(literal, prefix: prefix, $0) }) {
            return answer
        }
        return asciiMatch(literal, prefix: prefix, action.utf8)
    }

    private static func asciiMatch(_ literal: [UInt8], prefix: Bool, _ action: some Sequence<UInt8>) -> Bool? {
        var index = 0
        var matched = true
        for byte in action {
            guard byte < 0x80 else { return nil }
            if index == literal.count {
                if !prefix { matched = false }
                continue
            }
            if lower(byte) != literal[index] { matched = false }
            index += 1
        }
        return matched && index == literal.count
    }
}
