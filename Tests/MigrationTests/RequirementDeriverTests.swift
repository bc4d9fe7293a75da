import FlowRoleJSON
import Inventory
import Testing

@testable import Migration

@Suite("Requirements and the legacy window")
struct RequirementDeriverTests {
    static let migration: MigrationDefinition = {
        do { return try MigrationDefinition.load(path: PackageFiles.migration) } catch { fatalError("\(error)") }
    }()

    func flow(createdAt: String, nodes: [FlowNode] = []) throws -> Flow {
        Flow(
            arn: "arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ", id: "ABCDEFGHIJ", name: "f",
            partition: "aws",
            region: "us-east-1", account: "111122223333", createdAt: try Timestamp(parsing: createdAt),
            executionRoleArn: "arn:aws:iam::111122223333:role/r", definition: FlowDefinition(nodes: nodes), sources: [])
    }

    /// Instants with offsets on both sides of midnight UTC, and the cut-off day itself.
    @Test(arguments: [
        ("2024-11-21T23:59:59.999999Z", true, false),
        ("2024-11-22T00:00:00+00:00", true, true),
        ("2024-11-22T01:30:00+02:00", true, false),  // 2024-11-21T23:30Z: the day before, in UTC
        ("2024-11-23T01:00:00+02:00", true, true),  // 2024-11-22T23:00Z: the cut-off day, in UTC
        ("2024-11-22T18:59:59-05:00", true, true),  // 2024-11-22T23:59:59Z
        ("2024-11-22T19:00:00-05:00", false, false),  // 2024-11-23T00:00Z: the first instant after
        ("2024-11-22 23:30:00-05:00", false, false),  // 2024-11-23T04:30Z, space-separated
        ("2024-11-23T00:00:00Z", false, false),
        ("2025-01-15T08:00:00Z", false, false),
    ])
    func theLegacyWindowComparesInstants(createdAt: String, legacy: Bool, cutoffDay: Bool) throws {
        let result = RequirementDeriver(migration: Self.migration).derive(try flow(createdAt: createdAt))
        #expect(result.legacy == legacy)
        #expect(result.findings.contains { $0.code == "CUTOFF_DAY" } == cutoffDay)
    }

    @Test func supportTriageNeedsTheUnionOverDraftAndVersions() throws {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        let triage = try #require(inventory.flows.first { $0.name == "support-triage" })
        let result = RequirementDeriver(migration: Self.migration).derive(triage)
        #expect(result.legacy)
        let grants = Set(result.requirements.map { Grant(action: $0.action, resource: $0.resource) })
        #expect(grants.count == 6)  // docs/examples.md: live + legacy Lambda, Lex, prompt base, :1 and :3
        #expect(
            grants.contains(
                Grant(
                    action: "lex:RecognizeUtterance",
                    resource: "arn:aws:lex:us-east-1:111122223333:bot-alias/SUPT7BOT4K/TSTALIASID")))
        // Version 1 uses another Lambda and prompt version than the DRAFT; the requirement says which.
        let v1 = result.requirements.filter { $0.version == "1" }
        #expect(v1.contains { $0.resource.hasSuffix(":prompt/T8RK2PX4QZ:1") })
        #expect(!result.requirements.contains { $0.version == "DRAFT" && $0.resource.hasSuffix(":1") })
        #expect(result.requirements == result.requirements.sorted())
        #expect(Set(result.requirements.map(\.version)) == ["DRAFT", "1", "2"])
    }

    @Test func nodesNestedInLoopsCountAndUnknownOrBrokenNodesAreReported() throws {
        let inner = FlowNode(
            name: "Classify", type: "LambdaFunction",
            configuration: ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:page-classifier"],
            configurationKind: "lambdaFunction", children: [], path: "Pages/Classify")
        let loop = FlowNode(
            name: "Pages", type: "Loop", configuration: [:], configurationKind: "loop", children: [inner], path: "Pages"
        )
        let future = FlowNode(
            name: "Teleport", type: "Teleport", configuration: [:], configurationKind: "teleport", children: [],
            path: "Teleport")
        let broken = FlowNode(
            name: "Bad", type: "Lex", configuration: ["botAliasArn": "nope"], configurationKind: "lex", children: [],
            path: "Bad")
        let result = RequirementDeriver(migration: Self.migration).derive(
            try flow(createdAt: "2024-06-01T00:00:00Z", nodes: [loop, future, broken]))
        #expect(result.requirements.map(\.node) == ["Pages/Classify"])
        #expect(result.findings.map(\.code).sorted() == ["NODE_RESOURCE_INVALID", "UNKNOWN_NODE_TYPE"])
    }

    @Test func aVersionsRequirementGoesToTheRoleThatVersionRunsAs() throws {
        var subject = try flow(createdAt: "2024-06-01T00:00:00Z")
        let lambda = FlowNode(
            name: "L", type: "LambdaFunction",
            configuration: ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:f"],
            configurationKind: "lambdaFunction", children: [], path: "L")
        subject.versions = [
            FlowVersion(
                version: "4", executionRoleArn: "arn:aws:iam::111122223333:role/older", createdAt: nil, status: nil,
                customerEncryptionKeyArn: nil, definition: FlowDefinition(nodes: [lambda]),
                source: Provenance(path: "x", pointer: ""))
        ]
        let result = RequirementDeriver(migration: Self.migration).derive(subject)
        #expect(result.requirements.map(\.roleArn) == ["arn:aws:iam::111122223333:role/older"])
        #expect(result.requirements.map(\.version) == ["4"])
    }
}
