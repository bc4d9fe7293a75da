import Dispatch
import FlowRoleJSON
import Foundation

/// Reads every input into one `Inventory`: paths expanded (directories recursively), files
/// decoded in parallel (each large JSON array also split across two threads), fragments merged in
/// input order. Bad input throws `InventoryReadError` listing every file and place at fault.
public enum InventoryReader {
    public static func read(paths: [String]) throws(InventoryReadError) -> Inventory {
        let files: [String]
        do {
            files = try InputFiles.expand(paths)
        } catch {
            throw InventoryReadError(errors: [error])
        }
        if files.isEmpty {
            throw InventoryReadError(errors: [
                InputError(file: paths.joined(separator: " "), message: "no input files found.")
            ])
        }
        let results = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            do throws(InputError) {
                results.set(index, .success(try FileDecoder.decode(path: files[index])))
            } catch {
                results.set(index, .failure(error))
            }
        }
        var decoded: [(Fragments, InputFile)] = []
        var errors: [InputError] = []
        for result in results.values {
            switch result {
            case .success(let file): decoded.append(file)
            case .failure(let error): errors.append(error)
            case nil: break
            }
        }
        guard errors.isEmpty else { throw InventoryReadError(errors: errors) }
        return try InventoryAssembler.assemble(decoded)
    }
}

/// One result slot per file, written from worker threads.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<(Fragments, InputFile), InputError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<(Fragments, InputFile), InputError>) {
        lock.withLock { slots[index] = value }
    }

    var values: [Result<(Fragments, InputFile), InputError>?] { lock.withLock { slots } }
}
