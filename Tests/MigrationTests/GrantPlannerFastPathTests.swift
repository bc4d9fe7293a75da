import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// ``GrantPlanner`` skips parsing ARNs that cannot be in another account, sorts only lists that
/// are not sorted, groups requirements with one look-up and compares conditions written alike
/// without their canonical text (a speed-up of `plan`); every decision and owned policy must be
/// exactly the reference's, `plan(role:requirements:inventory:fast: false)` and
/// `ownedPolicy(before:adding:fast: false)`, the code as it was.
@Suite("Grant planner's fast paths agree with the reference")
struct GrantPlannerFastPathTests {
    static let migration = RequirementDeriverTests.migration

    static func expectSameDecisions(_ inventory: Inventory, _ label: String, quota: Int = PolicySize.inlineTotalQuota) {
        let planner = GrantPlanner(migration: migration, inlineQuota: quota)
        let requirements = GrantPlannerTests.legacyRequirements(inventory)
        var random = PropertyRandom(seed: UInt64(inventory.roles.count) &+ 77)
        for role in inventory.roles {
            let given = requirements[role.arn] ?? []
            for order in [given, given.reversed(), given.shuffled(using: &random)] {
                let fast = planner.plan(role: role, requirements: order, inventory: inventory, fast: true)
                let reference = planner.plan(role: role, requirements: order, inventory: inventory, fast: false)
                #expect(fast == reference, "\(label), role \(role.name)")
                #expect(fast.ownedPolicyAfter?.canonicalText == reference.ownedPolicyAfter?.canonicalText)
                #expect(
                    planner.ungranted(role: role, requirements: order, inventory: inventory)
                        == reference.requirements.filter { $0.state != .granted }.map(\.requirement),
                    "\(label), role \(role.name), not granted")
            }
        }
    }

    /// The inventory with each role's owned policy replaced by what `decide` returns for it.
    static func applying(_ inventory: Inventory, quota: Int = PolicySize.inlineTotalQuota) -> Inventory {
        let planner = GrantPlanner(migration: migration, inlineQuota: quota)
        let requirements = GrantPlannerTests.legacyRequirements(inventory)
        var applied = inventory
        for index in applied.roles.indices {
            let role = applied.roles[index]
            guard
                let after = planner.plan(
                    role: role, requirements: requirements[role.arn] ?? [], inventory: inventory, fast: false
                ).ownedPolicyAfter
            else { continue }
            applied.roles[index].inlinePolicies.removeAll { $0.name == migration.policyName }
            applied.roles[index].inlinePolicies.append(
                InlinePolicy(name: migration.policyName, document: after, source: Provenance(path: "a", pointer: "")))
        }
        return applied
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func generatedInventoriesPlanAlike(seed: UInt64) {
        let inventory = InventoryGenerator.inventory(seed: seed)
        Self.expectSameDecisions(inventory, "seed \(seed)")
        Self.expectSameDecisions(inventory, "seed \(seed), tight quota", quota: 600)
        // A second run: the owned policies hold the first run's plain statements.
        Self.expectSameDecisions(Self.applying(inventory), "seed \(seed), applied")
    }

    @Test func theExamplesPlanAlike() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        Self.expectSameDecisions(inventory, "examples")
        Self.expectSameDecisions(Self.applying(inventory), "examples, applied")
    }

    // MARK: - The owned policy

    static let actions = ["lambda:InvokeFunction", "bedrock:RenderPrompt", "kms:Decrypt", "s3:GetObject"]
    static let resources = [
        "arn:aws:lambda:us-east-1:111122223333:function:a", "arn:aws:lambda:us-east-1:111122223333:function:b",
        "arn:aws:kms:us-east-1:111122223333:key/k1", "arn:aws:kms:us-east-1:444455556666:key/k2",
        "arn:aws:s3:::bucket/*", "arn:aws:s3:::b\u{FC}cket/x",
    ]
    /// Flow versions, `1a` among them: the version order is not transitive with it (2 < 10 < 1a < 2).
    static let versions = ["DRAFT", "1", "2", "10", "1a", "01"]
    static let sids = ["FlowroleLambda", "FlowroleKMS", "FlowroleKMS2"]

    /// Conditions: none, one `StringEquals` key (merged across groups), two keys, and objects whose
    /// keys are canonically equivalent but written apart (`é` precomposed or not).
    static func condition(_ random: inout PropertyRandom) -> JSONValue? {
        switch random.int(0...6) {
        case 0, 1: return nil
        case 2, 3:
            return Grant.stringEquals(
                "kms:EncryptionContext:aws:bedrock-flows:arn", [random.pick(["f1", "f2", "f3", "f\u{E9}"])])
        case 4: return Grant.stringEquals("aws:ResourceAccount", ["111122223333", "444455556666"])
        case 5:
            return jsonObject([
                ("StringEquals", jsonObject([("aws:ResourceAccount", "111122223333"), ("kms:ViaService", "s3")]))
            ])
        default:
            let keys = random.chance(0.5) ? ["caf\u{E9}", "cafe\u{301}x"] : ["cafe\u{301}", "caf\u{E9}x"]
            return jsonObject([("StringLike", jsonObject(keys.map { ($0, JSONValue.string("v")) }))])
        }
    }

    static func requirements(_ random: inout PropertyRandom, count: Int) -> [Requirement] {
        (0..<count).map { _ in
            Requirement(
                action: random.pick(actions), resource: random.pick(resources), flow: "flow\(random.int(0...3))",
                version: random.pick(versions), node: "n\(random.int(0...2))", roleArn: "r", sid: random.pick(sids),
                condition: condition(&random))
        }
    }

    /// A previous document: plain statements of a previous run, and statements that are nearly
    /// plain (another key, a list action, the condition's members in another order).
    static func before(_ random: inout PropertyRandom, planner: GrantPlanner) throws -> PolicyDocument? {
        switch random.int(0...3) {
        case 0: return nil
        case 1: return planner.ownedPolicy(before: nil, adding: requirements(&random, count: 6), fast: false)
        default:
            var statements: [JSONValue] = []
            for index in 0..<random.int(1...5) {
                var members: [(String, JSONValue)] = [
                    ("Sid", .string(random.pick(sids) + (random.chance(0.3) ? "InvokeFunction" : "\(index)"))),
                    ("Effect", random.chance(0.9) ? "Allow" : "Deny"),
                    ("Action", random.chance(0.8) ? .string(random.pick(actions)) : [.string(random.pick(actions))]),
                    ("Resource", .array(random.subset(resources, 0.4).map(JSONValue.string))),
                ]
                if let condition = condition(&random) {
                    // The same condition, its members reversed: canonically equal, not written alike.
                    let written = random.chance(0.5) ? condition : Self.reversed(condition)
                    members.append(("Condition", written))
                }
                if random.chance(0.1) { members.append(("NotPrincipal", "*")) }
                members.shuffle(using: &random)
                statements.append(jsonObject(members))
            }
            return try? PolicyDocument(
                json: jsonObject([("Version", "2012-10-17"), ("Statement", .array(statements))]))
        }
    }

    /// `value` with the members of every object in reverse order.
    static func reversed(_ value: JSONValue) -> JSONValue {
        guard let members = value.objectMembers else { return value }
        return .object(members.reversed().map { JSONMember($0.key, reversed($0.value)) })
    }

    @Test func generatedOwnedPoliciesAreTheReferences() throws {
        let planner = GrantPlanner(migration: Self.migration)
        var random = PropertyRandom(seed: 0x0A11_ED)
        for round in 0..<1500 {
            let before = try Self.before(&random, planner: planner)
            let adding = Self.requirements(&random, count: random.int(0...25))
            let fast = planner.ownedPolicy(before: before, adding: adding, fast: true)
            let reference = planner.ownedPolicy(before: before, adding: adding, fast: false)
            #expect(fast == reference, "round \(round)")
            #expect(fast?.canonicalText == reference?.canonicalText, "round \(round)")
        }
    }

    // MARK: - The helpers

    @Test func anAccountThatCanDifferIsNeverSkipped() {
        let texts =
            Self.resources + [
                "arn:aws:lambda:us-east-1:999999999999:function:f", "arn:aws:lambda:us-east-1:111122223333",
                "arn:aws:lambda:us-east-1:99999999999:function:f", "arn:aws:lambda:us-east-1:9999999999990:function:f",
                "arn:aws:lambda:us-east-1:99999999999\u{661}:function:f", "arn:aws:lambda:us-east-1:999999999999:",
                "arn:aws:lambda::999999999999:function:a:b:c", "arn:bogus:lambda::999999999999:f",
                "arn:aws:lambda:us-east-1:111122223333:function:f", "arn:aws:lambda:us-east-1::function:f",
                "arn:aws:s3:::999999999999", "*", "", "arn:aws:LAMBDA:x:999999999999:f", "xarn:aws:s3::999999999999:b",
                "arn:aws:lambda:us-east-1:999999999999:function:e\u{301}",
            ]
        // And texts made of ARN pieces: colons, accounts, near-accounts, non-ASCII digits.
        var random = PropertyRandom(seed: 3)
        let pieces = [
            "arn", "aws", "aws-cn", "lambda", ":", ":", ":", "111122223333", "999999999999", "99999999999", "1",
            "\u{661}", "e\u{301}", "", "function", "/", "*",
        ]
        let generated = (0..<3000).map { _ in (0..<random.int(0...12)).map { _ in random.pick(pieces) }.joined() }
        for account in ["111122223333", "999999999999", "", "11112222333\u{661}"] {
            for text in texts + generated {
                let reference = (try? ARN(parsing: text)).map { ARN.isAccountID($0.account) && $0.account != account }
                if reference == true {
                    #expect(GrantPlanner.mayBeInOtherAccount(text, account), "\(text) from \(account)")
                }
            }
        }
        #expect(!GrantPlanner.mayBeInOtherAccount("arn:aws:lambda:us-east-1:111122223333:function:f", "111122223333"))
        #expect(!GrantPlanner.mayBeInOtherAccount("arn:aws:s3:::bucket", "111122223333"))
    }

    @Test func identicalConditionsHaveTheSameCanonicalText() {
        var random = PropertyRandom(seed: 5)
        let conditions = (0..<60).map { _ in Self.condition(&random) }
        for left in conditions {
            for right in conditions where GrantPlanner.identical(left, right) {
                #expect(left?.canonicalText == right?.canonicalText)
            }
        }
        // Equal as values, written apart: their canonical texts differ, so they are not identical.
        let precomposed = jsonObject([("caf\u{E9}", "v"), ("cafe\u{301}x", "v")])
        let decomposed = jsonObject([("cafe\u{301}", "v"), ("caf\u{E9}x", "v")])
        #expect(precomposed == decomposed)
        #expect(!GrantPlanner.identical(precomposed, decomposed))
    }

    @Test func sortingSkipsOnlySortedLists() {
        var random = PropertyRandom(seed: 9)
        for _ in 0..<300 {
            let list = Self.requirements(&random, count: random.int(0...30))
            #expect(GrantPlanner.sorted(list) == list.sorted())
            let sorted = list.sorted()
            #expect(GrantPlanner.sorted(sorted) == sorted.sorted())
        }
    }

    /// Findings are a set that keeps the first of canonically equivalent ones, so the order the
    /// requirements are judged in decides which bytes a finding keeps: the fast path must judge
    /// them in the order given, as the reference does. Here `GetCustomModel` sorts before
    /// `InvokeModel`, whose resource is written with a KELVIN SIGN (`==` to `K`).
    @Test func findingsKeepTheBytesOfTheFirstRequirementGiven() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let role = try #require(inventory.roles.first { !$0.isServiceLinked })
        let requirement = { (action: String, resource: String) in
            Requirement(
                action: action, resource: resource, flow: "f", version: "DRAFT", node: "n", roleArn: role.arn,
                sid: "FlowroleBedrockModels")
        }
        let kelvin = "arn:aws:bedrock:us-east-1:444455556666:custom-model/\u{212A}X"
        let ascii = "arn:aws:bedrock:us-east-1:444455556666:custom-model/KX"
        #expect(kelvin == ascii)
        let given = [requirement("bedrock:InvokeModel", kelvin), requirement("bedrock:GetCustomModel", ascii)]
        let planner = GrantPlanner(migration: Self.migration)
        for fast in [true, false] {
            let decision = planner.plan(role: role, requirements: given, inventory: inventory, fast: fast)
            let crossAccount = decision.findings.filter { $0.code == "CROSS_ACCOUNT_RESOURCE" }
            #expect(crossAccount.count == 1, "fast: \(fast)")
            #expect(crossAccount.first?.subject.utf8.elementsEqual(kelvin.utf8) == true, "fast: \(fast)")
        }
    }
}
