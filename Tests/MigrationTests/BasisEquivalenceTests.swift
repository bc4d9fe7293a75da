import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// `Planner.basis` writes the canonical bytes in canonical order without building the tree;
/// its digest must be exactly that of `Planner.referenceBasis`, which builds the tree and
/// canonicalises it, whatever the names (escapes, non-ASCII, canonically equivalent spellings,
/// duplicates), whichever parts are unknown, however deep the Loop nodes.
@Suite("Role basis: the direct writer agrees with the reference")
struct BasisEquivalenceTests {
    /// Names that sort, escape or compare unusually: prefixes of each other, quotes, backslashes,
    /// control characters, `/`, non-ASCII, canonically equivalent spellings, a Kelvin sign, an
    /// emoji, the empty string, and the keys `referenceBasis` itself uses.
    static let names = [
        "a", "ab", "B", "b", "policy", "Policy", "policy-1", "quote\"d", "back\\slash", "new\nline", "tab\t",
        "bell\u{7}", "nul\u{0}", "del\u{7F}", "slash/ed", "caf\u{E9}", "cafe\u{301}", "\u{212A}ey", "Key", "\u{1F600}",
        "\u{5BB9}\u{5668}", "", " ", "~", "arn:aws:iam::111122223333:policy/p",
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "name", "type", "nodes", "configuration", "trust", "inline", "inlineNames", "flows", "arn", "version",
        String(repeating: "long-name-", count: 12),
    ]

    static func name(_ random: inout PropertyRandom) -> String {
        random.chance(0.2) ? random.pick(names) + random.pick(names) : random.pick(names)
    }

    /// Any JSON value, objects with keys out of order and, sometimes, repeated.
    static func value(_ random: inout PropertyRandom, depth: Int) -> JSONValue {
        switch random.int(depth > 2 ? 0...3 : 0...5) {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .number(random.pick(["0", "-1", "1.50", "2e3", "3600"]))
        case 3: return .string(name(&random))
        case 4: return .array((0..<random.int(0...3)).map { _ in value(&random, depth: depth + 1) })
        default:
            return .object(
                (0..<random.int(0...5)).map { _ in JSONMember(name(&random), value(&random, depth: depth + 1)) })
        }
    }

    static func document(_ random: inout PropertyRandom) throws -> PolicyDocument {
        let statements: [JSONValue] = (0..<random.int(1...3)).map { _ in
            var members: [(String, JSONValue)] = [
                ("Effect", .string(random.chance(0.8) ? "Allow" : "Deny")),
                ("Action", .array((0..<random.int(1...3)).map { _ in .string("s3:" + name(&random)) })),
                ("Resource", .string(name(&random))),
            ]
            if random.chance(0.5) { members.insert(("Sid", .string(name(&random))), at: random.int(0...3)) }
            return jsonObject(members)
        }
        var members: [(String, JSONValue)] = [("Statement", .array(statements))]
        if random.chance(0.8) { members.insert(("Version", "2012-10-17"), at: random.int(0...1)) }
        if random.chance(0.3) { members.append(("Id", .string(name(&random)))) }
        return try PolicyDocument(json: jsonObject(members))
    }

    static let source = Provenance(path: "generated.json", pointer: "")

    static func nodes(_ random: inout PropertyRandom, depth: Int) -> [FlowNode] {
        (0..<random.int(0...(depth == 0 ? 4 : 2))).map { _ in
            let loop = depth < 3 && random.chance(0.3)
            let nodeName = name(&random)
            return FlowNode(
                name: nodeName, type: loop ? "Loop" : random.pick(["Input", "Prompt", "LambdaFunction", nodeName]),
                configuration: random.chance(0.2) ? nil : value(&random, depth: 0),
                configurationKind: random.chance(0.5) ? "lambdaFunction" : nil,
                children: loop ? nodes(&random, depth: depth + 1) : [], path: nodeName)
        }
    }

    static func timestamp(_ random: inout PropertyRandom) throws -> Timestamp {
        let text = PropertyDates.text(
            epoch: random.int(0...2_000_000_000), offsetMinutes: random.pick([0, 0, 330, -480]),
            fraction: random.pick(["", ".5", ".120", ".000000001"]), zulu: random.chance(0.5), space: false)
        return try Timestamp(parsing: text)
    }

    static func flow(_ random: inout PropertyRandom, index: Int) throws -> Flow {
        var flow = Flow(
            arn: "arn:aws:bedrock:us-east-1:111122223333:flow/F\(index)" + (random.chance(0.2) ? name(&random) : ""),
            id: "F\(index)", name: name(&random), partition: "aws", region: "us-east-1", account: "111122223333",
            createdAt: try timestamp(&random), executionRoleArn: "arn:aws:iam::111122223333:role/" + name(&random),
            definition: FlowDefinition(nodes: nodes(&random, depth: 0)), sources: [source])
        flow.versions = try (0..<random.int(0...3)).map { number in
            let createdAt = try random.chance(0.5) ? timestamp(&random) : nil
            return FlowVersion(
                version: random.chance(0.9) ? String(number + 1) : name(&random),
                executionRoleArn: "arn:aws:iam::111122223333:role/" + name(&random),
                createdAt: createdAt, status: nil,
                customerEncryptionKeyArn: nil, definition: FlowDefinition(nodes: nodes(&random, depth: 0)),
                source: source)
        }
        return flow
    }

    struct Case {
        var role: Role
        var flows: [Flow]
        var inventory: Inventory
    }

    static func generate(_ random: inout PropertyRandom) throws -> Case {
        // Managed policies: some without a default version, some ARNs only attached (unknown).
        var arns: [String] = []
        for _ in 0..<random.int(0...4) { arns.append("arn:aws:iam::111122223333:policy/" + name(&random)) }
        var managed: [ManagedPolicy] = []
        for arn in arns where random.chance(0.7) {
            var policy = ManagedPolicy(arn: arn, sources: [source])
            policy.versions = try (1...random.int(1...2)).map { number in
                ManagedPolicyVersion(
                    versionId: "v\(number)", document: try document(&random), isDefaultVersion: random.chance(0.6),
                    createDate: nil, source: source)
            }
            if random.chance(0.5) { policy.defaultVersionId = random.pick(["v1", "v2", "v3"]) }
            managed.append(policy)
        }
        let attachable = arns + [name(&random)]

        var role = Role(
            arn: "arn:aws:iam::111122223333:role/R", partition: "aws", account: "111122223333", path: "/",
            name: "R", sources: [source])
        if random.chance(0.8) { role.trustPolicy = try document(&random) }
        role.inlinePolicies = try (0..<random.int(0...4)).map { _ in
            InlinePolicy(name: name(&random), document: try document(&random), source: source)
        }
        if random.chance(0.2), let first = role.inlinePolicies.first {
            // The same name twice, as two inputs can list it.
            role.inlinePolicies.append(InlinePolicy(name: first.name, document: try document(&random), source: source))
        }
        if random.chance(0.7) {
            role.inlinePolicyNames =
                role.inlinePolicies.map(\.name) + (0..<random.int(0...2)).map { _ in name(&random) }
        }
        if random.chance(0.7) {
            role.attachedPolicies = (0..<random.int(0...4)).map { _ in
                let arn = random.pick(attachable)
                return AttachedPolicy(name: name(&random), arn: arn)
            }
        }
        if random.chance(0.4) { role.permissionsBoundaryArn = random.pick(attachable) }
        if random.chance(0.7) {
            role.tags = (0..<random.int(0...5)).map { _ in Tag(key: name(&random), value: name(&random)) }
        }
        let flows = try (0..<random.int(0...3)).map { try flow(&random, index: $0) }
        return Case(
            role: role, flows: flows, inventory: Inventory(roles: [role], managedPolicies: managed, flows: flows))
    }

    @Test func generatedRolesAndFlows() throws {
        for seed in UInt64(1)...3000 {
            var random = PropertyRandom(seed: seed)
            let generated = try Self.generate(&random)
            let fast = Planner.basis(role: generated.role, flows: generated.flows, inventory: generated.inventory)
            let reference = Planner.referenceBasis(
                role: generated.role, flows: generated.flows, inventory: generated.inventory)
            #expect(fast == reference, "seed \(seed)")
            if fast != reference { return }
        }
    }

    /// The example account: every role with no flows, with all flows and with each flow alone.
    @Test func theExampleAccount() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let flows = inventory.flows.sorted { $0.arn < $1.arn }
        for role in inventory.roles {
            for used in [[], flows] + flows.map({ [$0] }) {
                #expect(
                    Planner.basis(role: role, flows: used, inventory: inventory)
                        == Planner.referenceBasis(role: role, flows: used, inventory: inventory), "\(role.arn)")
            }
        }
    }
}
