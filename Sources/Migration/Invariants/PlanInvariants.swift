import Dispatch
import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory

/// Every safety invariant that can be checked on one plan, before anything is written (DESIGN,
/// "Safety invariants"): 1 and 2 on identity policies (`GrantInvariants`), 3 and 4 on trust
/// policies (`TrustInvariants`). A violation is a bug in flowrole: the caller aborts with an
/// internal error and writes nothing. (5, determinism, and 6, idempotency, are properties of two
/// runs; tests hold them.)
public enum PlanInvariants {
    public static func violations(plan: Plan, inventory: Inventory, migration: MigrationDefinition) -> [String] {
        let roles = ByArn(inventory.roles) { $0.arn }
        let flows = ByArn(inventory.flows) { $0.arn }
        // Roles are independent: check them on every core, report in plan order.
        let changed = plan.roles.indices.filter { !plan.roles[$0].changes.isEmpty }
        let slots = Slots(count: changed.count)
        DispatchQueue.concurrentPerform(iterations: changed.count) { index in
            slots.set(
                index,
                violations(
                    of: plan.roles[changed[index]], roles: roles, flows: flows, inventory: inventory,
                    migration: migration))
        }
        return slots.values.flatMap { $0 }
    }

    static func violations(
        of rolePlan: RolePlan, roles: ByArn<Role>, flows: ByArn<Flow>, inventory: Inventory,
        migration: MigrationDefinition
    ) -> [String] {
        var found: [String] = []
        guard let role = roles[rolePlan.arn] else {
            found.append("role \(rolePlan.arn): the plan changes a role the inputs do not hold.")
            return found
        }
        if !rolePlan.selected {
            found.append("role \(rolePlan.arn): the plan changes a role outside the selection.")
        }
        for violation in GrantInvariants.violations(
            role: role, changes: rolePlan.changes, requirements: rolePlan.requirements,
            ownedPolicyName: migration.policyName, ownedSids: Set(migration.rules.map(\.sid)), inventory: inventory)
        {
            found.append("role \(role.arn): \(violation)")
        }
        let trustChanges = rolePlan.changes.filter { $0.kind == .updateAssumeRolePolicy }
        for change in trustChanges {
            guard let before = role.trustPolicy, let planned = change.before,
                planned.hasSameCanonicalText(as: before.json)
            else {
                found.append("role \(role.arn): the plan's before trust policy is not the role's.")
                continue
            }
            guard let after = try? PolicyDocument(json: change.after) else {
                found.append("role \(role.arn): the new trust policy is not a valid policy.")
                continue
            }
            let uses = rolePlan.flows.compactMap { flows[$0.arn] }.map(TrustTightener.FlowUse.init)
            for violation in TrustInvariants.violations(
                roleArn: role.arn, roleAccount: role.account, before: before, after: after, flows: uses)
            {
                found.append("role \(role.arn): \(violation)")
            }
        }
        return found
    }
}

/// The inventory's roles or flows looked up by ARN, the first of equal ARNs winning (as a
/// dictionary built with `uniquingKeysWith: { first, _ in first }` answers). The inventory keeps
/// its lists sorted by ARN, so a binary search finds them without hashing every ARN first (that
/// ran alone on one core before the parallel checks); a list found unsorted is hashed instead.
struct ByArn<Element: Sendable>: Sendable {
    private let items: [Element]
    /// The ARN of each item, by position (compared without copying the items).
    private let arns: [String]
    /// nil when `items` is sorted by ARN.
    private let index: [String: Int]?

    init(_ items: [Element], arn: (Element) -> String) {
        self.items = items
        let arns = items.map(arn)
        self.arns = arns
        var sorted = true
        for position in arns.indices.dropFirst() where arns[position] < arns[position - 1] {
            sorted = false
            break
        }
        index = sorted ? nil : Dictionary(arns.indices.map { (arns[$0], $0) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(key: String) -> Element? {
        if let index { return index[key].map { items[$0] } }
        // The first position whose ARN is not below `key`: the first of any equal ones.
        var low = 0
        var high = arns.count
        while low < high {
            let middle = (low + high) / 2
            if arns[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < arns.count && arns[low] == key ? items[low] : nil
    }
}

/// Per-role results written from worker threads.
private final class Slots: @unchecked Sendable {
    private var slots: [[String]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ index: Int, _ value: [String]) { lock.withLock { slots[index] = value } }

    var values: [[String]] { lock.withLock { slots } }
}
