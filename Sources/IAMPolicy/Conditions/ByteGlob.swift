/// A glob pattern without policy variables, read once into UTF-8 bytes and matched on the bytes
/// of a string in place: the condition operators' fast path. The answers are exactly those
/// of `PatternText.matches` on the same pieces: a literal scalar is
/// its UTF-8 bytes, `?` takes one whole scalar and backtracking after `*` moves one whole scalar,
/// so every position the matcher decides at is a scalar boundary.
struct ByteGlob: Sendable, Hashable {
    /// A token below 256 is a literal byte.
    static let anyRun: UInt16 = 0x100
    static let anyOne: UInt16 = 0x101

    private(set) var tokens: [UInt16]
    /// Whether every token is a literal byte: then matching is byte equality.
    private(set) var isLiteral: Bool

    /// `text` (UTF-8) read as `PatternText.pieces(_, wildcards: true, variables: false)` reads it:
    /// `*` and `?` wildcards, every other scalar literal.
    init(_ text: some Sequence<UInt8>) {
        var isLiteral = true
        tokens = text.map { byte in
            switch byte {
            case UInt8(ascii: "*"):
                isLiteral = false
                return Self.anyRun
            case UInt8(ascii: "?"):
                isLiteral = false
                return Self.anyOne
            default:
                return UInt16(byte)
            }
        }
        self.isLiteral = isLiteral
    }

    /// Whether the pattern matches the whole of `subject[start..<end]`; `start` and `end` must be
    /// scalar boundaries.
    func matches(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        tokens.withUnsafeBufferPointer { pattern in
            if isLiteral {
                guard pattern.count == end - start else { return false }
                var index = pattern.count
                // Backwards: ARNs compared here mostly differ in their last characters.
                while index > 0 {
                    index -= 1
                    if pattern[index] != UInt16(subject[start + index]) { return false }
                }
                return true
            }
            return Self.glob(pattern, subject, start, end)
        }
    }

    /// Whether the tokens in `range` alone, read as a pattern of their own, match the whole of
    /// `subject[start..<end]` (one component of an ARN pattern); `start` and `end` must be
    /// scalar boundaries.
    func matches(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, tokens range: Range<Int>)
        -> Bool
    {
        tokens.withUnsafeBufferPointer { all in
            Self.glob(UnsafeBufferPointer(rebasing: all[range]), subject, start, end)
        }
    }

    /// `PatternText.matches` on bytes: `*` remembers where it stood and, on a mismatch, takes one
    /// more scalar.
    private static func glob(
        _ pattern: UnsafeBufferPointer<UInt16>, _ subject: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int
    ) -> Bool {
        var token = 0
        var position = start
        var starToken = -1
        var starPosition = start
        while position < end {
            if token < pattern.count {
                let current = pattern[token]
                if current < 0x100 {
                    if current == UInt16(subject[position]) {
                        token += 1
                        position += 1
                        continue
                    }
                } else if current == anyOne {
                    token += 1
                    position = nextScalar(subject, after: position, end: end)
                    continue
                } else {
                    // A final `*` takes whatever is left.
                    if token == pattern.count - 1 { return true }
                    starToken = token
                    starPosition = position
                    token += 1
                    continue
                }
            }
            guard starToken >= 0 else { return false }
            token = starToken + 1
            starPosition = nextScalar(subject, after: starPosition, end: end)
            position = starPosition
        }
        while token < pattern.count {
            guard pattern[token] == anyRun else { return false }
            token += 1
        }
        return true
    }

    /// The start of the scalar after the one at `position` (a scalar boundary).
    private static func nextScalar(_ subject: UnsafeBufferPointer<UInt8>, after position: Int, end: Int) -> Int {
        var next = position + 1
        while next < end, subject[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
