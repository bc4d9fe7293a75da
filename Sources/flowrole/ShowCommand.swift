import ArgumentParser
import FlowRoleJSON
import Foundation
import Migration
import Reporting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `flowrole show PLAN [--role ARN|NAME] [--color auto|always|never]`: a plan for a terminal.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a summary of a plan (a plan.json), or one role in detail with --role.")

    enum Color: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Argument(help: "The plan.json that `flowrole plan` wrote.")
    var plan: String

    @Option(
        help: "Show this role in detail (its ARN, or its name when no other role has it), with a diff of each change.")
    var role: String?

    @Option(
        help: "Colour: auto (only when standard output is a terminal and NO_COLOR is unset or empty), always, never.")
    var color: Color = .auto

    func run() throws {
        let loaded: Plan
        do {
            loaded = try Plan.load(path: plan)
        } catch {
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
        let style: TerminalStyle =
            switch color {
            case .always: .ansi
            case .never: .plain
            case .auto:
                .automatic(isTerminal: isatty(1) != 0, environment: ProcessInfo.processInfo.environment)
            }
        var text: String
        if let role {
            let matches = TerminalReport.roles(matching: role, in: loaded)
            guard let only = matches.first, matches.count == 1 else {
                let message =
                    matches.isEmpty
                    ? "no role \(role) in the plan (\(loaded.roles.count) roles); give a role's ARN, or its name."
                    : "\(matches.count) roles are named \(role); give the ARN of one: \(matches.map(\.arn).joined(separator: ", "))."
                FileHandleOutput.standardError.write("\(InputError(file: plan, message: message))\n")
                throw ExitCode(1)
            }
            text = TerminalReport.role(only, in: loaded, style: style)
        } else {
            text = TerminalReport.summary(loaded, style: style)
        }
        guard text.withUTF8({ StandardOutput.write($0) }) else {
            FileHandleOutput.standardError.write(
                "flowrole: error: cannot write to standard output: \(String(cString: strerror(errno))).\n")
            throw ExitCode(1)
        }
    }
}
