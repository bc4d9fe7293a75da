import FlowRoleJSON
import IAMPolicy
import PropertyBased
import Testing

@Suite("Properties")
struct PropertyTests {
    static let seeds = Gen.int(in: 0...Int.max)

    @Test("Canonical form round-trips: canonical text of the parse of canonical text is identical; json is kept")
    func canonicalRoundTrip() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var random = SeededRandom(seed: seed)
            let json = RandomPolicies.document(&random)
            let document = try PolicyDocument(json: json)
            #expect(document.json == json)
            let canonical = document.canonicalText
            let reparsed = try PolicyDocument(json: JSONValue(parsing: canonical))
            #expect(reparsed.canonicalText == canonical)
            #expect(reparsed.statements.count == document.statements.count)
            #expect(reparsed.statementShape == document.statementShape)
            #expect(reparsed.characterCount == canonical.unicodeScalars.count)
        }
    }

    @Test("A Deny always wins: adding an unconditional matching Deny to any policy set makes the result denied")
    func denyWins() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var random = SeededRandom(seed: seed)
            let policies = try (0..<Int.random(in: 1...3, using: &random)).map { index in
                NamedPolicy(
                    id: "p\(index)", kind: random.chance(50) ? .inline : .managed,
                    document: try PolicyDocument(json: RandomPolicies.document(&random)))
            }
            let action = random.pick(RandomPolicies.actions)
            let resource = random.pick(RandomPolicies.resources)
            let deny: JSONValue = [
                "Effect": "Deny",
                "Action": random.chance(50)
                    ? .string(action) : (random.chance(50) ? "*" : .string(action.uppercased())),
                "Resource": random.chance(50) ? .string(resource) : "*",
            ]
            // Either inside an existing policy (at its end) or as a policy of its own.
            var extended = policies
            if random.chance(50) {
                let target = Int.random(in: 0..<extended.count, using: &random)
                extended[target].document = try extended[target].document.appending(statements: [deny])
            } else {
                extended.insert(
                    NamedPolicy(
                        id: "deny", kind: .inline,
                        document: try PolicyDocument(json: ["Version": "2012-10-17", "Statement": deny])),
                    at: Int.random(in: 0...extended.count, using: &random))
            }
            let before = PolicySet(policies).evaluate(action: action, resource: resource)
            let after = PolicySet(extended).evaluate(action: action, resource: resource)
            #expect(after.verdict == .denied, "before: \(before.verdict)")
            #expect(!after.denies.isEmpty)
        }
    }

    @Test("NotAction is the complement of Action for the same list")
    func notActionComplement() async {
        await propertyCheck(count: 500, input: Self.seeds) { seed in
            var random = SeededRandom(seed: seed)
            let patterns = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                ActionPattern(RandomPolicies.actionPattern(&random))
            }
            var action = random.pick(RandomPolicies.actions)
            if random.chance(30) { action = action.uppercased() }
            let positive = ActionElement(isNegated: false, patterns: patterns, isList: true)
            let negative = ActionElement(isNegated: true, patterns: patterns, isList: true)
            let matched = positive.match(action)
            #expect(negative.match(action) == matched.negated)
            if !patterns.contains(where: \.hasQuestionMark) {
                #expect(matched != .unknown)
            }
            // The same holds through whole statements in proof mode (Allow: strict caution).
            let resource = random.pick(RandomPolicies.resources)
            let list = JSONValue.array(patterns.map { .string($0.text) })
            let allow = try PolicyDocument(json: [
                "Version": "2012-10-17", "Statement": ["Effect": "Allow", "Action": list, "Resource": "*"],
            ])
            let notAllow = try PolicyDocument(json: [
                "Version": "2012-10-17", "Statement": ["Effect": "Allow", "NotAction": list, "Resource": "*"],
            ])
            let direct = PolicySet([NamedPolicy(id: "a", kind: .inline, document: allow)]).evaluate(
                action: action, resource: resource
            ).verdict
            let complement = PolicySet([NamedPolicy(id: "n", kind: .inline, document: notAllow)]).evaluate(
                action: action, resource: resource
            ).verdict
            switch matched {
            case .match: #expect(direct == .allowed && complement == .notAllowed)
            case .noMatch: #expect(direct == .notAllowed && complement == .allowed)
            case .unknown: #expect(direct == .conditionallyAllowed && complement == .conditionallyAllowed)
            }
        }
    }

    @Test("Caution runs one way: a statement that may apply proves no Allow but is always found as a Deny")
    func cautionDirection() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var random = SeededRandom(seed: seed)
            var statement = RandomPolicies.statement(&random, conditions: 0)
            let action = random.pick(RandomPolicies.actions)
            let resource = random.pick(RandomPolicies.resources)
            func verdict(_ effect: String) throws -> ProofResult.Verdict {
                if case .object(var members) = statement, let index = members.firstIndex(where: { $0.key == "Effect" })
                {
                    members[index].value = .string(effect)
                    statement = .object(members)
                }
                let set = PolicySet([
                    NamedPolicy(
                        id: "p", kind: .inline,
                        document: try PolicyDocument(json: ["Version": "2012-10-17", "Statement": statement]))
                ])
                return set.evaluate(action: action, resource: resource).verdict
            }
            let asAllow = try verdict("Allow")
            let asDeny = try verdict("Deny")
            // Whenever the Allow might apply (proven or not), the same statement as a Deny is found.
            if asAllow != .notAllowed { #expect(asDeny == .denied) }
        }
    }
}
