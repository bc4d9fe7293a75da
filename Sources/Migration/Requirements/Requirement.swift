import Inventory

/// A grant one node of one flow version needs, and the role it is needed on (a version can name
/// another execution role than the DRAFT; DESIGN).
public struct Requirement: Sendable, Hashable, Comparable {
    public var action: String
    public var resource: String
    public var flow: String
    /// `DRAFT` or a version number.
    public var version: String
    /// The node's name (`Loop/Inner` for nested nodes).
    public var node: String
    /// The execution role ARN as that version names it.
    public var roleArn: String
    /// The Sid of the migration statement the grant belongs to.
    public var sid: String

    public init(
        action: String, resource: String, flow: String, version: String, node: String, roleArn: String, sid: String
    ) {
        self.action = action
        self.resource = resource
        self.flow = flow
        self.version = version
        self.node = node
        self.roleArn = roleArn
        self.sid = sid
    }

    /// (action, resource, flow, version, node), versions DRAFT first then numerically (DESIGN).
    public static func < (lhs: Requirement, rhs: Requirement) -> Bool {
        if (lhs.action, lhs.resource, lhs.flow) != (rhs.action, rhs.resource, rhs.flow) {
            return (lhs.action, lhs.resource, lhs.flow) < (rhs.action, rhs.resource, rhs.flow)
        }
        if lhs.version != rhs.version {
            return FlowVersion.versionOrder(lhs.version, rhs.version)
        }
        return lhs.node < rhs.node
    }
}
