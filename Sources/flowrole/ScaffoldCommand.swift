import ArgumentParser
import Execution
import FlowRoleJSON
import Foundation
import Inventory
import Migration

/// `flowrole scaffold FLOW...`: a least-privilege service role for new flows.
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract:
            "Write a least-privilege service role for flows: trust and identity policies, aws commands, CloudFormation.",
        discussion: """
            FLOW is a flow export: get-flow or get-flow-version output, a flow bundle, or a folder of them \
            (inference-profile descriptions beside them resolve the models a profile routes to). Every flow \
            read is included unless --flow names some. The grants are those of the least-privilege migration, \
            derived from every node of the DRAFT and every version; `plan --migration bedrock-flows-least-privilege` \
            on the created role finds it complete and minimal.
            """)

    @Argument(help: "Flow exports (files or folders).") var flowInputs: [String]

    @Option(help: "Only this flow (id or ARN; repeatable).") var flow: [String] = []

    @Option(help: "The role's name. Default: the role the flows name as their execution role, when they all name one.")
    var roleName: String?

    @Option(help: "The role's path. Default: the path the flows' execution role ARN has, or /.") var path: String?

    @Option(help: "The account that owns the S3 buckets of Storage and Retrieval nodes. Default: the flows' account.")
    var bucketOwner: String?

    @Option(help: "The migration whose grants the role holds (id or file).")
    var migration: String = "bedrock-flows-least-privilege"

    @Option(help: "The folder to write.") var out: String = "reports/scaffold"

    func validate() throws {
        if let bucketOwner, !(bucketOwner.count == 12 && bucketOwner.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw ValidationError("--bucket-owner \(bucketOwner) is not a 12-digit account id.")
        }
    }

    func run() throws {
        let inventory = try readInventory(flowInputs)
        var flows = inventory.flows
        if !flow.isEmpty {
            flows = flows.filter { candidate in flow.contains { $0 == candidate.id || $0 == candidate.arn } }
            let found = Set(flows.flatMap { [$0.id, $0.arn] })
            for wanted in flow where !found.contains(wanted) {
                FileHandleOutput.standardError.write("flowrole: error: --flow \(wanted) is not among the flows read.\n")
                throw ExitCode(1)
            }
        }
        guard !flows.isEmpty else {
            FileHandleOutput.standardError.write(
                "flowrole: error: the inputs hold no flow (give get-flow outputs, bundles or a folder of them).\n")
            throw ExitCode(1)
        }
        // The role the flows' DRAFTs run as (the scaffold serves the DRAFT; versions keep theirs).
        let references = Set(
            flows.compactMap {
                RoleReference(
                    executionRoleArn: $0.executionRoleArn, flowPartition: $0.partition, flowAccount: $0.account)
            })
        let named = Set(references.map(\.name))
        let paths = Set(references.map(\.path))
        guard let name = roleName ?? (named.count == 1 ? named.first : nil) else {
            FileHandleOutput.standardError.write(
                "flowrole: error: the flows name \(named.count) execution roles (\(named.sorted().joined(separator: ", "))); give --role-name.\n"
            )
            throw ExitCode(64)
        }
        do {
            let definition = try MigrationCatalog.load(idOrPath: migration)
            let scaffold = try RoleScaffold.make(
                flows: flows, migration: definition, roleName: name,
                path: path ?? (roleName == nil && paths.count == 1 ? paths.first ?? "/" : "/"),
                bucketOwner: bucketOwner,
                inferenceProfiles: inventory.inferenceProfiles)
            try OutputFolder.replace(out, with: ScaffoldBundle.files(scaffold), executable: ["create-role.sh"])
            let statements = scaffold.identityPolicy?["Statement"]?.arrayValue?.count ?? 0
            var summary =
                "wrote \(out): role \(scaffold.roleArn) for \(scaffold.flows.count) flow\(scaffold.flows.count == 1 ? "" : "s"); \(Set(scaffold.requirements.map { "\($0.action) \($0.resource)" }).count) grants in \(statements) statements"
            if !scaffold.keyPolicyStatements.isEmpty {
                summary += "; \(scaffold.keyPolicyStatements.count) KMS key policy statement(s) for the key owner"
            }
            summary += scaffold.findings.isEmpty ? ".\n" : "; \(scaffold.findings.count) finding(s), see README.md.\n"
            StandardOutput.write(Array(summary.utf8))
        } catch {
            FileHandleOutput.standardError.write("flowrole: error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
