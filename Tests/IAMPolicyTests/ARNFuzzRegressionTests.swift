import IAMPolicy
import Testing

/// Inputs the fuzzers (fuzz/targets/arn.swift) found, kept as tests through the public API.
@Suite("ARN fuzz regressions")
struct ARNFuzzRegressionTests {
    /// fuzz/arn: a combining mark (U+0301) right after a colon makes one grapheme cluster with it,
    /// and splitting by Characters did not see that colon: a valid ARN whose resource starts with
    /// the mark was rejected as "not an ARN", and one with the mark after another colon was split
    /// at the wrong places.
    @Test func aCombiningMarkAfterAColonDoesNotHideTheColon() throws {
        let arn = try ARN(parsing: "arn:aws:s3:::\u{301}bucket")
        #expect(arn.service == "s3")
        #expect(arn.region == "")
        #expect(arn.account == "")
        #expect(Array(arn.resource.unicodeScalars) == Array("\u{301}bucket".unicodeScalars))
        #expect(Array(arn.text.utf8) == Array("arn:aws:s3:::\u{301}bucket".utf8))

        // The mark after the region's colon belongs to the account, which is then not valid.
        #expect(throws: ARNError.self) { try ARN(parsing: "arn:aws:iam::\u{301}111122223333:role/r") }
    }

    /// The resource type stops at the first `/` or `:` even when a combining mark follows it.
    @Test func theResourceTypeStopsAtASlashFollowedByACombiningMark() throws {
        let arn = try ARN(parsing: "arn:aws:bedrock:us-east-1:111122223333:prompt/\u{301}ABC")
        #expect(arn.resourceType == "prompt")
    }
}
