import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// ``RequirementDeriver`` deduplicates requirements by sorting instead of hashing them, and the
/// resolvers grant a parsed ARN's text as found instead of rebuilding it (speed-ups of `plan`):
/// the requirements must be what the set and the rebuilt text gave.
@Suite("Requirement deriver's fast paths agree with the reference")
struct RequirementDeriverFastPathTests {
    static let migration = RequirementDeriverTests.migration

    /// Requirements drawn from small pools, so that many repeat and some tie under `<` while
    /// unequal (same action, resource, flow, version, node and condition; another role or Sid).
    static func requirements(seed: UInt64) -> [Requirement] {
        var random = PropertyRandom(seed: seed)
        let conditions: [JSONValue?] = [
            nil, Grant.stringEquals("aws:ResourceAccount", ["111122223333"]),
            Grant.stringEquals("aws:ResourceAccount", ["444455556666"]),
            Grant.stringEquals("kms:EncryptionContext:aws:bedrock-flows:arn", ["arn:aws:bedrock:us-east-1:1:flow/A"]),
        ]
        return (0..<random.int(0...40)).map { _ in
            Requirement(
                action: random.pick(["lambda:InvokeFunction", "bedrock:InvokeModel", "s3:GetObject"]),
                resource: random.pick(["arn:aws:lambda:us-east-1:111122223333:function:f", "arn:aws:s3:::b/*", "r"]),
                flow: random.pick(["arn:aws:bedrock:us-east-1:111122223333:flow/AAAAAAAAAA", "f2"]),
                version: random.pick(["DRAFT", "1", "2", "10"]), node: random.pick(["A", "B", "Loop/A"]),
                roleArn: random.pick(["arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/s"]),
                sid: random.pick(["Sid1", "Sid2"]), condition: random.pick(conditions))
        }
    }

    @Test(arguments: 1...300 as ClosedRange<UInt64>)
    func sortedUniqueIsTheSetSorted(seed: UInt64) {
        let given = Self.requirements(seed: seed)
        let fast = RequirementDeriver.sortedUnique(given)
        let reference = Array(Set(given)).sorted()
        #expect(Set(fast) == Set(given), "seed \(seed)")
        #expect(fast.count == reference.count, "seed \(seed): duplicates left or lost")
        #expect(zip(fast, fast.dropFirst()).allSatisfy { !($0.1 < $0.0) }, "seed \(seed): not sorted")
        // The set's order among unequal requirements that `<` does not order is its hash order;
        // anywhere else the two must be the same list.
        if zip(reference, reference.dropFirst()).allSatisfy({ $0.0 < $0.1 }) {
            #expect(fast == reference, "seed \(seed)")
        }
    }

    @Test func sortedUniqueOfTheSameRequirementsInAnyOrder() {
        let given = Self.requirements(seed: 7)
        var random = PropertyRandom(seed: 8)
        let sorted = RequirementDeriver.sortedUnique(given)
        for _ in 0..<20 {
            #expect(Set(RequirementDeriver.sortedUnique(given.shuffled(using: &random))) == Set(sorted))
        }
        #expect(RequirementDeriver.sortedUnique([]) == [])
        #expect(RequirementDeriver.sortedUnique([given[0], given[0]]) == [given[0]])
    }

    /// The derived requirements of generated flows are sorted and distinct (what sorting a set
    /// gives), on every version's role.
    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func derivedRequirementsAreTheSetSorted(seed: UInt64) {
        let inventory = InventoryGenerator.inventory(seed: seed)
        let deriver = RequirementDeriver(migration: Self.migration)
        for flow in inventory.flows {
            let derived = deriver.derive(flow).requirements
            #expect(Set(derived).count == derived.count, "seed \(seed), \(flow.arn)")
            #expect(zip(derived, derived.dropFirst()).allSatisfy { !($0.1 < $0.0) }, "seed \(seed), \(flow.arn)")
        }
    }

    /// Texts near ARNs: every one that parses rebuilds to the same bytes, so granting the text as
    /// found is granting `ARN.text`.
    @Test func parsedArnTextIsTheTextAsFound() {
        let partitions = ["aws", "aws-cn", "aws-us-gov", "aws-iso-b", "AWS", "", "a\u{301}ws"]
        let services = ["lambda", "lex", "bedrock", "kms", "s3", "", "La"]
        let regions = ["us-east-1", "", "eu-west-1", "us-east-1\u{301}"]
        let accounts = ["111122223333", "", "aws", "1111222233334", "11112222333\u{0663}"]
        let resources = [
            "function:f", "function:f:live", "bot-alias/AB/CD", "prompt/P:3", "key/k", "b", "", ":",
            "flow/A\u{301}", "x\r\ny", "é/e\u{301}",
        ]
        var random = PropertyRandom(seed: 99)
        var parsed = 0
        for _ in 0..<4000 {
            let text = [
                "arn", random.pick(partitions), random.pick(services), random.pick(regions), random.pick(accounts),
                random.pick(resources),
            ].joined(separator: random.chance(0.05) ? ":\u{301}" : ":")
            guard let arn = try? ARN(parsing: text) else { continue }
            parsed += 1
            #expect(arn.text.utf8.elementsEqual(text.utf8), "\(text)")
        }
        #expect(parsed > 100)
    }

    /// A Lex alias whose second slash carries a combining mark is not `bot-alias/BOT/ALIAS`, as
    /// the split by Characters said.
    @Test func lexAliasSlashesAreCharacters() {
        func resolve(_ arn: String) -> Resolution {
            LexBotAliasResolver().resolve(
                FlowNode(
                    name: "L", type: "Lex", configuration: ["botAliasArn": .string(arn)], configurationKind: "lex",
                    children: [], path: "L"))
        }
        let good = "arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ/TSTALIASID"
        #expect(resolve(good) == .grants([Grant(action: "lex:RecognizeUtterance", resource: good)]))
        for bad in [
            "arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ/\u{301}TSTALIASID",
            "arn:aws:lex:us-east-1:111122223333:bot-alias/ABCDEFGHIJ",
            "arn:aws:lex:us-east-1:111122223333:bot-alias/A/B/C",
            "arn:aws:lex:us-east-1:111122223333:bot-alias/A/B/",
        ] {
            guard case .invalid = resolve(bad) else {
                Issue.record("\(bad) should be invalid")
                continue
            }
        }
    }
}
