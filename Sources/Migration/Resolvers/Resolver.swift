import FlowRoleJSON
import Inventory

/// One permission a node needs: an action on an exact resource, and, for the grants IAM
/// recommends scoping further, the condition it is granted under.
public struct Grant: Sendable, Hashable, Comparable {
    public var action: String
    public var resource: String
    /// An IAM `Condition` block the grant is written with, e.g. `{"StringEquals":
    /// {"aws:ResourceAccount": "111122223333"}}` for S3 (the bucket owner) or the KMS encryption
    /// context `kms:EncryptionContext:aws:bedrock-flows:arn` (the flow's ARN). Its keys and values
    /// are also the request context the evaluator assumes when it judges whether the role already
    /// holds the grant (DESIGN, "The migration file"); nil for an unconditional grant.
    public var condition: JSONValue?

    public init(action: String, resource: String, condition: JSONValue? = nil) {
        self.action = action
        self.resource = resource
        self.condition = condition
    }

    public static func < (lhs: Grant, rhs: Grant) -> Bool {
        (lhs.action, lhs.resource, lhs.condition?.canonicalText ?? "")
            < (rhs.action, rhs.resource, rhs.condition?.canonicalText ?? "")
    }

    /// `{"StringEquals": {key: value}}`, the form every conditional grant of the service-role
    /// documentation takes; several values (alternatives, as IAM reads them) as a list.
    public static func stringEquals(_ key: String, _ values: [String]) -> JSONValue {
        let value: JSONValue = values.count == 1 ? .string(values[0]) : .array(values.map { .string($0) })
        return .object([JSONMember("StringEquals", .object([JSONMember(key, value)]))])
    }
}

/// What a resolver knows besides the node: the flow it belongs to, the definition (DRAFT or
/// version) being resolved, what the inputs say about resources the node only names, and the
/// operator's assumptions.
public struct ResolverContext: Sendable, Hashable {
    /// The flow's ARN (`arn:P:bedrock:R:A:flow/ID`).
    public var flowArn: String
    public var partition: String
    public var region: String
    public var account: String
    /// `customerEncryptionKeyArn` of the definition being resolved (the DRAFT's or the version's).
    public var customerEncryptionKeyArn: String?
    /// The account that owns the S3 buckets of Storage and Retrieval nodes (`--bucket-owner`);
    /// nil means the flow's own account.
    public var bucketOwner: String?
    /// Inference profile ARN → the foundation-model ARNs it routes to, from
    /// `aws bedrock get-inference-profile` / `list-inference-profiles` outputs in the inputs.
    public var inferenceProfiles: [String: [String]]

    public init(
        flowArn: String, partition: String, region: String, account: String, customerEncryptionKeyArn: String? = nil,
        bucketOwner: String? = nil, inferenceProfiles: [String: [String]] = [:]
    ) {
        self.flowArn = flowArn
        self.partition = partition
        self.region = region
        self.account = account
        self.customerEncryptionKeyArn = customerEncryptionKeyArn
        self.bucketOwner = bucketOwner
        self.inferenceProfiles = inferenceProfiles
    }

    /// The context of `flow`'s DRAFT (`version` nil) or of one of its versions.
    public init(
        flow: Flow, version: FlowVersion? = nil, bucketOwner: String? = nil, inferenceProfiles: [String: [String]] = [:]
    ) {
        self.init(
            flowArn: flow.arn, partition: flow.partition, region: flow.region, account: flow.account,
            customerEncryptionKeyArn: version == nil
                ? flow.customerEncryptionKeyArn : version?.customerEncryptionKeyArn,
            bucketOwner: bucketOwner, inferenceProfiles: inferenceProfiles)
    }

    /// A context for resolvers that need none (the 2024-11-22 resolvers read only the node).
    public static let detached = ResolverContext(flowArn: "", partition: "aws", region: "", account: "")

    /// The account whose buckets Storage and Retrieval nodes name.
    public var bucketAccount: String { bucketOwner ?? account }
}

/// Something a resolver wants the reviewer to know about a node it resolved (becomes a finding on
/// the flow).
public struct ResolverNote: Sendable, Hashable {
    public var severity: Finding.Severity
    public var code: String
    public var message: String

    public init(severity: Finding.Severity, code: String, message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}

/// What a resolver makes of one node.
public enum Resolution: Sendable, Hashable {
    /// The node needs these grants.
    case grants([Grant])
    /// The node needs these grants, and something about it is only partly known (an inference
    /// profile whose routes the inputs do not hold, say): the notes become findings.
    case partial([Grant], [ResolverNote])
    /// The node needs nothing from this resolver (an inline prompt, say).
    case nothing
    /// The node should name a resource but what it holds is not one; the message says why.
    case invalid(String)
}

/// Code that turns a node (or, for flow-level rules, the flow itself) into the grants it needs.
/// Migration files name resolvers; a later AWS change adds a resolver, not a new planner.
public protocol Resolver: Sendable {
    /// The name migration files use.
    var name: String { get }
    /// What `node` of the definition `context` describes needs.
    func resolve(_ node: FlowNode, in context: ResolverContext) -> Resolution
    /// What the flow definition itself needs, for rules without a node type (the customer-managed
    /// KMS key). Node resolvers answer `.nothing`.
    func resolveFlow(in context: ResolverContext) -> Resolution
}

extension Resolver {
    public func resolveFlow(in context: ResolverContext) -> Resolution { .nothing }

    /// `resolve(_:in:)` without a flow (for resolvers that read only the node).
    public func resolve(_ node: FlowNode) -> Resolution { resolve(node, in: .detached) }
}

/// The resolvers a migration file may name.
public struct ResolverRegistry: Sendable {
    private var byName: [String: any Resolver]

    public init(_ resolvers: [any Resolver]) {
        byName = Dictionary(resolvers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every resolver this flowrole has.
    public static let standard = ResolverRegistry([
        LambdaArnResolver(), LexBotAliasResolver(), PromptResourceResolver(), ModelIdResolver(),
        KnowledgeBaseResolver(), AgentAliasResolver(), S3BucketResolver(), GuardrailResolver(), KMSKeyResolver(),
    ])

    public func resolver(named name: String) -> (any Resolver)? { byName[name] }

    public var names: [String] { byName.keys.sorted() }
}
