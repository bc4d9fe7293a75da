import FlowRoleJSON
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `aws` command line, so every credential method an operator already uses (profiles,
/// SSO, environment, instance roles) works unchanged. Each call is one process; its standard
/// output is parsed as JSON. Throttling and server errors are retried with exponential backoff and
/// full jitter; other errors are returned as `AWSError` with the service's error code.
public struct AWSCommandLine: Sendable {
    /// The `aws` executable: `FLOWROLE_AWS_CLI` when set (a wrapper, in tests), else `aws` on PATH.
    public var executable: String
    /// `--endpoint-url` per service (`iam`, `sts`, `bedrock-agent`, `cloudformation`); tests point
    /// these at loopback servers.
    public var endpoints: [String: String] = [:]
    /// `--profile`, when given.
    public var profile: String?
    /// Environment of every call (credentials from `assumeRole` are added here).
    public var environment: [String: String]
    /// Attempts per call for retryable errors (the first included).
    public var attempts = 6
    /// The first backoff, doubled per attempt, capped at `maxDelay`; the sleep is a random
    /// fraction of it (full jitter).
    public var baseDelay = 0.2
    public var maxDelay = 5.0

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        executable = environment["FLOWROLE_AWS_CLI"].flatMap { $0.isEmpty ? nil : $0 } ?? "aws"
    }

    /// What a successful call printed and the request id the service returned, when `--debug`
    /// showed one.
    public struct Output: Sendable {
        public var json: JSONValue
        public var requestID: String?
        /// How many attempts it took.
        public var attempts: Int
    }

    /// `aws SERVICE OPERATION ARGUMENTS… --output json` (plus `--region`, `--endpoint-url`,
    /// `--profile`). With `requestID`, the call runs with `--debug` and the request id is read from
    /// the response headers it logs.
    public func call(
        _ service: String, _ operation: String, _ arguments: [String] = [], region: String? = nil,
        requestID: Bool = false
    ) throws(AWSError) -> Output {
        var full = [service, operation] + arguments + ["--output", "json"]
        if let region { full += ["--region", region] }
        if let endpoint = endpoints[service] { full += ["--endpoint-url", endpoint] }
        if let profile { full += ["--profile", profile] }
        if requestID { full.append("--debug") }
        var attempt = 0
        while true {
            attempt += 1
            let result = try run(full)
            if result.status == 0 {
                let text = String(decoding: result.stdout, as: UTF8.self)
                let json: JSONValue
                if text.allSatisfy(\.isWhitespace) {
                    json = .null
                } else {
                    do {
                        json = try JSONParser.parse(text, file: "aws \(service) \(operation)")
                    } catch {
                        throw AWSError(
                            service: service, operation: operation, code: "UnreadableOutput",
                            message: "the aws command line printed output that is not JSON: \(error)")
                    }
                }
                return Output(
                    json: json, requestID: requestID ? Self.requestID(in: result.stderr) : nil, attempts: attempt)
            }
            let error = AWSError(service: service, operation: operation, status: result.status, stderr: result.stderr)
            guard error.isRetryable, attempt < attempts else { throw error }
            let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
            usleep(UInt32(Double.random(in: 0...ceiling) * 1_000_000))
        }
    }

    /// The runner for `account`: this one, or — given an `--assume-role` template such as
    /// `arn:{partition}:iam::{account}:role/NAME` — one with that role's credentials in the
    /// account, in a session named `sessionName` (CloudTrail ties every call to it). A failure
    /// names the role it tried.
    public func forAccount(
        _ account: String, partition: String, assumeRole template: String?, externalID: String?, sessionName: String
    ) throws(AccountCredentialsError) -> AWSCommandLine {
        guard let template else { return self }
        let roleArn = template.replacingOccurrences(of: "{partition}", with: partition)
            .replacingOccurrences(of: "{account}", with: account)
        do {
            return try assumingRole(roleArn, sessionName: sessionName, externalID: externalID)
        } catch {
            throw AccountCredentialsError(roleArn: roleArn, error: error)
        }
    }

    /// Credentials for `roleArn` from `sts assume-role` (session name carries the plan's short hash
    /// so CloudTrail ties every call to the plan); a copy of this runner that uses them.
    public func assumingRole(_ roleArn: String, sessionName: String, externalID: String?) throws(AWSError)
        -> AWSCommandLine
    {
        var arguments = ["--role-arn", roleArn, "--role-session-name", sessionName]
        if let externalID { arguments += ["--external-id", externalID] }
        let output = try call("sts", "assume-role", arguments)
        guard let credentials = output.json["Credentials"],
            let key = credentials["AccessKeyId"]?.stringValue,
            let secret = credentials["SecretAccessKey"]?.stringValue
        else {
            throw AWSError(
                service: "sts", operation: "assume-role", code: "UnreadableOutput",
                message: "sts assume-role returned no credentials for \(roleArn)")
        }
        var assumed = self
        assumed.profile = nil
        assumed.environment["AWS_ACCESS_KEY_ID"] = key
        assumed.environment["AWS_SECRET_ACCESS_KEY"] = secret
        assumed.environment["AWS_SESSION_TOKEN"] = credentials["SessionToken"]?.stringValue
        assumed.environment["AWS_PROFILE"] = nil
        return assumed
    }

    // MARK: - Running

    private struct RawResult {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    private func run(_ arguments: [String]) throws(AWSError) -> RawResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw AWSError(
                service: arguments.first ?? "", operation: arguments.dropFirst().first ?? "", code: "NoAWSCommandLine",
                message:
                    "cannot run \(executable): \(error.localizedDescription) (install the AWS CLI, or set FLOWROLE_AWS_CLI)"
            )
        }
        // Read both pipes to the end on two threads, so neither can fill and block the child.
        // A dedicated thread, not the shared pool: with --parallel workers blocked on their own
        // pipes, a pool task could wait for a thread while the child waits for its stderr reader.
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            collected.stderr = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return RawResult(
            status: process.terminationStatus, stdout: Array(stdout),
            stderr: String(decoding: collected.stderr, as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        var stderr = Data()
    }

    /// The request id from `--debug` output: the `x-amzn-RequestId` (or `x-amz-request-id`)
    /// response header, or a `<RequestId>` in a logged Query API body.
    static func requestID(in debug: String) -> String? {
        for marker in ["'x-amzn-requestid': '", "'x-amz-request-id': '", "<RequestId>"] {
            // The last one: earlier ones may be a retried attempt's or a credential call's.
            guard let start = debug.range(of: marker, options: [.caseInsensitive, .backwards]) else { continue }
            let rest = debug[start.upperBound...]
            let end = rest.firstIndex { $0 == "'" || $0 == "<" } ?? rest.endIndex
            let value = String(rest[..<end])
            if !value.isEmpty && value.count < 200 { return value }
        }
        return nil
    }
}

/// `sts assume-role` failed for the role an `--assume-role` template names in an account.
public struct AccountCredentialsError: Error, Sendable {
    public var roleArn: String
    public var error: AWSError
}
