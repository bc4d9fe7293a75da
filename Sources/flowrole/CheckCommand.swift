import ArgumentParser
import Execution
import FlowRoleJSON
import Foundation

/// `flowrole check PLAN --live`: IAM's policy simulator against flowrole's evaluator, per required pair.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Ask IAM's policy simulator (aws iam simulate-principal-policy) about every pair a plan requires, and report where it disagrees with flowrole's evaluator.",
        discussion: """
            For each selected role and each (action, resource) it requires, asks IAM's policy simulator (which also sees the organization's service control policies, which no export holds) and flowrole's evaluator, both on the role's live policies and boundary, with the requirement's condition keys as context. Prints a table, or with --json a flowrole.check/v1 document.

            Exit status: 0 every pair agrees; 2 a disagreement; 1 a failure (credentials, an aws error, a role that could not be checked); 64 usage error.
            """)

    @Argument(help: "The plan.json whose requirements to check.") var plan: String

    @Flag(help: "Ask through the aws command line (required: the check is live only).") var live = false
    @Option(
        help: ArgumentHelp(
            "A file of role ARNs (one per line): check only these. Default: the roles the plan selected.",
            valueName: "file"))
    var only: String?
    @Flag(help: "Print a JSON document (schema flowrole.check/v1) instead of the table.") var json = false

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if !live { throw ValidationError("check works live only: pass --live.") }
    }

    func run() throws {
        let loaded = try loadPlan(plan)
        var options = SimulatorCheck.Options()
        options.parallel = aws.parallel
        options.assumeRole = aws.assumeRole
        options.externalID = aws.externalId
        if let only { options.only = try readRoleList(only) }
        let check = SimulatorCheck(
            plan: loaded.plan, planPath: plan, planSHA256: loaded.sha256, aws: aws.commandLine, options: options)
        let progress = Progress()
        let results: [SimulatorCheck.RoleResult]
        do {
            results = try check.run { progress.step($0) }
        } catch {
            progress.finish()
            FileHandleOutput.standardError.write("flowrole check: error: \(error)\n")
            throw ExitCode(1)
        }
        progress.finish()
        for (error, roles) in SimulatorCheck.failures(results) {
            FileHandleOutput.standardError.write(
                "flowrole check: error: \(error) (\(roles.count == 1 ? "role" : "roles") \(roles.joined(separator: ", ")))\n"
            )
        }
        let output =
            json
            ? SimulatorCheck.json(results, planPath: plan, planSHA256: loaded.sha256).prettyBytes
            : Array(SimulatorCheck.text(results).utf8)
        StandardOutput.write(output)
        let status = SimulatorCheck.Summary(results).exitStatus
        if status != 0 { throw ExitCode(status) }
    }
}
