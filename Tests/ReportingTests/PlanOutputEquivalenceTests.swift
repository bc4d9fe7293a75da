import FlowRoleJSON
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// plan.json and summary.csv written straight as bytes equal their readable definitions: the
/// plan's JSON value indented (`Plan.json`, `Plan.roleJSON`) and the rows of strings
/// (`SummaryCSV.rows`), byte for byte.
@Suite("plan.json and summary.csv writers equal their definitions")
struct PlanOutputEquivalenceTests {
    /// Plans of every size around the chunking of the roles, with strings that need escaping.
    static func plans(seed: UInt64) -> [Plan] {
        var plans = RandomPlans(random: ReportRandom(seed: seed))
        return [0, 1, 2, 15, 16, 17, 40].map { plans.plan(roles: $0 + Int(seed % 3)) }
    }

    @Test func rolesAreWrittenAsTheirIndentedValue() {
        for seed in UInt64(0)..<40 {
            var plans = RandomPlans(random: ReportRandom(seed: 1_000 + seed))
            for index in 0..<20 {
                let role = plans.role(index)
                // Compared first, so that a failure names the seed instead of printing every byte.
                let same = Plan.prettyRoleBytes(role) == Plan.roleJSON(role).prettyBytes(atLevel: 2)
                #expect(same, "seed \(seed), role \(index)")
            }
        }
    }

    @Test func planJSONIsTheIndentedPlan() {
        for seed in UInt64(0)..<12 {
            for plan in Self.plans(seed: seed) {
                let written = plan.jsonPieces.flatMap { $0 }
                let same = written == plan.json.prettyBytes
                #expect(same, "seed \(seed), \(plan.roles.count) roles")
            }
        }
    }

    @Test func summaryCSVIsItsRows() {
        for seed in UInt64(0)..<12 {
            for plan in Self.plans(seed: seed) {
                let same = Array(SummaryCSV.render(plan).utf8) == Array(SummaryCSV.rows(plan).utf8)
                #expect(same, "seed \(seed), \(plan.roles.count) roles")
            }
        }
    }

    /// Fields that must be quoted, and a quote that is no character of its own (a combining mark
    /// follows it), which the rows leave single.
    @Test func quotedFieldsAreWrittenAsTheirRows() {
        var plans = RandomPlans(random: ReportRandom(seed: 77))
        var roles: [RolePlan] = []
        for (index, text) in ["a,b", "say \"hi\"", "two\r\nlines", "\"\u{301}x", "x\"", "plain", ""].enumerated() {
            var role = plans.role(index)
            role.arn = text
            role.account = text + "," + text
            roles.append(role)
        }
        let plan = SamplePlans.plan(roles)
        #expect(Array(SummaryCSV.render(plan).utf8) == Array(SummaryCSV.rows(plan).utf8))
    }
}
