import FlowRoleJSON
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// `flowrole show`'s text: the summary and the role view of a small plan built by hand.
@Suite("TerminalReport")
struct TerminalReportTests {
    static let account = "111122223333"
    static let flowArn = "arn:aws:bedrock:us-east-1:111122223333:flow/FLOW000001"
    static let otherFlowArn = "arn:aws:bedrock:us-east-1:111122223333:flow/FLOW000002"
    static let function = "arn:aws:lambda:us-east-1:111122223333:function:lookup"

    static func instant(_ text: String) -> Instant {
        (try? Instant(parsing: text)) ?? Instant(seconds: 0)
    }

    static func requirement(_ resource: String, _ state: PlannedRequirement.State, node: String) -> PlannedRequirement {
        PlannedRequirement(
            requirement: Requirement(
                action: "lambda:InvokeFunction", resource: resource, flow: flowArn, version: "DRAFT", node: node,
                roleArn: "", sid: ""),
            state: state)
    }

    static func role(
        _ name: String, account: String = account, status: RolePlan.Status, selected: Bool = true,
        requirements: [PlannedRequirement] = [], changes: [Change] = [], findings: [Finding] = []
    ) -> RolePlan {
        RolePlan(
            arn: "arn:aws:iam::\(account):role/\(name)", name: name, account: account,
            source: Provenance(path: "exports/iam.json", pointer: "/RoleDetailList/0"), basis: "abc123",
            status: status, selected: selected,
            flows: [
                RoleFlow(
                    arn: flowArn, createdAt: instant("2024-06-01T10:00:00Z"), legacy: true, versions: ["DRAFT", "1"]),
                RoleFlow(
                    arn: otherFlowArn, createdAt: instant("2025-01-02T03:04:05Z"), legacy: false, versions: ["DRAFT"]),
            ],
            requirements: requirements, changes: changes, findings: findings)
    }

    static let trustBefore: JSONValue = [
        "Version": "2012-10-17",
        "Statement": [
            [
                "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                "Condition": ["ArnLike": ["aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:flow/*"]],
            ]
        ],
    ]
    static let trustAfter: JSONValue = [
        "Version": "2012-10-17",
        "Statement": [
            [
                "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                "Condition": ["ArnLike": ["aws:SourceArn": [.string(flowArn), .string(otherFlowArn)]]],
            ]
        ],
    ]
    static let grant: JSONValue = [
        "Version": "2012-10-17",
        "Statement": [
            ["Sid": "Lambda", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [.string(function)]]
        ],
    ]

    /// Two accounts: one role changing, one blocked, two unchanged (one outside the selection).
    static func plan(generatedAt: Instant? = nil) -> Plan {
        let changing = role(
            "ClaimsRole", status: .change,
            requirements: [
                requirement(function, .add, node: "Lookup"), requirement(function + ":1", .granted, node: "Lookup"),
            ],
            changes: [
                Change(kind: .putRolePolicy, policyName: "flowrole-grants", before: nil, after: grant),
                Change(kind: .updateAssumeRolePolicy, policyName: nil, before: trustBefore, after: trustAfter),
            ],
            findings: [
                Finding(
                    severity: .warning, code: "CUTOFF_DAY", message: "flow one was created on the cut-off day.",
                    subject: flowArn),
                Finding(
                    severity: .info, code: "ALREADY_GRANTED", message: "already allowed.", subject: function + ":1"),
            ])
        let blocked = role(
            "PayrollRole", status: .blocked, requirements: [requirement(function, .blocked, node: "Pay")],
            findings: [
                Finding(
                    severity: .blocker, code: "EXPLICIT_DENY", message: "a Deny matches.", subject: function),
                Finding(
                    severity: .blocker, code: "PERMISSIONS_BOUNDARY", message: "the boundary does not allow it.",
                    subject: function, suppressed: true),
            ])
        let quiet = role("QuietRole", status: .unchanged)
        let outside = role(
            "OtherRole", account: "444455556666", status: .unchanged, selected: false,
            findings: [
                Finding(severity: .warning, code: "TRUST_NO_FLOWS", message: "no flow.", subject: "x")
            ])
        return Plan(
            migrationID: "2024-11-22-bedrock-flows-service-role", legacyBefore: instant("2024-11-23T00:00:00Z"),
            inputs: [], selection: Selection(), coverage: [],
            roles: [changing, blocked, quiet, outside].sorted { $0.arn < $1.arn },
            findings: [
                Finding(
                    severity: .info, code: "SCP_NOT_EVALUATED",
                    message: "organisation policies are not in the inputs.", subject: "*")
            ],
            generatedAt: generatedAt)
    }

    /// `text` without SGR escapes.
    static func stripped(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                if character == "m" { escaped = false }
            } else if character == "\u{1B}" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    // MARK: - Summary

    @Test func theSummaryListsWhatChangesPerAccountAndCountsFindingsByCode() {
        let text = TerminalReport.summary(Self.plan(generatedAt: Self.instant("2026-11-29T00:00:00Z")), style: .plain)
        #expect(
            text == """
                flowrole plan  2024-11-22-bedrock-flows-service-role
                legacy flows  created before 2024-11-23T00:00:00Z
                generated at  2026-11-29T00:00:00Z

                4 roles: 1 to change, 1 blocked, 2 unchanged
                2 flows (1 legacy); 1 grant to add; 1 trust policy to tighten
                1 blocker, 1 warning

                account 111122223333
                  STATUS   ROLE         GRANTS  PINNED  BLOCKERS  WARNINGS
                  change   ClaimsRole        1  yes            0         1
                  blocked  PayrollRole       0  no             1         0
                  1 unchanged role not listed

                account 444455556666
                  nothing to change; 1 unchanged role not listed

                plan findings
                  info     SCP_NOT_EVALUATED
                           organisation policies are not in the inputs.

                findings by code
                  EXPLICIT_DENY             1  blocker
                  PERMISSIONS_BOUNDARY      0  blocker  1 suppressed
                  CUTOFF_DAY                1  warning
                  ALREADY_GRANTED           1  info
                  SCP_NOT_EVALUATED         1  info
                  (findings of roles outside the selection are not counted)

                """)
        // The counts agree with the plan's summary (suppressed and unselected findings left out).
        #expect(Self.plan().summary.blockers == 1 && Self.plan().summary.warnings == 1)
        #expect(!TerminalReport.summary(Self.plan(), style: .plain).contains("generated at"))
    }

    @Test func colourOnlyWithTheColourStyleAndTheTextIsTheSame() {
        let plain = TerminalReport.summary(Self.plan(), style: .plain)
        let coloured = TerminalReport.summary(Self.plan(), style: .ansi)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31mblocked\u{1B}[0m"))
        #expect(Self.stripped(coloured) == plain)
        let role = try? #require(Self.plan().roles.first { $0.name == "ClaimsRole" })
        if let role {
            #expect(!TerminalReport.role(role, in: Self.plan(), style: .plain).contains("\u{1B}"))
            #expect(
                Self.stripped(TerminalReport.role(role, in: Self.plan(), style: .ansi))
                    == TerminalReport.role(role, in: Self.plan(), style: .plain))
        }
    }

    @Test func aSummaryRowFitsAHundredColumnsWhateverTheRoleName() {
        var plan = Self.plan()
        let long = String(repeating: "VeryLongRoleName", count: 4)  // 64 characters, IAM's limit
        plan.roles[0].name = long
        plan.roles[0].status = .change
        let text = TerminalReport.summary(plan, style: .plain)
        for line in text.split(separator: "\n") {
            #expect(line.count <= 100, "\(line.count) columns: \(line)")
        }
        // Shortened in the middle: the start and the end of a name are what tell roles apart.
        #expect(text.contains("  change   VeryLongRoleNameVeryLongRo…ngRoleNameVeryLongRoleName       1  yes"))
    }

    // MARK: - One role

    @Test func theRoleViewExplainsEveryRequirementFindingAndChange() throws {
        let plan = Self.plan()
        let role = try #require(plan.roles.first { $0.name == "ClaimsRole" })
        let text = TerminalReport.role(role, in: plan, style: .plain)
        let expectedLines = [
            "role     ClaimsRole",
            "arn      arn:aws:iam::111122223333:role/ClaimsRole",
            "account  111122223333",
            "status   change",
            "source   exports/iam.json (/RoleDetailList/0)",
            "basis    abc123",
            "flows (2)",
            "  \(Self.flowArn)",
            "    created 2024-06-01T10:00:00Z, legacy, versions DRAFT, 1",
            "    created 2025-01-02T03:04:05Z, after the change, version DRAFT",
            "requirements (2)",
            "  add      lambda:InvokeFunction  \(Self.function)",
            "           for flow \(Self.flowArn), version DRAFT, node Lookup",
            "  granted  lambda:InvokeFunction  \(Self.function):1",
            "findings (2)",
            "  warning  CUTOFF_DAY",
            "           flow one was created on the cut-off day.",
            "           about \(Self.flowArn)",
            "changes (2)",
            "  putRolePolicy  inline policy flowrole-grants (new)",
            "  --- /dev/null",
            "  +++ after",
            "  updateAssumeRolePolicy  trust policy, pinned to 2 flows:",
            "    \(Self.otherFlowArn)",
            "  --- before",
            "  -          \"aws:SourceArn\": \"arn:aws:bedrock:us-east-1:111122223333:flow/*\"",
            "  +            \"\(Self.flowArn)\",",
        ]
        let lines = Set(text.split(separator: "\n").map(String.init))
        for line in expectedLines {
            #expect(lines.contains(line), "missing line: \(line)\n\(text)")
        }
        // The catalogue says what to do, wrapped under the finding.
        let action = try #require(FindingCatalog.explanation("CUTOFF_DAY")?.action)
        let flattened = text.split(separator: "\n").map { $0.drop { $0 == " " } }.joined(separator: " ")
        #expect(flattened.contains("what to do: " + action))
    }

    @Test func diffLinesAreColouredByKind() throws {
        let plan = Self.plan()
        let role = try #require(plan.roles.first { $0.name == "ClaimsRole" })
        let text = TerminalReport.role(role, in: plan, style: .ansi)
        let diffLines = text.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("  \u{1B}[") && ["+", "-", "@"].contains(Self.stripped($0).dropFirst(2).first)
        }
        #expect(diffLines.count > 10)
        for line in diffLines {
            let content = Self.stripped(line).dropFirst(2)
            let expected =
                content.hasPrefix("--- ") || content.hasPrefix("+++ ")
                ? "1" : content.hasPrefix("@@") ? "36" : content.hasPrefix("+") ? "32" : "31"
            #expect(line.hasPrefix("  \u{1B}[\(expected)m"), "\(line)")
            #expect(line.hasSuffix("\u{1B}[0m"), "\(line)")
        }
        // Context lines stay plain.
        #expect(text.contains("\n         \"Action\": \"sts:AssumeRole\",\n"))
    }

    @Test func textFromThePlanCannotDriveTheTerminal() {
        var plan = Self.plan()
        plan.roles[0].name = "Evil\u{1B}]0;pwned\u{07}Role"
        plan.roles[0].status = .change
        let summary = TerminalReport.summary(plan, style: .plain)
        #expect(!summary.contains("\u{1B}") && !summary.contains("\u{07}"))
        #expect(summary.contains("Evil\\u{1B}]0;pwned\\u{7}Role"))
        let role = TerminalReport.role(plan.roles[0], in: plan, style: .ansi)
        #expect(!role.contains("\u{07}") && !role.contains("\u{1B}]"))
    }

    // MARK: - Choosing a role and a style

    @Test func aRoleIsFoundByARNOrByAUniqueName() {
        var plan = Self.plan()
        #expect(
            TerminalReport.roles(matching: "arn:aws:iam::111122223333:role/ClaimsRole", in: plan).map(\.name) == [
                "ClaimsRole"
            ])
        #expect(TerminalReport.roles(matching: "claimsrole", in: plan).map(\.name) == ["ClaimsRole"])
        #expect(TerminalReport.roles(matching: "NoSuchRole", in: plan).isEmpty)
        plan.roles.append(Self.role("ClaimsRole", account: "444455556666", status: .unchanged))
        #expect(TerminalReport.roles(matching: "ClaimsRole", in: plan).count == 2)
        #expect(TerminalReport.roles(matching: "arn:aws:iam::444455556666:role/ClaimsRole", in: plan).count == 1)
    }

    @Test func autoColoursOnlyATerminalWithoutNoColor() {
        #expect(TerminalStyle.automatic(isTerminal: true, environment: [:]) == .ansi)
        #expect(TerminalStyle.automatic(isTerminal: false, environment: [:]) == .plain)
        #expect(TerminalStyle.automatic(isTerminal: true, environment: ["NO_COLOR": "1"]) == .plain)
        #expect(TerminalStyle.automatic(isTerminal: true, environment: ["NO_COLOR": "0"]) == .plain)
        // no-color.org: set *and not empty*.
        #expect(TerminalStyle.automatic(isTerminal: true, environment: ["NO_COLOR": ""]) == .ansi)
    }
}
