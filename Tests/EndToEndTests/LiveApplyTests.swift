import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// `flowrole export`, `apply --live`, `rollback --live` and the offline bundle against a real IAM
// API implementation on loopback: moto's server for IAM and STS, and a stub of the Bedrock Agent
// flows API (moto has none), both started by AWSHarness and stopped when the test ends. Every call
// goes through the real aws command line. The example account (examples/) is the seed.
//
// Serialized: each test runs many aws processes; in parallel on two cores they would only slow
// each other down.

@Suite("live apply against moto", .serialized)
struct LiveApplyTests {
    static let regions = "us-east-1,eu-west-1"
    /// Live runs make many aws calls (each a Python process): far longer than a plan.
    static let timeout: Double = 600

    /// Runs the built flowrole against the harness, with a long timeout.
    static func flowrole(
        _ harness: AWSHarness, _ arguments: [String], environment extra: [String: String] = [:]
    ) throws -> ChildProcess.Result {
        let result = try ChildProcess.run(
            try FlowRoleBinary.url().path, arguments, environment: harness.environment.merging(extra) { $1 },
            scratch: harness.scratch, timeout: timeout)
        if result.timedOut { throw HarnessError("flowrole \(arguments.joined(separator: " ")) timed out") }
        return result
    }

    /// export, then plan (plan.json only) into `folder`; returns the plan.
    @discardableResult
    static func exportAndPlan(_ harness: AWSHarness, into folder: TemporaryDirectory, name: String) throws -> JSON {
        let export = try flowrole(
            harness,
            ["export", "--out", folder.path("\(name)-export"), "--regions", regions]
                + harness.flowroleEndpointArguments)
        #expect(export.status == 0, "export: \(export.stderr)")
        let plan = try flowrole(
            harness, ["plan", folder.path("\(name)-export"), "--out", folder.path(name), "--format", "json"])
        #expect(plan.status == 0, "plan: \(plan.stderr)")
        return try JSON(parsing: Data(contentsOf: folder.url.appendingPathComponent("\(name)/plan.json")))
    }

    static func journal(_ path: String) throws -> [JSON] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSON(parsing: Data($0.utf8))
        }
    }

    /// The live document as canonical text: an inline policy (nil: none) or the trust policy.
    static func live(_ harness: AWSHarness, role: String, policy: String? = nil) throws -> String? {
        if let policy {
            let (status, stdout, _) = try harness.aws([
                "iam", "get-role-policy", "--role-name", role, "--policy-name", policy, "--output", "json",
            ])
            guard status == 0 else { return nil }
            return try canonical(JSON(parsing: Data(stdout.utf8))["PolicyDocument"] ?? .null)
        }
        let role = try harness.awsJSON(["iam", "get-role", "--role-name", role])
        return canonical(role["Role"]?["AssumeRolePolicyDocument"] ?? .null)
    }

    static func canonical(_ value: JSON) -> String {
        switch value {
        case .object(let members):
            "{"
                + members.keys.sorted().map { "\(quoted($0)):\(canonical(members[$0] ?? .null))" }.joined(
                    separator: ",")
                + "}"
        case .array(let items): "[" + items.map(canonical).joined(separator: ",") + "]"
        case .string(let text): quoted(text)
        default: value.description
        }
    }

    static func quoted(_ text: String) -> String { BrowserTests.quoted(text) }

    static func role(_ plan: JSON, named name: String) throws -> JSON {
        try #require(plan["roles"]?.array?.first { $0["name"]?.string == name }, "no role \(name) in the plan")
    }

    /// The plan's after document of a role's change, canonical.
    static func after(_ role: JSON, _ type: String) throws -> String {
        let change = try #require(role["changes"]?.array?.first { $0["type"]?.string == type })
        return canonical(change["after"] ?? .null)
    }

    static func before(_ role: JSON, _ type: String) throws -> String {
        let change = try #require(role["changes"]?.array?.first { $0["type"]?.string == type })
        return canonical(change["before"] ?? .null)
    }

    static let ownedPolicy = "flowrole-bedrock-flows-2024-11-22"

    // MARK: - The whole round

    @Test func exportPlanApplyExportPlanGivesNoChangeAndRollbackRestoresEverything() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-live")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "before")
        #expect((plan["summary"]?["rolesToChange"]?.int ?? 0) >= 5, "\(plan["summary"] ?? .null)")
        let journalPath = folder.path("journal.jsonl")

        let apply = try Self.flowrole(
            harness,
            ["apply", folder.path("before/plan.json"), "--live", "--journal", journalPath]
                + harness.flowroleEndpointArguments)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("0 refused, 0 failed"), "\(apply.stdout)")

        // The journal: every planned change begun and done once, with its documents and request id.
        let records = try Self.journal(journalPath)
        let planned = (plan["roles"]?.array ?? []).filter { $0["status"]?.string == "change" }
        let changes = planned.flatMap { role in (role["changes"]?.array ?? []).map { (role, $0) } }
        for (role, change) in changes {
            let mine = records.filter {
                $0["type"]?.string == "change" && $0["role"] == role["arn"] && $0["change"] == change["type"]
            }
            #expect(mine.map { $0["event"]?.string ?? "" } == ["begin", "done"], "\(role["name"] ?? .null)")
            #expect(mine.last?["requestId"]?.string?.isEmpty == false, "a request id for \(role["name"] ?? .null)")
            #expect(mine.last?["after"].map(Self.canonical) == Self.canonical(change["after"] ?? .null))
        }
        #expect(records.first?["type"]?.string == "run")
        #expect(records.contains { $0["type"]?.string == "account" && $0["matched"] == .bool(true) })

        // Planned again on a new export: nothing left to change.
        let again = try Self.exportAndPlan(harness, into: folder, name: "after")
        #expect(again["summary"]?["rolesToChange"]?.int == 0, "\(again["summary"] ?? .null)")
        #expect(again["summary"]?["grantsAdded"]?.int == 0)
        #expect(again["summary"]?["trustPoliciesTightened"]?.int == 0)

        // Applied again: every role is already done.
        let rerun = try Self.flowrole(
            harness,
            ["apply", folder.path("before/plan.json"), "--live", "--journal", journalPath]
                + harness.flowroleEndpointArguments)
        #expect(rerun.status == 0, "\(rerun.stdout)\n\(rerun.stderr)")
        #expect(rerun.stdout.contains("(0 changed now, \(planned.count) already done)"), "\(rerun.stdout)")

        // Rolled back: every document equals what the first export read; a second rollback changes nothing.
        let rollback = try Self.flowrole(
            harness, ["rollback", journalPath, "--live"] + harness.flowroleEndpointArguments)
        #expect(rollback.status == 0, "\(rollback.stdout)\n\(rollback.stderr)")
        for role in planned {
            let name = try #require(role["name"]?.string)
            for change in role["changes"]?.array ?? [] {
                let isTrust = change["type"]?.string == "updateAssumeRolePolicy"
                let live = try Self.live(harness, role: name, policy: isTrust ? nil : change["policyName"]?.string)
                let before = change["before"].flatMap { $0 == .null ? nil : Self.canonical($0) }
                #expect(live == before, "\(name) \(change["type"] ?? .null) is back to its document before the apply")
            }
        }
        let second = try Self.flowrole(
            harness, ["rollback", journalPath, "--live"] + harness.flowroleEndpointArguments)
        #expect(second.status == 0)
        #expect(second.stdout.contains("(0 changed now"), "\(second.stdout)")
    }

    // MARK: - Drift

    @Test func aDriftedRoleIsRefusedTheOthersAppliedAndRebaseAppliesTheSameChange() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-drift")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let drifted = try Self.role(plan, named: "BedrockFlowsIntakeSummaryRole")
        let other = try Self.role(plan, named: "BedrockFlowsOrderServicesRole")
        // Someone adds an unrelated inline policy after the plan was made.
        let put = try harness.aws([
            "iam", "put-role-policy", "--role-name", "BedrockFlowsIntakeSummaryRole", "--policy-name", "team-logs",
            "--policy-document",
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}"#,
        ])
        #expect(put.status == 0, "\(put.stderr)")
        let arguments =
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", folder.path("journal.jsonl")]
            + harness.flowroleEndpointArguments
        let apply = try Self.flowrole(harness, arguments)
        #expect(apply.status == 3, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("BedrockFlowsIntakeSummaryRole: refused (DRIFT)"), "\(apply.stdout)")
        #expect(try Self.live(harness, role: "BedrockFlowsIntakeSummaryRole", policy: Self.ownedPolicy) == nil)
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole", policy: Self.ownedPolicy)
                == (try Self.after(other, "putRolePolicy")), "the other roles are applied")

        // Rebased: the same grants and pinned flows on the live state, so it is applied.
        let rebase = try Self.flowrole(harness, arguments + ["--rebase"])
        #expect(rebase.status == 0, "\(rebase.stdout)\n\(rebase.stderr)")
        #expect(
            try Self.live(harness, role: "BedrockFlowsIntakeSummaryRole", policy: Self.ownedPolicy)
                == (try Self.after(drifted, "putRolePolicy")))
        #expect(
            try Self.live(harness, role: "BedrockFlowsIntakeSummaryRole")
                == (try Self.after(drifted, "updateAssumeRolePolicy")))
        #expect(
            try Self.live(harness, role: "BedrockFlowsIntakeSummaryRole", policy: "team-logs") != nil,
            "the unrelated policy is kept")
    }

    // MARK: - Wrong account

    @Test func credentialsOfAnotherAccountChangeNothing() throws {
        let harness = try AWSHarness(account: "444455556666", flows: try AWSHarnessTests.exampleFlows())
        let folder = try TemporaryDirectory(prefix: "flowrole-account")
        let root = try PackageRoot.url()
        let plan = try FlowRole.run(["plan", "examples/", "--out", folder.path("plan"), "--format", "json"], in: root)
        #expect(plan.status == 0)
        let journalPath = folder.path("journal.jsonl")
        let apply = try Self.flowrole(
            harness,
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", journalPath]
                + harness.flowroleEndpointArguments)
        #expect(apply.status == 3, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("refused (WRONG_ACCOUNT)"), "\(apply.stdout)")
        #expect(apply.stdout.contains("0 roles applied"), "\(apply.stdout)")
        let records = try Self.journal(journalPath)
        #expect(!records.contains { $0["event"]?.string == "begin" }, "no change was begun")
        #expect(records.contains { $0["type"]?.string == "account" && $0["matched"] == .bool(false) })
        let roles = try harness.awsJSON(["iam", "list-roles"])
        #expect(roles["Roles"]?.array?.isEmpty == true, "nothing was created or changed in the other account")
    }

    // MARK: - Assumed role, waves

    /// --assume-role gives the account's credentials; the session name carries the plan's short
    /// hash (CloudTrail ties the calls to the plan); --max-roles and --phase make a small wave.
    @Test func anAssumedRoleSessionNamedAfterThePlanAppliesAWave() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-assume")
        try Self.exportAndPlan(harness, into: folder, name: "plan")
        let planPath = folder.path("plan/plan.json")
        let journalPath = folder.path("journal.jsonl")
        let apply = try Self.flowrole(
            harness,
            [
                "apply", planPath, "--live", "--journal", journalPath, "--phase", "grants", "--max-roles", "2",
                "--assume-role", "arn:{partition}:iam::{account}:role/FlowroleDeployer",
            ] + harness.flowroleEndpointArguments)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("2 roles applied"), "\(apply.stdout)")
        let records = try Self.journal(journalPath)
        let planHash = try #require(records.first?["planSha256"]?.string)
        let caller = records.first { $0["type"]?.string == "account" }?["caller"]?.string ?? ""
        #expect(
            caller.hasSuffix(":assumed-role/FlowroleDeployer/flowrole-\(planHash.prefix(12))"),
            "the caller is the assumed role's session: \(caller)")
        let changes = records.filter { $0["type"]?.string == "change" && $0["event"]?.string == "done" }
        #expect(changes.count == 2)
        #expect(changes.allSatisfy { $0["phase"]?.string == "grants" })
    }

    // MARK: - Lockout

    @Test func aFlowThatAppearsBeforeTheTrustPhaseKeepsTheOldTrustAndTheGrants() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-lockout")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let order = try Self.role(plan, named: "BedrockFlowsOrderServicesRole")
        let arguments =
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", folder.path("journal.jsonl")]
            + harness.flowroleEndpointArguments
        let grants = try Self.flowrole(harness, arguments + ["--phase", "grants"])
        #expect(grants.status == 0, "\(grants.stdout)\n\(grants.stderr)")
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole")
                == (try Self.before(order, "updateAssumeRolePolicy")), "the grants phase leaves trust alone")

        // A new flow in us-east-1 runs as the role, after the plan.
        var flow = try AWSHarnessTests.object(try AWSHarnessTests.exampleFile("flows/get-flow.R4HM9CV2TL.json"))
        flow["id"] = "NEWFLOW001"
        flow["arn"] = "arn:aws:bedrock:us-east-1:111122223333:flow/NEWFLOW001"
        flow["name"] = "returns-assistant-copy"
        flow["executionRoleArn"] = "arn:aws:iam::111122223333:role/BedrockFlowsOrderServicesRole"
        try harness.addFlow(try AWSHarnessTests.data(flow), id: "NEWFLOW001")

        let trust = try Self.flowrole(harness, arguments + ["--phase", "trust"])
        #expect(trust.status == 3, "\(trust.stdout)\n\(trust.stderr)")
        #expect(
            trust.stdout.contains("BedrockFlowsOrderServicesRole: refused (TRUST_FLOWS_CHANGED)"), "\(trust.stdout)")
        #expect(trust.stdout.contains("flow/NEWFLOW001"), "the message names the unpinned flow")
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole")
                == (try Self.before(order, "updateAssumeRolePolicy")), "trust left as it was")
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole", policy: Self.ownedPolicy)
                == (try Self.after(order, "putRolePolicy")), "the grants are kept")
        let finance = try Self.role(plan, named: "BedrockFlowsFinanceReportsRole")
        #expect(
            try Self.live(harness, role: "BedrockFlowsFinanceReportsRole")
                == (try Self.after(finance, "updateAssumeRolePolicy")), "other roles' trust is tightened")
    }

    // MARK: - Interrupted

    @Test func killedMidwayAndRunAgainEveryChangeIsMadeExactlyOnce() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-kill")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let journalPath = folder.path("journal.jsonl")
        let arguments =
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", journalPath, "--parallel", "1"]
            + harness.flowroleEndpointArguments
        let process = Process()
        process.executableURL = try FlowRoleBinary.url()
        process.arguments = arguments
        process.environment = harness.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it (SIGKILL: no cleanup) as soon as the first change is done.
        let deadline = Date().addingTimeInterval(Self.timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: journalPath, encoding: .utf8)) ?? ""
            if text.contains(#""event":"done""#) { break }
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let interrupted = try Self.journal(journalPath)
        let doneBefore = interrupted.filter { $0["event"]?.string == "done" }.count
        let planned = (plan["roles"]?.array ?? []).filter { $0["status"]?.string == "change" }
        let total = planned.reduce(0) { $0 + ($1["changes"]?.array?.count ?? 0) }
        #expect(doneBefore >= 1 && doneBefore < total, "killed midway: \(doneBefore) of \(total) done")

        let rerun = try Self.flowrole(harness, arguments)
        #expect(rerun.status == 0, "\(rerun.stdout)\n\(rerun.stderr)")
        let records = try Self.journal(journalPath)
        for role in planned {
            for change in role["changes"]?.array ?? [] {
                let mine = records.filter {
                    $0["type"]?.string == "change" && $0["role"] == role["arn"] && $0["change"] == change["type"]
                }
                let done = mine.filter { $0["event"]?.string == "done" }.count
                let skipped = mine.filter { $0["event"]?.string == "skipped" }.count
                // Done once; or made in the killed run just before its journal line (then found made).
                #expect(
                    done == 1 || (done == 0 && skipped == 1),
                    "\(role["name"] ?? .null): \(mine.map { $0["event"] ?? .null })")
                #expect(done <= 1, "never made twice")
            }
        }
        let again = try Self.exportAndPlan(harness, into: folder, name: "again")
        #expect(again["summary"]?["rolesToChange"]?.int == 0)
    }

    // MARK: - Throttling

    @Test func throttledCallsAreRetriedWithBackoff() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-throttle")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let log = folder.path("wrapper.log")
        let apply = try Self.flowrole(
            harness,
            [
                "apply", folder.path("plan/plan.json"), "--live", "--journal", folder.path("journal.jsonl"), "--phase",
                "grants",
            ]
                + harness.flowroleEndpointArguments,
            environment: [
                "FLOWROLE_AWS_CLI": try AWSHarness.throttlingWrapper(), "FAKE_AWS_FAIL_FIRST": "3",
                "FAKE_AWS_ONLY": "PutRolePolicy", "FAKE_AWS_COUNTER": folder.path("counter"), "FAKE_AWS_LOG": log,
            ])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let calls = try Self.journal(log)
        let puts = calls.filter { $0["operation"]?.string == "PutRolePolicy" }
        #expect(puts.filter { $0["failed"] == .bool(true) }.count == 3, "three throttled calls")
        let planned = (plan["roles"]?.array ?? []).filter {
            ($0["changes"]?.array ?? []).contains { $0["type"]?.string == "putRolePolicy" }
        }
        #expect(puts.filter { $0["failed"] == .bool(false) }.count == planned.count, "then each grant made once")
        for role in planned {
            let name = try #require(role["name"]?.string)
            #expect(
                try Self.live(harness, role: name, policy: Self.ownedPolicy) == (try Self.after(role, "putRolePolicy")))
        }
    }

    /// Deleting an inline policy is the one call that is not idempotent: when IAM deletes it but
    /// the answer is lost (a 5xx, a dropped connection), the retry meets NoSuchEntity. The rollback
    /// takes that as the state it wanted, checks it by reading back, and says so in the journal.
    @Test func aDeleteWhoseAnswerWasLostIsDoneWhenItsRetryFindsThePolicyGone() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-lost-delete")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let journalPath = folder.path("journal.jsonl")
        let apply = try Self.flowrole(
            harness,
            ["apply", folder.path("plan/plan.json"), "--live", "--journal", journalPath, "--phase", "grants"]
                + harness.flowroleEndpointArguments)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        // Roles that had no policy of the migration's: rolling back deletes the one the apply made.
        let created = (plan["roles"]?.array ?? []).filter { role in
            (role["changes"]?.array ?? []).contains {
                $0["type"]?.string == "putRolePolicy" && ($0["before"] ?? .null) == .null
            }
        }
        try #require(!created.isEmpty, "the example has roles without the migration's policy")
        let log = folder.path("wrapper.log")
        let rollback = try Self.flowrole(
            harness, ["rollback", journalPath, "--live"] + harness.flowroleEndpointArguments,
            environment: [
                "FLOWROLE_AWS_CLI": try AWSHarness.throttlingWrapper(), "FAKE_AWS_ONLY": "DeleteRolePolicy",
                "FAKE_AWS_FAIL_FIRST": "1", "FAKE_AWS_CALL_FIRST": "1", "FAKE_AWS_ERROR_CODE": "ServiceUnavailable",
                "FAKE_AWS_MESSAGE": "Service Unavailable", "FAKE_AWS_COUNTER": folder.path("counter"),
                "FAKE_AWS_LOG": log,
            ])
        #expect(rollback.status == 0, "\(rollback.stdout)\n\(rollback.stderr)")
        let deletes = try Self.journal(log).filter { $0["operation"]?.string == "DeleteRolePolicy" }
        #expect(deletes.filter { $0["failed"] == .bool(true) }.count == 1, "one answer lost")
        #expect(deletes.count == created.count + 1, "and that delete tried again")
        for role in created {
            let name = try #require(role["name"]?.string)
            #expect(try Self.live(harness, role: name, policy: Self.ownedPolicy) == nil, "\(name) has no owned policy")
        }
        let gone = try Self.journal(journalPath).filter {
            $0["type"]?.string == "rollback" && $0["event"]?.string == "done"
                && $0["message"]?.string?.contains("already gone") == true
        }
        #expect(gone.count == 1, "the retried delete is done, and the journal says why")
    }

    // MARK: - The offline bundle

    @Test func theOfflineBundleAppliesSkipsDriftAndRollsBack() throws {
        let harness = try AWSHarnessTests.exampleHarness()
        let folder = try TemporaryDirectory(prefix: "flowrole-bundle")
        let plan = try Self.exportAndPlan(harness, into: folder, name: "plan")
        let bundle = folder.path("bundle")
        let write = try FlowRole.run(["apply", folder.path("plan/plan.json"), "--write-to", bundle])
        #expect(write.status == 0, "\(write)")
        let environment = harness.endpointEnvironment
        func script(_ name: String) throws -> ChildProcess.Result {
            try ChildProcess.run(
                "/bin/bash", ["\(bundle)/\(name)"], environment: harness.environment.merging(environment) { $1 },
                scratch: harness.scratch, timeout: Self.timeout)
        }
        // Someone changes one role's trust policy first: that role is skipped, the script fails at the end.
        let finance = try Self.role(plan, named: "BedrockFlowsFinanceReportsRole")
        let changed =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        #expect(
            try harness.aws([
                "iam", "update-assume-role-policy", "--role-name", "BedrockFlowsFinanceReportsRole",
                "--policy-document",
                changed,
            ]).status == 0)
        let apply = try script("apply.sh")
        #expect(apply.status == 1, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stderr.contains("skipped BedrockFlowsFinanceReportsRole"), "\(apply.stderr)")
        #expect(try Self.live(harness, role: "BedrockFlowsFinanceReportsRole", policy: Self.ownedPolicy) == nil)
        #expect(
            try Self.live(harness, role: "BedrockFlowsFinanceReportsRole")
                != (try Self.after(finance, "updateAssumeRolePolicy")), "the skipped role's trust is not overwritten")
        let order = try Self.role(plan, named: "BedrockFlowsOrderServicesRole")
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole")
                == (try Self.after(order, "updateAssumeRolePolicy")))
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole", policy: Self.ownedPolicy)
                == (try Self.after(order, "putRolePolicy")))
        // Run again: the applied roles are already applied; the changed one is still skipped.
        let again = try script("apply.sh")
        #expect(again.stdout.contains("BedrockFlowsOrderServicesRole: already applied"), "\(again.stdout)")
        // Rolled back: the applied roles are back to their before documents.
        let rollback = try script("rollback.sh")
        #expect(rollback.stdout.contains("BedrockFlowsOrderServicesRole: restored"), "\(rollback.stdout)")
        #expect(
            try Self.live(harness, role: "BedrockFlowsOrderServicesRole")
                == (try Self.before(order, "updateAssumeRolePolicy")))
        #expect(try Self.live(harness, role: "BedrockFlowsOrderServicesRole", policy: Self.ownedPolicy) == nil)
    }
}
