import IAMPolicy
import Testing

@testable import Migration

/// The probe contexts are made with byte-wise shortcuts for ASCII text (a speed-up for the trust
/// invariants of `plan`); they must be exactly those of the character-wise definitions.
@Suite("Trust probes")
struct TrustProbesTests {
    typealias F = TrustFixtures

    /// Texts with colons, digits, wildcards, non-ASCII and combining marks (`:` or `*` followed
    /// by U+0301 is one character, so neither a separator nor a wildcard character-wise).
    static func texts(seed: UInt64, count: Int) -> [String] {
        let pieces = [
            ":", ":", "arn", "aws", "123456789012", "12345678901", "1234567890123", "*", "?", "\u{301}", "é", "🙂",
            "flow/", "x", "\r\n", "",
        ]
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<count).map { _ in (0..<Int(next() % 12)).map { _ in pieces[Int(next() % 16)] }.joined() } + [
            "arn:aws:bedrock:us-east-1:123456789012:flow/A", "arn:aws:bedrock:us-east-1:123456789012",
            "arn:aws:bedrock:us-east-1:123456789012:", "arn:aws:bedrock:us-east-1:12345678901x:flow/A",
            "arn:aws:bedrock:us-east-1:123456789012:\u{301}flow", "arn:aws:bedrock:us-east-1:123456789012:flow/é",
            "arn:aws:bedrock:é:123456789012:flow/A", "arn:aws:bedrock:us-east-1:*:flow/*",
        ]
    }

    @Test func accountOfAnArn() {
        for text in Self.texts(seed: 21, count: 3000) {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            let expected = parts.count == 6 && ARN.isAccountID(String(parts[4])) ? String(parts[4]) : nil
            #expect(TrustProbes.account(of: text) == expected, "\(text.unicodeScalars.map(\.value))")
        }
    }

    /// `account(of:is:)` compares bytes in place for ASCII text: the same answers as comparing
    /// `account(of:)` as a `String`, for accounts that are, are not, or only look like the ARN's.
    @Test func accountOfAnArnIsAnAccount() {
        let texts = Self.texts(seed: 29, count: 2000)
        let accounts = ["123456789012", "210987654321", "12345678901", "", "１２３４５６７８９０１２"] + texts.prefix(40)
        for text in texts {
            for account in accounts {
                #expect(
                    TrustProbes.account(of: text, is: account) == (TrustProbes.account(of: text) == account),
                    "\(text.unicodeScalars.map(\.value)) \(account)")
            }
        }
    }

    @Test func partitionOfAnArn() {
        for text in Self.texts(seed: 23, count: 3000) {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            let expected = parts.count == 6 ? String(parts[1]) : "aws"
            #expect(
                TrustProbes.partition(of: text).utf8.elementsEqual(expected.utf8), "\(text.unicodeScalars.map(\.value))"
            )
        }
    }

    @Test func replacingWildcards() {
        for text in Self.texts(seed: 22, count: 3000) {
            var expected = ""
            for character in text {
                switch character {
                case "*": expected += "FLOWROLEPROBE"
                case "?": expected += "Q"
                default: expected.append(character)
                }
            }
            #expect(text.replacingWildcards.utf8.elementsEqual(expected.utf8), "\(text.unicodeScalars.map(\.value))")
        }
    }

    /// The contexts, in order: every (principal, action) accepted, every source ARN, and for each
    /// the key sets without and with `aws:SourceAccount` (the role's account, then the ARN's own).
    @Test func contextsInOrder() throws {
        let trust = try F.document(
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
             "Principal": {"Service": "bedrock.amazonaws.com", "AWS": "arn:aws:iam::210987654321:root"},
             "Action": ["sts:AssumeRole", "sts:TagSession"],
             "Condition": {"ArnLike": {"aws:SourceArn": [
               "arn:aws:bedrock:*:210987654321:flow/*", "arn:aws:bedrock:us-west-2:*:agent/?"]}}}]}
            """)
        let probes = TrustProbes(
            roleArn: "arn:aws:iam::\(F.account):role/R", roleAccount: F.account, documents: [trust],
            flows: [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB", region: "eu-west-1", account: "210987654321")])
        var expected: [RequestContext] = []
        let include = { (principal: RequestPrincipal, action: String) in
            principal != .anonymous && action != "sts:SetSourceIdentity"
        }
        for principal in probes.principals {
            for action in probes.actions where include(principal, action) {
                for sourceArn in probes.sourceArns {
                    let base: ContextKeys = sourceArn.map { ["aws:SourceArn": [$0]] } ?? [:]
                    var accounts = [F.account]
                    if let own = sourceArn.flatMap(TrustProbes.account(of:)), own != F.account { accounts.append(own) }
                    for keys in [base] + accounts.map({ base.setting("aws:SourceAccount", to: [$0]) }) {
                        expected.append(RequestContext(principal: principal, action: action, keys: keys))
                    }
                }
            }
        }
        var got: [RequestContext] = []
        probes.forEachContext(where: include) { got.append($0) }
        #expect(got == expected)
        #expect(expected.contains { $0.keys["aws:SourceAccount"] == ["210987654321"] })
        #expect(got.count > 100)
    }
}
