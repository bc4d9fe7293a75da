import Foundation
import Testing

/// Progress goes to standard error only when it is a terminal: under a pseudo-terminal (made by
/// util-linux `script`) a plan shows its steps with counts; into a pipe (every other test) it
/// shows nothing; and no report ever holds a progress line.
@Suite("progress on a terminal")
struct ProgressTests {
    @Test func aTerminalSeesTheStepsAndTheReportsDoNot() throws {
        let root = try PackageRoot.url()
        let binary = try FlowRoleBinary.url()
        let output = try TemporaryDirectory(prefix: "flowrole-progress")
        let out = output.path("plan")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // -q quiet, -e the command's exit status, -c the command; the typescript goes nowhere.
        process.arguments = ["-qec", "\(binary.path) plan examples/ --out \(out)", "/dev/null"]
        process.currentDirectoryURL = root
        let capture = output.url.appendingPathComponent("terminal.txt")
        FileManager.default.createFile(atPath: capture.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: capture)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let terminal = try String(contentsOf: capture, encoding: .utf8)
        for step in [
            "flowrole: read 11 files: 8 roles, 9 flows", "flowrole: planning 8 roles",
            "flowrole: checking the safety invariants on 8 roles", "flowrole: writing report.html (8 roles)",
        ] {
            #expect(terminal.contains(step), "the terminal shows «\(step)»: \(terminal.debugDescription)")
        }
        // The last progress line is cleared before the summary line is printed.
        #expect(terminal.contains("\r\u{1B}[2Kwrote \(out)/plan.json: 8 roles"))
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            let text = try String(contentsOfFile: output.path("plan/\(name)"), encoding: .utf8)
            #expect(!text.contains("flowrole: reading") && !text.contains("\u{1B}["), "\(name) holds no progress")
        }
    }

    @Test func aPipeSeesNoProgress() throws {
        let root = try PackageRoot.url()
        let output = try TemporaryDirectory(prefix: "flowrole-progress")
        let result = try FlowRole.run(["plan", "examples/", "--out", output.path("plan")], in: root)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(!result.stdout.contains("\u{1B}"), "\(result)")
    }
}
