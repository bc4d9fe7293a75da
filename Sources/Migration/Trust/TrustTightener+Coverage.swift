import Inventory

extension TrustTightener {
    /// Which regions of which accounts the flow inputs cover (DESIGN, "Never lock out a flow the
    /// tool has not seen"): a region of an account is covered when the inputs hold a flow there,
    /// a manifest says it was exported `ok`, or `--flow-regions` declares it. `*` (every region)
    /// is recorded only from a manifest or the flag: flows never prove that a whole account was
    /// seen, so a `*` entry whose basis is `flows` is ignored.
    ///
    /// A trust pattern with a `*` account is never covered by this type alone: see
    /// ``TrustTightener`` for the only case it is (a `StringEquals aws:SourceAccount` in the same
    /// statement naming accounts that are each covered).
    public struct Coverage: Sendable, Hashable {
        /// `partition|account` → regions covered (`*` = every region).
        var regions: [String: Set<String>] = [:]

        /// Nothing covered.
        public init() {}

        /// Whether `region` of `account` is covered. `region` may be `*` (a wildcard region in a
        /// trust policy), which only a `*` entry covers; a literal region is covered by itself or by `*`.
        public func covers(partition: String, account: String, region: String) -> Bool {
            guard let known = regions[Self.key(partition, account)] else { return false }
            return known.contains("*") || (region != "*" && known.contains(region))
        }

        static func key(_ partition: String, _ account: String) -> String { partition + "|" + account }
    }
}

// In an extension of the nested type written at file scope, `Coverage` is the inventory's
// `Coverage` (partition, account, region, basis), not `TrustTightener.Coverage`.
extension TrustTightener.Coverage {
    /// The inventory's coverage (flows and manifests) plus, from the planner, the `--flow-regions`
    /// declarations (basis `flag`; region `*` covers a wildcard region).
    public init(_ entries: [Coverage]) {
        self.init()
        for entry in entries {
            add(partition: entry.partition, account: entry.account, region: entry.region, by: entry.by)
        }
    }

    /// Records one covered account and region (`*` only from a manifest or the flag).
    public mutating func add(partition: String, account: String, region: String, by basis: Coverage.Basis) {
        if region == "*", basis == .flows { return }
        regions[Self.key(partition, account), default: []].insert(region)
    }

    /// A copy with one more covered account and region.
    public func adding(partition: String, account: String, region: String, by basis: Coverage.Basis)
        -> TrustTightener.Coverage
    {
        var copy = self
        copy.add(partition: partition, account: account, region: region, by: basis)
        return copy
    }
}
