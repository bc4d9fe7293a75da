import Foundation

/// A failed `aws` call: the service's error code (`Throttling`, `NoSuchEntity`, …) read from what
/// the command line prints (`An error occurred (CODE) when calling the OPERATION operation: …`).
public struct AWSError: Error, Sendable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var code: String
    public var message: String
    public var status: Int32 = 0

    public init(service: String, operation: String, code: String, message: String) {
        self.service = service
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// From a failed call's exit status and standard error.
    init(service: String, operation: String, status: Int32, stderr: String) {
        self.service = service
        self.operation = operation
        self.status = status
        let lines = stderr.split(separator: "\n").map(String.init)
        // With --debug, stderr is a log; the error is its last "An error occurred" line.
        let line = lines.last { $0.contains("An error occurred (") } ?? lines.last { !$0.hasPrefix("20") } ?? ""
        if let open = line.range(of: "An error occurred ("), let close = line[open.upperBound...].firstIndex(of: ")") {
            code = String(line[open.upperBound..<close])
        } else if line.contains("Could not connect to the endpoint") || line.contains("Connection was closed") {
            code = "ConnectionError"
        } else {
            code = "CommandFailed"
        }
        message = line.isEmpty ? "aws exited with status \(status)" : line.trimmingCharacters(in: .whitespaces)
    }

    /// Throttling and server-side errors are worth another attempt; a connection error too.
    public var isRetryable: Bool {
        let retryable: Set<String> = [
            "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
            "RequestThrottled", "SlowDown", "ServiceUnavailable", "ServiceUnavailableException",
            "InternalFailure", "InternalError", "InternalServerException", "ServiceFailure", "ConnectionError",
        ]
        return retryable.contains(code) || message.contains("(500)") || message.contains("(502)")
            || message.contains("(503)") || message.contains("(504)")
    }

    /// The entity the call named does not exist.
    public var isNotFound: Bool {
        code == "NoSuchEntity" || code == "NoSuchEntityException" || code == "ResourceNotFoundException"
    }

    public var description: String { "aws \(service) \(operation): \(code): \(message)" }
}
