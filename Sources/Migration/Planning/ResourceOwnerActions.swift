import FlowRoleJSON
import IAMPolicy
import Inventory

/// What the owner of a resource in another account than the role must do for the role to use it:
/// across accounts the identity policy alone is not enough, the resource's own policy must allow
/// the role too (IAM UG, cross-account policy evaluation; reported as CROSS_ACCOUNT_RESOURCE).
/// One value per owning account, resource and role; Execution renders them as the owner's
/// commands (`resource-owners/ACCOUNT.sh`, `ACCOUNT.kms.json`). Nothing here is ever applied.
public struct ResourceOwnerAction: Sendable, Hashable, Comparable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `aws lambda add-permission` on the function ARN as the flow names it (a version's or
        /// alias's policy is its own).
        case lambdaPermission
        /// `aws lexv2-models create-resource-policy-statement` on the bot alias.
        case lexResourcePolicy
        /// A key policy statement for the key's owner, as text (key policies are replaced whole,
        /// so no command is written).
        case kmsKeyPolicy
        /// A resource in another account that none of the above covers: named, with no command.
        case other

        var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }

    /// The account that owns the resource (from its ARN).
    public var account: String
    /// The resource's region (from its ARN): the commands must be sent there.
    public var region: String
    public var kind: Kind
    /// The resource ARN exactly as the flows name it.
    public var resource: String
    /// The role ARN that needs it.
    public var role: String
    /// The actions the role needs on it, sorted.
    public var actions: [String]
    /// `flowrole-` and a short stable hash of the role ARN: the statement id (Sid) in the resource
    /// policy, so running the owner's commands again finds the statement already there.
    public var statementID: String
    /// The flows that need it, sorted.
    public var flows: [String]
    /// KMS: the condition the grant is written with on the role's side (the flows' encryption
    /// context), carried into the key policy statement; nil when some grant had none.
    public var condition: JSONValue?

    public init(
        account: String, region: String, kind: Kind, resource: String, role: String, actions: [String],
        statementID: String, flows: [String], condition: JSONValue? = nil
    ) {
        self.account = account
        self.region = region
        self.kind = kind
        self.resource = resource
        self.role = role
        self.actions = actions
        self.statementID = statementID
        self.flows = flows
        self.condition = condition
    }

    /// By owning account, then kind, resource and role.
    public static func < (lhs: ResourceOwnerAction, rhs: ResourceOwnerAction) -> Bool {
        (lhs.account, lhs.kind.rank, lhs.resource, lhs.role) < (rhs.account, rhs.kind.rank, rhs.resource, rhs.role)
    }

    /// KMS: the key policy statement the key's owner adds — the role as an AWS principal, the
    /// actions, `"Resource": "*"` (in a key policy, the key itself) and the encryption-context
    /// condition [Bedrock UG flows-permissions, the KMS statement of the service-role template;
    /// KMS DG, key policies]. Nil for other kinds.
    public var keyPolicyStatement: JSONValue? {
        guard kind == .kmsKeyPolicy else { return nil }
        var members = [
            JSONMember("Sid", .string(statementID)),
            JSONMember("Effect", "Allow"),
            JSONMember("Principal", .object([JSONMember("AWS", .string(role))])),
            JSONMember("Action", .array(actions.map(JSONValue.string))),
            JSONMember("Resource", "*"),
        ]
        if let condition { members.append(JSONMember("Condition", condition)) }
        return .object(members)
    }
}

public enum ResourceOwnerActions {
    /// Every action owners of other accounts' resources must take for the plan's roles, sorted.
    /// A requirement counts when the role will hold it on its side: `granted`, or `add` in a role
    /// whose grants the plan writes (selected, not blocked). Blocked requirements, and roles
    /// outside the selection, ask nothing of the owner.
    public static func actions(for plan: Plan) -> [ResourceOwnerAction] {
        var grouped: [String: (action: ResourceOwnerAction, conditions: [JSONValue?])] = [:]
        for role in plan.roles where role.selected {
            let writesGrants = role.changes.contains { $0.kind == .putRolePolicy }
            for planned in role.requirements {
                guard planned.state == .granted || (planned.state == .add && writesGrants) else { continue }
                let requirement = planned.requirement
                guard let arn = try? ARN(parsing: requirement.resource), ARN.isAccountID(arn.account),
                    arn.account != role.account
                else { continue }
                let kind = kind(of: requirement.action, on: arn)
                let key = [arn.account, kind.rawValue, requirement.resource, role.arn].joined(separator: "\n")
                var entry =
                    grouped[key]
                    ?? (
                        ResourceOwnerAction(
                            account: arn.account, region: arn.region, kind: kind, resource: requirement.resource,
                            role: role.arn, actions: [], statementID: statementID(role: role.arn), flows: []),
                        []
                    )
                if !entry.action.actions.contains(requirement.action) {
                    entry.action.actions.append(requirement.action)
                    entry.action.actions.sort()
                }
                if !entry.action.flows.contains(requirement.flow) {
                    entry.action.flows.append(requirement.flow)
                    entry.action.flows.sort()
                }
                entry.conditions.append(requirement.condition)
                grouped[key] = entry
            }
        }
        return grouped.values.map { entry in
            var action = entry.action
            if action.kind == .kmsKeyPolicy { action.condition = encryptionContext(entry.conditions) }
            return action
        }.sorted()
    }

    /// `flowrole-` and the first 12 hex digits of the SHA-256 of the role ARN: fits Lambda's
    /// statement ids (`[a-zA-Z0-9-_.]+`, at most 100) and Lex's statement names.
    public static func statementID(role: String) -> String {
        "flowrole-" + ContentDigest.sha256(Array(role.utf8)).prefix(12)
    }

    static func kind(of action: String, on arn: ARN) -> ResourceOwnerAction.Kind {
        switch (arn.service, action) {
        case ("lambda", "lambda:InvokeFunction") where arn.resource.hasPrefix("function:"): .lambdaPermission
        case ("lex", "lex:RecognizeUtterance") where arn.resource.hasPrefix("bot-alias/"): .lexResourcePolicy
        case ("kms", _) where action.hasPrefix("kms:"): .kmsKeyPolicy
        default: .other
        }
    }

    /// The flows' encryption context, as one `StringEquals` over every flow ARN the grants name
    /// (several values are alternatives); nil when some grant had no such condition (then the
    /// role's side is unconditional, and so is the key's).
    static func encryptionContext(_ conditions: [JSONValue?]) -> JSONValue? {
        var flows = Set<String>()
        for condition in conditions {
            guard let single = GrantPlanner.alternativesKey(condition),
                single.key == KMSKeyResolver.encryptionContextKey
            else { return nil }
            flows.formUnion(single.values)
        }
        guard !flows.isEmpty else { return nil }
        // Always a list in a key policy, however many flows: the key's owner adds to it.
        return .object([
            JSONMember(
                "StringEquals",
                .object([JSONMember(KMSKeyResolver.encryptionContextKey, .array(flows.sorted().map(JSONValue.string)))])
            )
        ])
    }
}
