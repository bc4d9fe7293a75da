import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// `TrustInvariants.violations` answers the probes with a `ContextGrid` (a speed-up for the
/// safety-invariants step of `plan`); its findings must be exactly those of the request-by-request
/// reference, `referenceViolations`, on any pair of trust policies.
@Suite("Trust invariants: grid agrees with the reference")
struct TrustInvariantsEquivalenceTests {
    typealias F = TrustFixtures

    static let accounts = [F.account, "210987654321"]
    static let flowIds = ["AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"]

    /// Principals that name, miss or include Bedrock and the probes' AWS accounts.
    static let principals: [JSONValue] = [
        "*", ["Service": "bedrock.amazonaws.com"], ["Service": ["bedrock.amazonaws.com", "lambda.amazonaws.com"]],
        ["Service": "lambda.amazonaws.com"], ["AWS": "123456789012"], ["AWS": "arn:aws:iam::123456789012:root"],
        ["AWS": "arn:aws:iam::210987654321:role/Caller"], ["AWS": "*"],
        ["Federated": "cognito-identity.amazonaws.com"],
        ["Service": "bedrock.amazonaws.com", "AWS": "arn:aws:iam::123456789012:root"],
    ]
    static let actions: [JSONValue] = [
        "sts:AssumeRole", ["sts:AssumeRole", "sts:TagSession"], "sts:*", "*", "sts:Assume?ole", "sts:SetSourceIdentity",
    ]
    static let operators = [
        "ArnLike", "ArnEquals", "StringLike", "StringEquals", "ArnNotLike", "StringNotEquals", "StringEqualsIfExists",
        "ForAnyValue:StringLike", "ForAllValues:ArnLike", "Null", "StringEqualsIgnoreCase", "NumericEquals",
        "FlowroleUnknown", "ArnLikeIfExists",
    ]
    static let keys = [
        "aws:SourceArn", "AWS:SourceArn", "aws:SourceAccount", "aws:sourceaccount", "aws:PrincipalTag/x",
    ]
    static let values = [
        "arn:aws:bedrock:us-east-1:123456789012:flow/*", "arn:aws:bedrock:*:*:flow/*",
        "arn:aws:bedrock:us-west-2:210987654321:flow/*", "arn:aws:bedrock:us-east-1:123456789012:flow/AAAAAAAAAA",
        "arn:aws:bedrock:us-east-1:123456789012:flow/AAAAAAAAAA/*", "arn:aws:bedrock:us-east-1:123456789012:flow/A*",
        "arn:aws:bedrock:us-east-1:${aws:SourceAccount}:flow/*", "arn:aws:bedrock:us-east-1:123456789012:agent/*",
        "123456789012", "210987654321", "true", "false", "*", "arn:aws:bedrock:us-east-1", "1",
    ]

    struct Generator {
        var random: SplitMix

        mutating func below(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

        mutating func statement(sid: Int) -> JSONValue {
            var members: [JSONMember] = []
            if chance(50) { members.append(JSONMember("Sid", .string("S\(sid)"))) }
            members.append(JSONMember("Effect", chance(85) ? "Allow" : "Deny"))
            members.append(JSONMember(chance(90) ? "Principal" : "NotPrincipal", pick(principals)))
            members.append(JSONMember(chance(90) ? "Action" : "NotAction", pick(actions)))
            let clauseCount = below(4)
            if clauseCount > 0 {
                var operatorMembers: [JSONMember] = []
                for _ in 0..<clauseCount {
                    let name = pick(operators)
                    guard !operatorMembers.contains(where: { $0.key == name }) else { continue }
                    let texts = (0...below(3)).map { _ in JSONValue.string(pick(values)) }
                    let value: JSONValue = texts.count == 1 && chance(50) ? texts[0] : .array(texts)
                    operatorMembers.append(JSONMember(name, .object([JSONMember(pick(keys), value)])))
                }
                members.append(JSONMember("Condition", .object(operatorMembers)))
            }
            return .object(members)
        }

        /// The statement the tightener rewrites: Bedrock, `flow/*` of one account and region.
        mutating func bedrockStatement() -> JSONValue {
            let region = pick(["us-east-1", "us-west-2", "*"])
            return [
                "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                "Condition": [
                    "StringEquals": ["aws:SourceAccount": .string(F.account)],
                    "ArnLike": ["aws:SourceArn": .string("arn:aws:bedrock:\(region):\(F.account):flow/*")],
                ],
            ]
        }

        mutating func document() -> PolicyDocument? {
            var members: [JSONMember] = []
            switch below(4) {
            case 0: break
            case 1: members.append(JSONMember("Version", "2008-10-17"))
            default: members.append(JSONMember("Version", "2012-10-17"))
            }
            var statements = (0...below(3)).map { statement(sid: $0) }
            if chance(50) { statements[0] = bedrockStatement() }
            members.append(JSONMember("Statement", .array(statements)))
            return try? PolicyDocument(json: .object(members))
        }

        mutating func flows() -> [TrustTightener.FlowUse] {
            (0..<below(4)).map { _ in
                F.flow(pick(flowIds), region: pick(["us-east-1", "us-west-2"]), account: pick(accounts))
            }
        }

        /// A changed document: the tightener's (for a role of ``F.account``), or the statements
        /// edited at random.
        mutating func after(_ before: PolicyDocument, flows: [TrustTightener.FlowUse]) -> (PolicyDocument, Bool)? {
            if chance(60) {
                var coverage = TrustTightener.Coverage()
                for account in accounts where chance(70) {
                    coverage.add(partition: "aws", account: account, region: "*", by: .flag)
                }
                let result = TrustTightener(tightenUnconditioned: chance(50)).tighten(
                    roleArn: "arn:aws:iam::123456789012:role/R", roleAccount: F.account, trust: before, flows: flows,
                    coverage: coverage)
                if let after = result.after { return (after, true) }
            }
            var statements = before.statements.map(\.json)
            switch below(4) {
            case 0 where !statements.isEmpty: statements.remove(at: below(statements.count))
            case 1 where !statements.isEmpty: statements[below(statements.count)] = statement(sid: 7)
            default: statements.append(statement(sid: 9))
            }
            var members = before.json.objectMembers ?? []
            if let index = members.firstIndex(where: { $0.key == "Statement" }) {
                members[index].value = .array(statements)
            }
            return (try? PolicyDocument(json: .object(members))).map { ($0, false) }
        }
    }

    @Test(arguments: 0..<8)
    func randomChangesGiveTheReferenceFindings(_ seed: Int) {
        var generator = Generator(random: SplitMix(seed: UInt64(seed) &* 7919 &+ 17))
        var compared = 0
        var withFindings = 0
        for _ in 0..<150 {
            guard let before = generator.document() else { continue }
            let flows = generator.flows()
            guard let (after, tightened) = generator.after(before, flows: flows) else { continue }
            let roleAccount = tightened || generator.chance(80) ? F.account : "210987654321"
            let arn = "arn:aws:iam::\(roleAccount):role/R"
            let fast = TrustInvariants.violations(
                roleArn: arn, roleAccount: roleAccount, before: before, after: after, flows: flows)
            let reference = TrustInvariants.referenceViolations(
                roleArn: arn, roleAccount: roleAccount, before: before, after: after, flows: flows)
            #expect(fast == reference, "\(before.canonicalText) → \(after.canonicalText) with \(flows.map(\.arn))")
            compared += 1
            if !reference.isEmpty { withFindings += 1 }
        }
        // The generator reaches both answers.
        #expect(compared > 120)
        #expect(withFindings > 10 && compared - withFindings > 10, "\(withFindings) of \(compared)")
    }

    @Test func realTrustPoliciesGiveTheReferenceFindings() throws {
        for roleName in TrustInvariantsTests.realRoles {
            let (arn, before) = try F.realTrust(roleName)
            let flows = [F.flow("XK7RZ2QH4M"), F.flow("9JQ2WPL0TA", account: "210987654321")]
            var generator = Generator(random: SplitMix(arn: roleName))
            for _ in 0..<40 {
                guard let (after, _) = generator.after(before, flows: flows) else { continue }
                #expect(
                    TrustInvariants.violations(
                        roleArn: arn, roleAccount: F.account, before: before, after: after, flows: flows)
                        == TrustInvariants.referenceViolations(
                            roleArn: arn, roleAccount: F.account, before: before, after: after, flows: flows))
            }
        }
    }

    /// `hasSameCanonicalText(as:)` skips writing the texts for ASCII values of different canonical
    /// lengths; on values that are equal, reordered, longer or shorter, and canonically equivalent
    /// non-ASCII spellings of different lengths, it answers as the texts do.
    @Test func canonicalTextShortcutAnswersAsTheTexts() {
        var generator = Generator(random: SplitMix(seed: 99))
        let strings: [JSONValue] = ["caf\u{E9}", "cafe\u{301}", "cafe", "caf", "\u{212B}", "\u{C5}", "A"]
        func variant(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members):
                var changed = members.map { JSONMember($0.key, variant($0.value)) }
                if generator.chance(30) { changed.reverse() }
                if generator.chance(10) { changed.append(JSONMember("Extra", generator.pick(strings))) }
                return .object(changed)
            case .array(let items):
                var changed = items.map(variant)
                if generator.chance(10), !changed.isEmpty { changed.removeLast() }
                return .array(changed)
            case .string where generator.chance(8): return generator.pick(strings)
            default: return value
            }
        }
        var different = 0
        var same = 0
        for _ in 0..<3000 {
            guard let document = generator.document() else { continue }
            let left = generator.chance(30) ? variant(document.json) : document.json
            let right = variant(generator.chance(50) ? left : document.json)
            let expected = left.canonicalText == right.canonicalText
            #expect(left.hasSameCanonicalText(as: right) == expected, "\(left) \(right)")
            if expected { same += 1 } else { different += 1 }
        }
        #expect(same > 300 && different > 300, "\(same) same, \(different) different")
        // Canonically equivalent spellings of different lengths are the same text.
        let composed: JSONValue = ["Sid": "caf\u{E9}", "Effect": "Allow"]
        let decomposed: JSONValue = ["Effect": "Allow", "Sid": "cafe\u{301}"]
        #expect(composed.canonicalText == decomposed.canonicalText)
        #expect(composed.hasSameCanonicalText(as: decomposed))
        #expect(!composed.hasSameCanonicalText(as: ["Effect": "Allow", "Sid": "cafe"]))
    }
}
