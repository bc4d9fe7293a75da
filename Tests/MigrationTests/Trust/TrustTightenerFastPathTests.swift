import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// The trust tightener cuts ASCII `aws:SourceArn` values at colon bytes, keeps the role's flows
/// without a dictionary, and tells a rewritten document from the original by size when both are
/// ASCII (speed-ups of `plan`): each must answer exactly as its reference, the code as it was.
@Suite("Trust tightener's fast paths agree with the reference")
struct TrustTightenerFastPathTests {
    typealias F = TrustFixtures

    /// Pieces of values as trust policies hold them, and the texts that make cutting by bytes and
    /// by Characters differ: a colon followed by a combining mark, CR LF, non-ASCII.
    static let pieces = [
        "arn", "aws", "bedrock", "us-east-1", "*", "123456789012", "flow/*", "flow/AAAAAAAAAA", "", ":", "\r\n", "\r",
        "\u{301}", ":\u{301}", "é", "e\u{301}", "flow/A\u{301}", "agent/X", "/", "?",
    ]

    @Test func colonPartsCutAsTheCharacterSplit() {
        var random = PropertyRandom(seed: 5)
        for _ in 0..<5000 {
            let count = random.int(0...9)
            let text = (0..<count).map { _ in random.pick(Self.pieces) }.joined(
                separator: random.chance(0.7) ? ":" : "")
            let fast = SourceArnValue.colonParts(text)
            let reference = SourceArnValue.colonPartsByCharacters(text)
            #expect(fast.count == reference.count, "\(text.debugDescription)")
            #expect(
                zip(fast, reference).allSatisfy { $0.0.utf8.elementsEqual($0.1.utf8) }, "\(text.debugDescription)")
        }
    }

    static func flows(seed: UInt64) -> [TrustTightener.FlowUse] {
        var random = PropertyRandom(seed: seed)
        return (0..<random.int(0...8)).map { _ in
            let id = random.pick(["AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"])
            let region = random.pick(["us-east-1", "eu-west-1"])
            let account = random.pick([F.account, "210987654321"])
            let partition = random.pick(["aws", "aws", "aws-cn"])
            let built = "arn:\(partition):bedrock:\(region):\(account):flow/\(id)"
            // Mostly the ARN as built; sometimes another text for the same flow (as a
            // hand-made FlowUse may hold), so that equal flow ARNs keep the least `arn`.
            let arn = random.pick([built, built, built, built + "x", "a" + built, "", built.uppercased()])
            return TrustTightener.FlowUse(arn: arn, partition: partition, region: region, account: account, id: id)
        }
    }

    @Test(arguments: 1...300 as ClosedRange<UInt64>)
    func uniqueSortedIsTheDictionarySorted(seed: UInt64) {
        let given = Self.flows(seed: seed)
        let (fast, flowArns) = TrustTighteningRun.uniqueSorted(given)
        let reference = TrustTighteningRun.uniqueSortedReference(given)
        #expect(fast == reference, "seed \(seed)")
        #expect(flowArns == reference.map(\.flowArn), "seed \(seed)")
    }

    /// Documents near a trust policy: the same, one value or key changed (same size or not),
    /// members reordered, non-ASCII strings written composed or decomposed.
    static func documentPair(seed: UInt64) -> (JSONValue, JSONValue) {
        var random = PropertyRandom(seed: seed)
        let values = [
            "arn:aws:bedrock:us-east-1:123456789012:flow/*", "arn:aws:bedrock:us-east-1:123456789012:flow/AAAAAAAAAA",
            "arn:aws:bedrock:us-east-1:123456789012:flow/BBBBBBBBBB", "caf\u{E9}", "cafe\u{301}", "x\"y", "x\u{1}y",
            "flow/*", "flow/**",
        ]
        func statement() -> JSONValue {
            var members: [JSONMember] = [
                JSONMember("Effect", "Allow"), JSONMember("Principal", ["Service": "bedrock.amazonaws.com"]),
                JSONMember("Action", random.chance(0.5) ? "sts:AssumeRole" : ["sts:AssumeRole", "sts:TagSession"]),
            ]
            if random.chance(0.5) {
                members.insert(JSONMember("Sid", .string(random.pick(["A", "B", "\u{C5}"]))), at: 0)
            }
            let count = random.int(1...3)
            let list = (0..<count).map { _ in JSONValue.string(random.pick(values)) }
            members.append(
                JSONMember(
                    "Condition",
                    .object([
                        JSONMember(
                            random.pick(["ArnLike", "StringLike"]),
                            .object([JSONMember("aws:SourceArn", count == 1 ? list[0] : .array(list))]))
                    ])))
            if random.chance(0.2) { members.append(JSONMember("Number", .number(random.pick(["1", "1.0", "10"])))) }
            return .object(members)
        }
        func document(_ statements: [JSONValue]) -> JSONValue {
            .object([
                JSONMember("Version", "2012-10-17"),
                JSONMember(
                    "Statement", statements.count == 1 && random.chance(0.3) ? statements[0] : .array(statements)),
            ])
        }
        let statements = (0..<random.int(1...3)).map { _ in statement() }
        let old = document(statements)
        var changed = statements
        switch random.int(0...4) {
        case 0: break
        case 1: changed[0] = statement()
        case 2: changed.append(statement())
        case 3:
            if case .object(let members) = changed[0] { changed[0] = .object(members.reversed()) }
        default:
            // The same text with composed and decomposed accents swapped.
            func swap(_ value: JSONValue) -> JSONValue {
                switch value {
                case .string("caf\u{E9}"): return .string("cafe\u{301}")
                case .string("cafe\u{301}"): return .string("caf\u{E9}")
                case .array(let items): return .array(items.map(swap))
                case .object(let members): return .object(members.map { JSONMember($0.key, swap($0.value)) })
                default: return value
                }
            }
            changed = changed.map(swap)
        }
        return (old, document(changed))
    }

    @Test(arguments: 1...500 as ClosedRange<UInt64>)
    func sameCanonicalTextAsTheGeneralTest(seed: UInt64) {
        let (old, new) = Self.documentPair(seed: seed)
        // The comparison shortcuts ASCII documents of different canonical lengths: it must answer
        // as the canonical texts do.
        #expect(new.hasSameCanonicalText(as: old) == (new.canonicalText == old.canonicalText), "seed \(seed)")
        #expect(old.hasSameCanonicalText(as: new) == (old.canonicalText == new.canonicalText), "seed \(seed)")
    }

    @Test func asciiIsEveryNameStringAndNumber() {
        #expect((["a": ["b", .number("1"), true, nil]] as JSONValue).isASCII)
        #expect(!(["a": ["b", "\u{E9}"]] as JSONValue).isASCII)
        #expect(!(["\u{E9}": "b"] as JSONValue).isASCII)
        #expect(!JSONValue.number("1\u{663}").isASCII)
    }
}
