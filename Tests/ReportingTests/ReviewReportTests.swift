import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// Plans built by hand, small or large, for the renderers.
enum SamplePlans {
    static let account = "111122223333"

    static func role(
        _ index: Int, account: String = account, status: RolePlan.Status = .change, findings: [Finding] = [],
        name: String? = nil
    ) -> RolePlan {
        let name = name ?? "BedrockFlowsRole\(index)"
        let arn = "arn:aws:iam::\(account):role/\(name)"
        let flow = "arn:aws:bedrock:us-east-1:\(account):flow/FLOW\(index)"
        let lambda = "arn:aws:lambda:us-east-1:\(account):function:fn-\(index)"
        let requirement = Requirement(
            action: "lambda:InvokeFunction", resource: lambda, flow: flow, version: "DRAFT", node: "Invoke\(index)",
            roleArn: arn, sid: "FlowsInvokeLambda")
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
                    "Condition": ["ArnLike": ["AWS:SourceArn": [.string(flow), .string(flow + "/*")]]],
                ]
            ],
        ]
        let grants: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "FlowsInvokeLambda", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                    "Resource": [.string(lambda)],
                ]
            ],
        ]
        let changes: [Change] =
            status == .change
            ? [
                Change(
                    kind: .putRolePolicy, policyName: "flowrole-bedrock-flows-2024-11-22", before: nil, after: grants),
                Change(kind: .updateAssumeRolePolicy, policyName: nil, before: trustBefore, after: trustAfter),
            ] : []
        return RolePlan(
            arn: arn, name: name, account: account,
            source: Provenance(path: "iam.json", pointer: "/RoleDetailList/\(index)"),
            basis: String(repeating: "a", count: 64), status: status, selected: true,
            flows: [RoleFlow(arn: flow, createdAt: Instant(seconds: 1_715_000_000), legacy: true, versions: ["DRAFT"])],
            requirements: [PlannedRequirement(requirement: requirement, state: status == .blocked ? .blocked : .add)],
            changes: changes, findings: findings)
    }

    static func plan(_ roles: [RolePlan], findings: [Finding] = []) -> Plan {
        Plan(
            migrationID: "2024-11-22-bedrock-flows-service-role", legacyBefore: Instant(seconds: 1_732_320_000),
            inputs: [
                PlanInput(
                    path: "iam.json", sha256: String(repeating: "0", count: 64), kind: "iam.authorization-details")
            ],
            selection: Selection(),
            coverage: [Coverage(partition: "aws", account: account, region: "us-east-1", by: .flows)],
            roles: roles, findings: findings, generatedAt: nil)
    }
}

@Suite("review reports: HTML and Markdown")
struct ReviewReportTests {
    @Test func theMarkdownReportStopsAtItsCapAndPointsToTheFullReport() {
        let blocker = Finding(severity: .blocker, code: "EXPLICIT_DENY", message: "denied", subject: "x")
        var roles = (0..<600).map { SamplePlans.role($0) }
        roles.append(SamplePlans.role(900, status: .blocked, findings: [blocker]))
        let text = MarkdownReport.render(SamplePlans.plan(roles))
        #expect(text.utf8.count <= MarkdownReport.sizeCap + 400, "the report is \(text.utf8.count) bytes")
        #expect(text.contains("more roles not shown"))
        #expect(text.contains("report.html"))
        // The blocked role sorts first in its account, so a cut never hides it.
        let blocked = text.range(of: "BedrockFlowsRole900")
        let first = text.range(of: "BedrockFlowsRole0<")
        #expect(blocked != nil)
        if let blocked, let first { #expect(blocked.lowerBound < first.lowerBound) }
        // Every <details> that was opened is closed.
        #expect(text.components(separatedBy: "<details>").count == text.components(separatedBy: "</details>").count)
    }

    @Test func aSmallPlanIsReportedWholeWithASectionPerAccount() {
        let roles = [
            SamplePlans.role(1), SamplePlans.role(2, account: "444455556666"),
            SamplePlans.role(3, status: .unchanged),
        ]
        let text = MarkdownReport.render(SamplePlans.plan(roles))
        #expect(!text.contains("not shown"))
        #expect(text.contains("## Account 111122223333"))
        #expect(text.contains("## Account 444455556666"))
        #expect(text.contains("Left as they are, with nothing to report (1): `BedrockFlowsRole3`"))
        #expect(text.contains("trust pinned to 1 flow(s)"))
        #expect(text.contains("+      \"Sid\": \"FlowsInvokeLambda\"\n"))
    }

    @Test func theHTMLPageIsSelfContainedAndItsDataParses() throws {
        let hostile = SamplePlans.role(
            1, findings: [Finding(severity: .warning, code: "CUTOFF_DAY", message: "<b>bold</b> & more", subject: "x")],
            name: "Role</script><script>alert(1)</script>")
        let page = HTMLReport.render(SamplePlans.plan([hostile, SamplePlans.role(2)]))
        // Nothing is fetched: no src= or href= outside the page, and a policy forbids it anyway.
        #expect(!page.contains("src="))
        #expect(!page.contains("href=\"http"))
        #expect(page.contains("Content-Security-Policy"))
        // Exactly two script elements: the data and the code; the hostile name did not end one.
        #expect(page.components(separatedBy: "</script>").count == 3)
        let start = try #require(page.range(of: "<script type=\"application/json\" id=\"plan-data\">"))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let json = try JSONParser.parse(String(page[start.upperBound..<end.lowerBound]))
        let roles = try #require(json["roles"]?.arrayValue)
        #expect(roles.count == 2)
        #expect(roles[0]["name"]?.stringValue == "Role</script><script>alert(1)</script>")
        #expect(roles[0]["severity"]?.stringValue == "warning")
        #expect(roles[0]["grants"] == JSONValue.number("1"))
        let changes = try #require(roles[0]["changes"]?.arrayValue)
        #expect(changes.map { $0["type"]?.stringValue } == ["putRolePolicy", "updateAssumeRolePolicy"])
        #expect(changes[1]["pinned"]?.stringList == ["arn:aws:bedrock:us-east-1:111122223333:flow/FLOW1"])
        // A new inline policy is shown once, as its diff: no list of added statements beside it.
        #expect(changes[0]["new"] == .bool(true))
        #expect(changes[0]["added"] == nil)
        #expect(changes[0]["diff"]?.stringValue?.hasPrefix("--- /dev/null\n+++ after\n") == true)
        #expect(changes[1]["document"]?.stringValue?.contains("\"Principal\"") == true, "the whole trust policy after")
        #expect(changes[1]["diff"]?.stringValue?.contains("+          \"AWS:SourceArn\": [") == true)
        // Every finding code has its explanation anchor.
        for entry in FindingCatalog.all { #expect(page.contains("id=\"code-\(entry.code)\"")) }
    }

    /// A role that changes while one of its grants is blocked: the FinanceReports shape.
    static func partlyBlocked(suppressed: Bool = false) -> RolePlan {
        var role = SamplePlans.role(5)
        let flow = role.flows[0].arn
        let payroll = "arn:aws:lambda:us-east-1:111122223333:function:payroll-export"
        for version in ["DRAFT", "2"] {
            role.requirements.append(
                PlannedRequirement(
                    requirement: Requirement(
                        action: "lambda:InvokeFunction", resource: payroll, flow: flow, version: version,
                        node: "ExportPayroll", roleArn: role.arn, sid: "FlowsInvokeLambda"),
                    state: .blocked))
        }
        role.findings = [
            Finding(
                severity: .blocker, code: "EXPLICIT_DENY", message: "Access statement 1 denies it", subject: payroll,
                suppressed: suppressed),
            Finding(severity: .info, code: "ALREADY_GRANTED", message: "already", subject: "arn:aws:lambda:x"),
        ]
        return role
    }

    static func roleData(_ plan: Plan, _ index: Int = 0) throws -> JSONValue {
        try #require(HTMLReport.data(plan)["roles"]?.arrayValue?[index])
    }

    @Test func aChangedRoleWithABlockedGrantSaysWhichGrantIsNotAddedAndWhatThatMeans() throws {
        let role = Self.partlyBlocked()
        #expect(role.status == .change, "the plan status stays as it is")
        #expect(RoleFacts.blockedGrants(role) == 1, "two versions needing one grant count once")
        let data = try Self.roleData(SamplePlans.plan([role, SamplePlans.role(6)]))
        #expect(data["blockedGrants"] == JSONValue.number("1"))
        #expect(try Self.roleData(SamplePlans.plan([SamplePlans.role(6)]))["blockedGrants"] == JSONValue.number("0"))
        #expect(try Self.roleData(SamplePlans.plan([SamplePlans.role(6)]))["notAdded"] == nil)

        let notAdded = try #require(data["notAdded"]?.arrayValue)
        #expect(notAdded.count == 2)
        #expect(notAdded.map { $0["node"]?.stringValue } == ["ExportPayroll", "ExportPayroll"])
        #expect(notAdded.map { $0["version"]?.stringValue } == ["DRAFT", "2"])
        #expect(notAdded[0]["codes"]?.stringList == ["EXPLICIT_DENY"], "the blocker about the same resource")
        #expect(notAdded[0]["reason"]?.stringValue == "blocked")
        #expect(notAdded[0]["accepted"] == .bool(false))
        let consequences = try #require(data["consequences"]?.stringList)
        #expect(
            consequences == [
                "lambda:InvokeFunction on arn:aws:lambda:us-east-1:111122223333:function:payroll-export will NOT be added (EXPLICIT_DENY): node ExportPayroll of flow arn:aws:bedrock:us-east-1:111122223333:flow/FLOW5 (DRAFT, 2) will fail as this role until the Deny is narrowed."
            ])
        // Accepted by a suppression: still not added, and said so.
        let accepted = RoleFacts.notAdded(Self.partlyBlocked(suppressed: true))
        #expect(accepted.allSatisfy { $0.accepted })
        #expect(RoleFacts.consequences(Self.partlyBlocked(suppressed: true))[0].hasSuffix("accepted by a suppression."))
        // A blocker about the role itself (a service-linked role) explains every blocked grant.
        var serviceLinked = SamplePlans.role(8, status: .blocked)
        serviceLinked.findings = [
            Finding(severity: .blocker, code: "SERVICE_LINKED_ROLE", message: "linked", subject: serviceLinked.arn)
        ]
        #expect(RoleFacts.notAdded(serviceLinked).map(\.codes) == [["SERVICE_LINKED_ROLE"]])
    }

    @Test func theNeedsOfFlowsCreatedAfterTheWindowAreListedAsNotAdded() throws {
        var role = SamplePlans.role(4)
        let flow = "arn:aws:bedrock:us-east-1:111122223333:flow/NEWFLOW"
        let resource = "arn:aws:lambda:us-east-1:111122223333:function:returns-handler:$LATEST"
        // As the planner writes it (Planner.swift): the need as data, and its finding.
        role.notMigrated = [
            Requirement(
                action: "lambda:InvokeFunction", resource: resource, flow: flow, version: "DRAFT",
                node: "Open (Returns)", roleArn: role.arn, sid: "")
        ]
        role.findings = [
            Finding(
                severity: .warning, code: "NEW_FLOW_MISSING_GRANT",
                message:
                    "lambda:InvokeFunction on \(resource) is needed by flow \(flow) (DRAFT, node Open (Returns)), created after the window, and the role does not grant it: the flow is broken today. --include-new-flows adds it.",
                subject: resource)
        ]
        let entries = RoleFacts.notAdded(role)
        try #require(entries.count == 1)
        #expect(entries[0].reason == .newFlow)
        #expect(entries[0].action == "lambda:InvokeFunction")
        #expect(entries[0].resource == resource)
        #expect(entries[0].flow == flow)
        #expect(entries[0].version == "DRAFT")
        #expect(entries[0].node == "Open (Returns)")
        #expect(entries[0].codes == ["NEW_FLOW_MISSING_GRANT"])
        #expect(RoleFacts.blockedGrants(role) == 0, "a new flow's need is not a blocked grant")
        #expect(
            RoleFacts.consequences(role)[0].contains(
                "node Open (Returns) of flow \(flow) (DRAFT) will keep failing as this role (broken today)"))
        // A finding with no need in the plan's data (edited by hand) still lists the resource.
        var odd = SamplePlans.role(5)
        odd.findings = [
            Finding(severity: .warning, code: "NEW_FLOW_MISSING_GRANT", message: "reworded", subject: resource)
        ]
        let oddEntries = RoleFacts.notAdded(odd)
        try #require(oddEntries.count == 1)
        #expect(oddEntries[0].resource == resource && oddEntries[0].node.isEmpty)
    }

    @Test func aRoleWhoseTrustIsLeftAloneSaysWhy() {
        let settings = Plan.Settings()
        // Tightened: no reason needed.
        #expect(RoleFacts.trustReason(SamplePlans.role(1), settings: settings) == nil)
        // Nothing explains it: the trust policy had no flow/* to replace.
        var pinned = SamplePlans.role(2)
        pinned.changes.removeAll { $0.kind == .updateAssumeRolePolicy }
        #expect(
            RoleFacts.trustReason(pinned, settings: settings)?.text
                == "The trust policy already names its flows (or has no flow/* wildcard); nothing to tighten.")
        // A finding about trust explains it (the QUOTA_EXCEEDED of grants does not).
        var covered = pinned
        covered.findings = [
            Finding(severity: .blocker, code: "QUOTA_EXCEEDED", message: "inline", subject: covered.arn),
            Finding(severity: .warning, code: "TRUST_COVERAGE", message: "eu-west-1 not covered", subject: covered.arn),
            Finding(severity: .warning, code: "QUOTA_EXCEEDED", message: "trust", subject: covered.arn),
        ]
        let reason = RoleFacts.trustReason(covered, settings: settings)
        #expect(reason?.codes == ["TRUST_COVERAGE", "QUOTA_EXCEEDED"])
        #expect(reason?.text.contains("TRUST_COVERAGE") == true)
        // --skip-trust, and roles outside the selection.
        var skipping = Plan.Settings()
        skipping.skipTrust = true
        #expect(RoleFacts.trustReason(covered, settings: skipping)?.text.contains("--skip-trust") == true)
        var outside = pinned
        outside.selected = false
        #expect(RoleFacts.trustReason(outside, settings: settings)?.text.contains("Outside the selection") == true)
        // In the page's data.
        var plan = SamplePlans.plan([pinned])
        plan.settings.skipTrust = true
        #expect(
            (try? Self.roleData(plan))?["trustReason"]?["text"]?.stringValue
                == "The plan was made with --skip-trust: no trust policy is tightened.")
    }

    @Test func theGlossaryShowsThisPlansCodesFirstWithTheirCounts() throws {
        let cutoff = Finding(severity: .warning, code: "CUTOFF_DAY", message: "day", subject: "f")
        var role = Self.partlyBlocked()
        role.findings += [cutoff, cutoff]
        let plan = SamplePlans.plan(
            [role], findings: [Finding(severity: .info, code: "SCP_NOT_EVALUATED", message: "scp", subject: "*")])
        let glossary = HTMLReport.glossary(plan)
        // The catalog's order among the codes present.
        #expect(
            glossary.inPlan.map(\.entry.code) == [
                "EXPLICIT_DENY", "ALREADY_GRANTED", "SCP_NOT_EVALUATED", "CUTOFF_DAY",
            ])
        #expect(glossary.inPlan.map(\.count) == [1, 1, 1, 2])
        #expect(glossary.inPlan.count + glossary.others.count == FindingCatalog.all.count)
        let page = HTMLReport.render(plan)
        let cutoffAt = try #require(page.range(of: "id=\"code-CUTOFF_DAY\""))
        let other = try #require(page.range(of: "<details id=\"other-codes\"><summary>Other codes ("))
        let boundary = try #require(page.range(of: "id=\"code-PERMISSIONS_BOUNDARY\""))
        #expect(cutoffAt.upperBound < other.lowerBound && other.upperBound < boundary.lowerBound)
        #expect(page.contains("<span class=\"count\">2 in this plan</span>"))
        #expect(page.contains("<strong>When:</strong> once per plan: organisation policies are not in the inputs."))
        #expect(!page.contains("Raised when"))
        // The summary counts infos too, and says what a grant is.
        #expect(page.contains("data-count=\"infos\""))
        #expect(page.contains("distinct (action, resource) pairs"))
        #expect(page.contains("<span class=\"n\">1</span><span class=\"l\">to change, with a grant blocked</span>"))
    }

    @Test func anExistingInlinePolicyListsItsAddedStatementsBesideTheDiff() throws {
        var role = SamplePlans.role(3)
        let kept: JSONValue = [
            "Sid": "Kept", "Effect": "Allow", "Action": "lambda:InvokeFunction",
            "Resource": "arn:aws:lambda:us-east-1:111122223333:function:old",
        ]
        var before = role.changes[0].after
        if case .object(var members) = before {
            members = members.map { $0.key == "Statement" ? JSONMember("Statement", [kept]) : $0 }
            before = .object(members)
        }
        role.changes[0].before = before
        var after = role.changes[0].after
        if case .object(var members) = after, case .array(let statements)? = after["Statement"] {
            members = members.map { $0.key == "Statement" ? JSONMember("Statement", .array([kept] + statements)) : $0 }
            after = .object(members)
        }
        role.changes[0].after = after
        let change = try #require(Self.roleData(SamplePlans.plan([role]))["changes"]?.arrayValue?.first)
        #expect(change["new"] == .bool(false))
        #expect(change["added"]?.arrayValue?.count == 1, "only the statement that was not there before")
    }

    @Test func pinnedFlowsAreTheFlowARNsTheTrustChangeAdds() {
        let role = SamplePlans.role(7)
        let trust = RoleFacts.trustChange(role)
        #expect(trust?.pinnedFlows == ["arn:aws:bedrock:us-east-1:111122223333:flow/FLOW7"])
        #expect(RoleFacts.region(ofArn: "arn:aws:bedrock:eu-west-1:111122223333:flow/X") == "eu-west-1")
        #expect(RoleFacts.account(ofArn: "arn:aws:bedrock:eu-west-1:111122223333:flow/X") == "111122223333")
    }
}
