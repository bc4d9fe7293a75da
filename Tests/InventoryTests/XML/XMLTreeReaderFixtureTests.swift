import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// The reader on the real sample exports (IAM Query API XML from moto; our flow-export XML).
@Suite("XMLTreeReader on the sample exports")
struct XMLTreeReaderFixtureTests {
    static let iamQueryFiles = [
        "GetAccountAuthorizationDetails.xml", "GetPolicy.xml", "GetPolicyVersion.xml", "GetRole.xml",
        "GetRolePolicy.xml", "ListAttachedRolePolicies.xml", "ListRolePolicies.xml",
    ]

    @Test("the sample list is every file in iam/query")
    func sampleListIsComplete() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: XMLTestSupport.fixtureURL("iam/query").path)
            .filter { $0.hasSuffix(".xml") }
        #expect(names.sorted() == Self.iamQueryFiles.sorted())
    }

    @Test("every IAM Query XML sample reads: <Action>Response → <Action>Result, RequestId", arguments: iamQueryFiles)
    func readsIAMQuerySample(_ name: String) throws {
        let bytes = try XMLTestSupport.fixtureBytes("iam/query/\(name)")
        let tree = try XMLTreeReader.read(bytes, file: name)
        let action = String(name.dropLast(".xml".count))
        #expect(tree.rootName == "\(action)Response")
        #expect(tree.value["\(action)Result"]?.isObject == true)
        #expect(tree.value["ResponseMetadata"]?["RequestId"]?.stringValue?.isEmpty == false)
        #expect(tree.lines[""] == 1)
        #expect(tree.lines["/\(action)Result"] == 1)
    }

    @Test("GetRole.xml: role fields, the URL-encoded trust policy verbatim, tags as a list, <RoleLastUsed/> as \"\"")
    func getRole() throws {
        let bytes = try XMLTestSupport.fixtureBytes("iam/query/GetRole.xml")
        let tree = try XMLTreeReader.read(bytes, file: "GetRole.xml")
        #expect(tree.rootName == "GetRoleResponse")
        let role = try #require(tree.value["GetRoleResult"]?["Role"])
        #expect(role["RoleName"] == "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        #expect(role["Path"] == "/service-role/")
        #expect(role["MaxSessionDuration"] == "3600")
        #expect(role["Tags"] == [["Key": "team", "Value": "support"]])
        #expect(role["RoleLastUsed"] == "")

        // The document exactly as the file has it between the tags (it holds no markup or entities).
        let text = String(decoding: bytes, as: UTF8.self)
        let start = try #require(text.range(of: "<AssumeRolePolicyDocument>"))
        let end = try #require(text.range(of: "</AssumeRolePolicyDocument>"))
        let written = String(text[start.upperBound..<end.lowerBound])
        #expect(written.hasPrefix("%7B%0A%20%20%20%20%22Version%22%3A%20%222012-10-17%22"))
        #expect(role["AssumeRolePolicyDocument"] == .string(written))

        let keys = role.objectMembers?.map(\.key)
        #expect(
            keys == [
                "Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument", "Description",
                "MaxSessionDuration", "Tags", "RoleLastUsed",
            ])
    }

    @Test("GetAccountAuthorizationDetails.xml: six roles, empty lists as \"\", raw JSON trust text, lines")
    func getAccountAuthorizationDetails() throws {
        let bytes = try XMLTestSupport.fixtureBytes("iam/query/GetAccountAuthorizationDetails.xml")
        let tree = try XMLTreeReader.read(bytes, file: "GetAccountAuthorizationDetails.xml")
        #expect(tree.rootName == "GetAccountAuthorizationDetailsResponse")
        let result = try #require(tree.value["GetAccountAuthorizationDetailsResult"])
        let roles = try #require(result["RoleDetailList"]?.arrayValue)
        #expect(roles.count == 6)
        #expect(
            roles.compactMap { $0["RoleName"]?.stringValue } == [
                "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B", "BedrockFlowsKnowledgeAssistantRole",
                "BedrockFlowsDocBatchRole", "BedrockFlowsSharedAutomationRole", "BedrockFlowsClaimsIntakeRole",
                "BedrockFlowsLegacyRole",
            ])
        #expect(result["UserDetailList"] == "")
        #expect(result["GroupDetailList"] == "")
        #expect(result["IsTruncated"] == "false")
        for role in roles {
            #expect(role["InstanceProfileList"] == "")
            #expect(role["RoleLastUsed"] == "")
        }
        #expect(roles[1]["Tags"] == "")
        #expect(roles[5]["AttachedManagedPolicies"] == "")
        #expect(
            roles[3]["AttachedManagedPolicies"]?.arrayValue?.compactMap { $0["PolicyName"]?.stringValue } == [
                "BedrockFlowsSharedAccess", "AWSLambdaBasicExecutionRole",
            ])
        #expect(
            roles[4]["PermissionsBoundary"]?["PermissionsBoundaryArn"]
                == "arn:aws:iam::123456789012:policy/boundaries/BedrockFlowsPermissionsBoundary")
        // moto writes this trust policy as raw, pretty-printed JSON text: kept with its newlines.
        let trust = try #require(roles[0]["AssumeRolePolicyDocument"]?.stringValue)
        #expect(trust.hasPrefix("{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n"))
        #expect(trust.hasSuffix("    ]\n}\n"))
        let policies = try #require(result["Policies"]?.arrayValue)
        #expect(policies.count == 2)
        #expect(policies[1]["PolicyVersionList"]?.arrayValue?.count == 2)
        #expect(policies[0]["Description"] == "")

        // Lines: each RoleDetail starts with `<member><Path>` (no other member in the file does).
        let roleStarts = XMLTestSupport.offsets(of: "<member><Path>", in: bytes)
        #expect(roleStarts.count == 6)
        let expectedLines = roleStarts.map { XMLTestSupport.line(ofOffset: $0, in: bytes) }
        #expect(expectedLines == [1, 22, 23, 33, 51, 52])
        for (index, line) in expectedLines.enumerated() {
            #expect(tree.lines["/GetAccountAuthorizationDetailsResult/RoleDetailList/\(index)"] == line)
        }
        // Role 0's multi-line trust policy ends on line 22; role 1's one-line one runs from 22 to 23.
        #expect(tree.lines["/GetAccountAuthorizationDetailsResult/RoleDetailList/0/RolePolicyList/0"] == 22)
        #expect(tree.lines["/GetAccountAuthorizationDetailsResult/RoleDetailList/1/AssumeRolePolicyDocument"] == 22)
        #expect(tree.lines["/GetAccountAuthorizationDetailsResult/RoleDetailList/1/RolePolicyList/0"] == 23)
        #expect(
            tree.lines["/GetAccountAuthorizationDetailsResult/RoleDetailList/5/RolePolicyList/0/PolicyDocument"] == 61)
        #expect(tree.lines["/GetAccountAuthorizationDetailsResult/IsTruncated"] == 61)
    }

    @Test("every element has a line, and every line key points at a value")
    func linesCoverTheTree() throws {
        for name in Self.iamQueryFiles {
            let tree = try XMLTreeReader.read(try XMLTestSupport.fixtureBytes("iam/query/\(name)"), file: name)
            let bytes = try XMLTestSupport.fixtureBytes("iam/query/\(name)")
            // Every start tag (not `</`, `<?`, `<!`) is one element.
            let starts = bytes.indices.dropLast().filter {
                bytes[$0] == UInt8(ascii: "<")
                    && ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "!")].contains(bytes[$0 + 1])
            }
            #expect(tree.lines.count == starts.count, "\(name)")
            for pointer in tree.lines.keys {
                #expect(Self.value(at: pointer, in: tree.value) != nil, "\(name): \(pointer)")
            }
        }
    }

    @Test("flows.export.xml means what flows.export.json means (deep equality after normalising)")
    func flowExportMatchesJSON() throws {
        let xmlBytes = try XMLTestSupport.fixtureBytes("bedrock-agent-xml/flows.export.xml")
        let tree = try XMLTreeReader.read(xmlBytes, file: "flows.export.xml")
        #expect(tree.rootName == "FlowExport")

        let jsonData = try Data(contentsOf: XMLTestSupport.fixtureURL("bedrock-agent-xml/flows.export.json"))
        let json = NormalisedValue(foundation: try JSONSerialization.jsonObject(with: jsonData))
        let xml = NormalisedValue(tree.value)
        #expect(NormalisedValue.firstDifference(xml, json) == nil)
        #expect(xml == json)

        // Spot checks, so the comparison cannot pass by both sides being empty.
        let flows = try #require(tree.value["flows"]?.arrayValue)
        #expect(flows.count == 3)
        #expect(flows[0]["name"] == "customer-support-router")
        #expect(flows[0]["definition"]?["nodes"]?.arrayValue?.first?["configuration"]?["input"] == "")
        #expect(tree.lines["/flows/0"] == 4)
        #expect(tree.lines["/flows/0/name"] == 5)
    }

    /// The value a JSON pointer names (RFC 6901), or nil.
    static func value(at pointer: String, in root: JSONValue) -> JSONValue? {
        guard !pointer.isEmpty else { return root }
        var current = root
        for rawToken in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            default:
                return nil
            }
        }
        return current
    }
}
