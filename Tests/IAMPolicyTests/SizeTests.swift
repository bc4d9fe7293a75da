import FlowRoleJSON
import IAMPolicy
import Testing

@Suite("Sizes")
struct SizeTests {
    // IAM UG iam-quotas: white space is not counted; DESIGN "Canonical JSON": every size, the
    // trust policy's included, is counted in characters of the canonical form.
    @Test("Sizes are characters of the canonical form, whitespace outside strings ignored")
    func canonicalCount() throws {
        let spaced = try JSONValue(parsing: "{ \"Version\" : \"2012-10-17\" ,\n  \"Statement\" : [ ] }")
        let compact = try JSONValue(parsing: #"{"Statement":[],"Version":"2012-10-17"}"#)
        #expect(PolicySize.characters(spaced) == PolicySize.characters(compact))
        #expect(PolicySize.characters(compact) == #"{"Statement":[],"Version":"2012-10-17"}"#.count)
        // Inside strings, spaces count; a non-ASCII character counts once.
        #expect(PolicySize.characters(["Sid": "a b"]) == #"{"Sid":"a b"}"#.count)
        #expect(PolicySize.characters(["Sid": "é"]) == 11)
    }

    @Test("A role's inline total against 10,240 and a trust policy against a configurable maximum")
    func quotas() throws {
        let documents = try [RealPolicies.docBatchInline, RealPolicies.legacyInline].map { try JSONValue(parsing: $0) }
        let total = PolicySize.inlineTotal(documents)
        #expect(total.limit == 10_240)
        #expect(total.used == documents.map(\.canonicalCharacterCount).reduce(0, +))
        #expect(total.isWithinLimit)

        let big: JSONValue = [
            "Statement": .array(
                Array(
                    repeating: [
                        "Effect": "Allow", "Action": "lambda:InvokeFunction",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:abcdefghij",
                    ], count: 110))
        ]
        let over = PolicySize.inlineTotal(documents + [big])
        #expect(!over.isWithinLimit)
        #expect(over.remaining < 0)

        let trust = try JSONValue(parsing: RealPolicies.consoleRoleTrust)
        let check = PolicySize.trustPolicy(trust)
        #expect(check.limit == 2_048 && check.isWithinLimit)
        #expect(!PolicySize.trustPolicy(trust, maxCharacters: 100).isWithinLimit)
        #expect(PolicySize.trustPolicy(trust, maxCharacters: check.used).isWithinLimit)
        #expect(PolicySize.managedPolicy(trust).limit == 6_144)
    }

    // IAM UG iam-quotas: only tab, LF, CR and U+0020–U+00FF.
    @Test("Characters IAM rejects are found with their pointer")
    func disallowedCharacters() {
        let document: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                ["Sid": "caf\u{E9}\tok\n", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/\u{2013}"]
            ],
            "k\u{0100}": "\u{1F600}",
        ]
        let found = PolicySize.disallowedCharacters(in: document)
        #expect(found.map(\.pointer) == ["/Statement/0/Resource", "/k\u{0100}", "/k\u{0100}"])
        #expect(found.map(\.codePoint) == ["U+2013", "U+0100", "U+1F600"])
        #expect(found.map(\.isInKey) == [false, true, false])
        #expect(found[0].description.contains("U+2013"))
        #expect(PolicySize.disallowedCharacters(in: ["Sid": "\u{0}"]).count == 1)
        #expect(PolicySize.isAllowed("\u{FF}"))
        #expect(!PolicySize.isAllowed("\u{7}"))
    }
}
