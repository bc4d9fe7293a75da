import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Minimal cases the property tests reduced failing seeds to: each was a bug in flowrole, fixed;
/// kept as regression tests.
@Suite("Properties: reduced failures")
struct PropertiesReducedFailureTests {
    static let migration = RequirementDeriverTests.migration
    static let account = "111122223333"

    static func inventory(trust: String, owned: String? = nil, nodes: [FlowNode] = []) throws -> Inventory {
        var role = Role(
            arn: "arn:aws:iam::\(account):role/R", partition: "aws", account: account, path: "/", name: "R",
            sources: [InventoryGenerator.provenance])
        role.trustPolicy = try PolicyDocument(json: JSONParser.parse(trust))
        if let owned {
            role.inlinePolicies = [
                InlinePolicy(
                    name: migration.policyName, document: try PolicyDocument(json: JSONParser.parse(owned)),
                    source: InventoryGenerator.provenance)
            ]
        }
        role.inlinePolicyNames = role.inlinePolicies.map(\.name)
        role.attachedPolicies = []
        role.boundaryKnown = true
        var flow = Flow(
            arn: "arn:aws:bedrock:us-east-1:\(account):flow/FLOW000001", id: "FLOW000001", name: "f", partition: "aws",
            region: "us-east-1", account: account, createdAt: try Timestamp(parsing: "2024-06-01T00:00:00Z"),
            executionRoleArn: role.arn, definition: FlowDefinition(nodes: nodes),
            sources: [InventoryGenerator.provenance])
        flow.versionsKnown = true
        return Inventory(roles: [role], flows: [flow])
    }

    /// Seeds 41, 44, 51, 92, 121, 271, 285: an `ArnLike`/`ArnEquals` `aws:SourceArn` value of
    /// `"*"` (which the evaluator judges `unknown`) anywhere in a trust policy whose flow wildcard
    /// is tightened makes Invariant 3 fire on every probe — unknown before, unknown after, for a
    /// statement the plan did not touch — so the planner's own check rejects a correct plan
    /// (and `plan` would abort with an internal error).
    @Test(arguments: [
        // The "*" in the same value list as the wildcard: pinning would narrow nothing, so the
        // statement is left as it is (TRUST_PATTERN_UNRECOGNISED).
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":["*","arn:aws:bedrock:us-east-1:111122223333:flow/*"]}}}]}"#,
            false
        ),
        // The "*" in another, untouched statement: the wildcard statement is pinned.
        (
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:flow/*"}}},{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"*"}}}]}"#,
            true
        ),
    ])
    func propertiesReducedUnknownTrustValueTripsInvariant3(trust: String, tightened: Bool) throws {
        let inventory = try Self.inventory(trust: trust)
        let plan = Planner(migration: Self.migration).plan(inventory, inputs: [])
        #expect(plan.roles[0].changes.contains { $0.kind == .updateAssumeRolePolicy } == tightened)
        #expect(plan.roles[0].findings.contains { $0.code == "TRUST_PATTERN_UNRECOGNISED" })
        let violations = PlanInvariants.violations(plan: plan, inventory: inventory, migration: Self.migration)
        #expect(violations.isEmpty, "\(violations)")
    }

    /// Seeds 115, 146, 164: the migration's own policy holds its Sid's statement with a
    /// `Condition` (a person edited it). The grant is merged into that conditional statement, so it
    /// is not actually granted; every later plan adds it again, as a `putRolePolicy` whose before
    /// and after are identical — re-planning the applied state never converges (invariant 6).
    @Test func propertiesReducedConditionalOwnedStatementNeverConverges() throws {
        let owned =
            #"{"Version":"2012-10-17","Statement":[{"Sid":"FlowroleLambdaInvokeFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:aws:lambda:us-east-1:111122223333:function:a"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
        let trust =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:flow/FLOW000001"}}}]}"#
        let lambda = FlowNode(
            name: "L", type: "LambdaFunction",
            configuration: ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:b"],
            configurationKind: "lambdaFunction", children: [], path: "L")
        let inventory = try Self.inventory(trust: trust, owned: owned, nodes: [lambda])
        let planner = Planner(migration: Self.migration)
        let first = planner.plan(inventory, inputs: [])
        #expect(first.roles[0].changes.map(\.kind) == [.putRolePolicy])
        let second = planner.plan(try PlannerTrustTests.applying(first, to: inventory), inputs: [])
        do {
            #expect(
                second.roles[0].changes.isEmpty,
                "\(second.roles[0].changes.map { ($0.before?.canonicalText ?? "nil") + " → " + $0.after.canonicalText })"
            )
            #expect(!second.roles[0].requirements.contains { $0.state == .add })
        }
        // What the first plan writes: the grant under the statement's condition, so not proven.
        let after = try PolicyDocument(json: try #require(first.roles[0].changes.first).after)
        let proof = PolicySet([NamedPolicy(id: "owned", kind: .inline, document: after)])
            .evaluate(action: "lambda:InvokeFunction", resource: "arn:aws:lambda:us-east-1:111122223333:function:b")
        do {
            #expect(proof.verdict == .allowed)
        }
    }
}
