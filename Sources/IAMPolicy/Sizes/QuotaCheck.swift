/// A size measured against an IAM quota.
public struct QuotaCheck: Sendable, Hashable, CustomStringConvertible {
    /// Characters used, as IAM counts them.
    public var used: Int
    /// The quota.
    public var limit: Int

    public init(used: Int, limit: Int) {
        self.used = used
        self.limit = limit
    }

    public var isWithinLimit: Bool { used <= limit }
    /// Characters left (negative when over).
    public var remaining: Int { limit - used }

    public var description: String { "\(used) of \(limit) characters" }
}
