import FlowRoleJSON
public import IAMPolicy

/// An IAM role as the inputs describe it. Parts an input kind does not carry stay unknown (nil),
/// which is not the same as empty: a role read only from `get-role` has unknown inline and
/// attached policies, and the planner must treat them as such (ROLE_POLICIES_INCOMPLETE).
public struct Role: Sendable, Hashable {
    public var arn: String
    public var partition: String
    public var account: String
    /// `/` or `/…/`, e.g. `/service-role/`.
    public var path: String
    public var name: String
    public var roleId: String?
    public var createDate: Timestamp?
    public var description: String?
    public var maxSessionDuration: Int?
    /// The trust policy (AssumeRolePolicyDocument), decoded whatever form it came in.
    public var trustPolicy: PolicyDocument?
    /// Inline policies whose documents are in the inputs, in the order first read.
    public var inlinePolicies: [InlinePolicy]
    /// Every inline policy name of the role, when an input lists them all (authorization details
    /// or `list-role-policies`); nil when no input does.
    public var inlinePolicyNames: [String]?
    /// Every attached managed policy, when an input lists them all; nil when none does.
    public var attachedPolicies: [AttachedPolicy]?
    /// The permissions boundary's policy ARN; nil when there is none or it is unknown
    /// (see `boundaryKnown`).
    public var permissionsBoundaryArn: String?
    /// False when no input that carries the boundary (authorization details, get-role) was read.
    public var boundaryKnown: Bool
    /// Tags, when an input carries them.
    public var tags: [Tag]?
    /// Every place the role was read, first the most complete.
    public var sources: [Provenance]

    public init(
        arn: String, partition: String, account: String, path: String, name: String, sources: [Provenance]
    ) {
        self.arn = arn
        self.partition = partition
        self.account = account
        self.path = path
        self.name = name
        self.inlinePolicies = []
        self.boundaryKnown = false
        self.sources = sources
    }

    /// True when every inline policy's document and every attached policy list is in the inputs.
    public var inlinePoliciesComplete: Bool {
        guard let names = inlinePolicyNames else { return false }
        let known = Set(inlinePolicies.map(\.name))
        return names.allSatisfy { known.contains($0) }
    }

    /// A service-linked role (path `/aws-service-role/`) cannot be edited.
    public var isServiceLinked: Bool { path.hasPrefix("/aws-service-role/") }

    /// Lower-cased name: IAM role names are unique per account regardless of case.
    public var nameKey: String { name.lowercased() }
}

/// An inline policy with its document.
public struct InlinePolicy: Sendable, Hashable {
    public var name: String
    public var document: PolicyDocument
    public var source: Provenance

    public init(name: String, document: PolicyDocument, source: Provenance) {
        self.name = name
        self.document = document
        self.source = source
    }
}

/// A managed policy attached to a role (the policy's content lives in `ManagedPolicy`).
public struct AttachedPolicy: Sendable, Hashable {
    public var name: String
    public var arn: String

    public init(name: String, arn: String) {
        self.name = name
        self.arn = arn
    }
}

/// An IAM tag.
public struct Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
