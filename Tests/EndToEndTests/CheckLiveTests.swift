import Foundation
import Testing

// `flowrole check PLAN --live` against the loopback AWS: moto holds the example account's roles, and
// Tests/aws/servers.py answers SimulatePrincipalPolicy (which moto lacks) from the policies moto
// holds, with a test-settable SCP (FLOWS_DIR/simulator.json, re-read on every request). Every call
// goes through the real aws command line. Serialized, like the other live tests: each runs many aws
// processes, and two cores are shared.

@Suite("check --live against the policy simulator stub", .serialized)
struct CheckLiveTests {
    /// The distinct (action, resource) pairs of the plan's selected roles (no example requirement
    /// carries a condition).
    static func requiredPairs(_ plan: JSON) -> Set<String> {
        var pairs = Set<String>()
        for role in plan["roles"]?.array ?? [] where role["selected"] == .bool(true) {
            for requirement in role["requirements"]?.array ?? [] {
                pairs.insert(
                    "\(role["arn"]?.string ?? "") \(requirement["action"]?.string ?? "") \(requirement["resource"]?.string ?? "")"
                )
            }
        }
        return pairs
    }

    /// export → plan → apply --live, then check --live --json: the simulator and the evaluator agree
    /// on every pair, the planned grants are now allowed on both sides, the blocked ones on neither.
    @Test func afterALiveApplyEveryRequiredPairAgrees() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        defer { harness.stop() }
        let folder = try TemporaryDirectory(prefix: "flowrole-check")
        let plan = try LiveApplyTests.exportAndPlan(harness, into: folder, name: "plan")
        let apply = try LiveApplyTests.flowrole(
            harness,
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", folder.path("journal.jsonl")]
                + harness.flowroleEndpointArguments)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")

        let check = try LiveApplyTests.flowrole(
            harness, ["check", folder.path("plan/plan.json"), "--live", "--json"] + harness.flowroleEndpointArguments)
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        let report = try JSON(parsing: check.stdoutData)
        #expect(report["schema"]?.string == "flowrole.check/v1")
        #expect(report["plan"]?.string == folder.path("plan/plan.json"))
        let summary = report["summary"]
        let required = Self.requiredPairs(plan)
        #expect(required.count >= 15, "the example plan requires many pairs: \(required.count)")
        #expect(summary?["pairs"]?.int == required.count, "\(summary ?? .null)")
        #expect(summary?["agreed"]?.int == required.count)
        #expect(summary?["disagreed"]?.int == 0)
        #expect(summary?["unproven"]?.int == 0)
        #expect(summary?["failedRoles"]?.int == 0)

        var asked = Set<String>()
        var planned: [String: Int] = [:]
        for role in report["roles"]?.array ?? [] {
            #expect(role["error"] == nil, "\(role["name"] ?? .null): \(role["error"] ?? .null)")
            for pair in role["pairs"]?.array ?? [] {
                let name =
                    "\(role["name"]?.string ?? "") \(pair["action"]?.string ?? "") \(pair["resource"]?.string ?? "")"
                asked.insert(
                    "\(role["arn"]?.string ?? "") \(pair["action"]?.string ?? "") \(pair["resource"]?.string ?? "")")
                #expect(pair["agree"] == .bool(true), "\(name): \(pair)")
                let state = pair["planned"]?.string ?? ""
                planned[state, default: 0] += 1
                switch state {
                case "add", "granted":
                    #expect(pair["local"]?.string == "allowed", "\(name)")
                    #expect(pair["simulator"]?.string == "allowed", "\(name)")
                    #expect(pair["matchedStatements"]?.array?.isEmpty == false, "\(name): what allowed it")
                default:
                    #expect(pair["simulator"]?.string != "allowed", "\(name) stays blocked")
                }
            }
        }
        #expect(asked == required, "every required pair asked once")
        #expect(planned["add"] ?? 0 > 0 && planned["granted"] ?? 0 > 0 && planned["blocked"] ?? 0 > 0, "\(planned)")
        // The boundary and the explicit Deny of the example are seen by both sides.
        let pairs = (report["roles"]?.array ?? []).flatMap { $0["pairs"]?.array ?? [] }
        #expect(pairs.contains { $0["local"]?.string == "denied" && $0["simulator"]?.string == "explicitDeny" })
        #expect(pairs.contains { $0["permissionsBoundary"] == .bool(false) && $0["local"]?.string == "notAllowed" })
        #expect(harness.serverLog.contains("simulator: arn:aws:iam::111122223333:role/"), "the stub answered")
    }

    /// An SCP denying lambda:InvokeFunction: the pair the role's own policies already allow is a
    /// disagreement (exit 2), named in the table with the reason; the pairs not yet granted agree.
    @Test func anSCPDenyingLambdaInvokeIsReportedAsADisagreement() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        defer { harness.stop() }
        let folder = try TemporaryDirectory(prefix: "flowrole-check-scp")
        let plan = try LiveApplyTests.exportAndPlan(harness, into: folder, name: "plan")
        var granted: [String: JSON] = [:]  // resource → role
        for role in plan["roles"]?.array ?? [] {
            for requirement in role["requirements"]?.array ?? []
            where requirement["action"]?.string == "lambda:InvokeFunction" && requirement["state"]?.string == "granted"
            {
                granted["\(role["arn"]?.string ?? "") \(requirement["resource"]?.string ?? "")"] = role
            }
        }
        #expect(granted.count == 1, "the example's one Lambda grant already held: \(granted.keys.sorted())")
        let (key, role) = try #require(granted.first)
        let roleName = try #require(role["name"]?.string)
        let function = String(key.split(separator: " ").last ?? "")
        try Data(#"{"scpDeny": ["lambda:InvokeFunction"]}"#.utf8).write(
            to: harness.flowsDirectory.appendingPathComponent("simulator.json"))

        let arguments = ["check", folder.path("plan/plan.json"), "--live"] + harness.flowroleEndpointArguments
        let check = try LiveApplyTests.flowrole(harness, arguments)
        #expect(check.status == 2, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        let rows = check.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("ROLE") == true, "a table: \(check.stdout)")
        let disagreements = rows.filter { $0.hasSuffix("DISAGREE") }
        #expect(disagreements.count == 1, "\(check.stdout)")
        let row = disagreements.first ?? ""
        #expect(row.contains(roleName) && row.contains(function), "\(row)")
        #expect(row.contains("granted") && row.contains("allowed") && row.contains("explicitDeny (SCP)"), "\(row)")
        #expect(
            rows.contains {
                $0.contains("\(roleName): lambda:InvokeFunction on \(function)")
                    && $0.contains("AllowedByOrganizations false")
            }, "the disagreement is explained: \(check.stdout)")
        #expect(rows.last?.contains("1 disagreed, 0 unproven locally.") == true, "\(rows.last ?? "")")

        // The same role alone (--only), as JSON.
        let only = try folder.write("only.txt", "# the role the SCP bites\n\(role["arn"]?.string ?? "")\n")
        let json = try LiveApplyTests.flowrole(harness, arguments + ["--only", only, "--json"])
        #expect(json.status == 2, "\(json.stdout)\n\(json.stderr)")
        let report = try JSON(parsing: json.stdoutData)
        #expect(report["roles"]?.array?.count == 1)
        let pair = try #require(
            report["roles"]?.array?.first?["pairs"]?.array?.first {
                $0["action"]?.string == "lambda:InvokeFunction" && $0["resource"]?.string == function
            })
        #expect(pair["agree"] == .bool(false))
        #expect(pair["local"]?.string == "allowed")
        #expect(pair["simulator"]?.string == "explicitDeny")
        #expect(pair["organizations"] == .bool(false))
        #expect(report["summary"]?["disagreed"]?.int == 1)
    }
}
