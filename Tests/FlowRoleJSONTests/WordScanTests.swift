import FlowRoleJSON
import Foundation
import Testing

/// The scanner steps over whitespace and plain string bytes eight at a time; every special byte
/// (quote, backslash, control character, UTF-8 lead or continuation byte) must still be seen
/// wherever it falls in an eight-byte word, in kept and in skipped values.
@Suite("JSON scanner, eight bytes at a time")
struct WordScanTests {
    /// String contents around which padding moves every byte across word boundaries.
    static let pieces: [(text: String, valid: Bool)] = [
        ("plain", true), ("\\n", true), ("\\\"", true), ("\\\\", true), ("\\u00e9", true),
        ("\\ud83d\\ude00", true), ("é", true), ("😀", true), ("\u{7F}", true), ("tab\\tend", true),
        ("\u{01}", false), ("\\ud83d", false), ("\\x", false), ("\u{1F}", false),
    ]

    @Test("every piece at every alignment: the same value, or the same error one column later per space")
    func everyAlignment() throws {
        let skipping = JSONParseOptions(skipInside: "definition", skippedKeys: ["text"])
        for piece in Self.pieces {
            for padding in 0..<17 {
                let filler = String(repeating: "a", count: padding)
                let content = filler + piece.text + filler
                let kept = "{\"k\": \"\(content)\"}"
                let skipped = "{\"definition\": {\"text\": \"\(content)\"}}"
                for (document, options) in [(kept, JSONParseOptions.everything), (skipped, skipping)] {
                    let reference = parseError(document, options: options)
                    #expect((reference == nil) == piece.valid, "\(document)")
                    for shift in [1, 3, 8, 13] {
                        let shifted = String(repeating: " ", count: shift) + document
                        let error = parseError(shifted, options: options)
                        #expect(error?.message == reference?.message, "\(shifted)")
                        #expect(error?.line == reference?.line)
                        #expect(error?.column == reference.flatMap { $0.column.map { $0 + shift } }, "\(shifted)")
                        if piece.valid, options == .everything {
                            #expect(try parseFile(shifted) == parseFile(document))
                        }
                    }
                }
                if piece.valid {
                    // The kept value decodes as Foundation decodes it.
                    let value = try parseFile(kept)[0]["k"]?.stringValue
                    let foundation = try JSONSerialization.jsonObject(with: Data(kept.utf8)) as? [String: String]
                    #expect(value == foundation?["k"], "\(kept)")
                }
            }
        }
    }

    @Test("an unterminated string at every alignment is reported at its opening quote")
    func unterminated() {
        for padding in 0..<17 {
            let document = String(repeating: " ", count: padding) + "{\"k\": \"abcdefghijklmnop"
            let error = parseError(document)
            #expect(
                error?.message.contains("ends inside a string opened at line 1, column \(padding + 7)") == true,
                "\(error.map(String.init(describing:)) ?? "no error")")
        }
    }

    @Test("whitespace runs of every length, with newlines, tabs and carriage returns inside")
    func whitespaceRuns() throws {
        for length in 0..<40 {
            for mixed in ["", "\n", "\r\n", "\t"] {
                let gap = String(repeating: " ", count: length) + mixed + String(repeating: " ", count: length % 9)
                let document =
                    "{" + gap + "\"a\"" + gap + ":" + gap + "[" + gap + "1" + gap + "," + gap + "2" + gap + "]" + gap
                    + "}" + gap
                #expect(try parseFile(document) == parseFile("{\"a\":[1,2]}"))
                let broken = "{" + gap + "\"a\"" + gap + "x"
                #expect(parseError(broken)?.message == parseError("{\"a\"x")?.message)
            }
        }
    }

    @Test("byte equality of strings is by UTF-8 bytes, not canonical equivalence")
    func sameUTF8() {
        #expect("é".hasSameUTF8(as: "é"))
        #expect(!"é".hasSameUTF8(as: "e\u{301}"))
        #expect(!"Key".hasSameUTF8(as: "\u{212A}ey"))
        #expect("".hasSameUTF8(as: ""))
        #expect(!"a".hasSameUTF8(as: ""))
        let long = String(repeating: "x", count: 100)
        #expect(long.hasSameUTF8(as: String(repeating: "x", count: 100)))
        #expect(!long.hasSameUTF8(as: String(repeating: "x", count: 99) + "y"))
    }
}
