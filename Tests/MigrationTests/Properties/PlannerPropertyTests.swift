import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Property tests of the planner over seeded random inventories (`InventoryGenerator`): the
/// safety invariants of DESIGN, checked by the planner's own checker and independently of it,
/// idempotency and determinism. A failure names the seed and the options variant; replay it with
/// `InventoryGenerator.inventory(seed:)` and `PropertiesPlannerTests.variants(seed:inventory:)`.
@Suite("Properties: planner over random inventories")
struct PropertiesPlannerTests {
    static let migration = RequirementDeriverTests.migration
    /// 200 seeds by default (about 30 s in debug on 2 cores); `FLOWROLE_PROPERTY_SEEDS=N` runs N.
    static let seeds = Array(
        0..<(ProcessInfo.processInfo.environment["FLOWROLE_PROPERTY_SEEDS"].flatMap(UInt64.init) ?? 200))
    static let ownedSids = Set(migration.rules.map(\.sid))

    // MARK: - Options

    /// Three option sets per seed: the defaults; new flows, unconditioned statements, declared
    /// regions and a random trust quota; and a random selection.
    static func variants(seed: UInt64, inventory: Inventory) -> [(String, PlannerOptions)] {
        var r = PropertyRandom(seed: seed ^ 0xA5A5_5A5A_F00D_BEEF)
        var all: [(String, PlannerOptions)] = [("default", PlannerOptions())]

        var wide = PlannerOptions()
        wide.includeNewFlows = true
        wide.tightenUnconditioned = true
        var declared: [String] = []
        for account in inventory.accounts where r.chance(0.5) { declared.append(account + ":*") }
        if r.chance(0.3) { declared.append(r.pick(InventoryGenerator.allRegions)) }
        if r.chance(0.1) { declared.append("*") }
        wide.flowRegions = declared
        wide.trustPolicyMaxCharacters = r.pick([2048, 2048, 900, 100_000])
        all.append(
            (
                "includeNewFlows+tightenUnconditioned flowRegions=\(declared) trustMax=\(wide.trustPolicyMaxCharacters)",
                wide
            ))

        var selected = PlannerOptions()
        selected.includeNewFlows = r.chance(0.5)
        selected.tightenUnconditioned = r.chance(0.5)
        if r.chance(0.3) { selected.flowRegions = inventory.accounts.map { $0 + ":*" } }
        let roles = inventory.roles
        switch r.int(0...5) {
        case 0: selected.selection.roles = ["Amazon*"]
        case 1: selected.selection.roles = ["*role*"]
        case 2 where !roles.isEmpty: selected.selection.roles = [r.pick(roles).name.lowercased()]
        case 3 where !roles.isEmpty: selected.selection.roles = [r.pick(roles).arn]
        default: break
        }
        if r.chance(0.3) { selected.selection.accounts = r.subset(inventory.accounts, 0.5) }
        if r.chance(0.3), !roles.isEmpty { selected.selection.excluded = [r.pick(roles).name] }
        if r.chance(0.2) { selected.selection.regions = [r.pick(InventoryGenerator.allRegions)] }
        if r.chance(0.15), !inventory.flows.isEmpty { selected.selection.flows = [r.pick(inventory.flows).id] }
        if r.chance(0.15) { selected.selection.tags = ["team=a"] }
        all.append(
            (
                "selection roles=\(selected.selection.roles) accounts=\(selected.selection.accounts) excluded=\(selected.selection.excluded) regions=\(selected.selection.regions) flows=\(selected.selection.flows) tags=\(selected.selection.tags) includeNewFlows=\(selected.includeNewFlows) tightenUnconditioned=\(selected.tightenUnconditioned) flowRegions=\(selected.flowRegions)",
                selected
            ))
        return all
    }

    static func plan(_ inventory: Inventory, _ options: PlannerOptions) -> Plan {
        Planner(migration: migration, options: options).plan(inventory, inputs: [])
    }

    // MARK: - 1. The planner's own invariant checker

    @Test(arguments: seeds)
    func propertiesInvariantCheckerFindsNothing(seed: UInt64) {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in Self.variants(seed: seed, inventory: inventory) {
            let plan = Self.plan(inventory, options)
            let violations = PlanInvariants.violations(plan: plan, inventory: inventory, migration: Self.migration)
            #expect(violations.isEmpty, "seed \(seed), \(name): \(violations)")
        }
    }

    // MARK: - 2. Independent: applying the plan removes nothing

    @Test(arguments: seeds)
    func propertiesApplyingKeepsEveryPermission(seed: UInt64) throws {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in Self.variants(seed: seed, inventory: inventory) {
            let plan = Self.plan(inventory, options)
            let applied = try PlannerTrustTests.applying(plan, to: inventory)
            let violations = PropertyChecks.violations(
                before: inventory, after: applied, plan: plan, options: options, migration: Self.migration)
            #expect(violations.isEmpty, "seed \(seed), \(name): \(violations.prefix(8))")
        }
    }

    // MARK: - 3. Idempotency

    @Test(arguments: seeds)
    func propertiesReplanningTheAppliedStateChangesNothing(seed: UInt64) throws {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in Self.variants(seed: seed, inventory: inventory) {
            let first = Self.plan(inventory, options)
            let applied = try PlannerTrustTests.applying(first, to: inventory)
            let second = Self.plan(applied, options)
            let changed = second.roles.filter { !$0.changes.isEmpty }
            #expect(
                changed.isEmpty,
                "seed \(seed), \(name): re-planning changes \(changed.map { role in "\(role.name): " + role.changes.map { "\($0.kind.rawValue) \($0.policyName ?? "") before=\($0.before?.canonicalText ?? "nil") after=\($0.after.canonicalText)" }.joined(separator: " | ") })"
            )
            let adds = second.roles.filter { $0.selected }.flatMap { role in
                role.requirements.filter { $0.state == .add }.map {
                    "\(role.name): \($0.requirement.action) \($0.requirement.resource)"
                }
            }
            #expect(adds.isEmpty, "seed \(seed), \(name): still to add after applying: \(adds)")
        }
    }

    // MARK: - 4. Determinism

    @Test(arguments: seeds)
    func propertiesPlansAreDeterministic(seed: UInt64) {
        let inventory = InventoryGenerator.inventory(seed: seed)
        var r = PropertyRandom(seed: seed ^ 0x0DDB_A11C_AFE0_0001)
        var shuffled = inventory
        shuffled.roles.shuffle(using: &r)
        shuffled.flows.shuffle(using: &r)
        shuffled.managedPolicies.shuffle(using: &r)
        shuffled.manifestEntries.shuffle(using: &r)
        // The default and the widest options (the selection variant plans the same way).
        for (name, options) in Self.variants(seed: seed, inventory: inventory).prefix(2) {
            let text = Self.plan(inventory, options).json.prettyText
            let again = Self.plan(inventory, options).json.prettyText
            #expect(
                text == again, "seed \(seed), \(name): two runs differ: \(PropertyChecks.firstDifference(text, again))")
            let other = Self.plan(shuffled, options).json.prettyText
            #expect(
                text == other,
                "seed \(seed), \(name): shuffled roles/flows give another plan: \(PropertyChecks.firstDifference(text, other))"
            )
        }
    }

    // MARK: - The generators themselves

    @Test func propertiesGeneratorsCoverTheCasesTheyClaim() throws {
        var codes = Set<String>()
        var nodeTypes = Set<String>()
        var operators = Set<String>()
        var states = Set<String>()
        var changed = 0
        var legacy = 0
        var fresh = 0
        for seed in Self.seeds {
            let inventory = InventoryGenerator.inventory(seed: seed)
            for flow in inventory.flows {
                nodeTypes.formUnion(
                    ([flow.definition] + flow.versions.map(\.definition)).flatMap(\.allNodes).map(\.type))
                if flow.createdAt.instant < Self.migration.legacyBefore { legacy += 1 } else { fresh += 1 }
            }
            for role in inventory.roles {
                for statement in role.trustPolicy?.statements ?? [] {
                    operators.formUnion(statement.json["Condition"]?.objectMembers?.map(\.key) ?? [])
                }
            }
            for (_, options) in Self.variants(seed: seed, inventory: inventory) {
                let plan = Self.plan(inventory, options)
                codes.formUnion((plan.findings + plan.roles.flatMap(\.findings)).map(\.code))
                states.formUnion(plan.roles.flatMap(\.requirements).map(\.state.rawValue))
                changed += plan.roles.filter { !$0.changes.isEmpty }.count
            }
        }
        let wanted: Set<String> = [
            "ALREADY_GRANTED", "CONDITIONAL_GRANT", "CONDITIONAL_DENY", "EXPLICIT_DENY", "PERMISSIONS_BOUNDARY",
            "POLICY_NOT_IN_INPUTS", "BOUNDARY_NOT_IN_INPUTS", "SERVICE_LINKED_ROLE", "CONSOLE_MANAGED_ROLE",
            "CUTOFF_DAY",
            "NEW_FLOW_MISSING_GRANT", "FLOW_VERSIONS_INCOMPLETE", "ROLE_NOT_IN_INPUTS", "ROLE_ARN_PATH_MISMATCH",
            "UNKNOWN_NODE_TYPE", "NODE_RESOURCE_INVALID", "TRUST_COVERAGE", "TRUST_NO_FLOWS", "TRUST_UNCONDITIONED",
            "TRUST_LITERAL_WILDCARD", "TRUST_PATTERN_UNRECOGNISED", "TRUST_PINNED_MISSING_FLOW",
            "CROSS_ACCOUNT_RESOURCE",
            "CONDITIONAL_BOUNDARY", "QUOTA_EXCEEDED", "ROLE_POLICIES_INCOMPLETE",
        ]
        #expect(wanted.subtracting(codes).isEmpty, "never produced: \(wanted.subtracting(codes).sorted())")
        #expect(nodeTypes.isSuperset(of: ["LambdaFunction", "Lex", "Prompt", "Loop", "Teleport"]))
        #expect(operators.isSuperset(of: ["ArnLike", "StringLike", "ArnEquals", "StringEquals"]))
        #expect(states == ["add", "granted", "blocked"])
        #expect(changed > Self.seeds.count)
        #expect(legacy > 50 && fresh > 50)
    }
}

/// The independent checks of property 2 (they do not call the planner's invariant checker).
enum PropertyChecks {
    static let bedrock = "bedrock.amazonaws.com"

    static func violations(
        before: Inventory, after: Inventory, plan: Plan, options: PlannerOptions, migration: MigrationDefinition
    ) -> [String] {
        var found: [String] = []
        if before.managedPolicies != after.managedPolicies { found.append("managed policies changed") }
        if before.flows != after.flows { found.append("flows changed") }
        let owned = migration.policyName
        let ownedSids = Set(migration.rules.map(\.sid))
        let legacyBefore = options.legacyBefore ?? migration.legacyBefore
        for change in plan.roles.flatMap(\.changes) where change.kind == .putRolePolicy && change.policyName != owned {
            found.append("the plan puts inline policy \(change.policyName ?? "nil"), which the migration does not own")
        }
        let afterRoles = Dictionary(after.roles.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        let rolePlans = Dictionary(plan.roles.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        for old in before.roles {
            guard let new = afterRoles[old.arn] else {
                found.append("\(old.arn): gone")
                continue
            }
            let place = old.arn
            if old.attachedPolicies != new.attachedPolicies || old.permissionsBoundaryArn != new.permissionsBoundaryArn
                || old.path != new.path || old.tags != new.tags
            {
                found.append("\(place): attachments, boundary, path or tags changed")
            }
            if rolePlans[old.arn]?.selected == false, old != new {
                found.append("\(place): changed outside the selection")
            }

            // Identity policies: not owned → canonically equal; owned → statements kept or grown.
            let oldOthers = old.inlinePolicies.filter { $0.name != owned }
            let newOthers = new.inlinePolicies.filter { $0.name != owned }
            if oldOthers.map(\.name).sorted() != newOthers.map(\.name).sorted() {
                found.append("\(place): the inline policies the migration does not own changed names")
            }
            for policy in oldOthers {
                let kept = newOthers.first { $0.name == policy.name }
                if kept?.document.canonicalText != policy.document.canonicalText {
                    found.append("\(place): inline policy \(policy.name) changed")
                }
            }
            if let oldOwned = old.inlinePolicies.first(where: { $0.name == owned })?.document {
                guard let newOwned = new.inlinePolicies.first(where: { $0.name == owned })?.document else {
                    found.append("\(place): the migration's policy disappeared")
                    continue
                }
                let canonical = Set(newOwned.statements.map(\.json.canonicalText))
                for statement in oldOwned.statements where !canonical.contains(statement.json.canonicalText) {
                    guard let sid = statement.sid, ownedSids.contains(sid),
                        let grown = newOwned.statements.first(where: { $0.sid == sid }),
                        without("Resource", statement.json) == without("Resource", grown.json),
                        resources(statement.json).isSubset(of: resources(grown.json))
                    else {
                        found.append("\(place): statement \(statement.json.canonicalText) of \(owned) lost or changed")
                        continue
                    }
                }
                if oldOwned.json.objectMembers?.filter({ $0.key != "Statement" })
                    != newOwned.json.objectMembers?.filter({ $0.key != "Statement" })
                {
                    found.append("\(place): members other than Statement of \(owned) changed")
                }
            }

            // Evaluation of identity policies: nothing lost, nothing gained that no flow needs.
            let needed = neededGrants(
                role: old, flows: before.flows, includeNew: options.includeNewFlows, legacyBefore: legacyBefore)
            let planned = Set(
                (rolePlans[old.arn]?.requirements ?? []).filter { $0.state == .add }.map {
                    "\($0.requirement.action) \($0.requirement.resource)"
                })
            let oldSet = identity(old, before)
            let newSet = identity(new, after)
            for (action, resource) in old.inlinePolicies == new.inlinePolicies ? [] : probes(before) {
                let was = oldSet.evaluate(action: action, resource: resource).verdict == .allowed
                let now = newSet.evaluate(action: action, resource: resource).verdict == .allowed
                if was && !now { found.append("\(place): \(action) on \(resource) was allowed and no longer is") }
                if now && !was {
                    let key = "\(action) \(resource)"
                    if !needed.contains(key) {
                        found.append("\(place): \(key) newly allowed, but no flow of it needs it")
                    }
                    if !planned.contains(key) { found.append("\(place): \(key) newly allowed, but not planned `add`") }
                }
            }

            // Trust.
            found += trustViolations(old: old, new: new, inventory: before)
        }
        return found
    }

    // MARK: Identity helpers

    static func identity(_ role: Role, _ inventory: Inventory) -> PolicySet {
        var policies = role.inlinePolicies.map { NamedPolicy(id: $0.name, kind: .inline, document: $0.document) }
        for attached in role.attachedPolicies ?? [] {
            if let document = inventory.managedPolicy(arn: attached.arn)?.defaultVersion?.document {
                policies.append(NamedPolicy(id: attached.arn, kind: .managed, document: document))
            }
        }
        return PolicySet(policies)
    }

    /// Every literal resource the flows name, a prompt's base ARN, and a few foreign ones, with
    /// the migration's actions and two others.
    static func probes(_ inventory: Inventory) -> [(String, String)] {
        var resources = Set(["arn:aws:s3:::bucket/key", "arn:aws:lambda:us-east-1:111122223333:function:zzz"])
        for flow in inventory.flows {
            for definition in [flow.definition] + flow.versions.map(\.definition) {
                for grant in grants(definition) { resources.insert(grant.1) }
            }
        }
        let actions = [
            "lambda:InvokeFunction", "lex:RecognizeUtterance", "bedrock:RenderPrompt", "s3:GetObject", "iam:PassRole",
        ]
        return actions.flatMap { action in resources.sorted().map { (action, $0) } }
    }

    /// (action, resource) a definition needs, read from the node configurations directly.
    static func grants(_ definition: FlowDefinition) -> [(String, String)] {
        var out: [(String, String)] = []
        for node in definition.allNodes {
            func literal(_ value: JSONValue?) -> String? {
                guard let text = value?.stringValue, text.hasPrefix("arn:"), !text.contains("*"), !text.contains("?")
                else { return nil }
                return text
            }
            switch node.type {
            case "LambdaFunction":
                if let arn = literal(node.configuration?["lambdaArn"]) { out.append(("lambda:InvokeFunction", arn)) }
            case "Lex":
                if let arn = literal(node.configuration?["botAliasArn"]) { out.append(("lex:RecognizeUtterance", arn)) }
            case "Prompt":
                if let arn = literal(node.configuration?["sourceConfiguration"]?["resource"]?["promptArn"]) {
                    out.append(("bedrock:RenderPrompt", arn))
                    if let colon = arn.lastIndex(of: ":"), arn[arn.index(after: colon)...].allSatisfy(\.isNumber),
                        arn[..<colon].contains("prompt/")
                    {
                        out.append(("bedrock:RenderPrompt", String(arn[..<colon])))
                    }
                }
            default: break
            }
        }
        return out
    }

    /// "action resource" of every grant a migrated flow version that runs as `role` needs.
    static func neededGrants(role: Role, flows: [Flow], includeNew: Bool, legacyBefore: Instant) -> Set<String> {
        var out = Set<String>()
        for flow in flows where includeNew || flow.createdAt.instant < legacyBefore {
            let versions =
                [(flow.executionRoleArn, flow.definition)] + flow.versions.map { ($0.executionRoleArn, $0.definition) }
            for (roleArn, definition) in versions
            where PropertyJoin.names(roleArn, role: role, flowAccount: flow.account) {
                for (action, resource) in grants(definition) { out.insert("\(action) \(resource)") }
            }
        }
        return out
    }

    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let items)?: return items.compactMap(\.stringValue)
        default: return []
        }
    }

    static func resources(_ statement: JSONValue) -> Set<String> { Set(strings(statement["Resource"])) }

    static func without(_ key: String, _ value: JSONValue) -> String {
        JSONValue.object((value.objectMembers ?? []).filter { $0.key != key }).canonicalText
    }

    // MARK: Trust helpers

    static func namesBedrock(_ statement: JSONValue) -> Bool {
        strings(statement["Principal"]?["Service"]).contains(bedrock)
    }

    /// The statement without Bedrock among its services (nil when nothing else is left).
    static func residual(_ statement: JSONValue) -> JSONValue? {
        guard case .object(var members) = statement, let index = members.firstIndex(where: { $0.key == "Principal" }),
            case .object(let principal) = members[index].value
        else { return statement }
        var kept: [JSONMember] = []
        for member in principal {
            if member.key != "Service" {
                kept.append(member)
                continue
            }
            switch member.value {
            case .string(bedrock): continue
            case .array(let items):
                let rest = items.filter { $0 != .string(bedrock) }
                if !rest.isEmpty { kept.append(JSONMember("Service", .array(rest))) }
            default: kept.append(member)
            }
        }
        if kept.isEmpty { return nil }
        members[index].value = .object(kept)
        return .object(members)
    }

    static func trustViolations(old: Role, new: Role, inventory: Inventory) -> [String] {
        let place = old.arn
        guard let before = old.trustPolicy else {
            return new.trustPolicy == nil ? [] : ["\(place): a trust policy appeared"]
        }
        guard let after = new.trustPolicy else { return ["\(place): the trust policy disappeared"] }
        if before.canonicalText == after.canonicalText { return [] }
        var found: [String] = []
        if before.json.objectMembers?.filter({ $0.key != "Statement" })
            != after.json.objectMembers?.filter({ $0.key != "Statement" })
        {
            found.append("\(place): trust members other than Statement changed")
        }

        // Statements not about Bedrock (and every Deny) stay byte for byte, in order.
        var remaining = after.statements.map(\.json.canonicalText)
        for statement in before.statements {
            let json = statement.json
            let acceptable: [String]
            if statement.effect == .deny || !namesBedrock(json) {
                acceptable = [json.canonicalText]
            } else if let rest = residual(json) {
                acceptable = [json.canonicalText, rest.canonicalText]
            } else {
                continue  // about Bedrock alone: its condition may be rewritten
            }
            if let index = remaining.firstIndex(where: acceptable.contains) {
                remaining.removeSubrange(...index)
            } else {
                found.append("\(place): trust statement \(json.canonicalText) is not kept (or not in order)")
            }
        }

        // Only narrowed: probe requests.
        var sourceArns: [String?] = [nil, "arn:aws:bedrock:us-east-1:999999999999:flow/FOREIGN001"]
        for flow in inventory.flows {
            sourceArns += [flow.arn, flow.arn + "/alias/PROBE", flow.arn + "/execution/PROBE"]
        }
        for account in inventory.accounts {
            sourceArns += [
                "arn:aws:bedrock:us-east-1:\(account):agent/AGENT12345",
                "arn:aws:bedrock:eu-west-1:\(account):flow/NOTSEEN001",
            ]
        }
        let principals: [RequestPrincipal] = [
            .service(bedrock), .service("lambda.amazonaws.com"), .aws("arn:aws:iam::999999999999:root"),
            .aws("arn:aws:iam::\(old.account):root"),
        ]
        for principal in principals {
            for sourceArn in sourceArns {
                var keySets: [ContextKeys] = [[:]]
                if let sourceArn {
                    let account =
                        sourceArn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(
                            String.init) ?? ""
                    keySets = [
                        ["aws:SourceArn": [sourceArn]], ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [account]],
                    ]
                }
                for keys in keySets {
                    let context = RequestContext(principal: principal, action: "sts:AssumeRole", keys: keys)
                    let was = before.evaluate(context).isAllowed
                    let now = after.evaluate(context).isAllowed
                    // Widened: allowed now but not certainly before, or possibly allowed now
                    // where it certainly was not (unknown → unknown is no evidence either way).
                    if (now == true && was != true) || (now == nil && was == false) {
                        found.append(
                            "\(place): trust now \(now == true ? "allows" : "may allow") \(principal) \(keys.keys.map { "\($0)=\(keys[$0] ?? [])" }), which it did not"
                        )
                    }
                    if principal != .service(bedrock) && was != now {
                        found.append(
                            "\(place): trust answer for \(principal) changed from \(String(describing: was)) to \(String(describing: now))"
                        )
                    }
                }
            }
        }

        // Every flow that uses the role and could assume it still can.
        for flow in inventory.flows
        where ([flow.executionRoleArn] + flow.versions.map(\.executionRoleArn)).contains(where: {
            PropertyJoin.names($0, role: old, flowAccount: flow.account)
        }) {
            for sourceArn in [flow.arn, flow.arn + "/alias/PROBE"] {
                let context = RequestContext(
                    principal: .service(bedrock), action: "sts:AssumeRole",
                    keys: ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [flow.account]])
                if before.evaluate(context).isAllowed == true && after.evaluate(context).isAllowed != true {
                    found.append("\(place): flow \(flow.arn) could assume the role as \(sourceArn) and no longer can")
                }
            }
        }
        return found
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "line \(index + 1): \(l) ≠ \(r)" }
        }
        return "equal"
    }
}
