import Foundation
import Testing

// Golden files for every report format, and the committed example reports.
//
// - The small plan: three scenario folders (two accounts, a suppressed blocker, a plan-level
//   finding, a role outside the selection) planned with every format, and `show` of it; each file written must
//   equal its golden copy in Fixtures/snapshots/small-plan/ byte for byte. `RECORD_SNAPSHOTS=1
//   make test` (or `swift test --filter ReportSnapshot` with it) writes them anew; review the diff.
// - reports/example/: what `make demo` writes. The test plans examples/ exactly as the Makefile
//   does and fails when the committed folder differs (then run `make demo` and commit it).

enum Snapshots {
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// Tests/EndToEndTests/Fixtures/snapshots/NAME in the source tree (not the copied bundle), so
    /// recording writes where git sees it.
    static func folder(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/snapshots/\(name)", isDirectory: true)
    }

    /// Compares every file of `written` with the golden folder (the same names, the same bytes),
    /// or records them when RECORD_SNAPSHOTS=1.
    static func check(
        written: URL, golden: URL, hint: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: written.path).filter { !$0.hasPrefix(".") }.sorted()
        if recording {
            try? manager.removeItem(at: golden)
            try manager.createDirectory(at: golden, withIntermediateDirectories: true)
            for name in names {
                try manager.copyItem(at: written.appendingPathComponent(name), to: golden.appendingPathComponent(name))
            }
            return
        }
        let goldenNames = ((try? manager.contentsOfDirectory(atPath: golden.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
        #expect(
            names == goldenNames, "files written differ from \(golden.path); \(hint)", sourceLocation: sourceLocation)
        for name in names where goldenNames.contains(name) {
            let actual = try Data(contentsOf: written.appendingPathComponent(name))
            let expected = try Data(contentsOf: golden.appendingPathComponent(name))
            #expect(
                actual == expected,
                "\(name) differs from \(golden.appendingPathComponent(name).path) (first difference at line \(firstDifferentLine(actual, expected))); \(hint)",
                sourceLocation: sourceLocation)
        }
    }

    private static func firstDifferentLine(_ left: Data, _ right: Data) -> String {
        let a = String(decoding: left, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: right, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? String(a[index]) : "<end>"
            let y = index < b.count ? String(b[index]) : "<end>"
            if x != y { return "\(index + 1): written «\(x.prefix(160))», golden «\(y.prefix(160))»" }
        }
        return "?"
    }
}

@Suite("report snapshots")
struct ReportSnapshotTests {
    /// The small plan's inputs and flags, relative to Fixtures/scenarios (paths in the reports
    /// stay short and the same on every machine).
    static let smallPlanArguments = [
        "selection", "EXPLICIT_DENY", "ROLE_NOT_IN_INPUTS",
        "--suppressions", "suppressions/accepted-payroll-deny.json",
        "--timestamp", "2026-01-15T00:00:00Z",
        "--exclude-role", "BedrockFlowsEuRole",
        "--format", "md,html,csv,sarif,json",
    ]

    @Test func everyFormatOfTheSmallPlanMatchesItsGoldenFile() throws {
        let scenarios = URL(fileURLWithPath: try Fixtures.path("scenarios"))
        let output = try TemporaryDirectory(prefix: "flowrole-snapshot")
        let result = try FlowRole.run(
            ["plan"] + Self.smallPlanArguments + ["--out", output.path("plan")], in: scenarios)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let written = output.url.appendingPathComponent("plan")
        let names = try FileManager.default.contentsOfDirectory(atPath: written.path).sorted()
        #expect(names == ["findings.sarif", "plan.json", "report.html", "report.md", "summary.csv"])
        let hint = "if the change is intended, re-record with RECORD_SNAPSHOTS=1 and review the diff"
        try Snapshots.check(written: written, golden: Snapshots.folder("small-plan"), hint: hint)

        // The terminal view of the same plan: the summary, and one role in colour.
        let plan = written.appendingPathComponent("plan.json").path
        let show = output.url.appendingPathComponent("show")
        try FileManager.default.createDirectory(at: show, withIntermediateDirectories: true)
        for (name, arguments) in [
            ("summary.txt", ["show", plan]),
            ("role-payroll.ansi.txt", ["show", plan, "--role", "BedrockFlowsPayrollRole", "--color", "always"]),
        ] {
            let result = try FlowRole.run(arguments)
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
            try result.stdoutData.write(to: show.appendingPathComponent(name))
        }
        try Snapshots.check(written: show, golden: Snapshots.folder("small-plan-show"), hint: hint)
    }

    @Test func formatChoosesTheReportsAndPlanJSONIsAlwaysWritten() throws {
        let scenarios = URL(fileURLWithPath: try Fixtures.path("scenarios"))
        let output = try TemporaryDirectory(prefix: "flowrole-format")
        for (format, expected) in [
            ("csv", ["plan.json", "summary.csv"]), ("json", ["plan.json"]),
            ("sarif,md", ["findings.sarif", "plan.json", "report.md"]),
        ] {
            let folder = output.path(format)
            let result = try FlowRole.run(
                ["plan", "EXPLICIT_DENY", "--format", format, "--out", folder], in: scenarios)
            #expect(result.status == 0, "\(result)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == expected, "--format \(format)")
        }
        let bad = try FlowRole.run(
            ["plan", "EXPLICIT_DENY", "--format", "md,pdf", "--out", output.path("bad")], in: scenarios)
        #expect(bad.status == 64, "\(bad)")
        #expect(bad.stderr.contains("unknown format 'pdf'"), "\(bad)")
        #expect(!FileManager.default.fileExists(atPath: output.path("bad")))
    }

    /// `make demo` writes reports/example; the committed copy must be what it writes today.
    @Test func theCommittedExampleReportsAreWhatMakeDemoWrites() throws {
        let root = try PackageRoot.url()
        let makefile = try String(contentsOf: root.appendingPathComponent("Makefile"), encoding: .utf8)
        // The arguments of the demo's plan line, so this test cannot drift from the Makefile.
        guard
            let line = makefile.split(separator: "\n").first(where: {
                $0.contains("$(RELEASE_BIN) plan") && $0.contains("reports/example")
            })
        else { throw HarnessError("the Makefile's demo target has no `$(RELEASE_BIN) plan … reports/example` line") }
        var arguments = line.split(separator: " ").map(String.init).filter { !$0.isEmpty }
        arguments.removeFirst()  // $(RELEASE_BIN)
        let output = try TemporaryDirectory(prefix: "flowrole-demo")
        guard let out = arguments.firstIndex(of: "--out") else { throw HarnessError("no --out in \(line)") }
        arguments[out + 1] = output.path("example")
        let result = try FlowRole.run(arguments, in: root)
        #expect(result.status == 0, "\(result)")
        try Snapshots.check(
            written: output.url.appendingPathComponent("example"),
            golden: root.appendingPathComponent("reports/example"),
            hint: "reports/example is stale: run `make demo` and commit reports/example")
    }
}
