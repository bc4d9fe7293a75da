import FlowRoleJSON
import Foundation

/// Decodes the elements of a large list on every core. Elements are cut into contiguous chunks;
/// each chunk decodes into its own fragments, which are then joined in element order, so the
/// result — and which error is reported, the first by position — is that of a serial decode.
enum ParallelDecode {
    /// Lists shorter than this are decoded on the calling thread.
    static let threshold = 512

    /// Each element's cursor is made (and freed) by the thread that decodes it.
    static func each(
        _ items: Cursor.Elements, into fragments: inout Fragments,
        _ body: @Sendable (Cursor, inout Fragments) throws(InputError) -> Void
    ) throws(InputError) {
        guard items.count >= threshold else {
            for index in 0..<items.count { try body(items[index], &fragments) }
            return
        }
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let slots = ChunkSlots(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks)
            var local = Fragments()
            do throws(InputError) {
                for index in range { try body(items[index], &local) }
                slots.set(chunk, .success(local))
            } catch {
                slots.set(chunk, .failure(error))
            }
        }
        var parts: [Fragments] = []
        for result in slots.take() {
            switch result {
            case .success(let local): parts.append(local)
            case .failure(let error): throw error
            case nil: break
            }
        }
        fragments.append(contentsOf: parts)
    }

    /// `head` followed by every part, in order. With many elements the parts are copied into
    /// their places on every core: joining the chunks of a 20,000-flow bundle is otherwise a
    /// stretch where one core copies and the other waits.
    static func joined<Element>(_ head: [Element], _ parts: [[Element]]) -> [Element] {
        let pieces = ([head] + parts).filter { !$0.isEmpty }
        guard pieces.count > 1 else { return pieces.first ?? [] }
        var offsets: [Int] = []
        var total = 0
        for piece in pieces {
            offsets.append(total)
            total += piece.count
        }
        guard total >= parallelJoinMinimum else { return pieces.flatMap { $0 } }
        let source = UncheckedPieces(pieces: pieces)
        let starts = offsets
        return [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            let target = UncheckedTarget(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: source.pieces.count) { index in
                source.pieces[index].withUnsafeBufferPointer { piece in
                    guard let from = piece.baseAddress, let to = target.buffer.baseAddress else { return }
                    (to + starts[index]).initialize(from: from, count: piece.count)
                }
            }
            initialized = total
        }
    }

    /// Joins of fewer elements are copied on the calling thread.
    static let parallelJoinMinimum = 4096
}

/// The pieces of a join, read by worker threads.
private struct UncheckedPieces<Element>: @unchecked Sendable {
    let pieces: [[Element]]
}

/// The joined list being filled: each worker initializes its own piece's range.
private struct UncheckedTarget<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}

/// One chunk's fragments on its way to the thread that frees it.
private final class FragmentsBox: @unchecked Sendable {
    var fragments: Fragments?

    init(_ fragments: Fragments) { self.fragments = fragments }
}

private final class ChunkSlots: @unchecked Sendable {
    private var slots: [Result<Fragments, InputError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Fragments, InputError>) {
        lock.withLock { slots[index] = value }
    }

    /// Every slot's result, leaving the slots empty: the caller holds the only references.
    func take() -> [Result<Fragments, InputError>?] {
        lock.withLock {
            var taken: [Result<Fragments, InputError>?] = []
            swap(&taken, &slots)
            return taken
        }
    }
}

extension Fragments {
    /// Sorts every list by where its items were read (path, then pointer), so that merging does
    /// not depend on the order files were given or decoded in.
    mutating func sortByProvenance() {
        roles.sortByKey { $0.sources[0] }
        rolePolicies.sortByKey { $0.policy.source }
        inlineNameLists.sortByKey { $0.source }
        attachedLists.sortByKey { $0.source }
        policies.sortByKey { $0.sources[0] }
        policyVersions.sortByKey { $0.source }
        authorizationPages.sortByKey { $0.source }
        flows.sortByKey { $0.sources[0] }
        flowVersions.sortByKey { $0.version.source }
        versionListings.sortByKey { $0.source }
        aliasListings.sortByKey { $0.source }
        flowListings.sortByKey { $0.source }
        manifestEntries.sort()
        iacOwners.sortByKey { $0.sources[0] }
        stackListings.sortByKey { $0.source }
    }

    /// Appends everything `other` holds, after what this holds. A list this holds none of takes
    /// `other`'s storage instead of copying it (the common case: one file holds all the roles).
    mutating func append(_ other: Fragments) {
        for kind in other.kinds where !kinds.contains(kind) { kinds.append(kind) }
        Self.join(&roles, other.roles)
        Self.join(&rolePolicies, other.rolePolicies)
        Self.join(&inlineNameLists, other.inlineNameLists)
        Self.join(&attachedLists, other.attachedLists)
        Self.join(&policies, other.policies)
        Self.join(&policyVersions, other.policyVersions)
        Self.join(&authorizationPages, other.authorizationPages)
        Self.join(&flows, other.flows)
        Self.join(&flowVersions, other.flowVersions)
        Self.join(&versionListings, other.versionListings)
        Self.join(&aliasListings, other.aliasListings)
        Self.join(&flowListings, other.flowListings)
        Self.join(&manifestEntries, other.manifestEntries)
        Self.join(&iacOwners, other.iacOwners)
        Self.join(&stackListings, other.stackListings)
    }

    /// Appends every part, in order: what `append` of each in turn gives, with each list's parts
    /// copied on every core (`ParallelDecode.joined`) and the parts then freed on every core.
    mutating func append(contentsOf parts: consuming [Fragments]) {
        for index in parts.indices {
            for kind in parts[index].kinds where !kinds.contains(kind) { kinds.append(kind) }
        }
        roles = ParallelDecode.joined(roles, parts.map(\.roles))
        rolePolicies = ParallelDecode.joined(rolePolicies, parts.map(\.rolePolicies))
        inlineNameLists = ParallelDecode.joined(inlineNameLists, parts.map(\.inlineNameLists))
        attachedLists = ParallelDecode.joined(attachedLists, parts.map(\.attachedLists))
        policies = ParallelDecode.joined(policies, parts.map(\.policies))
        policyVersions = ParallelDecode.joined(policyVersions, parts.map(\.policyVersions))
        authorizationPages = ParallelDecode.joined(authorizationPages, parts.map(\.authorizationPages))
        flows = ParallelDecode.joined(flows, parts.map(\.flows))
        flowVersions = ParallelDecode.joined(flowVersions, parts.map(\.flowVersions))
        versionListings = ParallelDecode.joined(versionListings, parts.map(\.versionListings))
        aliasListings = ParallelDecode.joined(aliasListings, parts.map(\.aliasListings))
        flowListings = ParallelDecode.joined(flowListings, parts.map(\.flowListings))
        manifestEntries = ParallelDecode.joined(manifestEntries, parts.map(\.manifestEntries))
        iacOwners = ParallelDecode.joined(iacOwners, parts.map(\.iacOwners))
        stackListings = ParallelDecode.joined(stackListings, parts.map(\.stackListings))
        let boxes = parts.map(FragmentsBox.init)
        _ = consume parts
        DispatchQueue.concurrentPerform(iterations: boxes.count) { index in
            boxes[index].fragments = nil
        }
    }

    private static func join<Element>(_ list: inout [Element], _ other: [Element]) {
        if list.isEmpty {
            list = other
        } else {
            list += other
        }
    }
}
