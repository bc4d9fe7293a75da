import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Invariants 1 and 2 probe policies with index tables and a ``ProofGrid``; the probes and the
/// violations found must be exactly those of the reference (text pairs, a verdict dictionary
/// and ``PolicySet/evaluate(action:resources:assuming:)``).
@Suite("Grant invariants' fast probes agree with the reference")
struct GrantProbesTests {
    static let actions = [
        "lambda:InvokeFunction", "lambda:Invoke*", "lambda:*", "LAMBDA:invokefunction", "bedrock:RenderPrompt",
        "bedrock:GetPrompt", "bedrock:Get?rompt", "bedrock:*Prompt", "lex:RecognizeUtterance", "lex:Recognize*",
        "s3:GetObject", "*", "s3:Get*Object", "lambda:Invokeflowroleprobe",
    ]
    static let resources = [
        "arn:aws:lambda:us-east-1:111122223333:function:approve",
        "arn:aws:lambda:us-east-1:111122223333:function:approve:7",
        "arn:aws:lambda:us-east-1:111122223333:function:approve*",
        "arn:aws:lambda:us-east-1:111122223333:function:*", "arn:aws:lambda:*:111122223333:function:a?prove",
        "arn:aws:bedrock:us-east-1:111122223333:prompt/PRMT4A9X2Q",
        "arn:aws:bedrock:us-east-1:111122223333:prompt/*", "arn:aws:s3:::bucket/${aws:username}/*",
        "arn:aws:lambda:us-east-1:111122223333:function:flowrole-probe", "*",
    ]
    /// Text that is not ASCII, with canonically equivalent spellings and a `*` carrying a mark.
    static let unusual = ["caf\u{E9}:*", "cafe\u{301}:*", "x*\u{301}y", "caf\u{E9}?", "\u{C5}ngstr\u{F6}m"]

    static func list(_ random: inout PropertyRandom, _ vocabulary: [String], _ count: ClosedRange<Int>) -> JSONValue {
        let items = (0..<random.int(count)).map { _ in random.pick(vocabulary) }
        return items.count == 1 && random.chance(0.5) ? .string(items[0]) : .array(items.map(JSONValue.string))
    }

    static func statement(_ random: inout PropertyRandom, unusual: Bool, wide: Bool) -> JSONValue {
        let actions = unusual ? Self.actions + Self.unusual : Self.actions
        var resources = unusual ? Self.resources + Self.unusual : Self.resources
        if wide { resources += (0..<60).map { "arn:aws:lambda:us-east-1:111122223333:function:f\($0)" } }
        var members: [(String, JSONValue)] = [
            ("Sid", .string("S\(random.int(0...5))")), ("Effect", .string(random.chance(0.75) ? "Allow" : "Deny")),
            (random.chance(0.15) ? "NotAction" : "Action", list(&random, actions, 1...(wide ? 50 : 4))),
        ]
        if random.chance(0.92) {
            members.append(
                (random.chance(0.15) ? "NotResource" : "Resource", list(&random, resources, 1...(wide ? 50 : 4))))
        }
        if random.chance(0.15) {
            members.append(("Condition", jsonObject([("StringEquals", jsonObject([("aws:SourceAccount", "1")]))])))
        }
        return jsonObject(members)
    }

    static func document(_ statements: [JSONValue]) throws -> PolicyDocument {
        try PolicyDocument(json: jsonObject([("Version", "2012-10-17"), ("Statement", .array(statements))]))
    }

    struct Case {
        var others: [NamedPolicy]
        var before: NamedPolicy?
        var after: NamedPolicy
        var required: [(action: String, resource: String)]
        var seed: String

        var documents: [PolicyDocument] {
            others.map(\.document) + (before.map { [$0.document] } ?? []) + [after.document]
        }
    }

    /// Other policies, the owned one before and after (statements dropped, changed or added),
    /// and required pairs.
    static func generate(_ random: inout PropertyRandom, unusual: Bool) throws -> Case {
        let wide = random.chance(0.1)
        let others = try (0..<random.int(0...2)).map { index in
            NamedPolicy(
                id: "other\(index)", kind: .managed,
                document: try document(
                    (0..<random.int(1...4)).map { _ in statement(&random, unusual: unusual, wide: wide) }))
        }
        let old = (0..<random.int(0...4)).map { _ in statement(&random, unusual: unusual, wide: wide) }
        var new = old.filter { _ in random.chance(0.85) }
        new += (0..<random.int(0...3)).map { _ in statement(&random, unusual: unusual, wide: wide) }
        if new.isEmpty { new.append(statement(&random, unusual: unusual, wide: wide)) }
        let before = old.isEmpty ? nil : NamedPolicy(id: "Owned", kind: .inline, document: try document(old))
        let after = NamedPolicy(id: "Owned", kind: .inline, document: try document(new))
        let required = (0..<random.int(0...4)).map { _ in
            (action: random.pick(Self.actions), resource: random.pick(Self.resources))
        }
        return Case(
            others: others, before: before, after: after, required: required,
            seed: "arn:aws:iam::111122223333:role/R\(random.upper(6))")
    }

    @Test func probesAreTheReferenceProbes() throws {
        for seed in 0..<400 {
            var random = PropertyRandom(seed: UInt64(seed))
            let generated = try Self.generate(&random, unusual: seed % 4 == 0)
            let probes = GrantProbes(seed: generated.seed, documents: generated.documents, required: generated.required)
            let reference = GrantInvariants.referenceProbes(
                seed: generated.seed, documents: generated.documents, required: generated.required)
            // Byte for byte (`String` equality would accept canonically equivalent text).
            let got = probes.expanded.map { [Array($0.action.utf8), Array($0.resource.utf8)] }
            #expect(got == reference.map { [Array($0.action.utf8), Array($0.resource.utf8)] }, "seed \(seed)")
            #expect(probes.expanded.allSatisfy { $0.condition.isEmpty })
        }
    }

    @Test func violationsAreTheReferenceViolations() throws {
        var found = 0
        for seed in 0..<600 {
            var random = PropertyRandom(seed: UInt64(seed) &+ 10_000)
            let generated = try Self.generate(&random, unusual: seed % 5 == 0)
            let probes = GrantProbes(seed: generated.seed, documents: generated.documents, required: generated.required)
            let added = Set(probes.expanded.filter { _ in random.chance(0.3) })
            let old = PolicySet(generated.others + (generated.before.map { [$0] } ?? []))
            let new = PolicySet(generated.others + [generated.after])
            let got = GrantInvariants.evaluated(
                probes, others: generated.others, before: generated.before, after: generated.after, added: added)
            let reference = GrantInvariants.referenceEvaluated(probes.expanded, old: old, new: new, added: added)
            #expect(got.sorted() == reference.sorted(), "seed \(seed)")
            if probes.isASCII { found += got.count }
        }
        // The comparison is not vacuous: the fast path found violations of both kinds.
        #expect(found > 500)
    }

    /// A statement of `old` with one more resource: the growth invariant 1 allows the migration's
    /// own statements (when their Sid is the migration's).
    static func grown(_ statement: JSONValue, _ random: inout PropertyRandom) -> JSONValue {
        guard case .object(var members) = statement else { return statement }
        let extra = JSONValue.string(random.pick(Self.resources))
        if let index = members.firstIndex(where: { $0.key == "Resource" }) {
            members[index].value = .array((members[index].value.stringList ?? []).map(JSONValue.string) + [extra])
        } else {
            members.append(JSONMember("Resource", extra))
        }
        return .object(members)
    }

    /// The whole check of one role (structure, probes, required grants) finds exactly the
    /// reference's violations, on changes that keep, drop, change and grow statements, touch a
    /// policy the migration does not own, or start from a before document that is not the role's.
    @Test func roleViolationsAreTheReferenceViolations() throws {
        var withViolations = 0
        var kinds = Set<String>()
        for seed in 0..<500 {
            var random = PropertyRandom(seed: UInt64(seed) &+ 20_000)
            let generated = try Self.generate(&random, unusual: seed % 5 == 0)
            let source = Provenance(path: "t", pointer: "")
            var role = Role(
                arn: generated.seed, partition: "aws", account: "111122223333", path: "/", name: "R", sources: [])
            role.inlinePolicies = generated.others.map {
                InlinePolicy(name: $0.id, document: $0.document, source: source)
            }
            if let before = generated.before {
                role.inlinePolicies.insert(
                    InlinePolicy(name: "Owned", document: before.document, source: source),
                    at: random.int(0...role.inlinePolicies.count))
            }
            var newStatements = generated.after.document.json["Statement"]?.arrayValue ?? []
            for statement in generated.before?.document.json["Statement"]?.arrayValue ?? [] where random.chance(0.3) {
                newStatements.append(Self.grown(statement, &random))
            }
            let after = jsonObject([("Version", "2012-10-17"), ("Statement", .array(newStatements))])
            let planned: JSONValue? =
                random.chance(0.92) ? generated.before?.document.json : (random.chance(0.5) ? after : nil)
            var changes = [
                Change(
                    kind: .putRolePolicy, policyName: "Owned", before: planned,
                    after: random.chance(0.03) ? jsonObject([("Statement", "x")]) : after)
            ]
            if random.chance(0.1) {
                changes.insert(
                    Change(kind: .putRolePolicy, policyName: "other0", before: nil, after: after),
                    at: random.int(0...1))
            }
            let requirements = generated.required.map { pair in
                PlannedRequirement(
                    requirement: Requirement(
                        action: pair.action, resource: pair.resource, flow: "f", version: "1", node: "n",
                        roleArn: generated.seed, sid: "S\(random.int(0...5))",
                        condition: random.chance(0.1)
                            ? jsonObject([("StringEquals", jsonObject([("aws:SourceAccount", "1")]))]) : nil),
                    state: random.chance(0.75) ? .add : .granted)
            }
            let ownedSids: Set<String> = ["S0", "S1", "S2"]
            let inventory = Inventory(roles: [role])
            let got = GrantInvariants.violations(
                role: role, changes: changes, requirements: requirements, ownedPolicyName: "Owned",
                ownedSids: ownedSids, inventory: inventory)
            let reference = GrantInvariants.referenceViolations(
                role: role, changes: changes, requirements: requirements, ownedPolicyName: "Owned",
                ownedSids: ownedSids, inventory: inventory)
            #expect(got == reference, "seed \(seed)")
            if !reference.isEmpty { withViolations += 1 }
            for violation in reference {
                for kind in [
                    "does not own", "is not the role's", "not a valid policy", "dropped or changed",
                    "no longer is", "newly allowed", "which no flow requires",
                ]
                where violation.contains(kind) {
                    kinds.insert(kind)
                }
            }
        }
        // Not vacuous: most roles break some invariant, every kind of violation appears.
        #expect(withViolations > 250)
        #expect(kinds.count == 7, "\(kinds)")
    }
}
