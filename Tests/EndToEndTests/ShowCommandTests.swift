import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `flowrole show` on a plan.json that `flowrole plan` has just written from the example account.
@Suite("show")
struct ShowCommandTests {
    /// A fresh plan of the example account: its folder (kept alive by the caller), path and JSON.
    static func freshPlan() throws -> (folder: TemporaryDirectory, path: String, json: JSON) {
        let folder = try TemporaryDirectory()
        let examples = try PackageRoot.url().appendingPathComponent("examples").path
        let result = try FlowRole.run([
            "plan", examples, "--out", folder.path("out"), "--timestamp", "2026-11-29T08:00:00Z",
        ])
        #expect(result.status == 0, "\(result)")
        let path = folder.path("out/plan.json")
        return (folder, path, try JSON(parsing: try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func counted(_ count: Int?, _ noun: String, plural: String? = nil) -> String {
        "\(count ?? -1) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    @Test func theSummaryGivesThePlansNumbersAndTheRolesThatChange() throws {
        let (folder, path, plan) = try Self.freshPlan()
        _ = folder
        let result = try FlowRole.run(["show", path])
        expectSuccess(result)
        let summary = try #require(plan["summary"])
        let roles = summary["roles"]?.int ?? -1
        let change = summary["rolesToChange"]?.int ?? -1
        let blocked = summary["rolesBlocked"]?.int ?? -1
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        let expected = [
            "flowrole plan  2024-11-22-bedrock-flows-service-role",
            "legacy flows  created before 2024-11-23T00:00:00Z",
            "generated at  2026-11-29T08:00:00Z",
            "\(Self.counted(roles, "role")): \(change) to change, \(blocked) blocked, \(roles - change - blocked) unchanged",
            "\(Self.counted(summary["flows"]?.int, "flow")) (\(summary["legacyFlows"]?.int ?? -1) legacy); "
                + "\(Self.counted(summary["grantsAdded"]?.int, "grant")) to add; "
                + "\(Self.counted(summary["trustPoliciesTightened"]?.int, "trust policy", plural: "trust policies")) to tighten",
            "\(Self.counted(summary["blockers"]?.int, "blocker")), \(Self.counted(summary["warnings"]?.int, "warning"))",
        ]
        for line in expected { #expect(lines.contains(line), "missing: \(line)\n\(result.stdout)") }
        // Every role that changes or is blocked has a row; the unchanged ones are counted, not listed.
        let planRoles = try #require(plan["roles"]?.array)
        for role in planRoles {
            let name = try #require(role["name"]?.string)
            let status = try #require(role["status"]?.string)
            let row = result.stdout.split(separator: "\n").first {
                $0.hasPrefix("  \(status) ") && $0.contains(" \(name) ")
            }
            #expect((row != nil) == (status != "unchanged"), "\(status) \(name)\n\(result.stdout)")
        }
        let unchanged = planRoles.filter { $0["status"]?.string == "unchanged" }.count
        #expect(lines.contains("  \(Self.counted(unchanged, "unchanged role")) not listed"), "\(result.stdout)")
        #expect(lines.contains("plan findings"))
        #expect(result.stdout.contains("  SCP_NOT_EVALUATED "))
        #expect(!result.stdout.contains("\u{1B}"), "colour on a file")
    }

    @Test func oneRoleInDetailByARNOrName() throws {
        let (folder, path, plan) = try Self.freshPlan()
        _ = folder
        let role = try #require(
            plan["roles"]?.array?.first {
                $0["changes"]?.array?.contains { $0["type"]?.string == "updateAssumeRolePolicy" } == true
                    && $0["findings"]?.array?.isEmpty == false
            })
        let arn = try #require(role["arn"]?.string)
        let result = try FlowRole.run(["show", path, "--role", arn])
        expectSuccess(result)
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        #expect(lines.contains("arn      \(arn)"))
        #expect(lines.contains("status   \(role["status"]?.string ?? "")"))
        #expect(
            lines.contains(
                "source   \(role["source"]?["path"]?.string ?? "") (\(role["source"]?["pointer"]?.string ?? ""))"))
        #expect(lines.contains("basis    \(role["basis"]?.string ?? "")"))
        #expect(lines.contains { $0.hasPrefix("  updateAssumeRolePolicy  trust policy, pinned to ") })
        for flow in role["flows"]?.array ?? [] {
            #expect(lines.contains("    \(flow["arn"]?.string ?? "")"), "pinned flow listed")
        }
        for finding in role["findings"]?.array ?? [] {
            #expect(result.stdout.contains(finding["code"]?.string ?? "?"))
        }
        #expect(result.stdout.contains("what to do: "))
        #expect(lines.contains("  --- before") && lines.contains("  +++ after"))
        #expect(lines.contains { $0.hasPrefix("  @@ -") })
        #expect(!result.stdout.contains("\u{1B}"))
        // By name, the same text.
        let byName = try FlowRole.run(["show", path, "--role", role["name"]?.string ?? ""])
        expectSuccess(byName)
        #expect(byName.stdout == result.stdout)
    }

    @Test func colourIsForTerminalsUnlessAskedForAndNeverUnderNoColor() throws {
        let (folder, path, plan) = try Self.freshPlan()
        _ = folder
        let arn = try #require(plan["roles"]?.array?.first { $0["status"]?.string == "change" }?["arn"]?.string)
        // Forced.
        let always = try FlowRole.run(["show", path, "--color", "always"])
        expectSuccess(always)
        #expect(always.stdout.contains("\u{1B}["))
        let role = try FlowRole.run(["show", path, "--role", arn, "--color", "always"])
        #expect(role.stdout.contains("\u{1B}[32m+") && role.stdout.contains("\u{1B}[31m-"))
        // The tests' standard output is a file: auto gives none, and neither does never.
        #expect(!(try FlowRole.run(["show", path])).stdout.contains("\u{1B}"))
        #expect(!(try FlowRole.run(["show", path, "--color", "never"])).stdout.contains("\u{1B}"))
        // On a terminal: colour, unless NO_COLOR is set and not empty (no-color.org); --color always wins.
        let terminal = try Self.runOnTerminal(["show", path], environment: [:])
        #expect(terminal.status == 0 && terminal.output.contains("\u{1B}["), "\(terminal.output.prefix(300))")
        let noColor = try Self.runOnTerminal(["show", path], environment: ["NO_COLOR": "1"])
        #expect(noColor.status == 0 && noColor.output.contains("flowrole plan"), "\(noColor.output.prefix(300))")
        #expect(!noColor.output.contains("\u{1B}"))
        let empty = try Self.runOnTerminal(["show", path], environment: ["NO_COLOR": ""])
        #expect(empty.output.contains("\u{1B}["))
        let forced = try Self.runOnTerminal(["show", path, "--color", "always"], environment: ["NO_COLOR": "1"])
        #expect(forced.output.contains("\u{1B}["))
        #expect(try FlowRole.run(["show", path, "--color", "sometimes"]).status == 64)
    }

    @Test func anUnknownRoleExitsOneNamingThePlanAndTheRole() throws {
        let (folder, path, _) = try Self.freshPlan()
        _ = folder
        let arn = "arn:aws:iam::111122223333:role/NoSuchRole"
        let result = try FlowRole.run(["show", path, "--role", arn])
        let diagnostic = expectRejected(result, file: path)
        #expect(diagnostic?.message.contains(arn) == true, "\(result)")
    }

    @Test func aDamagedPlanExitsOneNamingTheFileAndThePointer() throws {
        let (folder, path, plan) = try Self.freshPlan()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let index = try #require(plan["roles"]?.array?.firstIndex { $0["status"]?.string == "change" })
        // The first `"status": "change"` in the file is that role's.
        let range = try #require(text.range(of: "\"status\": \"change\""))
        let damaged = folder.path("damaged/plan.json")
        try folder.write("damaged/plan.json", text.replacingCharacters(in: range, with: "\"status\": \"changed\""))
        let diagnostic = expectRejected(try FlowRole.run(["show", damaged]), file: damaged)
        #expect(diagnostic?.pointer == "/roles/\(index)/status")
        #expect(diagnostic?.message == "expected one of change, unchanged, blocked; found \"changed\".")

        // A hand-edited summary.
        let warnings = plan["summary"]?["warnings"]?.int ?? 0
        let summaryRange = try #require(text.range(of: "\"warnings\": \(warnings)"))
        let edited = try folder.write(
            "edited/plan.json", text.replacingCharacters(in: summaryRange, with: "\"warnings\": \(warnings + 1)"))
        let summary = expectRejected(try FlowRole.run(["show", edited]), file: edited)
        #expect(summary?.pointer == "/summary/warnings")
        #expect(summary?.message.hasPrefix("the summary says \(warnings + 1) but") == true)

        // Not JSON, not a plan, not there.
        let truncated = try folder.write("truncated.json", String(text.prefix(200)))
        let syntax = expectRejected(try FlowRole.run(["show", truncated]), file: truncated)
        #expect(syntax?.line != nil)
        let notPlan = try Fixtures.path("good/role-a.json")
        let schema = expectRejected(try FlowRole.run(["show", notPlan]), file: notPlan)
        #expect(schema?.pointer == "/schema")
        #expect(schema?.message.hasPrefix("not a flowrole plan") == true)
        expectRejected(try FlowRole.run(["show", folder.path("absent.json")]), file: folder.path("absent.json"))
    }

    // MARK: - A pseudo-terminal

    /// Runs `flowrole ARGUMENTS` with standard output on a pseudo-terminal (so `isatty(1)` holds)
    /// and `environment` over the test's own (without NO_COLOR); returns what it wrote there.
    static func runOnTerminal(_ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, output: String
    ) {
        var master: Int32 = -1
        var terminal: Int32 = -1
        guard openpty(&master, &terminal, nil, nil, nil) == 0 else {
            throw HarnessError("cannot open a pseudo-terminal (errno \(errno))")
        }
        defer { close(master) }
        let handle = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)

        var variables = ProcessInfo.processInfo.environment
        variables["NO_COLOR"] = nil
        variables.merge(environment) { _, new in new }
        let process = Process()
        process.executableURL = try FlowRoleBinary.url()
        process.arguments = arguments
        process.environment = variables
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Only the child holds the terminal now: reading ends (EIO) once it exits.
        try handle.close()

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let deadline = Date().addingTimeInterval(FlowRole.timeout)
        while Date() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
