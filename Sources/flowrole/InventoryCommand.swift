import ArgumentParser
import FlowRoleJSON
import Inventory

#if canImport(Glibc)
    import Glibc
#endif

/// `flowrole inventory INPUT... [--json]`: what was read.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract:
            "Print what the inputs hold: accounts, regions, roles, policies, flows, versions, aliases, coverage and problems."
    )

    @Argument(help: "Export files or directories (searched recursively). JSON or XML, detected by content.")
    var inputs: [String]

    @Flag(help: "Print the same as JSON (schema flowrole.inventory/v1).")
    var json = false

    func run() throws {
        let inventory = try readInventory(inputs)
        let written: Bool
        if json {
            written = StandardOutput.write(InventorySummary.json(inventory).prettyBytes)
        } else {
            var text = InventorySummary.text(inventory)
            written = text.withUTF8 { StandardOutput.write($0) }
        }
        guard written else {
            FileHandleOutput.standardError.write(
                "flowrole: error: cannot write to standard output: \(String(cString: strerror(errno))).\n")
            throw ExitCode(1)
        }
    }
}

/// Reads the inputs; bad input is printed to stderr, one line per error, and exits 1.
func readInventory(_ paths: [String]) throws -> Inventory {
    do {
        return try InventoryReader.read(paths: paths)
    } catch {
        for problem in error.errors {
            FileHandleOutput.standardError.write("\(problem)\n")
        }
        throw ExitCode(1)
    }
}

/// Whole-buffer writes to standard output and standard error (`print` goes through a
/// character-by-character text stream, which costs seconds on a large inventory).
enum StandardOutput {
    /// Writes all of `bytes`; false when the descriptor refuses them (a full disk, a closed pipe).
    @discardableResult
    static func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write(descriptor: 1, $0) }
    }

    @discardableResult
    static func write(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        write(descriptor: 1, UnsafeRawBufferPointer(buffer))
    }

    @discardableResult
    static func write(descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        guard var base = buffer.baseAddress else { return true }
        var remaining = buffer.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, base, remaining)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            base += written
            remaining -= written
        }
        return true
    }
}

/// Writes to standard error.
enum FileHandleOutput {
    case standardError

    func write(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { StandardOutput.write(descriptor: 2, $0) }
    }
}
