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
        // The same for every role: made once.
        let ownedSids = Set(migration.rules.map(\.sid))
        let slots = Slots(count: changed.count)
        DispatchQueue.concurrentPerform(iterations: changed.count) { index in
            // The plan usually lists the inventory's roles in its order: the role's position in the
            // plan is where to look first.
            slots.set(
                index,
                violations(
                    of: plan.roles[changed[index]], roles: roles, position: changed[index], flows: flows,
                    inventory: inventory, policyName: migration.policyName, ownedSids: ownedSids))
        }
        return slots.values.flatMap { $0 }
    }

    /// `position`: where the role probably is in the inventory (a guess: any value answers the same).
    static func violations(
        of rolePlan: RolePlan, roles: ByArn<Role>, position: Int?, flows: ByArn<Flow>, inventory: Inventory,
        policyName: String, ownedSids: Set<String>
    ) -> [String] {
        // Looked at in place: returning the role copied (retained) all of it.
        roles.withElement(rolePlan.arn, hint: position) { role in
            violations(
                of: rolePlan, role: role, flows: flows, inventory: inventory, policyName: policyName,
                ownedSids: ownedSids)
        } ?? ["role \(rolePlan.arn): the plan changes a role the inputs do not hold."]
    }

    private static func violations(
        of rolePlan: RolePlan, role: Role, flows: ByArn<Flow>, inventory: Inventory, policyName: String,
        ownedSids: Set<String>
    ) -> [String] {
        var found: [String] = []
        if !rolePlan.selected {
            found.append("role \(rolePlan.arn): the plan changes a role outside the selection.")
        }
        for violation in GrantInvariants.violations(
            role: role, changes: rolePlan.changes, requirements: rolePlan.requirements,
            ownedPolicyName: policyName, ownedSids: ownedSids, inventory: inventory)
        {
            found.append("role \(role.arn): \(violation)")
        }
        for index in rolePlan.changes.indices where rolePlan.changes[index].kind == .updateAssumeRolePolicy {
            let change = rolePlan.changes[index]
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
            let uses = rolePlan.flows.compactMap { flows.withElement($0.arn, body: TrustTightener.FlowUse.init) }
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
/// ran alone on one core before the parallel checks); a list found unsorted, or with an ARN that
/// is not ASCII, is hashed instead: `String`'s order does not agree with its equality on
/// canonically equivalent text (`"K" == "\u{212A}"`, yet `"KZ" < "\u{212A}"`), so a binary search
/// could miss.
struct ByArn<Element: Sendable>: Sendable {
    private let items: [Element]
    /// The ARN of each item, by position (compared without copying the items).
    private let arns: [String]
    /// nil when `items` is sorted by ARN and every ARN is ASCII.
    private let index: [String: Int]?
    /// When the ARNs are searched (sorted, all ASCII, not none): by position, the eight bytes of
    /// each ARN after the ``shared`` bytes every ARN starts with, as a big-endian number
    /// (zero-padded). The numbers are in the ARNs' order, so a binary search over them narrows a
    /// lookup to the few ARNs to compare as text without reading each ARN it passes (every one in
    /// its own allocation: the misses were most of a lookup).
    private let keys: [UInt64]?
    /// How many leading bytes every ARN shares, when ``keys`` is made.
    private let shared: Int

    init(_ items: [Element], arn: (Element) -> String) {
        self.items = items
        let arns = items.map(arn)
        self.arns = arns
        var sorted = true
        for position in arns.indices.dropFirst() where arns[position] < arns[position - 1] {
            sorted = false
            break
        }
        let searched = sorted && arns.allSatisfy(\.isASCII)
        index =
            searched ? nil : Dictionary(arns.indices.map { (arns[$0], $0) }, uniquingKeysWith: { first, _ in first })
        // ASCII text sorts by its bytes, so every ARN between the first and the last shares
        // their common prefix.
        if searched, let first = arns.first, let last = arns.last {
            let shared = zip(first.utf8, last.utf8).prefix { $0 == $1 }.count
            self.shared = shared
            keys = arns.map { Self.key($0, after: shared) }
        } else {
            shared = 0
            keys = nil
        }
    }

    /// The eight bytes after the first `start`, big-endian, zero-padded: for ASCII texts that
    /// share their first `start` bytes, a lower text never has a higher key.
    private static func key(_ text: String, after start: Int) -> UInt64 {
        var value: UInt64 = 0
        var count = 0
        for byte in text.utf8.dropFirst(start).prefix(8) {
            value = value << 8 | UInt64(byte)
            count += 1
        }
        return count == 0 ? 0 : value << UInt64(8 * (8 - count))
    }

    subscript(key: String) -> Element? {
        position(of: key, hint: nil).map { items[$0] }
    }

    /// `body` of the element `self[key]` answers, without copying it out; nil when there is none.
    /// `hint` is a position to try first (any value gives the same answer).
    func withElement<Result>(_ key: String, hint: Int? = nil, body: (Element) throws -> Result) rethrows -> Result? {
        guard let position = position(of: key, hint: hint) else { return nil }
        return try body(items[position])
    }

    private func position(of key: String, hint: Int?) -> Int? {
        if let index { return index[key] }
        // Every ARN is ASCII: other text equals one only as a canonically equivalent `String`
        // (U+212A is `K`), which no order finds. No real ARN is such text.
        guard key.isASCII else { return arns.firstIndex(of: key) }
        // In a sorted list, the hint is the first of its equal ARNs when the one before is not equal.
        if let hint, arns.indices.contains(hint), arns[hint] == key, hint == 0 || arns[hint - 1] != key {
            return hint
        }
        // An ASCII key equals an ARN only byte for byte: only an ARN with the shared prefix and
        // the key's eight bytes after it can, and those are neighbours.
        guard let keys, let first = arns.first, key.utf8.prefix(shared).elementsEqual(first.utf8.prefix(shared))
        else { return nil }
        let wanted = Self.key(key, after: shared)
        var low = 0
        var high = arns.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        var end = arns.count
        var above = low
        while above < end {
            let middle = (above + end) / 2
            if keys[middle] <= wanted { above = middle + 1 } else { end = middle }
        }
        // Among those, the first position whose ARN is not below `key`: the first of any equal ones.
        high = above
        while low < high {
            let middle = (low + high) / 2
            if arns[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < arns.count && arns[low] == key ? low : nil
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
