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
    let pieces: [PatternPiece]
    /// Whether the pattern contains `?`.
    public let hasQuestionMark: Bool

    public init(_ text: String) {
        self.text = text
        self.pieces = PatternText.pieces(text.lowercased(), wildcards: true, variables: false)
        self.hasQuestionMark = text.contains("?")
    }

    public var description: String { text }

    /// Whether the pattern covers `action`: `.match`, `.noMatch`, or `.unknown` when only `?`
    /// read as a wildcard would make it match.
    public func match(_ action: String) -> MatchResult {
        guard PatternText.matches(pieces, action.lowercased()) else { return .noMatch }
        return hasQuestionMark ? .unknown : .match
    }
}
