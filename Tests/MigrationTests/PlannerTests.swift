import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

@Suite("Planner")
struct PlannerTests {
    static let migration = RequirementDeriverTests.migration

    func plan(_ inventory: Inventory, _ configure: (inout PlannerOptions) -> Void = { _ in }) -> Plan {
        var options = PlannerOptions()
        configure(&options)
        return Planner(migration: Self.migration, options: options).plan(inventory, inputs: [])
    }

    @Test func theExampleAccount() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let plan = plan(inventory)
        let byName = Dictionary(uniqueKeysWithValues: plan.roles.map { ($0.name, $0) })
        #expect(plan.roles.count == 8)
        #expect(byName["BedrockFlowsFaqBotRole"]?.status == .unchanged)
        #expect(byName["AmazonBedrockExecutionRoleForFlows_Q7M2XK9D"]?.status == .change)
        #expect(
            byName["AmazonBedrockExecutionRoleForFlows_Q7M2XK9D"]?.findings.contains {
                $0.code == "CONSOLE_MANAGED_ROLE"
            } == true)
        #expect(byName["BedrockFlowsIntakeSummaryRole"]?.findings.contains { $0.code == "CUTOFF_DAY" } == true)
        // returns-assistant is new and its role lacks `returns-handler:$LATEST`.
        #expect(
            byName["BedrockFlowsOrderServicesRole"]?.findings.contains { $0.code == "NEW_FLOW_MISSING_GRANT" } == true)
        #expect(byName["BedrockFlowsOrderServicesRole"]?.flows.map(\.legacy).sorted { !$0 && $1 } == [false, true])
        #expect(plan.findings.map(\.code) == ["SCP_NOT_EVALUATED"])
        #expect(plan.summary.flows == 9)
        #expect(plan.summary.legacyFlows == 7)
        #expect(plan.summary.blockers == 2)  // EXPLICIT_DENY, PERMISSIONS_BOUNDARY
        // The shared role's new flow is migrated with --include-new-flows.
        let all = self.plan(inventory) { $0.includeNewFlows = true }
        let orders = try #require(all.roles.first { $0.name == "BedrockFlowsOrderServicesRole" })
        #expect(
            orders.requirements.contains {
                $0.requirement.resource.hasSuffix("function:returns-handler:$LATEST") && $0.state == .add
            })
        #expect(!orders.findings.contains { $0.code == "NEW_FLOW_MISSING_GRANT" })
    }

    @Test func selectionLeavesOtherRolesUnchangedButListed() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let plan = plan(inventory) { $0.selection.roles = ["*eu*"] }
        #expect(plan.roles.count == 8)
        #expect(plan.roles.filter { !$0.changes.isEmpty }.map(\.name) == ["BedrockFlowsEuClaimsRole"])
        #expect(plan.roles.filter { $0.status == .blocked }.isEmpty)  // blocked roles are outside the selection
        #expect(plan.selection.roles == ["*eu*"])
    }

    @Test func suppressionsMarkFindingsUntilTheyExpire() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let suppression = Suppression(
            code: "EXPLICIT_DENY", subject: "arn:aws:lambda:*:function:payroll-*", reason: "payroll stays manual",
            owner: "platform", expires: "2026-12-31")
        let current = plan(inventory) {
            $0.suppressions = [suppression]
            $0.today = "2026-11-29"
        }
        let deny = current.roles.flatMap(\.findings).first { $0.code == "EXPLICIT_DENY" }
        #expect(deny?.suppressed == true)
        #expect(current.summary.blockers == 1)
        let expired = plan(inventory) {
            $0.suppressions = [suppression]
            $0.today = "2027-01-01"
        }
        #expect(expired.roles.flatMap(\.findings).first { $0.code == "EXPLICIT_DENY" }?.suppressed == false)
        #expect(expired.summary.blockers == 2)
    }

    @Test func theLegacyWindowCanBeMoved() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let early = plan(inventory) { $0.legacyBefore = try? Instant(parsing: "2024-07-01T00:00:00Z") }
        // Only support-triage (2024-06-14) and monthly-finance-report (2024-04-18) are older.
        #expect(early.summary.legacyFlows == 2)
        #expect(!early.roles.flatMap(\.findings).contains { $0.code == "CUTOFF_DAY" })
    }

    @Test func aFlowWhoseRoleIsMissingIsReportedAtTheTop() throws {
        let folder = try InputFolderForPlans()
        defer { folder.remove() }
        try folder.write(
            "flow.json",
            #"{"name": "f", "executionRoleArn": "arn:aws:iam::111122223333:role/Missing", "id": "ABCDEFGHIJ", "arn": "arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ", "status": "Prepared", "createdAt": "2024-06-01T00:00:00Z", "updatedAt": "2024-06-01T00:00:00Z", "version": "DRAFT"}"#
        )
        let plan = plan(try InventoryReader.read(paths: [folder.path]))
        #expect(
            plan.findings.contains {
                $0.code == "ROLE_NOT_IN_INPUTS" && $0.subject == "arn:aws:iam::111122223333:role/Missing"
            })
        #expect(plan.findings.contains { $0.code == "FLOW_VERSIONS_INCOMPLETE" })
    }
}

/// A temporary folder of input files (the Inventory tests have their own).
struct InputFolderForPlans {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrole-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Planner: trust and idempotency")
struct PlannerTrustTests {
    static let migration = RequirementDeriverTests.migration

    /// The inventory as it would be exported after applying every change of `plan`.
    static func applying(_ plan: Plan, to inventory: Inventory) throws -> Inventory {
        var applied = inventory
        for rolePlan in plan.roles {
            guard let index = applied.roles.firstIndex(where: { $0.arn == rolePlan.arn }) else { continue }
            for change in rolePlan.changes {
                let document = try PolicyDocument(json: change.after)
                switch change.kind {
                case .putRolePolicy:
                    let name = change.policyName ?? ""
                    applied.roles[index].inlinePolicies.removeAll { $0.name == name }
                    applied.roles[index].inlinePolicies.append(
                        InlinePolicy(name: name, document: document, source: Provenance(path: "applied", pointer: "")))
                    if applied.roles[index].inlinePolicyNames?.contains(name) == false {
                        applied.roles[index].inlinePolicyNames?.append(name)
                    }
                case .updateAssumeRolePolicy:
                    applied.roles[index].trustPolicy = document
                }
            }
        }
        return applied
    }

    @Test func trustPoliciesArePinnedToEveryFlowOfTheRole() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let plan = Planner(migration: Self.migration).plan(inventory, inputs: [])
        #expect(plan.summary.trustPoliciesTightened == 7)
        let orders = try #require(plan.roles.first { $0.name == "BedrockFlowsOrderServicesRole" })
        let trust = try #require(orders.changes.first { $0.kind == .updateAssumeRolePolicy })
        let text = trust.after.canonicalText
        // The legacy flow and the new one both keep access: pinned as flow/ID and flow/ID/*.
        for id in ["N7DX2RB5QA", "R4HM9CV2TL"] {
            #expect(text.contains("flow/\(id)\""))
            #expect(text.contains("flow/\(id)/*\""))
        }
        #expect(!text.contains("flow/*\""))
        // --skip-trust leaves every trust policy alone.
        var options = PlannerOptions()
        options.skipTrust = true
        #expect(
            Planner(migration: Self.migration, options: options).plan(inventory, inputs: []).summary
                .trustPoliciesTightened == 0)
    }

    @Test func replanningTheAppliedStateChangesNothing() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        var options = PlannerOptions()
        options.includeNewFlows = true
        let planner = Planner(migration: Self.migration, options: options)
        let first = planner.plan(inventory, inputs: [])
        #expect(first.summary.rolesToChange > 0)
        let second = planner.plan(try Self.applying(first, to: inventory), inputs: [])
        #expect(
            second.roles.allSatisfy { $0.changes.isEmpty }, "\(second.roles.filter { !$0.changes.isEmpty }.map(\.name))"
        )
        #expect(second.summary.rolesToChange == 0)
        #expect(second.summary.grantsAdded == 0)
        #expect(second.summary.blockers == first.summary.blockers)  // a Deny does not go away by re-planning
    }
}

@Suite("Planner: infrastructure as code")
struct PlannerIaCTests {
    @Test func aRoleFromACloudFormationStackIsFlagged() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        var tagged = inventory
        let index = try #require(tagged.roles.firstIndex { $0.name == "BedrockFlowsFinanceReportsRole" })
        tagged.roles[index].tags =
            (tagged.roles[index].tags ?? []) + [Tag(key: "aws:cloudformation:stack-name", value: "finance-flows")]
        let plan = Planner(migration: RequirementDeriverTests.migration).plan(tagged, inputs: [])
        let role = try #require(plan.roles.first { $0.name == "BedrockFlowsFinanceReportsRole" })
        #expect(
            role.findings.contains {
                $0.code == "IAC_MANAGED" && $0.severity == .warning && $0.message.contains("finance-flows")
            })
        let untouched = Planner(migration: RequirementDeriverTests.migration).plan(inventory, inputs: [])
        #expect(!untouched.roles.flatMap(\.findings).contains { $0.code == "IAC_MANAGED" })
    }
}
