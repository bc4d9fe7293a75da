import IAMPolicy
import Testing

@testable import Migration

/// The Lambda, Lex and Prompt resolvers check printable-ASCII ARNs byte by byte (``ARNFields``)
/// instead of parsing them whole (a speed-up of `plan`): on generated ARNs, near misses and
/// non-ASCII text, each must answer what the parsed ARN's checks answer.
@Suite("Resolvers' ARN fast paths agree with the parsed ARN")
struct ResolverARNFastPathTests {
    /// ARN-like texts assembled from pieces that each check accepts or rejects: prefixes,
    /// partitions, services, regions, accounts and resources, with colons, slashes, digits,
    /// wildcards, empty parts, control and non-ASCII characters among them.
    static func texts(seed: UInt64) -> [String] {
        var random = PropertyRandom(seed: seed)
        let prefixes = ["arn", "arn", "arn", "ARN", "ar", "arnx", "", "a\u{301}rn"]
        let partitions = ["aws", "aws", "aws-cn", "aws-us-gov", "aws-iso-b", "awz", "", "AWS", "aws\u{0}"]
        let services = ["lambda", "lex", "bedrock", "s3", "", "Lambda", "lex-v2", "bedrock_", "lambda\u{301}"]
        let regions = ["us-east-1", "eu-west-1", "", "US-EAST-1", "us_east_1", "*", "cn-north-1", "é"]
        let accounts = [
            "111122223333", "111122223333", "", "aws", "11112222333", "1111222233334", "11112222333a", "١١١١٢٢٢٢٣٣٣٣",
        ]
        let resources = [
            "function:f", "function:", "function:f:live", "function:f:$LATEST", "function", "Function:f",
            "function:\r\n",
            "function:\u{301}", "bot-alias/BOT/ALIAS", "bot-alias/BOT/", "bot-alias/BOT", "bot-alias/B/A/C",
            "bot-alias//A", "bot-alias/BOT/ALIAS\u{301}", "prompt/ABC", "prompt/ABC:3", "prompt/ABC:", "prompt/:3",
            "prompt/ABC:3a", "prompt/ABC:3:4", "prompt/ABC:٣", "prompt/", "prompt/ABC:03", "prompt/A*",
            "prompt/ABC:3\u{301}", "", "*", "x:y/z",
        ]
        return (0..<60).map { _ in
            var parts = [
                random.pick(prefixes), random.pick(partitions), random.pick(services), random.pick(regions),
                random.pick(accounts), random.pick(resources),
            ]
            if random.chance(0.1) { parts.remove(at: random.int(0...5)) }
            var text = parts.joined(separator: ":")
            if random.chance(0.05) { text += ":" + random.pick(resources) }
            if random.chance(0.05) { text = " " + text }
            if random.chance(0.05) { text += "\t" }
            return text
        }
    }

    @Test(arguments: 1...200 as ClosedRange<UInt64>)
    func fastChecksAnswerAsTheParsedARN(seed: UInt64) {
        for text in Self.texts(seed: seed) {
            #expect(
                LambdaArnResolver.accepts(text, fast: true) == LambdaArnResolver.accepts(text, fast: false),
                "lambda \(text.debugDescription)")
            #expect(
                LexBotAliasResolver.accepts(text, fast: true) == LexBotAliasResolver.accepts(text, fast: false),
                "lex \(text.debugDescription)")
            #expect(
                PromptResourceResolver.target(text, fast: true) == PromptResourceResolver.target(text, fast: false),
                "prompt \(text.debugDescription)")
        }
    }

    @Test func generatedTextsReachEveryAnswer() {
        // The generator is only useful if each check both accepts and rejects some of them.
        let texts = (1...200 as ClosedRange<UInt64>).flatMap { Self.texts(seed: $0) }
        let lambda = texts.map { LambdaArnResolver.accepts($0, fast: false) }
        let lex = texts.map { LexBotAliasResolver.accepts($0, fast: false) }
        let prompt = texts.map { PromptResourceResolver.target($0, fast: false) }
        #expect(lambda.contains(true) && lambda.contains(false))
        #expect(lex.contains(true) && lex.contains(false))
        #expect(prompt.contains(.notPromptARN) && prompt.contains(.notPromptID))
        #expect(prompt.contains { if case .prompt(_, true) = $0 { return true } else { return false } })
        #expect(prompt.contains { if case .prompt(_, false) = $0 { return true } else { return false } })
    }

    @Test func fieldsOfAnARN() throws {
        let fields = try #require(ARNFields.read("arn:aws:lambda:us-east-1:111122223333:function:f:live") ?? nil)
        #expect(fields.partition == "aws" && fields.service == "lambda" && fields.region == "us-east-1")
        #expect(fields.account == "111122223333" && fields.resource == "function:f:live" && fields.hasAccountID)
        // Not an ARN, and not printable ASCII (left to the parser).
        #expect(ARNFields.read("arn:aws:lambda:us-east-1:111122223333") != nil)
        #expect((ARNFields.read("arn:aws:lambda:us-east-1:111122223333") ?? nil) == nil)
        #expect(ARNFields.read("arn:aws:lambda:us-east-1:111122223333:function:é") == nil)
    }
}
