/// What a parse keeps. The readers decode only what the planner needs (DESIGN, "The pipeline"):
/// inside a flow `definition`, prompt texts, inline code, connections and the like are large and
/// unused, so they are validated byte by byte — a file truncated or malformed inside them is still
/// an error — but never turned into values.
public struct JSONParseOptions: Sendable, Hashable {
    /// The key under which skipping applies (its whole value, at any depth), e.g. `definition`.
    public var skipInside: String?
    /// Keys whose values are validated and dropped when inside `skipInside`.
    public var skippedKeys: Set<String>
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
        self.parallel = parallel
        self.parallelThreshold = parallelThreshold
    }

    /// Keep every value; no threads.
    public static let everything = JSONParseOptions()

    /// Nesting deeper than this is an error, not a stack overflow. AWS outputs nest fewer than 40
    /// levels (a flow definition with Loop nodes is the deepest).
    public static let maximumDepth = 512
}
