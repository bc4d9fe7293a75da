/// A policy document with the name findings cite it by.
public struct NamedPolicy: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A role's inline policy (id: the policy name).
        case inline
        /// An attached managed policy, customer or AWS (id: its ARN), default version.
        case managed
        /// A permissions boundary (id: the managed policy's ARN).
        case permissionsBoundary
        /// A role's trust policy.
        case trust
    }

    public var id: String
    public var kind: Kind
    public var document: PolicyDocument

    public init(id: String, kind: Kind, document: PolicyDocument) {
        self.id = id
        self.kind = kind
        self.document = document
    }
}
