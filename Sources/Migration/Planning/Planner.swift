import FlowRoleJSON
import IAMPolicy
import Inventory

/// From an inventory to a plan (DESIGN, "What the 2024-11-22 migration decides"): requirements
/// per flow version, joined to the roles those versions run as, decided per role by the
/// `GrantPlanner`, with the findings a reviewer needs. Pure.
public struct Planner: Sendable {
    public var migration: MigrationDefinition
    public var options: PlannerOptions

    public init(migration: MigrationDefinition, options: PlannerOptions = PlannerOptions()) {
        self.migration = migration
        self.options = options
    }

    /// What one role collects from the flows that use it.
    private struct RoleUse {
        var flows: [String: RoleFlow] = [:]
        /// Flow ARN → index of the flow in the inventory (the last of that ARN, as the flows are met).
        var flowModels: [String: Int] = [:]
        var migrate: [Requirement] = []
        var check: [Requirement] = []
        /// Duplicates included: they are dropped once, when the role's findings are sorted.
        var findings: [Finding] = []
    }

    public func plan(_ inventory: Inventory, inputs: [PlanInput]) -> Plan {
        var effective = migration
        if let legacyBefore = options.legacyBefore { effective.legacyBefore = legacyBefore }
        let deriver = RequirementDeriver(
            migration: effective, bucketOwner: options.bucketOwner, inferenceProfiles: inventory.inferenceProfiles)
        let lookup = RoleLookup(roles: inventory.roles)
        var planFindings = Set<Finding>()
        planFindings.insert(
            Finding(
                severity: .info, code: "SCP_NOT_EVALUATED",
                message:
                    "service control and resource control policies of AWS Organizations are not in the inputs; the plan assumes none of them denies the grants.",
                subject: "*"))

        // Deriving, finding the roles a flow's versions and requirements run as, and the flow's
        // own findings is per flow and pure: on every core.
        let scope = effective.scope
        let derivations = inventory.flows.concurrentMap { flow in
            let derived = deriver.derive(flow)
            let migrated = derived.legacy || options.includeNewFlows || scope == .all
            let versionRoles =
                [("DRAFT", flow.executionRoleArn)] + flow.versions.map { ($0.version, $0.executionRoleArn) }
            // The DRAFT and its versions mostly run as one role: an ARN of the same bytes as one
            // before it takes that answer (the look-up is pure) without hashing it again.
            var resolvedVersionRoles: [(version: String, roleArn: String, role: (arn: String, path: String)?)] = []
            resolvedVersionRoles.reserveCapacity(versionRoles.count)
            for (version, roleArn) in versionRoles {
                if let known = resolvedVersionRoles.first(where: { $0.roleArn.hasSameUTF8(as: roleArn) }) {
                    resolvedVersionRoles.append((version: version, roleArn: roleArn, role: known.role))
                    continue
                }
                resolvedVersionRoles.append(
                    (
                        version: version, roleArn: roleArn,
                        role: lookup.position(
                            forExecutionRoleArn: roleArn, flowPartition: flow.partition, flowAccount: flow.account
                        ).map { (arn: lookup.roles[$0].arn, path: lookup.roles[$0].path) }
                    ))
            }
            return FlowDerivation(
                derived: derived, migrated: migrated, versionRoles: resolvedVersionRoles,
                // Each requirement runs as the role of the DRAFT or version it came from, looked
                // up just above for the same flow: that answer (the look-up is pure) is taken
                // when the ARN is the same bytes, sparing a hash of it per requirement.
                requirementsByRole: Self.grouped(
                    derived.requirements,
                    roles: derived.requirements.map { requirement in
                        if let known = resolvedVersionRoles.first(where: {
                            $0.roleArn.hasSameUTF8(as: requirement.roleArn)
                        }) {
                            return known.role?.arn
                        }
                        return lookup.position(
                            forExecutionRoleArn: requirement.roleArn, flowPartition: flow.partition,
                            flowAccount: flow.account
                        ).map { lookup.roles[$0].arn }
                    }),
                findings: Self.flowFindings(flow, derived: derived, migrated: migrated))
        }
        // In order, only which flows reach each role (their indices, in inventory order) and the
        // plan's own findings; what each role collects from its flows is gathered per role below.
        var flowsOfRole: [String: [Int]] = [:]
        // By index: copying each flow and derivation out of its array cost more than this pass.
        for index in derivations.indices {
            var reached: [String] = []
            for (version, roleArn, role) in derivations[index].versionRoles {
                guard let role else {
                    planFindings.insert(
                        Finding(
                            severity: .warning, code: "ROLE_NOT_IN_INPUTS",
                            message:
                                "flow \(inventory.flows[index].name) (\(version)) runs as \(roleArn), which the IAM inputs do not hold; nothing is planned for it.",
                            subject: roleArn))
                    continue
                }
                if !reached.contains(role.arn) { reached.append(role.arn) }
            }
            if reached.isEmpty { planFindings.formUnion(derivations[index].findings) }
            for group in derivations[index].requirementsByRole {
                if let roleArn = group.roleArn, !reached.contains(roleArn) { reached.append(roleArn) }
            }
            for roleArn in reached { flowsOfRole[roleArn, default: []].append(index) }
        }

        // Coverage: the inventory's (flows, manifests) and the command line's `--flow-regions`.
        var coverage = Set(inventory.coverage)
        var partitions: [String: Set<String>] = [:]
        // By index here and below: copying each role or flow out of its array costs more than
        // reading the two fields.
        for index in inventory.roles.indices {
            partitions[inventory.roles[index].account, default: []].insert(inventory.roles[index].partition)
        }
        for index in inventory.flows.indices {
            partitions[inventory.flows[index].account, default: []].insert(inventory.flows[index].partition)
        }
        for declared in options.flowRegions {
            let parts = declared.split(separator: ":", maxSplits: 1).map(String.init)
            let accounts = parts.count == 2 ? [parts[0]] : inventory.accounts
            for account in accounts {
                for partition in partitions[account] ?? ["aws"] {
                    coverage.insert(
                        Coverage(partition: partition, account: account, region: parts.last ?? declared, by: .flag))
                }
            }
        }
        let trustCoverage = TrustTightener.Coverage(Array(coverage))
        let tightener = TrustTightener(
            maxCharacters: options.trustPolicyMaxCharacters, tightenUnconditioned: options.tightenUnconditioned)

        // The roles stacks and states in the inputs own; an owner that names no account and whose
        // role name several accounts use marks none of them, and the plan says so.
        var iacOwners: [String: [IaCOwner]] = [:]
        // Built only when there are owners: it files a copy of every role by its name.
        let ownership = inventory.iacOwners.isEmpty ? IaCOwnership(roles: []) : IaCOwnership(roles: inventory.roles)
        for owner in inventory.iacOwners {
            switch ownership.match(owner) {
            case .roles(let owned):
                for role in owned { iacOwners[role.arn, default: []].append(owner) }
            case .ambiguous(let candidates):
                planFindings.insert(Self.ambiguousIaCFinding(owner: owner, candidates: candidates))
            }
        }

        let grants = GrantPlanner(migration: effective)
        // How many roles in the inputs attach each managed policy.
        var attachments: [String: Int] = [:]
        for index in inventory.roles.indices {
            for attached in inventory.roles[index].attachedPolicies ?? [] { attachments[attached.arn, default: 0] += 1 }
        }
        // Each role is decided from what it collected, independently of the others: on every core.
        let roles = inventory.roles.concurrentMap {
            [flowsOfRole, derivations, iacOwners, effective, attachments] role -> RolePlan in
            let use = Self.use(
                of: role.arn, flows: flowsOfRole[role.arn] ?? [], inventory: inventory, derivations: derivations)
            // The flows by ARN, as positions in the inventory's flows: read there, not copied.
            let flowPositions = use.flowModels.sorted { $0.key < $1.key }.map(\.value)
            let selected = options.selection.selects(
                role, usedBy: options.selection.readsFlows ? flowPositions.map { inventory.flows[$0] } : [])
            let decision = grants.plan(role: role, requirements: use.migrate, inventory: inventory)
            // Collected with duplicates and made unique once, sorted (``sortedUnique(_:)``).
            var findings = use.findings + decision.findings
            var notMigrated: [Requirement] = []
            if !use.check.isEmpty {
                // Only whether each is granted matters: no owned policy is built for them.
                for requirement in grants.ungranted(role: role, requirements: use.check, inventory: inventory) {
                    notMigrated.append(requirement)
                    findings.append(
                        Finding(
                            severity: .warning, code: "NEW_FLOW_MISSING_GRANT",
                            message:
                                "\(requirement.action) on \(requirement.resource) is needed by flow \(requirement.flow) (\(requirement.version), node \(requirement.node)), created after the window, and the role does not grant it: the flow is broken today. --include-new-flows adds it.",
                            subject: requirement.resource))
                }
            }
            // Infrastructure as code: a role a stack or state owns is changed through its template,
            // or the next deployment reverts the change.
            if let finding = Self.iacFinding(role: role, owners: iacOwners[role.arn] ?? [], iacTags: options.iacTags) {
                findings.append(finding)
            }
            if role.name.hasPrefix("AmazonBedrockExecutionRoleForFlows_") {
                findings.append(
                    Finding(
                        severity: .info, code: "CONSOLE_MANAGED_ROLE",
                        message:
                            "role \(role.name) was created by the Bedrock console, which rewrites its policy when a flow is saved; run verify again after saving flows.",
                        subject: role.arn))
            }
            var changes: [Change] = []
            if selected, let after = decision.ownedPolicyAfter {
                changes.append(
                    Change(
                        kind: .putRolePolicy, policyName: effective.policyName,
                        before: decision.ownedPolicyBefore?.json, after: after.json))
            }
            // Trust: pinned to every flow seen that uses the role, of any age and whatever the
            // selection (which chooses roles to change, never the flows that keep access).
            if effective.tightensTrust && !options.skipTrust && !role.isServiceLinked, let trust = role.trustPolicy {
                let result = tightener.tighten(
                    roleArn: role.arn, roleAccount: role.account, trust: trust,
                    flows: flowPositions.map { TrustTightener.FlowUse(inventory.flows[$0]) }, coverage: trustCoverage)
                findings += result.findings
                if selected, let after = result.after {
                    changes.append(
                        Change(kind: .updateAssumeRolePolicy, policyName: nil, before: trust.json, after: after.json))
                }
            }
            // Least privilege: what the role holds that none of its flows needs, reported only —
            // and only where the inputs can tell (every flow of the role read whole, every node
            // understood, no flow outside the inputs able to use the role).
            if effective.reportsUnneededGrants {
                let codes = Set(findings.map(\.code))
                let cannotTell = !codes.isDisjoint(with: [
                    "FLOW_VERSIONS_INCOMPLETE", "UNKNOWN_NODE_TYPE", "NODE_RESOURCE_INVALID", "TRUST_COVERAGE",
                    "TRUST_NO_FLOWS",
                ])
                if !cannotTell {
                    var policies = role.inlinePolicies.map {
                        NamedPolicy(id: $0.name, kind: .inline, document: $0.document)
                    }
                    // A managed policy other roles may use too is not this role's to judge.
                    for attached in role.attachedPolicies ?? [] {
                        guard let policy = inventory.managedPolicy(arn: attached.arn), !policy.isAWSManaged,
                            (policy.attachmentCount ?? 1) <= 1, (attachments[attached.arn] ?? 0) <= 1,
                            let document = policy.defaultVersion?.document
                        else { continue }
                        policies.append(NamedPolicy(id: attached.arn, kind: .managed, document: document))
                    }
                    findings.append(
                        contentsOf: UnneededGrants.findings(
                            role: role, policies: policies, requirements: use.migrate + use.check,
                            modelsUnknown: !codes.isDisjoint(with: [
                                "MODEL_NOT_RESOLVED", "INFERENCE_PROFILE_ROUTES_UNKNOWN",
                            ])))
                }
            }
            // Marking leaves the order as it is: `<` does not read `suppressed`.
            let marked = Self.sortedUnique(findings).map { finding -> Finding in
                var finding = finding
                finding.suppressed = options.suppressions.contains { $0.suppresses(finding, today: options.today) }
                return finding
            }
            let blocked =
                decision.requirements.contains { $0.state == .blocked }
                || marked.contains { $0.severity == .blocker && !$0.suppressed }
            let status: RolePlan.Status = !changes.isEmpty ? .change : (selected && blocked ? .blocked : .unchanged)
            return RolePlan(
                arn: role.arn, name: role.name, account: role.account, source: role.sources.first,
                basis: Self.basis(role: role, flows: flowPositions, of: inventory.flows, inventory: inventory),
                status: status,
                selected: selected,
                flows: use.flows.values.sorted { $0.arn < $1.arn }, requirements: decision.requirements,
                changes: changes, findings: marked, notMigrated: notMigrated.sorted())
        }

        var selection = Selection()
        selection.accounts = options.selection.accounts.sorted()
        selection.regions = options.selection.regions.sorted()
        selection.roles = options.selection.roles.sorted()
        selection.flows = options.selection.flows.sorted()
        selection.tags = options.selection.tags.sorted()
        selection.excluded = options.selection.excluded.sorted()
        // Function-policy statements for bedrock.amazonaws.com that no flow needs once the plan is
        // applied (reported, never removed).
        planFindings.formUnion(
            ObsoleteServicePrincipalGrants.findings(inventory: inventory, roles: roles, deriver: deriver))
        let top = planFindings.map { finding -> Finding in
            var finding = finding
            finding.suppressed = options.suppressions.contains { $0.suppresses(finding, today: options.today) }
            return finding
        }.sorted()
        var settings = Plan.Settings()
        settings.includeNewFlows = options.includeNewFlows
        settings.skipTrust = options.skipTrust
        settings.tightenUnconditioned = options.tightenUnconditioned
        settings.trustPolicyMaxCharacters = options.trustPolicyMaxCharacters
        settings.flowRegions = options.flowRegions.sorted()
        settings.iacTags = options.iacTags.sorted()
        settings.bucketOwner = options.bucketOwner
        return Plan(
            migrationID: effective.id, legacyBefore: effective.legacyBefore,
            inputs: inputs.sorted { $0.path < $1.path },
            selection: selection, coverage: coverage.sorted(), roles: roles.sorted { $0.arn < $1.arn }, findings: top,
            generatedAt: options.timestamp, settings: settings)
    }

    /// What the planner learns of one flow before any role is decided.
    private struct FlowDerivation: Sendable {
        var derived: RequirementDeriver.Result
        /// Legacy, or planned anyway (`--include-new-flows`, a migration of every flow).
        var migrated: Bool
        /// The DRAFT's and each version's role, as the inputs hold it (nil: not in the inputs).
        var versionRoles: [(version: String, roleArn: String, role: (arn: String, path: String)?)]
        /// The requirements by the role they run as, as the inputs hold it (nil: not in the
        /// inputs): one group per role, in the order the roles first appear, each in the
        /// requirements' order (``grouped(_:roles:)``).
        var requirementsByRole: [(roleArn: String?, requirements: [Requirement])]
        /// The flow's findings, given to every role its versions run as.
        var findings: [Finding]
    }

    /// The findings of a flow: the deriver's, and FLOW_VERSIONS_INCOMPLETE when versions it must
    /// read are not in the inputs — an alias's whatever the flow's age, a migrated flow's at all.
    private static func flowFindings(_ flow: Flow, derived: RequirementDeriver.Result, migrated: Bool) -> [Finding] {
        var flowFindings = derived.findings
        var missing: [String] = []
        if migrated && !flow.versionsKnown {
            missing.append("its versions were not exported (no list-flow-versions output or bundle versions)")
        }
        if !flow.missingRoutedVersions.isEmpty {
            missing.append(
                "an alias routes to version \(flow.missingRoutedVersions.joined(separator: ", ")), which is not in the inputs"
            )
        }
        if migrated && !flow.missingListedVersions.isEmpty {
            missing.append("listed version \(flow.missingListedVersions.joined(separator: ", ")) is not in the inputs")
        }
        if !missing.isEmpty {
            flowFindings.append(
                Finding(
                    severity: .warning, code: "FLOW_VERSIONS_INCOMPLETE",
                    message:
                        "flow \(flow.name): \(missing.joined(separator: "; ")); requirements of versions not read are not planned.",
                    subject: flow.arn))
        }
        return flowFindings
    }

    /// `requirements` grouped by `roles` (the role of each, side by side): one group per distinct
    /// role (by `==`), in the order the roles first appear, each keeping the requirements'
    /// order. Usually every requirement of a flow runs as one role: then the one group shares
    /// the list, and a role used by one flow takes it without copying a requirement.
    static func grouped(_ requirements: [Requirement], roles: [String?]) -> [(
        roleArn: String?, requirements: [Requirement]
    )] {
        guard let first = roles.first else { return [] }
        if roles.allSatisfy({ $0 == first }) { return [(first, requirements)] }
        var groups: [(roleArn: String?, requirements: [Requirement])] = []
        for (requirement, role) in zip(requirements, roles) {
            if let at = groups.firstIndex(where: { $0.roleArn == role }) {
                groups[at].requirements.append(requirement)
            } else {
                groups.append((role, [requirement]))
            }
        }
        return groups
    }

    /// `list.append(contentsOf: added)`, sharing `added`'s storage when `list` is empty.
    private static func append(_ added: [Requirement], to list: inout [Requirement]) {
        if list.isEmpty {
            list = added
        } else {
            list.append(contentsOf: added)
        }
    }

    /// The distinct findings, sorted: what `Array(Set(findings)).sorted()` gives, without
    /// hashing every message. `<` orders by (severity, code, subject, message), with the same
    /// string comparison `==` uses, so findings that neither precedes are equal but for
    /// `suppressed`; the planner marks that only after this, so they are equal, and after the
    /// sort they sit side by side, where one is kept.
    static func sortedUnique(_ findings: [Finding]) -> [Finding] {
        var sorted = findings.sorted()
        guard sorted.count > 1 else { return sorted }
        var kept = 1
        for index in 1..<sorted.count where sorted[index] != sorted[kept - 1] {
            if kept != index { sorted.swapAt(kept, index) }
            kept += 1
        }
        sorted.removeSubrange(kept...)
        return sorted
    }

    /// What one role collects from the flows that reach it (indices into the inventory's flows,
    /// in order): the flows and versions that run as it, their requirements, their findings.
    ///
    /// Flows, derivations and requirements are read in place by index: copying each flow or
    /// derivation out of its array (a dozen references to retain and release) cost more than
    /// the rest of the pass, and a requirement is copied once, into the role's list.
    private static func use(
        of roleArn: String, flows indices: [Int], inventory: Inventory, derivations: [FlowDerivation]
    ) -> RoleUse {
        var use = RoleUse()
        derivations.withUnsafeBufferPointer { derivations in
            inventory.flows.withUnsafeBufferPointer { flows in
                // Both arrays hold every index given (one derivation per flow); empty, no index.
                guard let flowBase = flows.baseAddress, let derivationBase = derivations.baseAddress else { return }
                for index in indices {
                    precondition(flows.indices.contains(index) && derivations.indices.contains(index))
                    collect(
                        into: &use, roleArn: roleArn, index: index, flow: flowBase + index,
                        derivation: derivationBase + index)
                }
            }
        }
        return use
    }

    /// ``use(of:flows:inventory:derivations:)`` for one flow, read through pointers into the
    /// arrays (in place, nothing copied but the requirements and findings kept).
    private static func collect(
        into use: inout RoleUse, roleArn: String, index: Int, flow: UnsafePointer<Flow>,
        derivation: UnsafePointer<FlowDerivation>
    ) {
        var runsAsRole = false
        for position in derivation.pointee.versionRoles.indices {
            guard let role = derivation.pointee.versionRoles[position].role, role.arn == roleArn else { continue }
            let version = derivation.pointee.versionRoles[position].version
            let versionRoleArn = derivation.pointee.versionRoles[position].roleArn
            runsAsRole = true
            let flowArn = flow.pointee.arn
            var entry =
                use.flows.removeValue(forKey: flowArn)
                ?? RoleFlow(
                    arn: flowArn, createdAt: flow.pointee.createdAt.instant, legacy: derivation.pointee.derived.legacy,
                    versions: [])
            if !entry.versions.contains(version) { entry.versions.append(version) }
            entry.versions.sort(by: FlowVersion.versionOrder)
            use.flows[flowArn] = entry
            use.flowModels[flowArn] = index
            if role.arn != versionRoleArn,
                let reference = RoleReference(
                    executionRoleArn: versionRoleArn, flowPartition: flow.pointee.partition,
                    flowAccount: flow.pointee.account),
                reference.path != role.path
            {
                use.findings.append(
                    Finding(
                        severity: .info, code: "ROLE_ARN_PATH_MISMATCH",
                        message:
                            "flow \(flow.pointee.name) (\(version)) names its role with path \(reference.path); the role's path is \(role.path).",
                        subject: flowArn))
            }
        }
        // The requirements running as the role, in order: one group at most (they group by `==`).
        for group in derivation.pointee.requirementsByRole where group.roleArn == roleArn {
            if derivation.pointee.migrated {
                Self.append(group.requirements, to: &use.migrate)
            } else {
                Self.append(group.requirements, to: &use.check)
            }
        }
        if runsAsRole { use.findings += derivation.pointee.findings }
    }
}

// MARK: - Infrastructure as code

extension Planner {
    /// CloudFormation's tag on the resources it tags (not on IAM roles, whatever their stack).
    static let stackNameTag = "aws:cloudformation:stack-name"

    /// One IAC_MANAGED finding per role, naming every owner: the stacks and states in the inputs
    /// that own it, CloudFormation's stack-name tag, and the tags `--iac-tag` names; nil when none.
    static func iacFinding(role: Role, owners: [IaCOwner], iacTags: [String]) -> Finding? {
        // CloudFormation: one phrase per stack, listing its logical ids.
        var stacks: [String: (label: String, name: String?, resources: Set<String>)] = [:]
        var terraform = Set<String>()
        for owner in owners {
            switch owner.kind {
            case .cloudFormation:
                let key = owner.stackId ?? owner.stackName ?? "file:" + owner.path
                stacks[key, default: (owner.owner, owner.stackName, [])].resources.insert(owner.resource)
            case .terraform:
                terraform.insert(owner.label)
            }
        }
        var phrases = stacks.values.map { stack in
            stack.label + ", logical id " + stack.resources.sorted().joined(separator: ", ")
        }.sorted()
        phrases += terraform.sorted()
        let tags = role.tags ?? []
        if let stack = tags.first(where: { $0.key == stackNameTag }),
            !stacks.values.contains(where: { $0.name == stack.value })
        {
            phrases.append("CloudFormation stack \(stack.value) (tag \(stackNameTag))")
        }
        var named = Set<String>()
        for wanted in iacTags {
            let parts = wanted.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            for tag in tags where tag.key == parts[0] && (parts.count == 1 || tag.value == parts[1]) {
                named.insert("tag \(tag.key)=\(tag.value) (--iac-tag \(wanted))")
            }
        }
        phrases += named.sorted()
        guard !phrases.isEmpty else { return nil }
        return Finding(
            severity: .warning, code: "IAC_MANAGED",
            message:
                "role \(role.name) is managed as code by \(phrases.joined(separator: "; ")): change its template or configuration, not the API, or the next deployment reverts the change.",
            subject: role.arn)
    }

    /// An owner that names no account, whose role name roles of several accounts have.
    static func ambiguousIaCFinding(owner: IaCOwner, candidates: [Role]) -> Finding {
        let partitions = Set(candidates.map(\.partition))
        let partition = owner.partition ?? (partitions.count == 1 ? partitions.first ?? "aws" : "*")
        return Finding(
            severity: .warning, code: "IAC_MANAGED",
            message:
                "\(owner.label) owns a role named \(owner.roleName), which \(candidates.count) roles in the inputs have (\(candidates.map(\.arn).joined(separator: ", "))); the input names no account, so none is marked as managed: give describe-stack-resources output or a flowrole export (CloudFormation), or state with the role's arn (Terraform).",
            subject: "arn:\(partition):iam::*:role/\(owner.roleName)")
    }
}
