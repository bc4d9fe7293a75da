import FlowRoleJSON
import IAMPolicy

/// Decodes IAM outputs — JSON from the aws CLI, boto3 and other SDKs, or the IAM Query API's XML
/// after `XMLTreeReader` — into fragments (AWS-FORMATS §3).
enum IAMDecoder {
    /// `get-account-authorization-details` (one page).
    static func authorizationDetails(_ page: Cursor, into fragments: inout Fragments) throws(InputError) {
        var accounts = Set<String>()
        if let list = page.member("RoleDetailList") {
            var decoded = Fragments()
            try ParallelDecode.each(try list.elements("RoleDetailList"), into: &decoded) {
                item, local throws(InputError) in
                local.roles.append(try decodeRole(item, what: "RoleDetailList entry", listsPolicies: true))
            }
            accounts.formUnion(decoded.roles.map(\.account))
            fragments.append(decoded)
        }
        if let list = page.member("Policies") {
            for item in try list.array("Policies") {
                let policy = try decodePolicy(item, what: "Policies entry", withVersions: true)
                if let account = try? ARN(parsing: policy.arn).account, ARN.isAccountID(account) {
                    accounts.insert(account)
                }
                fragments.policies.append(policy)
            }
        }
        // Users and groups are not read, but their ARNs say which account a page belongs to.
        for listName in ["UserDetailList", "GroupDetailList"] {
            guard case .array(let entries)? = page.member(listName)?.value else { continue }
            for entry in entries {
                if case .string(let arn)? = entry["Arn"], let account = try? ARN(parsing: arn).account,
                    ARN.isAccountID(account)
                {
                    accounts.insert(account)
                }
            }
        }
        let truncated = try page.optionalBool("IsTruncated") ?? (page.member("Marker") != nil)
        fragments.authorizationPages.append((accounts, truncated, page.provenance))
    }

    /// `get-role` (`{"Role": …}`).
    static func getRole(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let role = try decodeRole(
            try output.required("Role", in: "get-role output").object("Role"), what: "Role", listsPolicies: false)
        fragments.roles.append(role)
    }

    /// A RoleDetail (authorization details) or Role (get-role). Only RoleDetail lists inline and
    /// attached policies; both carry the boundary (absent means none).
    static func decodeRole(_ item: Cursor, what: String, listsPolicies: Bool) throws(InputError) -> Role {
        let item = try item.object(what)
        let (parts, arn) = try item.arnAndText("Arn", in: what)
        let name = try item.requiredString("RoleName", in: what)
        let path = try item.optionalString("Path") ?? "/"
        guard parts.service == "iam", parts.resource.hasPrefix("role/") else {
            throw try item.required("Arn", in: what).error("\(what)'s Arn \"\(arn)\" is not an IAM role ARN.")
        }
        guard parts.resource == "role" + path + name else {
            throw try item.required("Arn", in: what).error(
                "\(what)'s Arn \"\(arn)\" does not match its Path \"\(path)\" and RoleName \"\(name)\".")
        }
        var role = Role(
            arn: arn, partition: parts.partition.rawValue, account: parts.account, path: path, name: name,
            sources: [item.provenance])
        role.roleId = try item.optionalString("RoleId")
        role.createDate = try item.optionalTimestamp("CreateDate")
        role.description = try item.optionalString("Description")
        role.maxSessionDuration = try item.optionalInt("MaxSessionDuration")
        if let trust = item.member("AssumeRolePolicyDocument") {
            role.trustPolicy = try trust.document("AssumeRolePolicyDocument of role \(name)")
        }
        if let boundary = item.member("PermissionsBoundary") {
            let boundary = try boundary.object("PermissionsBoundary")
            if boundary.has("PermissionsBoundaryArn") {
                role.permissionsBoundaryArn = try boundary.requiredString(
                    "PermissionsBoundaryArn", in: "PermissionsBoundary")
            }
        }
        role.boundaryKnown = true
        if let tags = item.member("Tags") {
            role.tags = try decodeTags(tags)
        }
        if listsPolicies {
            var names: [String] = []
            if let list = item.member("RolePolicyList") {
                for entry in try list.array("RolePolicyList") {
                    let entry = try entry.object("RolePolicyList entry")
                    let policyName = try entry.requiredString("PolicyName", in: "RolePolicyList entry")
                    let document = try entry.required("PolicyDocument", in: "RolePolicyList entry")
                        .document("PolicyDocument of inline policy \(policyName)")
                    names.append(policyName)
                    role.inlinePolicies.append(
                        InlinePolicy(name: policyName, document: document, source: entry.provenance))
                }
            }
            role.inlinePolicyNames = names
            var attached: [AttachedPolicy] = []
            if let list = item.member("AttachedManagedPolicies") {
                for entry in try list.array("AttachedManagedPolicies") {
                    attached.append(try decodeAttached(entry))
                }
            }
            role.attachedPolicies = attached
        }
        return role
    }

    static func decodeTags(_ tags: Cursor) throws(InputError) -> [Tag] {
        var out: [Tag] = []
        for tag in try tags.array("Tags") {
            let tag = try tag.object("Tags entry")
            let key = try tag.requiredString("Key", in: "Tags entry")
            let value = try tag.member("Value")?.string("Tag value") ?? ""
            out.append(Tag(key: key, value: value))
        }
        return out
    }

    static func decodeAttached(_ entry: Cursor) throws(InputError) -> AttachedPolicy {
        let entry = try entry.object("attached policy")
        let (parts, arn) = try entry.arnAndText("PolicyArn", in: "attached policy")
        guard parts.service == "iam", parts.resource.hasPrefix("policy/") else {
            throw try entry.required("PolicyArn", in: "attached policy").error("\"\(arn)\" is not an IAM policy ARN.")
        }
        let name = try entry.optionalString("PolicyName") ?? String(parts.resource.split(separator: "/").last ?? "")
        return AttachedPolicy(name: name, arn: arn)
    }

    /// A ManagedPolicyDetail (authorization details, with versions) or Policy (get-policy).
    static func decodePolicy(_ item: Cursor, what: String, withVersions: Bool) throws(InputError) -> ManagedPolicy {
        let item = try item.object(what)
        let (parts, arn) = try item.arnAndText("Arn", in: what)
        guard parts.service == "iam", parts.resource.hasPrefix("policy/") else {
            throw try item.required("Arn", in: what).error("\(what)'s Arn \"\(arn)\" is not an IAM policy ARN.")
        }
        var policy = ManagedPolicy(arn: arn, sources: [item.provenance])
        policy.name = try item.optionalString("PolicyName")
        policy.path = try item.optionalString("Path")
        policy.policyId = try item.optionalString("PolicyId")
        policy.defaultVersionId = try item.optionalString("DefaultVersionId")
        policy.attachmentCount = try item.optionalInt("AttachmentCount")
        if withVersions, let list = item.member("PolicyVersionList") {
            for entry in try list.array("PolicyVersionList") {
                policy.versions.append(try decodeVersion(entry, what: "PolicyVersionList entry of \(arn)"))
            }
            policy.versions.sort { versionKey($0.versionId) < versionKey($1.versionId) }
        }
        return policy
    }

    static func decodeVersion(_ entry: Cursor, what: String) throws(InputError) -> ManagedPolicyVersion {
        let entry = try entry.object(what)
        let versionId = try entry.requiredString("VersionId", in: what)
        let document = try entry.required("Document", in: what).document("Document of policy version \(versionId)")
        return ManagedPolicyVersion(
            versionId: versionId, document: document, isDefaultVersion: try entry.optionalBool("IsDefaultVersion"),
            createDate: try entry.optionalTimestamp("CreateDate"), source: entry.provenance)
    }

    /// `v12` sorts after `v2`.
    static func versionKey(_ id: String) -> (Int, String) {
        (Int(id.dropFirst().prefix { $0.isNumber }) ?? Int.max, id)
    }

    /// `get-role-policy` (`{RoleName, PolicyName, PolicyDocument}`).
    static func getRolePolicy(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let roleName = try output.requiredString("RoleName", in: "get-role-policy output")
        let policyName = try output.requiredString("PolicyName", in: "get-role-policy output")
        let document = try output.required("PolicyDocument", in: "get-role-policy output")
            .document("PolicyDocument of inline policy \(policyName)")
        fragments.rolePolicies.append(
            (roleName, InlinePolicy(name: policyName, document: document, source: output.provenance)))
    }

    /// `list-role-policies` (`{PolicyNames, IsTruncated, Marker}`).
    static func listRolePolicies(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        var names: [String] = []
        for name in try output.required("PolicyNames", in: "list-role-policies output").array("PolicyNames") {
            names.append(try name.string("policy name"))
        }
        let truncated = try output.optionalBool("IsTruncated") ?? false
        fragments.inlineNameLists.append((names, truncated, output.provenance))
    }

    /// `list-attached-role-policies` (`{AttachedPolicies, IsTruncated, Marker}`).
    static func listAttachedRolePolicies(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        var policies: [AttachedPolicy] = []
        for entry in try output.required("AttachedPolicies", in: "list-attached-role-policies output")
            .array("AttachedPolicies")
        {
            policies.append(try decodeAttached(entry))
        }
        let truncated = try output.optionalBool("IsTruncated") ?? false
        fragments.attachedLists.append((policies, truncated, output.provenance))
    }

    /// `get-policy` (`{"Policy": …}`).
    static func getPolicy(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        fragments.policies.append(
            try decodePolicy(
                try output.required("Policy", in: "get-policy output"), what: "Policy", withVersions: false))
    }

    /// `get-policy-version` (`{"PolicyVersion": …}`): names no policy.
    static func getPolicyVersion(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        fragments.policyVersions.append(
            try decodeVersion(
                try output.required("PolicyVersion", in: "get-policy-version output"), what: "PolicyVersion"))
    }
}
