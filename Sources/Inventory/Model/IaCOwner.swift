/// An infrastructure-as-code owner of an IAM role, as the inputs say: a CloudFormation stack
/// resource of type `AWS::IAM::Role` (`describe-stack-resources`, `list-stack-resources`, the
/// bundle `flowrole export` writes) or a managed `aws_iam_role` in a Terraform state
/// (`terraform show -json`). CloudFormation does not tag the roles it creates, so ownership comes
/// from these inputs; a role so owned is changed through its template, not the API.
///
/// Some inputs do not say everything: `list-stack-resources` names neither its stack nor its
/// account, and a Terraform resource without an `arn` no account. Such an owner is matched to a
/// role by name, when exactly one role in the inputs has it (the planner decides).
public struct IaCOwner: Sendable, Hashable, Comparable {
    public enum Kind: String, Sendable, Hashable, Comparable {
        case cloudFormation = "cloudformation"
        case terraform

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var kind: Kind
    /// From the stack's ARN (StackId) or the role's ARN; nil when the input does not say.
    public var partition: String?
    public var account: String?
    /// CloudFormation: the stack's region (from its ARN).
    public var region: String?
    /// The role's name (CloudFormation's PhysicalResourceId of an `AWS::IAM::Role`).
    public var roleName: String
    /// CloudFormation: the stack's name; nil for `list-stack-resources` output, which names none.
    public var stackName: String?
    /// CloudFormation: the stack's ARN, when the input gives it.
    public var stackId: String?
    /// CloudFormation: the resource's LogicalResourceId. Terraform: the resource's address
    /// (`module.flows.aws_iam_role.this["claims"]`).
    public var resource: String
    /// Every place the same ownership was read, sorted; for Terraform the path is the state file.
    public var sources: [Provenance]

    public init(
        kind: Kind, partition: String? = nil, account: String? = nil, region: String? = nil, roleName: String,
        stackName: String? = nil, stackId: String? = nil, resource: String, sources: [Provenance]
    ) {
        self.kind = kind
        self.partition = partition
        self.account = account
        self.region = region
        self.roleName = roleName
        self.stackName = stackName
        self.stackId = stackId
        self.resource = resource
        self.sources = sources
    }

    /// Lower-cased role name: IAM role names are unique per account regardless of case.
    public var nameKey: String { roleName.lowercased() }

    /// The file it was first read from.
    public var path: String { sources.first?.path ?? "" }

    /// What owns the role, for messages: `CloudFormation stack finance-flows (us-east-1)`, `the
    /// CloudFormation stack listed in exports/stack.json`, `Terraform state states/prod.json`.
    public var owner: String {
        switch kind {
        case .cloudFormation:
            guard let stackName else { return "the CloudFormation stack listed in \(path)" }
            return "CloudFormation stack \(stackName)" + (region.map { " (\($0))" } ?? "")
        case .terraform:
            return "Terraform state \(path)"
        }
    }

    /// The owner and the resource: `CloudFormation stack finance-flows (us-east-1), logical id
    /// FlowsRole`; `Terraform state states/prod.json, resource aws_iam_role.flows`.
    public var label: String {
        owner + (kind == .cloudFormation ? ", logical id " : ", resource ") + resource
    }

    /// Two reads of the same ownership (the same stack resource or state resource of the same
    /// role) are one owner.
    var identity: String {
        let stack = kind == .terraform ? path : (stackId ?? stackName ?? "file:" + path)
        return [kind.rawValue, partition ?? "", account ?? "", nameKey, stack, resource].joined(separator: "|")
    }

    public static func < (lhs: IaCOwner, rhs: IaCOwner) -> Bool {
        lhs.sortKey.lexicographicallyPrecedes(rhs.sortKey)
    }

    private var sortKey: [String] {
        [kind.rawValue, account ?? "", nameKey, stackName ?? "", path, resource, identity]
    }
}
