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
        abstract: "Print what the inputs hold: accounts, regions, roles, policies, flows, versions, aliases, coverage and problems."
    )

    @Argument(help: "Export files or directories (searched recursively). JSON or XML, detected by content.")
    var inputs: [String]

    @Flag(help: "Print the same as JSON (schema flowrole.inventory/v1).")
    var json = false

    func run() throws {
        let inventory = try readInventory(inputs)
        print(json ? InventorySummary.json(inventory).prettyText : InventorySummary.text(inventory), terminator: "")
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

/// Unbuffered writes to a file descriptor.
enum FileHandleOutput {
    case standardError

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }
}
