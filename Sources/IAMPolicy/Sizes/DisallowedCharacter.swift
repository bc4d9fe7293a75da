/// A character IAM rejects in a policy document, and where it is.
public struct DisallowedCharacter: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the string (or of the member, when the key holds it), relative to the document.
    public var pointer: String
    public var scalar: Unicode.Scalar
    /// Whether it is in a member name rather than a string value.
    public var isInKey: Bool

    public init(pointer: String, scalar: Unicode.Scalar, isInKey: Bool) {
        self.pointer = pointer
        self.scalar = scalar
        self.isInKey = isInKey
    }

    /// `U+2013`.
    public var codePoint: String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    public var description: String {
        "\(pointer.isEmpty ? "/" : pointer): \(codePoint) is not allowed in an IAM policy document"
            + " (only tab, line feed, carriage return and U+0020–U+00FF are)."
    }
}
