import Foundation
import Testing

/// Usage errors exit 64 (DESIGN, "The CLI contract"), print the usage on stderr and nothing on stdout.
@Suite("usage errors")
struct UsageTests {
    struct UsageCase: Sendable, CustomStringConvertible {
        var arguments: [String]
        var mentions: String
        var description: String { "flowrole " + arguments.joined(separator: " ") }
    }

    @Test(
        "usage errors exit 64",
        arguments: [
            UsageCase(arguments: ["inventory"], mentions: "<inputs>"),
            UsageCase(arguments: ["inventory", "--no-such-flag", "examples/"], mentions: "--no-such-flag"),
            UsageCase(arguments: ["inventory", "examples/", "--jsn"], mentions: "--jsn"),
            UsageCase(arguments: ["no-such-command", "examples/"], mentions: "no-such-command"),
        ])
    func usageError(_ testCase: UsageCase) throws {
        let result = try FlowRole.run(testCase.arguments, in: try PackageRoot.url())
        #expect(result.crashSigns.isEmpty, "\(result)")
        #expect(!result.terminatedBySignal && result.status == 64, "\(result)")
        #expect(result.stdoutData.isEmpty, "\(result)")
        #expect(result.stderr.contains("Usage:"), "\(result)")
        #expect(result.stderr.contains(testCase.mentions), "\(result)")
    }
}
