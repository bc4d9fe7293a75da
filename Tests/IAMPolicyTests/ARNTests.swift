import Testing

@testable import IAMPolicy

@Suite("ARN")
struct ARNTests {
    @Test("Parts are cut at colon bytes, as the standard library's byte split cuts them")
    func partsAreCutAtColonBytes() {
        let samples = [
            "arn:aws:s3:::bucket", "arn:aws:lambda:us-east-1:123456789012:function:name:7", "", ":", "::::::",
            "arn", "arn:aws", "arn:aws:iam::aws:policy/x", "arn:aws:s3:::\u{301}bucket", "arn:\u{301}aws:s3:::b",
            "arn:aws:bedrock:us-east-1:123456789012:flow/ABC:\u{301}x", "é:ü:😀:a:b:c:d", "a:b:c:d:e:f:g:h",
        ]
        for text in samples {
            let reference = text.utf8.split(
                separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false
            )
            .map { String(Substring($0)) }
            let parts = ARN.parts(of: text)
            #expect(parts.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "\(text)")
        }
        // A combining mark after the fifth colon belongs to the resource, not to the account.
        #expect((try? ARN(parsing: "arn:aws:s3:::\u{301}bucket"))?.resource.utf8.count == "\u{301}bucket".utf8.count)
    }

    @Test("The resource part keeps its colons and slashes (IAM-SEMANTICS §6)")
    func resourceWithColonsAndSlashes() throws {
        let lambda = try ARN(parsing: "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer:7")
        #expect(lambda.partition == .aws)
        #expect(lambda.service == "lambda")
        #expect(lambda.region == "us-east-1")
        #expect(lambda.account == "123456789012")
        #expect(lambda.resource == "function:invoice-normalizer:7")
        #expect(lambda.resourceType == "function")
        #expect(lambda.text == "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer:7")

        let lex = try ARN(parsing: "arn:aws-cn:lex:cn-north-1:123456789012:bot-alias/LEXBOT0001/OPSALIAS01")
        #expect(lex.partition == .awsCN)
        #expect(lex.resource == "bot-alias/LEXBOT0001/OPSALIAS01")
        #expect(lex.resourceType == "bot-alias")

        let prompt = try ARN(parsing: "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:prompt/PRMT4A9X2Q:3")
        #expect(prompt.resource == "prompt/PRMT4A9X2Q:3")
        #expect(prompt.resourceType == "prompt")
    }

    @Test("Empty region and account, and the aws account of managed policies")
    func emptyParts() throws {
        let model = try ARN(
            parsing: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
        #expect(model.account == "")
        #expect(model.resource == "foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
        let managed = try ARN(parsing: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        #expect(managed.region == "" && managed.account == "aws")
        #expect(
            try ARN(parsing: "arn:aws:s3:::acme-flow-docs-123456789012").resourceType == "acme-flow-docs-123456789012")
    }

    @Test("Every partition botocore knows parses", arguments: Partition.known)
    func knownPartitions(partition: Partition) throws {
        #expect(try ARN(parsing: "arn:\(partition.rawValue):bedrock:r-1:123456789012:flow/F").partition == partition)
    }

    @Test(
        "Invalid ARNs throw a sentence naming the fault",
        arguments: [
            ("arn:aws:lambda:us-east-1:123456789012", "is not an ARN"),
            ("aws:lambda:us-east-1:123456789012:function:f:x", "is not an ARN"),
            ("arn:aws-moon:lambda:us-east-1:123456789012:function:f", "unknown partition \"aws-moon\""),
            ("arn:aws::us-east-1:123456789012:function:f", "invalid service"),
            ("arn:aws:Lambda:us-east-1:123456789012:function:f", "invalid service"),
            ("arn:aws:lambda:US_EAST:123456789012:function:f", "invalid region"),
            ("arn:aws:lambda:us-east-1:12345:function:f", "invalid account"),
            ("arn:aws:lambda:us-east-1:123456789012:", "no resource"),
        ])
    func invalid(text: String, fragment: String) {
        #expect {
            try ARN(parsing: text)
        } throws: { error in
            guard let error = error as? ARNError else { return false }
            return error.text == text && error.message.contains(fragment) && error.message.hasSuffix(".")
        }
    }

    @Test func accountIDBytesAreTheFieldParsingGives() {
        func field(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { bytes in
                ARN.accountIDBytes(in: bytes).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        for text in [
            "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:iam::123456789012:role/a:b",
            "arn:aws-cn:s3:::bucket", "arn:aws:iam::aws:policy/X", "arn:aws:bedrock:us-east-1:12345678901:flow/A",
            "arn:aws:bedrock:us-east-1:1234567890123:flow/A", "arn:aws:bedrock:us-east-1:12345678901x:flow/A",
            "arn:aws:bedrock:us-east-1:123456789012", "arn:aws:bedrock", "",
        ] {
            let parsed = try? ARN(parsing: text)
            let expected = parsed.flatMap { ARN.isAccountID($0.account) ? $0.account : nil }
            // Text that does not parse may still have an account field; it must then be 12 digits.
            if parsed != nil || text.split(separator: ":", omittingEmptySubsequences: false).count < 6 {
                #expect(field(text) == expected, "\(text)")
            }
        }
        #expect(field("arn:aws:bedrock:us-east-1:123456789012:flow/A") == "123456789012")
    }
}
