import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// Hand-written CloudFormation and Terraform outputs, shaped like what the aws CLI, the
/// CloudFormation Query API and `terraform show -json` print.
enum IaC {
    static let account = "111122223333"
    static let stackId =
        "arn:aws:cloudformation:us-east-1:111122223333:stack/finance-flows/5e1b8c70-1f2a-11ef-9d3e-0a8b4c2d6e10"

    /// One `describe-stack-resources` / `list-stack-resources` entry (JSON object text).
    static func resource(
        logical: String, physical: String?, type: String = "AWS::IAM::Role", status: String = "CREATE_COMPLETE",
        stack: (name: String, id: String)? = nil
    ) -> String {
        var members: [String] = []
        if let stack { members += [#""StackName": "\#(stack.name)""#, #""StackId": "\#(stack.id)""#] }
        members.append(#""LogicalResourceId": "\#(logical)""#)
        if let physical { members.append(#""PhysicalResourceId": "\#(physical)""#) }
        members += [
            #""ResourceType": "\#(type)""#, #""Timestamp": "2024-05-02T09:14:31.512000+00:00""#,
            #""ResourceStatus": "\#(status)""#, #""DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"}"#,
        ]
        return "{" + members.joined(separator: ", ") + "}"
    }

    static let describeJSON = """
        {
            "StackResources": [
                \(resource(logical: "FlowsRole", physical: "BedrockFlowsFinanceRole", stack: ("finance-flows", stackId))),
                \(resource(logical: "ReportsBucket", physical: "finance-reports-111122223333", type: "AWS::S3::Bucket", stack: ("finance-flows", stackId))),
                \(resource(logical: "OldRole", physical: "BedrockFlowsRetiredRole", status: "DELETE_SKIPPED", stack: ("finance-flows", stackId))),
                \(resource(logical: "PendingRole", physical: nil, status: "CREATE_IN_PROGRESS", stack: ("finance-flows", stackId)))
            ]
        }
        """

    static let describeXML = """
        <DescribeStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStackResourcesResult>
            <StackResources>
              <member>
                <StackId>\(stackId)</StackId>
                <StackName>finance-flows</StackName>
                <LogicalResourceId>FlowsRole</LogicalResourceId>
                <PhysicalResourceId>BedrockFlowsFinanceRole</PhysicalResourceId>
                <ResourceType>AWS::IAM::Role</ResourceType>
                <Timestamp>2024-05-02T09:14:31.512Z</Timestamp>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                <DriftInformation>
                  <StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus>
                </DriftInformation>
              </member>
              <member>
                <StackId>\(stackId)</StackId>
                <StackName>finance-flows</StackName>
                <LogicalResourceId>ReportsBucket</LogicalResourceId>
                <PhysicalResourceId>finance-reports-111122223333</PhysicalResourceId>
                <ResourceType>AWS::S3::Bucket</ResourceType>
                <Timestamp>2024-05-02T09:14:31.512Z</Timestamp>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
              </member>
            </StackResources>
          </DescribeStackResourcesResult>
          <ResponseMetadata>
            <RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId>
          </ResponseMetadata>
        </DescribeStackResourcesResponse>
        """

    static func listJSON(nextToken: Bool = false) -> String {
        """
        {
            "StackResourceSummaries": [
                \(resource(logical: "ClaimsFlowRole", physical: "BedrockFlowsClaimsRole")),
                \(resource(logical: "ClaimsQueue", physical: "https://sqs.us-east-1.amazonaws.com/111122223333/claims", type: "AWS::SQS::Queue"))
            ]\(nextToken ? #", "NextToken": "eyJOZXh0VG9rZW4iOiBudWxsfQ==""# : "")
        }
        """
    }

    static let listXML = """
        <ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <ListStackResourcesResult>
            <StackResourceSummaries>
              <member>
                <ResourceStatus>CREATE_COMPLETE</ResourceStatus>
                <LogicalResourceId>ClaimsFlowRole</LogicalResourceId>
                <LastUpdatedTimestamp>2024-05-02T09:14:31.512Z</LastUpdatedTimestamp>
                <PhysicalResourceId>BedrockFlowsClaimsRole</PhysicalResourceId>
                <ResourceType>AWS::IAM::Role</ResourceType>
              </member>
            </StackResourceSummaries>
          </ListStackResourcesResult>
          <ResponseMetadata>
            <RequestId>2d06e36c-ac1d-11e0-a958-example</RequestId>
          </ResponseMetadata>
        </ListStackResourcesResponse>
        """

    static let bundleJSON = """
        {
            "stacks": [
                {
                    "StackName": "finance-flows",
                    "StackId": "\(stackId)",
                    "StackResourceSummaries": [\(resource(logical: "FlowsRole", physical: "BedrockFlowsFinanceRole"))]
                }
            ]
        }
        """

    /// `terraform show -json` of a state with a root-module role, a role in a nested module, a
    /// role without an arn, a data source and an unrelated resource.
    static let terraformState = """
        {
          "format_version": "1.0",
          "terraform_version": "1.9.8",
          "values": {
            "outputs": {"role_arn": {"sensitive": false, "value": "arn:aws:iam::111122223333:role/BedrockFlowsLedgerRole", "type": "string"}},
            "root_module": {
              "resources": [
                {
                  "address": "aws_iam_role.ledger",
                  "mode": "managed",
                  "type": "aws_iam_role",
                  "name": "ledger",
                  "provider_name": "registry.terraform.io/hashicorp/aws",
                  "schema_version": 0,
                  "values": {
                    "arn": "arn:aws:iam::111122223333:role/BedrockFlowsLedgerRole",
                    "assume_role_policy": "{\\"Statement\\":[{\\"Action\\":\\"sts:AssumeRole\\",\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"Service\\":\\"bedrock.amazonaws.com\\"}}],\\"Version\\":\\"2012-10-17\\"}",
                    "description": "",
                    "force_detach_policies": false,
                    "id": "BedrockFlowsLedgerRole",
                    "inline_policy": [],
                    "managed_policy_arns": [],
                    "max_session_duration": 3600,
                    "name": "BedrockFlowsLedgerRole",
                    "name_prefix": "",
                    "path": "/",
                    "permissions_boundary": "",
                    "tags": {},
                    "tags_all": {},
                    "unique_id": "AROAEXAMPLELEDGER0001"
                  },
                  "sensitive_values": {"inline_policy": [], "managed_policy_arns": [], "tags": {}, "tags_all": {}}
                },
                {
                  "address": "data.aws_iam_role.shared",
                  "mode": "data",
                  "type": "aws_iam_role",
                  "name": "shared",
                  "provider_name": "registry.terraform.io/hashicorp/aws",
                  "schema_version": 0,
                  "values": {"arn": "arn:aws:iam::111122223333:role/SharedReadOnlyRole", "name": "SharedReadOnlyRole"}
                }
              ],
              "child_modules": [
                {
                  "address": "module.flows",
                  "resources": [
                    {
                      "address": "module.flows.aws_iam_role_policy.invoke",
                      "mode": "managed",
                      "type": "aws_iam_role_policy",
                      "name": "invoke",
                      "provider_name": "registry.terraform.io/hashicorp/aws",
                      "schema_version": 0,
                      "values": {"id": "BedrockFlowsTriageRole:invoke", "name": "invoke", "role": "BedrockFlowsTriageRole"}
                    }
                  ],
                  "child_modules": [
                    {
                      "address": "module.flows.module.roles[\\"triage\\"]",
                      "resources": [
                        {
                          "address": "module.flows.module.roles[\\"triage\\"].aws_iam_role.this[0]",
                          "mode": "managed",
                          "type": "aws_iam_role",
                          "name": "this",
                          "index": 0,
                          "provider_name": "registry.terraform.io/hashicorp/aws",
                          "schema_version": 0,
                          "values": {"arn": "arn:aws:iam::111122223333:role/flows/BedrockFlowsTriageRole", "name": "BedrockFlowsTriageRole", "path": "/flows/"}
                        },
                        {
                          "address": "module.flows.module.roles[\\"triage\\"].aws_iam_role.imported",
                          "mode": "managed",
                          "type": "aws_iam_role",
                          "name": "imported",
                          "provider_name": "registry.terraform.io/hashicorp/aws",
                          "schema_version": 0,
                          "values": {"name": "BedrockFlowsImportedRole"}
                        }
                      ]
                    }
                  ]
                }
              ]
            }
          }
        }
        """
}

@Suite("Readers: CloudFormation and Terraform ownership")
struct IaCReaderTests {
    @Test func describeStackResourcesKeepsTheRolesTheStackHolds() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("stack.json", IaC.describeJSON)
        let inventory = try folder.read()
        #expect(inventory.inputs.map(\.kind) == ["cloudformation.describe-stack-resources"])
        // The bucket is another type; the retained (DELETE_SKIPPED) role and the one not created yet
        // are no longer, or not yet, the stack's.
        #expect(
            inventory.iacOwners == [
                IaCOwner(
                    kind: .cloudFormation, partition: "aws", account: IaC.account, region: "us-east-1",
                    roleName: "BedrockFlowsFinanceRole", stackName: "finance-flows", stackId: IaC.stackId,
                    resource: "FlowsRole", sources: [Provenance(path: path, pointer: "/StackResources/0")])
            ])
        #expect(inventory.iacOwners[0].label == "CloudFormation stack finance-flows (us-east-1), logical id FlowsRole")
    }

    @Test func theQueryAPIsXMLReadsLikeTheJSON() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let json = try folder.write("stack.json", IaC.describeJSON)
        let xml = try folder.write("DescribeStackResources.xml", IaC.describeXML)
        let fromJSON = try InventoryReader.read(paths: [json])
        let fromXML = try InventoryReader.read(paths: [xml])
        #expect(fromXML.inputs.map(\.kind) == ["cloudformation.describe-stack-resources"])
        func strip(_ owners: [IaCOwner]) -> [IaCOwner] {
            owners.map {
                var owner = $0
                owner.sources = []
                return owner
            }
        }
        #expect(strip(fromXML.iacOwners) == strip(fromJSON.iacOwners))
        // XML provenance carries the element's line (pointers run through the Result element).
        #expect(
            fromXML.iacOwners.first?.sources == [
                Provenance(path: xml, pointer: "/DescribeStackResourcesResult/StackResources/0", line: 4)
            ])

        let listXML = try folder.write("ListStackResources.xml", IaC.listXML)
        let listed = try InventoryReader.read(paths: [listXML])
        #expect(listed.inputs.map(\.kind) == ["cloudformation.list-stack-resources"])
        #expect(listed.iacOwners.map(\.roleName) == ["BedrockFlowsClaimsRole"])
        #expect(listed.iacOwners.first?.stackName == nil)
    }

    @Test func listStackResourcesNamesNoStackSoTheFileDoes() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("claims-stack.json", IaC.listJSON())
        let inventory = try folder.read()
        #expect(inventory.inputs.map(\.kind) == ["cloudformation.list-stack-resources"])
        let owner = try #require(inventory.iacOwners.first)
        #expect(inventory.iacOwners.count == 1)
        #expect(owner.account == nil && owner.partition == nil && owner.stackName == nil && owner.stackId == nil)
        #expect(owner.roleName == "BedrockFlowsClaimsRole" && owner.resource == "ClaimsFlowRole")
        // Never guessed from the file name.
        #expect(owner.owner == "the CloudFormation stack listed in \(path)")
        #expect(inventory.problems.isEmpty)
    }

    @Test func aListStackResourcesPageWithANextTokenAndNoFinalPageIsIncomplete() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("page1.json", IaC.listJSON(nextToken: true))
        let problems = try folder.read().problems
        #expect(problems.map(\.code) == [.incompleteListing])
        #expect(problems.first?.message.contains("list-stack-resources page with a NextToken") == true)
        // Both pages in one file (an array of pages): complete.
        try FileManager.default.removeItem(atPath: folder.path("page1.json"))
        try folder.write("pages.json", "[\(IaC.listJSON(nextToken: true)), \(IaC.listJSON())]")
        #expect(try folder.read().problems.isEmpty)
    }

    @Test func theExportBundleNamesItsStacks() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("cloudformation.us-east-1.json", IaC.bundleJSON)
        let inventory = try folder.read()
        #expect(inventory.inputs.map(\.kind) == ["cloudformation.bundle"])
        #expect(
            inventory.iacOwners == [
                IaCOwner(
                    kind: .cloudFormation, partition: "aws", account: IaC.account, region: "us-east-1",
                    roleName: "BedrockFlowsFinanceRole", stackName: "finance-flows", stackId: IaC.stackId,
                    resource: "FlowsRole",
                    sources: [Provenance(path: path, pointer: "/stacks/0/StackResourceSummaries/0")])
            ])
    }

    @Test func oneStackResourceReadTwiceIsOneOwnerWhateverTheOrder() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("a-bundle.json", IaC.bundleJSON)
        try folder.write("b-describe.json", IaC.describeJSON)
        let forward = try InventoryReader.read(paths: [folder.path("a-bundle.json"), folder.path("b-describe.json")])
        let backward = try InventoryReader.read(paths: [folder.path("b-describe.json"), folder.path("a-bundle.json")])
        #expect(forward.iacOwners.count == 1)
        #expect(
            forward.iacOwners.first?.sources.map(\.path) == [
                folder.path("a-bundle.json"), folder.path("b-describe.json"),
            ])
        #expect(forward.iacOwners == backward.iacOwners)
    }

    @Test func terraformStateGivesEveryManagedRoleInEveryModule() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("prod.tfstate.json", IaC.terraformState)
        let inventory = try folder.read()
        #expect(inventory.inputs.map(\.kind) == ["terraform.state"])
        let owners = inventory.iacOwners
        #expect(owners.allSatisfy { $0.kind == .terraform })
        // The data source and the role policy own nothing.
        #expect(
            Set(owners.map(\.resource)) == [
                "aws_iam_role.ledger", #"module.flows.module.roles["triage"].aws_iam_role.this[0]"#,
                #"module.flows.module.roles["triage"].aws_iam_role.imported"#,
            ])
        let ledger = try #require(owners.first { $0.roleName == "BedrockFlowsLedgerRole" })
        #expect(ledger.account == IaC.account && ledger.partition == "aws")
        #expect(ledger.sources == [Provenance(path: path, pointer: "/values/root_module/resources/0")])
        #expect(ledger.label == "Terraform state \(path), resource aws_iam_role.ledger")
        let triage = try #require(owners.first { $0.roleName == "BedrockFlowsTriageRole" })
        #expect(triage.sources.first?.pointer == "/values/root_module/child_modules/0/child_modules/0/resources/0")
        // Without an arn: the name only, no account.
        let imported = try #require(owners.first { $0.roleName == "BedrockFlowsImportedRole" })
        #expect(imported.account == nil)
    }

    @Test func anEmptyTerraformStateOwnsNothing() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("empty.json", #"{"format_version": "1.0"}"#)
        let inventory = try folder.read()
        #expect(inventory.inputs.map(\.kind) == ["terraform.state"])
        #expect(inventory.iacOwners.isEmpty)
    }

    /// The first error reading `text` as one file.
    func error(_ text: String, name: String = "input.json") throws -> InputError? {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write(name, text)
        return folder.errors().first
    }

    @Test func otherTerraformFilesAreRejectedSayingWhatToRun() throws {
        let raw = try error(
            #"{"version": 4, "terraform_version": "1.9.8", "serial": 12, "lineage": "5d2a", "outputs": {}, "resources": []}"#
        )
        #expect(raw?.message.contains("raw Terraform state file") == true)
        #expect(raw?.message.contains("terraform show -json") == true)
        let plan = try error(
            #"{"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": {}, "resource_changes": [], "prior_state": {}}"#
        )
        #expect(plan?.message.contains("of a plan file") == true)
        let future = try error(#"{"format_version": "2.0", "values": {}}"#)
        #expect(future?.pointer == "/format_version")
        #expect(future?.message.contains("\"2.0\" is not supported") == true)
    }

    @Test func badIaCInputNamesTheFileAndThePlace() throws {
        // A StackId of another stack than the StackName.
        let otherStack = IaC.stackId.replacingOccurrences(of: "stack/finance-flows/", with: "stack/claims-flows/")
        let mismatch = try error(
            #"{"StackResources": [\#(IaC.resource(logical: "R", physical: "Role1", stack: ("finance-flows", otherStack)))]}"#
        )
        #expect(mismatch?.pointer == "/StackResources/0/StackId")
        #expect(mismatch?.message.contains("names stack claims-flows, not its StackName finance-flows") == true)
        // A PhysicalResourceId that cannot be a role name, in XML: the line too.
        let xml = try error(
            IaC.listXML.replacingOccurrences(of: ">BedrockFlowsClaimsRole<", with: ">claims/role<"), name: "list.xml")
        #expect(xml?.line == 8)
        #expect(xml?.pointer == "/ListStackResourcesResult/StackResourceSummaries/0/PhysicalResourceId")
        #expect(xml?.message.contains("\"claims/role\" is not an IAM role name") == true)
        #expect(xml?.description.hasPrefix(xml?.file ?? "?") == true)
        // A role resource without its logical id.
        let noLogical = try error(
            #"{"StackResourceSummaries": [{"PhysicalResourceId": "Role1", "ResourceType": "AWS::IAM::Role"}]}"#)
        #expect(noLogical?.pointer == "/StackResourceSummaries/0")
        #expect(noLogical?.message.contains("has no LogicalResourceId") == true)
        // A Terraform role whose arn and name disagree.
        let terraform = try error(
            #"{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_iam_role.a", "mode": "managed", "type": "aws_iam_role", "name": "a", "values": {"name": "RoleA", "arn": "arn:aws:iam::111122223333:role/RoleB"}}]}}}"#
        )
        #expect(terraform?.pointer == "/values/root_module/resources/0/values/arn")
        #expect(terraform?.message.contains("names role RoleB, not its name RoleA") == true)
        // A bundle stack without its resources.
        let bundle = try error(#"{"stacks": [{"StackName": "finance-flows", "StackId": "\#(IaC.stackId)"}]}"#)
        #expect(bundle?.pointer == "/stacks/0")
    }

    @Test func manifestsMayRecordTheCloudFormationExport() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write(
            "manifest.json",
            #"{"schema": "flowrole.manifest/v1", "exports": [{"partition": "aws", "account": "111122223333", "region": "us-east-1", "flows": "ok", "cloudformation": "ok"}, {"partition": "aws", "account": "111122223333", "region": "eu-west-1", "flows": "ok", "cloudformation": "failed: AccessDenied: not authorized"}]}"#
        )
        let inventory = try folder.read()
        #expect(inventory.manifestEntries.map(\.cloudFormation) == ["failed: AccessDenied: not authorized", "ok"])
        #expect(inventory.problems.isEmpty)
        let text = InventorySummary.text(inventory)
        #expect(
            text.contains(
                "  CloudFormation of aws 111122223333 eu-west-1 was not exported: failed: AccessDenied: not authorized")
        )
        #expect(InventorySummary.json(inventory)["cloudFormationExports"]?.arrayValue?.count == 2)
        try folder.write(
            "manifest.json",
            #"{"schema": "flowrole.manifest/v1", "exports": [{"partition": "aws", "account": "111122223333", "region": "us-east-1", "flows": "ok", "cloudformation": "partly"}]}"#
        )
        #expect(folder.errors().first?.pointer == "/exports/0/cloudformation")
    }

    @Test func theInventorySummaryListsOwnersAndTheRolesTheyOwn() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write(
            "iam.json",
            Make.details([
                Make.roleDetail(name: "bedrockflowsfinancerole"), Make.roleDetail(name: "BedrockFlowsClaimsRole"),
                Make.roleDetail(name: "BedrockFlowsClaimsRole", account: "444455556666"),
            ]))
        try folder.write("stack.json", IaC.describeJSON)
        try folder.write("claims.json", IaC.listJSON())
        try folder.write("state.json", IaC.terraformState)
        let inventory = try folder.read()
        let text = InventorySummary.text(inventory)
        #expect(text.contains("Infrastructure as code (5)\n"))
        // Matched by account and name, case-insensitively.
        #expect(
            text.contains(
                """
                  role BedrockFlowsFinanceRole in account 111122223333: CloudFormation stack finance-flows (us-east-1), logical id FlowsRole
                      owns arn:aws:iam::111122223333:role/bedrockflowsfinancerole
                """))
        // No account, and two accounts have the name: none matched.
        #expect(
            text.contains(
                "  role BedrockFlowsClaimsRole: the CloudFormation stack listed in \(folder.path("claims.json")), logical id ClaimsFlowRole\n      names no account, and 2 roles in the inputs have this name: none is matched"
            ))
        #expect(text.contains("  role BedrockFlowsLedgerRole in account 111122223333: Terraform state"))
        #expect(text.contains("      not among the roles in the inputs"))
        let json = InventorySummary.json(inventory)
        #expect(json["counts"]?["iacOwners"] == .number("5"))
        let owners = try #require(json["iacOwners"]?.arrayValue)
        let finance = try #require(owners.first { $0["roleName"] == "BedrockFlowsFinanceRole" })
        #expect(finance["kind"] == "cloudformation")
        #expect(finance["stackName"] == "finance-flows")
        #expect(finance["resource"] == "FlowsRole")
        #expect(finance["roles"] == .array(["arn:aws:iam::111122223333:role/bedrockflowsfinancerole"]))
        #expect(owners.first { $0["roleName"] == "BedrockFlowsClaimsRole" }?["roles"] == .array([]))
        #expect(owners.first { $0["roleName"] == "BedrockFlowsLedgerRole" }?["kind"] == "terraform")
    }
}
