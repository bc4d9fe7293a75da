import Foundation
import Testing

/// Bad input, one class per test (DESIGN, "Anything else: a clear error naming the file (and
/// line/column or JSON path where known), exit status 1, and no output files written"). Every test
/// goes through `expectRejected`: exit status 1, empty stdout, no crash, every stderr line a
/// `FILE[:LINE[:COL]]: error: [at POINTER: ]MESSAGE` diagnostic, one naming the file. Each test then
/// checks the exact place where it is deterministic: line:column for syntax, the JSON pointer for
/// shape (plus the line for XML, whose elements have lines).
@Suite("bad input")
struct BadInputTests {
    // MARK: Syntax and encoding

    @Test("an empty file")
    func emptyFile() throws {
        let file = try Fixtures.path("bad/empty.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == nil)
        #expect(diagnostic?.pointer == nil)
        #expect(diagnostic?.message.contains("empty") == true)
    }

    @Test("a file of whitespace only")
    func whitespaceOnly() throws {
        let file = try Fixtures.path("bad/whitespace-only.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.pointer == nil)
        let message = diagnostic?.message ?? ""
        #expect(message.contains("whitespace") || message.contains("empty"), "\(message)")
    }

    @Test("truncated JSON, inside a string")
    func truncatedInsideString() throws {
        // `{\n    "Role": {\n        "Path": "/",\n        "RoleName": "FlowsRo` — ends on line 4.
        let file = try Fixtures.path("bad/truncated-in-string.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 4)
        #expect(diagnostic?.column == 29)  // just past the last byte
        #expect(diagnostic?.message.contains("inside a string opened at line 4, column 21") == true)
    }

    @Test("truncated JSON, inside an object")
    func truncatedInsideObject() throws {
        // Ends after `"RoleName": "FlowsRoleA",\n`: line 5, column 1; the open object is `"Role": {`.
        let file = try Fixtures.path("bad/truncated-in-object.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 5)
        #expect(diagnostic?.column == 1)
        #expect(diagnostic?.message.contains("inside an object opened at line 2, column 13") == true)
    }

    @Test("trailing garbage after a valid value")
    func trailingGarbage() throws {
        // A valid list-role-policies output (6 lines), then `# end of export` on line 7.
        let file = try Fixtures.path("bad/trailing-garbage.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 7)
        #expect(diagnostic?.column == 1)
        #expect(diagnostic?.message.contains("'#'") == true)
    }

    @Test("UTF-16 with a byte-order mark (little and big endian)", arguments: [false, true])
    func utf16WithBOM(bigEndian: Bool) throws {
        let directory = try TemporaryDirectory()
        let text = String(decoding: try Fixtures.data("good/role-a.json"), as: UTF8.self)
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let pair = [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)]
            bytes += bigEndian ? pair.reversed() : pair
        }
        let file = try directory.write("role-a.utf16.json", bytes: bytes)
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 1)
        #expect(diagnostic?.column == 1)
        #expect(diagnostic?.message.contains("UTF-16") == true)
    }

    @Test("a UTF-8 byte-order mark is accepted (JSON, JSON after whitespace, XML)")
    func utf8BOMAccepted() throws {
        let directory = try TemporaryDirectory()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let json = try directory.write("bom.json", bytes: bom + Array(try Fixtures.data("good/role-a.json")))
        let spaced = try directory.write(
            "bom-space.json", bytes: bom + Array("  \r\n".utf8) + Array(try Fixtures.data("good/role-a.json")))
        let xml = try directory.write("bom.xml", bytes: bom + Array(try Fixtures.data("good/role-a.GetRole.xml")))
        for file in [json, spaced, xml] {
            let result = try FlowRole.inventory([file], json: true)
            expectSuccess(result)
            let roles = try JSON(parsing: result.stdoutData)["roles"]?.array?.compactMap { $0["arn"]?.string }
            #expect(roles == ["arn:aws:iam::111122223333:role/FlowsRoleA"], "\(file)")
        }
    }

    /// XML allows white space before the root element when there is no XML declaration, and
    /// without a BOM flowrole accepts that; after a UTF-8 BOM it should too.
    @Test("a UTF-8 byte-order mark, then a line break, then XML is read as XML")
    func utf8BOMThenWhitespaceThenXML() throws {
        let directory = try TemporaryDirectory()
        let body = Array(try Fixtures.data("good/role-a.GetRole.xml"))
        let plain = try directory.write("newline.xml", bytes: Array("\n".utf8) + body)
        let withBOM = try directory.write("bom-newline.xml", bytes: [0xEF, 0xBB, 0xBF] + Array("\n".utf8) + body)
        expectSuccess(try FlowRole.inventory([plain]))
        expectSuccess(try FlowRole.inventory([withBOM]))
    }

    @Test("binary data: random bytes with NULs")
    func binaryData() throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 0x5EED_F10E)
        func blob(_ count: Int) -> [UInt8] {
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for _ in 0..<(count / 16) { bytes[Int.random(in: 0..<count, using: &generator)] = 0 }
            return bytes
        }
        // A NUL first (where the place is certain), a PNG-like header, one that looks like XML, and
        // plain random blobs.
        var files: [(String, certainFirstByte: Bool)] = []
        files.append((try directory.write("nul-first.bin", bytes: [0x00, 0x00] + blob(510)), true))
        files.append(
            (
                try directory.write(
                    "png.bin", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00] + blob(503)), true
            ))
        files.append((try directory.write("angle.bin", bytes: Array("<a>".utf8) + blob(509)), false))
        for index in 0..<5 {
            files.append((try directory.write("random-\(index).bin", bytes: blob(4096)), false))
        }
        for (file, certain) in files {
            let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
            if certain {
                #expect(diagnostic?.line == 1, "\(file)")
                #expect(diagnostic?.column == 1, "\(file)")
            }
        }
    }

    @Test("invalid UTF-8 inside a string (JSON and XML)")
    func invalidUTF8InString() throws {
        let directory = try TemporaryDirectory()
        // `{"PolicyNames": ["ab` is 20 bytes; the bad bytes start at column 21.
        let json = try directory.write(
            "bad-utf8.json",
            bytes: Array(#"{"PolicyNames": ["ab"#.utf8) + [0xFF, 0xFE] + Array(#"cd"]}"#.utf8) + [0x0A])
        let jsonDiagnostic = expectRejected(try FlowRole.inventory([json]), file: json)
        #expect(jsonDiagnostic?.line == 1)
        #expect(jsonDiagnostic?.column == 21)
        #expect(jsonDiagnostic?.message.contains("UTF-8") == true)

        // In XML, on line 2; libxml2 decides the column.
        let xml = try directory.write(
            "bad-utf8.xml",
            bytes: Array("<GetRoleResponse>\n  <GetRoleResult><Role><RoleName>ab".utf8) + [0xFF, 0xFE]
                + Array("cd</RoleName></Role></GetRoleResult>\n</GetRoleResponse>\n".utf8))
        let xmlDiagnostic = expectRejected(try FlowRole.inventory([xml]), file: xml)
        #expect(xmlDiagnostic?.line == 2)
        #expect(xmlDiagnostic?.column != nil)
    }

    // MARK: Shape

    @Test("JSON that is not an AWS export")
    func notAnExport() throws {
        let file = try Fixtures.path("bad/not-an-export.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.pointer == nil)  // the whole top-level value
        #expect(diagnostic?.message.contains("not a recognised export") == true)
        #expect(diagnostic?.message.contains("hello") == true)
    }

    struct TopLevelCase: Sendable, CustomStringConvertible {
        var fixture: String
        var line: Int?
        var pointer: String?
        var mentions: String
        var description: String { fixture }
    }

    @Test(
        "a top-level value that is not an object",
        arguments: [
            TopLevelCase(fixture: "bad/top-level-number.json", line: 1, pointer: nil, mentions: "number"),
            TopLevelCase(fixture: "bad/top-level-string.json", line: 1, pointer: nil, mentions: "string"),
            // An array is read as pages; its first element is not an output object.
            TopLevelCase(
                fixture: "bad/top-level-array-of-numbers.json", line: nil, pointer: "/0",
                mentions: "not a recognised export"),
        ])
    func nonObjectTopLevel(_ testCase: TopLevelCase) throws {
        let file = try Fixtures.path(testCase.fixture)
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == testCase.line)
        #expect(diagnostic?.pointer == testCase.pointer)
        #expect(diagnostic?.message.contains(testCase.mentions) == true)
    }

    @Test("top-level true and null")
    func literalTopLevel() throws {
        let directory = try TemporaryDirectory()
        for literal in ["true", "null"] {
            let file = try directory.write("\(literal).json", "\n\(literal)\n")
            let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
            #expect(diagnostic?.line == 2, "\(literal)")
        }
    }

    @Test("duplicate keys in one object")
    func duplicateKeys() throws {
        // The second "PolicyNames" key starts line 4, column 5.
        let file = try Fixtures.path("bad/duplicate-keys.json")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 4)
        #expect(diagnostic?.column == 5)
        #expect(diagnostic?.message.contains(#"duplicate key "PolicyNames""#) == true)
    }

    @Test("nesting 100,000 deep is an error, not a crash (arrays, objects, inside a skipped flow key, XML)")
    func deepNesting() throws {
        let directory = try TemporaryDirectory()
        let depth = 100_000
        // The 513th `[` (column 513) is one level too deep (the limit is 512).
        let arrays = try directory.write(
            "deep-arrays.json", String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let arraysDiagnostic = expectRejected(try FlowRole.inventory([arrays]), file: arrays)
        #expect(arraysDiagnostic?.line == 1)
        #expect(arraysDiagnostic?.column == 513)
        #expect(arraysDiagnostic?.message.contains("deeper") == true)

        // `{"a":` is 5 bytes; the 513th object opens at column 5 × 512 + 1.
        let objects = try directory.write(
            "deep-objects.json", String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        )
        let objectsDiagnostic = expectRejected(try FlowRole.inventory([objects]), file: objects)
        #expect(objectsDiagnostic?.line == 1)
        #expect(objectsDiagnostic?.column == 2561)

        // Inside a flow definition key whose value is validated but skipped (a different code path).
        let prefix =
            #"{"flows": [{"id": "AAAAAAAAAA", "definition": {"nodes": [{"name": "n", "type": "Prompt", "configuration": {"prompt": {"sourceConfiguration": {"inline": {"templateConfiguration": "#
        let skipped = try directory.write(
            "deep-skipped.json",
            prefix + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}}}}]}}]}")
        let skippedDiagnostic = expectRejected(try FlowRole.inventory([skipped]), file: skipped)
        #expect(skippedDiagnostic?.line == 1)
        #expect(skippedDiagnostic?.message.contains("deeper") == true)

        let xml = try directory.write(
            "deep.xml", String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth))
        let xmlDiagnostic = expectRejected(try FlowRole.inventory([xml]), file: xml)
        #expect(xmlDiagnostic?.line == 1)
    }

    // MARK: Values

    struct PlaceCase: Sendable, CustomStringConvertible {
        var fixture: String
        var line: Int?
        var pointer: String
        var mentions: [String]
        var description: String { fixture }
    }

    @Test(
        "a policy document that is not a valid policy names the pointer into the document",
        arguments: [
            PlaceCase(
                fixture: "bad/policy-effect-maybe.json", line: nil,
                pointer: "/Role/AssumeRolePolicyDocument/Statement/0/Effect", mentions: ["Maybe", "FlowsRoleA"]),
            // Percent-encoded inside IAM Query XML: the element's line, and the pointer continues
            // into the decoded document.
            PlaceCase(
                fixture: "bad/policy-effect-maybe.GetRole.xml", line: 9,
                pointer: "/GetRoleResult/Role/AssumeRolePolicyDocument/Statement/0/Effect", mentions: ["Maybe"]),
        ])
    func invalidPolicy(_ testCase: PlaceCase) throws {
        try expectPlace(testCase)
    }

    @Test(
        "a URL-encoded document with a bad % escape",
        arguments: [
            PlaceCase(
                fixture: "bad/percent-escape.json", line: nil, pointer: "/Role/AssumeRolePolicyDocument",
                mentions: ["'%'"]),
            PlaceCase(
                fixture: "bad/percent-escape.GetRole.xml", line: 9,
                pointer: "/GetRoleResult/Role/AssumeRolePolicyDocument",
                mentions: ["'%'"]),
        ])
    func badPercentEscape(_ testCase: PlaceCase) throws {
        try expectPlace(testCase)
    }

    @Test(
        "a timestamp in a wrong format",
        arguments: [
            PlaceCase(
                fixture: "bad/timestamp.json", line: nil, pointer: "/Role/CreateDate", mentions: ["02/05/2024 09:14:31"]
            ),
            PlaceCase(
                fixture: "bad/timestamp.GetRole.xml", line: 8, pointer: "/GetRoleResult/Role/CreateDate",
                mentions: ["2024-05-02 at 09:14"]),
        ])
    func badTimestamp(_ testCase: PlaceCase) throws {
        try expectPlace(testCase)
    }

    @Test("a role ARN that does not match its Path and RoleName (one output, JSON Lines, an array of pages)")
    func arnPathMismatch() throws {
        try expectPlace(
            PlaceCase(
                fixture: "bad/arn-path-mismatch.json", line: nil, pointer: "/Role/Arn",
                mentions: ["/team/", "FlowsRoleA"]))

        // The same output as the third of three: JSON Lines give its line, an array of pages its index.
        let compact = try ["good/role-a.json", "good/role-b.json", "bad/arn-path-mismatch.json"].map { name in
            let object = try JSONSerialization.jsonObject(with: try Fixtures.data(name))
            return String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let directory = try TemporaryDirectory()
        let lines = try directory.write("roles.jsonl", compact.joined(separator: "\n") + "\n")
        let linesDiagnostic = expectRejected(try FlowRole.inventory([lines]), file: lines)
        #expect(linesDiagnostic?.line == 3)
        #expect(linesDiagnostic?.pointer == "/Role/Arn")
        let pages = try directory.write("roles.pages.json", "[\n" + compact.joined(separator: ",\n") + "\n]\n")
        let pagesDiagnostic = expectRejected(try FlowRole.inventory([pages]), file: pages)
        #expect(pagesDiagnostic?.pointer == "/2/Role/Arn")
    }

    @Test("a manifest with an unknown schema version")
    func manifestUnknownSchema() throws {
        try expectPlace(
            PlaceCase(
                fixture: "bad/manifest-unknown-schema.json", line: nil, pointer: "/schema",
                mentions: ["flowrole.manifest/v9"]))
    }

    @Test("a manifest with a bad flows value")
    func manifestBadFlows() throws {
        try expectPlace(
            PlaceCase(
                fixture: "bad/manifest-bad-flows.json", line: nil, pointer: "/exports/1/flows", mentions: [#""maybe""#])
        )
    }

    func expectPlace(_ testCase: PlaceCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = try Fixtures.path(testCase.fixture)
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file, sourceLocation: sourceLocation)
        #expect(diagnostic?.line == testCase.line, sourceLocation: sourceLocation)
        #expect(diagnostic?.column == nil, sourceLocation: sourceLocation)
        #expect(diagnostic?.pointer == testCase.pointer, sourceLocation: sourceLocation)
        for text in testCase.mentions {
            #expect(
                diagnostic?.message.contains(text) == true, "message mentions \(text)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Several files

    @Test(
        "the same role in two files with different trust policies: the error names both files",
        arguments: [false, true])
    func conflictingTrustPolicies(reversed: Bool) throws {
        let first = try Fixtures.path("good/role-a.json")
        let second = try Fixtures.path("bad/role-a.other-trust.json")
        // The report does not depend on the argument order: it is made at the place that sorts
        // later (path, then pointer) and names the one that sorts earlier.
        let (sortsEarlier, sortsLater) = first < second ? (first, second) : (second, first)
        let result = try FlowRole.inventory(reversed ? [second, first] : [first, second])
        let diagnostic = expectRejected(result, file: sortsLater)
        #expect(diagnostic?.pointer == "/Role")
        #expect(diagnostic?.message.contains("trust polic") == true)
        #expect(diagnostic?.message.contains(sortsEarlier) == true, "names the other file too: \(result.stderr)")
    }

    @Test("identical copies of a role merge, also when written differently (JSON text, +02:00, percent-encoded XML)")
    func identicalCopiesMerge() throws {
        let sets: [[String]] = [
            ["good/role-a.json", "good/role-a.copy.json"],
            ["good/role-a.json", "good/role-a.json-text-document.json", "good/role-a.GetRole.xml"],
        ]
        for names in sets {
            let paths = try names.map(Fixtures.path)
            let result = try FlowRole.inventory(paths, json: true)
            expectSuccess(result)
            let json = try JSON(parsing: result.stdoutData)
            let roles = try #require(json["roles"]?.array)
            #expect(roles.count == 1, "\(names)")
            #expect(roles.first?["arn"] == .string("arn:aws:iam::111122223333:role/FlowsRoleA"))
            #expect(roles.first?["sources"]?.array?.count == names.count, "every copy is a source")
        }
    }

    @Test("list-role-policies beside two roles that could both own it is an error; beside one it is attributed")
    func listRolePoliciesAttribution() throws {
        let list = try Fixtures.path("good/list-role-policies.json")
        let roleA = try Fixtures.path("good/role-a.json")
        let roleB = try Fixtures.path("good/role-b.json")

        let ambiguous = try FlowRole.inventory([roleA, roleB, list])
        let diagnostic = expectRejected(ambiguous, file: list)
        #expect(diagnostic?.pointer == nil)  // the whole output names no owner
        #expect(diagnostic?.message.contains("list-role-policies") == true)
        #expect(diagnostic?.message.contains("2 roles") == true)

        let single = try FlowRole.inventory([roleA, list], json: true)
        expectSuccess(single)
        let role = try #require(try JSON(parsing: single.stdoutData)["roles"]?.array?.first)
        #expect(role["inlinePolicyNames"] == .array([.string("FlowsExecutionPolicy")]))
        #expect(role["sources"]?.array?.count == 2)
    }

    @Test("errors in several files are all reported, in the order the files were given")
    func severalBadFiles() throws {
        let files = try ["bad/timestamp.json", "bad/empty.json", "bad/duplicate-keys.json"].map(Fixtures.path)
        for order in [files, files.reversed()] {
            let result = try FlowRole.inventory(order)
            expectRejected(result, file: order[0])
            #expect(result.stderrLines.compactMap(Diagnostic.init).map(\.file) == order)
        }
    }

    // MARK: XML

    struct EntityCase: Sendable, CustomStringConvertible {
        var name: String
        var line: Int
        var mentions: String
        /// The document, with `CANARY` standing for the canary file's URL.
        var template: String
        var description: String { name }
    }

    @Test(
        "XML that declares an external entity or DTD naming a canary file: rejected, the canary never shown",
        arguments: [
            EntityCase(
                name: "external general entity", line: 3, mentions: "entity",
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse [
                      <!ENTITY canary SYSTEM "CANARY">
                    ]>
                    <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                      <GetRoleResult><Role><Path>/</Path><RoleName>&canary;</RoleName></Role></GetRoleResult>
                    </GetRoleResponse>

                    """),
            EntityCase(
                name: "external parameter entity", line: 2, mentions: "entity",
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse [ <!ENTITY % canary SYSTEM "CANARY"> %canary; ]>
                    <GetRoleResponse><GetRoleResult/></GetRoleResponse>

                    """),
            EntityCase(
                name: "external DTD", line: 2, mentions: "DTD",
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse SYSTEM "CANARY">
                    <GetRoleResponse><GetRoleResult/></GetRoleResponse>

                    """),
        ])
    func externalEntityCanary(_ testCase: EntityCase) throws {
        let directory = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let canary =
            "canary-" + (0..<32).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        let canaryFile = try directory.write("canary.txt", canary)
        let file = try directory.write(
            "xxe.xml",
            testCase.template.replacingOccurrences(of: "CANARY", with: URL(fileURLWithPath: canaryFile).absoluteString))
        let result = try FlowRole.inventory([file])
        let diagnostic = expectRejected(result, file: file)
        #expect(diagnostic?.line == testCase.line)
        #expect(diagnostic?.column != nil)
        #expect(diagnostic?.message.contains(testCase.mentions) == true)
        #expect(!result.stdout.contains(canary))
        #expect(!result.stderr.contains(canary))
        #expect(!result.stderr.contains(String(canary.dropFirst(7).prefix(16))))
    }

    @Test("an XML entity bomb is rejected, fast")
    func entityBomb() throws {
        // Ten nested entities of ten references each (10^10 "lol"s) — declared from line 3 on.
        let file = try Fixtures.path("bad/entity-bomb.xml")
        // Run so that its own peak memory is measured (``MeasuredRun``): the largest of every
        // child this test process ran would also count the other tests' large inputs.
        let (result, peakKiB) = try MeasuredRun.run(["inventory", file])
        let diagnostic = expectRejected(result, file: file)
        // libxml2 reports the end of the first declaration, `<!ENTITY lol0 "lol…">`.
        #expect(diagnostic?.line == 3)
        #expect(diagnostic?.column == 47)
        #expect(diagnostic?.message.contains("lol0") == true)
        #expect(result.seconds < 5, "took \(result.seconds) s")
        // Far below what even a partial expansion would need.
        #expect(peakKiB < 256 * 1024, "peak RSS: \(peakKiB) KiB")
    }

    @Test("standard output that cannot be written is a failure, not a silent success")
    func unwritableOutput() throws {
        let examples = try PackageRoot.url().appendingPathComponent("examples").path
        let process = Process()
        process.executableURL = try FlowRoleBinary.url()
        process.arguments = ["inventory", examples]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(stderr.contains("cannot write to standard output"))
    }

    @Test("malformed XML names line and column")
    func malformedXML() throws {
        // Line 4: `    <Role><Path>/</Path><RoleName>FlowsRoleA</RoleName></Rolle>` (63 bytes); libxml2
        // reports the position just past the mismatched end tag.
        let file = try Fixtures.path("bad/malformed.xml")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 4)
        #expect(diagnostic?.column == 64)
        #expect(diagnostic?.message.contains("Rolle") == true)
    }

    @Test("an IAM ErrorResponse XML")
    func errorResponse() throws {
        let file = try Fixtures.path("bad/error-response.xml")
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 1)
        #expect(diagnostic?.pointer == nil)
        #expect(diagnostic?.message.contains("error response") == true)
        #expect(diagnostic?.message.contains("AccessDenied") == true)
    }

    // MARK: Paths

    @Test("a nonexistent path")
    func nonexistentPath() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("no-such-export.json")
        let diagnostic = expectRejected(try FlowRole.inventory([missing]), file: missing)
        #expect(diagnostic?.line == nil)
        #expect(diagnostic?.message.contains("no such file") == true)
        // Also when a good file comes first.
        let withGood = try FlowRole.inventory([try Fixtures.path("good/role-a.json"), missing])
        expectRejected(withGood, file: missing)
    }

    @Test("a directory with no files (empty, or only a subdirectory and a hidden file)")
    func directoryWithNoFiles() throws {
        let empty = try TemporaryDirectory()
        let diagnostic = expectRejected(try FlowRole.inventory([empty.url.path]), file: empty.url.path)
        #expect(diagnostic?.message.contains("no input files") == true)

        let hollow = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: hollow.url.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        try hollow.write(".hidden.json", try Fixtures.data("good/role-a.json"))
        expectRejected(try FlowRole.inventory([hollow.url.path]), file: hollow.url.path)
    }

    // MARK: Large files (the parallel parser)

    /// A flow bundle over the 4 MiB threshold at which the parser splits the `flows` array across
    /// two threads: examples/flows/bundle.json's flows repeated under new IDs.
    static func largeBundle() throws -> (text: String, flows: Int) {
        let data = try Data(contentsOf: try PackageRoot.url().appendingPathComponent("examples/flows/bundle.json"))
        let bundle = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let flows = try #require(bundle["flows"] as? [[String: Any]])
        func copies(_ count: Int) throws -> [[String: Any]] {
            var out: [[String: Any]] = []
            for serial in 0..<count {
                let flow = flows[serial % flows.count]
                var copy = flow
                let id = String(format: "Z%09d", serial)
                let arn = try #require(flow["arn"] as? String)
                copy["id"] = id
                copy["arn"] = String(arn[..<(try #require(arn.range(of: "flow/"))).upperBound]) + id
                copy.removeValue(forKey: "versions")
                copy.removeValue(forKey: "aliases")
                out.append(copy)
            }
            return out
        }
        // Size one copy per flow, then make enough for about 6 MB.
        let sample = try JSONSerialization.data(
            withJSONObject: ["flows": try copies(flows.count)], options: [.prettyPrinted, .sortedKeys])
        let count = max(flows.count, 6_000_000 * flows.count / max(1, sample.count) + 1)
        let all = try copies(count)
        let out = try JSONSerialization.data(withJSONObject: ["flows": all], options: [.prettyPrinted, .sortedKeys])
        return (String(decoding: out, as: UTF8.self), all.count)
    }

    @Test("a large bundle: read in full; a duplicate key and a truncation late in it are placed exactly")
    func largeFile() throws {
        let (text, count) = try Self.largeBundle()
        #expect(text.utf8.count > 5 << 20)
        let directory = try TemporaryDirectory()

        let good = try directory.write("large.json", text)
        let result = try FlowRole.inventory([good], json: true)
        expectSuccess(result)
        #expect(try JSON(parsing: result.stdoutData)["counts"]?["flows"]?.int == count)

        // A duplicate `"name"` member 80% of the way in (in the second thread's half).
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var target = lines.count * 4 / 5
        while !(lines[target].trimmingCharacters(in: .whitespaces).hasPrefix(#""name" : "#)
            && lines[target].hasSuffix(","))
        {
            target += 1
        }
        lines[target] += #" "name" : "again","#
        let duplicated = try directory.write("large-duplicate.json", lines.joined(separator: "\n"))
        let duplicate = expectRejected(try FlowRole.inventory([duplicated]), file: duplicated)
        #expect(duplicate?.line == target + 1)
        let original = lines[target].utf8.count - #" "name" : "again","#.utf8.count
        #expect(duplicate?.column == original + 2)
        #expect(duplicate?.message.contains(#"duplicate key "name""#) == true)

        // Truncated inside a key 90% of the way in: the error is at the end of the file.
        let bytes = Array(text.utf8)
        var cut = bytes.count * 9 / 10
        while bytes[cut] != 0x0A { cut += 1 }  // the next line break,
        cut += 1
        while bytes[cut] == UInt8(ascii: " ") { cut += 1 }  // its indentation,
        while bytes[cut] != UInt8(ascii: "\"") { cut += 1 }  // the next opening quote
        cut += 3  // two bytes into the string
        let truncatedBytes = Array(bytes[..<cut])
        let truncated = try directory.write("large-truncated.json", bytes: truncatedBytes)
        let lastLine = truncatedBytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let diagnostic = expectRejected(try FlowRole.inventory([truncated]), file: truncated)
        #expect(diagnostic?.line == lastLine.count)
        #expect(diagnostic?.column == (lastLine.last?.count ?? 0) + 1)
        #expect(diagnostic?.message.contains("truncated") == true)
    }

    // MARK: Output hygiene

    /// The CLI prints "one line per error" (InventoryCommand). Values quoted from the input must not
    /// bring their own line breaks or terminal escape sequences into that output.
    @Test("values quoted in errors cannot add lines or terminal escapes to stderr")
    func controlCharactersInQuotedValues() throws {
        let directory = try TemporaryDirectory()
        let template = String(decoding: try Fixtures.data("bad/policy-effect-maybe.json"), as: UTF8.self)
        let hostile = #"\u001b[2J\u001b[31mMaybe\nforged.json:1:1: error: forged line\r"#
        let file = try directory.write(
            "escapes.json", template.replacingOccurrences(of: #""Maybe""#, with: "\"\(hostile)\""))
        let result = try FlowRole.inventory([file])
        expectRejected(result, file: file)
        #expect(result.stderrLines.count == 1, "one error, one line:\n\(result.stderr)")
        #expect(
            !result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "raw control characters on stderr"
        )
    }
}
