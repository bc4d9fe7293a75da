import FlowRoleJSON
import IAMPolicy
import Inventory
import Synchronization

/// The single hand-off artefact: what will change, why, and what was left alone (DESIGN,
/// "plan.json (schema flowrole.plan/v1)"). Plain values; `json` gives the schema's shape.
public struct Plan: Sendable, Hashable {
    public static let schema = "flowrole.plan/v1"

    public var migrationID: String
    public var legacyBefore: Instant
    public var inputs: [PlanInput]
    public var selection: Selection
    public var coverage: [Coverage]
    public var roles: [RolePlan] { didSet { summaryCache = SummaryCache() } }
    /// Plan-level findings (ROLE_NOT_IN_INPUTS, SCP_NOT_EVALUATED, …).
    public var findings: [Finding] { didSet { summaryCache = SummaryCache() } }
    /// Present only when `--timestamp` stamps the plan.
    public var generatedAt: Instant?
    /// The planner options that shape the changes besides the window and the selection, so that a
    /// live apply can plan a role again on its live state exactly as it was planned.
    public var settings = Settings()

    /// `--include-new-flows`, `--skip-trust`, `--tighten-unconditioned`, `--trust-policy-max-chars`,
    /// `--flow-regions`, `--iac-tag` and `--bucket-owner`, as the plan was made with them.
    public struct Settings: Sendable, Hashable {
        public var includeNewFlows = false
        public var skipTrust = false
        public var tightenUnconditioned = false
        public var trustPolicyMaxCharacters = 2_048
        public var flowRegions: [String] = []
        /// `--iac-tag KEY[=VALUE]`: tags that mark a role as owned by infrastructure as code.
        public var iacTags: [String] = []
        /// `--bucket-owner ACCOUNT`: the account assumed to own the S3 buckets of Storage and
        /// Retrieval nodes; nil means each flow's own account.
        public var bucketOwner: String?

        public init() {}
    }

    public struct Summary: Sendable, Hashable {
        public var roles = 0
        public var rolesToChange = 0
        public var rolesBlocked = 0
        public var flows = 0
        public var legacyFlows = 0
        public var grantsAdded = 0
        public var trustPoliciesTightened = 0
        public var blockers = 0
        public var warnings = 0
    }

    /// The summary once counted, shared by copies of this plan until one changes its roles or
    /// findings (which gives it a fresh, empty cache). plan.json, every report and the command's
    /// last line read the summary: counted once, not once for each.
    var summaryCache = SummaryCache()

    /// Counts over the plan; suppressed findings do not count.
    public var summary: Summary { summaryCache.value { countSummary() } }

    /// The counts of `summary` in plan.json, computed in one pass over the roles (read in place:
    /// copying 10,000 role plans per count cost more than counting).
    func countSummary() -> Summary {
        /// What one role adds to the counts; counted for every role at once, on every core.
        struct RoleCounts {
            var toChange = 0, blocked = 0, trustTightened = 0, grantsAdded = 0, blockers = 0, warnings = 0

            mutating func count(_ finding: Finding) {
                guard !finding.suppressed else { return }
                if finding.severity == .blocker { blockers += 1 }
                if finding.severity == .warning { warnings += 1 }
            }
        }
        let perRole = roles.concurrentMap(minimumChunk: 256) { role -> RoleCounts in
            var counts = RoleCounts()
            switch role.status {
            case .change: counts.toChange = 1
            case .blocked: counts.blocked = 1
            case .unchanged: break
            }
            if role.changes.contains(where: { $0.kind == .updateAssumeRolePolicy }) { counts.trustTightened = 1 }
            // Findings of roles outside the selection are listed but do not count: they are not planned.
            guard role.selected else { return counts }
            // Distinct (action, resource) pairs added per role; several flows or versions needing
            // one grant count once.
            counts.grantsAdded = role.grantCount(.add)
            for finding in role.findings { counts.count(finding) }
            return counts
        }
        var total = RoleCounts()
        for finding in findings { total.count(finding) }
        for counts in perRole {
            total.toChange += counts.toChange
            total.blocked += counts.blocked
            total.trustTightened += counts.trustTightened
            total.grantsAdded += counts.grantsAdded
            total.blockers += counts.blockers
            total.warnings += counts.warnings
        }
        // A flow counts once, with its legacy mark as the first role to list it has it.
        var flows: [String: Bool] = [:]
        for index in roles.indices {
            for flow in roles[index].flows where flows[flow.arn] == nil { flows[flow.arn] = flow.legacy }
        }
        var summary = Summary()
        summary.roles = roles.count
        summary.rolesToChange = total.toChange
        summary.rolesBlocked = total.blocked
        summary.trustPoliciesTightened = total.trustTightened
        summary.grantsAdded = total.grantsAdded
        summary.blockers = total.blockers
        summary.warnings = total.warnings
        summary.flows = flows.count
        summary.legacyFlows = flows.values.filter { $0 }.count
        return summary
    }
}

/// Where a plan keeps its summary once counted. Not part of the plan's value: any two caches are
/// equal, so plans compare and hash on what they hold. Read from several threads at once (the
/// reports are written concurrently), so the slot is behind a lock.
final class SummaryCache: Sendable, Hashable {
    private let slot = Mutex<Plan.Summary?>(nil)

    /// The cached summary, or `count()`'s, kept.
    func value(_ count: () -> Plan.Summary) -> Plan.Summary {
        if let cached = slot.withLock({ $0 }) { return cached }
        let counted = count()
        slot.withLock { $0 = counted }
        return counted
    }

    static func == (lhs: SummaryCache, rhs: SummaryCache) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// One input file, with the SHA-256 of its bytes.
public struct PlanInput: Sendable, Hashable {
    public var path: String
    public var sha256: String
    public var kind: String

    public init(path: String, sha256: String, kind: String) {
        self.path = path
        self.sha256 = sha256
        self.kind = kind
    }
}

/// What the command line selected (DESIGN, "Selection").
public struct Selection: Sendable, Hashable {
    public var accounts: [String] = []
    public var regions: [String] = []
    public var roles: [String] = []
    public var flows: [String] = []
    public var tags: [String] = []
    public var excluded: [String] = []

    public init() {}
}

/// Everything the plan says about one role.
public struct RolePlan: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case change, unchanged, blocked
    }

    public var arn: String
    public var name: String
    public var account: String
    public var source: Provenance?
    /// SHA-256 of the canonical JSON of everything the decision read for this role.
    public var basis: String
    public var status: Status
    /// Whether the command line's selection chose this role (roles outside it are listed, unchanged).
    public var selected: Bool
    public var flows: [RoleFlow]
    public var requirements: [PlannedRequirement]
    public var changes: [Change]
    public var findings: [Finding]
    /// What flows created after the window (not migrated) need and the role does not grant —
    /// each also reported as NEW_FLOW_MISSING_GRANT; sorted like `requirements`.
    public var notMigrated: [Requirement] = []
}

/// A flow that uses a role (DRAFT or some version).
public struct RoleFlow: Sendable, Hashable {
    public var arn: String
    public var createdAt: Instant
    public var legacy: Bool
    /// Versions that run as this role, DRAFT first then numerically.
    public var versions: [String]
}

/// One API call the plan makes.
public struct Change: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case putRolePolicy, updateAssumeRolePolicy
    }

    public var kind: Kind
    public var policyName: String?
    public var before: JSONValue?
    public var after: JSONValue

    public init(kind: Kind, policyName: String?, before: JSONValue?, after: JSONValue) {
        self.kind = kind
        self.policyName = policyName
        self.before = before
        self.after = after
    }
}

extension Change {
    /// The flow ARNs a trust change pins: the `…:flow/…` values in the document after and not
    /// before, with a trailing `/*` (versions and aliases) dropped; sorted.
    ///
    /// The values that name a flow are picked first, and only those are looked for among the values
    /// before, one by one while they are few: hashing every value of both documents into sets was
    /// a fifth of what report.html spent on the changes. The test keeps the set version as the
    /// reference.
    public var pinnedFlows: [String] {
        let named = after.allStrings.filter(Self.namesFlow)
        guard !named.isEmpty else { return [] }
        let old = before?.allStrings ?? []
        let oldSet = old.count * named.count > 256 ? Set(old) : nil
        var flows = Set<String>()
        for value in named where !(oldSet?.contains(value) ?? old.contains(value)) {
            flows.insert(value.hasSuffix("/*") ? String(value.dropLast(2)) : value)
        }
        return flows.sorted()
    }

    /// Whether `value` contains `:flow/`: ASCII text byte by byte; other text as Swift compares
    /// strings (by characters: a combining mark after the `/` makes another character).
    ///
    /// The ASCII search is a loop over the bytes rather than the standard library's
    /// `firstRange(of:)`: that one is generic code in `_StringProcessing`, not specialised for
    /// UTF-8 views, and looked up its metadata on every call — 0.36 CPU-s of the 10,000-role
    /// bench run, against a few milliseconds for the loop. Contiguous text (all of it, in
    /// practice) is checked for ASCII and searched in one pass; the loop over colons is the
    /// general way.
    static func namesFlow(_ value: String) -> Bool {
        // Contiguous ASCII text in one pass over its bytes; nil for other text.
        let searched: Bool?? = value.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            var found = false
            for index in bytes.indices {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if !found && byte == UInt8(ascii: ":") && index + 6 <= bytes.count
                    && bytes[index + 1] == UInt8(ascii: "f")
                    && bytes[index + 2] == UInt8(ascii: "l") && bytes[index + 3] == UInt8(ascii: "o")
                    && bytes[index + 4] == UInt8(ascii: "w") && bytes[index + 5] == UInt8(ascii: "/")
                {
                    found = true
                }
            }
            return found
        }
        if let searched, let found = searched { return found }
        let bytes = value.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return value.contains(":flow/") }
        var start = bytes.startIndex
        while let colon = bytes[start...].firstIndex(of: UInt8(ascii: ":")) {
            if bytes[colon...].starts(with: ":flow/".utf8) { return true }
            start = bytes.index(after: colon)
        }
        return false
    }
}

extension RolePlan {
    /// `grants(state).count`: a requirement in `state` counts when no earlier one in `state` has
    /// its action and resource. A role has few requirements, so they are compared pairwise in
    /// place (past 32, hashed into the set): copying each out, or building the set, cost more —
    /// the summary and report.html count every role.
    public func grantCount(_ state: PlannedRequirement.State) -> Int {
        requirements.withUnsafeBufferPointer { requirements in
            guard requirements.count <= 32 else { return grants(state).count }
            var count = 0
            for index in requirements.indices where requirements[index].state == state {
                var earlier = false
                for prior in 0..<index
                where requirements[prior].state == state
                    && requirements[prior].requirement.action == requirements[index].requirement.action
                    && requirements[prior].requirement.resource == requirements[index].requirement.resource
                {
                    earlier = true
                    break
                }
                if !earlier { count += 1 }
            }
            return count
        }
    }

    public func grants(_ state: PlannedRequirement.State) -> Set<Grant> {
        Set(
            requirements.filter { $0.state == state }.map {
                Grant(action: $0.requirement.action, resource: $0.requirement.resource)
            })
    }
}
