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
