import IAMPolicy

/// The six fields of an ARN, as slices of its text, for resolvers that only check them: what
/// ``ARN/init(parsing:)`` accepts and splits, without building its six strings and array (most
/// of a node's resolution). Only printable ASCII text is read this way, where bytes, unicode
/// scalars and characters are one and the same and every comparison of the general path is a
/// comparison of bytes; anything else is left to ``ARN/init(parsing:)`` (`read` answers nil).
struct ARNFields {
    var partition: Substring
    var service: Substring
    var region: Substring
    var account: Substring
    /// Everything after the fifth `:`.
    var resource: Substring

    /// nil when `text` is not printable ASCII, or not stored contiguously (the caller parses it
    /// as before); `.some(nil)`
    /// when ``ARN/init(parsing:)`` would throw; otherwise the fields it would hold.
    static func read(_ text: String) -> ARNFields?? {
        // The first five colons' offsets, scanned in the contiguous bytes (text that is not
        // stored so is left to the parser too).
        typealias Colons = (count: Int, offsets: (Int, Int, Int, Int, Int))
        let scanned: Colons?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Colons? in
            var colons: Colons = (0, (0, 0, 0, 0, 0))
            for offset in bytes.indices {
                let byte = bytes[offset]
                guard byte >= 0x20 && byte <= 0x7E else { return nil }
                guard byte == UInt8(ascii: ":") else { continue }
                switch colons.count {
                case 0: colons.offsets.0 = offset
                case 1: colons.offsets.1 = offset
                case 2: colons.offsets.2 = offset
                case 3: colons.offsets.3 = offset
                case 4: colons.offsets.4 = offset
                default: break
                }
                colons.count += 1
            }
            return colons
        }
        guard let found = scanned, let colonOffsets = found else { return nil }
        guard colonOffsets.count >= 5 else { return .some(nil) }
        let bytes = text.utf8
        let (first, second, third, fourth, fifth) = colonOffsets.offsets
        func at(_ offset: Int) -> String.Index { bytes.index(bytes.startIndex, offsetBy: offset) }
        guard text[..<at(first)].utf8.elementsEqual("arn".utf8) else { return .some(nil) }
        let fields = ARNFields(
            partition: text[at(first + 1)..<at(second)], service: text[at(second + 1)..<at(third)],
            region: text[at(third + 1)..<at(fourth)], account: text[at(fourth + 1)..<at(fifth)],
            resource: text[at(fifth + 1)...])
        guard Partition.known.contains(where: { $0.rawValue.utf8.elementsEqual(fields.partition.utf8) }),
            !fields.service.isEmpty, fields.service.utf8.allSatisfy(isServiceByte),
            fields.region.utf8.allSatisfy(isServiceByte),
            fields.account.isEmpty || fields.account.utf8.elementsEqual("aws".utf8) || fields.hasAccountID,
            !fields.resource.isEmpty
        else { return .some(nil) }
        return fields
    }

    /// Whether the account is a 12-digit account id (``ARN/isAccountID(_:)``).
    var hasAccountID: Bool {
        account.utf8.count == 12 && account.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// ``ARN``'s service and region bytes: a lower-case ASCII letter, a digit or `-`.
    private static func isServiceByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
}
