import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Resources in other accounts than the role: what their owners must run (`ResourceOwnerActions`),
/// and function-policy statements for `bedrock.amazonaws.com` that the plan makes obsolete
/// (`ObsoleteServicePrincipalGrants`).
@Suite("Resource owners")
struct ResourceOwnerTests {
    static let migration = RequirementDeriverTests.migration
    static let home = "111122223333"
    static let owner = "444455556666"
    static func function(_ name: String, account: String = owner) -> String {
        "arn:aws:lambda:us-east-1:\(account):function:\(name)"
    }
    static func flowArn(_ id: String) -> String { "arn:aws:bedrock:us-east-1:\(home):flow/\(id)" }
    static func roleArn(_ name: String) -> String { "arn:aws:iam::\(home):role/\(name)" }

    static let invoice = function("invoice-normalizer")
    static let invoiceLive = function("invoice-normalizer:live")
    static let wild = function("ledger-sync")
    static let payroll = function("payroll-export", account: home)
    static let orphan = function("orphan-report", account: home)
    static let newFeature = function("new-feature", account: home)
    static let bot = "arn:aws:lex:us-east-1:\(owner):bot-alias/SUPT7BOT4K/TSTALIASID"
    static let granted = roleArn("FlowsGrantedRole")
    static let adding = roleArn("service-role/Flows+Add=a,b@x")
    static let blocked = roleArn("FlowsBlockedRole")

    // MARK: - The inventory

    static func document(_ text: String) throws -> PolicyDocument { try PolicyDocument(json: JSONParser.parse(text)) }

    static func role(_ arn: String, inline: String? = nil) throws -> Role {
        let parts = arn.split(separator: ":", maxSplits: 5).last.map(String.init) ?? ""
        let path = parts.split(separator: "/").dropFirst().dropLast().map { "/" + $0 }.joined() + "/"
        let name = String(parts.split(separator: "/").last ?? "")
        var role = Role(
            arn: arn, partition: "aws", account: home, path: path, name: name,
            sources: [Provenance(path: "iam.json", pointer: "/RoleDetailList/0")])
        role.boundaryKnown = true
        role.attachedPolicies = []
        role.trustPolicy = try document(
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        )
        if let inline {
            role.inlinePolicies = [
                InlinePolicy(name: "existing", document: try document(inline), source: role.sources[0])
            ]
        }
        role.inlinePolicyNames = role.inlinePolicies.map(\.name)
        return role
    }

    static func flow(
        _ id: String, role: String, created: String = "2024-06-01T00:00:00Z", lambdas: [String], lex: String? = nil
    )
        throws -> Flow
    {
        var nodes = lambdas.enumerated().map { index, arn in
            FlowNode(
                name: "Fn\(index)", type: "LambdaFunction", configuration: ["lambdaArn": .string(arn)],
                configurationKind: "lambdaFunction", children: [], path: "Fn\(index)")
        }
        if let lex {
            nodes.append(
                FlowNode(
                    name: "Bot", type: "Lex", configuration: ["botAliasArn": .string(lex), "localeId": "en_US"],
                    configurationKind: "lex", children: [], path: "Bot"))
        }
        var flow = Flow(
            arn: flowArn(id), id: id, name: id.lowercased(), partition: "aws", region: "us-east-1", account: home,
            createdAt: try Timestamp(parsing: created), executionRoleArn: role,
            definition: FlowDefinition(nodes: nodes), sources: [])
        flow.versionsKnown = true
        return flow
    }

    /// FLOWA (granted role) and FLOWB (a role the plan adds grants to) invoke `invoice`; FLOWB also
    /// `invoice:live` and a Lex bot alias, all in the owner's account; FLOWA `ledger-sync` there too.
    /// FLOWC's role denies `payroll-export`; FLOWD's role is not in the inputs; FLOWE is new and
    /// its role lacks `new-feature`.
    static func inventory() throws -> Inventory {
        let roles = [
            try role(
                granted,
                inline:
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["\#(invoice)","\#(wild)"]}]}"#
            ),
            try role(adding),
            try role(
                blocked,
                inline:
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"lambda:*","Resource":"\#(payroll)"}]}"#
            ),
        ]
        let flows = [
            try flow("FLOWAAAAAA", role: granted, lambdas: [invoice, wild]),
            try flow("FLOWBBBBBB", role: adding, lambdas: [invoice, invoiceLive], lex: bot),
            try flow("FLOWCCCCCC", role: blocked, lambdas: [payroll]),
            try flow("FLOWDDDDDD", role: roleArn("NotExported"), lambdas: [orphan]),
            try flow("FLOWEEEEEE", role: adding, created: "2025-03-01T00:00:00Z", lambdas: [newFeature]),
        ]
        return Inventory(roles: roles.sorted { $0.arn < $1.arn }, flows: flows.sorted { $0.arn < $1.arn })
    }

    static func plan(_ inventory: Inventory, _ configure: (inout PlannerOptions) -> Void = { _ in }) -> Plan {
        var options = PlannerOptions()
        configure(&options)
        return Planner(migration: migration, options: options).plan(inventory, inputs: [])
    }

    // MARK: - What owners run

    @Test func ownersOfOtherAccountsResourcesGetOneActionPerResourceAndRole() throws {
        let actions = ResourceOwnerActions.actions(for: Self.plan(try Self.inventory()))
        let addingID = "flowrole-8c0fa4896588"
        let grantedID = "flowrole-5e1272897900"
        #expect(ResourceOwnerActions.statementID(role: Self.adding) == addingID)
        #expect(
            actions == [
                ResourceOwnerAction(
                    account: Self.owner, region: "us-east-1", kind: .lambdaPermission, resource: Self.invoice,
                    role: Self.granted, actions: ["lambda:InvokeFunction"], statementID: grantedID,
                    flows: [Self.flowArn("FLOWAAAAAA")]),
                ResourceOwnerAction(
                    account: Self.owner, region: "us-east-1", kind: .lambdaPermission, resource: Self.invoice,
                    role: Self.adding, actions: ["lambda:InvokeFunction"], statementID: addingID,
                    flows: [Self.flowArn("FLOWBBBBBB")]),
                ResourceOwnerAction(
                    account: Self.owner, region: "us-east-1", kind: .lambdaPermission, resource: Self.invoiceLive,
                    role: Self.adding, actions: ["lambda:InvokeFunction"], statementID: addingID,
                    flows: [Self.flowArn("FLOWBBBBBB")]),
                ResourceOwnerAction(
                    account: Self.owner, region: "us-east-1", kind: .lambdaPermission, resource: Self.wild,
                    role: Self.granted, actions: ["lambda:InvokeFunction"], statementID: grantedID,
                    flows: [Self.flowArn("FLOWAAAAAA")]),
                ResourceOwnerAction(
                    account: Self.owner, region: "us-east-1", kind: .lexResourcePolicy, resource: Self.bot,
                    role: Self.adding, actions: ["lex:RecognizeUtterance"], statementID: addingID,
                    flows: [Self.flowArn("FLOWBBBBBB")]),
            ])
        // Outside the selection the added grants are not written, so their owners are asked nothing.
        let selected = ResourceOwnerActions.actions(
            for: Self.plan(try Self.inventory()) { $0.selection.roles = ["FlowsGranted*"] })
        #expect(selected.map(\.role) == [Self.granted, Self.granted])
    }

    @Test func aKMSKeyOfAnotherAccountGetsAKeyPolicyStatementWithTheFlowsEncryptionContext() throws {
        let key = "arn:aws:kms:eu-west-1:\(Self.owner):key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
        func requirement(_ action: String, _ flow: String, state: PlannedRequirement.State = .add) -> PlannedRequirement
        {
            PlannedRequirement(
                requirement: Requirement(
                    action: action, resource: key, flow: flow, version: "DRAFT", node: Requirement.flowLevelNode,
                    roleArn: Self.adding, sid: "FlowroleFlowEncryptionKey",
                    condition: Grant.stringEquals("kms:EncryptionContext:aws:bedrock-flows:arn", [flow])),
                state: state)
        }
        let role = RolePlan(
            arn: Self.adding, name: "Flows+Add=a,b@x", account: Self.home, source: nil, basis: "b", status: .change,
            selected: true, flows: [],
            requirements: [
                requirement("kms:Decrypt", Self.flowArn("FLOWBBBBBB")),
                requirement("kms:GenerateDataKey", Self.flowArn("FLOWBBBBBB")),
                requirement("kms:Decrypt", Self.flowArn("FLOWAAAAAA"), state: .granted),
                requirement("kms:GenerateDataKey", Self.flowArn("FLOWAAAAAA"), state: .blocked),
            ],
            changes: [Change(kind: .putRolePolicy, policyName: "p", before: nil, after: [:])], findings: [])
        let plan = Plan(
            migrationID: "m", legacyBefore: try Instant(parsing: "2024-11-23T00:00:00Z"), inputs: [],
            selection: Selection(), coverage: [], roles: [role], findings: [], generatedAt: nil)
        let actions = ResourceOwnerActions.actions(for: plan)
        #expect(actions.count == 1)
        let statement = try #require(actions.first?.keyPolicyStatement)
        #expect(
            statement.canonicalText
                == #"{"Action":["kms:Decrypt","kms:GenerateDataKey"],"Condition":{"StringEquals":{"kms:EncryptionContext:aws:bedrock-flows:arn":["arn:aws:bedrock:us-east-1:111122223333:flow/FLOWAAAAAA","arn:aws:bedrock:us-east-1:111122223333:flow/FLOWBBBBBB"]}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/service-role/Flows+Add=a,b@x"},"Resource":"*","Sid":"flowrole-8c0fa4896588"}"#
        )
        #expect(actions.first?.region == "eu-west-1" && actions.first?.kind == .kmsKeyPolicy)
    }

    // MARK: - Obsolete service-principal grants

    static func functionPolicy(_ function: String, _ statements: String...) throws -> LambdaResourcePolicy {
        LambdaResourcePolicy(
            functionArn: function,
            document: try document(
                #"{"Version":"2012-10-17","Id":"default","Statement":[\#(statements.joined(separator: ","))]}"#),
            source: Provenance(path: "get-policy.json", pointer: ""))
    }

    static func bedrockStatement(_ function: String, sid: String, sourceArns: [String]?) -> String {
        let condition = sourceArns.map {
            #","Condition":{"StringEquals":{"AWS:SourceAccount":"\#(home)"},"ArnLike":{"AWS:SourceArn":\#(JSONValue.array($0.map(JSONValue.string)).canonicalText)}}"#
        }
        return
            #"{"Sid":"\#(sid)","Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"\#(function)"\#(condition ?? "")}"#
    }

    func obsolete(_ policies: [LambdaResourcePolicy], _ configure: (inout PlannerOptions) -> Void = { _ in }) throws
        -> [Finding]
    {
        var inventory = try Self.inventory()
        inventory.lambdaPolicies = policies
        let plan = Self.plan(inventory, configure)
        return ObsoleteServicePrincipalGrants.findings(
            inventory: inventory, roles: plan.roles, deriver: RequirementDeriver(migration: Self.migration))
    }

    @Test func aStatementForTheServicePrincipalIsObsoleteWhenEveryFlowUsingTheFunctionHoldsItsGrant() throws {
        let policy = try Self.functionPolicy(
            Self.invoice,
            Self.bedrockStatement(
                Self.invoice, sid: "bedrock-flows",
                sourceArns: [Self.flowArn("FLOWAAAAAA"), Self.flowArn("FLOWBBBBBB")]),
            #"{"Sid":"xaccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777788889999:root"},"Action":"lambda:InvokeFunction","Resource":"\#(Self.invoice)"}"#
        )
        let findings = try obsolete([policy])
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.code == "OBSOLETE_SERVICE_PRINCIPAL_GRANT" && finding.severity == .info)
        #expect(finding.subject == Self.invoice)
        #expect(finding.message.contains("statement \"bedrock-flows\""))
        #expect(finding.message.contains("names only these flows"))
        #expect(finding.message.contains("(\(Self.granted), \(Self.adding))"))
        #expect(
            finding.message.contains(
                "After applying the plan, the function's owner may run: aws lambda remove-permission --function-name 'arn:aws:lambda:us-east-1:444455556666:function:invoice-normalizer' --statement-id 'bedrock-flows' --region 'us-east-1'. Reported, never removed."
            ))
        #expect(FindingCatalog.explanation("OBSOLETE_SERVICE_PRINCIPAL_GRANT")?.severity == "info")
    }

    @Test func aSidWithAQuoteIsQuotedForTheShell() throws {
        let policy = try Self.functionPolicy(
            Self.invoice, Self.bedrockStatement(Self.invoice, sid: "it's", sourceArns: [Self.flowArn("FLOWAAAAAA")]))
        // FLOWB invokes the function too but is not named: only FLOWA may use the statement.
        let findings = try obsolete([policy])
        #expect(findings.first?.message.contains(#"--statement-id 'it'\''s'"#) == true)
    }

    @Test func aWildcardOrNoSourceArnIsReportedWithACaveat() throws {
        let wildcard = try obsolete([
            try Self.functionPolicy(
                Self.wild,
                Self.bedrockStatement(
                    Self.wild, sid: "w", sourceArns: ["arn:aws:bedrock:us-east-1:\(Self.home):flow/*"]))
        ])
        #expect(wildcard.count == 1)
        #expect(
            wildcard.first?.message.contains(
                "flows outside the inputs (or other Bedrock resources it matches) may rely on it") == true)
        let unconditioned = try obsolete([
            try Self.functionPolicy(Self.wild, Self.bedrockStatement(Self.wild, sid: "u", sourceArns: nil))
        ])
        #expect(unconditioned.first?.message.contains("no aws:SourceArn condition") == true)
        // Without a condition the statement may serve agents: no removal command is offered.
        #expect(unconditioned.first?.message.contains("remove-permission") == false)
        #expect(wildcard.first?.message.contains("remove-permission") == true)
        // A wildcard over agents (an action group's policy) is not about flows at all.
        let agents = try obsolete([
            try Self.functionPolicy(
                Self.wild,
                Self.bedrockStatement(
                    Self.wild, sid: "agents", sourceArns: ["arn:aws:bedrock:us-east-1:\(Self.home):agent/*"]))
        ])
        #expect(agents.isEmpty)
    }

    @Test func statementsSomeoneMayStillNeedAreNotReported() throws {
        let policies = [
            // A blocked role keeps it: its flow cannot invoke the function with the role.
            try Self.functionPolicy(
                Self.payroll, Self.bedrockStatement(Self.payroll, sid: "b", sourceArns: [Self.flowArn("FLOWCCCCCC")])),
            // A flow whose role is not in the inputs is not migrated: it keeps it.
            try Self.functionPolicy(
                Self.orphan, Self.bedrockStatement(Self.orphan, sid: "o", sourceArns: [Self.flowArn("FLOWDDDDDD")])),
            // A flow after the window whose role lacks the grant keeps it.
            try Self.functionPolicy(
                Self.newFeature,
                Self.bedrockStatement(Self.newFeature, sid: "n", sourceArns: [Self.flowArn("FLOWEEEEEE")])),
            // An agent is named: not about flows.
            try Self.functionPolicy(
                Self.invoiceLive,
                Self.bedrockStatement(
                    Self.invoiceLive, sid: "a", sourceArns: ["arn:aws:bedrock:us-east-1:\(Self.home):agent/AGENT12345"])
            ),
            // A flow outside the inputs' users is named.
            try Self.functionPolicy(
                Self.wild,
                Self.bedrockStatement(
                    Self.wild, sid: "x", sourceArns: [Self.flowArn("FLOWAAAAAA"), Self.flowArn("ZZZZZZZZZZ")])),
        ]
        #expect(try obsolete(policies).isEmpty)
        // Unselected, the role's added grant is not applied: FLOWB still needs the statement.
        let invoice = try Self.functionPolicy(
            Self.invoice,
            Self.bedrockStatement(
                Self.invoice, sid: "bedrock-flows",
                sourceArns: [Self.flowArn("FLOWAAAAAA"), Self.flowArn("FLOWBBBBBB")]))
        #expect(try obsolete([invoice]) { $0.selection.excluded = ["Flows+Add*"] }.isEmpty)
        // The unqualified function's policy says nothing about invoice-normalizer:live's users.
        #expect(try obsolete([invoice]).count == 1)
    }
}
