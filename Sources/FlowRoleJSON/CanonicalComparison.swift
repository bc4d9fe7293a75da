extension JSONValue {
    /// `canonicalText == other.canonicalText`, usually without making either text: values that
    /// are the same bytes have the same canonical form, and canonical forms that differ in their
    /// bytes differ as `String`s too when both are ASCII — so ASCII values whose canonical forms
    /// differ in length (a rewritten policy, usually) differ without writing either. Only
    /// differing non-ASCII forms are compared as `String`s (Unicode canonical equivalence, as the
    /// texts would be).
    public func hasSameCanonicalText(as other: JSONValue) -> Bool {
        if hasSameBytes(as: other) { return true }
        if isASCII, other.isASCII, canonicalCharacterCount != other.canonicalCharacterCount { return false }
        let left = canonicalBytes
        let right = other.canonicalBytes
        if left == right { return true }
        if left.allSatisfy({ $0 < 0x80 }), right.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: left, as: UTF8.self) == String(decoding: right, as: UTF8.self)
    }

    /// Whether every member name, string and number is ASCII (the canonical text then is: its
    /// escapes are ASCII).
    public var isASCII: Bool {
        switch self {
        case .null, .bool: return true
        case .number(let text), .string(let text): return text.isASCII
        case .array(let items): return items.allSatisfy(\.isASCII)
        case .object(let members): return members.allSatisfy { $0.key.isASCII && $0.value.isASCII }
        }
    }

    /// The same value, member order and the UTF-8 of every string and number included (`==`
    /// compares strings by Unicode canonical equivalence instead).
    public func hasSameBytes(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let left), .bool(let right)): return left == right
        case (.number(let left), .number(let right)), (.string(let left), .string(let right)):
            return left.hasSameUTF8(as: right)
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return false }
            for index in left.indices where !left[index].hasSameBytes(as: right[index]) { return false }
            return true
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for index in left.indices {
                guard left[index].key.hasSameUTF8(as: right[index].key),
                    left[index].value.hasSameBytes(as: right[index].value)
                else { return false }
            }
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Whether every byte of the UTF-8 is ASCII (then `String` equality is byte equality, and
    /// bytes and Characters cut the text alike, CR LF aside).
    @inlinable
    public var isASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? utf8.allSatisfy { $0 < 0x80 }
    }
}
