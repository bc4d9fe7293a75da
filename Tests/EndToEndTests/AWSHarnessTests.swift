import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The loopback AWS (AWSHarness, Tests/aws/servers.py) answers the real aws CLI the way AWS does:
/// the example account read back through IAM, the example flows through bedrock-agent with paging
/// and regions, a flow added while running, the throttling stand-in, and a clean stop.
/// Serialized: each test starts its own python servers, and the machine's cores are shared.
@Suite("loopback AWS for the live tests", .serialized)
struct AWSHarnessTests {
    static let account = "111122223333"
    static let seed = "examples/iam/authorization-details.json"
    /// The us-east-1 flows of examples/flows (bundle.json's five, the three get-flow files).
    static let eastFlowIDs = [
        "C5JW1TXE9R", "G6PB4MR0YH", "K3TZ8WQ1PM", "L9FA3ZU6VB", "N7DX2RB5QA", "P2LS6YJ8WE", "R4HM9CV2TL", "V8QG3NZ7KD",
    ]
    /// A copy of L9FA3ZU6VB moved to eu-west-1, to show the region filter.
    static let westFlowID = "W1EUTESTFL"

    // MARK: - Fixtures

    static func exampleFile(_ relative: String) throws -> Data {
        try Data(contentsOf: try PackageRoot.url().appendingPathComponent("examples/\(relative)"))
    }

    static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError("not a JSON object")
        }
        return object
    }

    static func data(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The stub's state for the example account: flow bundle entries by flow id.
    static func exampleFlows() throws -> [String: Data] {
        var flows: [String: Data] = [:]
        let bundle = try object(try exampleFile("flows/bundle.json"))
        for entry in bundle["flows"] as? [[String: Any]] ?? [] {
            guard let id = entry["id"] as? String else { throw HarnessError("a bundle.json flow has no id") }
            flows[id] = try data(entry)
        }
        var triage = try object(try exampleFile("flows/get-flow.K3TZ8WQ1PM.json"))
        triage["versions"] = [
            try object(try exampleFile("flows/get-flow-version.K3TZ8WQ1PM.1.json")),
            try object(try exampleFile("flows/get-flow-version.K3TZ8WQ1PM.2.json")),
        ]
        triage["aliases"] = try object(try exampleFile("flows/list-flow-aliases.K3TZ8WQ1PM.json"))["flowAliasSummaries"]
        flows["K3TZ8WQ1PM"] = try data(triage)
        for id in ["L9FA3ZU6VB", "R4HM9CV2TL"] {
            flows[id] = try exampleFile("flows/get-flow.\(id).json")
        }
        var west = try object(try exampleFile("flows/get-flow.L9FA3ZU6VB.json"))
        west["id"] = westFlowID
        west["arn"] = "arn:aws:bedrock:eu-west-1:\(account):flow/\(westFlowID)"
        west["name"] = "weekly-digest-eu"
        flows[westFlowID] = try data(west)
        return flows
    }

    static func exampleHarness() throws -> AWSHarness {
        try AWSHarness(account: account, seedIAM: seed, flows: try exampleFlows())
    }

    // MARK: - IAM and STS

    @Test("sts get-caller-identity names the account; IAM holds the example account as seeded")
    func iamReadsBackTheSeed() throws {
        let harness = try Self.exampleHarness()
        defer { harness.stop() }

        let identity = try harness.awsJSON(["sts", "get-caller-identity"])
        #expect(identity["Account"]?.string == Self.account)
        #expect(identity["Arn"]?.string?.hasPrefix("arn:aws:sts::\(Self.account):") == true)

        let expected = try JSON(parsing: try Self.exampleFile("iam/authorization-details.json"))
        let actual = try harness.awsJSON(["iam", "get-account-authorization-details"])

        func byName(_ json: JSON?, _ key: String) -> [String: JSON] {
            Dictionary((json?.array ?? []).map { ($0[key]?.string ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
        }
        func inline(_ role: JSON?) -> [String: JSON] {
            byName(role?["RolePolicyList"], "PolicyName").mapValues { $0["PolicyDocument"] ?? .null }
        }

        let expectedRoles = byName(expected["RoleDetailList"], "RoleName")
        let actualRoles = byName(actual["RoleDetailList"], "RoleName")
        #expect(actualRoles.count == 7)
        #expect(Set(actualRoles.keys) == Set(expectedRoles.keys))
        for (name, role) in expectedRoles {
            let read = actualRoles[name]
            for key in ["Path", "Arn", "AssumeRolePolicyDocument", "AttachedManagedPolicies", "PermissionsBoundary"] {
                #expect(
                    read?[key] == role[key],
                    "role \(name): \(key) differs: \(read?[key] ?? .null) vs \(role[key] ?? .null)")
            }
            #expect(inline(read) == inline(role), "role \(name): inline policies differ")
            let tags = { (json: JSON?) in Set((json?["Tags"]?.array ?? []).map(\.description)) }
            #expect(tags(read) == tags(role), "role \(name): tags differ")
        }

        let expectedPolicies = byName(expected["Policies"], "PolicyName")
        let actualPolicies = byName(actual["Policies"], "PolicyName")
        #expect(Set(actualPolicies.keys) == Set(expectedPolicies.keys))
        for (name, policy) in expectedPolicies {
            let read = actualPolicies[name]
            for key in [
                "Arn", "Path", "DefaultVersionId", "Description", "AttachmentCount", "PermissionsBoundaryUsageCount",
            ] {
                #expect(read?[key] == policy[key], "policy \(name): \(key) differs")
            }
            let versions = { (json: JSON?) in
                byName(json?["PolicyVersionList"], "VersionId").mapValues {
                    [$0["Document"] ?? .null, $0["IsDefaultVersion"] ?? .null]
                }
            }
            #expect(versions(read) == versions(policy), "policy \(name): versions differ")
        }
    }

    @Test("a service error exits 255 with the CLI's message; --debug shows the request id")
    func errorsAndRequestIDs() throws {
        let harness = try AWSHarness(account: Self.account, seedIAM: Self.seed)
        defer { harness.stop() }

        let missing = try harness.aws(["iam", "get-role", "--role-name", "NoSuchRole"])
        #expect(missing.status == 255, "aws CLI v1 exits 255 for a service error (v2: 254)")
        #expect(
            missing.stderr.hasPrefix("\nAn error occurred (NoSuchEntity) when calling the GetRole operation: "),
            "\(missing.stderr.debugDescription)")

        let debug = try harness.aws(["iam", "get-role", "--role-name", "BedrockFlowsFaqBotRole", "--debug"])
        #expect(debug.status == 0)
        #expect(debug.stderr.lowercased().contains("'x-amzn-requestid': '"), "moto's request id header in --debug")

        let flow = try harness.aws(["bedrock-agent", "get-flow", "--flow-identifier", "NOSUCHFLOW", "--debug"])
        #expect(flow.status == 255)
        #expect(flow.stderr.contains("'x-amzn-RequestId': '"))
        #expect(flow.stderr.contains("'x-amzn-ErrorType': 'ResourceNotFoundException:"))
        #expect(
            flow.stderr.contains("An error occurred (ResourceNotFoundException) when calling the GetFlow operation: "))
    }

    // MARK: - Bedrock Agent

    @Test("list-flows pages through the region's flows; get-flow, versions and aliases answer as AWS does")
    func flowsAPI() throws {
        let harness = try Self.exampleHarness()
        defer { harness.stop() }

        let listed = try harness.awsJSON(["bedrock-agent", "list-flows", "--region", "us-east-1"])
        let ids = (listed["flowSummaries"]?.array ?? []).compactMap { $0["id"]?.string }
        #expect(ids == Self.eastFlowIDs)
        #expect(listed["nextToken"] == nil, "the CLI followed every nextToken itself")
        for summary in listed["flowSummaries"]?.array ?? [] {
            #expect(summary["executionRoleArn"] == nil && summary["definition"] == nil)
            #expect(summary["version"]?.string == "DRAFT")
        }
        // Four pages of two: the CLI made four ListFlows requests.
        let listRequests = harness.serverLog.split(separator: "\n").filter {
            $0.contains("\"GET /flows/ ") || $0.contains("\"GET /flows/?")
        }
        #expect(listRequests.count == 4, "\(listRequests)")

        let firstPage = try harness.awsJSON(["bedrock-agent", "list-flows", "--no-paginate"])
        #expect(firstPage["flowSummaries"]?.array?.count == 2)
        #expect(firstPage["nextToken"]?.string != nil)

        let west = try harness.awsJSON(["bedrock-agent", "list-flows", "--region", "eu-west-1"])
        #expect((west["flowSummaries"]?.array ?? []).compactMap { $0["id"]?.string } == [Self.westFlowID])
        let otherRegion = try harness.aws(["bedrock-agent", "get-flow", "--flow-identifier", Self.westFlowID])
        #expect(otherRegion.status == 255 && otherRegion.stderr.contains("ResourceNotFoundException"))

        let flow = try harness.awsJSON(["bedrock-agent", "get-flow", "--flow-identifier", "K3TZ8WQ1PM"])
        #expect(flow == (try JSON(parsing: try Self.exampleFile("flows/get-flow.K3TZ8WQ1PM.json"))))
        let byArn = try harness.awsJSON([
            "bedrock-agent", "get-flow", "--flow-identifier",
            "arn:aws:bedrock:us-east-1:\(Self.account):flow/K3TZ8WQ1PM",
        ])
        #expect(byArn["id"]?.string == "K3TZ8WQ1PM")

        let versions = try harness.awsJSON(["bedrock-agent", "list-flow-versions", "--flow-identifier", "K3TZ8WQ1PM"])
        #expect((versions["flowVersionSummaries"]?.array ?? []).compactMap { $0["version"]?.string } == ["2", "1"])
        #expect(
            versions == (try JSON(parsing: try Self.exampleFile("flows/list-flow-versions.K3TZ8WQ1PM.json"))))

        let version = try harness.awsJSON([
            "bedrock-agent", "get-flow-version", "--flow-identifier", "K3TZ8WQ1PM", "--flow-version", "1",
        ])
        #expect(version == (try JSON(parsing: try Self.exampleFile("flows/get-flow-version.K3TZ8WQ1PM.1.json"))))
        let noVersion = try harness.aws([
            "bedrock-agent", "get-flow-version", "--flow-identifier", "K3TZ8WQ1PM", "--flow-version", "9",
        ])
        #expect(noVersion.status == 255 && noVersion.stderr.contains("(ResourceNotFoundException)"))

        let aliases = try harness.awsJSON(["bedrock-agent", "list-flow-aliases", "--flow-identifier", "K3TZ8WQ1PM"])
        #expect(aliases == (try JSON(parsing: try Self.exampleFile("flows/list-flow-aliases.K3TZ8WQ1PM.json"))))
        let alias = try harness.awsJSON([
            "bedrock-agent", "get-flow-alias", "--flow-identifier", "K3TZ8WQ1PM", "--alias-identifier", "PRD4W8ZK2Q",
        ])
        #expect(alias["routingConfiguration"]?.array?.first?["flowVersion"]?.string == "2")

        let empty = try harness.awsJSON(["bedrock-agent", "list-flow-versions", "--flow-identifier", "L9FA3ZU6VB"])
        #expect(empty["flowVersionSummaries"]?.array?.isEmpty == true)
    }

    @Test("a flow added while the servers run is listed; a removed one is gone")
    func flowAddedWhileRunning() throws {
        let first = try Self.exampleFile("flows/get-flow.L9FA3ZU6VB.json")
        let harness = try AWSHarness(account: Self.account, flows: ["L9FA3ZU6VB": first])
        defer { harness.stop() }

        func listed() throws -> [String] {
            (try harness.awsJSON(["bedrock-agent", "list-flows"])["flowSummaries"]?.array ?? []).compactMap {
                $0["id"]?.string
            }
        }
        #expect(try listed() == ["L9FA3ZU6VB"])

        try harness.addFlow(try Self.exampleFile("flows/get-flow.R4HM9CV2TL.json"), id: "R4HM9CV2TL")
        #expect(try listed() == ["L9FA3ZU6VB", "R4HM9CV2TL"])
        let added = try harness.awsJSON(["bedrock-agent", "get-flow", "--flow-identifier", "R4HM9CV2TL"])
        #expect(added["executionRoleArn"]?.string == "arn:aws:iam::\(Self.account):role/BedrockFlowsOrderServicesRole")

        try harness.removeFlow(id: "L9FA3ZU6VB")
        #expect(try listed() == ["R4HM9CV2TL"])
    }

    // MARK: - The throttling stand-in

    @Test("the throttling wrapper fails the first 2 calls as the CLI does, then runs the real aws")
    func throttlingWrapper() throws {
        let harness = try AWSHarness(account: Self.account, seedIAM: Self.seed)
        defer { harness.stop() }
        let counter = harness.scratch.path("throttle-count")
        let wrapper = try AWSHarness.throttlingWrapper()
        let document =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        let put = [
            "iam", "put-role-policy", "--role-name", "BedrockFlowsFaqBotRole", "--policy-name", "Extra",
            "--policy-document", document,
        ]
        let environment = ["FAKE_AWS_FAIL_FIRST": "2", "FAKE_AWS_COUNTER": counter]
        let throttled =
            "\nAn error occurred (Throttling) when calling the PutRolePolicy operation (reached max retries: 4): Rate exceeded\n"

        for attempt in 1...2 {
            let failed = try harness.aws(put, environment: environment, executable: wrapper)
            #expect(failed.status == 255, "attempt \(attempt)")
            #expect(failed.stderr == throttled, "attempt \(attempt): \(failed.stderr.debugDescription)")
            #expect(failed.stdout.isEmpty)
        }
        let third = try harness.aws(put, environment: environment, executable: wrapper)
        #expect(third.status == 0, "\(third.stderr)")
        let count = try String(contentsOfFile: counter, encoding: .utf8)
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "3")

        let stored = try harness.awsJSON([
            "iam", "get-role-policy", "--role-name", "BedrockFlowsFaqBotRole", "--policy-name", "Extra",
        ])
        #expect(stored["PolicyDocument"] == (try JSON(parsing: Data(document.utf8))))

        // FAKE_AWS_ONLY limits the failures to some operations; FAKE_AWS_EXIT_CODE emulates CLI v2.
        let only = [
            "FAKE_AWS_FAIL_FIRST": "1", "FAKE_AWS_COUNTER": harness.scratch.path("only-count"),
            "FAKE_AWS_ONLY": "PutRolePolicy", "FAKE_AWS_EXIT_CODE": "254",
        ]
        let read = try harness.aws(
            ["iam", "get-role", "--role-name", "BedrockFlowsFaqBotRole"], environment: only, executable: wrapper)
        #expect(read.status == 0)
        let write = try harness.aws(put, environment: only, executable: wrapper)
        #expect(write.status == 254 && write.stderr == throttled)
    }

    // MARK: - Lifetime

    @Test("the servers stop when the harness is released")
    func stopsWhenReleased() throws {
        var harness: AWSHarness? = try AWSHarness(account: Self.account)
        let endpoints = harness.map { [$0.iamEndpoint, $0.bedrockAgentEndpoint] } ?? []
        let pid = try #require(harness?.pid)
        for endpoint in endpoints { #expect(AWSHarness.portAnswers(endpoint), "\(endpoint) answers while running") }
        let start = Date()
        harness = nil
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 5, "closing stdin stopped the servers (took \(seconds) s; 5 s means it was killed)")
        for endpoint in endpoints { #expect(!AWSHarness.portAnswers(endpoint), "\(endpoint) still answers") }
        #expect(kill(pid, 0) != 0, "process \(pid) is gone")
    }

    @Test("a seed that cannot be applied fails the start with the servers' stderr")
    func badSeedFailsWithStderr() throws {
        let scratch = try TemporaryDirectory(prefix: "flowrole-aws-seed")
        let seed = try scratch.write(
            "seed.json",
            #"{"Policies": [{"PolicyName": "P", "Path": "/", "DefaultVersionId": "first", "PolicyVersionList": [{"VersionId": "first", "IsDefaultVersion": true, "Document": {"Version": "2012-10-17", "Statement": []}}]}]}"#
        )
        do {
            _ = try AWSHarness(account: Self.account, seedIAM: seed)
            Issue.record("the harness started with a bad seed")
        } catch let error as HarnessError {
            #expect(error.description.contains("cannot seed IAM"), "\(error)")
            #expect(error.description.contains("is not of the form vN"), "\(error)")
        }
    }

    @Test("children get test credentials, an empty config and no host AWS settings")
    func childEnvironment() throws {
        let harness = try AWSHarness(account: Self.account)
        defer { harness.stop() }
        let environment = harness.environment
        #expect(environment["AWS_ACCESS_KEY_ID"] == "testing" && environment["AWS_SECRET_ACCESS_KEY"] == "testing")
        #expect(environment["AWS_DEFAULT_REGION"] == "us-east-1")
        #expect(environment["AWS_PROFILE"] == nil && environment["AWS_SESSION_TOKEN"] == nil)
        for key in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
            let path = try #require(environment[key])
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        }
        // Without an endpoint a call goes to the closed loopback port (AWS_ENDPOINT_URL), never to AWS.
        let nowhere = try ChildProcess.run(
            "aws", ["sts", "get-caller-identity"], environment: environment.merging(["AWS_MAX_ATTEMPTS": "1"]) { $1 },
            scratch: harness.scratch, timeout: 60)
        #expect(nowhere.status == 255, "\(nowhere.stderr)")
        #expect(
            nowhere.stderr.contains("Could not connect to the endpoint URL: \"http://127.0.0.1:9/\""),
            "\(nowhere.stderr)")
        // The service-specific variables reach the servers without --endpoint-url.
        let viaVariables = try ChildProcess.run(
            "aws", ["sts", "get-caller-identity", "--output", "json"],
            environment: environment.merging(harness.endpointEnvironment) { $1 }, scratch: harness.scratch, timeout: 60)
        #expect(viaVariables.status == 0, "\(viaVariables.stderr)")
        #expect(viaVariables.stdout.contains(Self.account))
    }
}
