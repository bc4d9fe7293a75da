import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A loopback AWS for the end-to-end tests of `flowrole export`, `apply --live` and `rollback --live`:
// Tests/aws/servers.py runs moto (IAM and STS, a real implementation of the IAM API) and a stub of
// the Bedrock Agent flows API, on OS-chosen ports of 127.0.0.1. Every test starts its own servers
// and stops them (closing their stdin), so there is nothing to set up and nothing is ever skipped.
// Needs python3 with moto[server] and boto3, and the aws CLI (`make awsdeps`).

/// One set of loopback servers: moto for IAM/STS and the bedrock-agent stub, seeded as asked.
final class AWSHarness: @unchecked Sendable {
    /// moto's URL; it answers IAM and STS (moto tells them apart by the SigV4 credential scope).
    let iamEndpoint: String
    /// The bedrock-agent stub's URL.
    let bedrockAgentEndpoint: String
    /// The account every ARN and `sts get-caller-identity` report.
    let account: String
    /// The stub's state: one `FLOWID.json` flow bundle entry per flow, re-read on every request.
    let flowsDirectory: URL
    /// The servers' process id.
    let pid: Int32
    /// The environment for child processes (`aws`, `flowrole`): the test's own environment without
    /// any `AWS_*` variable, plus fixed test credentials, `AWS_DEFAULT_REGION=us-east-1`, empty
    /// config and credentials files (no host profile can leak in), and `AWS_ENDPOINT_URL` at a
    /// closed loopback port, so a call that names no endpoint fails instead of reaching AWS.
    let environment: [String: String]
    /// A scratch directory removed with the harness (counter files, plans, exports…).
    let scratch: TemporaryDirectory

    /// The Python scripts under Tests/aws.
    static func script(_ name: String) throws -> URL {
        let url = try PackageRoot.url().appendingPathComponent("Tests/aws/\(name)")
        guard FileManager.default.fileExists(atPath: url.path) else { throw HarnessError("\(url.path) is missing") }
        return url
    }

    /// `aws` stand-in that fails the first `FAKE_AWS_FAIL_FIRST` calls as throttled.
    static func throttlingWrapper() throws -> String { try script("fake_aws_throttling.py").path }

    /// How long the servers may take to say they are ready.
    static let startTimeout: Double = 30

    private let process: Process
    private let stdin: Pipe
    private let stdout: Pipe  // kept open for the servers' lifetime
    private let logURL: URL
    private let finished: DispatchSemaphore
    private let lock = NSLock()
    private var stopped = false

    /// Starts the servers. `seedIAM`: an `aws iam get-account-authorization-details` JSON (absolute,
    /// or relative to the package root) created in moto before the servers are ready. `flows`:
    /// flow bundle entries by flow id (or file name `ID.json`) for the stub. `pageSize`: items per
    /// page of the bedrock-agent list calls (default 2, so the CLI has to follow nextToken).
    init(
        account: String = "111122223333", seedIAM: String? = nil, flows: [String: Data] = [:], pageSize: Int? = nil,
        awsManagedPolicies: Bool? = nil
    ) throws {
        scratch = try TemporaryDirectory(prefix: "flowrole-aws")
        flowsDirectory = scratch.url.appendingPathComponent("flows", isDirectory: true)
        try FileManager.default.createDirectory(at: flowsDirectory, withIntermediateDirectories: true)
        self.account = account
        logURL = scratch.url.appendingPathComponent("servers.log")
        environment = try Self.childEnvironment(scratch: scratch)
        for (name, data) in flows {
            try Self.writeFlow(data, name: name, into: flowsDirectory)
        }

        var arguments = [
            "python3", try Self.script("servers.py").path, "--account", account, "--flows-dir", flowsDirectory.path,
        ]
        if let seedIAM {
            let path = seedIAM.hasPrefix("/") ? seedIAM : try PackageRoot.url().appendingPathComponent(seedIAM).path
            arguments += ["--seed-iam", path]
        }
        if let pageSize { arguments += ["--page-size", String(pageSize)] }
        if let awsManagedPolicies { arguments += ["--aws-managed-policies", awsManagedPolicies ? "yes" : "no"] }

        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw HarnessError("cannot create \(logURL.path)")
        }
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        let stdout = Pipe()
        self.stdout = stdout
        stdin = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = log  // a file, never a pipe nobody drains
        let finished = DispatchSemaphore(value: 0)
        self.finished = finished
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw HarnessError("cannot start \(arguments.joined(separator: " ")): \(error) (is python3 on PATH?)")
        }
        pid = process.processIdentifier

        // The ready line, read on another thread so the wait can time out.
        let reader = ReadyLine()
        let got = DispatchSemaphore(value: 0)
        let handle = stdout.fileHandleForReading
        DispatchQueue.global().async {
            var buffer = Data()
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }  // EOF: the servers exited
                buffer.append(chunk)
            }
            reader.data = buffer
            got.signal()
        }
        let timedOut = got.wait(timeout: .now() + Self.startTimeout) == .timedOut
        let line = timedOut ? Data() : reader.data.prefix { $0 != UInt8(ascii: "\n") }
        guard !timedOut, let ready = try? JSON(parsing: Data(line)),
            let iam = ready["iam"]?.string, let bedrock = ready["bedrockAgent"]?.string,
            let reportedAccount = ready["account"]?.string
        else {
            Self.halt(process, finished: finished)
            let why =
                timedOut
                ? "did not say it was ready within \(Int(Self.startTimeout)) s" : "exited or printed no ready line"
            throw HarnessError(
                "the loopback AWS servers (\(arguments.joined(separator: " "))) \(why); stdout: \(String(decoding: reader.data, as: UTF8.self).debugDescription); stderr:\n\(Self.tail(of: logURL))"
            )
        }
        iamEndpoint = iam
        bedrockAgentEndpoint = bedrock
        if reportedAccount != account {
            Self.halt(process, finished: finished)
            throw HarnessError("the servers report account \(reportedAccount), not \(account)")
        }
    }

    deinit { stop() }

    /// Stops the servers: closes their stdin (their signal to shut down), waits up to 5 s, then
    /// SIGTERM and SIGKILL. Safe to call more than once.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? stdin.fileHandleForWriting.close()
        if finished.wait(timeout: .now() + 5) == .timedOut {
            Self.halt(process, finished: finished)
        }
    }

    /// Whether the servers' process is still running.
    var isRunning: Bool { process.isRunning }

    /// What the servers printed on stderr so far (a request log, seeding warnings).
    var serverLog: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    // MARK: - Flows

    /// Adds or replaces a flow while the servers run (`id` is the flow id; the file is written
    /// atomically, so the stub never reads half of it).
    func addFlow(_ data: Data, id: String) throws {
        try Self.writeFlow(data, name: id, into: flowsDirectory)
    }

    func removeFlow(id: String) throws {
        try FileManager.default.removeItem(at: flowsDirectory.appendingPathComponent("\(id).json"))
    }

    private static func writeFlow(_ data: Data, name: String, into directory: URL) throws {
        let file = name.hasSuffix(".json") ? name : "\(name).json"
        try data.write(to: directory.appendingPathComponent(file), options: .atomic)
    }

    // MARK: - Endpoints

    /// `--endpoint-url SERVICE=URL` for flowrole's `export`, `apply --live` and `rollback --live`.
    var flowroleEndpointArguments: [String] {
        [
            "--endpoint-url", "iam=\(iamEndpoint)", "--endpoint-url", "sts=\(iamEndpoint)",
            "--endpoint-url", "bedrock-agent=\(bedrockAgentEndpoint)",
        ]
    }

    /// The service-specific endpoint variables the aws CLI (v1 ≥ 1.29, v2) reads, for a child that
    /// should reach the loopback servers without `--endpoint-url` (add them to `environment`).
    var endpointEnvironment: [String: String] {
        [
            "AWS_ENDPOINT_URL_IAM": iamEndpoint, "AWS_ENDPOINT_URL_STS": iamEndpoint,
            "AWS_ENDPOINT_URL_BEDROCK_AGENT": bedrockAgentEndpoint,
        ]
    }

    /// The endpoint for an aws CLI service name, or nil for a service the servers do not serve.
    func endpoint(forService service: String) -> String? {
        switch service {
        case "iam", "sts": iamEndpoint
        case "bedrock-agent": bedrockAgentEndpoint
        default: nil
        }
    }

    // MARK: - Running children

    /// Runs the real aws CLI against the servers: `aws ARGUMENTS… --endpoint-url URL`, the URL
    /// chosen by the service (the first argument), unless `arguments` already name one.
    func aws(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try aws(arguments, environment: [:])
    }

    /// The same, with extra environment variables and, with `executable`, a stand-in for `aws`
    /// (a path, e.g. `AWSHarness.throttlingWrapper()`).
    func aws(_ arguments: [String], environment extra: [String: String], executable: String = "aws") throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        var full = arguments
        if !arguments.contains("--endpoint-url"), let service = arguments.first, let url = endpoint(forService: service)
        {
            full += ["--endpoint-url", url]
        }
        let result = try ChildProcess.run(
            executable, full, environment: environment.merging(extra) { $1 }, scratch: scratch, timeout: 60)
        if result.timedOut { throw HarnessError("aws \(full.joined(separator: " ")) timed out\n\(result.stderr)") }
        return (result.status, result.stdout, result.stderr)
    }

    /// The aws CLI's JSON output of a call that must succeed.
    func awsJSON(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let (status, stdout, stderr) = try aws(arguments + ["--output", "json"])
        guard status == 0 else {
            throw HarnessError("aws \(arguments.joined(separator: " ")) exited \(status):\n\(stderr)")
        }
        return try JSON(parsing: Data(stdout.utf8))
    }

    /// Runs the built `flowrole` with this harness's environment (plus `extra`), like `FlowRole.run`.
    func flowrole(_ arguments: [String], environment extra: [String: String] = [:], in directory: URL? = nil)
        throws -> RunResult
    {
        let result = try ChildProcess.run(
            try FlowRoleBinary.url().path, arguments, environment: environment.merging(extra) { $1 },
            scratch: scratch, timeout: FlowRole.timeout, directory: directory)
        return RunResult(
            arguments: arguments, status: result.status, terminatedBySignal: result.terminatedBySignal,
            timedOut: result.timedOut, stdoutData: result.stdoutData, stderrData: result.stderrData,
            seconds: result.seconds)
    }

    // MARK: - Helpers

    /// The test's environment without AWS_* (profiles, keys, regions, endpoints, CA bundles of the
    /// host), plus what every child needs.
    private static func childEnvironment(scratch: TemporaryDirectory) throws -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("FLOWROLE_AWS") && !$0.key.hasPrefix("FAKE_AWS_")
        }
        let config = try scratch.write("aws/config", "")
        let credentials = try scratch.write("aws/credentials", "")
        environment["AWS_ACCESS_KEY_ID"] = "testing"
        environment["AWS_SECRET_ACCESS_KEY"] = "testing"
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_CONFIG_FILE"] = config
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["AWS_PAGER"] = ""
        // Port 9 (discard) is closed on loopback: a call without an endpoint fails fast and locally.
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        return environment
    }

    /// SIGTERM, then SIGKILL after 2 s; waits for the exit.
    private static func halt(_ process: Process, finished: DispatchSemaphore) {
        guard process.isRunning else { return }
        process.terminate()
        if finished.wait(timeout: .now() + 2) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 5)
        }
    }

    private static func tail(of url: URL, lines: Int = 40) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// Whether something accepts TCP connections at a URL's host and port (loopback only).
    static func portAnswers(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let port = components.port else { return false }
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return status == 0
    }

    private final class ReadyLine: @unchecked Sendable {
        var data = Data()
    }
}

/// Runs a child process with a given environment, no stdin, stdout and stderr captured through
/// files (a large output never blocks on a full pipe), with a timeout.
enum ChildProcess {
    struct Result {
        var status: Int32
        var terminatedBySignal: Bool
        var timedOut: Bool
        var stdoutData: Data
        var stderrData: Data
        var seconds: Double
        var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
        var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    }

    /// `executable` is a path, or a name looked up on the environment's PATH (through /usr/bin/env).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], scratch: TemporaryDirectory,
        timeout: Double, directory: URL? = nil
    ) throws -> Result {
        let capture = scratch.url.appendingPathComponent("capture-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout")
        let errURL = capture.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw HarnessError("cannot create capture files in \(capture.path)") }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let start = DispatchTime.now()
        try process.run()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 5)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        try? outHandle.close()
        try? errHandle.close()
        return Result(
            status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
            stderrData: (try? Data(contentsOf: errURL)) ?? Data(), seconds: seconds)
    }
}
