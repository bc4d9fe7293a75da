import Foundation
import Testing

// One small, realistic input folder per finding code the planner emits (DESIGN, "What the
// 2024-11-22 migration decides" and the finding-code table), each run through the built binary as
// `flowrole plan DIR --out TMP --detailed-exitcode`, with plan.json read back: the finding (code,
// severity, subject), the role's status, the requirement states, the changes and the exit status
// (0 nothing to change, 2 changes, 3 an unsuppressed blocker).
//
// The inputs live in Fixtures/scenarios/CODE/: `iam/authorization-details.json` (the shape of
// `aws iam get-account-authorization-details`, documents as JSON objects) and `flows/bundle.json`
// (`{"flows": [get-flow objects with "versions": []]}`), plus other kinds where a scenario needs
// them (a `get-role` output, a `get-flow` output, a manifest, a suppressions file). Account
// 111122223333, region us-east-1 unless a scenario says otherwise; flows created 2024-05-20 are
// legacy, 2025-03-11 new.

// MARK: - Running a scenario

/// What one `flowrole plan` run of a scenario gave.
private struct ScenarioOutcome: CustomStringConvertible {
    var result: RunResult
    var plan: JSON

    var status: Int32 { result.status }
    var roles: [JSON] { plan["roles"]?.array ?? [] }
    var topFindings: [JSON] { plan["findings"]?.array ?? [] }
    var summary: JSON { plan["summary"] ?? .null }

    func role(_ name: String) -> JSON? { roles.first { $0["name"]?.string == name } }

    /// Findings with `code`, at the top level and in every role.
    func findings(_ code: String) -> [JSON] {
        (topFindings + roles.flatMap { $0["findings"]?.array ?? [] }).filter { $0["code"]?.string == code }
    }

    var description: String { "\(result)\n--- plan.json summary: \(summary)" }
}

private enum Scenario {
    static let account = "111122223333"
    static let otherAccount = "444455556666"

    static func roleArn(_ name: String, path: String = "/", account: String = account) -> String {
        "arn:aws:iam::\(account):role\(path)\(name)"
    }

    static func flowArn(_ id: String, region: String = "us-east-1", account: String = account) -> String {
        "arn:aws:bedrock:\(region):\(account):flow/\(id)"
    }

    static func lambda(_ function: String, region: String = "us-east-1", account: String = account) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(function)"
    }

    static func fixture(_ relative: String) throws -> String { try Fixtures.path("scenarios/" + relative) }

    /// `flowrole plan INPUTS... --out TMP --detailed-exitcode FLAGS...`, inputs relative to
    /// Fixtures/scenarios. Checks what every run must do (no crash, nothing on stderr, plan.json
    /// written, SCP_NOT_EVALUATED once per plan at the top level) and returns the plan.
    static func plan(
        _ inputs: [String], _ flags: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ScenarioOutcome {
        let folder = try TemporaryDirectory(prefix: "flowrole-scenario")
        let out = folder.path("out")
        let paths = try inputs.map(fixture)
        let result = try FlowRole.run(["plan"] + paths + ["--out", out, "--detailed-exitcode"] + flags)
        #expect(
            result.crashSigns.isEmpty, "crash signs: \(result.crashSigns)\n\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "expected nothing on stderr\n\(result)", sourceLocation: sourceLocation)
        guard let data = FileManager.default.contents(atPath: out + "/plan.json") else {
            throw HarnessError("no plan.json was written\n\(result)")
        }
        let outcome = ScenarioOutcome(result: result, plan: try JSON(parsing: data))
        #expect(outcome.plan["schema"]?.string == "flowrole.plan/v1", sourceLocation: sourceLocation)
        // SCP_NOT_EVALUATED (info): once per plan, at the top level.
        let scp = outcome.findings("SCP_NOT_EVALUATED")
        #expect(scp.count == 1, "SCP_NOT_EVALUATED \(scp.count) times\n\(outcome)", sourceLocation: sourceLocation)
        #expect(
            outcome.topFindings.contains {
                $0["code"]?.string == "SCP_NOT_EVALUATED" && $0["severity"]?.string == "info"
            }, "no top-level SCP_NOT_EVALUATED (info)\n\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }
}

// MARK: - Assertions

/// The finding with `code` and `subject` in role `role` (by name), or at the top level when `role`
/// is nil, with the given severity and suppression; returns it.
@discardableResult
private func expectFinding(
    _ outcome: ScenarioOutcome, _ code: String, severity: String, subject: String, role: String?,
    suppressed: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) -> JSON? {
    let list: [JSON]
    if let role {
        guard let entry = outcome.role(role) else {
            Issue.record("no role \(role) in the plan\n\(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        list = entry["findings"]?.array ?? []
    } else {
        list = outcome.topFindings
    }
    let matches = list.filter { $0["code"]?.string == code && $0["subject"]?.string == subject }
    guard let finding = matches.first else {
        let all = outcome.findings(code).map { "\($0["severity"]?.string ?? "?") \($0["subject"]?.string ?? "?")" }
        Issue.record(
            "no \(code) about \(subject) in \(role.map { "role \($0)" } ?? "the top-level findings"); \(code) found: \(all)\n\(outcome)",
            sourceLocation: sourceLocation)
        return nil
    }
    #expect(
        matches.count == 1, "\(code) about \(subject) is listed \(matches.count) times", sourceLocation: sourceLocation)
    #expect(
        finding["severity"]?.string == severity,
        "\(code): severity \(finding["severity"] ?? .null), expected \(severity)",
        sourceLocation: sourceLocation)
    #expect(
        finding["suppressed"] == .bool(suppressed), "\(code): suppressed \(finding["suppressed"] ?? .null)",
        sourceLocation: sourceLocation)
    let message = finding["message"]?.string ?? ""
    #expect(message.count > 0, "\(code) has no message", sourceLocation: sourceLocation)
    return finding
}

private func expectNoFinding(
    _ outcome: ScenarioOutcome, _ code: String, subject: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let found = outcome.findings(code).filter { subject == nil || $0["subject"]?.string == subject }
    #expect(found.isEmpty, "unexpected \(code): \(found)", sourceLocation: sourceLocation)
}

private func expectExit(_ outcome: ScenarioOutcome, _ status: Int32, sourceLocation: SourceLocation = #_sourceLocation)
{
    #expect(
        !outcome.result.terminatedBySignal && outcome.status == status,
        "expected exit status \(status)\n\(outcome)", sourceLocation: sourceLocation)
}

/// The role's status, change types (in order) and requirement states (`action resource` → state).
private func expectRole(
    _ outcome: ScenarioOutcome, _ name: String, status: String, changes: [String], requirements: [String: String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let role = outcome.role(name) else {
        Issue.record("no role \(name) in the plan\n\(outcome)", sourceLocation: sourceLocation)
        return
    }
    #expect(
        role["status"]?.string == status, "role \(name): status \(role["status"] ?? .null), expected \(status)",
        sourceLocation: sourceLocation)
    let types = (role["changes"]?.array ?? []).compactMap { $0["type"]?.string }
    #expect(types == changes, "role \(name): changes \(types), expected \(changes)", sourceLocation: sourceLocation)
    var states: [String: String] = [:]
    for requirement in role["requirements"]?.array ?? [] {
        let key = "\(requirement["action"]?.string ?? "?") \(requirement["resource"]?.string ?? "?")"
        let state = requirement["state"]?.string ?? "?"
        if let earlier = states[key], earlier != state {
            Issue.record("role \(name): \(key) is both \(earlier) and \(state)", sourceLocation: sourceLocation)
        }
        states[key] = state
    }
    #expect(
        states == requirements, "role \(name): requirements \(states), expected \(requirements)",
        sourceLocation: sourceLocation)
}

/// `lambda:InvokeFunction RESOURCE` (the requirement key `expectRole` uses).
private func invoke(_ resource: String) -> String { "lambda:InvokeFunction \(resource)" }

/// The `after` document of the role's change of `type`, or nil.
private func changeAfter(_ outcome: ScenarioOutcome, _ role: String, _ type: String) -> JSON? {
    outcome.role(role)?["changes"]?.array?.first { $0["type"]?.string == type }?["after"]
}

/// Every `aws:SourceArn` value (any operator, any key case) in a trust policy.
private func sourceArnValues(_ document: JSON?) -> [String] {
    var values: [String] = []
    let statements: [JSON]
    switch document?["Statement"] {
    case .array(let items)?: statements = items
    case let one?: statements = [one]
    case nil: statements = []
    }
    for statement in statements {
        guard case .object(let operators)? = statement["Condition"] else { continue }
        for (_, keys) in operators.sorted(by: { $0.key < $1.key }) {
            guard case .object(let members) = keys else { continue }
            for (key, value) in members where key.lowercased() == "aws:sourcearn" {
                switch value {
                case .string(let text): values.append(text)
                case .array(let items): values += items.compactMap(\.string)
                default: break
                }
            }
        }
    }
    return values
}

/// The two values a trust policy pins for one flow.
private func pinned(_ flowArns: String...) -> [String] { flowArns.sorted().flatMap { [$0, $0 + "/*"] } }

// MARK: - Blockers

@Suite("finding scenarios: blockers")
struct FindingScenarioBlockerTests {
    @Test func explicitDenyBlocksOnlyTheDeniedGrant() throws {
        // An inline Deny of lambda:* on function:payroll-*; the flow also uses report-builder:3.
        let outcome = try Scenario.plan(["EXPLICIT_DENY"])
        let role = "BedrockFlowsPayrollRole"
        expectFinding(
            outcome, "EXPLICIT_DENY", severity: "blocker", subject: Scenario.lambda("payroll-export"), role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [
                invoke(Scenario.lambda("payroll-export")): "blocked",
                invoke(Scenario.lambda("report-builder:3")): "add",
            ])
        // Nothing is added for the denied grant.
        let added = changeAfter(outcome, role, "putRolePolicy")?.description ?? ""
        #expect(!added.contains("payroll-export") && added.contains("report-builder:3"), "\(added)")
        expectExit(outcome, 3)
    }

    @Test func aBoundaryWithoutLambdaBlocksTheGrant() throws {
        // Boundary policy/boundaries/BedrockFlowsBoundary (in Policies) allows bedrock:* and logs only.
        let outcome = try Scenario.plan(["PERMISSIONS_BOUNDARY"])
        let role = "BedrockFlowsContractRole"
        expectFinding(
            outcome, "PERMISSIONS_BOUNDARY", severity: "blocker", subject: Scenario.lambda("page-classifier"),
            role: role)
        // Trust is already pinned: the only planned change is blocked.
        expectRole(
            outcome, role, status: "blocked", changes: [],
            requirements: [invoke(Scenario.lambda("page-classifier")): "blocked"])
        #expect(outcome.summary["rolesBlocked"]?.int == 1)
        expectExit(outcome, 3)
    }

    @Test func inlinePoliciesNearTheQuotaBlockTheGrant() throws {
        // Two inline policies already total 10,121 characters without whitespace; the owned policy
        // would take them past 10,240.
        let outcome = try Scenario.plan(["QUOTA_EXCEEDED/inline"])
        let role = "BedrockFlowsDataLakeRole"
        expectFinding(
            outcome, "QUOTA_EXCEEDED", severity: "blocker", subject: Scenario.roleArn(role), role: role)
        expectRole(
            outcome, role, status: "blocked", changes: [],
            requirements: [invoke(Scenario.lambda("table-summariser")): "blocked"])
        expectExit(outcome, 3)
    }

    @Test func aTrustPolicyOverTheTrustQuotaIsLeftAsItIs() throws {
        // The trust policy is 299 characters; pinning the flow makes it longer.
        let role = "BedrockFlowsTrustQuotaRole"
        let roomy = try Scenario.plan(["QUOTA_EXCEEDED/trust"])
        expectNoFinding(roomy, "QUOTA_EXCEEDED")
        expectRole(
            roomy, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(Scenario.lambda("quota-lookup")): "add"])

        let tight = try Scenario.plan(["QUOTA_EXCEEDED/trust"], ["--trust-policy-max-chars", "300"])
        expectFinding(tight, "QUOTA_EXCEEDED", severity: "warning", subject: Scenario.roleArn(role), role: role)
        // Grants are still added; the trust policy keeps its wildcard.
        expectRole(
            tight, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("quota-lookup")): "add"])
        #expect(tight.summary["trustPoliciesTightened"]?.int == 0)
        expectExit(tight, 2)
    }

    @Test func aServiceLinkedRoleIsNeverEdited() throws {
        // Path /aws-service-role/…; its AWS-managed trust has no SourceArn condition.
        let path = "/aws-service-role/bedrock.amazonaws.com/"
        let role = "AWSServiceRoleForAmazonBedrockFlows"
        let outcome = try Scenario.plan(["SERVICE_LINKED_ROLE/aws-trust"])
        expectFinding(
            outcome, "SERVICE_LINKED_ROLE", severity: "blocker", subject: Scenario.roleArn(role, path: path),
            role: role)
        expectRole(
            outcome, role, status: "blocked", changes: [],
            requirements: [invoke(Scenario.lambda("order-lookup")): "blocked"])
        expectExit(outcome, 3)
    }

    @Test func aServiceLinkedRoleWithAFlowWildcardKeepsItsTrustPolicy() throws {
        // DESIGN, "Roles it must not touch": a service-linked role cannot be edited — not its
        // permissions, and not its trust policy either.
        let path = "/aws-service-role/bedrock.amazonaws.com/"
        let role = "AWSServiceRoleForAmazonBedrockFlowsLegacy"
        let outcome = try Scenario.plan(["SERVICE_LINKED_ROLE/flow-wildcard-trust"])
        expectFinding(
            outcome, "SERVICE_LINKED_ROLE", severity: "blocker", subject: Scenario.roleArn(role, path: path),
            role: role)
        expectRole(
            outcome, role, status: "blocked", changes: [],
            requirements: [invoke(Scenario.lambda("order-lookup")): "blocked"])
        #expect(outcome.summary["trustPoliciesTightened"]?.int == 0)
        expectExit(outcome, 3)
    }
}

// MARK: - What is already there

@Suite("finding scenarios: existing policies")
struct FindingScenarioPolicyTests {
    @Test func aGrantAlreadyAllowedIsNotAdded() throws {
        // Inline policy allows faq-search:live and the bot's aliases (bot-alias/FQ8BOTX2LM/*); trust pinned.
        let outcome = try Scenario.plan(["ALREADY_GRANTED"])
        let role = "BedrockFlowsFaqRole"
        let bot = "arn:aws:lex:us-east-1:\(Scenario.account):bot-alias/FQ8BOTX2LM/LV5ALIAS0Q"
        expectFinding(
            outcome, "ALREADY_GRANTED", severity: "info", subject: Scenario.lambda("faq-search:live"), role: role)
        expectFinding(outcome, "ALREADY_GRANTED", severity: "info", subject: bot, role: role)
        expectRole(
            outcome, role, status: "unchanged", changes: [],
            requirements: [
                invoke(Scenario.lambda("faq-search:live")): "granted", "lex:RecognizeUtterance \(bot)": "granted",
            ])
        #expect(outcome.summary["grantsAdded"]?.int == 0)
        expectExit(outcome, 0)
    }

    @Test func aConditionalAllowProvesNothing() throws {
        // Allow lambda:InvokeFunction on function:* only under aws:ResourceTag/team.
        let outcome = try Scenario.plan(["CONDITIONAL_GRANT"])
        let role = "BedrockFlowsTaggedRole"
        expectFinding(
            outcome, "CONDITIONAL_GRANT", severity: "warning", subject: Scenario.lambda("claims-lookup"), role: role)
        expectNoFinding(outcome, "ALREADY_GRANTED")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("claims-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aConditionalDenyDoesNotBlock() throws {
        // Deny * on * unless aws:RequestedRegion is us-east-1 or eu-west-1.
        let outcome = try Scenario.plan(["CONDITIONAL_DENY"])
        let role = "BedrockFlowsRegionFencedRole"
        expectFinding(
            outcome, "CONDITIONAL_DENY", severity: "warning", subject: Scenario.lambda("fenced-lookup"), role: role)
        expectNoFinding(outcome, "EXPLICIT_DENY")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("fenced-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aConditionalBoundaryDoesNotBlock() throws {
        // The boundary allows lambda:InvokeFunction only under aws:RequestedRegion.
        let outcome = try Scenario.plan(["CONDITIONAL_BOUNDARY"])
        let role = "BedrockFlowsRegionalRole"
        expectFinding(
            outcome, "CONDITIONAL_BOUNDARY", severity: "warning", subject: Scenario.lambda("regional-router"),
            role: role)
        expectNoFinding(outcome, "PERMISSIONS_BOUNDARY")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("regional-router")): "add"])
        expectExit(outcome, 2)
    }

    @Test func anAttachedPolicyNotInTheInputsIsUnknown() throws {
        // Authorization details with --filter Role: the attached customer-managed policy is absent.
        let outcome = try Scenario.plan(["POLICY_NOT_IN_INPUTS"])
        let role = "BedrockFlowsOrdersRole"
        expectFinding(
            outcome, "POLICY_NOT_IN_INPUTS", severity: "warning",
            subject: "arn:aws:iam::\(Scenario.account):policy/bedrock-flows/BedrockFlowsCommonAccess", role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("order-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aBoundaryNotInTheInputsIsUnknown() throws {
        let outcome = try Scenario.plan(["BOUNDARY_NOT_IN_INPUTS"])
        let role = "BedrockFlowsBoundedRole"
        expectFinding(
            outcome, "BOUNDARY_NOT_IN_INPUTS", severity: "warning",
            subject: "arn:aws:iam::\(Scenario.account):policy/boundaries/WorkloadBoundary", role: role)
        expectNoFinding(outcome, "PERMISSIONS_BOUNDARY")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("bounded-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aRoleReadOnlyFromGetRoleHasIncompletePolicies() throws {
        // `aws iam get-role` names no inline or attached policies: unknown, not empty.
        let outcome = try Scenario.plan(["ROLE_POLICIES_INCOMPLETE"])
        let role = "BedrockFlowsIntakeRole"
        expectFinding(
            outcome, "ROLE_POLICIES_INCOMPLETE", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(Scenario.lambda("intake-router")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aGrantHeldByASharedManagedPolicyIsLeftThere() throws {
        // policy/bedrock-flows/BedrockFlowsSharedPrompts (AttachmentCount 2) allows RenderPrompt.
        let outcome = try Scenario.plan(["SHARED_MANAGED_POLICY"])
        let prompt = "arn:aws:bedrock:us-east-1:\(Scenario.account):prompt/M3QW7ZL1XE"
        for role in ["BedrockFlowsOrderStatusRole", "BedrockFlowsIntakeSummaryRole"] {
            expectFinding(outcome, "SHARED_MANAGED_POLICY", severity: "info", subject: prompt, role: role)
            expectFinding(outcome, "ALREADY_GRANTED", severity: "info", subject: prompt, role: role)
            expectRole(
                outcome, role, status: "unchanged", changes: [],
                requirements: ["bedrock:RenderPrompt \(prompt)": "granted"])
        }
        expectExit(outcome, 0)
    }

    @Test func aConsoleRoleIsChangedAndFlagged() throws {
        let outcome = try Scenario.plan(["CONSOLE_MANAGED_ROLE"])
        let role = "AmazonBedrockExecutionRoleForFlows_H3KD8QW2"
        expectFinding(
            outcome, "CONSOLE_MANAGED_ROLE", severity: "info", subject: Scenario.roleArn(role, path: "/service-role/"),
            role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(Scenario.lambda("console-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aResourceInAnotherAccountIsGrantedAndReported() throws {
        let outcome = try Scenario.plan(["CROSS_ACCOUNT_RESOURCE"])
        let role = "BedrockFlowsGeoRole"
        let function = Scenario.lambda("shared-geocoder", account: Scenario.otherAccount)
        expectFinding(outcome, "CROSS_ACCOUNT_RESOURCE", severity: "warning", subject: function, role: role)
        expectRole(outcome, role, status: "change", changes: ["putRolePolicy"], requirements: [invoke(function): "add"])
        expectExit(outcome, 2)
    }
}

// MARK: - Flows and roles

@Suite("finding scenarios: flows")
struct FindingScenarioFlowTests {
    @Test func aFlowWhoseRoleIsNotInTheInputsChangesNothing() throws {
        // The only role in the IAM export is a Lambda execution role; the flow names another.
        let outcome = try Scenario.plan(["ROLE_NOT_IN_INPUTS"])
        let missing = Scenario.roleArn("BedrockFlowsMissingRole")
        // At the top level, or as its own entry (DESIGN allows both).
        let own = outcome.role("BedrockFlowsMissingRole")
        expectFinding(
            outcome, "ROLE_NOT_IN_INPUTS", severity: "warning", subject: missing,
            role: own == nil ? nil : "BedrockFlowsMissingRole")
        for role in outcome.roles {
            #expect(role["changes"]?.array?.isEmpty == true, "\(role["name"] ?? .null) has changes")
        }
        expectRole(outcome, "OrderLookupLambdaRole", status: "unchanged", changes: [], requirements: [:])
        expectExit(outcome, 0)
    }

    @Test func aRoleNamedWithAnotherPathIsStillJoined() throws {
        // The role is /service-role/BedrockFlowsTranslateRole; the flow names role/BedrockFlowsTranslateRole.
        let outcome = try Scenario.plan(["ROLE_ARN_PATH_MISMATCH"])
        let role = "BedrockFlowsTranslateRole"
        expectFinding(
            outcome, "ROLE_ARN_PATH_MISMATCH", severity: "info", subject: Scenario.flowArn("PM5QX2RT8W"), role: role)
        expectNoFinding(outcome, "ROLE_NOT_IN_INPUTS")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("translator")): "add"])
        expectExit(outcome, 2)
    }

    @Test func missingVersionsAreReported() throws {
        // FV2MK7QD4X: a legacy flow read from get-flow alone (versions unknown).
        // FV8RN3WT6B: legacy, bundle "versions": [], alias prod → version 1 (not in the inputs).
        // FV4LC9HZ2P: new, bundle "versions": [], alias prod → version 2 (not in the inputs).
        let outcome = try Scenario.plan(["FLOW_VERSIONS_INCOMPLETE"])
        let role = "BedrockFlowsRoutingRole"
        expectFinding(
            outcome, "FLOW_VERSIONS_INCOMPLETE", severity: "warning", subject: Scenario.flowArn("FV2MK7QD4X"),
            role: role)
        expectFinding(
            outcome, "FLOW_VERSIONS_INCOMPLETE", severity: "warning", subject: Scenario.flowArn("FV8RN3WT6B"),
            role: role)
        // DESIGN: "An alias routing to a version missing from the inputs, or a legacy flow whose
        // versions were not exported, gets FLOW_VERSIONS_INCOMPLETE" — the alias case for any flow.
        expectFinding(
            outcome, "FLOW_VERSIONS_INCOMPLETE", severity: "warning", subject: Scenario.flowArn("FV4LC9HZ2P"),
            role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [
                invoke(Scenario.lambda("ticket-router")): "add", invoke(Scenario.lambda("ticket-summariser")): "add",
            ])
        expectExit(outcome, 2)
    }

    @Test func aNewFlowMissingAGrantIsReportedNotMigrated() throws {
        // returns-assistant, created 2025-03-11, uses returns-handler:$LATEST, which its role lacks.
        let role = "BedrockFlowsReturnsRole"
        let function = Scenario.lambda("returns-handler:$LATEST")
        let flow = Scenario.flowArn("NF3RH8KM2W")
        let outcome = try Scenario.plan(["NEW_FLOW_MISSING_GRANT"])
        expectFinding(outcome, "NEW_FLOW_MISSING_GRANT", severity: "warning", subject: function, role: role)
        // No requirements listed; the flow is listed as not legacy and kept in the pinned trust.
        expectRole(outcome, role, status: "change", changes: ["updateAssumeRolePolicy"], requirements: [:])
        let flows = outcome.role(role)?["flows"]?.array ?? []
        #expect(flows.count == 1 && flows.first?["arn"]?.string == flow && flows.first?["legacy"] == .bool(false))
        #expect(sourceArnValues(changeAfter(outcome, role, "updateAssumeRolePolicy")) == pinned(flow))
        #expect(outcome.summary["legacyFlows"]?.int == 0 && outcome.summary["grantsAdded"]?.int == 0)
        expectExit(outcome, 2)
    }

    @Test func includeNewFlowsMigratesThem() throws {
        let role = "BedrockFlowsReturnsRole"
        let function = Scenario.lambda("returns-handler:$LATEST")
        let outcome = try Scenario.plan(["NEW_FLOW_MISSING_GRANT"], ["--include-new-flows"])
        expectNoFinding(outcome, "NEW_FLOW_MISSING_GRANT")
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(function): "add"])
        #expect(outcome.role(role)?["flows"]?.array?.first?["legacy"] == .bool(false))
        let after = changeAfter(outcome, role, "putRolePolicy")?.description ?? ""
        #expect(after.contains(function), "\(after)")
        #expect(outcome.summary["grantsAdded"]?.int == 1)
        expectExit(outcome, 2)
    }

    @Test func legacyBeforeMovesTheWindow() throws {
        let role = "BedrockFlowsReturnsRole"
        let function = Scenario.lambda("returns-handler:$LATEST")
        // The 2025-03-11 flow becomes legacy.
        let later = try Scenario.plan(["NEW_FLOW_MISSING_GRANT"], ["--legacy-before", "2025-06-01T00:00:00Z"])
        #expect(later.plan["migration"]?["legacyBefore"]?.string == "2025-06-01T00:00:00Z")
        #expect(later.role(role)?["flows"]?.array?.first?["legacy"] == .bool(true))
        expectNoFinding(later, "NEW_FLOW_MISSING_GRANT")
        expectRole(
            later, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(function): "add"])
        expectExit(later, 2)

        // A 2024-05-20 flow is not legacy before 2024-01-01: nothing migrated, the missing grant reported.
        let earlier = try Scenario.plan(["EXPLICIT_DENY"], ["--legacy-before", "2024-01-01T00:00:00Z"])
        let payroll = "BedrockFlowsPayrollRole"
        #expect(earlier.role(payroll)?["flows"]?.array?.first?["legacy"] == .bool(false))
        expectNoFinding(earlier, "EXPLICIT_DENY")
        expectFinding(
            earlier, "NEW_FLOW_MISSING_GRANT", severity: "warning", subject: Scenario.lambda("report-builder:3"),
            role: payroll)
        expectRole(earlier, payroll, status: "change", changes: ["updateAssumeRolePolicy"], requirements: [:])
        expectExit(earlier, 2)
    }

    @Test func aFlowCreatedOnTheCutoffDayIsLegacy() throws {
        // CO3MW8KT2X: 2024-11-23T01:30:00+02:00 = 2024-11-22T23:30Z (the cut-off day, UTC).
        // CO9RT4QB7L: 2024-11-22T20:00:00-05:00 = 2024-11-23T01:00Z (after the window).
        let outcome = try Scenario.plan(["CUTOFF_DAY"])
        let role = "BedrockFlowsCutoverRole"
        expectFinding(outcome, "CUTOFF_DAY", severity: "warning", subject: Scenario.flowArn("CO3MW8KT2X"), role: role)
        expectNoFinding(outcome, "CUTOFF_DAY", subject: Scenario.flowArn("CO9RT4QB7L"))
        let legacy = Dictionary(
            (outcome.role(role)?["flows"]?.array ?? []).map { ($0["arn"]?.string ?? "", $0["legacy"] ?? .null) },
            uniquingKeysWith: { first, _ in first })
        #expect(legacy[Scenario.flowArn("CO3MW8KT2X")] == .bool(true))
        #expect(legacy[Scenario.flowArn("CO9RT4QB7L")] == .bool(false))
        expectFinding(
            outcome, "NEW_FLOW_MISSING_GRANT", severity: "warning", subject: Scenario.lambda("intake-enricher"),
            role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: [invoke(Scenario.lambda("intake-normalizer:2")): "add"])
        // Both flows keep access.
        #expect(
            sourceArnValues(changeAfter(outcome, role, "updateAssumeRolePolicy"))
                == pinned(Scenario.flowArn("CO3MW8KT2X"), Scenario.flowArn("CO9RT4QB7L")))
        expectExit(outcome, 2)
    }

    @Test func anUnknownNodeTypeDerivesNothing() throws {
        // A "DataAutomation" node beside a known LambdaFunction node.
        let outcome = try Scenario.plan(["UNKNOWN_NODE_TYPE"])
        let role = "BedrockFlowsParserRole"
        expectFinding(
            outcome, "UNKNOWN_NODE_TYPE", severity: "warning", subject: Scenario.flowArn("UN4WR8KX3Q"), role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("result-store")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aNodeNamingNoResourceArnDerivesNothing() throws {
        // lambdaArn "order-lookup": a function name, not an ARN.
        let outcome = try Scenario.plan(["NODE_RESOURCE_INVALID"])
        let role = "BedrockFlowsInvalidNodeRole"
        expectFinding(
            outcome, "NODE_RESOURCE_INVALID", severity: "warning", subject: Scenario.flowArn("NR3KT9WM2Q"), role: role)
        expectRole(outcome, role, status: "unchanged", changes: [], requirements: [:])
        expectExit(outcome, 0)
    }
}

// MARK: - Trust policies

@Suite("finding scenarios: trust")
struct FindingScenarioTrustTests {
    @Test func aPinnedTrustPolicyIsNeverWidened() throws {
        // Trust pins TP2KW9RD4M; TP7XN3QB8H uses the role too.
        let outcome = try Scenario.plan(["TRUST_PINNED_MISSING_FLOW"])
        let role = "BedrockFlowsClaimsRole"
        expectFinding(
            outcome, "TRUST_PINNED_MISSING_FLOW", severity: "warning", subject: Scenario.flowArn("TP7XN3QB8H"),
            role: role)
        expectNoFinding(outcome, "TRUST_PINNED_MISSING_FLOW", subject: Scenario.flowArn("TP2KW9RD4M"))
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [
                invoke(Scenario.lambda("claim-parser")): "add", invoke(Scenario.lambda("claim-escalator")): "add",
            ])
        expectExit(outcome, 2)
    }

    @Test func aFlowPatternOtherThanTheWildcardIsLeftAlone() throws {
        // ArnLike aws:SourceArn …:flow/AB*
        let outcome = try Scenario.plan(["TRUST_PATTERN_UNRECOGNISED"])
        let role = "BedrockFlowsPrefixRole"
        expectFinding(
            outcome, "TRUST_PATTERN_UNRECOGNISED", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("prefix-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aWildcardUnderStringEqualsIsLeftAlone() throws {
        let outcome = try Scenario.plan(["TRUST_LITERAL_WILDCARD"])
        let role = "BedrockFlowsLiteralRole"
        expectFinding(
            outcome, "TRUST_LITERAL_WILDCARD", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(
            outcome, role, status: "change", changes: ["putRolePolicy"],
            requirements: [invoke(Scenario.lambda("literal-lookup")): "add"])
        expectExit(outcome, 2)
    }

    @Test func aWildcardNoFlowUsesIsLeftAlone() throws {
        // BedrockFlowsRetiredRole allows flow/* and no flow uses it; the digest role is already fine.
        let outcome = try Scenario.plan(["TRUST_NO_FLOWS"])
        let role = "BedrockFlowsRetiredRole"
        expectFinding(outcome, "TRUST_NO_FLOWS", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(outcome, role, status: "unchanged", changes: [], requirements: [:])
        expectRole(outcome, "BedrockFlowsDigestRole", status: "unchanged", changes: [], requirements: [:])
        expectExit(outcome, 0)
    }

    @Test func aWildcardOverAnUncoveredRegionIsLeftUntilCovered() throws {
        // Trust allows us-east-1 and eu-west-1 flow/*; the only flow is in us-east-1.
        let role = "BedrockFlowsTwoRegionRole"
        let flow = Scenario.flowArn("TC4XM9RW2K")
        let grant = [invoke(Scenario.lambda("region-router")): "add"]
        let uncovered = try Scenario.plan(["TRUST_COVERAGE/inputs"])
        expectFinding(uncovered, "TRUST_COVERAGE", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(uncovered, role, status: "change", changes: ["putRolePolicy"], requirements: grant)
        expectExit(uncovered, 2)

        // A manifest recording an ok export of eu-west-1, or --flow-regions, covers it.
        let runs = [
            ("manifest", try Scenario.plan(["TRUST_COVERAGE/inputs", "TRUST_COVERAGE/manifest.json"])),
            ("flag", try Scenario.plan(["TRUST_COVERAGE/inputs"], ["--flow-regions", "eu-west-1"])),
            (
                "flag",
                try Scenario.plan(["TRUST_COVERAGE/inputs"], ["--flow-regions", "\(Scenario.account):eu-west-1"])
            ),
        ]
        for (basis, covered) in runs {
            expectNoFinding(covered, "TRUST_COVERAGE")
            expectRole(
                covered, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
                requirements: grant)
            #expect(sourceArnValues(changeAfter(covered, role, "updateAssumeRolePolicy")) == pinned(flow))
            let coverage = covered.plan["coverage"]?.array ?? []
            #expect(
                coverage.contains {
                    $0["account"]?.string == Scenario.account && $0["region"]?.string == "eu-west-1"
                        && $0["by"]?.string == basis
                }, "coverage: \(coverage)")
            expectExit(covered, 2)
        }
    }

    @Test func anUnconditionedStatementIsReportedAndTightenedOnlyWhenAsked() throws {
        let role = "BedrockFlowsOpenTrustRole"
        let flow = Scenario.flowArn("TU8KW3MD5R")
        let grant = [invoke(Scenario.lambda("open-lookup")): "add"]
        let reported = try Scenario.plan(["TRUST_UNCONDITIONED"])
        expectFinding(reported, "TRUST_UNCONDITIONED", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(reported, role, status: "change", changes: ["putRolePolicy"], requirements: grant)
        expectExit(reported, 2)

        // Asked, but no input says every region of the account was seen: left, TRUST_COVERAGE.
        let uncovered = try Scenario.plan(["TRUST_UNCONDITIONED"], ["--tighten-unconditioned"])
        expectFinding(uncovered, "TRUST_COVERAGE", severity: "warning", subject: Scenario.roleArn(role), role: role)
        expectRole(uncovered, role, status: "change", changes: ["putRolePolicy"], requirements: grant)

        // Asked, with every region covered: aws:SourceAccount and the pinned aws:SourceArn list.
        let tightened = try Scenario.plan(
            ["TRUST_UNCONDITIONED"], ["--tighten-unconditioned", "--flow-regions", "\(Scenario.account):*"])
        expectNoFinding(tightened, "TRUST_COVERAGE")
        expectRole(
            tightened, role, status: "change", changes: ["putRolePolicy", "updateAssumeRolePolicy"],
            requirements: grant)
        let after = changeAfter(tightened, role, "updateAssumeRolePolicy")
        #expect(sourceArnValues(after) == pinned(flow))
        let condition = (after?["Statement"]?.array?.first ?? after?["Statement"])?["Condition"]
        #expect(condition?["StringEquals"]?["aws:SourceAccount"] == .string(Scenario.account), "\(after ?? .null)")
        expectExit(tightened, 2)
    }
}

// MARK: - Suppressions and selection

@Suite("finding scenarios: suppressions and selection")
struct FindingScenarioOptionTests {
    @Test func aSuppressedBlockerCountsAgainAfterItExpires() throws {
        // accepted-payroll-deny.json: EXPLICIT_DENY on function:payroll-*, expires 2026-06-30.
        let file = try Scenario.fixture("suppressions/accepted-payroll-deny.json")
        let subject = Scenario.lambda("payroll-export")
        let role = "BedrockFlowsPayrollRole"

        let before = try Scenario.plan(
            ["EXPLICIT_DENY"], ["--suppressions", file, "--timestamp", "2026-01-15T00:00:00Z"])
        expectFinding(before, "EXPLICIT_DENY", severity: "blocker", subject: subject, role: role, suppressed: true)
        #expect(before.plan["generatedAt"]?.string == "2026-01-15T00:00:00Z")
        #expect(before.summary["blockers"]?.int == 0)
        expectExit(before, 2)

        let after = try Scenario.plan(
            ["EXPLICIT_DENY"], ["--suppressions", file, "--timestamp", "2026-07-01T00:00:00Z"])
        expectFinding(after, "EXPLICIT_DENY", severity: "blocker", subject: subject, role: role, suppressed: false)
        #expect(after.summary["blockers"]?.int == 1)
        expectExit(after, 3)

        // A suppression of another subject leaves another blocker counting.
        let other = try Scenario.plan(
            ["PERMISSIONS_BOUNDARY"], ["--suppressions", file, "--timestamp", "2026-01-15T00:00:00Z"])
        expectFinding(
            other, "PERMISSIONS_BOUNDARY", severity: "blocker", subject: Scenario.lambda("page-classifier"),
            role: "BedrockFlowsContractRole", suppressed: false)
        expectExit(other, 3)
    }

    // The selection scenario: BedrockFlowsSharedRole (tag team=claims; flows SE2WK8QR4M, legacy,
    // and SE7TN3XB9D, new; us-east-1), BedrockFlowsEuRole (team=ops; SE4QM9RW2K in eu-west-1),
    // and BedrockFlowsPartnerRole of 444455556666 (SE9LD2TX6H). Every role needs a grant and a
    // tightened trust policy.
    static let shared = "BedrockFlowsSharedRole"
    static let eu = "BedrockFlowsEuRole"
    static let partner = "BedrockFlowsPartnerRole"

    @Test(arguments: [
        (["--role", "bedrockflows*SHARED*"], ["BedrockFlowsSharedRole"]),
        (["--role", "arn:aws:iam::444455556666:role/BedrockFlowsPartnerRole"], ["BedrockFlowsPartnerRole"]),
        (["--flow", "SE2WK8QR4M"], ["BedrockFlowsSharedRole"]),
        (["--flow", "SE7TN3XB9D"], ["BedrockFlowsSharedRole"]),
        (["--region", "eu-west-1"], ["BedrockFlowsEuRole"]),
        (["--account", "444455556666"], ["BedrockFlowsPartnerRole"]),
        (["--tag", "team=claims"], ["BedrockFlowsSharedRole"]),
        (["--exclude-role", "BedrockFlowsSharedRole"], ["BedrockFlowsEuRole", "BedrockFlowsPartnerRole"]),
        ([], ["BedrockFlowsSharedRole", "BedrockFlowsEuRole", "BedrockFlowsPartnerRole"]),
    ])
    func selectionChoosesWhichRolesChange(flags: [String], selected: [String]) throws {
        let outcome = try Scenario.plan(["selection"], flags)
        for name in [Self.shared, Self.eu, Self.partner] {
            let role = try #require(outcome.role(name), "\(outcome)")
            let types = (role["changes"]?.array ?? []).compactMap { $0["type"]?.string }
            if selected.contains(name) {
                #expect(role["status"]?.string == "change", "\(flags): \(name) \(role["status"] ?? .null)")
                #expect(types == ["putRolePolicy", "updateAssumeRolePolicy"], "\(flags): \(name) \(types)")
            } else {
                #expect(role["status"]?.string == "unchanged", "\(flags): \(name) \(role["status"] ?? .null)")
                #expect(types.isEmpty, "\(flags): \(name) \(types)")
            }
        }
        #expect(outcome.summary["rolesToChange"]?.int == selected.count)
        #expect(outcome.summary["trustPoliciesTightened"]?.int == selected.count)
        // The trust policy of the shared role, when selected, pins both of its flows — whatever
        // chose it (selection never shrinks the flows that keep access).
        if selected.contains(Self.shared) {
            #expect(
                sourceArnValues(changeAfter(outcome, Self.shared, "updateAssumeRolePolicy"))
                    == pinned(Scenario.flowArn("SE2WK8QR4M"), Scenario.flowArn("SE7TN3XB9D")), "\(flags)")
        }
        // The selection is recorded.
        let recorded = outcome.plan["selection"]
        for (flag, key) in [
            ("--role", "roles"), ("--flow", "flows"), ("--region", "regions"), ("--account", "accounts"),
            ("--tag", "tags"), ("--exclude-role", "excluded"),
        ] {
            let given = zip(flags, flags.dropFirst()).filter { $0.0 == flag }.map(\.1)
            #expect(recorded?[key]?.array?.compactMap(\.string) == given, "\(key): \(recorded ?? .null)")
        }
        expectExit(outcome, 2)
    }
}

// MARK: - Infrastructure as code

// IAC_MANAGED from every source. Each scenario holds, beside the IAM and flow inputs, what says who
// owns the roles; every role still needs a grant and a pinned trust policy (IAC_MANAGED warns, it
// does not block: `apply --live` skips such a role unless --include-iac-managed).
@Suite("finding scenarios: infrastructure as code")
struct FindingScenarioIaCTests {
    static let both = ["putRolePolicy", "updateAssumeRolePolicy"]

    /// Role names with an IAC_MANAGED finding, and the findings' messages by role.
    fileprivate static func flagged(_ outcome: ScenarioOutcome) -> [String: String] {
        var out: [String: String] = [:]
        for role in outcome.roles {
            let found = (role["findings"]?.array ?? []).filter { $0["code"]?.string == "IAC_MANAGED" }
            #expect(found.count <= 1, "one IAC_MANAGED per role: \(found)")
            if let message = found.first?["message"]?.string { out[role["name"]?.string ?? "?"] = message }
        }
        return out
    }

    @Test func stacksInTheInputsOwnTheirRoles() throws {
        // describe-stack-resources of ledger-flows (JSON) names its stack; list-stack-resources
        // (Query API XML) names none, so the file does — and the account is the inputs' only one.
        let outcome = try Scenario.plan(["IAC_MANAGED_cloudformation"])
        for name in ["BedrockFlowsLedgerRole", "BedrockFlowsPayoutsRole"] {
            expectFinding(outcome, "IAC_MANAGED", severity: "warning", subject: Scenario.roleArn(name), role: name)
        }
        let flagged = Self.flagged(outcome)
        #expect(Set(flagged.keys) == ["BedrockFlowsLedgerRole", "BedrockFlowsPayoutsRole"], "\(flagged)")
        #expect(
            flagged["BedrockFlowsLedgerRole"]
                == "role BedrockFlowsLedgerRole is managed as code by CloudFormation stack ledger-flows (us-east-1), logical id LedgerFlowRole: change its template or configuration, not the API, or the next deployment reverts the change."
        )
        let listed =
            try Scenario.fixture("IAC_MANAGED_cloudformation") + "/cloudformation/ListStackResources.payouts.xml"
        #expect(
            flagged["BedrockFlowsPayoutsRole"]?.contains(
                "by the CloudFormation stack listed in \(listed), logical id PayoutsFlowRole:") == true,
            "\(flagged)")
        for name in ["BedrockFlowsLedgerRole", "BedrockFlowsPayoutsRole", "BedrockFlowsAuditRole"] {
            let function =
                ["Ledger": "ledger-reconcile", "Payouts": "payout-check", "Audit": "audit-sample"]
                .first { name.contains($0.key) }?.value ?? ""
            expectRole(
                outcome, name, status: "change", changes: Self.both,
                requirements: [invoke(Scenario.lambda(function)): "add"])
        }
        // The inputs' kinds are recorded.
        let kinds = Set((outcome.plan["inputs"]?.array ?? []).compactMap { $0["kind"]?.string })
        #expect(
            kinds.isSuperset(of: ["cloudformation.describe-stack-resources", "cloudformation.list-stack-resources"]))
        expectExit(outcome, 2)
    }

    @Test func aTerraformStateOwnsItsManagedRoles() throws {
        // aws_iam_role.intake (root module) and module.flows.aws_iam_role.this["triage"]; the
        // shared role is only read by a data source.
        let outcome = try Scenario.plan(["IAC_MANAGED_terraform"])
        let state = try Scenario.fixture("IAC_MANAGED_terraform") + "/terraform/prod.state.json"
        expectFinding(
            outcome, "IAC_MANAGED", severity: "warning", subject: Scenario.roleArn("BedrockFlowsIntakeRole"),
            role: "BedrockFlowsIntakeRole")
        expectFinding(
            outcome, "IAC_MANAGED", severity: "warning",
            subject: Scenario.roleArn("BedrockFlowsTriageRole", path: "/flows/"), role: "BedrockFlowsTriageRole")
        let flagged = Self.flagged(outcome)
        #expect(Set(flagged.keys) == ["BedrockFlowsIntakeRole", "BedrockFlowsTriageRole"], "\(flagged)")
        #expect(
            flagged["BedrockFlowsIntakeRole"]?.contains("by Terraform state \(state), resource aws_iam_role.intake:")
                == true, "\(flagged)")
        #expect(
            flagged["BedrockFlowsTriageRole"]?.contains(
                #"by Terraform state \#(state), resource module.flows.aws_iam_role.this["triage"]:"#) == true,
            "\(flagged)")
        expectNoFinding(outcome, "IAC_MANAGED", subject: Scenario.roleArn("BedrockFlowsSharedRole"))
        expectRole(
            outcome, "BedrockFlowsTriageRole", status: "change", changes: Self.both,
            requirements: [invoke(Scenario.lambda("triage-score")): "add"])
        expectExit(outcome, 2)
    }

    @Test(arguments: [
        ([String](), ["BedrockFlowsStackRole"]),
        (["--iac-tag", "ManagedBy=terraform"], ["BedrockFlowsHrRole", "BedrockFlowsStackRole"]),
        (["--iac-tag", "ManagedBy"], ["BedrockFlowsHrRole", "BedrockFlowsOpsRole", "BedrockFlowsStackRole"]),
        (
            ["--iac-tag", "ManagedBy=terraform", "--iac-tag", "team=ops"],
            ["BedrockFlowsHrRole", "BedrockFlowsMiscRole", "BedrockFlowsStackRole"]
        ),
        (["--iac-tag", "ManagedBy=Terraform"], ["BedrockFlowsStackRole"]),
    ])
    func tagsNameTheRolesManagedAsCode(flags: [String], expected: [String]) throws {
        // ManagedBy=terraform (Hr), ManagedBy=pulumi (Ops), CloudFormation's stack-name tag (Stack),
        // team=ops (Misc).
        let outcome = try Scenario.plan(["IAC_MANAGED_tag"], flags)
        let flagged = Self.flagged(outcome)
        #expect(flagged.keys.sorted() == expected, "\(flags): \(flagged)")
        #expect(
            flagged["BedrockFlowsStackRole"]?.contains(
                "by CloudFormation stack ops-flows (tag aws:cloudformation:stack-name)") == true)
        if flags == ["--iac-tag", "ManagedBy"] {
            #expect(flagged["BedrockFlowsOpsRole"]?.contains("by tag ManagedBy=pulumi (--iac-tag ManagedBy):") == true)
        }
        for name in expected {
            expectFinding(outcome, "IAC_MANAGED", severity: "warning", subject: Scenario.roleArn(name), role: name)
        }
        // Tags decide findings only: every role still changes.
        #expect(outcome.summary["rolesToChange"]?.int == 4)
        expectExit(outcome, 2)
    }
}
