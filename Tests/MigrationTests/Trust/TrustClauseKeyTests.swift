import Testing

@testable import Migration

/// ``TrustClause/lowercased(_:is:)`` compares ASCII keys byte by byte instead of lowercasing a
/// copy (a speed-up of `plan`): it must answer what `text.lowercased() == key` answers.
@Suite("Trust clause key comparison agrees with lowercased()")
struct TrustClauseKeyTests {
    @Test func agreesWithLowercased() {
        let keys = ["aws:sourcearn", "aws:sourceaccount", "k", ""]
        let pieces = ["aws:", "AWS:", "Aws:", "source", "SOURCE", "Source", "arn", "ARN", "Arn", "account", "ACCOUNT"]
        var texts = [
            "", "k", "K", "\u{212A}", "aws:SourceArn ", " aws:SourceArn", "aws:SourceArN", "aws:Source\u{130}rn",
        ]
        for first in pieces {
            for second in pieces {
                for third in pieces { texts.append(first + second + third) }
            }
        }
        texts += ["aws:sourcearn\u{0}", "aws:sourcearn\u{301}", "AWS:SOURCEARN", "aws:sourcearn".uppercased()]
        for text in texts {
            for key in keys {
                #expect(TrustClause.lowercased(text, is: key) == (text.lowercased() == key), "\(text) / \(key)")
            }
        }
        #expect(TrustClause.lowercased("AWS:SourceArn", is: "aws:sourcearn"))
        #expect(TrustClause.lowercased("\u{212A}", is: "k"))
    }
}
