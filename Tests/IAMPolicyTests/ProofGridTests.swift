import FlowRoleJSON
import Testing

@testable import IAMPolicy

/// ``ProofGrid`` answers "is it `.allowed`?" from bit sets; the answers must be exactly those of
/// ``PolicySet/evaluate(action:resource:assuming:)``, pair by pair, for every set.
@Suite("ProofGrid agrees with proof-mode evaluation")
struct ProofGridTests {
    /// A random statement, sometimes without `Resource`/`NotResource` or with an empty `Condition`
    /// (which holds: no clause to doubt).
    static func statement(_ random: inout SeededRandom) -> JSONValue {
        guard case .object(var members) = RandomPolicies.statement(&random) else { return [:] }
        if random.chance(10) { members.removeAll { $0.key == "Resource" || $0.key == "NotResource" } }
        if random.chance(10) {
            members.removeAll { $0.key == "Condition" }
            members.append(JSONMember("Condition", .object([])))
        }
        return .object(members)
    }

    static func document(_ random: inout SeededRandom, statements: Int) throws -> PolicyDocument {
        let version = random.pick(["2012-10-17", "2008-10-17"])
        return try PolicyDocument(
            json: .object([
                JSONMember("Version", .string(version)),
                JSONMember("Statement", .array((0..<statements).map { _ in statement(&random) })),
            ]))
    }

    static func actions(_ random: inout SeededRandom) -> [String] {
        var actions = RandomPolicies.actions + RandomPolicies.actions.map { $0.uppercased() }
        actions += ["lambda:Invokeflowroleprobe", "bedrock:GetPrompx", "", "lambda:ÍnvokeFunction"]
        actions += FastPathTests.texts(seed: random.next(), count: 6)
        return actions.filter { _ in random.chance(70) }
    }

    static func resources(_ random: inout SeededRandom) -> [String] {
        var resources = RandomPolicies.resources + RandomPolicies.resources.map { $0 + ":7" }
        resources += [
            "arn:aws-cn:s3:::bucket/home/${aws:username}/x", "arn:aws:lambda:us-east-1:123456789012:function:*",
            "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer?", "", "*",
        ]
        resources += FastPathTests.texts(seed: random.next(), count: 6)
        return resources.filter { _ in random.chance(70) }
    }

    /// Every pair, every set: the grid's answer is `verdict == .allowed`.
    static func check(_ policies: [NamedPolicy], sets: [[Int]], actions: [String], resources: [String]) -> Int {
        let grid = ProofGrid(policies: policies, sets: sets, actions: actions, resources: resources)
        var allowed = 0
        for (setIndex, members) in sets.enumerated() {
            let set = PolicySet(members.map { policies[$0] })
            for (actionIndex, action) in actions.enumerated() {
                for (resourceIndex, resource) in resources.enumerated() {
                    let expected = set.evaluate(action: action, resource: resource).verdict == .allowed
                    let got = grid.isAllowed(set: setIndex, action: actionIndex, resource: resourceIndex)
                    #expect(got == expected, "set \(members) \(action) on \(resource)")
                    if expected { allowed += 1 }
                }
            }
        }
        return allowed
    }

    @Test func smallSets() throws {
        var allowed = 0
        for seed in 0..<300 {
            var random = SeededRandom(seed: seed)
            let policies = try (0..<Int.random(in: 1...4, using: &random)).map { index in
                NamedPolicy(
                    id: "p\(index)", kind: .inline,
                    document: try Self.document(&random, statements: Int.random(in: 1...5, using: &random)))
            }
            let sets = (0..<3).map { _ in policies.indices.filter { _ in random.chance(60) } }
            allowed += Self.check(
                policies, sets: sets, actions: Self.actions(&random), resources: Self.resources(&random))
        }
        // The comparison is not vacuous: many pairs are allowed.
        #expect(allowed > 1000)
    }

    /// More than 64 statements: bit sets of several words.
    @Test func largeSets() throws {
        for seed in 1000..<1020 {
            var random = SeededRandom(seed: seed)
            let policies = try (0..<3).map { index in
                NamedPolicy(
                    id: "p\(index)", kind: .managed,
                    document: try Self.document(&random, statements: Int.random(in: 20...60, using: &random)))
            }
            let sets = [[0, 1, 2], [0, 2], [1], []]
            _ = Self.check(policies, sets: sets, actions: Self.actions(&random), resources: Self.resources(&random))
        }
    }

    @Test func noActionsOrResources() throws {
        var random = SeededRandom(seed: 7)
        let policies = [NamedPolicy(id: "p", kind: .inline, document: try Self.document(&random, statements: 3))]
        let grid = ProofGrid(policies: policies, sets: [[0]], actions: [], resources: ["x"])
        #expect(grid.words == 1)
        _ = ProofGrid(policies: [], sets: [[]], actions: ["a"], resources: [])
    }

    /// Literal patterns build their pieces only when asked; what is derived from the pieces is
    /// unchanged.
    @Test func lazilyBuiltPieces() {
        let texts = FastPathTests.texts(seed: 11, count: 400) + ["s3:Get*", "arn:${aws:username}*", "a?*", "*"]
        for text in texts {
            let action = ActionPattern(text)
            #expect(action.pieces == PatternText.pieces(text.lowercased(), wildcards: true, variables: false))
            #expect(action.hasQuestionMark == text.contains("?"), "\(text)")
            for substitutes in [true, false] {
                let resource = ResourcePattern(text, substitutesVariables: substitutes)
                let pieces = PatternText.pieces(text, wildcards: true, variables: substitutes)
                #expect(resource.pieces == pieces)
                #expect(resource.hasPolicyVariable == PatternText.hasVariables(pieces), "\(text)")
            }
        }
    }
}
