import Inventory

/// What the command line decides about a plan (DESIGN, "The CLI contract").
public struct PlannerOptions: Sendable, Hashable {
    /// Migrate flows created after the window too.
    public var includeNewFlows = false
    /// Overrides the migration's `legacyBefore`.
    public var legacyBefore: Instant?
    /// Roles to change; the others are listed `unchanged`. Never shrinks the flows that pin a trust policy.
    public var selection = RoleSelection()
    /// Accepted findings.
    public var suppressions: [Suppression] = []
    /// The day suppressions expire against (`--timestamp`'s day, or today).
    public var today: String = "9999-12-31"
    /// Stamps the plan (`generatedAt`); without it the plan holds no time.
    public var timestamp: Instant?
    public var skipTrust = false
    public var tightenUnconditioned = false
    public var trustPolicyMaxCharacters = 2_048
    /// `REGION` (every account) or `ACCOUNT:REGION`; `*` as the region covers a wildcard region.
    public var flowRegions: [String] = []
    /// `--iac-tag KEY[=VALUE]`: a role carrying such a tag (KEY alone: with any value) is managed
    /// by infrastructure as code (IAC_MANAGED). Only findings depend on it, never changes.
    public var iacTags: [String] = []
    /// `--bucket-owner ACCOUNT`: the account assumed to own the buckets of Storage and Retrieval
    /// nodes (the `aws:ResourceAccount` of their S3 grants); nil: each flow's own account.
    public var bucketOwner: String?

    public init() {}

    /// The options a plan was made with, as far as they shape its changes: the window, the
    /// selection and the settings (not suppressions, which only mark findings). Planning a role
    /// again on its live state with them gives the same change when nothing drifted.
    public init(plan: Plan) {
        legacyBefore = plan.legacyBefore
        selection.accounts = plan.selection.accounts
        selection.regions = plan.selection.regions
        selection.roles = plan.selection.roles
        selection.flows = plan.selection.flows
        selection.tags = plan.selection.tags
        selection.excluded = plan.selection.excluded
        includeNewFlows = plan.settings.includeNewFlows
        skipTrust = plan.settings.skipTrust
        tightenUnconditioned = plan.settings.tightenUnconditioned
        trustPolicyMaxCharacters = plan.settings.trustPolicyMaxCharacters
        flowRegions = plan.settings.flowRegions
        iacTags = plan.settings.iacTags
        bucketOwner = plan.settings.bucketOwner
    }
}

/// Which roles a plan changes (DESIGN, "Selection"): `--role` globs the role name
/// (case-insensitive) or matches its ARN; `--tag K=V`; `--flow ID` the roles that flow uses;
/// `--region` roles used by flows there; `--account`; `--exclude-role` globs.
public struct RoleSelection: Sendable, Hashable {
    public var accounts: [String] = []
    public var regions: [String] = []
    public var roles: [String] = []
    public var flows: [String] = []
    public var tags: [String] = []
    public var excluded: [String] = []

    public init() {}

    public var isEmpty: Bool {
        accounts.isEmpty && regions.isEmpty && roles.isEmpty && flows.isEmpty && tags.isEmpty && excluded.isEmpty
    }

    /// Whether ``selects(_:usedBy:)`` reads the flows (else any list, the empty one, will do).
    public var readsFlows: Bool { !flows.isEmpty || !regions.isEmpty }

    /// Whether `role`, used by `flows`, is selected.
    public func selects(_ role: Role, usedBy flows: [Flow]) -> Bool {
        if excluded.contains(where: { Glob.matches($0, role.name, caseInsensitive: true) || $0 == role.arn }) {
            return false
        }
        if !accounts.isEmpty && !accounts.contains(role.account) { return false }
        if !roles.isEmpty
            && !roles.contains(where: { Glob.matches($0, role.name, caseInsensitive: true) || $0 == role.arn })
        {
            return false
        }
        if !tags.isEmpty {
            let held = Set((role.tags ?? []).map { "\($0.key)=\($0.value)" })
            if !tags.contains(where: held.contains) { return false }
        }
        if !self.flows.isEmpty && !flows.contains(where: { self.flows.contains($0.id) || self.flows.contains($0.arn) })
        {
            return false
        }
        if !regions.isEmpty && !flows.contains(where: { regions.contains($0.region) }) { return false }
        return true
    }
}

/// An accepted finding (`--suppressions FILE`): stays in the plan, marked `suppressed`, until it expires.
public struct Suppression: Sendable, Hashable {
    public var code: String
    /// A glob over the finding's subject.
    public var subject: String
    public var reason: String
    public var owner: String
    /// `YYYY-MM-DD`; the suppression holds through that day.
    public var expires: String

    public init(code: String, subject: String, reason: String, owner: String, expires: String) {
        self.code = code
        self.subject = subject
        self.reason = reason
        self.owner = owner
        self.expires = expires
    }

    public func suppresses(_ finding: Finding, today: String) -> Bool {
        finding.code == code && Glob.matches(subject, finding.subject, caseInsensitive: false) && today <= expires
    }
}

/// `*` (any run) and `?` (one character) globs.
enum Glob {
    static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let pattern = Array(caseInsensitive ? pattern.lowercased() : pattern)
        let text = Array(caseInsensitive ? text.lowercased() : text)
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
