import FlowRoleJSON
import IAMPolicy
import Inventory

/// A new service role for given flows, least privilege (issue "Every permission a flow's service
/// role needs"): the trust policy Bedrock needs — `bedrock.amazonaws.com` with `aws:SourceAccount`
/// and the flows' ARNs as `aws:SourceArn`, as the service-role documentation recommends once the
/// flows exist [Bedrock UG flows-permissions] — the identity policy the least-privilege migration
/// derives from every node of every version, and, for flows encrypted with a customer-managed key,
/// the key policy statement the key's owner adds.
///
/// The identity policy is exactly the document the least-privilege audit would write into an
/// empty role (`GrantPlanner.ownedPolicy`), under the migration's own policy name: planning the
/// scaffolded role with that migration finds every requirement granted and nothing unneeded.
public struct RoleScaffold: Sendable, Hashable {
    public var roleName: String
    public var path: String
    public var partition: String
    public var account: String
    public var roleArn: String
    /// The flows, by ARN.
    public var flows: [String]
    public var requirements: [Requirement]
    /// What the reviewer should know (a model whose routes are unknown, a node not understood).
    public var findings: [Finding]
    public var trustPolicy: JSONValue
    public var policyName: String
    /// nil when the flows need no grant (IAM rejects a policy without statements).
    public var identityPolicy: JSONValue?
    /// Per customer-managed key: the statement its key policy needs (for the key's owner; never applied).
    public var keyPolicyStatements: [(key: String, statement: JSONValue)]

    public static func == (lhs: RoleScaffold, rhs: RoleScaffold) -> Bool {
        lhs.roleArn == rhs.roleArn && lhs.identityPolicy == rhs.identityPolicy && lhs.trustPolicy == rhs.trustPolicy
            && lhs.keyPolicyStatements.map(\.statement) == rhs.keyPolicyStatements.map(\.statement)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(roleArn)
        hasher.combine(identityPolicy)
    }

    /// Why a scaffold cannot be made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The role for `flows` (one account and partition: a role belongs to one account).
    public static func make(
        flows: [Flow], migration: MigrationDefinition, roleName: String, path: String = "/",
        bucketOwner: String? = nil, inferenceProfiles: [String: [String]] = [:]
    ) throws(Failure) -> RoleScaffold {
        guard let first = flows.first else { throw Failure(description: "no flow to scaffold a role for.") }
        let accounts = Set(flows.map { "\($0.partition):\($0.account)" })
        guard accounts.count == 1 else {
            throw Failure(
                description:
                    "the flows are in several accounts or partitions (\(accounts.sorted().joined(separator: ", "))); a role belongs to one account: scaffold one role per account."
            )
        }
        guard roleName.count <= 64, !roleName.isEmpty,
            roleName.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+=,.@_-".unicodeScalars.contains($0))
            })
        else {
            throw Failure(description: "\"\(roleName)\" is not a role name (IAM: 1–64 of [A-Za-z0-9+=,.@_-]).")
        }
        guard path.hasPrefix("/"), path.hasSuffix("/"), path.count <= 512 else {
            throw Failure(description: "\"\(path)\" is not a role path (it starts and ends with '/').")
        }
        let roleArn = "arn:\(first.partition):iam::\(first.account):role\(path)\(roleName)"
        let deriver = RequirementDeriver(
            migration: migration, bucketOwner: bucketOwner, inferenceProfiles: inferenceProfiles)
        var requirements: [Requirement] = []
        var findings = Set<Finding>()
        for flow in flows.sorted(by: { $0.arn < $1.arn }) {
            let derived = deriver.derive(flow)
            // The new role serves the DRAFT, and the versions that run as the DRAFT's role;
            // versions are immutable and keep the role they were made with.
            requirements += derived.requirements.filter {
                $0.version == "DRAFT" || $0.roleArn == flow.executionRoleArn
            }
            findings.formUnion(derived.findings.filter { $0.code != "CUTOFF_DAY" })
        }
        requirements.sort()
        let owned = GrantPlanner(migration: migration).ownedPolicy(before: nil, adding: requirements)
        let identity = owned?.json

        let flowArns = flows.map(\.arn).sorted()
        let sourceArns = flowArns.flatMap { [$0, $0 + "/*"] }
        let trust: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "BedrockFlowsAssumeRole", "Effect": "Allow",
                    "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                    "Condition": [
                        "StringEquals": ["aws:SourceAccount": .string(first.account)],
                        "ArnLike": ["aws:SourceArn": .array(sourceArns.map { .string($0) })],
                    ],
                ]
            ],
        ]

        // Key policies: the role may use each key only for the flows encrypted with it.
        var flowsByKey: [String: [String]] = [:]
        for flow in flows {
            let keys = [flow.customerEncryptionKeyArn] + flow.versions.map(\.customerEncryptionKeyArn)
            for key in Set(keys.compactMap { $0 }) { flowsByKey[key, default: []].append(flow.arn) }
        }
        // The same statement `apply --write-to` gives a key owner in another account (its Sid is
        // the role's, so statements for several roles can sit in one key policy).
        let keyStatements = flowsByKey.keys.sorted().compactMap { key -> (key: String, statement: JSONValue)? in
            let users = Array(Set(flowsByKey[key] ?? [])).sorted()
            let action = ResourceOwnerAction(
                account: first.account, region: first.region, kind: .kmsKeyPolicy, resource: key, role: roleArn,
                actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                statementID: ResourceOwnerActions.statementID(role: roleArn), flows: users,
                condition: ResourceOwnerActions.encryptionContext(
                    users.map { Grant.stringEquals(KMSKeyResolver.encryptionContextKey, [$0]) }))
            return action.keyPolicyStatement.map { (key, $0) }
        }
        // IAM's quotas, counted as IAM counts them (canonical JSON, no whitespace).
        let trustSize = trust.canonicalCharacterCount
        if trustSize > PolicySize.defaultTrustPolicyQuota {
            findings.insert(
                Finding(
                    severity: .warning, code: "QUOTA_EXCEEDED",
                    message:
                        "the trust policy is \(trustSize) characters without whitespace; IAM's default quota is \(PolicySize.defaultTrustPolicyQuota) (it can be raised to 4,096): raise it, or scaffold fewer flows per role.",
                    subject: roleArn))
        }
        if let identity, identity.canonicalCharacterCount > PolicySize.inlineTotalQuota {
            findings.insert(
                Finding(
                    severity: .warning, code: "QUOTA_EXCEEDED",
                    message:
                        "the identity policy is \(identity.canonicalCharacterCount) characters without whitespace; IAM allows \(PolicySize.inlineTotalQuota) for a role's inline policies: put it in customer-managed policies instead, or scaffold fewer flows per role.",
                    subject: roleArn))
        }
        return RoleScaffold(
            roleName: roleName, path: path, partition: first.partition, account: first.account, roleArn: roleArn,
            flows: flowArns, requirements: requirements, findings: findings.sorted(), trustPolicy: trust,
            policyName: migration.policyName, identityPolicy: identity, keyPolicyStatements: keyStatements)
    }
}
