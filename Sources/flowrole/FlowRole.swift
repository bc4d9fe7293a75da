import ArgumentParser

/// The root command: configuration only; the work is in the subcommands.
@main
struct FlowRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrole",
        abstract: "Upgrade the IAM service roles of Amazon Bedrock Flows in bulk, as a reviewable plan.",
        discussion: """
            Exit status: 0 success; 1 bad input or failure; 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            InventoryCommand.self, PlanCommand.self, VerifyCommand.self, ShowCommand.self, ApplyCommand.self,
            RollbackCommand.self, ExportCommand.self, CheckCommand.self, ScaffoldCommand.self,
        ]
    )

    static func main() {
        ProcessLifetime.tuneAllocator()
        main(nil)
    }
}
