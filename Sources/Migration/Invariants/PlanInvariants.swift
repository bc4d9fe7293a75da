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
    /// When the ARNs are searched (sorted, all ASCII, not none): by position, ``width`` words
    /// holding the bytes of each ARN after the ``shared`` bytes every ARN starts with, eight to a
    /// word, big-endian (zero-padded). Compared word by word, the keys are in the ARNs' order, so
    /// a binary search over them narrows a lookup to the few ARNs to compare as text without
    /// reading each ARN it passes (every one in its own allocation: the misses were most of a
    /// lookup). One word was too few: flows of several regions share only `arn:aws:bedrock:`, and
    /// the region's eight bytes after it left thousands of ARNs to compare as text.
    private let keys: [UInt64]?
    /// How many leading bytes every ARN shares, when ``keys`` is made.
    private let shared: Int
    /// Words of key per ARN: enough for the longest ARN's bytes after ``shared``, at most
    /// ``maximumWidth``.
    private let width: Int
    private static var maximumWidth: Int { 8 }

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
            let longest = arns.reduce(0) { max($0, $1.utf8.count) }
            let width = min(Self.maximumWidth, max(1, (longest - shared + 7) / 8))
            self.width = width
            var keys = [UInt64](repeating: 0, count: arns.count * width)
            keys.withUnsafeMutableBufferPointer { keys in
                for position in arns.indices {
                    Self.key(
                        arns[position], after: shared,
                        into: UnsafeMutableBufferPointer(
                            rebasing: keys[(position * width)..<(position * width + width)]))
                }
            }
            self.keys = keys
        } else {
            shared = 0
            width = 1
            keys = nil
        }
    }

    /// The bytes after the first `start`, eight to a word of `words`, big-endian, zero-padded
    /// (`words` starts zeroed): for ASCII texts that share their first `start` bytes, a lower
    /// text never has higher words (compared word by word).
    private static func key(_ text: String, after start: Int, into words: UnsafeMutableBufferPointer<UInt64>) {
        func fill<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
            var count = 0
            for byte in bytes {
                words[count >> 3] |= UInt64(byte) << UInt64(8 * (7 - (count & 7)))
                count += 1
            }
        }
        let limit = words.count * 8
        if text.utf8.withContiguousStorageIfAvailable({ fill($0.dropFirst(start).prefix(limit)) }) == nil {
            fill(text.utf8.dropFirst(start).prefix(limit))
        }
    }

    /// How the key at `position` compares with `wanted`: negative below, zero equal, positive above.
    private static func compare(
        _ keys: UnsafeBufferPointer<UInt64>, _ position: Int, _ wanted: UnsafeBufferPointer<UInt64>
    ) -> Int {
        let base = position * wanted.count
        for word in wanted.indices where keys[base + word] != wanted[word] {
            return keys[base + word] < wanted[word] ? -1 : 1
        }
        return 0
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
        // the key's words after it can, and those are neighbours.
        guard let keys, let first = arns.first, key.utf8.prefix(shared).elementsEqual(first.utf8.prefix(shared))
        else { return nil }
        var wantedWords = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let narrowed = withUnsafeMutableBytes(of: &wantedWords) { raw -> Narrowed in
            let all = raw.bindMemory(to: UInt64.self)
            let wanted = UnsafeMutableBufferPointer(rebasing: all[0..<width])
            Self.key(key, after: shared, into: wanted)
            return keys.withUnsafeBufferPointer { keys in
                let wanted = UnsafeBufferPointer(wanted)
                var low = 0
                var high = arns.count
                while low < high {
                    let middle = (low + high) / 2
                    if Self.compare(keys, middle, wanted) < 0 { low = middle + 1 } else { high = middle }
                }
                // The usual lookup finds its ARN first among the few with its key, or none with its
                // key: compared in order (the first equal one is the first of any), no second search.
                var position = low
                while position < min(arns.count, low + 4), Self.compare(keys, position, wanted) == 0 {
                    if arns[position] == key { return .found(position) }
                    position += 1
                }
                guard position < arns.count, Self.compare(keys, position, wanted) == 0 else { return .none }
                var end = arns.count
                var above = position
                while above < end {
                    let middle = (above + end) / 2
                    if Self.compare(keys, middle, wanted) <= 0 { above = middle + 1 } else { end = middle }
                }
                return .range(position, above)
            }
        }
        let start: Int
        let end: Int
        switch narrowed {
        case .none: return nil
        case .found(let position): return position
        case .range(let first, let past):
            start = first
            end = past
        }
        // Among those, the first position whose ARN is not below `key`: the first of any equal ones.
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) / 2
            if arns[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < arns.count && arns[low] == key ? low : nil
    }

    /// What the keys alone tell of a lookup: no ARN has its key, the ARN found, or the positions
    /// of ARNs with its key still to compare as text.
    private enum Narrowed {
        case none
        case found(Int)
        case range(Int, Int)
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
