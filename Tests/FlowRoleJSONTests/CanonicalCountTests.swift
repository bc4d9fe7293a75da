import Testing

@testable import FlowRoleJSON

/// ``JSONValue/canonicalCharacterCount`` counts from the value, without writing it (the quota
/// check of every changed policy uses it); it must equal the count of the written canonical
/// bytes, ``JSONValue/canonicalCharacterCountOfBytes``, which is the scalars of the canonical
/// text.
@Suite("canonical character count agrees with the written form")
struct CanonicalCountTests {
    /// Pieces of strings: ASCII, what the writer escapes short (`"`, `\`, the five control
    /// characters with a letter), other control characters (`\u00XX`), DEL (not escaped), two-,
    /// three- and four-byte scalars, a combining mark, an emoji sequence with a joiner.
    static let pieces = [
        "a", "Z", "0", " ", "/", ":", "*", "arn:aws:s3:::bucket/key", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}",
        "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "日本", "🙂", "👩‍👩‍👧", "\u{FEFF}", "\u{80}", "ÿ",
    ]

    static func string(_ random: inout SeededRandom) -> String {
        (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "a" }.joined()
    }

    @Test func generatedValuesCountAsTheirWrittenForm() {
        var random = SeededRandom(seed: 0xC0_FFEE)
        for round in 0..<3000 {
            // Keys unsorted and unusual, so the written form reorders and escapes them.
            let value = RandomJSON.value(&random, string: Self.string)
            let written = String(decoding: value.canonicalBytes, as: UTF8.self).unicodeScalars.count
            #expect(value.canonicalCharacterCountOfBytes == written, "round \(round)")
            #expect(value.canonicalCharacterCount == written, "round \(round): \(value.canonicalText)")
        }
    }

    /// One piece at every position of strings of 0 to 40 bytes: inside, across and after the
    /// eight-byte words the count reads at once.
    @Test func everyPieceAtEveryPosition() {
        for piece in Self.pieces {
            for length in 0...40 {
                for position in 0...length {
                    let text =
                        String(repeating: "x", count: position) + piece
                        + String(repeating: "y", count: length - position)
                    let value = JSONValue.string(text)
                    #expect(
                        value.canonicalCharacterCount == value.canonicalCharacterCountOfBytes,
                        "\(piece.unicodeScalars.map { $0.value }) at \(position) of \(length)")
                }
            }
        }
    }

    @Test func policyShapedDocuments() {
        let statement: JSONValue = [
            "Sid": "Flowrole\u{E9}",
            "Effect": "Allow",
            "Action": ["lambda:InvokeFunction", "s3:GetObject"],
            "Resource": .array([
                .string("arn:aws:s3:::b\u{FC}cket/\"quoted\"/*"),
                .string("arn:aws:lambda:us-east-1:111122223333:function:f"),
            ]),
            "Condition": ["StringEquals": ["kms:EncryptionContext:aws:bedrock-flows:arn": "x\ty\u{1}"]],
        ]
        let document: JSONValue = ["Version": "2012-10-17", "Statement": .array([statement, statement, [:], []])]
        #expect(document.canonicalCharacterCount == document.canonicalCharacterCountOfBytes)
        #expect(JSONValue.array([]).canonicalCharacterCount == 2)
        #expect(JSONValue.object([]).canonicalCharacterCount == 2)
        #expect(JSONValue.string("e\u{301}").canonicalCharacterCount == 4)
        #expect(JSONValue.string("\u{1}\"").canonicalCharacterCount == 10)
    }
}
