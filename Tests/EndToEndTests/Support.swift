import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Support for the end-to-end tests: find the built `flowrole`, run it as a separate process, find
// fixtures, read its JSON, and pick apart the diagnostics it prints on stderr.

/// A failure of the test harness itself (not of flowrole), with a message that says what to do.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - The binary

enum FlowRoleBinary {
    /// Directories where SwiftPM puts the products beside the test bundle: the directory of the
    /// running test executable (`/proc/self/exe`, Linux), and the directory of (and around)
    /// `Bundle.main` (on macOS the test bundle sits in the products directory).
    static var candidateDirectories: [URL] {
        var directories: [URL] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        let main = URL(fileURLWithPath: Bundle.main.bundlePath)
        directories.append(main)
        directories.append(main.deletingLastPathComponent())
        // Inside an `.xctest` bundle (macOS: X.xctest/Contents/MacOS/X): the bundle's directory.
        var probe = main
        while probe.path != "/" {
            if probe.pathExtension == "xctest" { directories.append(probe.deletingLastPathComponent()) }
            probe.deleteLastPathComponent()
        }
        return directories
    }

    /// The built `flowrole` executable, or an error naming every place looked at.
    static func url() throws -> URL {
        let directories = candidateDirectories
        for directory in directories {
            let candidate = directory.appendingPathComponent("flowrole")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw HarnessError(
            "the flowrole executable is not beside the test bundle (looked in: \(directories.map(\.path).joined(separator: ", "))); build it with `swift build --scratch-path …` or run the tests with `swift test`, which builds it."
        )
    }
}

// MARK: - Running it

/// What one run of `flowrole` did.
struct RunResult: Sendable, CustomStringConvertible {
    var arguments: [String]
    /// The exit status, or the signal number when `terminatedBySignal`.
    var status: Int32
    var terminatedBySignal: Bool
    var timedOut: Bool
    var stdoutData: Data
    var stderrData: Data
    /// Wall-clock seconds from launch to exit.
    var seconds: Double

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// The stderr lines, without the empty one after the last newline.
    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// Signs of a crash rather than a handled error: a signal, the Swift runtime's "Fatal error",
    /// a backtrace or stack dump.
    var crashSigns: [String] {
        var signs: [String] = []
        if terminatedBySignal { signs.append("terminated by signal \(status)") }
        if timedOut { signs.append("timed out") }
        let markers = [
            "Fatal error", "Stack dump", "Current stack trace", "Backtrace", "Program crashed",
            "Segmentation fault", "Illegal instruction", "Thread 0 crashed",
        ]
        for marker in markers where stderr.contains(marker) || stdout.contains(marker) {
            signs.append("output contains \"\(marker)\"")
        }
        return signs
    }

    var description: String {
        let state = terminatedBySignal ? "signal \(status)" : "exit \(status)"
        return
            "flowrole \(arguments.joined(separator: " ")) → \(state)\(timedOut ? " (timed out)" : "")\n--- stderr\n\(stderr.prefix(2000))\n--- stdout (\(stdoutData.count) bytes)\n\(stdout.prefix(600))"
    }
}

enum FlowRole {
    /// The longest any one run may take before it is killed and reported as timed out.
    static let timeout: Double = 60

    /// Runs `flowrole ARGUMENTS` with no stdin, capturing stdout and stderr (through files, so a
    /// large output never blocks on a full pipe) and the exit status.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> RunResult {
        let scratch = try TemporaryDirectory(prefix: "flowrole-run")
        let result = try ChildProcess.run(
            try FlowRoleBinary.url().path, arguments, environment: ProcessInfo.processInfo.environment,
            scratch: scratch, timeout: timeout, directory: directory)
        return RunResult(
            arguments: arguments, status: result.status, terminatedBySignal: result.terminatedBySignal,
            timedOut: result.timedOut, stdoutData: result.stdoutData, stderrData: result.stderrData,
            seconds: result.seconds)
    }

    /// `flowrole inventory PATHS... [--json]`.
    static func inventory(_ paths: [String], json: Bool = false, in directory: URL? = nil) throws -> RunResult {
        try run(["inventory"] + paths + (json ? ["--json"] : []), in: directory)
    }
}

// MARK: - Files

enum Fixtures {
    /// This target's `Fixtures` folder, copied into the test resources.
    static func root() throws -> URL {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url }
        if let base = Bundle.module.resourceURL {
            let url = base.appendingPathComponent("Fixtures", isDirectory: true)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw HarnessError("the Fixtures resource folder is missing from \(Bundle.module.bundlePath)")
    }

    /// The path of a fixture, e.g. `bad/empty.json`; an error when it does not exist.
    static func path(_ relative: String) throws -> String {
        let url = try root().appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw HarnessError("fixture \(relative) is missing (looked at \(url.path))")
        }
        return url.path
    }

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: try path(relative)))
    }
}

enum PackageRoot {
    /// The package directory: the nearest ancestor of this source file holding Package.swift.
    static func url(file: String = #filePath) throws -> URL {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        throw HarnessError("no Package.swift above \(file)")
    }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init(prefix: String = "flowrole-e2e") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` to `name` (subdirectories created) and returns the file's path.
    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        try write(name, Data(bytes))
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A small deterministic generator (SplitMix64), so "random" fixtures are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Diagnostics

/// One line flowrole prints for bad input: `FILE[:LINE[:COLUMN]]: error: [at POINTER: ]MESSAGE`.
struct Diagnostic: Equatable, CustomStringConvertible {
    var file: String
    var line: Int?
    var column: Int?
    var pointer: String?
    var message: String

    /// Parses one stderr line; nil when it does not have the shape above.
    init?(_ text: String) {
        guard let marker = text.range(of: ": error: ") else { return nil }
        var place = Substring(text[..<marker.lowerBound])
        var numbers: [Int] = []
        while numbers.count < 2, let colon = place.lastIndex(of: ":"),
            let number = Int(place[place.index(after: colon)...]), !place[place.index(after: colon)...].isEmpty
        {
            numbers.insert(number, at: 0)
            place = place[..<colon]
        }
        file = String(place)
        line = numbers.first
        column = numbers.count == 2 ? numbers[1] : nil
        var rest = Substring(text[marker.upperBound...])
        if rest.hasPrefix("at "), let end = rest.range(of: ": ") {
            pointer = String(rest[rest.index(rest.startIndex, offsetBy: 3)..<end.lowerBound])
            rest = rest[end.upperBound...]
        } else {
            pointer = nil
        }
        message = String(rest)
    }

    var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): error: \(pointer.map { "at \($0): " } ?? "")\(message)"
    }
}

/// Checks what every rejection of bad input must look like — exit status 1, nothing on stdout, no
/// crash, every stderr line a diagnostic — and returns the diagnostic about `file` (the first, when
/// there are several), for the caller to check its place and message.
@discardableResult
func expectRejected(
    _ result: RunResult, file: String, sourceLocation: SourceLocation = #_sourceLocation
) -> Diagnostic? {
    #expect(result.crashSigns.isEmpty, "crash signs: \(result.crashSigns)\n\(result)", sourceLocation: sourceLocation)
    #expect(
        !result.terminatedBySignal && result.status == 1, "expected exit status 1\n\(result)",
        sourceLocation: sourceLocation)
    #expect(result.stdoutData.isEmpty, "expected no output on stdout\n\(result)", sourceLocation: sourceLocation)
    let lines = result.stderrLines
    #expect(!lines.isEmpty, "expected an error on stderr\n\(result)", sourceLocation: sourceLocation)
    for line in lines {
        #expect(
            Diagnostic(line) != nil, "stderr line is not `FILE[:LINE[:COL]]: error: …`: \(line)",
            sourceLocation: sourceLocation)
    }
    let diagnostic = lines.compactMap(Diagnostic.init).first { $0.file == file }
    #expect(diagnostic != nil, "no diagnostic names \(file)\n\(result)", sourceLocation: sourceLocation)
    return diagnostic
}

/// Checks a successful run: exit 0, nothing on stderr, no crash.
func expectSuccess(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.crashSigns.isEmpty, "crash signs: \(result.crashSigns)\n\(result)", sourceLocation: sourceLocation)
    #expect(
        !result.terminatedBySignal && result.status == 0, "expected exit status 0\n\(result)",
        sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "expected nothing on stderr\n\(result)", sourceLocation: sourceLocation)
}

// MARK: - JSON

/// A parsed JSON value, comparable and printable, built from Foundation's JSONSerialization.
indirect enum JSON: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(parsing data: Data) throws {
        self = try JSON(foundation: JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    init(foundation value: Any) throws {
        switch value {
        case is NSNull:
            self = .null
        case let text as String:
            self = .string(text)
        case let number as NSNumber:
            // JSONSerialization gives booleans as a distinct NSNumber subclass.
            if String(describing: type(of: number)).contains("Boolean") {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.stringValue)
            }
        case let items as [Any]:
            self = .array(try items.map(JSON.init(foundation:)))
        case let members as [String: Any]:
            self = .object(try members.mapValues(JSON.init(foundation:)))
        default:
            throw HarnessError("unexpected value from JSONSerialization: \(type(of: value))")
        }
    }

    subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var array: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// The same value with every object member named in `keys` removed, at any depth.
    func removing(keys: Set<String>) -> JSON {
        switch self {
        case .array(let items): .array(items.map { $0.removing(keys: keys) })
        case .object(let members):
            .object(members.filter { !keys.contains($0.key) }.mapValues { $0.removing(keys: keys) })
        default: self
        }
    }

    /// Paths where two values differ (at most `limit`), for readable failures.
    func differences(from other: JSON, path: String = "", limit: Int = 10) -> [String] {
        var found: [String] = []
        func walk(_ left: JSON, _ right: JSON, _ path: String) {
            guard found.count < limit else { return }
            switch (left, right) {
            case (.object(let a), .object(let b)):
                for key in Set(a.keys).union(b.keys).sorted() {
                    guard let x = a[key], let y = b[key] else {
                        found.append("\(path)/\(key): only on one side")
                        continue
                    }
                    walk(x, y, "\(path)/\(key)")
                }
            case (.array(let a), .array(let b)) where a.count == b.count:
                for (index, (x, y)) in zip(a, b).enumerated() { walk(x, y, "\(path)/\(index)") }
            default:
                if left != right { found.append("\(path): \(left) ≠ \(right)") }
            }
        }
        walk(self, other, path)
        return found
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): text
        case .string(let text): "\"\(text)\""
        case .array(let items): "[\(items.map(\.description).joined(separator: ", "))]"
        case .object(let members):
            "{\(members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
        }
    }
}
