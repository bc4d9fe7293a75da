import Dispatch
import FlowRoleJSON
import Foundation

/// Reads every input into one `Inventory`: paths expanded (directories recursively), small files
/// decoded in parallel, large ones one at a time on every core (each large JSON array split across
/// two threads, its elements decoded on every core), fragments merged in input order. Bad input throws `InventoryReadError` listing every file and place at fault.
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
        let sizes = files.map(Self.size(of:))
        // Large files are read smallest first, so that the largest tree is the one freed beside
        // the merge (on the core the merge leaves idle) rather than before the next parse, where
        // both cores wait for it. The order of reading does not change the result: fragments are
        // merged in input order.
        let large = files.indices.filter { sizes[$0] >= largeFileBytes }.sorted { (sizes[$0], $0) < (sizes[$1], $1) }
        let small = files.indices.filter { sizes[$0] < largeFileBytes }
        let decode: @Sendable (Int) -> Void = { index in
            do throws(InputError) {
                // The last large file's tree is freed beside the merge, which leaves a core idle;
                // an earlier one's is freed before the next parse, which then reuses its memory.
                let background = index == large.last
                results.set(
                    index, .success(try FileDecoder.decode(path: files[index], releasingTreeInBackground: background)))
            } catch {
                results.set(index, .failure(error))
            }
        }
        // A `concurrentPerform` inside another runs serially (libdispatch divides the cores among
        // the outer iterations), so a large file decoded beside others would lose the parallel
        // decode of its big list. Large files go one at a time, each on every core; small files
        // go in parallel with each other.
        for index in large { decode(index) }
        DispatchQueue.concurrentPerform(iterations: small.count) { decode(small[$0]) }
        var decoded: [(Fragments, InputFile)] = []
        var errors: [InputError] = []
        for result in results.take() {
            switch result {
            case .success(let file): decoded.append(file)
            case .failure(let error): errors.append(error)
            case nil: break
            }
        }
        guard errors.isEmpty else { throw InventoryReadError(errors: errors) }
        return try InventoryAssembler.assemble(consume decoded)
    }
}

extension InventoryReader {
    /// From this size a file is read on its own, with its large arrays parsed and decoded on
    /// every core (the JSON parser's split threshold).
    static let largeFileBytes = JSONParseOptions().parallelThreshold

    /// The file's size in bytes; 0 when it cannot be read, so the decode reports why.
    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
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

    /// Every slot's result, leaving the slots empty: the caller holds the only references.
    func take() -> [Result<(Fragments, InputFile), InputError>?] {
        lock.withLock {
            var taken: [Result<(Fragments, InputFile), InputError>?] = []
            swap(&taken, &slots)
            return taken
        }
    }
}
