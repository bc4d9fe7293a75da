import Foundation
import Testing

/// The rest of the bad-input catalogue (README, "Bad input"; issue 7): what `BadInputTests` does not
/// already check — 100 MB single strings, hostile XML beyond the external general entity and the
/// bomb, huge attribute and key counts, wrong types, encodings without a byte-order mark. Every
/// rejection goes through `expectRejected` (exit 1, nothing on stdout, no crash, one diagnostic per
/// line naming the file). The large inputs are generated into a temporary directory and their
/// runs measured (`MeasuredRun`): peak resident memory stays within a small multiple of the input.
@Suite("bad input catalogue")
struct BadInputCatalogueTests {
    static let hundredMegabytes = 100 << 20

    // MARK: A 100 MB single string

    @Test("a 100 MB string in a role document is read in bounded memory; as a RoleName its error is one short line")
    func hugeStringInRole() throws {
        let directory = try TemporaryDirectory()
        let fixture = try Fixtures.data("good/role-a.json")
        let described = try Self.write(
            "huge-description.json", in: directory, replacing: #""Service role for Amazon Bedrock Flows""#,
            in: fixture, count: Self.hundredMegabytes)
        let (read, readPeak) = try MeasuredRun.run(["inventory", described, "--json"])
        expectSuccess(read)
        let roles = try JSON(parsing: read.stdoutData)["roles"]?.array?.compactMap { $0["arn"]?.string }
        #expect(roles == ["arn:aws:iam::111122223333:role/FlowsRoleA"])
        #expect(readPeak < 4 * Self.hundredMegabytes / 1024, "peak RSS \(readPeak) KiB for a 100 MB input")

        // The same string as the RoleName no longer matches the Arn: the error quotes it, shortened.
        let named = try Self.write(
            "huge-name.json", in: directory, replacing: #""FlowsRoleA""#, in: fixture, count: Self.hundredMegabytes)
        let (rejected, rejectedPeak) = try MeasuredRun.run(["inventory", named])
        let diagnostic = expectRejected(rejected, file: named)
        #expect(diagnostic?.pointer == "/Role/Arn")
        #expect(diagnostic?.message.contains("bytes omitted") == true)
        #expect(rejected.stderrLines.count == 1)
        #expect(rejected.stderrData.count < 1_200, "stderr is \(rejected.stderrData.count) bytes")
        #expect(rejectedPeak < 4 * Self.hundredMegabytes / 1024, "peak RSS \(rejectedPeak) KiB for a 100 MB input")
    }

    @Test("a 100 MB prompt text in a flow definition is validated and skipped, never copied; truncated, it is an error")
    func hugeStringInSkippedFlowKey() throws {
        let directory = try TemporaryDirectory()
        let bundle = Data(
            #"""
            {"flows": [{"name": "f", "id": "AAAAAAAAAA", "arn": "arn:aws:bedrock:us-east-1:111122223333:flow/AAAAAAAAAA",
             "executionRoleArn": "arn:aws:iam::111122223333:role/FlowsRoleA", "createdAt": "2024-05-02T09:14:31Z",
             "definition": {"nodes": [{"name": "p", "type": "Prompt", "configuration": {"prompt": {"sourceConfiguration":
             {"inline": {"templateType": "TEXT", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
             "templateConfiguration": {"text": {"text": "HUGE"}}}}}}}]}}]}

            """#.utf8)
        let file = try Self.write(
            "huge-prompt.json", in: directory, replacing: #""HUGE""#, in: bundle, count: Self.hundredMegabytes)
        let (result, peak) = try MeasuredRun.run(["inventory", file, "--json"])
        expectSuccess(result)
        #expect(try JSON(parsing: result.stdoutData)["counts"]?["flows"]?.int == 1)
        // The mapped file's pages count as resident; the skipped string is never built.
        #expect(peak < 7 * Self.hundredMegabytes / 4 / 1024, "peak RSS \(peak) KiB for a 100 MB input")

        // Cut 1,001 bytes into the string: the error is at the end of the file, on line 5.
        let quote = try #require(bundle.range(of: Data(#""HUGE""#.utf8))).lowerBound
        var cut = Data(bundle[...quote])
        cut.append(Data(repeating: UInt8(ascii: "A"), count: 1_001))
        let truncated = try directory.write("huge-prompt-truncated.json", cut)
        let diagnostic = expectRejected(try FlowRole.inventory([truncated]), file: truncated)
        #expect(diagnostic?.line == 5)
        #expect(diagnostic?.message.contains("ends inside a string opened at line 5") == true)
    }

    @Test("XML: a 100 MB text element is read in bounded memory; an attribute value over 10 MB is rejected")
    func hugeStringInXML() throws {
        let directory = try TemporaryDirectory()
        let fixture = try Fixtures.data("good/role-a.GetRole.xml")
        let file = try Self.write(
            "huge-description.xml", in: directory, replacing: "Service role for Amazon Bedrock Flows", in: fixture,
            count: Self.hundredMegabytes)
        let (result, peak) = try MeasuredRun.run(["inventory", file])
        expectSuccess(result)
        #expect(peak < 5 * Self.hundredMegabytes / 1024, "peak RSS \(peak) KiB for a 100 MB input")

        // libxml2 refuses attribute values over 10,000,000 bytes (no XML_PARSE_HUGE); shorter ones
        // are ignored, as every attribute is.
        let accepted = try Self.xmlWithAttribute(value: 1 << 20, in: directory, name: "attribute-1mb.xml")
        expectSuccess(try FlowRole.inventory([accepted]))
        let rejected = try Self.xmlWithAttribute(value: 12 << 20, in: directory, name: "attribute-12mb.xml")
        let diagnostic = expectRejected(try FlowRole.inventory([rejected]), file: rejected)
        #expect(diagnostic?.line == 3)
        #expect(diagnostic?.message.contains("AttValue length too long") == true)
    }

    // MARK: Hostile XML

    @Test("100,000 attributes on one element are rejected at once (libxml2 alone takes seconds, quadratically)")
    func hugeAttributeCount() throws {
        let directory = try TemporaryDirectory()
        let fixture = String(decoding: try Fixtures.data("good/role-a.GetRole.xml"), as: UTF8.self)
        func withAttributes(_ count: Int) -> String {
            let attributes = (0..<count).map { "a\($0)=\"v\"" }.joined(separator: " ")
            return fixture.replacingOccurrences(of: "<Role>", with: "<Role \(attributes)>")
        }
        let crowded = try directory.write("attributes-100000.xml", withAttributes(100_000))
        let result = try FlowRole.inventory([crowded])
        let diagnostic = expectRejected(result, file: crowded)
        #expect(diagnostic?.line == 3)
        #expect(diagnostic?.column == 5)  // the `<` of `    <Role`
        #expect(diagnostic?.message.contains("<Role> has more than 256 attributes") == true)
        #expect(result.seconds < 5, "took \(result.seconds) s")

        // 256 are allowed (and ignored); so are thousands of `=` inside a comment or CDATA.
        let most = try directory.write("attributes-256.xml", withAttributes(256))
        expectSuccess(try FlowRole.inventory([most]))
        let many = String(repeating: "x=\"1\" ", count: 1_000)
        let commented = try directory.write(
            "attributes-in-comment.xml",
            fixture.replacingOccurrences(of: "<Role>", with: "<!-- <a \(many)> --><Role>")
                .replacingOccurrences(of: "<Description>", with: "<Description><![CDATA[<a \(many)>]]>"))
        expectSuccess(try FlowRole.inventory([commented]))
    }

    @Test(
        "XML declaring entities or a DTD in other forms: rejected at the declaration, the canary never shown",
        arguments: [
            BadInputTests.EntityCase(
                name: "external general entity (PUBLIC)", line: 3, mentions: #"declares the entity "canary""#,
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse [
                      <!ENTITY canary PUBLIC "-//Example//Canary//EN" "CANARY">
                    ]>
                    <GetRoleResponse><GetRoleResult><Role><RoleName>&canary;</RoleName></Role></GetRoleResult></GetRoleResponse>

                    """),
            BadInputTests.EntityCase(
                name: "external DTD (PUBLIC)", line: 2, mentions: "names an external DTD",
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse PUBLIC "-//Example//Canary//EN" "CANARY">
                    <GetRoleResponse><GetRoleResult/></GetRoleResponse>

                    """),
            BadInputTests.EntityCase(
                name: "internal parameter entity", line: 3, mentions: #"declares the entity "%p""#,
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse [
                      <!ENTITY % p "<!ENTITY canary SYSTEM 'CANARY'>">
                      %p;
                    ]>
                    <GetRoleResponse><GetRoleResult><Role><RoleName>&canary;</RoleName></Role></GetRoleResult></GetRoleResponse>

                    """),
            BadInputTests.EntityCase(
                name: "unparsed (NDATA) entity", line: 4, mentions: #"declares the entity "pic""#,
                template: """
                    <?xml version="1.0"?>
                    <!DOCTYPE GetRoleResponse [
                      <!NOTATION png SYSTEM "image/png">
                      <!ENTITY pic SYSTEM "CANARY" NDATA png>
                    ]>
                    <GetRoleResponse><GetRoleResult/></GetRoleResponse>

                    """),
            BadInputTests.EntityCase(
                name: "undeclared entity reference", line: 1, mentions: "Entity 'canary' not defined",
                template: """
                    <GetRoleResponse><GetRoleResult><Role><RoleName>&canary;</RoleName></Role></GetRoleResult></GetRoleResponse>

                    """),
            BadInputTests.EntityCase(
                name: "XInclude (not processed: an element like any other)", line: 3, mentions: "must be a string",
                template: """
                    <GetRoleResponse xmlns:xi="http://www.w3.org/2001/XInclude"><GetRoleResult>
                      <Role><Path>/</Path><Arn>arn:aws:iam::111122223333:role/FlowsRoleA</Arn>
                        <RoleName><xi:include href="CANARY" parse="text"/></RoleName></Role>
                    </GetRoleResult></GetRoleResponse>

                    """),
        ])
    func hostileXMLForms(_ testCase: BadInputTests.EntityCase) throws {
        let directory = try TemporaryDirectory()
        let canary = "canary-" + UUID().uuidString
        let canaryFile = try directory.write("canary.txt", canary)
        let file = try directory.write(
            "hostile.xml",
            testCase.template.replacingOccurrences(of: "CANARY", with: URL(fileURLWithPath: canaryFile).absoluteString))
        let result = try FlowRole.inventory([file])
        let diagnostic = expectRejected(result, file: file)
        #expect(diagnostic?.line == testCase.line)
        #expect(diagnostic?.message.contains(testCase.mentions) == true, "\(diagnostic?.message ?? "")")
        #expect(!result.stdout.contains(canary))
        #expect(!result.stderr.contains(canary))
    }

    @Test("quadratic blowup (one 50 KB entity referenced 50,000 times) is rejected at its declaration, fast")
    func quadraticBlowup() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "quadratic.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"\(String(repeating: "x", count: 50_000))\">]>\n<r>"
                + String(repeating: "&a;", count: 50_000) + "</r>\n")
        let result = try FlowRole.inventory([file])
        let diagnostic = expectRejected(result, file: file)
        #expect(diagnostic?.line == 2)
        #expect(diagnostic?.message.contains(#"declares the entity "a""#) == true)
        #expect(result.seconds < 5, "took \(result.seconds) s")
    }

    // MARK: Syntax and encoding

    @Test("UTF-16 without a byte-order mark (JSON and XML), UTF-32 with one, a UTF-16 XML export with one")
    func otherEncodings() throws {
        let directory = try TemporaryDirectory()
        let json = String(decoding: try Fixtures.data("good/role-a.json"), as: UTF8.self)
        let xml = String(decoding: try Fixtures.data("good/role-a.GetRole.xml"), as: UTF8.self)
        // With an encoding declaration libxml2 decodes UTF-16 without a mark; it is refused anyway.
        let declared = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + xml
        let cases: [(name: String, bytes: [UInt8], mentions: String)] = [
            ("utf16le.json", json.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] }, "NUL byte"),
            ("utf16be.json", json.utf16.flatMap { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }, "NUL byte"),
            (
                "utf32le.json",
                [0xFF, 0xFE, 0, 0]
                    + json.unicodeScalars.flatMap { scalar in
                        (0..<4).map { UInt8(truncatingIfNeeded: scalar.value >> (8 * $0)) }
                    }, "UTF-32"
            ),
            (
                "utf32be.json",
                [0, 0, 0xFE, 0xFF]
                    + json.unicodeScalars.flatMap { scalar in
                        (0..<4).reversed().map { UInt8(truncatingIfNeeded: scalar.value >> (8 * $0)) }
                    }, "UTF-32"
            ),
            (
                "utf16le-bom.xml",
                [0xFF, 0xFE] + xml.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] },
                "UTF-16"
            ),
            (
                "utf16le.xml", declared.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] },
                "UTF-16 (little-endian, without a byte-order mark)"
            ),
            ("utf16be.xml", declared.utf16.flatMap { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }, "NUL byte"),
        ]
        for (name, bytes, mentions) in cases {
            let file = try directory.write(name, bytes: bytes)
            let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
            #expect(diagnostic?.line == 1, "\(name)")
            #expect(diagnostic?.column == 1, "\(name)")
            #expect(diagnostic?.message.contains(mentions) == true, "\(name): \(diagnostic?.message ?? "")")
        }
    }

    @Test("truncated XML names the line and the open element")
    func truncatedXML() throws {
        let directory = try TemporaryDirectory()
        let fixture = try Fixtures.data("good/role-a.GetRole.xml")
        // Cut inside the <Description> text on line 10.
        let cut = try #require(fixture.range(of: Data("Amazon Bedrock".utf8))).lowerBound
        let file = try directory.write("truncated.xml", Data(fixture[..<cut]))
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 10)
        #expect(diagnostic?.message.contains("Premature end of data") == true)
    }

    // MARK: Duplicates and wide objects

    @Test("a repeated XML element (other than <member>) is a duplicate key")
    func duplicateXMLElement() throws {
        let directory = try TemporaryDirectory()
        let fixture = String(decoding: try Fixtures.data("good/role-a.GetRole.xml"), as: UTF8.self)
        let file = try directory.write(
            "duplicate.xml",
            fixture.replacingOccurrences(
                of: "<RoleName>FlowsRoleA</RoleName>",
                with: "<RoleName>FlowsRoleA</RoleName>\n      <RoleName>Other</RoleName>"))
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.line == 6)
        #expect(diagnostic?.message.contains(#"more than one child element "RoleName" (first on line 5)"#) == true)
    }

    @Test("an object with 100,000 keys is read in linear time; a duplicate last key is still found, kept or skipped")
    func wideObject() throws {
        let directory = try TemporaryDirectory()
        let fixture = String(decoding: try Fixtures.data("good/role-a.json"), as: UTF8.self)
        let keys = (0..<100_000).map { "\"k\($0)\": 1" }.joined(separator: ",\n")
        let wide = try directory.write(
            "wide.json", fixture.replacingOccurrences(of: #""RoleLastUsed": {}"#, with: "\"RoleLastUsed\": {\n\(keys)}")
        )
        let read = try FlowRole.inventory([wide])
        expectSuccess(read)
        #expect(read.seconds < 10, "took \(read.seconds) s")

        let duplicated = try directory.write(
            "wide-duplicate.json",
            fixture.replacingOccurrences(
                of: #""RoleLastUsed": {}"#, with: "\"RoleLastUsed\": {\n\(keys),\n\"k17\": 2}"))
        let rejected = try FlowRole.inventory([duplicated])
        let diagnostic = expectRejected(rejected, file: duplicated)
        #expect(diagnostic?.line == 32 + 100_000)  // "RoleLastUsed" is on line 31
        #expect(diagnostic?.column == 1)
        #expect(diagnostic?.message.contains(#"duplicate key "k17""#) == true)
        #expect(rejected.seconds < 10, "took \(rejected.seconds) s")

        // Inside a skipped flow key (validated by another code path).
        let skipped = try directory.write(
            "wide-skipped.json",
            #"{"flows": [{"definition": {"nodes": [{"inputs": {"# + "\n\(keys),\n\"k99999\": 2}}]}}]}")
        let skippedDiagnostic = expectRejected(try FlowRole.inventory([skipped]), file: skipped)
        #expect(skippedDiagnostic?.line == 2 + 100_000)
        #expect(skippedDiagnostic?.message.contains(#"duplicate key "k99999""#) == true)
    }

    // MARK: Wrong types

    struct WrongTypeCase: Sendable, CustomStringConvertible {
        var name: String
        var pointer: String
        var mentions: String
        /// Builds the file from the role-a fixture (JSON or XML).
        var xml: Bool = false
        var replace: String
        var with: String
        var description: String { name }
    }

    @Test(
        "a value of the wrong type names its pointer and both types",
        arguments: [
            WrongTypeCase(
                name: "a number for a string", pointer: "/Role/RoleName",
                mentions: "RoleName must be a string, not a number",
                replace: #""RoleName": "FlowsRoleA""#, with: #""RoleName": 42"#),
            WrongTypeCase(
                name: "a number for a timestamp", pointer: "/Role/CreateDate",
                mentions: "CreateDate must be a string, not a number",
                replace: #""CreateDate": "2024-05-02T09:14:31+00:00""#, with: #""CreateDate": 1714641271"#),
            WrongTypeCase(
                name: "a string for an integer", pointer: "/Role/MaxSessionDuration",
                mentions: "MaxSessionDuration must be an integer, not a string",
                replace: #""MaxSessionDuration": 3600"#, with: #""MaxSessionDuration": "3600""#),
            WrongTypeCase(
                name: "a string for a list", pointer: "/Role/Tags", mentions: "Tags must be a list, not a string",
                replace: #""RoleLastUsed": {}"#, with: #""RoleLastUsed": {}, "Tags": "team=payments""#),
            WrongTypeCase(
                name: "an array for a policy document", pointer: "/Role/AssumeRolePolicyDocument",
                mentions: "a policy document must be an object or a string, not an array",
                replace: #""AssumeRolePolicyDocument": {"#, with: #""AssumeRolePolicyDocument": ["x"], "Unused": {"#),
            WrongTypeCase(
                name: "a number for a statement list", pointer: "/Role/AssumeRolePolicyDocument/Statement",
                mentions: "Statement must be an object or a list of objects, not a number",
                replace: #""Statement": ["#, with: #""Statement": 7, "Unused": ["#),
            WrongTypeCase(
                name: "XML text for a list", pointer: "/GetRoleResult/Role/Tags",
                mentions: "Tags must be a list, not a string",
                xml: true, replace: "<RoleLastUsed/>", with: "<RoleLastUsed/><Tags>team=payments</Tags>"),
        ])
    func wrongTypes(_ testCase: WrongTypeCase) throws {
        let directory = try TemporaryDirectory()
        let fixture = String(
            decoding: try Fixtures.data(testCase.xml ? "good/role-a.GetRole.xml" : "good/role-a.json"), as: UTF8.self)
        #expect(fixture.contains(testCase.replace), "the fixture has \(testCase.replace)")
        let text = fixture.replacingOccurrences(of: testCase.replace, with: testCase.with)
        let file = try directory.write("wrong-type" + (testCase.xml ? ".xml" : ".json"), text)
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.pointer == testCase.pointer)
        #expect(diagnostic?.message.contains(testCase.mentions) == true, "\(diagnostic?.message ?? "")")
    }

    @Test(
        "the wrong type for a list in a flow bundle, an authorization-details export and a list output",
        arguments: [
            (#"{"flows": "AAAAAAAAAA"}"#, "/flows", "flows must be a list, not a string"),
            (
                #"{"RoleDetailList": {"RoleName": "r"}, "Policies": []}"#, "/RoleDetailList",
                "must be a list, not an object"
            ),
            (#"{"PolicyNames": "FlowsExecutionPolicy"}"#, "/PolicyNames", "PolicyNames must be a list, not a string"),
        ])
    func wrongTypesInOtherOutputs(_ text: String, _ pointer: String, _ mentions: String) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("wrong-type.json", text)
        let diagnostic = expectRejected(try FlowRole.inventory([file]), file: file)
        #expect(diagnostic?.pointer == pointer)
        #expect(diagnostic?.message.contains(mentions) == true, "\(diagnostic?.message ?? "")")
    }

    // MARK: Helpers

    /// Writes `data` with the first occurrence of `marker` replaced by a JSON string (or XML text,
    /// when the marker has no quotes) of `count` letters A, to `name` in `directory`. Written a
    /// megabyte at a time, so this test process never holds the large file (see `MeasuredRun`).
    static func write(
        _ name: String, in directory: TemporaryDirectory, replacing marker: String, in data: Data, count: Int
    ) throws -> String {
        let range = try #require(data.range(of: Data(marker.utf8)), "no \(marker) in the fixture")
        let quote = marker.hasPrefix("\"") ? Data("\"".utf8) : Data()
        let path = try directory.write(name, Data(data[..<range.lowerBound]) + quote)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let chunk = Data(repeating: UInt8(ascii: "A"), count: 1 << 20)
        var left = count
        while left > 0 {
            try handle.write(contentsOf: left >= chunk.count ? chunk : chunk.prefix(left))
            left -= chunk.count
        }
        try handle.write(contentsOf: quote + data[range.upperBound...])
        return path
    }

    /// The GetRole XML fixture with one attribute of `value` bytes on `<Role>` (line 3).
    static func xmlWithAttribute(value: Int, in directory: TemporaryDirectory, name: String) throws -> String {
        let fixture = try Fixtures.data("good/role-a.GetRole.xml")
        let withAttribute = Data(
            String(decoding: fixture, as: UTF8.self).replacingOccurrences(of: "<Role>", with: "<Role a=\"VALUE\">").utf8
        )
        return try write(name, in: directory, replacing: "VALUE", in: withAttribute, count: value)
    }
}

/// Runs the built `flowrole` like `FlowRole.run`, and also returns its own peak resident memory in KiB.
///
/// Measured by a small python3 process, not from this one: glibc's `posix_spawn` (and so `Process`)
/// starts a child in this process's address space, and `execve` records that space's high-water
/// mark as the child's, so a child of this test process can never measure below the test process's
/// own peak. The python3 process forks (so flowrole starts from a small address space), execs
/// flowrole, reaps it with `wait4` and writes its `ru_maxrss` and wait status to a file. It first
/// detaches from this process, so flowrole's peak never reaches this process's
/// `getrusage(RUSAGE_CHILDREN)`.
enum MeasuredRun {
    static let script = """
        import os, signal, sys
        report, out, err, seconds, argv = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
        if os.fork() != 0:
            os._exit(0)
        try:
            pid = os.fork()
            if pid == 0:
                os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
                os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
                os.execv(argv[0], argv)
            signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
            signal.alarm(seconds)
            _, status, usage = os.wait4(pid, 0)
            text = f"{usage.ru_maxrss} {status}"
        except BaseException as error:
            text = f"error {error!r}"
        with open(report + ".tmp", "w") as file:
            file.write(text)
        os.rename(report + ".tmp", report)
        """

    static func run(_ arguments: [String]) throws -> (result: RunResult, peakKiB: Int) {
        let scratch = try TemporaryDirectory(prefix: "flowrole-measured")
        let (report, out, err) = (scratch.path("report"), scratch.path("stdout"), scratch.path("stderr"))
        let timeout = Int(FlowRole.timeout)
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        let wrapper = try ChildProcess.run(
            "python3", ["-c", script, report, out, err, String(timeout), try FlowRoleBinary.url().path] + arguments,
            environment: ProcessInfo.processInfo.environment, scratch: scratch, timeout: 10)
        while !FileManager.default.fileExists(atPath: report) && elapsed() < FlowRole.timeout + 10 {
            usleep(10_000)
        }
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        let fields = text.split(separator: " ").compactMap { Int32($0) }
        guard fields.count == 2 else {
            throw HarnessError("the python3 wrapper reported \"\(text)\" (exit \(wrapper.status)): \(wrapper.stderr)")
        }
        let status = fields[1]
        let signal = status & 0x7F
        let seconds = elapsed()
        let result = RunResult(
            arguments: arguments, status: signal == 0 ? (status >> 8) & 0xFF : signal, terminatedBySignal: signal != 0,
            timedOut: signal == SIGKILL && seconds >= FlowRole.timeout,
            stdoutData: (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data(),
            stderrData: (try? Data(contentsOf: URL(fileURLWithPath: err))) ?? Data(), seconds: seconds)
        return (result, Int(fields[0]))
    }
}
