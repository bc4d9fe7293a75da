/// Proof mode's "is it `.allowed`?" for many (action, resource) pairs over several policy sets
/// that share policies — the safety invariants' probes — with each statement matched once per
/// action and once per resource rather than once per pair.
///
/// Only what decides `.allowed` is kept (``ProofResult``: no unconditional Deny matches and an
/// unconditional Allow does). A statement whose `Condition` has clauses never matches with
/// certainty, nor does an Allow without `Resource`, so neither can change the verdict; every
/// other statement certainly matches a pair exactly when its `Action` and `Resource` match it
/// with the caution its effect calls for. A pair's answer is then a few bitwise ANDs: for every
/// set, `isAllowed(set:action:resource:)` is `PolicySet(set).evaluate(action:resource:).verdict
/// == .allowed` (no assumed context).
public struct ProofGrid: Sendable {
    /// Words of one bit set over the kept statements.
    let words: Int
    /// For each action, the kept statements whose `Action` certainly covers it.
    let actionBits: [UInt64]
    /// For each resource, the kept statements whose `Resource` certainly covers it (only among
    /// statements some action matched: the others never count).
    let resourceBits: [UInt64]
    /// For each set, its kept Allow statements, then its kept Deny statements.
    let setBits: [UInt64]

    /// `sets` lists each set's policies as indices into `policies`.
    public init(policies: [NamedPolicy], sets: [[Int]], actions: [String], resources: [String]) {
        // The kept statements' parts, by kept index.
        var owners: [Int] = []
        var effects: [Effect] = []
        var actionElements: [ActionElement] = []
        var resourceElements: [ResourceElement?] = []
        for policyIndex in policies.indices {
            for statement in policies[policyIndex].document.statements where Self.canMatchCertainly(statement) {
                owners.append(policyIndex)
                effects.append(statement.effect)
                actionElements.append(statement.action)
                resourceElements.append(statement.resource)
            }
        }
        let count = owners.count
        let words = max(1, (count + 63) / 64)
        self.words = words

        var actionBits = [UInt64](repeating: 0, count: actions.count * words)
        var matched = [UInt64](repeating: 0, count: words)
        for actionIndex in actions.indices {
            for index in 0..<count
            where actionElements[index].match(actions[actionIndex], caution: Self.caution(effects[index])) == .match {
                actionBits[actionIndex * words + (index >> 6)] |= 1 << UInt64(index & 63)
                matched[index >> 6] |= 1 << UInt64(index & 63)
            }
        }
        self.actionBits = actionBits

        var resourceBits = [UInt64](repeating: 0, count: resources.count * words)
        for index in 0..<count where matched[index >> 6] & (1 << UInt64(index & 63)) != 0 {
            let caution = Self.caution(effects[index])
            for resourceIndex in resources.indices {
                // A Deny without `Resource` applies to every resource; an Allow without one was not kept.
                if let element = resourceElements[index],
                    element.match(resources[resourceIndex], caution: caution) != .match
                {
                    continue
                }
                resourceBits[resourceIndex * words + (index >> 6)] |= 1 << UInt64(index & 63)
            }
        }
        self.resourceBits = resourceBits

        var setBits = [UInt64](repeating: 0, count: sets.count * 2 * words)
        for setIndex in sets.indices {
            for index in 0..<count where sets[setIndex].contains(owners[index]) {
                let offset = effects[index] == .allow ? 0 : words
                setBits[setIndex * 2 * words + offset + (index >> 6)] |= 1 << UInt64(index & 63)
            }
        }
        self.setBits = setBits
    }

    /// Whether `PolicySet` of the policies of `sets[set]` answers `.allowed` for
    /// (`actions[action]`, `resources[resource]`).
    public func isAllowed(set: Int, action: Int, resource: Int) -> Bool {
        var allows: UInt64 = 0
        for word in 0..<words {
            let both = actionBits[action * words + word] & resourceBits[resource * words + word]
            if both & setBits[(set * 2 + 1) * words + word] != 0 { return false }
            allows |= both & setBits[set * 2 * words + word]
        }
        return allows != 0
    }

    /// Whether the statement can ever match with certainty in proof mode without an assumed
    /// context (``Statement/proofMatch(action:resource:substitutesVariables:assumedContext:)``).
    static func canMatchCertainly(_ statement: Statement) -> Bool {
        if let condition = statement.condition, !condition.clauses.isEmpty { return false }
        return statement.effect == .deny || statement.resource != nil
    }

    static func caution(_ effect: Effect) -> Caution {
        effect == .allow ? .provingAllow : .seekingDeny
    }
}
