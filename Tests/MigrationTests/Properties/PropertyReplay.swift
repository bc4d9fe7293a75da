import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Replays one seed in detail: `FLOWROLE_PROPERTY_SEED=41 swift test --filter propertiesReplay`.
/// Prints, for each options variant, every role the plan changes or the checks flag, with its
/// trust and identity policies before and after. Does nothing without the variable.
@Suite("Properties: replay one seed")
struct PropertiesReplayTests {
    @Test func propertiesReplay() throws {
        guard let text = ProcessInfo.processInfo.environment["FLOWROLE_PROPERTY_SEED"], let seed = UInt64(text) else {
            return
        }
        let inventory = InventoryGenerator.inventory(seed: seed)
        print("== seed \(seed): \(inventory.roles.count) roles, \(inventory.flows.count) flows")
        for flow in inventory.flows {
            print(
                "flow \(flow.arn) created \(flow.createdAt.text) role \(flow.executionRoleArn) versions \(flow.versions.map { "\($0.version)→\($0.executionRoleArn)" }) nodes \(flow.definition.allNodes.map { "\($0.type) \($0.configuration?.canonicalText ?? "")" })"
            )
        }
        print("manifest \(inventory.manifestEntries.map { "\($0.account):\($0.region):\($0.flows)" })")
        for (name, options) in PropertiesPlannerTests.variants(seed: seed, inventory: inventory) {
            let plan = PropertiesPlannerTests.plan(inventory, options)
            let violations = PlanInvariants.violations(
                plan: plan, inventory: inventory, migration: PropertiesPlannerTests.migration)
            let applied = try PlannerTrustTests.applying(plan, to: inventory)
            let independent = PropertyChecks.violations(
                before: inventory, after: applied, plan: plan, options: options,
                migration: PropertiesPlannerTests.migration)
            let second = PropertiesPlannerTests.plan(applied, options)
            print("-- variant \(name)")
            print("   checker: \(violations)")
            print("   independent: \(independent)")
            for role in plan.roles {
                let again = second.roles.first { $0.arn == role.arn }
                guard !role.changes.isEmpty || again?.changes.isEmpty == false else { continue }
                let model = inventory.roles.first { $0.arn == role.arn }
                print("   role \(role.arn) selected=\(role.selected) status=\(role.status.rawValue)")
                print("     trust: \(model?.trustPolicy?.canonicalText ?? "nil")")
                for policy in model?.inlinePolicies ?? [] {
                    print("     inline \(policy.name): \(policy.document.canonicalText)")
                }
                print(
                    "     attached: \(model?.attachedPolicies?.map(\.arn) ?? []) boundary: \(model?.permissionsBoundaryArn ?? "-")"
                )
                print("     flows: \(role.flows.map(\.arn))")
                print("     findings: \(role.findings.map { "\($0.code) \($0.subject)" })")
                for change in role.changes {
                    print("     change \(change.kind.rawValue): \(change.after.canonicalText)")
                }
                for change in again?.changes ?? [] {
                    print(
                        "     AGAIN \(change.kind.rawValue): before \(change.before?.canonicalText ?? "nil") after \(change.after.canonicalText)"
                    )
                }
            }
        }
    }
}
