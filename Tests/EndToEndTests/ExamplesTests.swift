import Foundation
import Testing

/// `flowrole inventory` on the example account in `examples/` (docs/examples.md), run from the
/// package root with relative paths, as a user would.
@Suite("inventory on examples/")
struct ExamplesTests {
    // What examples/ holds, checked against the files by hand (iam/authorization-details.json: 7
    // roles and 2 managed policies; the IAM Query XML: 1 more role; flows/: 8 get-flow files and
    // bundle.json hold 8 flows, export.older.xml 1 more; versions: get-flow-version.K3TZ8WQ1PM.{1,2}
    // and version 1 of E2WN7QK5SJ in the XML; aliases: 2 per flow for K3TZ8WQ1PM and E2WN7QK5SJ).
    // `expectationsMatchTheFiles` re-derives the ARN lists from the files so they cannot drift.
    static let roleArns: Set<String> = [
        "arn:aws:iam::111122223333:role/BedrockFlowsDocumentReviewRole",
        "arn:aws:iam::111122223333:role/BedrockFlowsFaqBotRole",
        "arn:aws:iam::111122223333:role/BedrockFlowsIntakeSummaryRole",
        "arn:aws:iam::111122223333:role/BedrockFlowsOrderServicesRole",
        "arn:aws:iam::111122223333:role/finance/BedrockFlowsFinanceReportsRole",
        "arn:aws:iam::111122223333:role/flows/BedrockFlowsEuClaimsRole",
        "arn:aws:iam::111122223333:role/service-role/AmazonBedrockExecutionRoleForFlows_Q7M2XK9D",
        "arn:aws:iam::111122223333:role/service-role/AmazonBedrockExecutionRoleForFlows_W4N8JR3C",
    ]
    static let policyArns: Set<String> = [
        "arn:aws:iam::111122223333:policy/bedrock-flows/BedrockFlowsCommonAccess",
        "arn:aws:iam::111122223333:policy/boundaries/BedrockFlowsWorkloadBoundary",
    ]
    static let flowArns: Set<String> = [
        "arn:aws:bedrock:eu-west-1:111122223333:flow/E2WN7QK5SJ",
        "arn:aws:bedrock:us-east-1:111122223333:flow/C5JW1TXE9R",
        "arn:aws:bedrock:us-east-1:111122223333:flow/G6PB4MR0YH",
        "arn:aws:bedrock:us-east-1:111122223333:flow/K3TZ8WQ1PM",
        "arn:aws:bedrock:us-east-1:111122223333:flow/L9FA3ZU6VB",
        "arn:aws:bedrock:us-east-1:111122223333:flow/N7DX2RB5QA",
        "arn:aws:bedrock:us-east-1:111122223333:flow/P2LS6YJ8WE",
        "arn:aws:bedrock:us-east-1:111122223333:flow/R4HM9CV2TL",
        "arn:aws:bedrock:us-east-1:111122223333:flow/V8QG3NZ7KD",
    ]
    /// Numbered versions per flow ID (DRAFT is not counted).
    static let versions: [String: [String]] = ["K3TZ8WQ1PM": ["1", "2"], "E2WN7QK5SJ": ["1"]]
    static let aliasArns: Set<String> = [
        "arn:aws:bedrock:us-east-1:111122223333:flow/K3TZ8WQ1PM/alias/PRD4W8ZK2Q",
        "arn:aws:bedrock:us-east-1:111122223333:flow/K3TZ8WQ1PM/alias/TSTALIASID",
        "arn:aws:bedrock:eu-west-1:111122223333:flow/E2WN7QK5SJ/alias/EUPRD7QX3M",
        "arn:aws:bedrock:eu-west-1:111122223333:flow/E2WN7QK5SJ/alias/TSTALIASID",
    ]

    /// Every file under examples/, as paths relative to the package root, sorted the way the tool
    /// sorts a directory's files (by path).
    static func exampleFiles(root: URL) throws -> [String] {
        let base = root.appendingPathComponent("examples")
        guard let walker = FileManager.default.enumerator(atPath: base.path) else {
            throw HarnessError("cannot list \(base.path)")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(
                atPath: base.appendingPathComponent(relative).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append("examples/" + relative)
            }
        }
        return files.sorted()
    }

    /// All matches of `pattern` in every example file.
    static func scan(_ pattern: String, root: URL) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var found = Set<String>()
        for file in try exampleFiles(root: root) {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in regex.matches(in: text, range: range) {
                if let matched = Range(match.range, in: text) { found.insert(String(text[matched])) }
            }
        }
        return found
    }

    @Test("the expected ARNs above are the ones the example files hold")
    func expectationsMatchTheFiles() throws {
        let root = try PackageRoot.url()
        #expect(try Self.scan(#"arn:aws:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+"#, root: root) == Self.roleArns)
        #expect(try Self.scan(#"arn:aws:iam::[0-9]{12}:policy/[A-Za-z0-9_+=,.@/-]+"#, root: root) == Self.policyArns)
        #expect(try Self.scan(#"arn:aws:bedrock:[a-z0-9-]+:[0-9]{12}:flow/[A-Z0-9]{10}"#, root: root) == Self.flowArns)
        #expect(
            try Self.scan(#"arn:aws:bedrock:[a-z0-9-]+:[0-9]{12}:flow/[A-Z0-9]{10}/alias/[A-Z0-9]+"#, root: root)
                == Self.aliasArns)
    }

    @Test("text output names every role, policy and flow, with the right counts")
    func textOutput() throws {
        let root = try PackageRoot.url()
        let result = try FlowRole.inventory(["examples/"], in: root)
        expectSuccess(result)
        let text = result.stdout
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let files = try Self.exampleFiles(root: root)
        #expect(
            lines.first
                == "Read \(files.count) input files: 8 roles, 2 managed policies, 9 flows, 3 versions, 4 aliases, 0 problems."
        )
        #expect(lines.contains("Roles (8)"))
        #expect(lines.contains("Managed policies (2)"))
        #expect(lines.contains("Flows (9)"))
        #expect(lines.contains("Problems (0)"))
        // Each object is listed on a line of its own ("  ARN" or "  ARN  name/default …").
        func listed(_ arn: String) -> Int { lines.filter { $0 == "  \(arn)" || $0.hasPrefix("  \(arn)  ") }.count }
        for arn in Self.roleArns { #expect(listed(arn) == 1, "role \(arn)") }
        for arn in Self.policyArns { #expect(listed(arn) == 1, "policy \(arn)") }
        for arn in Self.flowArns { #expect(listed(arn) == 1, "flow \(arn)") }
        #expect(lines.filter { $0.hasPrefix("  arn:aws:iam::") && $0.contains(":role/") }.count == 8)
        #expect(lines.filter { $0.hasPrefix("  arn:aws:bedrock:") && $0.contains(":flow/") }.count == 9)
        #expect(lines.filter { $0.hasPrefix("      alias ") }.count == 4)
        #expect(lines.contains("Regions:  eu-west-1, us-east-1"))
        #expect(lines.contains("  aws 111122223333 eu-west-1  by flows"))
        #expect(lines.contains("  aws 111122223333 us-east-1  by flows"))
        // Every input file is listed, in the order read (a directory: sorted by path).
        let inputLines = lines.filter { $0.hasPrefix("  examples/") }.map {
            String($0.dropFirst(2).prefix { $0 != " " })
        }
        #expect(inputLines == files)
    }

    @Test("--json parses and holds the same objects and counts; coverage is us-east-1 and eu-west-1")
    func jsonOutput() throws {
        let root = try PackageRoot.url()
        let result = try FlowRole.inventory(["examples/"], json: true, in: root)
        expectSuccess(result)
        let json = try JSON(parsing: result.stdoutData)
        #expect(json["schema"] == .string("flowrole.inventory/v1"))
        let counts = try #require(json["counts"])
        #expect(counts["roles"]?.int == 8)
        #expect(counts["managedPolicies"]?.int == 2)
        #expect(counts["flows"]?.int == 9)
        #expect(counts["versions"]?.int == 3)
        #expect(counts["aliases"]?.int == 4)
        #expect(counts["problems"]?.int == 0)

        let roles = try #require(json["roles"]?.array)
        #expect(Set(roles.compactMap { $0["arn"]?.string }) == Self.roleArns)
        #expect(roles.count == 8)
        let policies = try #require(json["managedPolicies"]?.array)
        #expect(Set(policies.compactMap { $0["arn"]?.string }) == Self.policyArns)
        #expect(policies.count == 2)
        let flows = try #require(json["flows"]?.array)
        #expect(Set(flows.compactMap { $0["arn"]?.string }) == Self.flowArns)
        #expect(flows.count == 9)
        // The listed counts agree with the lists themselves.
        var versions: [String: [String]] = [:]
        var aliases = Set<String>()
        for flow in flows {
            let arn = try #require(flow["arn"]?.string)
            let id = String(arn.split(separator: "/").last ?? "")
            let listed = try #require(flow["versions"]?.array).compactMap(\.string)
            #expect(listed.first == "DRAFT", "\(arn) lists DRAFT first")
            let numbered = Array(listed.dropFirst())
            if !numbered.isEmpty { versions[id] = numbered }
            for alias in flow["aliases"]?.array ?? [] { aliases.insert(alias["arn"]?.string ?? "") }
            // Every flow runs as a role the inputs hold.
            #expect(flow["role"]?.string.map(Self.roleArns.contains) == true, "\(arn) has a known role")
        }
        #expect(versions == Self.versions)
        #expect(aliases == Self.aliasArns)
        #expect(json["problems"] == .array([]))
        #expect(json["accounts"] == .array([.string("111122223333")]))
        #expect(json["regions"] == .array([.string("eu-west-1"), .string("us-east-1")]))
        let coverage = try #require(json["coverage"]?.array)
        #expect(
            coverage == [
                .object([
                    "partition": .string("aws"), "account": .string("111122223333"), "region": .string("eu-west-1"),
                    "by": .string("flows"),
                ]),
                .object([
                    "partition": .string("aws"), "account": .string("111122223333"), "region": .string("us-east-1"),
                    "by": .string("flows"),
                ]),
            ])
        let inputs = try #require(json["inputs"]?.array).compactMap { $0["path"]?.string }
        #expect(inputs == (try Self.exampleFiles(root: root)))
    }

    @Test("two runs give byte-identical stdout (text and --json)")
    func repeatable() throws {
        let root = try PackageRoot.url()
        for json in [false, true] {
            let first = try FlowRole.inventory(["examples/"], json: json, in: root)
            let second = try FlowRole.inventory(["examples/"], json: json, in: root)
            expectSuccess(first)
            expectSuccess(second)
            #expect(!first.stdoutData.isEmpty)
            #expect(first.stdoutData == second.stdoutData, "json: \(json)")
        }
    }

    /// The actual behaviour: inputs are listed in the order they are read — the arguments in the
    /// order given, a directory's files sorted by path — and nothing else in the output depends on
    /// that order for examples/ (each object is in exactly one file there). Listing the files
    /// explicitly in sorted order is the same as naming the directory, byte for byte.
    @Test("explicit files, sorted or reversed: identical output except the order of `inputs`")
    func argumentOrder() throws {
        let root = try PackageRoot.url()
        let files = try Self.exampleFiles(root: root)
        #expect(files.count >= 2)
        let byDirectory = try FlowRole.inventory(["examples/"], json: true, in: root)
        let sorted = try FlowRole.inventory(files, json: true, in: root)
        let reversed = try FlowRole.inventory(files.reversed(), json: true, in: root)
        for result in [byDirectory, sorted, reversed] { expectSuccess(result) }
        #expect(sorted.stdoutData == byDirectory.stdoutData, "naming the files in sorted order = naming the directory")

        let forwardJSON = try JSON(parsing: sorted.stdoutData)
        let reversedJSON = try JSON(parsing: reversed.stdoutData)
        let forwardInputs = try #require(forwardJSON["inputs"]?.array)
        let reversedInputs = try #require(reversedJSON["inputs"]?.array)
        #expect(forwardInputs.compactMap { $0["path"]?.string } == files)
        #expect(reversedInputs == Array(forwardInputs.reversed()), "inputs are listed in the order given")

        // Byte-identical once the `inputs` block is cut out of both.
        func withoutInputs(_ text: String) throws -> [Substring] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.firstIndex(of: "  \"inputs\": ["))
            let end = try #require(lines[start...].firstIndex { $0 == "  ]," || $0 == "  ]" })
            return Array(lines[..<start] + lines[(end + 1)...])
        }
        let forwardRest = try withoutInputs(sorted.stdout)
        let reversedRest = try withoutInputs(reversed.stdout)
        #expect(forwardRest == reversedRest)
        #expect(forwardRest.count > 100)

        // The text form likewise: only the "Inputs" section differs (reversed).
        let forwardText = try FlowRole.inventory(files, in: root)
        let reversedText = try FlowRole.inventory(files.reversed(), in: root)
        expectSuccess(forwardText)
        expectSuccess(reversedText)
        func split(_ text: String) -> (inputs: [Substring], rest: [Substring]) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let inputs = lines.filter { $0.hasPrefix("  examples/") }
            return (inputs, lines.filter { !$0.hasPrefix("  examples/") })
        }
        #expect(split(forwardText.stdout).rest == split(reversedText.stdout).rest)
        #expect(split(forwardText.stdout).inputs == Array(split(reversedText.stdout).inputs.reversed()))
    }
}
