import Foundation
import Testing

// Infrastructure-as-code ownership through the built binary: `flowrole inventory` on stack and
// state inputs, the `--iac-tag` usage check, and `flowrole export` reading CloudFormation from
// the loopback AWS (moto serves CloudFormation on the same port as IAM) so that `plan` names the
// stack of a role it created.

@Suite("infrastructure as code: inventory and --iac-tag")
struct IaCInventoryCommandTests {
    static func scenario(_ relative: String) throws -> String { try Fixtures.path("scenarios/" + relative) }

    @Test func inventoryListsEveryOwnerAndTheRoleItOwns() throws {
        let cloudFormation = try Self.scenario("IAC_MANAGED_cloudformation")
        let state = try Self.scenario("IAC_MANAGED_terraform/terraform/prod.state.json")
        let text = try FlowRole.inventory([cloudFormation, state])
        #expect(text.status == 0 && text.stderr.isEmpty, "\(text)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines.contains(
                "  \(cloudFormation)/cloudformation/ListStackResources.payouts.xml  [cloudformation.list-stack-resources]"
            ))
        #expect(
            lines.contains(
                "  \(cloudFormation)/cloudformation/describe-stack-resources.ledger-flows.json  [cloudformation.describe-stack-resources]"
            ))
        #expect(lines.contains("  \(state)  [terraform.state]"))
        #expect(lines.contains("Infrastructure as code (4)"), "\(text)")
        // Sorted by kind, account (none first), role name, stack, file and resource.
        let section = lines.drop { $0 != "Infrastructure as code (4)" }.prefix { !$0.isEmpty }
        #expect(
            Array(section)
                == [
                    "Infrastructure as code (4)",
                    "  role BedrockFlowsPayoutsRole: the CloudFormation stack listed in \(cloudFormation)/cloudformation/ListStackResources.payouts.xml, logical id PayoutsFlowRole",
                    "      owns arn:aws:iam::111122223333:role/BedrockFlowsPayoutsRole",
                    "      at \(cloudFormation)/cloudformation/ListStackResources.payouts.xml:4 (/ListStackResourcesResult/StackResourceSummaries/0)",
                    "  role BedrockFlowsLedgerRole in account 111122223333: CloudFormation stack ledger-flows (us-east-1), logical id LedgerFlowRole",
                    "      owns arn:aws:iam::111122223333:role/BedrockFlowsLedgerRole",
                    "      at \(cloudFormation)/cloudformation/describe-stack-resources.ledger-flows.json (/StackResources/0)",
                    "  role BedrockFlowsIntakeRole in account 111122223333: Terraform state \(state), resource aws_iam_role.intake",
                    "      not among the roles in the inputs",
                    "      at \(state) (/values/root_module/resources/1)",
                    "  role BedrockFlowsTriageRole in account 111122223333: Terraform state \(state), resource module.flows.aws_iam_role.this[\"triage\"]",
                    "      not among the roles in the inputs",
                    "      at \(state) (/values/root_module/child_modules/0/resources/0)",
                ], "\(section.joined(separator: "\n"))")

        let json = try FlowRole.inventory([cloudFormation, state], json: true)
        #expect(json.status == 0, "\(json)")
        let parsed = try JSON(parsing: json.stdoutData)
        #expect(parsed["counts"]?["iacOwners"]?.int == 4)
        let owners = try #require(parsed["iacOwners"]?.array)
        let ledger = try #require(owners.first { $0["roleName"]?.string == "BedrockFlowsLedgerRole" })
        #expect(ledger["kind"]?.string == "cloudformation")
        #expect(ledger["stackName"]?.string == "ledger-flows")
        #expect(ledger["region"]?.string == "us-east-1")
        #expect(ledger["account"]?.string == "111122223333")
        #expect(ledger["resource"]?.string == "LedgerFlowRole")
        #expect(
            ledger["roles"]?.array?.compactMap(\.string) == ["arn:aws:iam::111122223333:role/BedrockFlowsLedgerRole"])
        let payouts = try #require(owners.first { $0["roleName"]?.string == "BedrockFlowsPayoutsRole" })
        #expect(payouts["stackName"] == .null && payouts["account"] == .null)
        #expect(payouts["source"]?["line"]?.int == 4)
        let triage = try #require(owners.first { $0["roleName"]?.string == "BedrockFlowsTriageRole" })
        #expect(triage["kind"]?.string == "terraform")
        #expect(triage["resource"]?.string == #"module.flows.aws_iam_role.this["triage"]"#)
        // Whatever the order of the inputs.
        let reversed = try JSON(parsing: try FlowRole.inventory([state, cloudFormation], json: true).stdoutData)
        #expect(reversed["iacOwners"] == parsed["iacOwners"])
    }

    @Test(arguments: ["=terraform", ""])
    func anIacTagWithoutAKeyIsAUsageError(_ value: String) throws {
        let out = try TemporaryDirectory(prefix: "flowrole-iac-usage")
        let result = try FlowRole.run(
            ["plan", try Self.scenario("IAC_MANAGED_tag"), "--out", out.path("plan"), "--iac-tag", value])
        #expect(!result.terminatedBySignal && result.status == 64, "\(result)")
        #expect(result.stderr.contains("--iac-tag"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: out.path("plan")))
    }
}

@Suite("infrastructure as code: export from the loopback AWS", .serialized)
struct IaCExportTests {
    static let account = "111122223333"

    /// A stack with one IAM role (and a log group, which is not kept), created through moto's
    /// CloudFormation: moto creates the role in its IAM, as CloudFormation does.
    static let template = """
        {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
          "FlowsRole": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "BedrockFlowsStackRole", "Path": "/",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole",
              "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"},
                "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:flow/*"}}}]}}},
          "FlowsLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/flows/stack-role"}}}}
        """

    @Test func exportWritesTheStacksAndPlanNamesTheStack() throws {
        let harness = try AWSHarness(account: Self.account)
        defer { harness.stop() }
        let created = try harness.aws([
            "cloudformation", "create-stack", "--stack-name", "flows-iac", "--template-body", Self.template,
            "--endpoint-url", harness.iamEndpoint,
        ])
        #expect(created.status == 0, "create-stack: \(created.stderr)")
        let cloudFormation = ["--endpoint-url", "cloudformation=\(harness.iamEndpoint)"]

        // Export: cloudformation.us-east-1.json in the bundle form, the manifest says ok.
        let out = harness.scratch.url.appendingPathComponent("export").path
        let export = try harness.flowrole(
            ["export", "--out", out, "--regions", "us-east-1"] + harness.flowroleEndpointArguments + cloudFormation)
        #expect(export.status == 0, "\(export)")
        let bundleData = try #require(
            FileManager.default.contents(atPath: "\(out)/\(Self.account)/cloudformation.us-east-1.json"),
            "\(export)")
        let bundle = try JSON(parsing: bundleData)
        let stacks = try #require(bundle["stacks"]?.array)
        #expect(stacks.count == 1)
        #expect(stacks.first?["StackName"]?.string == "flows-iac")
        #expect(
            stacks.first?["StackId"]?.string?.hasPrefix(
                "arn:aws:cloudformation:us-east-1:\(Self.account):stack/flows-iac/") == true)
        let resources = try #require(stacks.first?["StackResourceSummaries"]?.array)
        #expect(resources.compactMap { $0["LogicalResourceId"]?.string } == ["FlowsRole"])
        #expect(resources.first?["PhysicalResourceId"]?.string == "BedrockFlowsStackRole")
        let manifest = try JSON(parsing: try #require(FileManager.default.contents(atPath: "\(out)/manifest.json")))
        let entry = try #require(manifest["exports"]?.array?.first)
        #expect(entry["flows"]?.string == "ok")
        #expect(entry["cloudformation"]?.string == "ok")

        // Plan: the role the stack created is IAC_MANAGED, naming the stack and the logical id.
        let planned = harness.scratch.url.appendingPathComponent("plan").path
        let plan = try harness.flowrole(["plan", out, "--out", planned, "--format", "json"])
        #expect(plan.status == 0, "\(plan)")
        let planJSON = try JSON(parsing: try #require(FileManager.default.contents(atPath: "\(planned)/plan.json")))
        let role = try #require(
            planJSON["roles"]?.array?.first { $0["name"]?.string == "BedrockFlowsStackRole" }, "\(planJSON)")
        let iac = (role["findings"]?.array ?? []).filter { $0["code"]?.string == "IAC_MANAGED" }
        #expect(iac.count == 1, "\(role)")
        #expect(
            iac.first?["message"]?.string?.contains(
                "by CloudFormation stack flows-iac (us-east-1), logical id FlowsRole:") == true, "\(iac)")
        #expect(iac.first?["subject"]?.string == "arn:aws:iam::\(Self.account):role/BedrockFlowsStackRole")
        let kinds = Set((planJSON["inputs"]?.array ?? []).compactMap { $0["kind"]?.string })
        #expect(kinds.contains("cloudformation.bundle"), "\(kinds)")

        // CloudFormation out of reach (no endpoint: the harness's default is a closed port): the
        // export still succeeds, quickly, and the manifest says what failed.
        let unreachable = harness.scratch.url.appendingPathComponent("export-no-cfn").path
        let partial = try harness.flowrole(
            ["export", "--out", unreachable, "--regions", "us-east-1"] + harness.flowroleEndpointArguments)
        #expect(partial.status == 0, "\(partial)")
        #expect(partial.seconds < 30, "a CloudFormation failure took \(partial.seconds) s")
        #expect(!FileManager.default.fileExists(atPath: "\(unreachable)/\(Self.account)/cloudformation.us-east-1.json"))
        #expect(FileManager.default.fileExists(atPath: "\(unreachable)/\(Self.account)/flows.us-east-1.json"))
        let partialManifest = try JSON(
            parsing: try #require(FileManager.default.contents(atPath: "\(unreachable)/manifest.json")))
        let partialEntry = try #require(partialManifest["exports"]?.array?.first)
        #expect(partialEntry["flows"]?.string == "ok")
        #expect(partialEntry["cloudformation"]?.string?.hasPrefix("failed: ") == true, "\(partialEntry)")
        // The inventory reads that manifest and says CloudFormation was not exported.
        let inventory = try harness.flowrole(["inventory", unreachable])
        #expect(inventory.status == 0, "\(inventory)")
        #expect(
            inventory.stdout.contains("  CloudFormation of aws \(Self.account) us-east-1 was not exported: failed: "),
            "\(inventory)")
    }
}
