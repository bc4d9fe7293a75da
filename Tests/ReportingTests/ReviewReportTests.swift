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
        #expect(changes[0]["added"]?.arrayValue?.count == 1)
        #expect(changes[1]["diff"]?.stringValue?.contains("+          \"AWS:SourceArn\": [") == true)
        // Every finding code has its explanation anchor.
        for entry in FindingCatalog.all { #expect(page.contains("id=\"code-\(entry.code)\"")) }
    }

    @Test func pinnedFlowsAreTheFlowARNsTheTrustChangeAdds() {
        let role = SamplePlans.role(7)
        let trust = RoleFacts.trustChange(role)
        #expect(trust.map(RoleFacts.pinnedFlows) == ["arn:aws:bedrock:us-east-1:111122223333:flow/FLOW7"])
        #expect(RoleFacts.region(ofArn: "arn:aws:bedrock:eu-west-1:111122223333:flow/X") == "eu-west-1")
        #expect(RoleFacts.account(ofArn: "arn:aws:bedrock:eu-west-1:111122223333:flow/X") == "111122223333")
    }
}
