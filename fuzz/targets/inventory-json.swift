// libFuzzer target `inventory-json`: the Inventory readers on arbitrary bytes given as a file.
//
// Each input is written to one temporary file (`input.json`, in a directory of this process under
// /dev/shm or $TMPDIR) and read with the public `InventoryReader.read(paths:)` — the path the CLI
// takes: mapping, content detection (JSON, or XML when the first byte is `<`), the JSON parser
// with the flow readers' skipping, every decoder (IAM, bedrock-agent, bundles, manifests; policy
// documents in all three forms, timestamps, ARNs), hashing with swift-crypto, then merging and
// the inventory checks.
//
// Checks: no crash, no hang, no unbounded memory; bad input is an `InventoryReadError` whose every
// error is an `InputError` naming the file and printing on one line without control characters; a
// successful read is deterministic (read twice, equal inventories) and its summary renders.
import FlowRoleJSON
import Inventory

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    var text = "fuzz/inventory-json: property violated: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The input file: one per process, rewritten for every input, removed at exit.
let inputDirectory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    let directory = "\(base)/flowrole-fuzz-inventory-\(getpid())"
    mkdir(directory, 0o700)
    atexit {
        unlink(inputPath)
        rmdir(inputDirectory)
    }
    return directory
}()
let inputPath = inputDirectory + "/input.json"

func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let descriptor = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { fail("cannot create \(inputPath)") }
    defer { close(descriptor) }
    var written = 0
    while written < size {
        let result = write(descriptor, data + written, size - written)
        guard result > 0 else { fail("cannot write \(inputPath)") }
        written += result
    }
}

func read() -> Result<Inventory, InventoryReadError> {
    do throws(InventoryReadError) {
        return .success(try InventoryReader.read(paths: [inputPath]))
    } catch {
        return .failure(error)
    }
}

func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInventory(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeInput(data, size)
    switch read() {
    case .failure(let error):
        if error.errors.isEmpty { fail("an InventoryReadError without errors") }
        for item in error.errors {
            if item.file != inputPath { fail("an error names \(item.file), not the input: \(item)") }
            if item.message.isEmpty { fail("an error without a message: \(item)") }
            if item.description.unicodeScalars.contains(where: isControl) {
                fail("an error prints a control character: \(item.description.debugDescription)")
            }
        }
    case .success(let inventory):
        guard case .success(let again) = read() else { fail("the second read of the same file failed") }
        if again != inventory { fail("two reads of the same file give different inventories") }
        _ = InventorySummary.json(inventory).canonicalBytes
        _ = InventorySummary.text(inventory)
    }
    return 0
}
