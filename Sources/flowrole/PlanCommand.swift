import ArgumentParser
import FlowRoleJSON
import Foundation
import Inventory
import Migration
import Reporting
import Synchronization

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
    @Option(
        help:
            "Roles with this tag are managed as code (IAC_MANAGED): KEY=VALUE, or KEY for any value (repeatable)."
    )
    var iacTag: [String] = []

    @Option(
        help:
            "The account that owns the S3 buckets of Storage and Retrieval nodes (their grants' aws:ResourceAccount). Default: each flow's own account."
    )
    var bucketOwner: String?

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

    @Option(
        help:
            "The reports to write, comma-separated among md, html, csv, sarif, json (plan.json is always written). Default: md,html,csv."
    )
    var format: String?

    /// The formats `--format` names, or the default ones.
    var formats: [ReportFormat] {
        guard let format, let parsed = try? ReportFormat.parse(format) else { return ReportFormat.defaults }
        return parsed + [.json]
    }

    func validate() throws {
        if let format { _ = try ReportFormat.parse(format) }
        for (name, value) in [("--legacy-before", legacyBefore), ("--timestamp", timestamp)] {
            if let value, (try? Instant(parsing: value)) == nil {
                throw ValidationError("\(name) \(value) is not an RFC 3339 instant (like 2024-11-23T00:00:00Z).")
            }
        }
        for tag in tag where !tag.contains("=") { throw ValidationError("--tag \(tag) must read KEY=VALUE.") }
        for tag in iacTag where tag.isEmpty || tag.hasPrefix("=") {
            throw ValidationError("--iac-tag \(tag) must read KEY or KEY=VALUE.")
        }
        if let bucketOwner, !(bucketOwner.count == 12 && bucketOwner.allSatisfy { $0.isASCII && $0.isNumber }) {
            throw ValidationError("--bucket-owner \(bucketOwner) is not a 12-digit account id.")
        }
        if trustPolicyMaxChars < 1 { throw ValidationError("--trust-policy-max-chars must be positive.") }
    }

    /// Reads the inputs and the migration, and plans; `progress` tells a terminal how far it got.
    func makePlan(progress: Progress) throws -> (plan: Plan, inventory: Inventory) {
        progress.step("reading \(inputs.count) input path\(inputs.count == 1 ? "" : "s")")
        let inventory = try readInventory(inputs)
        progress.done(
            "read \(inventory.inputs.count) files: \(inventory.roles.count) roles, \(inventory.flows.count) flows")
        let definition: MigrationDefinition
        do {
            definition = try MigrationCatalog.load(idOrPath: migration)
        } catch {
            progress.finish()
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
        options.iacTags = iacTag
        options.bucketOwner = bucketOwner
        options.skipTrust = skipTrust
        options.tightenUnconditioned = tightenUnconditioned
        options.trustPolicyMaxCharacters = trustPolicyMaxChars
        options.today = options.timestamp?.utcDay ?? Instant.now.utcDay
        if let suppressions {
            options.suppressions = try SuppressionsFile.load(path: suppressions)
        }
        let inputs = inventory.inputs.map { PlanInput(path: $0.path, sha256: $0.sha256, kind: $0.kind) }
        progress.step("planning \(inventory.roles.count) roles")
        let plan = Planner(migration: definition, options: options).plan(inventory, inputs: inputs)
        progress.done("planned \(plan.summary.rolesToChange) roles to change")
        // The safety invariants, checked before anything is written: a violation is a bug.
        progress.step("checking the safety invariants on \(plan.roles.count) roles")
        let violations = PlanInvariants.violations(plan: plan, inventory: inventory, migration: definition)
        guard violations.isEmpty else {
            progress.finish()
            FileHandleOutput.standardError.write(
                "flowrole: internal error: a safety invariant does not hold, so nothing is written (this is a bug in flowrole; please report it):\n"
                    + violations.map { "  \($0)\n" }.joined())
            throw ExitCode(1)
        }
        progress.done("the safety invariants hold")
        return (plan, inventory)
    }
}

/// The report formats `--format` chooses among; `plan.json` (json) is always written.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case md, html, csv, sarif, json

    static let defaults: [ReportFormat] = [.json, .md, .html, .csv]

    /// `md,html` → [.md, .html]; an unknown name is a usage error.
    static func parse(_ text: String) throws -> [ReportFormat] {
        try text.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let format = ReportFormat(rawValue: trimmed) else {
                throw ValidationError(
                    "--format \(text): unknown format '\(trimmed)' (choose among md, html, csv, sarif, json).")
            }
            return format
        }
    }
}

/// The files a plan is written as, in the formats asked for (plan.json always), each a job that
/// renders its file as pieces into a sink; the large ones (report.html, plan.json) first.
func planFiles(_ plan: Plan, formats: [ReportFormat], progress: Progress) -> [(
    name: String, render: @Sendable (any PieceSink) -> Void
)] {
    var files: [(name: String, render: @Sendable (any PieceSink) -> Void)] = []
    let wanted = Set(formats)
    if wanted.contains(.html) {
        files.append(
            (
                "report.html",
                { sink in
                    progress.step("writing report.html (\(plan.roles.count) roles)")
                    HTMLReport.render(plan, into: sink)
                }
            ))
    }
    files.append(
        (
            "plan.json",
            { sink in
                progress.step("writing plan.json")
                plan.writeJSON(into: sink)
            }
        ))
    if wanted.contains(.sarif) {
        files.append(("findings.sarif", { $0.put(Array(SARIFReport.render(withSourceLines(plan)).utf8), at: 0) }))
    }
    if wanted.contains(.md) {
        files.append(("report.md", { $0.put(Array(MarkdownReport.render(plan).utf8), at: 0) }))
    }
    if wanted.contains(.csv) {
        files.append(("summary.csv", { $0.put(Array(SummaryCSV.render(plan).utf8), at: 0) }))
    }
    return files
}

/// The plan with each role's source line resolved in its input file (SARIF locates findings by
/// line). Only sources without a line need it: XML sources carry their element's line, and a
/// value of a multi-value JSON file (JSON Lines, concatenated pages) carries its own line.
func withSourceLines(_ plan: Plan) -> Plan {
    var pointers: [String: Set<String>] = [:]
    for role in plan.roles {
        if let source = role.source, source.line == nil, !source.pointer.isEmpty {
            pointers[source.path, default: []].insert(source.pointer)
        }
    }
    var lines: [String: [String: Int]] = [:]
    for (path, wanted) in pointers {
        // A file that cannot be read again keeps no line (SARIF then says line 1).
        lines[path] = try? SourceLines.lines(path: path, pointers: wanted.sorted())
    }
    var resolved = plan
    for index in resolved.roles.indices {
        guard let source = resolved.roles[index].source, let line = lines[source.path]?[source.pointer] else {
            continue
        }
        resolved.roles[index].source?.line = line
    }
    return resolved
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

/// Renders the reports and replaces the output folder with them; a failure writes nothing.
func write(_ plan: Plan, to out: String, formats: [ReportFormat], progress: Progress) throws {
    do {
        let files = planFiles(plan, formats: formats, progress: progress)
        // report.html and plan.json render on every core by themselves, one after the other,
        // each written while it is made and let go as it is written, so that little of either is
        // in memory at a time. The small reports render and are written meanwhile on a thread of
        // their own, filling the moments a core is idle. The first failure (by file order) is
        // reported and nothing is swapped in.
        let large: Set = ["report.html", "plan.json"]
        // Every report reads the summary: counted here once, before two of them could both find
        // it not yet counted.
        _ = plan.summary
        try OutputFolder.replace(out) { staging in
            let small = files.filter { !large.contains($0.name) }
            let outcomes = Mutex<[Result<Void, any Error>]>([])
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                for file in small {
                    let outcome = Result { try staging.write(file.name, streaming: file.render) }
                    outcomes.withLock { $0.append(outcome) }
                }
            }
            // The staging folder must not be removed while the small reports are written to it.
            defer { group.wait() }
            for file in files where large.contains(file.name) {
                try staging.write(file.name, streaming: file.render)
            }
            group.wait()
            for outcome in outcomes.withLock({ $0 }) { try outcome.get() }
        }
        progress.finish()
    } catch {
        progress.finish()
        FileHandleOutput.standardError.write("\(error)\n")
        throw ExitCode(1)
    }
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
        let progress = Progress()
        let (plan, inventory) = try options.makePlan(progress: progress)
        try write(plan, to: out, formats: options.formats, progress: progress)
        StandardOutput.write(Array(("wrote \(out)/plan.json: " + summaryLine(plan)).utf8))
        // Millions of small objects: freeing them one by one takes longer than the process has left.
        ProcessLifetime.keep(plan, inventory)
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
        let progress = Progress()
        let (plan, inventory) = try options.makePlan(progress: progress)
        if let out { try write(plan, to: out, formats: options.formats, progress: progress) }
        progress.finish()
        StandardOutput.write(Array(summaryLine(plan).utf8))
        ProcessLifetime.keep(plan, inventory)
        throw ExitCode(detailedStatus(plan))
    }
}
