/// What a parse keeps. The readers decode only what the planner needs (DESIGN, "The pipeline"):
/// inside a flow `definition`, prompt texts, inline code, connections and the like are large and
/// unused, so they are validated byte by byte — a file truncated or malformed inside them is still
/// an error — but never turned into values.
public struct JSONParseOptions: Sendable, Hashable {
    /// The key under which skipping applies (its whole value, at any depth), e.g. `definition`.
    public var skipInside: String?
    /// Keys whose values are validated and dropped when inside `skipInside`.
    public var skippedKeys: Set<String> {
        didSet { skippedByLength = Self.byLength(skippedKeys) }
    }
    /// The skipped keys by their UTF-8 length when all are ASCII and no two share a length (nil
    /// otherwise): a key is then looked up with one byte comparison instead of a hash.
    private var skippedByLength: [String?]?
    /// Split a large array near the top of a document across two threads (checked speculation:
    /// the second half is only used when the first half's parse lands exactly where it began).
    public var parallel: Bool
    /// Arrays smaller than this many remaining bytes are never split.
    public var parallelThreshold: Int
    /// The bytes are a private, read-only mapping of a file: pages the parse of a large array has
    /// passed are given back to the kernel as it goes (reading them again reads the file again).
    /// Never set for memory that is not such a mapping: released pages of other memory read as zero.
    public var releasesPassedPages = false

    public init(
        skipInside: String? = nil,
        skippedKeys: Set<String> = [],
        parallel: Bool = false,
        parallelThreshold: Int = 4 << 20
    ) {
        self.skipInside = skipInside
        self.skippedKeys = skippedKeys
        self.skippedByLength = Self.byLength(skippedKeys)
        self.parallel = parallel
        self.parallelThreshold = parallelThreshold
    }

    /// Whether `key` is one of `skippedKeys`, as `Set.contains` says (canonical equivalence).
    /// An ASCII key equals an ASCII skipped key only byte for byte, and one of another length
    /// never; other keys (a non-ASCII key may equal an ASCII one: KELVIN SIGN is K) ask the set.
    /// Flow definitions hold millions of keys; hashing each was 0.05 CPU-s of the bench plan.
    @inline(__always)
    public func isSkipped(_ key: String) -> Bool {
        guard let table = skippedByLength else { return skippedKeys.contains(key) }
        let bytes = key.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return skippedKeys.contains(key) }
        guard bytes.count < table.count, let candidate = table[bytes.count] else { return false }
        return candidate.hasSameUTF8(as: key)
    }

    private static func byLength(_ keys: Set<String>) -> [String?]? {
        guard keys.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        var table = [String?](repeating: nil, count: (keys.map(\.utf8.count).max() ?? 0) + 1)
        for key in keys {
            guard table[key.utf8.count] == nil else { return nil }
            table[key.utf8.count] = key
        }
        return table
    }

    /// Keep every value; no threads.
    public static let everything = JSONParseOptions()

    /// Nesting deeper than this is an error, not a stack overflow. AWS outputs nest fewer than 40
    /// levels (a flow definition with Loop nodes is the deepest).
    public static let maximumDepth = 512
}
