import FlowRoleJSON
import Inventory
import Testing

@testable import Migration

/// The summary is counted once per plan and kept; a copy that changes its roles or findings
/// counts again, and the plan it was copied from keeps its own counts.
@Suite("PlanSummary")
struct PlanSummaryTests {
    static func role(_ name: String, selected: Bool, status: RolePlan.Status = .unchanged) -> RolePlan {
        RolePlan(
            arn: "arn:aws:iam::111122223333:role/\(name)", name: name, account: "111122223333", source: nil,
            basis: "b", status: status, selected: selected, flows: [], requirements: [], changes: [],
            findings: [
                Finding(
                    severity: .warning, code: "TRUST_NO_FLOWS", message: "no flow uses \(name).",
                    subject: "arn:aws:iam::111122223333:role/\(name)")
            ])
    }

    static func plan() throws -> Plan {
        Plan(
            migrationID: "m", legacyBefore: try Instant(parsing: "2024-11-23T00:00:00Z"), inputs: [],
            selection: Selection(), coverage: [],
            roles: [role("A", selected: false), role("B", selected: true)], findings: [], generatedAt: nil)
    }

    /// The definition of the counts, one role after the other.
    static func referenceCount(_ plan: Plan) -> Plan.Summary {
        var summary = Plan.Summary()
        summary.roles = plan.roles.count
        var flows: [String: Bool] = [:]
        func count(_ finding: Finding) {
            guard !finding.suppressed else { return }
            if finding.severity == .blocker { summary.blockers += 1 }
            if finding.severity == .warning { summary.warnings += 1 }
        }
        for finding in plan.findings { count(finding) }
        for role in plan.roles {
            switch role.status {
            case .change: summary.rolesToChange += 1
            case .blocked: summary.rolesBlocked += 1
            case .unchanged: break
            }
            for flow in role.flows where flows[flow.arn] == nil { flows[flow.arn] = flow.legacy }
            if role.changes.contains(where: { $0.kind == .updateAssumeRolePolicy }) {
                summary.trustPoliciesTightened += 1
            }
            guard role.selected else { continue }
            summary.grantsAdded += role.grants(.add).count
            for finding in role.findings { count(finding) }
        }
        summary.flows = flows.count
        summary.legacyFlows = flows.values.filter { $0 }.count
        return summary
    }

    /// Counted on every core, the summary is the definition's, for every seeded plan (selections,
    /// suppressions and both migrations among them) and for one of over a thousand roles.
    @Test(arguments: PropertiesPlannerTests.seeds)
    func theCountsAreTheDefinitions(seed: UInt64) {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in PropertiesPlannerTests.variants(seed: seed, inventory: inventory) {
            let plan = PropertiesPlannerTests.plan(inventory, options)
            #expect(plan.summary == Self.referenceCount(plan), "seed \(seed), \(name)")
            var many = plan
            many.roles = Array(repeating: plan.roles, count: 1_200 / max(1, plan.roles.count) + 1).flatMap { $0 }
            #expect(many.summary == Self.referenceCount(many), "seed \(seed), \(name), repeated")
        }
    }

    @Test func aChangedCopyCountsAgainAndTheOriginalKeepsItsCounts() throws {
        let original = try Self.plan()
        #expect(original.summary.warnings == 1)
        #expect(original.summary.roles == 2)

        var copy = original
        #expect(copy.summary == original.summary)
        copy.roles[0].selected = true
        #expect(copy.summary.warnings == 2)
        copy.roles.append(Self.role("C", selected: true, status: .blocked))
        #expect(copy.summary.roles == 3)
        #expect(copy.summary.rolesBlocked == 1)
        #expect(copy.summary.warnings == 3)
        copy.findings.append(Finding(severity: .blocker, code: "X", message: "x.", subject: "*"))
        #expect(copy.summary.blockers == 1)
        #expect(copy.summary == copy.countSummary())

        #expect(original.summary.warnings == 1)
        #expect(original.summary.roles == 2)
        #expect(original.summary.blockers == 0)
        #expect(original.summary == original.countSummary())
    }

    /// The cache is not part of the plan's value: a plan whose summary was read equals one whose
    /// summary was not.
    @Test func readingTheSummaryDoesNotChangeThePlansValue() throws {
        let read = try Self.plan()
        _ = read.summary
        let unread = try Self.plan()
        #expect(read == unread)
        #expect(read.hashValue == unread.hashValue)
    }
}

/// A trust change's pinned flows: the new strings that name a flow, `/*` dropped. Text is
/// searched as Swift compares strings: a combining mark after `:flow/`'s slash makes another
/// character, so that string names no flow.
@Suite("pinned flows")
struct PinnedFlowsTests {
    @Test func newStringsNamingAFlowArePinned() {
        let flow = "arn:aws:bedrock:us-east-1:111122223333:flow/ABC"
        let change = Change(
            kind: .updateAssumeRolePolicy, policyName: nil,
            before: ["SourceArn": "arn:aws:bedrock:us-east-1:111122223333:flow/*"],
            after: [
                "SourceArn": .array([
                    .string(flow), .string(flow + "/*"), .string("arn:aws:bedrock:us-east-1:111122223333:flow/*"),
                    .string("arn:aws:bedrock:us-east-1:111122223333:flow/\u{301}X"),
                    .string("arn:aws:bedrock:us-east-1:111122223333:flow/É"), .string("arn:aws:s3:::bucket"),
                ])
            ])
        #expect(change.pinnedFlows == [flow, "arn:aws:bedrock:us-east-1:111122223333:flow/É"])
    }
}
