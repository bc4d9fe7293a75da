extension StringProtocol {
    /// Whether the text holds the ASCII character `character`, compared as bytes.
    ///
    /// `text.contains("?")` compares Swift `Character`s, and a `?` followed by a combining mark
    /// (U+0301) is one Character that is not `?`; IAM, and ``PatternText`` (which reads Unicode
    /// scalars), still see a `?` there. Asking for wildcards and separators by byte keeps every
    /// test of "is this a pattern" in step with how the pattern is matched.
    @inlinable
    public func containsASCII(_ character: Unicode.Scalar) -> Bool {
        precondition(character.isASCII, "containsASCII asks for an ASCII character")
        let byte = UInt8(character.value)
        return utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? utf8.contains(byte)
    }

    /// Whether the text holds an IAM wildcard, `*` or `?`, as bytes (see ``containsASCII(_:)``).
    @inlinable
    public var hasIAMWildcard: Bool { containsASCII("*") || containsASCII("?") }
}
