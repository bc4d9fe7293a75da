import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Inventory

/// Every real sample (../shared/fixtures/real, copied into this target) read by its reader, with
/// the values checked, not just counted.
@Suite("Readers on the real samples")
struct RealFixtureTests {
    static let account = "123456789012"

    @Test func authorizationDetailsJSONReadsEveryRoleAndPolicy() throws {
        let inventory = try Fixtures.read("iam/cli/get-account-authorization-details.json")
        #expect(inventory.inputs.map(\.kind) == ["iam.authorization-details"])
        #expect(
            inventory.roles.map(\.name) == [
                "BedrockFlowsClaimsIntakeRole", "BedrockFlowsDocBatchRole", "BedrockFlowsKnowledgeAssistantRole",
                "BedrockFlowsLegacyRole", "BedrockFlowsSharedAutomationRole",
                "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B",
            ])  // sorted by ARN: role/B… before role/service-role/…
        let console = try #require(inventory.roles.first { $0.name.hasPrefix("AmazonBedrock") })
        #expect(console.path == "/service-role/")
        #expect(
            console.arn
                == "arn:aws:iam::\(Self.account):role/service-role/AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        #expect(console.inlinePolicyNames == ["AmazonBedrockFlowsExecutionPolicy"])
        #expect(console.inlinePoliciesComplete)
        #expect(console.attachedPolicies == [])
        #expect(console.tags == [Tag(key: "team", value: "support")])
        #expect(console.sources.first?.pointer == "/RoleDetailList/0")

        let bounded = try #require(inventory.roles.first { $0.name == "BedrockFlowsClaimsIntakeRole" })
        #expect(
            bounded.permissionsBoundaryArn
                == "arn:aws:iam::\(Self.account):policy/boundaries/BedrockFlowsPermissionsBoundary")
        #expect(bounded.boundaryKnown)

        let legacy = try #require(inventory.roles.first { $0.name == "BedrockFlowsLegacyRole" })
        let trust = try #require(legacy.trustPolicy)
        #expect(trust.version == .v2008_10_17)
        #expect(trust.statementShape == .object)

        let shared = try #require(
            inventory.managedPolicy(arn: "arn:aws:iam::\(Self.account):policy/bedrock/BedrockFlowsSharedAccess"))
        #expect(shared.versions.map(\.versionId) == ["v1", "v2"])
        #expect(shared.defaultVersion?.versionId == "v2")
        #expect(inventory.problems.map(\.code).contains(.policyNotInInputs))  // AWS managed policies are not exported
    }

    @Test func queryAPIXMLReadsToTheSameRolesAsTheCLIJSON() throws {
        let json = try Fixtures.read("iam/cli/get-account-authorization-details.json").withoutProvenance
        let xml = try Fixtures.read("iam/query/GetAccountAuthorizationDetails.xml").withoutProvenance
        // moto's XML carries the trust policy as raw JSON and the rest URL-encoded; the CLI decoded all.
        #expect(xml.roles == json.roles)
        #expect(xml.managedPolicies.map(\.arn) == json.managedPolicies.map(\.arn))
        for (left, right) in zip(xml.managedPolicies, json.managedPolicies) {
            #expect(left.versions.map(\.document) == right.versions.map(\.document))
        }
    }

    @Test(arguments: [
        ("iam/cli/get-role.service-role.json", "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B", nil as String?),
        (
            "iam/cli/get-role.with-boundary.json", "BedrockFlowsClaimsIntakeRole",
            "arn:aws:iam::123456789012:policy/boundaries/BedrockFlowsPermissionsBoundary"
        ),
        ("iam/cli/get-role.legacy-2008.json", "BedrockFlowsLegacyRole", nil),
        ("iam/query/GetRole.xml", "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B", nil),
    ])
    func getRoleKnowsTrustAndBoundaryButNotPolicies(file: String, name: String, boundary: String?) throws {
        let inventory = try Fixtures.read(file)
        let role = try #require(inventory.roles.first)
        #expect(inventory.roles.count == 1)
        #expect(role.name == name)
        #expect(role.trustPolicy != nil)
        #expect(role.boundaryKnown)
        #expect(role.permissionsBoundaryArn == boundary)
        #expect(role.inlinePolicyNames == nil)
        #expect(role.attachedPolicies == nil)
        #expect(inventory.problems.contains { $0.code == .rolePoliciesIncomplete && $0.subject == role.arn })
    }

    @Test(arguments: ["iam/cli", "iam/query"])
    func rolePolicyListsAttachToTheirOnlyPossibleOwner(folder: String) throws {
        // get-role + list-role-policies + get-role-policy: the role's inline policies become complete.
        let isXML = folder.hasSuffix("query")
        let inventory = try Fixtures.read(
            "\(folder)/\(isXML ? "GetRole.xml" : "get-role.service-role.json")",
            "\(folder)/\(isXML ? "ListRolePolicies.xml" : "list-role-policies.json")",
            "\(folder)/\(isXML ? "GetRolePolicy.xml" : "get-role-policy.json")")
        let role = try #require(inventory.roles.first)
        #expect(role.inlinePolicyNames == ["AmazonBedrockFlowsExecutionPolicy"])
        #expect(role.inlinePolicies.map(\.name) == ["AmazonBedrockFlowsExecutionPolicy"])
        #expect(role.inlinePoliciesComplete)
        let statement = try #require(role.inlinePolicies.first?.document.statements.first)
        #expect(statement.sid == "InvokeModels")
        #expect(role.attachedPolicies == nil)
    }

    @Test func attachedListsAndPolicyVersionsFindTheirOwnersAmongManyCandidates() throws {
        // Beside six roles, the attached list fits only SharedAutomationRole, and each version only
        // BedrockFlowsSharedAccess (the boundary policy's v1 has another document).
        let inventory = try Fixtures.read(
            "iam/cli/get-account-authorization-details.json", "iam/cli/list-attached-role-policies.json",
            "iam/cli/get-policy.json", "iam/cli/get-policy-version.v1.json", "iam/cli/get-policy-version.v2.json",
            "iam/query/ListAttachedRolePolicies.xml", "iam/query/GetPolicy.xml", "iam/query/GetPolicyVersion.xml")
        let role = try #require(inventory.roles.first { $0.name == "BedrockFlowsSharedAutomationRole" })
        #expect(role.attachedPolicies?.count == 2)
        let shared = try #require(
            inventory.managedPolicy(arn: "arn:aws:iam::123456789012:policy/bedrock/BedrockFlowsSharedAccess"))
        #expect(shared.defaultVersionId == "v2")
        #expect(shared.versions.count == 2)
        #expect(shared.sources.count >= 5)
    }

    @Test func getPolicyVersionAloneHasNoOwner() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.copy(fixture: "iam/cli/get-policy-version.v1.json")
        let errors = folder.errors()
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("names no managed policy") == true)
        #expect(errors.first?.file.hasSuffix("get-policy-version.v1.json") == true)
    }

    @Test func getFlowReadsNodesVersionsAndAliases() throws {
        let inventory = try Fixtures.read(
            "bedrock-agent/get-flow.XK7RZ2QH4M.json", "bedrock-agent/get-flow-version.XK7RZ2QH4M.1.json",
            "bedrock-agent/get-flow-version.XK7RZ2QH4M.2.json", "bedrock-agent/list-flow-versions.XK7RZ2QH4M.json",
            "bedrock-agent/list-flow-aliases.XK7RZ2QH4M.json", "bedrock-agent/get-flow-alias.XK7RZ2QH4M.PRD7X2KQ9A.json"
        )
        let flow = try #require(inventory.flows.first)
        #expect(flow.arn == "arn:aws:bedrock:us-east-1:123456789012:flow/XK7RZ2QH4M")
        #expect(flow.region == "us-east-1")
        #expect(flow.createdAt.instant == (try Instant(parsing: "2024-06-14T17:32:05.48123Z")))
        #expect(flow.versions.map(\.version) == ["1", "2"])
        #expect(flow.listedVersions == ["1", "2"])
        #expect(flow.versionsKnown)
        #expect(
            flow.aliases?.map(\.routesTo) == [["2"], ["DRAFT"]] || flow.aliases?.map(\.routesTo) == [["DRAFT"], ["2"]])
        #expect(flow.missingRoutedVersions.isEmpty)
        let lambda = try #require(flow.definition.allNodes.first { $0.type == "LambdaFunction" })
        #expect(
            lambda.configuration?["lambdaArn"]
                == "arn:aws:lambda:us-east-1:123456789012:function:support-ticket-router:live")
        let prompt = try #require(flow.definition.allNodes.first { $0.type == "Prompt" })
        #expect(
            prompt.configuration?["sourceConfiguration"]?["resource"]?["promptArn"]
                == "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q:3")
        let version1 = try #require(flow.versions.first)
        #expect(
            version1.definition.allNodes.contains {
                $0.configuration?["lambdaArn"] == "arn:aws:lambda:us-east-1:123456789012:function:support-ticket-router"
            })
        #expect(!version1.definition.allNodes.contains { $0.type == "Lex" })
    }

    @Test func loopNestedNodesAreWalked() throws {
        let inventory = try Fixtures.read("bedrock-agent/get-flow.D5RX8NC2JV.json")
        let flow = try #require(inventory.flows.first)
        let loop = try #require(flow.definition.nodes.first { $0.type == "Loop" })
        #expect(!loop.children.isEmpty)
        #expect(loop.children.contains { $0.type == "LoopController" })
        let nested = try #require(flow.definition.allNodes.first { $0.path.contains("/") && $0.type == "Prompt" })
        #expect(nested.path.hasPrefix(loop.name + "/"))
    }

    @Test func listFlowsPagesAndUndetailedFlowsAreReported() throws {
        let inventory = try Fixtures.read(
            "bedrock-agent/list-flows.page1.no-paginate.json", "bedrock-agent/get-flow.XK7RZ2QH4M.json")
        #expect(inventory.problems.contains { $0.code == .incompleteListing })
        #expect(inventory.problems.filter { $0.code == .flowNotDetailed }.count == 3)
        // The full listing completes the region: no incomplete-listing warning.
        let complete = try Fixtures.read(
            "bedrock-agent/list-flows.page1.no-paginate.json", "bedrock-agent/list-flows.json",
            "bedrock-agent/get-flow.XK7RZ2QH4M.json")
        #expect(!complete.problems.contains { $0.code == .incompleteListing })
    }

    @Test func theFlowExportXMLAndJSONReadToEqualInventories() throws {
        let json = try Fixtures.read("bedrock-agent-xml/flows.export.json")
        let xml = try Fixtures.read("bedrock-agent-xml/flows.export.xml")
        #expect(json.flows.count == 3)
        #expect(json.flows.flatMap(\.versions).count == 3)
        #expect(json.withoutProvenance == xml.withoutProvenance)
        // Provenance differs: XML knows lines.
        #expect(xml.flows.first?.sources.first?.line != nil)
        #expect(json.flows.first { $0.id == "XK7RZ2QH4M" }?.sources.first?.pointer == "/flows/0")
    }

    @Test func theBundleAgreesWithTheSeparateCLIOutputs() throws {
        // The same flows read from a bundle and from get-flow files merge without conflict.
        let both = try InventoryReader.read(paths: [Fixtures.path("bedrock-agent"), Fixtures.path("bedrock-agent-xml")])
        #expect(both.flows.count == 9)
        let merged = try #require(both.flows.first { $0.id == "XK7RZ2QH4M" })
        #expect(merged.sources.count >= 3)
    }

    @Test func theWholeSampleFolderReads() throws {
        let inventory = try InventoryReader.read(paths: [Fixtures.real.path])
        #expect(inventory.roles.count == 6)
        #expect(inventory.flows.count == 9)
        #expect(inventory.inputs.count == 39)
        #expect(inventory.accounts == ["123456789012"])
        #expect(
            inventory.coverage == [Coverage(partition: "aws", account: "123456789012", region: "us-east-1", by: .flows)]
        )
        let roleForRouter = inventory.role(
            forExecutionRoleArn:
                "arn:aws:iam::123456789012:role/service-role/AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B",
            flowPartition: "aws", flowAccount: "123456789012")
        #expect(roleForRouter?.inlinePoliciesComplete == true)
    }
}
