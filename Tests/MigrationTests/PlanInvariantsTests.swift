import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// The invariant checks hold on real plans and bite on deliberately broken planners.
@Suite("Safety invariants")
struct PlanInvariantsTests {
    static let migration = RequirementDeriverTests.migration

    static func examplePlan() throws -> (Plan, Inventory) {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        var options = PlannerOptions()
        options.includeNewFlows = true
        return (Planner(migration: migration, options: options).plan(inventory, inputs: []), inventory)
    }

    /// A planner that plans correctly and then breaks its output with `damage`.
    static func brokenPlanner(_ damage: (inout Plan) -> Void) throws -> [String] {
        var (plan, inventory) = try examplePlan()
        damage(&plan)
        return PlanInvariants.violations(plan: plan, inventory: inventory, migration: migration)
    }

    static func mutateFirstPut(_ plan: inout Plan, _ body: (inout [JSONValue]) -> Void) {
        guard let roleIndex = plan.roles.firstIndex(where: { $0.changes.contains { $0.kind == .putRolePolicy } }),
            let changeIndex = plan.roles[roleIndex].changes.firstIndex(where: { $0.kind == .putRolePolicy }),
            case .array(var statements)? = plan.roles[roleIndex].changes[changeIndex].after["Statement"]
        else { return }
        body(&statements)
        var members = plan.roles[roleIndex].changes[changeIndex].after.objectMembers ?? []
        if let position = members.firstIndex(where: { $0.key == "Statement" }) {
            members[position].value = .array(statements)
        }
        plan.roles[roleIndex].changes[changeIndex].after = .object(members)
    }

    @Test func theExamplePlanHoldsEveryInvariant() throws {
        let (plan, inventory) = try Self.examplePlan()
        #expect(plan.roles.contains { !$0.changes.isEmpty })
        #expect(PlanInvariants.violations(plan: plan, inventory: inventory, migration: Self.migration) == [])
    }

    @Test func aPlannerThatAddsAResourceNoFlowNeedsIsCaught() throws {
        let violations = try Self.brokenPlanner { plan in
            Self.mutateFirstPut(&plan) { statements in
                statements.append([
                    "Sid": "Extra", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                    "Resource": "arn:aws:lambda:us-east-1:111122223333:function:not-needed",
                ])
            }
        }
        #expect(violations.contains { $0.contains("Invariant 2") && $0.contains("function:not-needed") })
    }

    @Test func aPlannerThatWidensAGrantToAWildcardIsCaught() throws {
        let violations = try Self.brokenPlanner { plan in
            Self.mutateFirstPut(&plan) { statements in
                statements.append(["Sid": "Wide", "Effect": "Allow", "Action": "lambda:*", "Resource": "*"])
            }
        }
        #expect(violations.contains { $0.contains("Invariant 2") })
    }

    @Test func aPlannerThatDropsAStatementIsCaught() throws {
        // A role whose migration policy a previous run wrote: the new plan must keep its statement.
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        var role = try #require(inventory.roles.first { $0.name == "AmazonBedrockExecutionRoleForFlows_Q7M2XK9D" })
        let previous = try PolicyDocument(
            json: JSONValue(
                parsing:
                    #"{"Version": "2012-10-17", "Statement": [{"Sid": "KeepMe", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::triage-bucket/*"}]}"#
            ))
        role.inlinePolicies.append(
            InlinePolicy(
                name: Self.migration.policyName, document: previous, source: Provenance(path: "t", pointer: "")))
        var changed = inventory
        changed.roles = inventory.roles.map { $0.arn == role.arn ? role : $0 }
        var plan = Planner(migration: Self.migration).plan(changed, inputs: [])
        #expect(PlanInvariants.violations(plan: plan, inventory: changed, migration: Self.migration) == [])
        // Broken: the previous run's statement is dropped from the new document.
        guard let index = plan.roles.firstIndex(where: { $0.arn == role.arn }),
            case .array(let statements)? = plan.roles[index].changes.first?.after["Statement"]
        else {
            Issue.record("no change planned for \(role.name)")
            return
        }
        var members = plan.roles[index].changes[0].after.objectMembers ?? []
        if let position = members.firstIndex(where: { $0.key == "Statement" }) {
            members[position].value = .array(statements.filter { $0["Sid"] != "KeepMe" })
        }
        plan.roles[index].changes[0].after = .object(members)
        let violations = PlanInvariants.violations(plan: plan, inventory: changed, migration: Self.migration)
        #expect(violations.contains { $0.contains("Invariant 1") && $0.contains("KeepMe") })
        #expect(violations.contains { $0.contains("s3:GetObject") && $0.contains("no longer") })
    }

    @Test func aPlannerThatEditsAPolicyItDoesNotOwnIsCaught() throws {
        let violations = try Self.brokenPlanner { plan in
            guard let index = plan.roles.firstIndex(where: { !$0.changes.isEmpty }) else { return }
            plan.roles[index].changes[0].policyName = "SomeoneElsesPolicy"
        }
        #expect(violations.contains { $0.contains("does not own") })
    }

    @Test func aPlannerThatWidensATrustPolicyToEveryoneIsCaught() throws {
        let violations = try Self.brokenPlanner { plan in
            guard
                let roleIndex = plan.roles.firstIndex(where: {
                    $0.changes.contains { $0.kind == .updateAssumeRolePolicy }
                }),
                let changeIndex = plan.roles[roleIndex].changes.firstIndex(where: { $0.kind == .updateAssumeRolePolicy }
                )
            else { return }
            plan.roles[roleIndex].changes[changeIndex].after = [
                "Version": "2012-10-17",
                "Statement": [["Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"]],
            ]
        }
        #expect(violations.contains { $0.contains("Invariant 3") })
    }

    @Test func aPlannerThatDropsAPinnedFlowIsCaught() throws {
        let violations = try Self.brokenPlanner { plan in
            guard let roleIndex = plan.roles.firstIndex(where: { $0.name == "BedrockFlowsOrderServicesRole" }),
                let changeIndex = plan.roles[roleIndex].changes.firstIndex(where: { $0.kind == .updateAssumeRolePolicy }
                )
            else { return }
            // Pin only one of the role's two flows.
            let text = plan.roles[roleIndex].changes[changeIndex].after.canonicalText
                .replacingOccurrences(of: "\"arn:aws:bedrock:us-east-1:111122223333:flow/R4HM9CV2TL\",", with: "")
                .replacingOccurrences(of: "\"arn:aws:bedrock:us-east-1:111122223333:flow/R4HM9CV2TL/*\",", with: "")
            plan.roles[roleIndex].changes[changeIndex].after = (try? JSONValue(parsing: text)) ?? .null
        }
        #expect(violations.contains { $0.contains("Invariant 4") && $0.contains("R4HM9CV2TL") })
    }
}
