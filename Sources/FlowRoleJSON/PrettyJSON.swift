import Dispatch

/// An indented JSON form for people (inventory `--json`, reports): keys sorted like the canonical
/// form, two-space indentation, a newline at the end. Same value, same bytes.
extension JSONValue {
    public var prettyText: String { String(decoding: prettyBytes, as: UTF8.self) }

    /// The indented form as UTF-8 bytes, newline-terminated.
    public var prettyBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        writePretty(into: &bytes, indent: 0, parallel: true)
        bytes.append(0x0A)
        return bytes
    }

    /// The indented form of this value as it stands nested `level` deep in a larger indented
    /// document (its inner lines indented accordingly), with no newline at the end.
    public func prettyBytes(atLevel level: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        writePretty(into: &bytes, indent: level, parallel: false)
        return bytes
    }

    /// Appends `prettyBytes(atLevel: level)`: for writers that indent their own members around
    /// values (plan.json's roles), without a buffer per value.
    public func writePretty(into bytes: inout [UInt8], atLevel level: Int) {
        writePretty(into: &bytes, indent: level, parallel: false)
    }

    /// Appends the line break before a member or item at `level` of an indented document: a
    /// newline and 2 × `level` spaces, as the indented form has them.
    public static func writeNewline(atLevel level: Int, into bytes: inout [UInt8]) {
        newline(level, into: &bytes)
    }

    /// Items of an array from which it is written in pieces on every core (a plan's roles).
    static let parallelItems = 256

    /// A newline followed by 2 × `level` spaces.
    private static func newline(_ level: Int, into bytes: inout [UInt8]) {
        let spaces: StaticString = "\n                                                                "
        let available = spaces.utf8CodeUnitCount - 1
        var remaining = level * 2
        bytes.append(contentsOf: UnsafeBufferPointer(start: spaces.utf8Start, count: 1 + min(remaining, available)))
        remaining -= min(remaining, available)
        while remaining > 0 {
            let run = min(remaining, available)
            bytes.append(contentsOf: UnsafeBufferPointer(start: spaces.utf8Start + 1, count: run))
            remaining -= run
        }
    }

    /// Appends the indented form; the first long array met with `parallel` set is written in
    /// pieces on every core and joined in order.
    private func writePretty(into bytes: inout [UInt8], indent: Int, parallel: Bool) {
        switch self {
        case .array(let items) where !items.isEmpty:
            bytes.append(UInt8(ascii: "["))
            if parallel && items.count >= JSONValue.parallelItems {
                let pieces = JSONValue.prettyPieces(items, indent: indent + 1)
                bytes.reserveCapacity(bytes.count + pieces.reduce(0) { $0 + $1.count } + 2 * indent + 2)
                for piece in pieces { bytes.append(contentsOf: piece) }
            } else {
                JSONValue.writePrettyItems(items[...], into: &bytes, indent: indent + 1, parallel: parallel)
            }
            JSONValue.newline(indent, into: &bytes)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            JSONValue.forEachSorted(members) { index, member in
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.newline(indent + 1, into: &bytes)
                JSONValue.writeString(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(UInt8(ascii: " "))
                member.value.writePretty(into: &bytes, indent: indent + 1, parallel: parallel)
            }
            JSONValue.newline(indent, into: &bytes)
            bytes.append(UInt8(ascii: "}"))
        default:
            writeCanonical(into: &bytes)
        }
    }

    /// The items of an array, each on its own line at `indent`, separated by commas.
    private static func writePrettyItems(
        _ items: ArraySlice<JSONValue>, into bytes: inout [UInt8], indent: Int, parallel: Bool
    ) {
        items.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent, into: &bytes)
                buffer[index].writePretty(into: &bytes, indent: indent, parallel: parallel)
            }
        }
    }

    /// `writePrettyItems` of a long array, in pieces written concurrently; joined in order they
    /// are the same bytes (the comma between two pieces starts the second).
    private static func prettyPieces(_ items: [JSONValue], indent: Int) -> [[UInt8]] {
        let perPiece = max(16, items.count / 256)
        let count = (items.count + perPiece - 1) / perPiece
        var pieces = [[UInt8]](repeating: [], count: count)
        pieces.withUnsafeMutableBufferPointer { buffer in
            let slots = PieceSlots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: count) { piece in
                let range = (piece * perPiece)..<min(items.count, (piece + 1) * perPiece)
                var bytes: [UInt8] = []
                bytes.reserveCapacity(1 << 14)
                if piece > 0 { bytes.append(UInt8(ascii: ",")) }
                writePrettyItems(items[range], into: &bytes, indent: indent, parallel: false)
                slots.buffer[piece] = bytes
            }
        }
        return pieces
    }
}

/// Where the concurrent pieces of a pretty array are left: each piece writes only its own slot,
/// and the array behind the slots outlives the work (`concurrentPerform` returns when all is done).
private struct PieceSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<[UInt8]>
}
