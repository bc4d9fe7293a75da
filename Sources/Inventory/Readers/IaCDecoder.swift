import FlowRoleJSON
import IAMPolicy

/// Decodes infrastructure-as-code inputs into the owners of IAM roles: CloudFormation stack
/// resources (`aws cloudformation describe-stack-resources` / `list-stack-resources`, JSON or the
/// Query API's XML, and the bundle `flowrole export` writes) and Terraform state
/// (`terraform show -json`). Only `AWS::IAM::Role` resources and managed `aws_iam_role` resources
/// are kept; everything else in them is read past.
enum IaCDecoder {
    static let roleType = "AWS::IAM::Role"
    /// Resource statuses of a role the stack no longer holds (deleted, or retained on deletion).
    static let goneStatuses: Set<String> = ["DELETE_COMPLETE", "DELETE_SKIPPED"]

    /// The stack a resource belongs to, from `StackName` and `StackId`
    /// (`arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID`).
    struct Stack {
        var name: String?
        var id: String?
        var partition: String?
        var account: String?
        var region: String?
    }

    // MARK: CloudFormation

    /// `describe-stack-resources` (`{"StackResources": [{StackName, StackId, LogicalResourceId,
    /// PhysicalResourceId, ResourceType, …}]}`): every entry names its stack.
    static func describeStackResources(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let what = "StackResources entry"
        for entry in try output.required("StackResources", in: "describe-stack-resources output").array(
            "StackResources")
        {
            let entry = try entry.object(what)
            let stack = try stack(entry, what: what)
            if let owner = try roleOwner(entry, what: what, stack: stack) { fragments.iacOwners.append(owner) }
        }
    }

    /// `list-stack-resources` (`{"StackResourceSummaries": [{LogicalResourceId, PhysicalResourceId,
    /// ResourceType, …}], "NextToken"?}`): names neither its stack nor its account, so its roles
    /// are owned by "the CloudFormation stack listed in FILE" and matched by name.
    static func listStackResources(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let what = "StackResourceSummaries entry"
        for entry in try output.required("StackResourceSummaries", in: "list-stack-resources output").array(
            "StackResourceSummaries")
        {
            let entry = try entry.object(what)
            if let owner = try roleOwner(entry, what: what, stack: Stack()) { fragments.iacOwners.append(owner) }
        }
        fragments.stackListings.append((output.member("NextToken") != nil, output.provenance))
    }

    /// The bundle `flowrole export` writes: `{"stacks": [{"StackName", "StackId",
    /// "StackResourceSummaries": [...]}]}`.
    static func bundle(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        for entry in try output.required("stacks", in: "CloudFormation bundle").array("stacks") {
            let entry = try entry.object("stacks entry")
            _ = try entry.requiredString("StackName", in: "stacks entry")
            let stack = try stack(entry, what: "stacks entry")
            let what = "StackResourceSummaries entry of stack \(stack.name ?? "")"
            for resource in try entry.required("StackResourceSummaries", in: "stacks entry").array(
                "StackResourceSummaries")
            {
                let resource = try resource.object(what)
                if let owner = try roleOwner(resource, what: what, stack: stack) { fragments.iacOwners.append(owner) }
            }
        }
    }

    /// `StackName` and `StackId` of an entry, checked against each other.
    static func stack(_ entry: Cursor, what: String) throws(InputError) -> Stack {
        var stack = Stack()
        stack.name = try entry.optionalString("StackName")
        if stack.name?.isEmpty == true { throw entry.error("\(what)'s StackName is empty.") }
        guard let idCursor = entry.member("StackId"), let id = try entry.optionalString("StackId") else {
            if stack.name == nil { throw entry.error("\(what) has neither StackName nor StackId.") }
            return stack
        }
        let parts: ARN
        do {
            parts = try ARN(parsing: id)
        } catch {
            throw idCursor.error("\(what)'s StackId: \(error.message)")
        }
        let pieces = parts.resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.service == "cloudformation", pieces.count >= 2, pieces[0] == "stack", !pieces[1].isEmpty,
            ARN.isAccountID(parts.account), !parts.region.isEmpty
        else {
            throw idCursor.error(
                "\(what)'s StackId \"\(id)\" is not a stack ARN (arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID)."
            )
        }
        let named = String(pieces[1])
        if let name = stack.name, name != named {
            throw idCursor.error("\(what)'s StackId \"\(id)\" names stack \(named), not its StackName \(name).")
        }
        stack.name = named
        stack.id = parts.text
        stack.partition = parts.partition.rawValue
        stack.account = parts.account
        stack.region = parts.region
        return stack
    }

    /// The owner an `AWS::IAM::Role` resource describes; nil for another type, a role not created
    /// yet (no PhysicalResourceId) or no longer held (deleted, or retained on deletion).
    static func roleOwner(_ entry: Cursor, what: String, stack: Stack) throws(InputError) -> IaCOwner? {
        let type = try entry.requiredString("ResourceType", in: what)
        guard type == roleType else { return nil }
        let logicalId = try entry.requiredString("LogicalResourceId", in: what)
        if let status = try entry.optionalString("ResourceStatus"), goneStatuses.contains(status) { return nil }
        guard let physical = try entry.optionalString("PhysicalResourceId"), !physical.isEmpty else { return nil }
        let place = try entry.required("PhysicalResourceId", in: what)
        var owner = IaCOwner(
            kind: .cloudFormation, partition: stack.partition, account: stack.account, region: stack.region,
            roleName: physical, stackName: stack.name, stackId: stack.id, resource: logicalId,
            sources: [entry.provenance])
        if physical.hasPrefix("arn:") {
            let role = try roleArn(physical, at: place, what: "\(what) \(logicalId)'s PhysicalResourceId")
            if let account = stack.account, account != role.account {
                throw place.error(
                    "\(what) \(logicalId)'s PhysicalResourceId \"\(physical)\" is in account \(role.account), not the stack's \(account)."
                )
            }
            owner.roleName = role.name
            owner.partition = role.partition
            owner.account = role.account
        } else if !isRoleName(physical) {
            throw place.error(
                "\(what) \(logicalId) is an \(roleType) whose PhysicalResourceId \"\(physical)\" is not an IAM role name (1 to 64 of A-Z a-z 0-9 +=,.@_-)."
            )
        }
        return owner
    }

    /// IAM role names: 1 to 64 of letters, digits and `+=,.@_-`.
    static func isRoleName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || "+=,.@_-".utf8.contains(byte)
            }
    }

    /// A role ARN's partition, account and name.
    static func roleArn(_ text: String, at place: Cursor, what: String) throws(InputError) -> (
        partition: String, account: String, name: String
    ) {
        let parts: ARN
        do {
            parts = try ARN(parsing: text)
        } catch {
            throw place.error("\(what): \(error.message)")
        }
        let name = parts.resource.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard parts.service == "iam", parts.resource.hasPrefix("role/"), ARN.isAccountID(parts.account),
            isRoleName(name)
        else {
            throw place.error("\(what) \"\(text)\" is not an IAM role ARN.")
        }
        return (parts.partition.rawValue, parts.account, name)
    }

    // MARK: Terraform

    /// `terraform show -json` of a state: `{"format_version": "1.x", "terraform_version", "values":
    /// {"root_module": {"resources": [...], "child_modules": [...]}}}` (no `values` when the state
    /// is empty). Every managed `aws_iam_role` is an owner; data sources read a role, they do not
    /// own it.
    static func terraformState(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        if !output.has("format_version") {
            throw output.error(
                "this is a raw Terraform state file (terraform.tfstate); flowrole reads `terraform show -json` output: run `terraform show -json > state.json` where the state lives, or `terraform show -json FILE` on a state file."
            )
        }
        if output.has("prior_state") || output.has("planned_values") || output.has("resource_changes") {
            throw output.error(
                "this is `terraform show -json` of a plan file; flowrole reads the state: run `terraform show -json` without a plan file."
            )
        }
        let versionCursor = try output.required("format_version", in: "Terraform state")
        let version = try versionCursor.string("format_version")
        guard version.split(separator: ".").first == "1" else {
            throw versionCursor.error(
                "format_version \"\(version)\" is not supported; flowrole reads format 1.x of `terraform show -json`.")
        }
        guard let values = output.member("values") else { return }
        guard let root = try values.object("values").member("root_module") else { return }
        try module(try root.object("root_module"), into: &fragments)
    }

    /// One module: its resources, then its child modules (recursively).
    static func module(_ module: Cursor, into fragments: inout Fragments) throws(InputError) {
        if let resources = module.member("resources") {
            for resource in try resources.array("resources") {
                if let owner = try terraformRole(try resource.object("resources entry")) {
                    fragments.iacOwners.append(owner)
                }
            }
        }
        if let children = module.member("child_modules") {
            for child in try children.array("child_modules") {
                try self.module(try child.object("child_modules entry"), into: &fragments)
            }
        }
    }

    /// A managed `aws_iam_role`'s owner; nil for any other resource.
    static func terraformRole(_ resource: Cursor) throws(InputError) -> IaCOwner? {
        let address = try resource.requiredString("address", in: "Terraform resource")
        let mode = try resource.requiredString("mode", in: "Terraform resource \(address)")
        let type = try resource.requiredString("type", in: "Terraform resource \(address)")
        guard mode == "managed", type == "aws_iam_role" else { return nil }
        let what = "Terraform resource \(address)"
        let values = try resource.required("values", in: what).object("values of \(address)")
        let stated = try values.optionalString("name")
        var owner = IaCOwner(
            kind: .terraform, roleName: stated ?? "", resource: address, sources: [resource.provenance])
        if let arnText = try values.optionalString("arn") {
            let place = try values.required("arn", in: what)
            let role = try roleArn(arnText, at: place, what: "\(what)'s arn")
            if let stated, stated != role.name {
                throw place.error("\(what)'s arn \"\(arnText)\" names role \(role.name), not its name \(stated).")
            }
            owner.roleName = role.name
            owner.partition = role.partition
            owner.account = role.account
        } else if stated == nil {
            throw values.error("\(what) has neither a name nor an arn in its values.")
        }
        guard isRoleName(owner.roleName) else {
            throw try values.required("name", in: what).error(
                "\(what)'s name \"\(owner.roleName)\" is not an IAM role name (1 to 64 of A-Z a-z 0-9 +=,.@_-).")
        }
        return owner
    }
}
