/// The canonical JSON form (DESIGN, "Canonical JSON"): UTF-8, object keys sorted by Unicode code
/// point, no whitespace outside strings, `/` not escaped, numbers as written, nothing normalised.
/// It is what hashes, `basis`, diffs, size accounting and Execution use.
extension JSONValue {
    /// The canonical text of this value.
    public var canonicalText: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }

    /// The canonical form as UTF-8 bytes.
    public var canonicalBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        writeCanonical(into: &bytes)
        return bytes
    }

    /// The number of characters (Unicode scalars) of the canonical form: how IAM counts policy
    /// sizes, which ignore whitespace outside strings (IAM UG, iam-quotas).
    ///
    /// Counted from the value, not from written bytes (the planner counts every changed policy,
    /// and writing it was a tenth of planning): member order does not change a count, so nothing
    /// is sorted, and a string's count is its scalars plus what its escapes add. It must equal
    /// ``canonicalCharacterCountOfBytes``, the count of the written form.
    public var canonicalCharacterCount: Int {
        switch self {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .number(let literal): return JSONValue.scalarCount(literal)
        case .string(let text): return JSONValue.canonicalStringCharacterCount(text)
        case .array(let items):
            // The brackets and a comma between items.
            var count = items.isEmpty ? 2 : items.count + 1
            // Through the buffer: iterating the array retained and released every item.
            items.withUnsafeBufferPointer { buffer in
                for index in buffer.indices { count += buffer[index].canonicalCharacterCount }
            }
            return count
        case .object(let members):
            // The braces, a comma between members, a colon in each.
            var count = members.isEmpty ? 2 : 2 * members.count + 1
            members.withUnsafeBufferPointer { buffer in
                for index in buffer.indices {
                    count +=
                        JSONValue.canonicalStringCharacterCount(buffer[index].key)
                        + buffer[index].value.canonicalCharacterCount
                }
            }
            return count
        }
    }

    /// The count of the written canonical bytes, one scalar per byte that does not continue a
    /// UTF-8 sequence (they are valid UTF-8, written from strings): the reference
    /// ``canonicalCharacterCount`` must equal.
    var canonicalCharacterCountOfBytes: Int {
        var count = 0
        for byte in canonicalBytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The scalars of `text`: its UTF-8 bytes that do not continue a sequence.
    static func scalarCount(_ text: String) -> Int {
        let counted: Int? = text.utf8.withContiguousStorageIfAvailable { source in
            var count = 0
            for byte in source where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
        return counted ?? text.unicodeScalars.count
    }

    /// The characters `writeString` writes for `text`: the quotes, one per scalar, and one more
    /// for a short escape (`\"`, `\\`, `\n`, …) or five more for a `\u00XX` one. Eight bytes
    /// at a time while they hold nothing to escape (the test of ``nextEscape``), counting the
    /// bytes that do not continue a UTF-8 sequence (bit 7 set and bit 6 clear continues one).
    static func canonicalStringCharacterCount(_ text: String) -> Int {
        let counted: Int? = text.utf8.withContiguousStorageIfAvailable { source in
            guard let base = source.baseAddress else { return 2 }
            return 2 + canonicalStringCharacterCount(utf8: base, count: source.count)
        }
        if let counted { return counted }
        return Array(text.utf8).withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return 2 }
            return 2 + canonicalStringCharacterCount(utf8: base, count: source.count)
        }
    }

    /// ``canonicalStringCharacterCount(_:)`` of `count` UTF-8 bytes, without the quotes.
    private static func canonicalStringCharacterCount(utf8 base: UnsafePointer<UInt8>, count end: Int) -> Int {
        var count = 0
        var index = 0
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if !hasByteToEscape(word) {
                let continuing = word & ~(word << 1) & 0x8080_8080_8080_8080
                count += 8 - continuing.nonzeroBitCount
            } else {
                for offset in 0..<8 { count += characters(of: base[index + offset]) }
            }
            index += 8
        }
        while index < end {
            count += characters(of: base[index])
            index += 1
        }
        return count
    }

    /// Whether one of the eight bytes of `word` is one a JSON string must escape (a control
    /// character, `"` or `\`): the classic "has a byte less than / equal to" bit tests, exact for
    /// whether there is one (not for which).
    @inline(__always)
    private static func hasByteToEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let flags = ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        return flags & 0x8080_8080_8080_8080 != 0
    }

    /// The characters one UTF-8 byte of a string becomes in the canonical form.
    @inline(__always)
    private static func characters(of byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: return 2
        case 0x00..<0x20: return 6
        case 0x80..<0xC0: return 0
        default: return 1
        }
    }

    /// Appends the canonical form to `bytes`.
    public func writeCanonical(into bytes: inout [UInt8]) {
        switch self {
        case .null: JSONValue.append("null", to: &bytes)
        case .bool(let flag): JSONValue.append(flag ? "true" : "false", to: &bytes)
        case .number(let literal): JSONValue.appendUTF8(of: literal, to: &bytes)
        case .string(let text): JSONValue.writeString(text, into: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            items.withUnsafeBufferPointer { buffer in
                for index in buffer.indices {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    buffer[index].writeCanonical(into: &bytes)
                }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            JSONValue.forEachSorted(members) { index, member in
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.writeCanonical(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Writes a JSON string literal: `"` and `\` escaped, control characters as the short escapes
    /// or `\u00XX`, everything else (including `/` and non-ASCII) as UTF-8.
    public static func writeString(_ text: String, into bytes: inout [UInt8]) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { source in
            writeString(utf8: source, into: &bytes)
        }
        if written == nil {
            Array(text.utf8).withUnsafeBufferPointer { writeString(utf8: $0, into: &bytes) }
        }
    }

    /// `writeString` of text given as UTF-8: text that needs no escape is copied whole; text that
    /// does is written into scratch space (at most six bytes a byte), its runs copied whole, then
    /// appended at once.
    static func writeString(utf8 source: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) {
        guard let base = source.baseAddress else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: "\""))
            return
        }
        let end = source.count
        var stop = nextEscape(base, from: 0, end: end)
        if stop == end {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: source)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 + 6 * end) { scratch in
            guard let out = scratch.baseAddress else { return }
            out[0] = UInt8(ascii: "\"")
            var length = 1
            var start = 0
            while true {
                (out + length).initialize(from: base + start, count: stop - start)
                length += stop - start
                if stop == end { break }
                let byte = base[stop]
                out[length] = UInt8(ascii: "\\")
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[length + 1] = byte
                case 0x0A: out[length + 1] = UInt8(ascii: "n")
                case 0x0D: out[length + 1] = UInt8(ascii: "r")
                case 0x09: out[length + 1] = UInt8(ascii: "t")
                case 0x08: out[length + 1] = UInt8(ascii: "b")
                case 0x0C: out[length + 1] = UInt8(ascii: "f")
                default:
                    let hex: StaticString = "0123456789abcdef"
                    let digits = hex.utf8Start
                    out[length + 1] = UInt8(ascii: "u")
                    out[length + 2] = UInt8(ascii: "0")
                    out[length + 3] = UInt8(ascii: "0")
                    out[length + 4] = digits[Int(byte >> 4)]
                    out[length + 5] = digits[Int(byte & 0x0F)]
                    length += 4
                }
                length += 2
                start = stop + 1
                stop = nextEscape(base, from: start, end: end)
            }
            out[length] = UInt8(ascii: "\"")
            bytes.append(contentsOf: UnsafeBufferPointer(start: out, count: length + 1))
        }
    }

    /// The position of the first byte from `start` that a JSON string must escape (a control
    /// character, `"` or `\`), or `end`. Eight bytes at a time (``hasByteToEscape(_:)``).
    private static func nextEscape(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            if hasByteToEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { break }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return end
    }

    /// Calls `body` with the members in canonical order (keys by UTF-8 bytes; members with equal
    /// keys keep their order, as the standard library's stable sort keeps them) and their position
    /// in it. Members often come sorted already: then nothing is sorted.
    static func forEachSorted(_ members: [JSONMember], _ body: (Int, JSONMember) -> Void) {
        var sorted = true
        var index = 1
        while index < members.count {
            if keyPrecedes(members[index].key, members[index - 1].key) {
                sorted = false
                break
            }
            index += 1
        }
        if sorted {
            members.withUnsafeBufferPointer { buffer in
                for position in buffer.indices { body(position, buffer[position]) }
            }
            return
        }
        // Sort positions, not members: a stable insertion sort for the usual handful of members,
        // the standard sort with the position breaking ties (stable too) for more.
        var order = Array(0..<members.count)
        if members.count <= 16 {
            for next in 1..<order.count {
                let moving = order[next]
                var slot = next
                while slot > 0 && keyPrecedes(members[moving].key, members[order[slot - 1]].key) {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = moving
            }
        } else {
            order.sort { left, right in
                if keyPrecedes(members[left].key, members[right].key) { return true }
                if keyPrecedes(members[right].key, members[left].key) { return false }
                return left < right
            }
        }
        members.withUnsafeBufferPointer { buffer in
            for (position, member) in order.enumerated() { body(position, buffer[member]) }
        }
    }

    /// Whether `lhs` comes before `rhs` comparing their UTF-8 bytes (code point order).
    static func keyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast: Bool? =
            lhs.utf8.withContiguousStorageIfAvailable { left in
                rhs.utf8.withContiguousStorageIfAvailable { right in
                    let count = min(left.count, right.count)
                    var index = 0
                    while index < count {
                        if left[index] != right[index] { return left[index] < right[index] }
                        index += 1
                    }
                    return left.count < right.count
                }
            } ?? nil
        return fast ?? lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Appends the bytes of an ASCII literal.
    static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 of `text`, copied whole when it is contiguous.
    static func appendUTF8(of text: String, to bytes: inout [UInt8]) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }
}
