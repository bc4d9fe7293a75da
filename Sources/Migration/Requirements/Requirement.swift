import FlowRoleJSON
import IAMPolicy
import Inventory

/// A grant one node of one flow version needs, and the role it is needed on (a version can name
/// another execution role than the DRAFT; DESIGN).
public struct Requirement: Sendable, Hashable, Comparable {
    public var action: String
    public var resource: String
    public var flow: String
    /// `DRAFT` or a version number.
    public var version: String
    /// The node's name (`Loop/Inner` for nested nodes), or ``flowLevelNode`` for what the flow
    /// definition itself needs (its customer-managed KMS key).
    public var node: String
    /// The execution role ARN as that version names it.
    public var roleArn: String
    /// The Sid of the migration statement the grant belongs to.
    public var sid: String
    /// The IAM `Condition` block the grant is written with (S3's `aws:ResourceAccount`, the KMS
    /// encryption context), or nil. See ``Grant/condition``.
    public var condition: JSONValue?

    public init(
        action: String, resource: String, flow: String, version: String, node: String, roleArn: String, sid: String,
        condition: JSONValue? = nil
    ) {
        self.action = action
        self.resource = resource
        self.flow = flow
        self.version = version
        self.node = node
        self.roleArn = roleArn
        self.sid = sid
        self.condition = condition
    }

    /// The `node` of a requirement that comes from the flow definition, not from a node: the field
    /// that names the resource.
    public static let flowLevelNode = "customerEncryptionKeyArn"

    /// The request context the migration declares for this grant (DESIGN, "The migration file"):
    /// the keys and values of its own condition — the bucket owner as `aws:ResourceAccount`, the
    /// flow's ARN as the KMS encryption context. An existing Allow whose condition holds in it
    /// proves the grant; a condition on any other key stays unproven. Nil for an unconditional
    /// grant, which only an unconditional Allow proves.
    public var assumedContext: ContextKeys? {
        guard let clauses = condition?.objectMembers else { return nil }
        var values: [String: [String]] = [:]
        for clause in clauses {
            for member in clause.value.objectMembers ?? [] {
                values[member.key, default: []].append(contentsOf: member.value.stringList ?? [])
            }
        }
        return ContextKeys(values)
    }

    /// (action, resource, flow, version, node), versions DRAFT first then numerically (DESIGN).
    /// Field by field, each compared for equality once (the tuples compared each twice).
    public static func < (lhs: Requirement, rhs: Requirement) -> Bool {
        if lhs.action != rhs.action { return lhs.action < rhs.action }
        if lhs.resource != rhs.resource { return lhs.resource < rhs.resource }
        if lhs.flow != rhs.flow { return lhs.flow < rhs.flow }
        if lhs.version != rhs.version {
            return FlowVersion.versionOrder(lhs.version, rhs.version)
        }
        if lhs.node != rhs.node { return lhs.node < rhs.node }
        return (lhs.condition?.canonicalText ?? "") < (rhs.condition?.canonicalText ?? "")
    }
}
