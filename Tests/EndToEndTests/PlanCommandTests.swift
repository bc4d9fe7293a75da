import Foundation
import Testing

/// `flowrole plan` and `verify` on the example account: files written, exit codes, determinism.
@Suite("plan and verify")
struct PlanCommandTests {
    static var examples: String {
        get throws { try PackageRoot.url().appendingPathComponent("examples").path }
    }

    func read(_ folder: TemporaryDirectory, _ name: String) throws -> Data {
        try Data(contentsOf: folder.url.appendingPathComponent("out").appendingPathComponent(name))
    }

    @Test func planWritesEveryFileAndExitsByTheDetailedContract() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("out")
        let result = try FlowRole.run(["plan", try Self.examples, "--out", out, "--detailed-exitcode"])
        // Two blockers in the example account (an explicit Deny, a boundary): 3.
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.contains("wrote \(out)/plan.json"))
        for name in ["plan.json", "report.md", "report.html", "summary.csv"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        let plan = try JSON(parsing: try read(folder, "plan.json"))
        #expect(plan["schema"]?.string == "flowrole.plan/v1")
        #expect(plan["migration"]?["legacyBefore"]?.string == "2024-11-23T00:00:00Z")
        #expect(plan["summary"]?["roles"]?.int == 8)
        #expect(plan["generatedAt"] == nil)  // no clock without --timestamp
        #expect(plan["inputs"]?.array?.count == 11)
        let csv = String(decoding: try read(folder, "summary.csv"), as: UTF8.self)
        #expect(csv.split(separator: "\r\n").count == 9)  // header + 8 roles
        let markdown = String(decoding: try read(folder, "report.md"), as: UTF8.self)
        #expect(markdown.contains("```diff"))
        #expect(
            markdown.split(separator: "\n").contains {
                $0.hasPrefix("+") && $0.contains(#""Sid": "FlowroleLambdaInvokeFunction""#)
            })

        // Without --detailed-exitcode a plan with blockers is still a success.
        #expect(try FlowRole.run(["plan", try Self.examples, "--out", out]).status == 0)
        // verify: 3 while a blocker remains; 0 when the selection leaves nothing to do.
        #expect(try FlowRole.run(["verify", try Self.examples]).status == 3)
        #expect(try FlowRole.run(["verify", try Self.examples, "--role", "BedrockFlowsFaqBotRole"]).status == 0)
        #expect(try FlowRole.run(["verify", try Self.examples, "--role", "*Eu*"]).status == 2)
    }

    @Test func verifyWritesNothingUnlessAskedTo() throws {
        let folder = try TemporaryDirectory()
        let result = try FlowRole.run(["verify", try Self.examples], in: folder.url)
        #expect(result.status == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
        let written = try FlowRole.run(["verify", try Self.examples, "--out", folder.path("check")], in: folder.url)
        #expect(written.status == 3)
        #expect(FileManager.default.fileExists(atPath: folder.path("check/plan.json")))
    }

    @Test func twoProcessesAndAnotherInputOrderGiveIdenticalBytes() throws {
        let folder = try TemporaryDirectory()
        let root = try Self.examples
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { !$0.hasSuffix("/") && $0.contains(".") }.map { root + "/" + $0 }.sorted()
        let first = try FlowRole.run(
            ["plan"] + files + ["--out", folder.path("a"), "--timestamp", "2026-11-29T00:00:00Z"])
        let second = try FlowRole.run(
            ["plan"] + files.reversed() + ["--out", folder.path("b"), "--timestamp", "2026-11-29T00:00:00Z"])
        #expect(first.status == 0 && second.status == 0, "\(first)\n\(second)")
        for name in ["plan.json", "report.md", "report.html", "summary.csv"] {
            let one = try Data(contentsOf: folder.url.appendingPathComponent("a/" + name))
            let other = try Data(contentsOf: folder.url.appendingPathComponent("b/" + name))
            #expect(one == other, "\(name) differs between runs")
        }
        let plan = try JSON(parsing: try Data(contentsOf: folder.url.appendingPathComponent("a/plan.json")))
        #expect(plan["generatedAt"]?.string == "2026-11-29T00:00:00Z")
    }

    @Test func aFailedRunLeavesThePreviousOutputAsItWas() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("out")
        #expect(try FlowRole.run(["plan", try Self.examples, "--out", out]).status == 0)
        let before = try read(folder, "plan.json")
        let bad = try folder.write("bad.json", "{\"Role\": ")
        let failed = try FlowRole.run(["plan", try Self.examples, bad, "--out", out])
        #expect(failed.status == 1)
        #expect(try read(folder, "plan.json") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter {
            $0.hasPrefix(".")
        }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try FlowRole.run(["plan", try Self.examples, "--legacy-before", "yesterday"]).status == 64)
    }

    @Test func anOutputFolderThatCannotBeWrittenIsAnErrorThatLeavesNothing() throws {
        let folder = try TemporaryDirectory()
        let blocker = try folder.write("not-a-folder", "a file where the output's parent should be")
        let failed = try FlowRole.run(["plan", try Self.examples, "--out", blocker + "/out"])
        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stderr.contains("\(blocker)/out: error: cannot write the output folder"), "\(failed)")
        #expect(!failed.stderr.contains("Fatal error"))
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "a file where the output's parent should be")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["not-a-folder"])
    }
}

@Suite("plan on JSON and XML forms")
struct PlanFormsTests {
    @Test func theJSONAndXMLFormsOfOneAccountGiveTheSamePlan() throws {
        let folder = try TemporaryDirectory()
        let json = try FlowRole.run([
            "plan", try Fixtures.path("real/iam/cli/get-account-authorization-details.json"),
            try Fixtures.path("real/bedrock-agent-xml/flows.export.json"), "--out", folder.path("json"),
        ])
        let xml = try FlowRole.run([
            "plan", try Fixtures.path("real/iam/query/GetAccountAuthorizationDetails.xml"),
            try Fixtures.path("real/bedrock-agent-xml/flows.export.xml"), "--out", folder.path("xml"),
        ])
        #expect(json.status == 0 && xml.status == 0, "\(json)\n\(xml)")
        // Apart from the inputs and where each role was read, the plans are the same.
        let fromJSON = try JSON(parsing: try Data(contentsOf: folder.url.appendingPathComponent("json/plan.json")))
            .removing(keys: ["inputs", "source"])
        let fromXML = try JSON(parsing: try Data(contentsOf: folder.url.appendingPathComponent("xml/plan.json")))
            .removing(keys: ["inputs", "source"])
        #expect(fromJSON == fromXML, "differences: \(fromJSON.differences(from: fromXML))")
        #expect(fromJSON["summary"]?["rolesToChange"]?.int ?? 0 > 0)
    }
}
