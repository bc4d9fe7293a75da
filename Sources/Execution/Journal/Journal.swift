import FlowRoleJSON
import Foundation
import Inventory

#if canImport(Glibc)
    import Glibc
#endif

/// The audit trail of a live apply or rollback: JSON Lines, one record per event, each written
/// and flushed to disk (fsync) before the change it announces is made. Interrupted at any point,
/// the journal tells exactly what happened: a `begin` without its `done` or `failed` is a call
/// whose outcome is unknown (the next run reads the live state and finishes or skips it).
///
/// Records (`type`): `run` (plan path and SHA-256, command, phase), `account` (caller ARN and
/// whether it matched), `change` with `event` `begin` | `done` | `failed` | `skipped` | `refused`,
/// and for each change the account, role, phase (`grants` | `trust`), policy name, the before and
/// after documents (so rollback needs nothing but the journal), their SHA-256, the AWS request id
/// and the time.
public final class Journal: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32
    private let lock = NSLock()

    /// Opens (creating) `path` for appending.
    public init(path: String) throws(ExecutionError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExecutionError("\(path): error: cannot open the journal: \(String(cString: strerror(errno)))")
        }
        // A line torn by a kill (or a full disk) is ended, so the records after it stay readable.
        if let data = FileManager.default.contents(atPath: path), let last = data.last, last != 0x0A {
            _ = [UInt8(0x0A)].withUnsafeBytes { write(descriptor, $0.baseAddress, 1) }
        }
    }

    deinit { close(descriptor) }

    /// Appends one record (with `time`) and waits until it is on disk.
    public func append(_ members: [JSONMember]) throws(ExecutionError) {
        var record = members
        record.append(JSONMember("time", .string(Instant.now.description)))
        var bytes = JSONValue.object(record).canonicalBytes
        bytes.append(0x0A)
        let written: Bool = lock.withLock {
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return true }
                var offset = 0
                while offset < buffer.count {
                    let count = write(descriptor, base + offset, buffer.count - offset)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { return false }
                    offset += count
                }
                return fsync(descriptor) == 0
            }
        }
        guard written else {
            throw ExecutionError("\(path): error: cannot write the journal: \(String(cString: strerror(errno)))")
        }
    }

    /// Every record of a journal file, in order; a torn last line (a kill mid-write) is ignored,
    /// any other unreadable line is an error naming its line.
    public static func read(path: String) throws(ExecutionError) -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExecutionError("\(path): error: cannot read the journal.")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var records: [JSONValue] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try JSONParser.parse(String(line), file: path))
            } catch {
                // A line torn by a kill: its change is judged from the live state, never from it.
                if index == lines.count - 1 || line.first == "{" && !line.hasSuffix("}") { continue }
                throw ExecutionError("\(path):\(index + 1): error: not a journal record: \(error.message)")
            }
        }
        return records
    }
}

/// A failure of a live command that is not a finding: the message names what and where.
public struct ExecutionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
