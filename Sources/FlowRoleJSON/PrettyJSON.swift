/// An indented JSON form for people (inventory `--json`, reports): keys sorted like the canonical
/// form, two-space indentation, a newline at the end. Same value, same bytes.
extension JSONValue {
    public var prettyText: String { String(decoding: prettyBytes, as: UTF8.self) }

    /// The indented form as UTF-8 bytes, newline-terminated.
    public var prettyBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        writePretty(into: &bytes, indent: 0)
        bytes.append(0x0A)
        return bytes
    }

    private func writePretty(into bytes: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            for _ in 0..<(level * 2) { bytes.append(UInt8(ascii: " ")) }
        }
        switch self {
        case .array(let items) where !items.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.writePretty(into: &bytes, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONValue.writeString(member.key, into: &bytes)
                bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                member.value.writePretty(into: &bytes, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            writeCanonical(into: &bytes)
        }
    }
}
