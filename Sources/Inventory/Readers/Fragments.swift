/// What one input file contributed, before merging. Files are decoded in parallel into fragments;
/// the assembler merges them in a fixed order, so the result does not depend on thread timing.
struct Fragments: Sendable {
    var kinds: [String] = []
    var roles: [Role] = []
    /// `get-role-policy` outputs: they name the role but not its account.
    var rolePolicies: [(roleName: String, policy: InlinePolicy)] = []
    /// `list-role-policies` outputs: they name no role.
    var inlineNameLists: [(names: [String], truncated: Bool, source: Provenance)] = []
    /// `list-attached-role-policies` outputs: they name no role.
    var attachedLists: [(policies: [AttachedPolicy], truncated: Bool, source: Provenance)] = []
    var policies: [ManagedPolicy] = []
    /// `get-policy-version` outputs: they name no policy.
    var policyVersions: [ManagedPolicyVersion] = []
    /// Authorization-details pages: accounts they mention and whether more pages follow.
    var authorizationPages: [(accounts: Set<String>, truncated: Bool, source: Provenance)] = []
    var flows: [Flow] = []
    var flowVersions: [(flowArn: String, version: FlowVersion)] = []
    /// `list-flow-versions` pages (flow ARN nil when the page is empty).
    var versionListings: [(flowArn: String?, versions: [String], truncated: Bool, source: Provenance)] = []
    /// `list-flow-aliases` pages and `get-flow-alias` outputs (flow ARN nil when the page is empty).
    var aliasListings: [(flowArn: String?, aliases: [FlowAlias], truncated: Bool, source: Provenance)] = []
    /// `list-flows` pages.
    var flowListings: [(flows: [FlowSummary], truncated: Bool, source: Provenance)] = []
    var manifestEntries: [ManifestEntry] = []
    /// CloudFormation stack resources and Terraform resources that own IAM roles.
    var iacOwners: [IaCOwner] = []
    /// `list-stack-resources` pages: whether a `NextToken` says more follow.
    var stackListings: [(truncated: Bool, source: Provenance)] = []
    /// `get-inference-profile` outputs and `list-inference-profiles` entries. The assembler takes
    /// them from each file's fragments itself (`append` and `sortByProvenance` do not carry them).
    var inferenceProfiles: [InferenceProfileDecoder.Profile] = []
    /// `aws lambda get-policy` outputs. Taken by the assembler from each file's fragments, like
    /// `inferenceProfiles`.
    var lambdaPolicies: [LambdaResourcePolicy] = []
}

extension Fragments {
    /// Moves the flow outputs (flows, versions, version, alias and flow listings) out into
    /// fragments of their own, leaving the rest: the two never meet while merging.
    mutating func takeFlowOutputs() -> Fragments {
        var taken = Fragments()
        swap(&taken.flows, &flows)
        swap(&taken.flowVersions, &flowVersions)
        swap(&taken.versionListings, &versionListings)
        swap(&taken.aliasListings, &aliasListings)
        swap(&taken.flowListings, &flowListings)
        return taken
    }
}

/// A `list-flows` entry: enough to know the flow exists.
struct FlowSummary: Sendable, Hashable {
    var arn: String
    var partition: String
    var account: String
    var region: String
    var source: Provenance
}
