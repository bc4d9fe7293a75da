import FlowRoleJSON
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// `RoleFacts.notAdded` and `RoleFacts.consequences(of:)` as they were before they read the role
/// in place and grouped without dictionaries: the reference the fast ones must equal.
enum ReferenceRoleFacts {
    static func notAdded(_ role: RolePlan) -> [RoleFacts.NotAdded] {
        let blockers = role.findings.filter { $0.severity == .blocker }
        var entries: [RoleFacts.NotAdded] = role.requirements.filter { $0.state == .blocked }.map { planned in
            let need = planned.requirement
            var why = blockers.filter { $0.subject == need.resource }
            if why.isEmpty { why = blockers.filter { $0.subject == role.arn } }
            var codes: [String] = []
            for finding in why where !codes.contains(finding.code) { codes.append(finding.code) }
            return RoleFacts.NotAdded(
                action: need.action, resource: need.resource, flow: need.flow, version: need.version, node: need.node,
                reason: .blocked, codes: codes, accepted: !why.isEmpty && why.allSatisfy(\.suppressed))
        }
        let newFlowFindings = role.findings.filter { $0.code == "NEW_FLOW_MISSING_GRANT" }
        for need in role.notMigrated {
            let why = newFlowFindings.filter { $0.subject == need.resource }
            entries.append(
                RoleFacts.NotAdded(
                    action: need.action, resource: need.resource, flow: need.flow, version: need.version,
                    node: need.node, reason: .newFlow, codes: ["NEW_FLOW_MISSING_GRANT"],
                    accepted: !why.isEmpty && why.allSatisfy(\.suppressed)))
        }
        let covered = Set(role.notMigrated.map(\.resource))
        for finding in newFlowFindings where !covered.contains(finding.subject) {
            entries.append(
                RoleFacts.NotAdded(
                    action: "", resource: finding.subject, flow: "", version: "", node: "", reason: .newFlow,
                    codes: [finding.code], accepted: finding.suppressed))
        }
        return entries
    }

    static func consequences(of notAdded: [RoleFacts.NotAdded]) -> [String] {
        var order: [[String]] = []
        var groups: [[String]: [RoleFacts.NotAdded]] = [:]
        for entry in notAdded {
            let key = [entry.reason.rawValue, entry.action, entry.resource]
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        return order.compactMap { key in
            guard let entries = groups[key], let first = entries.first else { return nil }
            let grant = first.action.isEmpty ? first.resource : "\(first.action) on \(first.resource)"
            var uses: [String] = []
            var versions: [String: [String]] = [:]
            for entry in entries where !entry.flow.isEmpty {
                let use = "node \(entry.node) of flow \(entry.flow)"
                if versions[use] == nil { uses.append(use) }
                if !entry.version.isEmpty, versions[use]?.contains(entry.version) != true {
                    versions[use, default: []].append(entry.version)
                }
            }
            let who =
                uses.isEmpty
                ? "the nodes that need it"
                : uses.map { use in
                    let list = versions[use] ?? []
                    return list.isEmpty ? use : "\(use) (\(list.joined(separator: ", ")))"
                }.joined(separator: " and ")
            let codes = entries.flatMap(\.codes).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            switch first.reason {
            case .blocked:
                let until =
                    codes.isEmpty
                    ? "the blocker is resolved" : codes.map(RoleFacts.resolution).joined(separator: " and ")
                let accepted = entries.allSatisfy(\.accepted) ? " The blocker is accepted by a suppression." : ""
                let why = codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))"
                return "\(grant) will NOT be added\(why): \(who) will fail as this role until \(until).\(accepted)"
            case .newFlow:
                return
                    "\(grant) is NOT added (NEW_FLOW_MISSING_GRANT): flows created after the window are not migrated, so \(who) will keep failing as this role (broken today) until the grant is added (re-plan with --include-new-flows)."
            }
        }
    }

    /// Distinct flow ARNs per `ACCOUNT REGION`, each ARN parsed wherever it occurs.
    static func flowCounts(_ plan: Plan) -> [String: Int] {
        var flows: [String: Set<String>] = [:]
        for role in plan.roles {
            for flow in role.flows {
                let (account, region) = RoleFacts.accountAndRegion(ofArn: flow.arn)
                flows["\(account) \(region)", default: []].insert(flow.arn)
            }
        }
        return flows.mapValues(\.count)
    }
}

@Suite("role facts and diffs equal their reference")
struct RoleFactsFastPathTests {
    /// Needs from small alphabets, so that grants, uses and versions repeat; texts that make equal
    /// uses of different (node, flow) pairs; many at once to pass `FirstSeen`'s linear limit.
    static func needs(_ random: inout ReportRandom) -> [RoleFacts.NotAdded] {
        func pick(_ values: [String]) -> String { values[Int.random(in: 0..<values.count, using: &random)] }
        let count = [0, 1, 2, 3, 5, 8, 17, 40, 120][Int.random(in: 0..<9, using: &random)]
        return (0..<count).map { _ in
            RoleFacts.NotAdded(
                action: pick(["", "s3:GetObject", "lambda:InvokeFunction", "a"]),
                resource: pick(["arn:aws:s3:::b", "r\(Int.random(in: 0..<30, using: &random))", "", "é", "e\u{301}"]),
                flow: pick(["", "F", "b of flow c", "arn:aws:bedrock:us-east-1:111122223333:flow/F1"]),
                version: pick(["", "DRAFT", "1", "2", "DRAFT"]),
                node: pick(["N", "a of flow b", "a", "Loop/Inner"]),
                reason: Bool.random(using: &random) ? .blocked : .newFlow,
                codes: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                    pick(["EXPLICIT_DENY", "PERMISSIONS_BOUNDARY", "QUOTA_EXCEEDED", "SERVICE_LINKED_ROLE", "X"])
                }, accepted: Int.random(in: 0..<4, using: &random) > 0)
        }
    }

    @Test func consequencesAreAsBefore() {
        for seed in UInt64(0)..<3000 {
            var random = ReportRandom(seed: seed)
            let needs = Self.needs(&random)
            let fast = RoleFacts.consequences(of: needs)
            let reference = ReferenceRoleFacts.consequences(of: needs)
            #expect(fast.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "seed \(seed)")
        }
    }

    @Test func theNeedsNotAddedAreAsBefore() {
        for seed in UInt64(0)..<40 {
            var plans = RandomPlans(random: ReportRandom(seed: seed))
            for index in 0..<100 {
                var role = plans.role(index)
                // Now and then many needs of new flows, past the linear search of their resources.
                if index % 10 == 0 {
                    let extra = (0..<20).map { _ in plans.requirement(role: role.arn) }
                    role.notMigrated += extra
                    role.findings += extra.map {
                        Finding(
                            severity: .warning, code: "NEW_FLOW_MISSING_GRANT", message: "", subject: $0.resource,
                            suppressed: Bool.random(using: &plans.random))
                    }
                }
                let fast = RoleFacts.notAdded(role)
                #expect(fast == ReferenceRoleFacts.notAdded(role), "seed \(seed) role \(index)")
                #expect(
                    RoleFacts.consequences(role) == ReferenceRoleFacts.consequences(of: fast),
                    "seed \(seed) role \(index)")
                #expect(RoleFacts.blockedGrants(role) == role.grants(.blocked).count)
            }
        }
    }

    @Test func flowCountsAreAsBefore() {
        for seed in UInt64(0)..<40 {
            var plans = RandomPlans(random: ReportRandom(seed: seed))
            var plan = plans.plan(roles: Int(seed) * 3)
            // ARNs of several regions and accounts, shared between roles.
            for index in plan.roles.indices {
                for flow in plan.roles[index].flows.indices where Bool.random(using: &plans.random) {
                    let region = plans.pick(["us-east-1", "eu-west-1", ""])
                    let account = plans.pick(["111122223333", "444455556666"])
                    plan.roles[index].flows[flow].arn =
                        "arn:aws:bedrock:\(region):\(account):flow/F\(Int.random(in: 0..<5, using: &plans.random))"
                }
            }
            #expect(HTMLReport.flowCounts(plan) == ReferenceRoleFacts.flowCounts(plan), "seed \(seed)")
        }
    }

    /// A new document's diff, all lines added, equals the general diff of an empty text.
    @Test func allAddedDiffsAreTheGeneralOnes() {
        let alphabet = ["{", "}", "  \"Effect\": \"Allow\",", "é", "e\u{301}", "", " ", "\r", "😀", "a\u{2028}b"]
        for seed in UInt64(0)..<2000 {
            var random = ReportRandom(seed: seed)
            let lines = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                alphabet.randomElement(using: &random) ?? ""
            }
            var text = lines.joined(separator: "\n")
            if Bool.random(using: &random) { text += "\n" }
            let after = Array(text.utf8)
            let context = Int.random(in: 1...4, using: &random)
            let fast = UnifiedDiff.render(
                before: [], after: after, fromName: "/dev/null", toName: "after", context: context)
            let general = UnifiedDiff.edited(
                before: [], after: after, fromName: "/dev/null", toName: "after", context: context)
            #expect(Array(fast.utf8) == Array(general.utf8), "seed \(seed)")
        }
    }
}
