import Foundation
import Testing

/// `flowrole inventory` on the real sample exports (a copy of Tests/InventoryTests/Fixtures/real).
@Suite("inventory on the real samples")
struct RealSamplesTests {
    @Test("the whole real fixture folder reads, text and --json")
    func wholeFolder() throws {
        let folder = try Fixtures.path("real")
        let text = try FlowRole.inventory([folder])
        expectSuccess(text)
        #expect(text.stdout.hasPrefix("Read 39 input files: 6 roles, 2 managed policies, 9 flows"))

        let result = try FlowRole.inventory([folder], json: true)
        expectSuccess(result)
        let json = try JSON(parsing: result.stdoutData)
        // Six distinct role ARNs and nine flow IDs occur in the files (the same roles are read
        // from several files: authorization details as JSON and XML, get-role, …).
        #expect(json["counts"]?["roles"]?.int == 6)
        #expect(json["counts"]?["flows"]?.int == 9)
        let roles = try #require(json["roles"]?.array).compactMap { $0["arn"]?.string }
        #expect(
            Set(roles) == [
                "arn:aws:iam::123456789012:role/BedrockFlowsClaimsIntakeRole",
                "arn:aws:iam::123456789012:role/BedrockFlowsDocBatchRole",
                "arn:aws:iam::123456789012:role/BedrockFlowsKnowledgeAssistantRole",
                "arn:aws:iam::123456789012:role/BedrockFlowsLegacyRole",
                "arn:aws:iam::123456789012:role/automation/BedrockFlowsSharedAutomationRole",
                "arn:aws:iam::123456789012:role/service-role/AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B",
            ])
        let inputs = try #require(json["inputs"]?.array)
        #expect(inputs.count == 39)
    }

    @Test("the flow export as XML and as JSON give the same inventory, provenance aside")
    func xmlAndJSONExportsAgree() throws {
        let xml = try FlowRole.inventory([try Fixtures.path("real/bedrock-agent-xml/flows.export.xml")], json: true)
        let json = try FlowRole.inventory([try Fixtures.path("real/bedrock-agent-xml/flows.export.json")], json: true)
        expectSuccess(xml)
        expectSuccess(json)
        let provenance: Set<String> = ["inputs", "source", "sources"]
        let fromXML = try JSON(parsing: xml.stdoutData).removing(keys: provenance)
        let fromJSON = try JSON(parsing: json.stdoutData).removing(keys: provenance)
        #expect(fromXML == fromJSON, "differences: \(fromXML.differences(from: fromJSON))")
        // Not vacuous: both hold the flows.
        #expect(fromXML["counts"]?["flows"]?.int == 3)
        #expect(fromXML["flows"]?.array?.count == 3)
    }

    @Test("every file of the real samples given forwards and backwards: the same output but for the inputs list")
    func argumentOrderDoesNotMatter() throws {
        let folder = try Fixtures.root().appendingPathComponent("real")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            .map { folder.appendingPathComponent($0).path }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            .sorted()
        #expect(files.count == 39)
        let forwards = try FlowRole.inventory(files, json: true)
        let backwards = try FlowRole.inventory(files.reversed(), json: true)
        expectSuccess(forwards)
        expectSuccess(backwards)
        let one = try JSON(parsing: forwards.stdoutData).removing(keys: ["inputs"])
        let other = try JSON(parsing: backwards.stdoutData).removing(keys: ["inputs"])
        // Sources (which file a role was first read from) included: they are sorted, not first-come.
        #expect(one == other, "differences: \(one.differences(from: other))")
    }
}
