import FlowRoleJSON
import IAMPolicy
import Inventory

/// Safety invariants 1 and 2 for a role's identity policies (DESIGN, "Safety invariants"),
/// checked on the plan's changes against the role as read — structurally and with the evaluator,
/// independently of how the planner decided:
///
/// * 1. no existing permission is removed: the only identity policy changed is the migration's
///   own; every statement it had is still there (statements the migration writes may only gain
///   resources); and every (action, resource) the old documents allowed — probed with every
///   literal in them, the required pairs and seeded random pairs — is still allowed;
/// * 2. every added grant is one the inputs require: each (action, resource) the new documents
///   allow that the old did not is exactly a requirement planned `add` for this role.
public enum GrantInvariants {
    public static func violations(
        role: Role, changes: [Change], requirements: [PlannedRequirement], ownedPolicyName: String,
        ownedSids: Set<String>,
        inventory: Inventory
    ) -> [String] {
        var found: [String] = []
        // By index: filtering the changes copied (retained) each one.
        var ownedIndex: Int?
        for index in changes.indices where changes[index].kind == .putRolePolicy {
            if changes[index].policyName != ownedPolicyName {
                found.append(
                    "Invariant 1: the plan changes inline policy \(changes[index].policyName ?? "?"), which the migration does not own."
                )
            } else if ownedIndex == nil {
                ownedIndex = index
            }
        }
        guard let ownedIndex else { return found }
        let change = changes[ownedIndex]
        // By index: the closures of `first` and `filter` copied (retained) each inline policy.
        let inline = role.inlinePolicies
        let beforeOwned = inline.indices.first { inline[$0].name == ownedPolicyName }.map { inline[$0].document }
        found += beforeViolations(change, beforeOwned: beforeOwned, ownedPolicyName: ownedPolicyName)
        guard let after = try? PolicyDocument(json: change.after) else {
            return found + ["Invariant 1: the new \(ownedPolicyName) is not a valid policy."]
        }

        // Structure: every old statement is still there; only the migration's statements may grow.
        // The new statements' canonical texts, made only when some old statement is not one of
        // them byte for byte (the usual case, an untouched statement, needs no text).
        var afterCanonicalMade: [String]?
        func afterCanonical() -> [String] {
            if let made = afterCanonicalMade { return made }
            let made = after.statements.map(\.json.canonicalText)
            afterCanonicalMade = made
            return made
        }
        for statement in beforeOwned?.statements ?? [] {
            // Same bytes is same canonical text; otherwise the texts decide, as they always did.
            if after.statements.contains(where: { $0.json.hasSameBytes(as: statement.json) }) { continue }
            let canonical = statement.json.canonicalText
            if afterCanonical().contains(canonical) { continue }
            if let violation = grownViolation(
                statement, after: after, ownedSids: ownedSids, ownedPolicyName: ownedPolicyName)
            {
                found.append(violation)
            }
        }

        // Evaluation: allowed before ⇒ allowed after; newly allowed ⇒ required.
        var others: [NamedPolicy] = []
        for index in inline.indices where inline[index].name != ownedPolicyName {
            others.append(NamedPolicy(id: inline[index].name, kind: .inline, document: inline[index].document))
        }
        for attached in role.attachedPolicies ?? [] {
            if let document = inventory.managedPolicy(arn: attached.arn)?.defaultVersion?.document {
                others.append(NamedPolicy(id: attached.arn, kind: .managed, document: document))
            }
        }
        let ownedBefore = beforeOwned.map { NamedPolicy(id: ownedPolicyName, kind: .inline, document: $0) }
        let ownedAfter = NamedPolicy(id: ownedPolicyName, kind: .inline, document: after)
        // By index: mapping the requirements copied (retained) each one.
        var added = Set<Pair>(minimumCapacity: requirements.count)
        var required: [(action: String, resource: String)] = []
        required.reserveCapacity(requirements.count)
        requirements.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                if buffer[index].state == .add {
                    added.insert(
                        Pair(
                            buffer[index].requirement.action, buffer[index].requirement.resource,
                            buffer[index].requirement.condition))
                }
                required.append((buffer[index].requirement.action, buffer[index].requirement.resource))
            }
        }
        let probes = GrantProbes(
            seed: role.arn,
            documents: others.map(\.document) + (beforeOwned.map { [$0] } ?? []) + [after],
            required: required)
        found += evaluated(probes, others: others, before: ownedBefore, after: ownedAfter, added: added)
        found += unrequiredGrants(after: after, beforeOwned: beforeOwned, added: added)
        return Array(Set(found)).sorted()
    }

    /// The reference for ``violations(role:changes:requirements:ownedPolicyName:ownedSids:inventory:)``:
    /// the same checks written plainly — every statement's canonical text made and compared, the
    /// changes and requirements filtered and mapped — with the probes of
    /// ``referenceProbes(seed:documents:required:)`` evaluated by
    /// ``referenceEvaluated(_:old:new:added:)``.
    static func referenceViolations(
        role: Role, changes: [Change], requirements: [PlannedRequirement], ownedPolicyName: String,
        ownedSids: Set<String>,
        inventory: Inventory
    ) -> [String] {
        var found: [String] = []
        let puts = changes.filter { $0.kind == .putRolePolicy }
        for change in puts where change.policyName != ownedPolicyName {
            found.append(
                "Invariant 1: the plan changes inline policy \(change.policyName ?? "?"), which the migration does not own."
            )
        }
        guard let change = puts.first(where: { $0.policyName == ownedPolicyName }) else { return found }
        let beforeOwned = role.inlinePolicies.first { $0.name == ownedPolicyName }?.document
        found += beforeViolations(change, beforeOwned: beforeOwned, ownedPolicyName: ownedPolicyName)
        guard let after = try? PolicyDocument(json: change.after) else {
            return found + ["Invariant 1: the new \(ownedPolicyName) is not a valid policy."]
        }

        // Structure: every old statement is still there; only the migration's statements may grow.
        for statement in beforeOwned?.statements ?? [] {
            let canonical = statement.json.canonicalText
            if after.statements.contains(where: { $0.json.canonicalText == canonical }) { continue }
            if let violation = grownViolation(
                statement, after: after, ownedSids: ownedSids, ownedPolicyName: ownedPolicyName)
            {
                found.append(violation)
            }
        }

        // Evaluation: allowed before ⇒ allowed after; newly allowed ⇒ required.
        var others = role.inlinePolicies.filter { $0.name != ownedPolicyName }.map {
            NamedPolicy(id: $0.name, kind: .inline, document: $0.document)
        }
        for attached in role.attachedPolicies ?? [] {
            if let document = inventory.managedPolicy(arn: attached.arn)?.defaultVersion?.document {
                others.append(NamedPolicy(id: attached.arn, kind: .managed, document: document))
            }
        }
        let ownedBefore = beforeOwned.map { NamedPolicy(id: ownedPolicyName, kind: .inline, document: $0) }
        let ownedAfter = NamedPolicy(id: ownedPolicyName, kind: .inline, document: after)
        let added = Set(
            requirements.filter { $0.state == .add }.map {
                Pair($0.requirement.action, $0.requirement.resource, $0.requirement.condition)
            })
        let probes = referenceProbes(
            seed: role.arn,
            documents: others.map(\.document) + (beforeOwned.map { [$0] } ?? []) + [after],
            required: requirements.map { ($0.requirement.action, $0.requirement.resource) })
        found += referenceEvaluated(
            probes, old: PolicySet(others + (ownedBefore.map { [$0] } ?? [])), new: PolicySet(others + [ownedAfter]),
            added: added)
        found += unrequiredGrants(after: after, beforeOwned: beforeOwned, added: added)
        return Array(Set(found)).sorted()
    }

    /// Invariant 1 on the owned policy's before document: the plan's must be the role's.
    static func beforeViolations(_ change: Change, beforeOwned: PolicyDocument?, ownedPolicyName: String) -> [String] {
        let same: Bool
        switch (change.before, beforeOwned?.json) {
        case (nil, nil): same = true
        case (let planned?, let read?): same = planned.hasSameCanonicalText(as: read)
        default: same = false
        }
        return same ? [] : ["Invariant 1: the plan's before document of \(ownedPolicyName) is not the role's."]
    }

    /// Invariant 2 on the owned statements themselves: every grant the new owned statements hold
    /// beyond the old is an exact requirement planned `add`.
    static func unrequiredGrants(after: PolicyDocument, beforeOwned: PolicyDocument?, added: Set<Pair>) -> [String] {
        var found: [String] = []
        for statement in after.statements where statement.effect == .allow {
            let actions = Set(statement.json["Action"]?.stringList ?? [])
            let oldStatement = beforeOwned?.statements.first { $0.sid != nil && $0.sid == statement.sid }
            let newResources = resources(of: statement).subtracting(oldStatement.map(resources) ?? [])
            // A one-key StringEquals with several values grants each value's condition: each must
            // be required.
            let conditions = GrantPlanner.alternatives(statement.json["Condition"])
            for action in actions {
                for resource in newResources {
                    for condition in conditions where !added.contains(Pair(action, resource, condition)) {
                        found.append(
                            "Invariant 2: the plan adds \(action) on \(resource)\(condition.map { " under " + $0.canonicalText } ?? ""), which no flow requires."
                        )
                    }
                }
            }
        }
        return found
    }

    /// An (action, resource) pair, with the canonical text of the condition it is granted under
    /// (empty for none): a grant is exact only with its condition.
    struct Pair: Hashable {
        var action: String
        var resource: String
        var condition: String
        init(_ action: String, _ resource: String, _ condition: JSONValue? = nil) {
            self.action = action
            self.resource = resource
            self.condition = condition?.canonicalText ?? ""
        }
    }

    /// Invariant 1 for an old statement the new document does not hold as it was: it may only have
    /// grown — a statement of a Sid the migration owns, with the same text but for more resources.
    /// Nil when it did; otherwise the violation. The fast and the reference check share it.
    static func grownViolation(
        _ statement: Statement, after: PolicyDocument, ownedSids: Set<String>, ownedPolicyName: String
    ) -> String? {
        if let sid = statement.sid, ownedSids.contains(sid),
            let grown = after.statements.first(where: { $0.sid == sid }),
            resources(of: statement).isSubset(of: resources(of: grown)),
            withoutResource(statement.json) == withoutResource(grown.json)
        {
            return nil
        }
        return
            "Invariant 1: statement \(statement.sid ?? statement.pointer) of \(ownedPolicyName) was dropped or changed."
    }

    static func resources(of statement: Statement) -> Set<String> {
        Set(statement.json["Resource"]?.stringList ?? [])
    }

    static func withoutResource(_ value: JSONValue) -> String {
        JSONValue.object((value.objectMembers ?? []).filter { $0.key != "Resource" }).canonicalText
    }

    /// The evaluation half of invariants 1 and 2 over the probes: allowed before ⇒ allowed after;
    /// newly allowed ⇒ required. The old set is `others` and `before`, the new one `others` and
    /// `after`; each pair is answered by a ``ProofGrid`` (the same answers as
    /// ``referenceEvaluated(_:old:new:added:)``, which stays the reference and decides when a
    /// probe is not ASCII: it looks verdicts up by `String` equality, which for other text is
    /// Unicode canonical equivalence rather than the bytes the matchers compare).
    static func evaluated(
        _ probes: GrantProbes, others: [NamedPolicy], before: NamedPolicy?, after: NamedPolicy, added: Set<Pair>
    ) -> [String] {
        let old = others + (before.map { [$0] } ?? [])
        guard probes.isASCII else {
            return referenceEvaluated(
                probes.expanded, old: PolicySet(old), new: PolicySet(others + [after]), added: added)
        }
        let grid = ProofGrid(
            policies: old + [after], sets: [Array(old.indices), Array(others.indices) + [old.count]],
            actions: probes.actions, resources: probes.resources)
        var found: [String] = []
        // Whether a table pair is in `added` (0: not looked up yet, 1: no, 2: yes): a pair probed
        // again (a required one among the literals) is hashed once.
        var required = [UInt8](repeating: 0, count: probes.actions.count * probes.resources.count)
        for probe in probes.pairs {
            let was = grid.isAllowed(set: 0, action: probe.action, resource: probe.resource)
            let now = grid.isAllowed(set: 1, action: probe.action, resource: probe.resource)
            guard was != now else { continue }
            let action = probes.actions[probe.action]
            let resource = probes.resources[probe.resource]
            if was {
                found.append("Invariant 1: \(action) on \(resource) was allowed and no longer is.")
                continue
            }
            let slot = probe.action * probes.resources.count + probe.resource
            if required[slot] == 0 { required[slot] = added.contains(Pair(action, resource)) ? 2 : 1 }
            if required[slot] == 1 {
                found.append("Invariant 2: \(action) on \(resource) is newly allowed, but no flow requires it.")
            }
        }
        return found
    }

    /// The reference for ``evaluated(_:others:before:after:added:)``: each action's resources
    /// evaluated with ``PolicySet/evaluate(action:resources:assuming:)``, verdicts kept by pair.
    static func referenceEvaluated(_ pairs: [Pair], old: PolicySet, new: PolicySet, added: Set<Pair>) -> [String] {
        var found: [String] = []
        // Evaluated one action at a time over its resources (the same answers, computed faster).
        var verdicts: [Pair: (was: Bool, now: Bool)] = [:]
        for (action, group) in Dictionary(grouping: pairs, by: \.action) {
            let resources = Array(Set(group.map(\.resource)))
            let oldResults = old.evaluate(action: action, resources: resources)
            let newResults = new.evaluate(action: action, resources: resources)
            for (index, resource) in resources.enumerated() {
                verdicts[Pair(action, resource)] = (
                    oldResults[index].verdict == .allowed, newResults[index].verdict == .allowed
                )
            }
        }
        for pair in pairs {
            let was = verdicts[Pair(pair.action, pair.resource)]?.was ?? false
            let now = verdicts[Pair(pair.action, pair.resource)]?.now ?? false
            if was && !now {
                found.append("Invariant 1: \(pair.action) on \(pair.resource) was allowed and no longer is.")
            }
            if now && !was && !added.contains(pair) {
                found.append(
                    "Invariant 2: \(pair.action) on \(pair.resource) is newly allowed, but no flow requires it.")
            }
        }
        return found
    }

    /// The reference for ``GrantProbes``: literal actions and resources of every document, the
    /// required pairs, and seeded random pairs built from their pieces.
    static func referenceProbes(
        seed: String, documents: [PolicyDocument], required: [(action: String, resource: String)]
    ) -> [Pair] {
        var actions = Set<String>()
        var resources = Set<String>()
        for document in documents {
            for statement in document.statements {
                for key in ["Action", "NotAction"] { actions.formUnion(statement.json[key]?.stringList ?? []) }
                for key in ["Resource", "NotResource"] { resources.formUnion(statement.json[key]?.stringList ?? []) }
            }
        }
        for pair in required {
            actions.insert(pair.action)
            resources.insert(pair.resource)
        }
        // Wildcards are probed as literals too: a concrete instance of each pattern.
        let actionList = actions.map { $0.referenceReplacingStars(with: "flowroleprobe") }.sorted()
        let resourceList = resources.map { $0.referenceReplacingStars(with: "flowrole-probe") }.sorted()
        var pairs: [Pair] = required.map { Pair($0.action, $0.resource) }
        for action in actionList.prefix(40) {
            for resource in resourceList.prefix(40) { pairs.append(Pair(action, resource)) }
        }
        var random = SplitMix(arn: seed)
        for _ in 0..<64 where !actionList.isEmpty && !resourceList.isEmpty {
            pairs.append(
                Pair(
                    actionList[Int(random.next() % UInt64(actionList.count))],
                    resourceList[Int(random.next() % UInt64(resourceList.count))] + (random.next() % 2 == 0 ? "" : ":7")
                ))
        }
        return pairs
    }
}

/// A small deterministic generator (SplitMix64) for probe pairs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// Seeded from a role's ARN (djb2 over its UTF-8), so each role gets its own probes.
    init(arn: String) {
        self.init(seed: UInt64(truncatingIfNeeded: arn.utf8.reduce(5381) { $0 &* 33 &+ UInt64($1) }))
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// `*` replaced by `text` and `?` by `x` (as `Character`s, so a `*` carrying a combining mark
    /// stays): the reference for ``GrantProbes``' faster replacement.
    func referenceReplacingStars(with text: String) -> String {
        split(separator: "*", omittingEmptySubsequences: false).joined(separator: text)
            .split(separator: "?", omittingEmptySubsequences: false).joined(separator: "x")
    }
}
