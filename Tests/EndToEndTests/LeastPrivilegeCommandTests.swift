import Foundation
import Testing

/// `plan --migration bedrock-flows-least-privilege` and `scaffold`, through the built binary, on
/// real-shaped exports: one flow with a node of every type (and one of a type flowrole does not
/// know), and the role it runs as.
@Suite("least privilege (command line)")
struct LeastPrivilegeCommandTests {
    static let flowFolder = "good/least-privilege"
    static let iamFolder = "good/least-privilege-iam"

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func roles(_ plan: [String: Any]) -> [[String: Any]] { plan["roles"] as? [[String: Any]] ?? [] }

    /// "action resource → state @ node" for every requirement of a plan's role.
    static func requirements(_ role: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for item in role["requirements"] as? [[String: Any]] ?? [] {
            let key = "\(item["action"] as? String ?? "") \(item["resource"] as? String ?? "")"
            out[key] = "\(item["state"] as? String ?? "") @ \(item["node"] as? String ?? "")"
        }
        return out
    }

    static func findings(_ role: [String: Any], code: String) -> [String] {
        (role["findings"] as? [[String: Any]] ?? []).filter { $0["code"] as? String == code }.compactMap {
            $0["message"] as? String
        }
    }

    @Test func everyMissingAndEveryUnneededGrantIsNamedWithItsReason() throws {
        let output = try TemporaryDirectory(prefix: "flowrole-lp")
        let result = try FlowRole.run([
            "plan", try Fixtures.path(Self.flowFolder), try Fixtures.path(Self.iamFolder), "--migration",
            "bedrock-flows-least-privilege", "--out", output.path("plan"), "--format", "json,md",
        ])
        expectSuccess(result)
        let plan = try Self.json(output.path("plan/plan.json"))
        let role = try #require(Self.roles(plan).first)
        #expect(role["status"] as? String == "change")
        let needs = Self.requirements(role)
        let account = "111122223333"
        let expected: [String: String] = [
            "bedrock:InvokeModel arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0":
                "granted @ Summarise",
            "bedrock:ApplyGuardrail arn:aws:bedrock:us-east-1:\(account):guardrail/gr7q2m4x9k1b": "add @ Summarise",
            "bedrock:InvokeModel arn:aws:bedrock:us-east-1:\(account):custom-model/amazon.titan-text-express-v1:0:8k/ab12cd34ef56":
                "add @ Classify",
            "bedrock:GetCustomModel arn:aws:bedrock:us-east-1:\(account):custom-model/amazon.titan-text-express-v1:0:8k/ab12cd34ef56":
                "add @ Classify",
            "bedrock:RenderPrompt arn:aws:bedrock:us-east-1:\(account):prompt/PX4K8M2Q7Z": "add @ Answer",
            "bedrock:RenderPrompt arn:aws:bedrock:us-east-1:\(account):prompt/PX4K8M2Q7Z:2": "add @ Answer",
            "lambda:InvokeFunction arn:aws:lambda:us-east-1:\(account):function:enrich-record:live": "granted @ Enrich",
            "lambda:InvokeFunction arn:aws:lambda:us-east-1:\(account):function:page-lookup": "add @ Pages/PageLookup",
            "lex:RecognizeUtterance arn:aws:lex:us-east-1:\(account):bot-alias/LB3X7Q9K2M/TSTALIASID": "add @ Intent",
            "bedrock:Retrieve arn:aws:bedrock:us-east-1:\(account):knowledge-base/KBQ4X8M2ZP": "add @ Search",
            "bedrock:RetrieveAndGenerate arn:aws:bedrock:us-east-1:\(account):knowledge-base/KBQ4X8M2ZP":
                "add @ Search",
            "bedrock:InvokeModel arn:aws:bedrock:us-east-1:\(account):provisioned-model/pm8x2k4q7z1w": "add @ Search",
            "bedrock:GetProvisionedModelThroughput arn:aws:bedrock:us-east-1:\(account):provisioned-model/pm8x2k4q7z1w":
                "add @ Search",
            "bedrock:InvokeModel arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0": "add @ Search",
            "bedrock:ApplyGuardrail arn:aws:bedrock:us-east-1:\(account):guardrail/kb5g8r2q7x3m": "add @ Search",
            "bedrock:InvokeAgent arn:aws:bedrock:us-east-1:\(account):agent-alias/AG7K2M9Q4X/AL3P8W2N6Z":
                "add @ Delegate",
            "s3:GetObject arn:aws:s3:::example-corp-flow-inputs/*": "granted @ Fetch",
            "s3:PutObject arn:aws:s3:::example-corp-flow-archive/*": "add @ Archive",
            "kms:Decrypt arn:aws:kms:us-east-1:\(account):key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d":
                "add @ customerEncryptionKeyArn",
            "kms:GenerateDataKey arn:aws:kms:us-east-1:\(account):key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d":
                "add @ customerEncryptionKeyArn",
        ]
        #expect(needs == expected)
        // Conditional grants carry their condition into plan.json.
        let s3 = (role["requirements"] as? [[String: Any]] ?? []).first { $0["action"] as? String == "s3:PutObject" }
        #expect(
            (s3?["condition"] as? [String: [String: String]]) == ["StringEquals": ["aws:ResourceAccount": account]])

        let unneeded = Self.findings(role, code: "UNNEEDED_GRANT")
        #expect(unneeded.count == 1)
        #expect(unneeded.first?.contains("function:removed-node") == true)
        #expect(unneeded.first?.contains("Sid Lambdas") == true)
        // The flow with a node of a type flowrole does not know: reported on the plan (its role is
        // not in the inputs), never a crash.
        let planFindings = (plan["findings"] as? [[String: Any]] ?? [])
        #expect(
            planFindings.contains {
                $0["code"] as? String == "UNKNOWN_NODE_TYPE"
                    && ($0["message"] as? String)?.contains("FutureNode") == true
            })

        // The plan reads back, and `show` and the Markdown report name the unneeded grant.
        let show = try FlowRole.run(["show", output.path("plan/plan.json")])
        expectSuccess(show)
        let markdown = try String(contentsOfFile: output.path("plan/report.md"), encoding: .utf8)
        #expect(markdown.contains("UNNEEDED_GRANT"))
        // A conditional grant is shown with its condition.
        #expect(
            markdown.contains(
                "`arn:aws:s3:::example-corp-flow-archive/*` if `{\"StringEquals\":{\"aws:ResourceAccount\":\"111122223333\"}}`"
            ))
        #expect(show.stdout.contains("if {\"StringEquals\":{\"aws:ResourceAccount\":\"111122223333\"}}") == false)
        let detail = try FlowRole.run(["show", output.path("plan/plan.json"), "--role", "BedrockFlowsEveryNodeRole"])
        expectSuccess(detail)
        #expect(detail.stdout.contains("if {\"StringEquals\":{\"aws:ResourceAccount\":\"111122223333\"}}"))

        // --bucket-owner is an account id, or a usage error; given, it is the S3 grants' condition.
        let bad = try FlowRole.run([
            "plan", try Fixtures.path(Self.flowFolder), "--migration", "bedrock-flows-least-privilege",
            "--bucket-owner", "bucket-team", "--out", output.path("bad"),
        ])
        #expect(bad.status == 64, "\(bad)")
        let owned = try FlowRole.run([
            "plan", try Fixtures.path(Self.flowFolder), try Fixtures.path(Self.iamFolder), "--migration",
            "bedrock-flows-least-privilege", "--bucket-owner", "444455556666", "--out", output.path("owned"),
            "--format", "json",
        ])
        expectSuccess(owned)
        let ownedPlan = try Self.json(output.path("owned/plan.json"))
        #expect((ownedPlan["settings"] as? [String: Any])?["bucketOwner"] as? String == "444455556666")
        let ownedRole = try #require(Self.roles(ownedPlan).first)
        #expect(Self.requirements(ownedRole)["s3:GetObject arn:aws:s3:::example-corp-flow-inputs/*"] == "add @ Fetch")
    }

    /// The real samples (captured from an IAM implementation, flows in the exact AWS shapes): each
    /// unneeded grant is named with its policy and statement, and the kinds of missing grant too.
    @Test func theRealSamplesAuditedForLeastPrivilege() throws {
        let output = try TemporaryDirectory(prefix: "flowrole-lp-real")
        let result = try FlowRole.run([
            "plan", try Fixtures.path("real/bedrock-agent"), try Fixtures.path("real/iam"),
            try Fixtures.path("good/inference-profiles"), "--migration", "bedrock-flows-least-privilege", "--out",
            output.path("plan"), "--format", "json",
        ])
        expectSuccess(result)
        let plan = try Self.json(output.path("plan/plan.json"))
        var unneeded: [String: [String]] = [:]
        var missingActions: [String: Set<String>] = [:]
        for role in Self.roles(plan) {
            let name = role["name"] as? String ?? ""
            unneeded[name] = Self.findings(role, code: "UNNEEDED_GRANT")
            for (need, state) in Self.requirements(role) where state.hasPrefix("add") {
                missingActions[name, default: []].insert(String(need.split(separator: " ")[0]))
            }
        }
        // Every role here either has flows whose versions were not all exported, or shares its
        // managed policy with other roles, or has trust reaching flows the inputs do not hold:
        // nothing is called unneeded where the inputs cannot tell.
        #expect(unneeded.values.allSatisfy { $0.isEmpty }, "\(unneeded)")
        for role in Self.roles(plan) where !Self.findings(role, code: "FLOW_VERSIONS_INCOMPLETE").isEmpty {
            #expect(Self.findings(role, code: "UNNEEDED_GRANT").isEmpty)
        }
        // The knowledge-base flow's role already holds all it needs, the inference profile's
        // routes included (the profile's description is among the inputs).
        let assistant = try #require(
            Self.roles(plan).first { $0["name"] as? String == "BedrockFlowsKnowledgeAssistantRole" })
        #expect(assistant["status"] as? String == "unchanged")
        #expect(Set(Self.requirements(assistant).values.map { String($0.prefix(7)) }) == ["granted"])
        #expect(!missingActions.isEmpty)
    }

    @Test func aScaffoldedRoleIsCompleteAndMinimalForTheAudit() throws {
        let output = try TemporaryDirectory(prefix: "flowrole-scaffold")
        let flows = try Fixtures.path(Self.flowFolder)
        let result = try FlowRole.run(["scaffold", flows, "--flow", "E7VRYN0D3S", "--out", output.path("role")])
        expectSuccess(result)
        #expect(result.stdout.contains("arn:aws:iam::111122223333:role/service-role/BedrockFlowsEveryNodeRole"))
        let names = try FileManager.default.subpathsOfDirectory(atPath: output.path("role")).sorted()
        #expect(
            names == [
                "README.md", "create-role.sh", "identity-policy.json", "kms",
                "kms/key_0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.key-policy-statement.json", "role.cfn.json",
                "trust-policy.json",
            ])
        let trust = try Self.json(output.path("role/trust-policy.json"))
        let identity = try Self.json(output.path("role/identity-policy.json"))

        // The CloudFormation snippet holds the same documents; the script is valid bash.
        let template = try Self.json(output.path("role/role.cfn.json"))
        let properties =
            ((template["Resources"] as? [String: Any])?["FlowServiceRole"] as? [String: Any])?["Properties"]
            as? [String: Any]
        #expect(
            NSDictionary(dictionary: properties?["AssumeRolePolicyDocument"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: trust))
        let policies = properties?["Policies"] as? [[String: Any]]
        #expect(
            NSDictionary(dictionary: policies?.first?["PolicyDocument"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: identity))
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-n", output.path("role/create-role.sh")]
        try bash.run()
        bash.waitUntilExit()
        #expect(bash.terminationStatus == 0)

        // The role as IAM would export it, then the audit: nothing missing, nothing unneeded.
        let role: [String: Any] = [
            "Path": "/service-role/", "RoleName": "BedrockFlowsEveryNodeRole", "RoleId": "AROAEXAMPLESCAFFOLD1",
            "Arn": "arn:aws:iam::111122223333:role/service-role/BedrockFlowsEveryNodeRole",
            "CreateDate": "2026-12-06T00:00:00Z", "AssumeRolePolicyDocument": trust,
            "RolePolicyList": [["PolicyName": "flowrole-bedrock-flows-least-privilege", "PolicyDocument": identity]],
            "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": [],
        ]
        let export: [String: Any] = [
            "RoleDetailList": [role], "Policies": [], "UserDetailList": [], "GroupDetailList": [], "IsTruncated": false,
        ]
        let iam = try output.write(
            "iam/authorization-details.json", try JSONSerialization.data(withJSONObject: export, options: [.sortedKeys])
        )
        let audit = try FlowRole.run([
            "plan", flows, iam, "--migration", "bedrock-flows-least-privilege", "--out", output.path("audit"),
            "--format", "json",
        ])
        expectSuccess(audit)
        let plan = try Self.json(output.path("audit/plan.json"))
        let audited = try #require(Self.roles(plan).first)
        #expect(audited["status"] as? String == "unchanged")
        #expect((audited["changes"] as? [Any])?.isEmpty == true)
        let states = Set(
            Self.requirements(audited).values.map { $0.split(separator: " ").first.map(String.init) ?? "" })
        #expect(states == ["granted"])
        #expect(Self.requirements(audited).count == 20)
        #expect(Self.findings(audited, code: "UNNEEDED_GRANT").isEmpty)
        let codes = Set((audited["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes == ["ALREADY_GRANTED", "PROMPT_MODEL_NOT_IN_INPUTS"])
        // verify agrees: nothing left to do.
        let verify = try FlowRole.run(["verify", flows, iam, "--migration", "bedrock-flows-least-privilege"])
        #expect(verify.status == 0, "\(verify)")
    }

    @Test func inventoryListsTheAuditsOwnInputs() throws {
        let text = try FlowRole.inventory([
            try Fixtures.path("good/inference-profiles"), try Fixtures.path("good/lambda-policies"),
        ])
        expectSuccess(text)
        #expect(text.stdout.contains("Inference profiles (1)"))
        #expect(text.stdout.contains("inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0 → 3 models"))
        #expect(text.stdout.contains("Lambda function policies (1)"))
        let json = try FlowRole.inventory([try Fixtures.path("good/inference-profiles")], json: true)
        expectSuccess(json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let profiles = object["inferenceProfiles"] as? [[String: Any]]
        #expect((profiles?.first?["models"] as? [String])?.count == 3)
        #expect(object["lambdaPolicies"] == nil)
    }

    @Test func scaffoldRefusesWhatIsNotOneRole() throws {
        let output = try TemporaryDirectory(prefix: "flowrole-scaffold-bad")
        // Flows that name different roles need --role-name.
        let examples = try PackageRoot.url().appendingPathComponent("examples/flows").path
        let several = try FlowRole.run(["scaffold", examples, "--out", output.path("x")])
        #expect(several.status == 64, "\(several)")
        #expect(several.stderr.contains("--role-name"))
        #expect(!FileManager.default.fileExists(atPath: output.path("x")))
        // No flow at all.
        let none = try FlowRole.run(["scaffold", try Fixtures.path(Self.iamFolder), "--out", output.path("y")])
        #expect(none.status == 1, "\(none)")
        #expect(none.stderr.contains("no flow"))
        // A flow not among those read.
        let missing = try FlowRole.run([
            "scaffold", try Fixtures.path(Self.flowFolder), "--flow", "NOTAFLOW01", "--out", output.path("z"),
        ])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("NOTAFLOW01"))
    }
}
