import ArgumentParser
import Execution
import FlowRoleJSON
import Foundation
import Inventory
import Migration

/// How the live commands reach AWS: the `aws` command line with the user's own credentials.
struct AWSOptions: ParsableArguments {
    @Option(help: "The AWS CLI profile to use.") var profile: String?

    @Option(
        help: ArgumentHelp(
            "A role to assume in each account: arn:{partition}:iam::{account}:role/NAME.",
            valueName: "template"))
    var assumeRole: String?

    @Option(help: "The external id for --assume-role.") var externalId: String?

    @Option(
        help: ArgumentHelp(
            "An endpoint for every service (URL) or for one (SERVICE=URL: iam, sts, bedrock-agent); repeatable.",
            valueName: "url"))
    var endpointUrl: [String] = []

    @Option(help: "Calls in flight at once per account.") var parallel: Int = 4

    func validate() throws {
        if parallel < 1 { throw ValidationError("--parallel must be at least 1.") }
        if let assumeRole, !assumeRole.contains("{account}") {
            throw ValidationError("--assume-role \(assumeRole) must contain {account} (and may contain {partition}).")
        }
        for endpoint in endpointUrl where !endpoint.contains("://") {
            throw ValidationError("--endpoint-url \(endpoint) is not a URL (URL or SERVICE=URL).")
        }
    }

    var commandLine: AWSCommandLine {
        var aws = AWSCommandLine()
        aws.profile = profile
        for endpoint in endpointUrl {
            if let equals = endpoint.firstIndex(of: "="), !endpoint[..<equals].contains("/") {
                aws.endpoints[String(endpoint[..<equals])] = String(endpoint[endpoint.index(after: equals)...])
            } else {
                for service in ["iam", "sts", "bedrock-agent", "cloudformation"] where aws.endpoints[service] == nil {
                    aws.endpoints[service] = endpoint
                }
            }
        }
        return aws
    }
}

/// Prints outcomes per account and gives the exit status: 0 all done, 3 some refused or failed.
func report(_ outcomes: [LiveApply.Outcome], verb: String) -> Int32 {
    var text = ""
    for outcome in outcomes where outcome.result == .refused || outcome.result == .failed {
        text += "\(outcome.role): \(outcome.result.rawValue) (\(outcome.code)): \(outcome.message)\n"
    }
    for (account, list) in Dictionary(grouping: outcomes, by: \.account).sorted(by: { $0.key < $1.key }) {
        let done = list.filter { $0.result == .applied }
        let changed = done.filter { $0.made > 0 }.count
        let refused = list.filter { $0.result == .refused }.count
        let failed = list.filter { $0.result == .failed }.count
        text +=
            "account \(account): \(done.count) roles \(verb) (\(changed) changed now, \(done.count - changed) already done), \(refused) refused, \(failed) failed.\n"
    }
    if outcomes.isEmpty { text += "nothing to do.\n" }
    StandardOutput.write(Array(text.utf8))
    return outcomes.contains { $0.result == .refused || $0.result == .failed } ? 3 : 0
}

/// `flowrole apply PLAN --write-to DIR | --live`.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a reviewed plan: as files and scripts (--write-to DIR), or live through the aws CLI (--live).")

    @Argument(help: "The plan.json to apply.") var plan: String

    @Option(help: "Write the documents, apply.sh, rollback.sh and a README into this folder.") var writeTo: String?
    @Flag(help: "Apply through the aws command line, with a journal.") var live = false

    @Option(help: "grants (fix outages), trust (tighten trust policies) or all.")
    var phase: String = "all"
    @Option(help: "A file of role ARNs (one per line): change only these.") var only: String?
    @Option(help: "Change at most this many roles.") var maxRoles: Int?
    @Flag(help: "Plan a drifted role again on its live state; apply it when the change is still the reviewed one.")
    var rebase = false
    @Flag(help: "Also change roles an infrastructure-as-code stack owns.") var includeIacManaged = false
    @Option(help: "The journal (JSON Lines), appended to. Default: journal.jsonl beside the plan.")
    var journal: String?
    @Option(help: "The migration file, when the plan's migration is not a built-in one.") var migration: String?

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if (writeTo == nil) == !live { throw ValidationError("give exactly one of --write-to DIR and --live.") }
        if LiveApply.Phase(rawValue: phase) == nil { throw ValidationError("--phase must be grants, trust or all.") }
        if let maxRoles, maxRoles < 0 { throw ValidationError("--max-roles must not be negative.") }
    }

    func run() throws {
        let loaded = try loadPlan(plan)
        let phase = LiveApply.Phase(rawValue: phase) ?? .all
        if let writeTo {
            do {
                try OutputFolder.replace(
                    writeTo, with: OfflineBundle.files(loaded.plan, planSHA256: loaded.sha256, phase: phase),
                    executable: ["apply.sh", "rollback.sh"])
            } catch {
                FileHandleOutput.standardError.write("\(error)\n")
                throw ExitCode(1)
            }
            StandardOutput.write(Array("wrote \(writeTo): apply.sh, rollback.sh, README.md and the documents.\n".utf8))
            return
        }
        var options = LiveApply.Options()
        options.phase = phase
        options.maxRoles = maxRoles
        options.parallel = aws.parallel
        options.rebase = rebase
        options.includeIaCManaged = includeIacManaged
        options.assumeRole = aws.assumeRole
        options.externalID = aws.externalId
        if let only { options.only = try readRoleList(only) }
        let definition: MigrationDefinition
        do {
            definition =
                try migration.map { try MigrationDefinition.load(path: $0) }
                ?? MigrationCatalog.load(id: loaded.plan.migrationID)
        } catch {
            FileHandleOutput.standardError.write(
                "\(error)\n(the plan's migration \(loaded.plan.migrationID) is not built in: give --migration FILE)\n")
            throw ExitCode(1)
        }
        let journalPath =
            journal
            ?? ((plan as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("journal.jsonl")
        let progress = Progress()
        do {
            let apply = LiveApply(
                plan: loaded.plan, planSHA256: loaded.sha256, planPath: plan, migration: definition,
                aws: aws.commandLine, options: options, journal: try Journal(path: journalPath))
            let outcomes = try apply.run { progress.step($0) }
            progress.finish()
            let status = report(outcomes, verb: "applied")
            StandardOutput.write(Array("journal: \(journalPath)\n".utf8))
            if status != 0 { throw ExitCode(status) }
        } catch let error as ExecutionError {
            progress.finish()
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
    }
}

/// `flowrole rollback JOURNAL --live`.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Restore every document a live apply changed, from its journal (safe to run again).")

    @Argument(help: "The journal a live apply wrote.") var journal: String
    @Flag(help: "Restore through the aws command line.") var live = false
    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if !live {
            throw ValidationError("rollback works live only: pass --live (apply --write-to writes rollback.sh).")
        }
    }

    func run() throws {
        let progress = Progress()
        do {
            let rollback = LiveRollback(
                journalPath: journal, aws: aws.commandLine, assumeRole: aws.assumeRole, externalID: aws.externalId,
                journal: try Journal(path: journal))
            let outcomes = try rollback.run { progress.step($0) }
            progress.finish()
            let status = report(outcomes, verb: "restored")
            if status != 0 { throw ExitCode(status) }
        } catch let error as ExecutionError {
            progress.finish()
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
    }
}

/// `flowrole export --out DIR`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export IAM and the flows of each region through the aws CLI, with a manifest of what was read.")

    @Option(help: "The output folder (replaced as a whole at the end).") var out: String
    @Option(help: "Regions whose flows to export, comma-separated. Default: AWS_REGION or AWS_DEFAULT_REGION.")
    var regions: String?
    @Option(help: "A file of account ids (one per line), with --assume-role. Default: the caller's account.")
    var accounts: String?
    @OptionGroup var aws: AWSOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let regionList = (regions ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !regionList.isEmpty else {
            FileHandleOutput.standardError.write("flowrole export: error: no region: give --regions R,...\n")
            throw ExitCode(64)
        }
        var accountList: [String?] = [nil]
        if let accounts {
            guard let text = try? String(contentsOfFile: accounts, encoding: .utf8) else {
                FileHandleOutput.standardError.write("\(accounts): error: cannot read the file of accounts.\n")
                throw ExitCode(1)
            }
            accountList = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            guard aws.assumeRole != nil else {
                FileHandleOutput.standardError.write("flowrole export: error: --accounts needs --assume-role.\n")
                throw ExitCode(64)
            }
        }
        // `{partition}` in --assume-role is the caller's own (roles are assumed within a
        // partition): asked once, before the first account, when there are accounts to assume into.
        var partition = "aws"
        if accounts != nil {
            do {
                partition = try AccountReader(aws: aws.commandLine).identity().partition
            } catch {
                FileHandleOutput.standardError.write(
                    "flowrole export: error: cannot tell the caller's partition for --assume-role: \(error)\n")
                throw ExitCode(1)
            }
        }
        var files: [(name: String, bytes: [UInt8])] = []
        var exports: [JSONValue] = []
        var failures = 0
        let progress = Progress()
        for account in accountList {
            var commandLine = aws.commandLine
            if let account {
                do {
                    commandLine = try commandLine.forAccount(
                        account, partition: partition, assumeRole: aws.assumeRole, externalID: aws.externalId,
                        sessionName: "flowrole-export")
                } catch {
                    FileHandleOutput.standardError.write(
                        "account \(account): cannot assume \(error.roleArn): \(error.error)\n")
                    failures += 1
                    continue
                }
            }
            let reader = AccountReader(aws: commandLine, parallel: aws.parallel)
            do {
                let identity = try reader.identity()
                progress.step("exporting account \(identity.account)")
                let snapshot = try reader.snapshot(
                    partition: identity.partition, account: identity.account, regions: regionList)
                for file in snapshot.files {
                    if file.name == "manifest.json" {
                        let manifest = try JSONParser.parse(String(decoding: file.bytes, as: UTF8.self))
                        exports += manifest["exports"]?.arrayValue ?? []
                    } else {
                        files.append(("\(identity.account)/\(file.name)", file.bytes))
                    }
                }
                for (region, reason) in snapshot.failedRegions.sorted(by: { $0.key < $1.key }) {
                    FileHandleOutput.standardError.write(
                        "account \(identity.account), \(region): the flows could not be exported: \(reason)\n")
                }
                for (region, reason) in snapshot.failedCloudFormation.sorted(by: { $0.key < $1.key }) {
                    FileHandleOutput.standardError.write(
                        "account \(identity.account), \(region): the CloudFormation stacks could not be exported: \(reason)\n"
                    )
                }
            } catch {
                FileHandleOutput.standardError.write("\(account.map { "account \($0): " } ?? "")\(error)\n")
                failures += 1
            }
        }
        progress.finish()
        let manifest: JSONValue = [
            "schema": "flowrole.manifest/v1", "exports": .array(exports), "tool": "flowrole 0.1.0",
            "createdAt": .string(Instant.now.description),
        ]
        files.append(("manifest.json", manifest.prettyBytes))
        do {
            try OutputFolder.replace(out, with: files)
        } catch {
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
        let ok = exports.filter { $0["flows"]?.stringValue == "ok" }.count
        StandardOutput.write(
            Array(
                "wrote \(out): \(files.count - 1) files; flows of \(ok) of \(exports.count) account regions exported.\n"
                    .utf8))
        if failures > 0 { throw ExitCode(1) }
    }
}

/// A plan.json and the SHA-256 of its bytes (the journal and the role session name carry it).
func loadPlan(_ path: String) throws -> (plan: Plan, sha256: String) {
    do {
        return try Plan.loadWithDigest(path: path)
    } catch {
        FileHandleOutput.standardError.write("\(error)\n")
        throw ExitCode(1)
    }
}

/// The role ARNs of an `--only` file: one per line; blank lines and `#` comments are skipped.
func readRoleList(_ path: String) throws -> Set<String> {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandleOutput.standardError.write("\(path): error: cannot read the file of role ARNs.\n")
        throw ExitCode(1)
    }
    return Set(
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty && !$0.hasPrefix("#")
        })
}
