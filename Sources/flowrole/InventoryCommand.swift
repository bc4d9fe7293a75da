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
        if json {
            StandardOutput.write(InventorySummary.json(inventory).prettyBytes)
        } else {
            var text = InventorySummary.text(inventory)
            text.withUTF8 { StandardOutput.write($0) }
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
    static func write(_ bytes: some Collection<UInt8>) {
        let contiguous = Array(bytes)
        contiguous.withUnsafeBytes { write(descriptor: 1, $0) }
    }

    static func write(_ buffer: UnsafeBufferPointer<UInt8>) {
        write(descriptor: 1, UnsafeRawBufferPointer(buffer))
    }

    static func write(descriptor: Int32, _ buffer: UnsafeRawBufferPointer) {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, base, remaining)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            base += written
            remaining -= written
        }
    }
}

/// Writes to standard error.
enum FileHandleOutput {
    case standardError

    func write(_ text: String) {
        Array(text.utf8).withUnsafeBytes { StandardOutput.write(descriptor: 2, $0) }
    }
}
