import ArgumentParser
import FlowRoleJSON
import Foundation
import Inventory
import Migration
import Reporting

/// The flags `plan` and `verify` share (DESIGN, "The CLI contract").
struct PlanOptions: ParsableArguments {
    @Argument(help: "Export files or directories (searched recursively). JSON or XML, detected by content.")
    var inputs: [String]

    @Option(help: "A built-in migration id or a migration file.")
    var migration: String = MigrationCatalog.defaultID

    @Flag(help: "Migrate flows created after the window too.")
    var includeNewFlows = false

    @Option(help: "Flows created before this instant are legacy (RFC 3339), overriding the migration's.")
    var legacyBefore: String?

    @Option(
        help:
            "Regions whose flows are all in the inputs: REGION or ACCOUNT:REGION, comma-separated; '*' covers a wildcard region."
    )
    var flowRegions: String?

    @Option(help: "Change only roles of this account (repeatable).") var account: [String] = []
    @Option(help: "Change only roles used by flows in this region (repeatable).") var region: [String] = []
    @Option(help: "Change only roles whose name matches this glob (case-insensitive) or ARN (repeatable).") var role:
        [String] = []
    @Option(help: "Change only the roles this flow (id or ARN) uses (repeatable).") var flow: [String] = []
    @Option(help: "Change only roles with this tag, K=V (repeatable).") var tag: [String] = []
    @Option(help: "Leave roles whose name matches this glob or ARN unchanged (repeatable).") var excludeRole: [String] =
        []

    @Option(help: "A suppressions file (JSON): accepted findings, with owner, reason and expiry.")
    var suppressions: String?

    @Option(help: "The trust policy size quota of the account, in characters.")
    var trustPolicyMaxChars: Int = 2_048

    @Flag(help: "Do not tighten trust policies.") var skipTrust = false
    @Flag(help: "Give Bedrock trust statements without a SourceArn condition the pinned flows.")
    var tightenUnconditioned = false

    @Option(
        help:
            "Stamp the plan with this instant (RFC 3339); suppressions expire against its day. Without it the plan holds no time."
    )
    var timestamp: String?

    func validate() throws {
        for (name, value) in [("--legacy-before", legacyBefore), ("--timestamp", timestamp)] {
            if let value, (try? Instant(parsing: value)) == nil {
                throw ValidationError("\(name) \(value) is not an RFC 3339 instant (like 2024-11-23T00:00:00Z).")
            }
        }
        for tag in tag where !tag.contains("=") { throw ValidationError("--tag \(tag) must read KEY=VALUE.") }
        if trustPolicyMaxChars < 1 { throw ValidationError("--trust-policy-max-chars must be positive.") }
    }

    /// Reads the inputs and the migration, and plans.
    func makePlan() throws -> Plan {
        let inventory = try readInventory(inputs)
        let definition: MigrationDefinition
        do {
            if FileManager.default.fileExists(atPath: migration) {
                definition = try MigrationDefinition.load(path: migration)
            } else {
                definition = try MigrationCatalog.load(id: migration)
            }
        } catch {
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
        var options = PlannerOptions()
        options.includeNewFlows = includeNewFlows
        options.legacyBefore = legacyBefore.flatMap { try? Instant(parsing: $0) }
        options.timestamp = timestamp.flatMap { try? Instant(parsing: $0) }
        options.flowRegions = (flowRegions ?? "").split(separator: ",").map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        .filter { !$0.isEmpty }
        options.selection.accounts = account
        options.selection.regions = region
        options.selection.roles = role
        options.selection.flows = flow
        options.selection.tags = tag
        options.selection.excluded = excludeRole
        options.skipTrust = skipTrust
        options.tightenUnconditioned = tightenUnconditioned
        options.trustPolicyMaxCharacters = trustPolicyMaxChars
        options.today = options.timestamp?.utcDay ?? Instant.now.utcDay
        if let suppressions {
            options.suppressions = try SuppressionsFile.load(path: suppressions)
        }
        let inputs = inventory.inputs.map { PlanInput(path: $0.path, sha256: $0.sha256, kind: $0.kind) }
        let plan = Planner(migration: definition, options: options).plan(inventory, inputs: inputs)
        // The safety invariants, checked before anything is written: a violation is a bug.
        let violations = PlanInvariants.violations(plan: plan, inventory: inventory, migration: definition)
        guard violations.isEmpty else {
            FileHandleOutput.standardError.write(
                "flowrole: internal error: a safety invariant does not hold, so nothing is written (this is a bug in flowrole; please report it):\n"
                    + violations.map { "  \($0)\n" }.joined())
            throw ExitCode(1)
        }
        return plan
    }
}

/// The files a plan is written as.
func planFiles(_ plan: Plan) -> [(name: String, bytes: [UInt8])] {
    let markdown = MarkdownReport.render(plan)
    return [
        ("plan.json", plan.json.prettyBytes),
        ("report.md", Array(markdown.utf8)),
        ("report.html", Array(HTMLReport.render(plan, markdown: markdown).utf8)),
        ("summary.csv", Array(SummaryCSV.render(plan).utf8)),
    ]
}

/// 0 nothing to change, 2 changes planned and no blocker, 3 any unsuppressed blocker.
func detailedStatus(_ plan: Plan) -> Int32 {
    let summary = plan.summary
    if summary.blockers > 0 { return 3 }
    return summary.rolesToChange > 0 ? 2 : 0
}

func summaryLine(_ plan: Plan) -> String {
    let summary = plan.summary
    return
        "\(summary.roles) roles: \(summary.rolesToChange) to change, \(summary.rolesBlocked) blocked; \(summary.flows) flows (\(summary.legacyFlows) legacy); \(summary.grantsAdded) grants to add, \(summary.trustPoliciesTightened) trust policies to tighten; \(summary.blockers) blockers, \(summary.warnings) warnings.\n"
}

/// `flowrole plan`: writes plan.json, report.md, report.html and summary.csv into DIR.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan the migration: what each role needs, what is added, what is blocked, and why.")

    @OptionGroup var options: PlanOptions

    @Option(help: "The output folder (replaced as a whole at the end).")
    var out: String = "reports/plan"

    @Flag(
        help:
            "Exit 0 when nothing is to change, 2 when changes are planned and nothing blocks, 3 on any unsuppressed blocker."
    )
    var detailedExitcode = false

    func run() throws {
        let plan = try options.makePlan()
        do {
            try OutputFolder.replace(out, with: planFiles(plan))
        } catch {
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
        StandardOutput.write(Array(("wrote \(out)/plan.json: " + summaryLine(plan)).utf8))
        if detailedExitcode { throw ExitCode(detailedStatus(plan)) }
    }
}

/// `flowrole verify`: plans, writes nothing unless --out is given, and exits 0 (nothing left),
/// 2 (changes remain) or 3 (a blocker remains).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Exit 0 only when nothing is left to do (2: changes remain; 3: a blocker remains).")

    @OptionGroup var options: PlanOptions

    @Option(help: "Also write the plan and reports into this folder.")
    var out: String?

    func run() throws {
        let plan = try options.makePlan()
        if let out {
            do {
                try OutputFolder.replace(out, with: planFiles(plan))
            } catch {
                FileHandleOutput.standardError.write("\(error)\n")
                throw ExitCode(1)
            }
        }
        StandardOutput.write(Array(summaryLine(plan).utf8))
        throw ExitCode(detailedStatus(plan))
    }
}
