import FlowRoleJSON
public import IAMPolicy

/// A managed policy (customer or AWS managed) whose metadata or versions are in the inputs.
/// A policy that roles only reference by ARN is not here: it is unknown, not empty.
public struct ManagedPolicy: Sendable, Hashable {
    public var arn: String
    public var name: String?
    public var path: String?
    public var policyId: String?
    /// From `get-policy` or authorization details; nil when only versions were read.
    public var defaultVersionId: String?
    public var attachmentCount: Int?
    /// Versions whose documents are in the inputs, ordered by version id.
    public var versions: [ManagedPolicyVersion]
    public var sources: [Provenance]

    public init(arn: String, sources: [Provenance]) {
        self.arn = arn
        self.versions = []
        self.sources = sources
    }

    /// The effective document: the default version's, when both are known.
    public var defaultVersion: ManagedPolicyVersion? {
        if let defaultVersionId {
            return versions.first { $0.versionId == defaultVersionId }
        }
        return versions.first { $0.isDefaultVersion == true }
    }

    /// AWS managed policies live in the `aws` account: `arn:PARTITION:iam::aws:policy/…`.
    public var isAWSManaged: Bool {
        arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first == "aws"
    }
}

/// One version of a managed policy.
public struct ManagedPolicyVersion: Sendable, Hashable {
    public var versionId: String
    public var document: PolicyDocument
    public var isDefaultVersion: Bool?
    public var createDate: Timestamp?
    public var source: Provenance

    public init(
        versionId: String, document: PolicyDocument, isDefaultVersion: Bool?, createDate: Timestamp?, source: Provenance
    ) {
        self.versionId = versionId
        self.document = document
        self.isDefaultVersion = isDefaultVersion
        self.createDate = createDate
        self.source = source
    }
}
