import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Execution
@testable import Migration

/// The parts of Execution that need no AWS: the journal, the offline scripts, error parsing, the
/// rollback's reading of a journal. (Everything that talks to AWS is tested against moto in
/// EndToEndTests/LiveApplyTests.)
@Suite("Execution without AWS")
struct ExecutionTests {
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flowrole-exec-\(UUID().uuidString)-\(name)").path
    }

    static func role(
        _ name: String, account: String, findings: [Finding] = [], before: JSONValue? = nil
    ) -> RolePlan {
        let arn = "arn:aws:iam::\(account):role/\(name)"
        let grants: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [["Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"]],
        ]
        let trustBefore: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                    "Condition": ["ArnLike": ["AWS:SourceArn": .string("arn:aws:bedrock:us-east-1:\(account):flow/*")]],
                ]
            ],
        ]
        let trustAfter: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                    "Condition": [
                        "ArnLike": ["AWS:SourceArn": .string("arn:aws:bedrock:us-east-1:\(account):flow/ABCDEFGHIJ")]
                    ],
                ]
            ],
        ]
        return RolePlan(
            arn: arn, name: name, account: account, source: nil, basis: "b", status: .change, selected: true,
            flows: [], requirements: [],
            changes: [
                Change(kind: .putRolePolicy, policyName: "flowrole-grants", before: before, after: grants),
                Change(kind: .updateAssumeRolePolicy, policyName: nil, before: trustBefore, after: trustAfter),
            ], findings: findings)
    }

    static func plan(_ roles: [RolePlan]) throws -> Plan {
        Plan(
            migrationID: "m", legacyBefore: try Instant(parsing: "2024-11-23T00:00:00Z"), inputs: [],
            selection: Selection(), coverage: [], roles: roles, findings: [], generatedAt: nil)
    }

    // MARK: - Journal

    @Test func aLineTornByAKillIsEndedAndSkippedAndTheRecordsAfterItStayReadable() throws {
        let path = Self.temporaryFile("journal.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Journal(path: path).append([JSONMember("type", "run")])
        // A kill in the middle of a record.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"type":"change","event":"be"#.utf8))
        try handle.close()
        try Journal(path: path).append([JSONMember("type", "change"), JSONMember("event", "done")])
        let records = try Journal.read(path: path)
        #expect(records.map { $0["type"]?.stringValue } == ["run", "change"])
        #expect(records.last?["event"]?.stringValue == "done")
        #expect(records.allSatisfy { $0["time"]?.stringValue != nil }, "every record is timed")
        // Anything else unreadable is an error naming the line.
        try Data("{\"type\":\"run\"}\nnot json\n{\"type\":\"run\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ExecutionError.self) { try Journal.read(path: path) }
    }

    // MARK: - Rollback's reading of a journal

    @Test func rollbackRestoresTrustFirstAndAlsoChangesWhoseOutcomeIsUnknown() {
        func record(_ event: String, _ role: String, _ change: String) -> JSONValue {
            [
                "type": "change", "event": .string(event), "role": .string(role), "roleName": "R",
                "account": "111122223333", "change": .string(change), "policyName": "p", "before": .null,
                "after": ["Version": "2012-10-17"], "planSha256": "abc",
            ]
        }
        let restores = LiveRollback.restores([
            record("done", "arn:a", "putRolePolicy"), record("done", "arn:a", "updateAssumeRolePolicy"),
            record("begin", "arn:b", "putRolePolicy"),  // killed after the call, perhaps
            record("failed", "arn:c", "putRolePolicy"),  // a read-back that lagged, perhaps
            record("refused", "arn:d", "putRolePolicy"),  // never attempted
            record("skipped", "arn:e", "putRolePolicy"),
        ])
        #expect(restores.map(\.kind).first == "updateAssumeRolePolicy", "trust first")
        #expect(Set(restores.map(\.role)) == ["arn:a", "arn:b", "arn:c"])
        #expect(restores.filter { $0.role == "arn:a" }.count == 2)
    }

    /// Applies of several plans that share a journal: the restore goes back to where flowrole's
    /// latest unbroken run of changes of a document started — never past a change made outside
    /// flowrole between two applies, which going further back would undo.
    @Test func rollbackAcrossPlansSharingAJournalKeepsChangesMadeInBetween() {
        let x: JSONValue = ["Version": "2012-10-17", "Statement": ["Sid": "X"]]
        let y: JSONValue = ["Version": "2012-10-17", "Statement": ["Sid": "Y"]]
        let w: JSONValue = ["Version": "2012-10-17", "Statement": ["Sid": "W"]]
        let z: JSONValue = ["Version": "2012-10-17", "Statement": ["Sid": "Z"]]
        func change(_ event: String, _ before: JSONValue, _ after: JSONValue, plan: String) -> JSONValue {
            [
                "type": "change", "event": .string(event), "role": "arn:a", "roleName": "R", "account": "111122223333",
                "change": "putRolePolicy", "policyName": "p", "before": before, "after": after,
                "planSha256": .string(plan),
            ]
        }
        func restore(_ records: [JSONValue]) -> LiveRollback.Restore? {
            let restores = LiveRollback.restores(records)
            #expect(restores.count == 1)
            return restores.first
        }
        // Plan B continued where plan A ended: back to A's before.
        let chained = restore([
            change("begin", x, y, plan: "a"), change("done", x, y, plan: "a"), change("begin", y, z, plan: "b"),
            change("done", y, z, plan: "b"),
        ])
        #expect(chained?.before == x && chained?.after == z && chained?.keepsOutsideChange == false)
        #expect(chained?.planSHA256 == "a")
        // Someone changed Y to W before plan B: back to W, not X.
        let broken = restore([change("done", x, y, plan: "a"), change("done", w, z, plan: "b")])
        #expect(broken?.before == w && broken?.after == z && broken?.keepsOutsideChange == true)
        #expect(broken?.planSHA256 == "b")
        // The same change again (after a failure, or after a rollback): still back to X.
        let again = restore([
            change("failed", x, y, plan: "a"), change("begin", x, y, plan: "a"), change("done", x, y, plan: "a"),
        ])
        #expect(again?.before == x && again?.after == y && again?.keepsOutsideChange == false)
        // A policy plan A created, then plan B grew: deleted again.
        let created = restore([change("done", .null, y, plan: "a"), change("done", y, z, plan: "b")])
        #expect(created?.before == nil && created?.after == z && created?.keepsOutsideChange == false)
    }

    // MARK: - The offline bundle

    @Test func theScriptsSkipAnAccountWithoutItsCredentialsAndLeaveIaCRolesToTheirTemplates() throws {
        let iac = Finding(severity: .warning, code: "IAC_MANAGED", message: "stack", subject: "x")
        let plan = try Self.plan([
            Self.role("RoleA", account: "111122223333"), Self.role("RoleB", account: "444455556666"),
            Self.role("StackRole", account: "111122223333", findings: [iac]),
        ])
        let files = OfflineBundle.files(plan, planSHA256: "feed", phase: .all)
        let names = Set(files.map(\.name))
        #expect(names.contains("roles/111122223333/RoleA/inline.flowrole-grants.after.json"))
        #expect(names.contains("roles/444455556666/RoleB/trust.before.json"))
        let apply = String(decoding: try #require(files.first { $0.name == "apply.sh" }).bytes, as: UTF8.self)
        let rollback = String(decoding: try #require(files.first { $0.name == "rollback.sh" }).bytes, as: UTF8.self)
        let readme = String(decoding: try #require(files.first { $0.name == "README.md" }).bytes, as: UTF8.self)
        // Both accounts are checked; a mismatch skips that account's roles instead of stopping.
        #expect(apply.contains("check_account '111122223333'") && apply.contains("check_account '444455556666'"))
        #expect(!apply.contains("exit 1\n  fi\n}"), "check_account does not exit")
        #expect(apply.contains("if [ \"$account_ok\" = 1 ]; then"))
        // The IaC-owned role is in the README, not in the scripts.
        #expect(!apply.contains("--role-name 'StackRole'") && !rollback.contains("--role-name 'StackRole'"))
        #expect(readme.contains("### StackRole") && readme.contains("aws_iam_role_policy"))
        // Both scripts are valid bash.
        for (name, script) in [("apply.sh", apply), ("rollback.sh", rollback)] {
            let path = Self.temporaryFile(name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(script.utf8).write(to: URL(fileURLWithPath: path))
            let bash = Process()
            bash.executableURL = URL(fileURLWithPath: "/bin/bash")
            bash.arguments = ["-n", path]
            try bash.run()
            bash.waitUntilExit()
            #expect(bash.terminationStatus == 0, "\(name) parses")
        }
        // The grants-only wave writes no trust document and no trust call.
        let grants = OfflineBundle.files(plan, planSHA256: "feed", phase: .grants)
        #expect(!grants.contains { $0.name.hasSuffix("trust.after.json") })
        #expect(
            !String(decoding: try #require(grants.first { $0.name == "apply.sh" }).bytes, as: UTF8.self).contains(
                "aws iam update-assume-role-policy --role-name"))
    }

    @Test func shellWordsAreQuoted() {
        #expect(OfflineBundle.quote("plain") == "'plain'")
        #expect(OfflineBundle.quote("it's $(id)") == #"'it'\''s $(id)'"#)
    }

    // MARK: - The aws command line's errors

    @Test func errorCodesAreReadFromWhatTheCommandLinePrints() {
        let throttled = AWSError(
            service: "iam", operation: "put-role-policy", status: 255,
            stderr:
                "\nAn error occurred (Throttling) when calling the PutRolePolicy operation (reached max retries: 4): Rate exceeded\n"
        )
        #expect(throttled.code == "Throttling" && throttled.isRetryable && !throttled.isNotFound)
        let missing = AWSError(
            service: "iam", operation: "get-role", status: 255,
            stderr: "\nAn error occurred (NoSuchEntity) when calling the GetRole operation: Role nope not found\n")
        #expect(missing.code == "NoSuchEntity" && missing.isNotFound && !missing.isRetryable)
        let down = AWSError(
            service: "iam", operation: "get-role", status: 255,
            stderr: "\nCould not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n")
        #expect(down.code == "ConnectionError" && down.isRetryable)
    }

    @Test func theRequestIDIsTheLastTheDebugLogShows() {
        let log = """
            2026-11-29 DEBUG - Response headers: {'x-amzn-requestid': 'first-attempt'}
            2026-11-29 DEBUG - Response headers: {'x-amzn-RequestId': 'final-answer'}
            """
        #expect(AWSCommandLine.requestID(in: log) == "final-answer")
        #expect(AWSCommandLine.requestID(in: "no headers") == nil)
    }

    // MARK: - Phases and flow users

    @Test func phasesCoverTheirChanges() {
        #expect(
            LiveApply.Phase.grants.covers(.putRolePolicy) && !LiveApply.Phase.grants.covers(.updateAssumeRolePolicy))
        #expect(LiveApply.Phase.trust.covers(.updateAssumeRolePolicy) && !LiveApply.Phase.trust.covers(.putRolePolicy))
        #expect(LiveApply.Phase.all.covers(.putRolePolicy) && LiveApply.Phase.all.covers(.updateAssumeRolePolicy))
    }

    @Test func aFlowsRoleIsKeyedByAccountAndNameAsThePlannerJoinsIt() {
        #expect(
            FlowUsers.key(executionRoleArn: "arn:aws:iam::111122223333:role/service-role/MyRole", flowAccount: "x")
                == "111122223333/myrole")
        #expect(
            FlowUsers.key(executionRoleArn: "arn:aws:iam:::role/MyRole", flowAccount: "444455556666")
                == "444455556666/myrole")
        #expect(FlowUsers.key(executionRoleArn: "arn:aws:iam::111122223333:user/Bob", flowAccount: "x") == nil)
    }
}
