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
        // Statements are read in place, one at a time (copying each, or its elements into lists,
        // retained every part of it): first counted, then each kept one matched against every
        // action, and when one matched, against every resource.
        var count = 0
        for policyIndex in policies.indices {
            policies[policyIndex].document.statements.withUnsafeBufferPointer { statements in
                for index in statements.indices where Self.canMatchCertainly(statements[index]) { count += 1 }
            }
        }
        let words = max(1, (count + 63) / 64)
        self.words = words

        var actionBits = [UInt64](repeating: 0, count: actions.count * words)
        var resourceBits = [UInt64](repeating: 0, count: resources.count * words)
        var setBits = [UInt64](repeating: 0, count: sets.count * 2 * words)
        var kept = 0
        for policyIndex in policies.indices {
            policies[policyIndex].document.statements.withUnsafeBufferPointer { statements in
                for statementIndex in statements.indices where Self.canMatchCertainly(statements[statementIndex]) {
                    let index = kept
                    kept += 1
                    let word = index >> 6
                    let bit: UInt64 = 1 << UInt64(index & 63)
                    let effect = statements[statementIndex].effect
                    let caution = Self.caution(effect)
                    var matched = false
                    for actionIndex in actions.indices
                    where statements[statementIndex].action.match(actions[actionIndex], caution: caution) == .match {
                        actionBits[actionIndex * words + word] |= bit
                        matched = true
                    }
                    // Resources only for statements some action matched: the others never count.
                    if matched {
                        // A Deny without `Resource` applies to every resource; an Allow without one
                        // was not kept.
                        let element = statements[statementIndex].resource
                        for resourceIndex in resources.indices
                        where element?.match(resources[resourceIndex], caution: caution) ?? .match == .match {
                            resourceBits[resourceIndex * words + word] |= bit
                        }
                    }
                    let offset = effect == .allow ? 0 : words
                    for setIndex in sets.indices where sets[setIndex].contains(policyIndex) {
                        setBits[setIndex * 2 * words + offset + word] |= bit
                    }
                }
            }
        }
        self.actionBits = actionBits
        self.resourceBits = resourceBits
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
