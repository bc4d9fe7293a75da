import IAMPolicy
import Testing

@testable import Migration

/// `*`, `?` and `/` are found by byte wherever the migration asks whether a text is a pattern or
/// a flow id: followed by a combining mark they make one Swift Character with it, and a
/// Character-wise `contains` missed them while the matchers (which read scalars) still take them
/// as wildcards.
@Suite("Wildcards are found by byte")
struct WildcardBytesTests {
    static let flowPrefix = "arn:aws:bedrock:us-east-1:123456789012:flow/"

    @Test func aFlowIdWithAWildcardOrSlashBeforeACombiningMarkIsNoFlow() {
        #expect(TrustTightener.FlowUse(arn: Self.flowPrefix + "ABCDEFGHIJ") != nil)
        for id in ["ABCDE*\u{301}", "ABCDE?\u{301}", "ABCDE/\u{301}X"] {
            #expect(TrustTightener.FlowUse(arn: Self.flowPrefix + id) == nil, "\(id.unicodeScalars.map(\.value))")
        }
    }

    @Test func aResourceWithAWildcardBeforeACombiningMarkIsAPattern() {
        #expect(GrantPlanner.isPattern("arn:aws:lambda:us-east-1:123456789012:function:f*\u{301}"))
        #expect(GrantPlanner.isPattern("arn:aws:lambda:us-east-1:123456789012:function:f?\u{301}"))
        #expect(!GrantPlanner.isPattern("arn:aws:lambda:us-east-1:123456789012:function:f\u{301}"))
        #expect(SourceArnValue.hasWildcard(Self.flowPrefix + "*\u{301}"))
    }
}
