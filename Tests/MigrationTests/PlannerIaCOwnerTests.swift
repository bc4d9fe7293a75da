import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Migration

/// IAC_MANAGED from every source: stacks and states in the inputs, CloudFormation's stack-name
/// tag and `--iac-tag`; one finding per role naming every owner; owners without an account matched
/// by name only when that is unambiguous.
@Suite("Planner: infrastructure-as-code owners")
struct PlannerIaCOwnerTests {
    static let account = "111122223333"
    static let finance = "BedrockFlowsFinanceReportsRole"
    static let financeArn = "arn:aws:iam::111122223333:role/finance/BedrockFlowsFinanceReportsRole"
    static let stackId =
        "arn:aws:cloudformation:us-east-1:111122223333:stack/finance-flows/5e1b8c70-1f2a-11ef-9d3e-0a8b4c2d6e10"

    static func examples() throws -> Inventory { try InventoryReader.read(paths: [PackageFiles.examples]) }

    static func stack(
        _ roleName: String, account: String? = account, name: String? = "finance-flows", logical: String = "FlowsRole",
        path: String = "exports/cloudformation.us-east-1.json"
    ) -> IaCOwner {
        IaCOwner(
            kind: .cloudFormation, partition: account == nil ? nil : "aws", account: account,
            region: name == nil ? nil : "us-east-1", roleName: roleName, stackName: name,
            stackId: name == nil ? nil : stackId.replacingOccurrences(of: "finance-flows", with: name ?? ""),
            resource: logical, sources: [Provenance(path: path, pointer: "/stacks/0/StackResourceSummaries/0")])
    }

    static func state(_ roleName: String, account: String? = account, address: String = "aws_iam_role.finance")
        -> IaCOwner
    {
        IaCOwner(
            kind: .terraform, partition: account == nil ? nil : "aws", account: account, roleName: roleName,
            resource: address,
            sources: [Provenance(path: "states/prod.json", pointer: "/values/root_module/resources/0")])
    }

    static func plan(_ inventory: Inventory, iacTags: [String] = []) -> Plan {
        var options = PlannerOptions()
        options.iacTags = iacTags
        return Planner(migration: RequirementDeriverTests.migration, options: options).plan(inventory, inputs: [])
    }

    static func iac(_ plan: Plan) -> [String: [Finding]] {
        var out: [String: [Finding]] = [:]
        for role in plan.roles {
            let found = role.findings.filter { $0.code == "IAC_MANAGED" }
            if !found.isEmpty { out[role.name] = found }
        }
        return out
    }

    @Test func aRoleAStackInTheInputsOwnsIsFlaggedNamingTheStackAndLogicalId() throws {
        var inventory = try Self.examples()
        // Names compare case-insensitively, as IAM's do.
        inventory.iacOwners = [Self.stack("bedrockflowsfinancereportsrole")]
        let found = Self.iac(Self.plan(inventory))
        #expect(Array(found.keys) == [Self.finance])
        let finding = try #require(found[Self.finance]?.first)
        #expect(finding.severity == .warning && finding.subject == Self.financeArn)
        #expect(
            finding.message
                == "role BedrockFlowsFinanceReportsRole is managed as code by CloudFormation stack finance-flows (us-east-1), logical id FlowsRole: change its template or configuration, not the API, or the next deployment reverts the change."
        )
        // Grants are still planned: the finding tells apply to skip the role, it does not block.
        let role = try #require(Self.plan(inventory).roles.first { $0.name == Self.finance })
        #expect(role.status == .change)
    }

    @Test func aRoleATerraformStateOwnsIsFlaggedNamingTheStateAndAddress() throws {
        var inventory = try Self.examples()
        inventory.iacOwners = [Self.state(Self.finance, address: #"module.flows.aws_iam_role.this["finance"]"#)]
        let finding = try #require(Self.iac(Self.plan(inventory))[Self.finance]?.first)
        #expect(
            finding.message.contains(
                #"by Terraform state states/prod.json, resource module.flows.aws_iam_role.this["finance"]:"#))
    }

    @Test func anOwnerOfAnotherAccountOrPartitionOwnsNothingHere() throws {
        var inventory = try Self.examples()
        var otherPartition = Self.stack(Self.finance)
        otherPartition.partition = "aws-cn"
        inventory.iacOwners = [Self.stack(Self.finance, account: "444455556666"), otherPartition]
        let plan = Self.plan(inventory)
        #expect(Self.iac(plan).isEmpty)
        #expect(!plan.findings.contains { $0.code == "IAC_MANAGED" })
    }

    @Test func anOwnerWithoutAnAccountMatchesByNameOnlyWhenUnambiguous() throws {
        var inventory = try Self.examples()
        inventory.iacOwners = [Self.stack(Self.finance, account: nil, name: nil, path: "exports/finance-stack.json")]
        let found = Self.iac(Self.plan(inventory))
        #expect(
            found[Self.finance]?.first?.message.contains(
                "by the CloudFormation stack listed in exports/finance-stack.json, logical id FlowsRole:") == true)

        // A second account with a role of that name: neither is marked, and the plan says why.
        var other = try #require(inventory.roles.first { $0.name == Self.finance })
        other.account = "444455556666"
        other.arn = "arn:aws:iam::444455556666:role/finance/BedrockFlowsFinanceReportsRole"
        inventory.roles.append(other)
        inventory.roles.sort { $0.arn < $1.arn }
        let plan = Self.plan(inventory)
        #expect(Self.iac(plan).isEmpty)
        let top = plan.findings.filter { $0.code == "IAC_MANAGED" }
        #expect(top.count == 1)
        #expect(top.first?.severity == .warning)
        #expect(top.first?.subject == "arn:aws:iam::*:role/BedrockFlowsFinanceReportsRole")
        #expect(
            top.first?.message.hasPrefix(
                "the CloudFormation stack listed in exports/finance-stack.json, logical id FlowsRole owns a role named BedrockFlowsFinanceReportsRole, which 2 roles in the inputs have (arn:aws:iam::111122223333:role/finance/BedrockFlowsFinanceReportsRole, arn:aws:iam::444455556666:role/finance/BedrockFlowsFinanceReportsRole)"
            ) == true)
        // With the account named (describe-stack-resources, an export), only that account's role.
        inventory.iacOwners = [Self.stack(Self.finance)]
        let named = Self.plan(inventory)
        #expect(
            named.roles.filter { $0.findings.contains { $0.code == "IAC_MANAGED" } }.map(\.arn) == [Self.financeArn])
        #expect(!named.findings.contains { $0.code == "IAC_MANAGED" })
    }

    @Test func iacTagsWithAndWithoutAValue() throws {
        let inventory = try Self.examples()
        // team=finance-data (BedrockFlowsFinanceReportsRole); every example role but one has a team tag.
        let byValue = Self.iac(Self.plan(inventory, iacTags: ["team=finance-data"]))
        #expect(Array(byValue.keys) == [Self.finance])
        #expect(
            byValue[Self.finance]?.first?.message.contains("by tag team=finance-data (--iac-tag team=finance-data):")
                == true)
        #expect(Self.iac(Self.plan(inventory, iacTags: ["team=finance"])).isEmpty)  // the value is compared exactly
        #expect(Self.iac(Self.plan(inventory, iacTags: ["Team"])).isEmpty)  // and the key
        let anyValue = Self.iac(Self.plan(inventory, iacTags: ["team"]))
        let tagged = inventory.roles.filter { ($0.tags ?? []).contains { $0.key == "team" } }.map(\.name)
        #expect(Set(anyValue.keys) == Set(tagged))
        #expect(tagged.count > 1)
        #expect(anyValue[Self.finance]?.first?.message.contains("tag team=finance-data (--iac-tag team)") == true)
        // No --iac-tag: tags alone say nothing.
        #expect(Self.iac(Self.plan(inventory)).isEmpty)
    }

    @Test func oneFindingPerRoleListsEveryOwnerOnce() throws {
        var inventory = try Self.examples()
        let index = try #require(inventory.roles.firstIndex { $0.name == Self.finance })
        inventory.roles[index].tags =
            (inventory.roles[index].tags ?? []) + [Tag(key: "aws:cloudformation:stack-name", value: "finance-flows")]
        // The same stack resource read from two files, a state and the tags.
        var again = Self.stack(Self.finance)
        again.sources = [Provenance(path: "exports/describe.json", pointer: "/StackResources/0")]
        inventory.iacOwners = [Self.stack(Self.finance), again, Self.state(Self.finance)]
        let first = Self.iac(Self.plan(inventory, iacTags: ["team", "team=finance-data"]))[Self.finance] ?? []
        #expect(first.count == 1)
        #expect(
            first.first?.message
                == "role BedrockFlowsFinanceReportsRole is managed as code by CloudFormation stack finance-flows (us-east-1), logical id FlowsRole; Terraform state states/prod.json, resource aws_iam_role.finance; tag team=finance-data (--iac-tag team); tag team=finance-data (--iac-tag team=finance-data): change its template or configuration, not the API, or the next deployment reverts the change."
        )
        // The stack-name tag of a stack already named is not listed again; of another stack, it is.
        inventory.roles[index].tags = [Tag(key: "aws:cloudformation:stack-name", value: "legacy-flows")]
        let other = Self.iac(Self.plan(inventory))[Self.finance]?.first?.message ?? ""
        #expect(other.contains("; CloudFormation stack legacy-flows (tag aws:cloudformation:stack-name):"))
        // Input order does not matter.
        var reversed = inventory
        reversed.iacOwners.reverse()
        #expect(Self.plan(reversed) == Self.plan(inventory))
    }

    @Test func theStackNameTagAloneStillCounts() throws {
        var inventory = try Self.examples()
        let index = try #require(inventory.roles.firstIndex { $0.name == Self.finance })
        inventory.roles[index].tags = [Tag(key: "aws:cloudformation:stack-name", value: "finance-flows")]
        let finding = try #require(Self.iac(Self.plan(inventory))[Self.finance]?.first)
        #expect(finding.message.contains("by CloudFormation stack finance-flows (tag aws:cloudformation:stack-name):"))
    }
}
