import FlowRoleJSON
import IAMPolicy
import Inventory

/// Decides, for one role, which required grants it already holds, which are blocked and which to
/// add, and writes the migration's own inline policy (DESIGN, "Already granted", blockers, "Where
/// grants go"). Pure: an inventory and requirements in, a decision out.
public struct GrantPlanner: Sendable {
    public var migration: MigrationDefinition
    /// IAM's limit on the inline policies of a role together, in characters without whitespace
    /// (IAM UG, iam-quotas).
    public var inlineQuota: Int

    public init(migration: MigrationDefinition, inlineQuota: Int = PolicySize.inlineTotalQuota) {
        self.migration = migration
        self.inlineQuota = inlineQuota
    }

    /// The decision for one role.
    public struct Decision: Sendable, Hashable {
        public var requirements: [PlannedRequirement]
        public var findings: [Finding]
        /// The migration's inline policy as found (a previous run's), or nil.
        public var ownedPolicyBefore: PolicyDocument?
        /// The migration's inline policy after the plan, or nil when it does not change.
        public var ownedPolicyAfter: PolicyDocument?
    }

    public func plan(role: Role, requirements: [Requirement], inventory: Inventory) -> Decision {
        plan(role: role, requirements: requirements, inventory: inventory, fast: true)
    }

    /// The requirements `plan(role:requirements:inventory:)` does not find granted, in its order,
    /// without building the owned policy or counting the quota (which only turns an addition into
    /// a block, never anything into granted): for requirements that are checked but never added
    /// (flows outside the migration).
    public func ungranted(role: Role, requirements: [Requirement], inventory: Inventory) -> [Requirement] {
        plan(role: role, requirements: requirements, inventory: inventory, fast: true, statesOnly: true)
            .requirements.filter { $0.state != .granted }.map(\.requirement)
    }

    /// ``plan(role:requirements:inventory:)``; `fast: false` is the reference the tests compare
    /// the fast paths with (each ARN parsed whole, every list sorted). `statesOnly` leaves out
    /// the owned policy, its quota and their findings.
    func plan(
        role: Role, requirements: [Requirement], inventory: Inventory, fast: Bool, statesOnly: Bool = false
    ) -> Decision {
        var findings = Set<Finding>()
        func note(_ severity: Finding.Severity, _ code: String, _ subject: String, _ message: String) {
            findings.insert(Finding(severity: severity, code: code, message: message, subject: subject))
        }

        // The identity policies the inputs hold, and what they do not.
        var policies: [NamedPolicy] = role.inlinePolicies.map {
            NamedPolicy(id: $0.name, kind: .inline, document: $0.document)
        }
        var sharedPolicies = Set<String>()
        for attached in role.attachedPolicies ?? [] {
            guard let policy = inventory.managedPolicy(arn: attached.arn), let version = policy.defaultVersion else {
                note(
                    .warning, "POLICY_NOT_IN_INPUTS", attached.arn,
                    "role \(role.name) attaches \(attached.arn), whose default version is not in the inputs: it is unknown, not empty, and proves nothing."
                )
                continue
            }
            policies.append(NamedPolicy(id: attached.arn, kind: .managed, document: version.document))
            if !policy.isAWSManaged, (policy.attachmentCount ?? 0) > 1 { sharedPolicies.insert(attached.arn) }
        }
        if role.inlinePolicyNames == nil || !role.inlinePoliciesComplete || role.attachedPolicies == nil {
            note(
                .warning, "ROLE_POLICIES_INCOMPLETE", role.arn,
                "some of role \(role.name)'s inline or attached policies are not in the inputs; grants are still added, and the unknown part proves nothing."
            )
        }
        var boundary: NamedPolicy?
        if let arn = role.permissionsBoundaryArn {
            if let document = inventory.managedPolicy(arn: arn)?.defaultVersion?.document {
                boundary = NamedPolicy(id: arn, kind: .permissionsBoundary, document: document)
            } else {
                note(
                    .warning, "BOUNDARY_NOT_IN_INPUTS", arn,
                    "role \(role.name)'s permissions boundary \(arn) is not in the inputs: whether it allows the grants is unknown; they are added."
                )
            }
        }
        let identity = PolicySet(policies)
        /// The state of one requirement, its findings noted.
        func judge(_ requirement: Requirement) -> PlannedRequirement.State {
            let subject = requirement.resource
            if role.isServiceLinked {
                note(
                    .blocker, "SERVICE_LINKED_ROLE", role.arn,
                    "role \(role.name) is service-linked (path \(role.path)) and cannot be edited.")
                return .blocked
            }
            if !fast || Self.mayBeInOtherAccount(requirement.resource, role.account),
                let account = try? ARN(parsing: requirement.resource).account, ARN.isAccountID(account),
                account != role.account
            {
                note(
                    .warning, "CROSS_ACCOUNT_RESOURCE", subject,
                    "\(subject) is in account \(account), not the role's \(role.account): its resource policy must allow role \(role.arn) too."
                )
            }
            // A conditional grant is judged in the request context the migration declares for it;
            // an unconditional one only by an unconditional Allow (DESIGN, "Already granted").
            let assumed = requirement.assumedContext
            let proof = identity.evaluate(action: requirement.action, resource: requirement.resource, assuming: assumed)
            for deny in proof.conditionalDenies {
                note(
                    .warning, "CONDITIONAL_DENY", subject,
                    "\(deny.reference) denies \(requirement.action) on \(subject) under a condition; the grant is added, but the Deny may still apply."
                )
            }
            if proof.verdict == .denied {
                let by = proof.denies.map(\.reference.description).joined(separator: "; ")
                note(
                    .blocker, "EXPLICIT_DENY", subject,
                    "\(by) denies \(requirement.action) on \(subject) without condition; an added Allow would not help."
                )
                return .blocked
            }
            if let boundary {
                let allowed = boundary.boundaryAllows(
                    action: requirement.action, resource: requirement.resource, assuming: assumed)
                switch allowed.verdict {
                case .doesNotAllow:
                    note(
                        .blocker, "PERMISSIONS_BOUNDARY", subject,
                        "the permissions boundary \(boundary.id) does not allow \(requirement.action) on \(subject); an added Allow would not help."
                    )
                    return .blocked
                case .allowsOnlyUnderCondition:
                    note(
                        .warning, "CONDITIONAL_BOUNDARY", subject,
                        "the permissions boundary \(boundary.id) allows \(requirement.action) on \(subject) only under a condition; the grant is added."
                    )
                case .allows: break
                }
            }
            // A required resource that is itself a pattern (`bucket/*`) is held only if an Allow
            // covers every resource it stands for, not merely its text (`bucket/?` matches the
            // text `bucket/*` and one-character keys only).
            var verdict = proof.verdict
            if verdict == .allowed, Self.isPattern(requirement.resource),
                !proof.allows.contains(where: { Self.coversPattern(requirement.resource, $0.reference, in: identity) })
            {
                verdict = .notAllowed
            }
            switch verdict {
            case .allowed:
                let by = proof.allows.map(\.reference)
                note(
                    .info, "ALREADY_GRANTED", subject,
                    "\(requirement.action) on \(subject) is already allowed by \(by.map(\.description).joined(separator: "; "))."
                )
                for reference in by where sharedPolicies.contains(reference.policyID) {
                    note(
                        .info, "SHARED_MANAGED_POLICY", subject,
                        "\(requirement.action) on \(subject) is held by \(reference.policyID), a customer-managed policy attached to other roles too; it is left as it is."
                    )
                }
                return .granted
            case .conditionallyAllowed:
                note(
                    .warning, "CONDITIONAL_GRANT", subject,
                    "only a conditional Allow (\(proof.conditionalAllows.map(\.reference.description).joined(separator: "; "))) covers \(requirement.action) on \(subject); that proves nothing, so the grant is added."
                )
                return .add
            case .notAllowed, .denied:
                return .add
            }
        }
        var planned: [PlannedRequirement] = []
        var toAdd: [Requirement] = []
        planned.reserveCapacity(requirements.count)
        // Judged in the order given, not sorted first: the findings are a set that keeps the
        // first of canonically equivalent findings (a subject with a Kelvin sign beside one with
        // `K`), so the order of judging decides which bytes a finding keeps.
        for requirement in requirements {
            let state = judge(requirement)
            planned.append(PlannedRequirement(requirement: requirement, state: state))
            if state == .add { toAdd.append(requirement) }
        }

        let before = role.inlinePolicies.first { $0.name == migration.policyName }?.document
        var after: PolicyDocument?
        if !toAdd.isEmpty && !statesOnly {
            after = ownedPolicy(before: before, adding: toAdd, fast: fast)
            // The quota counts every inline policy of the role, the owned one as it would be.
            var total = after?.json.canonicalCharacterCount ?? 0
            for policy in role.inlinePolicies where policy.name != migration.policyName {
                total += policy.document.json.canonicalCharacterCount
            }
            if total > inlineQuota {
                note(
                    .blocker, "QUOTA_EXCEEDED", role.arn,
                    "the role's inline policies would total \(total) characters without whitespace; IAM allows \(inlineQuota). Nothing is added."
                )
                planned = planned.map {
                    $0.state == .add ? PlannedRequirement(requirement: $0.requirement, state: .blocked) : $0
                }
                after = nil
            }
        }
        return Decision(
            requirements: fast ? Self.sorted(planned) : planned.sorted(), findings: findings.sorted(),
            ownedPolicyBefore: before,
            ownedPolicyAfter: after)
    }

    /// False when `resource` cannot be an ARN whose account is a 12-digit id other than `account`:
    /// the part between its fourth and fifth `:` (the account, as ``ARN/init(parsing:)`` splits)
    /// is missing, is not twelve ASCII digits, or is `account`. Then parsing it, most of the cost
    /// of a requirement's cross-account check, is skipped; when true the ARN is parsed as before.
    static func mayBeInOtherAccount(_ resource: String, _ account: String) -> Bool {
        let contiguous: Bool?? = resource.utf8.withContiguousStorageIfAvailable { text in
            account.utf8.withContiguousStorageIfAvailable { own in mayBeInOtherAccount(utf8: text, own) }
        }
        if let contiguous, let answer = contiguous { return answer }
        return Array(resource.utf8).withUnsafeBufferPointer { text in
            Array(account.utf8).withUnsafeBufferPointer { own in mayBeInOtherAccount(utf8: text, own) }
        }
    }

    /// ``mayBeInOtherAccount(_:_:)`` on UTF-8 bytes.
    private static func mayBeInOtherAccount(utf8 text: UnsafeBufferPointer<UInt8>, _ own: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard let field = ARN.accountIDBytes(in: text) else { return false }
        return !field.elementsEqual(own)
    }

    /// Whether two values are written the same: the same shape, members in the same order, and
    /// strings of the same UTF-8 bytes (`==` on strings would call canonically equivalent text
    /// equal, whose canonical forms can differ). Then their canonical texts are equal too.
    static func identical(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (let left?, let right?): return identical(left, right)
        default: return false
        }
    }

    static func identical(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool { lhs.hasSameBytes(as: rhs) }

    /// `items.sorted()`, without the sort when no item precedes the one before it: the standard
    /// sort is stable and leaves such a list as it is (one run), whatever the order's quirks.
    static func sorted<Item: Comparable>(_ items: [Item]) -> [Item] {
        var index = 1
        while index < items.count {
            if items[index] < items[index - 1] { return items.sorted() }
            index += 1
        }
        return items
    }

    /// A condition of exactly one `StringEquals` key: that key and its values (one or several).
    static func alternativesKey(_ condition: JSONValue?) -> (key: String, values: [String])? {
        guard case .object(let operators)? = condition, operators.count == 1, operators[0].key == "StringEquals",
            case .object(let keys) = operators[0].value, keys.count == 1, let values = keys[0].value.stringList,
            !values.isEmpty
        else { return nil }
        return (keys[0].key, values)
    }

    /// The single-valued conditions a condition stands for: each value of a one-key `StringEquals`
    /// list on its own (they are alternatives); any other condition as it is.
    static func alternatives(_ condition: JSONValue?) -> [JSONValue?] {
        guard let single = alternativesKey(condition), single.values.count > 1 else { return [condition] }
        return single.values.map { Grant.stringEquals(single.key, [$0]) }
    }

    static func isPattern(_ resource: String) -> Bool { resource.hasIAMWildcard }

    /// Whether the statement `reference` names holds a `Resource` pattern that covers every
    /// resource `required` (a pattern) stands for: `*`, the same text, or literal text and a final
    /// `*` whose literal part is a prefix of `required`'s literal part. Sound, not complete: other
    /// covering patterns are not recognised, and the grant is then added.
    static func coversPattern(_ required: String, _ reference: StatementReference, in set: PolicySet) -> Bool {
        guard let policy = set.policies.first(where: { $0.id == reference.policyID }),
            policy.document.statements.indices.contains(reference.statementIndex),
            let element = policy.document.statements[reference.statementIndex].resource, !element.isNegated
        else { return false }
        let requiredLiteral = required.prefix { $0 != "*" && $0 != "?" }
        return element.patterns.contains { pattern in
            let text = pattern.text
            if text == "*" || text == required { return true }
            guard text.hasSuffix("*") else { return false }
            let literal = text.dropLast()
            return !isPattern(String(literal)) && !literal.containsASCII("$") && requiredLiteral.hasPrefix(literal)
        }
    }

    /// The migration's own policy with the grants added: one statement per (rule Sid, action,
    /// condition) — Allow, the one action, the resources sorted, the condition as the resolver
    /// wrote it — so a statement never grants an action on another action's resource. A statement
    /// a previous run wrote keeps its resources and gains the new ones, new statements are
    /// appended, nothing else is touched. The Sid is the rule's own when the rule has one action
    /// and no condition (the 2024-11-22 migration); otherwise the rule's Sid, the action's name
    /// and, for a second condition, a number.
    func ownedPolicy(before: PolicyDocument?, adding requirements: [Requirement]) -> PolicyDocument? {
        ownedPolicy(before: before, adding: requirements, fast: true)
    }

    /// ``ownedPolicy(before:adding:)``; `fast: false` is the reference the tests compare the fast
    /// paths with: three dictionary look-ups of a group per requirement, a sort of sorted lists,
    /// conditions compared by their canonical text always.
    func ownedPolicy(before: PolicyDocument?, adding requirements: [Requirement], fast: Bool) -> PolicyDocument? {
        struct Group: Hashable {
            var sid: String
            var action: String
            var condition: JSONValue?
        }
        var grouped: [(group: Group, resources: [String])] = []
        if fast {
            // Sorted requirements come group by group mostly: the group of the one before is
            // tried first, then the index of each group (one hash), not the resources by group.
            var indexOf: [Group: Int] = [:]
            for requirement in Self.sorted(requirements) {
                let group = Group(sid: requirement.sid, action: requirement.action, condition: requirement.condition)
                let at: Int
                if let last = grouped.indices.last, grouped[last].group == group {
                    at = last
                } else if let known = indexOf[group] {
                    at = known
                } else {
                    at = grouped.count
                    indexOf[group] = at
                    grouped.append((group, []))
                }
                if grouped[at].resources.last != requirement.resource,
                    !grouped[at].resources.contains(requirement.resource)
                {
                    grouped[at].resources.append(requirement.resource)
                }
            }
        } else {
            var resourcesByGroup: [Group: [String]] = [:]
            var order: [Group] = []
            for requirement in requirements.sorted() {
                let group = Group(sid: requirement.sid, action: requirement.action, condition: requirement.condition)
                if resourcesByGroup[group] == nil {
                    order.append(group)
                    resourcesByGroup[group] = []
                }
                if resourcesByGroup[group]?.contains(requirement.resource) == false {
                    resourcesByGroup[group]?.append(requirement.resource)
                }
            }
            grouped = order.map { ($0, resourcesByGroup[$0] ?? []) }
        }
        // Groups that differ only in the value of one StringEquals key, on the same resources —
        // the encryption context of each flow using one key — become one statement listing the
        // values: IAM reads several values of a key as alternatives, so the statement grants
        // exactly the union, and a role with many encrypted flows stays within its quota.
        var merged: [(group: Group, resources: [String])] = []
        var mergedAt: [String: Int] = [:]
        for (group, resources) in grouped {
            if let single = Self.alternativesKey(group.condition) {
                let mergeKey = ([group.sid, group.action, single.key] + resources.sorted()).joined(separator: "\u{0}")
                if let at = mergedAt[mergeKey], let existing = Self.alternativesKey(merged[at].group.condition) {
                    let values = Array(Set(existing.values + single.values)).sorted()
                    merged[at].group.condition = Grant.stringEquals(single.key, values)
                    continue
                }
                mergedAt[mergeKey] = merged.count
            }
            merged.append((group, resources))
        }
        let order = merged.map(\.group)
        let resourcesByGroup = Dictionary(
            merged.map { ($0.group, $0.resources) }, uniquingKeysWith: { first, _ in first })
        let plainPerSid = Dictionary(grouping: order, by: \.sid).mapValues { groups in
            groups.count == 1 && groups[0].condition == nil
        }
        var statements: [JSONValue] = before.map { $0.statements.map(\.json) } ?? []
        /// A statement grants as written here only when it is exactly this shape: Allow, the one
        /// action, Resource, and the group's condition or none. Anything else (a hand-added
        /// Condition, another action) is left as it is and the grants go into a new statement, so
        /// applying really grants them.
        func isPlain(_ statement: JSONValue, _ group: Group) -> Bool {
            if fast {
                // The same test without a set of keys, and conditions written alike byte for
                // byte (the usual case: the statement was written from this very condition)
                // without writing their canonical text.
                var hasResource = false
                for member in statement.objectMembers ?? [] {
                    switch member.key {
                    case "Resource": hasResource = true
                    case "Sid", "Effect", "Action", "Condition": break
                    default: return false
                    }
                }
                let condition = statement["Condition"]
                guard hasResource, statement["Effect"] == "Allow",
                    Self.identical(condition, group.condition)
                        || condition?.canonicalText == group.condition?.canonicalText
                else {
                    return false
                }
            } else {
                let keys = Set((statement.objectMembers ?? []).map(\.key))
                guard keys.isSubset(of: ["Sid", "Effect", "Action", "Resource", "Condition"]),
                    keys.contains("Resource"),
                    statement["Effect"] == "Allow",
                    statement["Condition"]?.canonicalText == group.condition?.canonicalText
                else {
                    return false
                }
            }
            switch statement["Action"] {
            case .string(let one)?: return one == group.action
            case .array(let items)?: return items == [.string(group.action)]
            default: return false
            }
        }
        func uniqueSid(_ base: String) -> String {
            var candidate = base
            var counter = 2
            while statements.contains(where: { $0["Sid"] == .string(candidate) }) {
                candidate = base + String(counter)
                counter += 1
            }
            return candidate
        }
        for group in order {
            guard let resources = resourcesByGroup[group] else { continue }
            // Resources a plain statement of this migration already grants need nothing.
            let held = Set(statements.filter { isPlain($0, group) }.flatMap { $0["Resource"]?.stringList ?? [] })
            let wanted = resources.filter { !held.contains($0) }
            if wanted.isEmpty { continue }
            let name =
                plainPerSid[group.sid] == true
                ? group.sid : group.sid + (group.action.split(separator: ":").last.map(String.init) ?? "")
            if let index = statements.firstIndex(where: {
                ($0["Sid"]?.stringValue ?? "").hasPrefix(name) && isPlain($0, group)
            }) {
                // A plain statement's resources are all held, so every wanted one is new to it.
                var members = statements[index].objectMembers ?? []
                let existing = statements[index]["Resource"]?.stringList ?? []
                if let position = members.firstIndex(where: { $0.key == "Resource" }) {
                    members[position].value = .array((existing + wanted).map { .string($0) })
                }
                statements[index] = .object(members)
            } else {
                var members: [JSONMember] = [
                    JSONMember("Sid", .string(uniqueSid(name))), JSONMember("Effect", "Allow"),
                    JSONMember("Action", .string(group.action)),
                    JSONMember("Resource", .array(wanted.map { .string($0) })),
                ]
                if let condition = group.condition { members.append(JSONMember("Condition", condition)) }
                statements.append(.object(members))
            }
        }
        let json: JSONValue
        if let before {
            var members = before.json.objectMembers ?? []
            if let position = members.firstIndex(where: { $0.key == "Statement" }) {
                members[position].value = .array(statements)
            } else {
                members.append(JSONMember("Statement", .array(statements)))
            }
            json = .object(members)
        } else {
            json = ["Version": "2012-10-17", "Statement": .array(statements)]
        }
        return try? PolicyDocument(json: json)
    }
}
