import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

@Suite("Grant planning")
struct GrantPlannerTests {
    static let migration = RequirementDeriverTests.migration

    /// The legacy requirements of every flow in `inventory`, by the role ARN they resolve to.
    static func legacyRequirements(_ inventory: Inventory) -> [String: [Requirement]] {
        let lookup = RoleLookup(roles: inventory.roles)
        var byRole: [String: [Requirement]] = [:]
        for flow in inventory.flows {
            let derived = RequirementDeriver(migration: migration).derive(flow)
            guard derived.legacy else { continue }
            for requirement in derived.requirements {
                guard
                    let role = lookup.role(
                        forExecutionRoleArn: requirement.roleArn, flowPartition: flow.partition,
                        flowAccount: flow.account)
                else { continue }
                byRole[role.arn, default: []].append(requirement)
            }
        }
        return byRole
    }

    static func decisions(_ inventory: Inventory, quota: Int = PolicySize.inlineTotalQuota) -> [String: GrantPlanner
        .Decision]
    {
        let requirements = legacyRequirements(inventory)
        var out: [String: GrantPlanner.Decision] = [:]
        for role in inventory.roles {
            out[role.name] = GrantPlanner(migration: migration, inlineQuota: quota)
                .plan(role: role, requirements: requirements[role.arn] ?? [], inventory: inventory)
        }
        return out
    }

    func states(_ decision: GrantPlanner.Decision?) -> [String: PlannedRequirement.State] {
        var out: [String: PlannedRequirement.State] = [:]
        for planned in decision?.requirements ?? [] {
            out[String(planned.requirement.resource.split(separator: ":", maxSplits: 5).last ?? "")] = planned.state
        }
        return out
    }

    @Test func theExampleAccountGetsWhatDocsExamplesSays() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let decisions = Self.decisions(inventory)

        let finance = decisions["BedrockFlowsFinanceReportsRole"]
        #expect(states(finance)["function:payroll-export"] == .blocked)
        #expect(states(finance)["function:report-builder:3"] == .add)
        #expect(finance?.findings.contains { $0.code == "EXPLICIT_DENY" && $0.severity == .blocker } == true)

        let review = decisions["BedrockFlowsDocumentReviewRole"]
        #expect(states(review)["function:page-classifier"] == .blocked)
        #expect(states(review)["prompt/D6VN4JH8CA"] == .add)
        #expect(review?.findings.contains { $0.code == "PERMISSIONS_BOUNDARY" } == true)

        let faq = decisions["BedrockFlowsFaqBotRole"]
        #expect(faq?.requirements.allSatisfy { $0.state == .granted } == true)
        #expect(faq?.requirements.isEmpty == false)
        #expect(faq?.ownedPolicyAfter == nil)

        let orders = decisions["BedrockFlowsOrderServicesRole"]
        #expect(states(orders)["function:order-lookup"] == .add)  // only the non-default v1 allows it
        #expect(states(orders)["prompt/M3QW7ZL1XE"] == .granted)
        #expect(orders?.findings.contains { $0.code == "SHARED_MANAGED_POLICY" } == true)

        let triage = decisions["AmazonBedrockExecutionRoleForFlows_Q7M2XK9D"]
        #expect(Set(triage?.requirements.filter { $0.state == .add }.map(\.requirement.resource) ?? []).count == 6)
        let after = try #require(triage?.ownedPolicyAfter)
        #expect(
            after.statements.map(\.sid) == [
                "FlowroleBedrockRenderPrompt", "FlowroleLambdaInvokeFunction", "FlowroleLexRecognizeUtterance",
            ])
        #expect(after.version == .v2012_10_17)
    }

    /// Apply the decision's documents to the role, read again, plan again: nothing left to do.
    @Test func replanningAfterApplyingChangesNothing() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let first = Self.decisions(inventory)
        var applied = inventory
        for index in applied.roles.indices {
            guard let after = first[applied.roles[index].name]?.ownedPolicyAfter else { continue }
            applied.roles[index].inlinePolicies.removeAll { $0.name == Self.migration.policyName }
            applied.roles[index].inlinePolicies.append(
                InlinePolicy(
                    name: Self.migration.policyName, document: after, source: Provenance(path: "applied", pointer: "")))
            applied.roles[index].inlinePolicyNames?.append(Self.migration.policyName)
        }
        let second = Self.decisions(applied)
        #expect(first.values.contains { $0.ownedPolicyAfter != nil })
        for (name, decision) in second {
            #expect(decision.ownedPolicyAfter == nil, "\(name) still changes")
            #expect(!decision.requirements.contains { $0.state == .add }, "\(name)")
            // Blocked stays blocked: the plan never pretends a Deny went away.
            #expect(
                decision.requirements.filter { $0.state == .blocked }.count
                    == first[name]?.requirements.filter { $0.state == .blocked }.count)
        }
    }

    @Test func aPreviousRunsStatementGainsOnlyTheNewResources() throws {
        let existing = try PolicyDocument(
            json: JSONValue(
                parsing: """
                    {"Version": "2012-10-17", "Statement": [
                      {"Sid": "Mine", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                      {"Sid": "FlowroleLambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                       "Resource": "arn:aws:lambda:us-east-1:111122223333:function:a"}]}
                    """))
        let requirement = { (resource: String) in
            Requirement(
                action: "lambda:InvokeFunction", resource: resource, flow: "f", version: "DRAFT", node: "n",
                roleArn: "r",
                sid: "FlowroleLambdaInvokeFunction")
        }
        let after = try #require(
            GrantPlanner(migration: Self.migration).ownedPolicy(
                before: existing, adding: [requirement("arn:aws:lambda:us-east-1:111122223333:function:b")]))
        #expect(after.statements.count == 2)
        #expect(after.statements[0].json == existing.statements[0].json)  // untouched
        #expect(
            after.statements[1].json["Resource"]
                == [
                    .string("arn:aws:lambda:us-east-1:111122223333:function:a"),
                    .string("arn:aws:lambda:us-east-1:111122223333:function:b"),
                ])
    }

    @Test func conditionsUnknownPoliciesQuotasAndServiceLinkedRoles() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let requirements = Self.legacyRequirements(inventory)
        var triage = try #require(inventory.roles.first { $0.name == "AmazonBedrockExecutionRoleForFlows_Q7M2XK9D" })
        let wanted = try #require(requirements[triage.arn])
        let lambda = try #require(wanted.first { $0.action == "lambda:InvokeFunction" })
        // A conditional Allow proves nothing; a conditional Deny does not block.
        let conditional = try PolicyDocument(
            json: JSONValue(
                parsing: """
                    {"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/team": "x"}}},
                      {"Effect": "Deny", "Action": "lambda:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
                    """))
        triage.inlinePolicies.append(
            InlinePolicy(name: "conditional", document: conditional, source: Provenance(path: "t", pointer: "")))
        triage.attachedPolicies = [AttachedPolicy(name: "Gone", arn: "arn:aws:iam::111122223333:policy/Gone")]
        let decision = GrantPlanner(migration: Self.migration).plan(
            role: triage, requirements: [lambda], inventory: inventory)
        #expect(decision.requirements.map(\.state) == [.add])
        #expect(
            Set(decision.findings.map(\.code)).isSuperset(of: [
                "CONDITIONAL_GRANT", "CONDITIONAL_DENY", "POLICY_NOT_IN_INPUTS",
            ]))

        let tiny = GrantPlanner(migration: Self.migration, inlineQuota: 200).plan(
            role: triage, requirements: wanted, inventory: inventory)
        #expect(tiny.ownedPolicyAfter == nil)
        #expect(tiny.requirements.allSatisfy { $0.state == .blocked })
        #expect(tiny.findings.contains { $0.code == "QUOTA_EXCEEDED" && $0.severity == .blocker })

        var linked = triage
        linked.path = "/aws-service-role/bedrock.amazonaws.com/"
        let refused = GrantPlanner(migration: Self.migration).plan(
            role: linked, requirements: wanted, inventory: inventory)
        #expect(refused.requirements.allSatisfy { $0.state == .blocked })
        #expect(refused.ownedPolicyAfter == nil)
        // Blocked before any evaluation: no grant-level finding, only the role's own.
        #expect(Set(refused.findings.map(\.code)) == ["SERVICE_LINKED_ROLE", "POLICY_NOT_IN_INPUTS"])
    }
}
