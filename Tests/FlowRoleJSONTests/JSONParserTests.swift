import FlowRoleJSON
import Foundation
import Testing

/// Parses `text` as a file would be parsed (every top-level value), with options.
func parseFile(_ text: String, options: JSONParseOptions = .everything) throws(InputError) -> [JSONValue] {
    var copy = text
    let result: Result<[JSONTopLevelValue], InputError> = copy.withUTF8 { buffer in
        do throws(InputError) {
            return .success(try JSONParser.parseAll(UnsafeRawBufferPointer(buffer), file: "t.json", options: options))
        } catch {
            return .failure(error)
        }
    }
    return try result.get().map(\.value)
}

func parseError(_ text: String, options: JSONParseOptions = .everything) -> InputError? {
    do {
        _ = try parseFile(text, options: options)
        return nil
    } catch {
        return error
    }
}

func parseBytesError(_ bytes: [UInt8]) -> InputError? {
    bytes.withUnsafeBytes { buffer -> InputError? in
        do throws(InputError) {
            _ = try JSONParser.parseAll(buffer, file: "t.json")
            return nil
        } catch {
            return error
        }
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test func keepsMemberOrderNumberLiteralsAndTypes() throws {
        let value = try JSONValue(parsing: #"{"b": 1.50, "a": [true, false, null, -2e3, "x"], "c": {}}"#)
        #expect(value.objectMembers?.map(\.key) == ["b", "a", "c"])
        #expect(value["b"] == .number("1.50"))
        #expect(value["a"] == [true, false, nil, .number("-2e3"), "x"])
        #expect(value["c"] == .object([]))
        #expect(value.canonicalText == #"{"a":[true,false,null,-2e3,"x"],"b":1.50,"c":{}}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\né😀"))
        #expect(value.canonicalText == "\"a\\\"b\\\\c/d\\né😀\"")
    }

    @Test func readsSeveralTopLevelValuesAsJSONLines() throws {
        let values = try parseFile("{\"a\":1}\n{\"a\":2}\n\n[3]\n")
        #expect(values == [["a": .number("1")], ["a": .number("2")], [.number("3")]])
    }

    @Test(
        arguments: [
            ("{\"a\": 1,}", 1, 9, "expected a key"),
            ("{\"a\": [1, 2", 1, 12, "ends inside an array opened at line 1, column 7"),
            ("{\n  \"a\": \"abc", 2, 12, "ends inside a string opened at line 2, column 8"),
            ("{\"a\": 01}", 1, 7, "leading zero"),
            ("{\"a\": tru}", 1, 7, "expected a value"),
            ("{\"a\": \"x\\q\"}", 1, 9, "invalid escape"),
            ("{\"a\": \"\u{01}\"}", 1, 8, "control character U+0001"),
            ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
            ("{\"a\": \"\\ud800x\"}", 1, 8, "lone high surrogate"),
            ("[1] x", 1, 5, "unexpected 'x'"),
            ("   \n ", nil, nil, "only whitespace"),
        ] as [(String, Int?, Int?, String)])
    func reportsSyntaxErrorsWithLineAndColumn(text: String, line: Int?, column: Int?, fragment: String) throws {
        let error = try #require(parseError(text))
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.description.hasPrefix("t.json:"))
    }

    @Test func rejectsEmptyFilesUTF16AndInvalidUTF8() throws {
        #expect(try #require(parseBytesError([])).message.contains("empty"))
        #expect(try #require(parseBytesError([0xFF, 0xFE, 0x7B, 0x00])).message.contains("UTF-16"))
        #expect(try #require(parseBytesError([0x7B, 0x00, 0x7D, 0x00])).message.contains("NUL"))
        let invalid = try #require(parseBytesError(Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)))
        #expect(invalid.message.contains("invalid UTF-8"))
        #expect(invalid.column == 4)
        // A UTF-8 byte-order mark is harmless.
        #expect(parseBytesError([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == nil)
    }

    @Test func keysAreComparedAsBytesNotAsCanonicallyEquivalentText() throws {
        // "é" precomposed and "e" + combining accent are different keys to JSON (and to IAM).
        let value = try JSONValue(parsing: #"{"\u00e9": 1, "e\u0301": 2}"#)
        #expect(value.objectMembers?.count == 2)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(parseError(deep))
        #expect(error.message.contains("nests deeper than 512"))
        let deepSkipped = "{\"definition\": {\"code\": " + deep + "}}"
        let skipping = JSONParseOptions(skipInside: "definition", skippedKeys: ["code"])
        #expect(try #require(parseError(deepSkipped, options: skipping)).message.contains("nests deeper"))
    }

    @Test func skipsOnlyInsideTheScopeAndStillValidates() throws {
        let options = JSONParseOptions(skipInside: "definition", skippedKeys: ["text", "code"])
        let text = #"{"text": "kept", "definition": {"nodes": [{"name": "P", "text": "dropped", "code": {"x": [1]}}]}}"#
        let value = try #require(try parseFile(text, options: options).first)
        #expect(value["text"] == "kept")
        #expect(value["definition"]?["nodes"]?.arrayValue?.first == ["name": "P"])

        // A file truncated or malformed inside a skipped value is still an error, at the same place.
        for broken in [
            #"{"definition": {"text": "never closed"#,
            #"{"definition": {"text": "bad \q escape"}}"#,
            #"{"definition": {"code": {"a": 1, "a": 2}}}"#,
            #"{"definition": {"code": [1, 2,]}}"#,
            #"{"definition": {"text": "x", "text": "y"}}"#,
            #"{"definition": {"text": "lone \ud800 surrogate"}}"#,
            #"{"definition": {"text": "lone \udc00 surrogate"}}"#,
        ] {
            let skipped = try #require(parseError(broken, options: options), "\(broken)")
            let full = try #require(parseError(broken), "\(broken)")
            #expect(skipped == full)
        }
    }
}

@Suite("JSON parser on two threads")
struct ParallelJSONParserTests {
    /// A bundle shaped like `flowrole export` output, pretty-printed like Python's `indent=4`.
    func bundle(_ count: Int, poison: Int? = nil, decoy: Bool = false) -> String {
        var flows: [String] = []
        for index in 0..<count {
            var name = "flow-\(index)"
            if decoy && index == count / 2 {
                // A string that contains the element separator pattern: the guess lands inside it.
                name = "x\",\n        {\n            \"name\": 1"
                name = name.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            }
            let broken = poison == index ? "\"oops\": tru," : ""
            flows.append(
                """
                        {
                            "name": "\(name)",
                            \(broken)"id": "ID\(index)",
                            "definition": {"nodes": [{"name": "n", "text": "\(String(repeating: "t", count: index % 50))"}]}
                        }
                """)
        }
        return "{\n    \"flows\": [\n" + flows.joined(separator: ",\n") + "\n    ]\n}\n"
    }

    let serial = JSONParseOptions(skipInside: "definition", skippedKeys: ["text"])
    let parallel = JSONParseOptions(
        skipInside: "definition", skippedKeys: ["text"], parallel: true, parallelThreshold: 1)

    @Test(arguments: [1, 2, 3, 10, 500])
    func givesTheSameValueAsASerialParse(count: Int) throws {
        let text = bundle(count)
        let expected = try parseFile(text, options: serial)
        #expect(try parseFile(text, options: parallel) == expected)
        #expect(expected.first?["flows"]?.arrayValue?.count == count)
    }

    @Test func aWrongGuessIsDiscarded() throws {
        let text = bundle(200, decoy: true)
        #expect(text.contains("{\\n            \\\"name"))
        #expect(try parseFile(text, options: parallel) == parseFile(text, options: serial))
    }

    @Test(arguments: [3, 150, 299])
    func errorsAreThoseOfASerialParse(poisoned: Int) throws {
        let text = bundle(300, poison: poisoned)
        let expected = try #require(parseError(text, options: serial))
        #expect(parseError(text, options: parallel) == expected)
        let truncated = String(bundle(300).dropLast(40))
        #expect(parseError(truncated, options: parallel) == parseError(truncated, options: serial))
    }
}
