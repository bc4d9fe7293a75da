/// Everything the inputs say, merged and with provenance: the hand-off from the readers to the
/// planner. Lists are sorted by ARN; nothing in it depends on the order the inputs were given in.
public struct Inventory: Sendable, Hashable {
    public var inputs: [InputFile]
    public var roles: [Role]
    public var managedPolicies: [ManagedPolicy]
    public var flows: [Flow]
    /// Accounts and regions that manifests record, with their outcome.
    public var manifestEntries: [ManifestEntry]
    public var problems: [InventoryProblem]
    /// CloudFormation stack resources and Terraform state resources that own IAM roles, sorted.
    public var iacOwners: [IaCOwner]
    /// Inference profile ARN → the model ARNs it routes to (sorted), from `aws bedrock
    /// get-inference-profile` and `list-inference-profiles` outputs: what the `modelId` resolver
    /// grants beside a profile (`ResolverContext.inferenceProfiles`).
    public var inferenceProfiles: [String: [String]]
    /// Lambda function policies from `aws lambda get-policy` outputs, one per function ARN
    /// (qualified or not), sorted by it: what `ObsoleteServicePrincipalGrants` reads.
    public var lambdaPolicies: [LambdaResourcePolicy]

    public init(
        inputs: [InputFile] = [], roles: [Role] = [], managedPolicies: [ManagedPolicy] = [], flows: [Flow] = [],
        manifestEntries: [ManifestEntry] = [], problems: [InventoryProblem] = [], iacOwners: [IaCOwner] = [],
        inferenceProfiles: [String: [String]] = [:], lambdaPolicies: [LambdaResourcePolicy] = []
    ) {
        self.inputs = inputs
        self.roles = roles
        self.managedPolicies = managedPolicies
        self.flows = flows
        self.manifestEntries = manifestEntries
        self.problems = problems
        self.iacOwners = iacOwners
        self.inferenceProfiles = inferenceProfiles
        self.lambdaPolicies = lambdaPolicies
    }

    /// Accounts seen anywhere (roles, policies, flows, manifests), sorted.
    public var accounts: [String] {
        var all = Set(roles.map(\.account))
        all.formUnion(flows.map(\.account))
        all.formUnion(manifestEntries.map(\.account))
        all.formUnion(
            managedPolicies.compactMap { policy in
                let account = policy.arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first
                return account.map(String.init).flatMap { $0 == "aws" || $0.isEmpty ? nil : $0 }
            })
        return all.sorted()
    }

    /// Account and region pairs whose flows the inputs cover, and how (DESIGN, "Never lock out a
    /// flow the tool has not seen"): at least one flow there, or a manifest that records an `ok`
    /// export. Command-line declarations (`--flow-regions`) are the planner's to add.
    public var coverage: [Coverage] {
        var entries = Set<Coverage>()
        for flow in flows {
            entries.insert(Coverage(partition: flow.partition, account: flow.account, region: flow.region, by: .flows))
        }
        for entry in manifestEntries where entry.isOK {
            entries.insert(
                Coverage(partition: entry.partition, account: entry.account, region: entry.region, by: .manifest))
        }
        return entries.sorted()
    }

    /// Regions with flows or manifest entries, sorted.
    public var regions: [String] {
        Array(Set(coverage.map(\.region))).sorted()
    }

    /// The role a flow (or version) runs as: same partition and account (an empty account in the
    /// ARN means the flow's own), role name compared case-insensitively (DESIGN). For many lookups,
    /// build a `RoleLookup` once instead.
    public func role(forExecutionRoleArn arn: String, flowPartition: String, flowAccount: String) -> Role? {
        RoleLookup(roles: roles).role(forExecutionRoleArn: arn, flowPartition: flowPartition, flowAccount: flowAccount)
    }

    /// The managed policy with this ARN, if the inputs hold it.
    public func managedPolicy(arn: String) -> ManagedPolicy? {
        managedPolicies.first { $0.arn == arn }
    }
}

/// Roles by partition, account and lower-cased name: the join between flows and roles. The
/// tables hold positions in `roles`, not copies of roles (a role is a large value to copy).
public struct RoleLookup: Sendable {
    public let roles: [Role]
    private var index: [String: Int] = [:]
    private var byArn: [String: Int] = [:]

    public init(roles: [Role]) {
        self.roles = roles
        index.reserveCapacity(roles.count)
        byArn.reserveCapacity(roles.count)
        // By index: copying each role out of the array retained and released all its fields.
        for position in roles.indices {
            index[Self.key(roles[position].partition, roles[position].account, roles[position].nameKey)] = position
            byArn[roles[position].arn] = position
        }
    }

    static func key(_ partition: String, _ account: String, _ nameKey: String) -> String {
        partition + "|" + account + "|" + nameKey
    }

    /// The role `executionRoleArn` names, resolved against the flow's partition and account.
    /// Most flows name their role exactly as IAM does, which needs no parsing.
    public func role(forExecutionRoleArn arn: String, flowPartition: String, flowAccount: String) -> Role? {
        position(forExecutionRoleArn: arn, flowPartition: flowPartition, flowAccount: flowAccount).map { roles[$0] }
    }

    /// Where in `roles` the role `role(forExecutionRoleArn:…)` returns is: for callers that read
    /// a field or two of it, without copying the whole role out of the array.
    public func position(forExecutionRoleArn arn: String, flowPartition: String, flowAccount: String) -> Int? {
        if let exact = byArn[arn] { return exact }
        guard
            let reference = RoleReference(executionRoleArn: arn, flowPartition: flowPartition, flowAccount: flowAccount)
        else { return nil }
        return index[Self.key(reference.partition, reference.account, reference.nameKey)]
    }
}

/// A role named by a flow's `executionRoleArn`, resolved against the flow's partition and account.
public struct RoleReference: Sendable, Hashable {
    public var partition: String
    public var account: String
    public var path: String
    public var name: String
    public var nameKey: String { name.lowercased() }

    /// Parses `arn:PARTITION:iam::ACCOUNT?:role/PATH/NAME`; nil when it is not a role ARN.
    public init?(executionRoleArn arn: String, flowPartition: String, flowAccount: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/") else { return nil }
        let resource = parts[5].dropFirst("role/".count)
        guard let slash = resource.lastIndex(of: "/") else {
            path = "/"
            name = String(resource)
            partition = parts[1].isEmpty ? flowPartition : String(parts[1])
            account = parts[4].isEmpty ? flowAccount : String(parts[4])
            guard !name.isEmpty else { return nil }
            return
        }
        path = "/" + resource[..<slash] + "/"
        name = String(resource[resource.index(after: slash)...])
        partition = parts[1].isEmpty ? flowPartition : String(parts[1])
        account = parts[4].isEmpty ? flowAccount : String(parts[4])
        guard !name.isEmpty else { return nil }
    }
}

/// One covered account and region.
public struct Coverage: Sendable, Hashable, Comparable {
    public enum Basis: String, Sendable, Hashable, Comparable {
        case flows, manifest, flag
        public static func < (lhs: Basis, rhs: Basis) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var partition: String
    public var account: String
    /// A region name, or `*` (every region: only a manifest or a flag can say that).
    public var region: String
    public var by: Basis

    public init(partition: String, account: String, region: String, by: Basis) {
        self.partition = partition
        self.account = account
        self.region = region
        self.by = by
    }

    public static func < (lhs: Coverage, rhs: Coverage) -> Bool {
        (lhs.partition, lhs.account, lhs.region, lhs.by) < (rhs.partition, rhs.account, rhs.region, rhs.by)
    }
}

/// One `exports` entry of a `flowrole.manifest/v1` manifest.
public struct ManifestEntry: Sendable, Hashable, Comparable {
    public var partition: String
    public var account: String
    public var region: String
    /// `ok` or `failed: <reason>`.
    public var flows: String
    /// Whether the region's CloudFormation stacks were exported: `ok`, `failed: <reason>`, or nil
    /// when the manifest does not say (older manifests).
    public var cloudFormation: String?
    public var source: Provenance

    public init(
        partition: String, account: String, region: String, flows: String, cloudFormation: String? = nil,
        source: Provenance
    ) {
        self.partition = partition
        self.account = account
        self.region = region
        self.flows = flows
        self.cloudFormation = cloudFormation
        self.source = source
    }

    public var isOK: Bool { flows == "ok" }

    public static func < (lhs: ManifestEntry, rhs: ManifestEntry) -> Bool {
        (lhs.partition, lhs.account, lhs.region, lhs.flows, lhs.cloudFormation ?? "")
            < (rhs.partition, rhs.account, rhs.region, rhs.flows, rhs.cloudFormation ?? "")
    }
}

/// One input file and what it held.
public struct InputFile: Sendable, Hashable, Comparable {
    public var path: String
    /// `iam.authorization-details`, `flows.get-flow`, … (one per top-level value kind, joined by `+`).
    public var kind: String
    public var bytes: Int
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String

    public init(path: String, kind: String, bytes: Int, sha256: String) {
        self.path = path
        self.kind = kind
        self.bytes = bytes
        self.sha256 = sha256
    }

    public static func < (lhs: InputFile, rhs: InputFile) -> Bool { lhs.path < rhs.path }
}
