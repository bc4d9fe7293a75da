#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a start tag with too many attributes before libxml2 sees the document.
///
/// libxml2 2.9.14 checks a start tag for repeated attribute names by comparing every attribute with
/// every one before it: 100,000 attributes on one element (a 1 MB file) cost 2.4 s, 300,000 cost
/// 23 s. AWS exports carry at most a namespace declaration, so a tag with more than
/// `XMLTreeReader.maximumAttributes` is rejected here, in one pass: `memchr` to each `<`; comments,
/// CDATA sections and processing instructions skipped to their end; other `<!` declarations to the
/// next `>` outside quotes; in a start tag, each `=` outside quotes is one attribute.
enum XMLAttributeScan {
    struct CrowdedTag: Equatable {
        /// Byte offset of the tag's `<`.
        var offset: Int
        var name: String
    }

    /// The first start tag with more than `limit` attributes, or nil.
    static func firstCrowdedTag(_ bytes: UnsafeRawBufferPointer, limit: Int) -> CrowdedTag? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "<")), count - index) else { return nil }
            let open = UnsafeRawPointer(found) - base
            index = open + 1
            guard index < count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "!"):
                if matches(bytes, at: index + 1, "--") {
                    index = end(of: "-->", in: bytes, from: index + 3)
                } else if matches(bytes, at: index + 1, "[CDATA[") {
                    index = end(of: "]]>", in: bytes, from: index + 8)
                } else {
                    index = endOfTag(bytes, from: index + 1, limit: nil).end
                }
            case UInt8(ascii: "?"):
                index = end(of: "?>", in: bytes, from: index + 1)
            case UInt8(ascii: "/"):
                index += 1  // an end tag holds no `<` and no quotes
            default:
                let (end, crowded) = endOfTag(bytes, from: index, limit: limit)
                if crowded {
                    var nameEnd = index
                    while nameEnd < count, nameEnd - index < 100, !isNameEnd(bytes[nameEnd]) { nameEnd += 1 }
                    let name = String(decoding: bytes[index..<nameEnd], as: UTF8.self)
                    return CrowdedTag(offset: open, name: name)
                }
                index = end
            }
        }
        return nil
    }

    /// The offset after the `>` that ends the tag starting at `start` (outside quoted values), and
    /// whether the tag has more than `limit` `=` outside quotes (stopping as soon as it has).
    private static func endOfTag(_ bytes: UnsafeRawBufferPointer, from start: Int, limit: Int?) -> (
        end: Int, crowded: Bool
    ) {
        var index = start
        var quote: UInt8 = 0
        var equals = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return (index, false)
            } else if byte == UInt8(ascii: "="), let limit {
                equals += 1
                if equals > limit { return (index, true) }
            }
        }
        return (index, false)
    }

    /// The offset after the first `terminator` at or after `start`, or the end of the buffer.
    private static func end(of terminator: StaticString, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let first = Int32(terminator.utf8Start.pointee)
        var index = start
        while index < bytes.count {
            guard let found = memchr(base + index, first, bytes.count - index) else { return bytes.count }
            let at = UnsafeRawPointer(found) - base
            if matches(bytes, at: at, terminator) { return at + terminator.utf8CodeUnitCount }
            index = at + 1
        }
        return bytes.count
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard offset >= 0, bytes.count - offset >= length else { return false }
        for position in 0..<length where bytes[offset + position] != text.utf8Start[position] { return false }
        return true
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: ">")
    }
}
