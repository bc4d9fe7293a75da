import FlowRoleJSON
import Foundation

/// Decodes the elements of a large list on every core. Elements are cut into contiguous chunks;
/// each chunk decodes into its own fragments, which are then joined in element order, so the
/// result — and which error is reported, the first by position — is that of a serial decode.
enum ParallelDecode {
    /// Lists shorter than this are decoded on the calling thread.
    static let threshold = 512

    static func each(
        _ items: [Cursor], into fragments: inout Fragments,
        _ body: @Sendable (Cursor, inout Fragments) throws(InputError) -> Void
    ) throws(InputError) {
        guard items.count >= threshold else {
            for item in items { try body(item, &fragments) }
            return
        }
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let slots = ChunkSlots(count: chunks)
        let shared = UncheckedCursors(items: items)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (shared.items.count * chunk / chunks)..<(shared.items.count * (chunk + 1) / chunks)
            var local = Fragments()
            do throws(InputError) {
                for index in range { try body(shared.items[index], &local) }
                slots.set(chunk, .success(local))
            } catch {
                slots.set(chunk, .failure(error))
            }
        }
        for result in slots.results {
            switch result {
            case .success(let local): fragments.append(local)
            case .failure(let error): throw error
            case nil: break
            }
        }
    }
}

/// Cursors handed to worker threads: they only read immutable values.
private struct UncheckedCursors: @unchecked Sendable {
    let items: [Cursor]
}

private final class ChunkSlots: @unchecked Sendable {
    private var slots: [Result<Fragments, InputError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Fragments, InputError>) {
        lock.withLock { slots[index] = value }
    }

    var results: [Result<Fragments, InputError>?] { lock.withLock { slots } }
}

extension Fragments {
    /// Sorts every list by where its items were read (path, then pointer), so that merging does
    /// not depend on the order files were given or decoded in.
    mutating func sortByProvenance() {
        roles.sort { $0.sources[0] < $1.sources[0] }
        rolePolicies.sort { $0.policy.source < $1.policy.source }
        inlineNameLists.sort { $0.source < $1.source }
        attachedLists.sort { $0.source < $1.source }
        policies.sort { $0.sources[0] < $1.sources[0] }
        policyVersions.sort { $0.source < $1.source }
        authorizationPages.sort { $0.source < $1.source }
        flows.sort { $0.sources[0] < $1.sources[0] }
        flowVersions.sort { $0.version.source < $1.version.source }
        versionListings.sort { $0.source < $1.source }
        aliasListings.sort { $0.source < $1.source }
        flowListings.sort { $0.source < $1.source }
        manifestEntries.sort()
        iacOwners.sort { $0.sources[0] < $1.sources[0] }
        stackListings.sort { $0.source < $1.source }
    }

    /// Appends everything `other` holds, after what this holds.
    mutating func append(_ other: Fragments) {
        for kind in other.kinds where !kinds.contains(kind) { kinds.append(kind) }
        roles += other.roles
        rolePolicies += other.rolePolicies
        inlineNameLists += other.inlineNameLists
        attachedLists += other.attachedLists
        policies += other.policies
        policyVersions += other.policyVersions
        authorizationPages += other.authorizationPages
        flows += other.flows
        flowVersions += other.flowVersions
        versionListings += other.versionListings
        aliasListings += other.aliasListings
        flowListings += other.flowListings
        manifestEntries += other.manifestEntries
        iacOwners += other.iacOwners
        stackListings += other.stackListings
    }
}
