import Synchronization

/// Where the pieces of one output go as they are made: from several threads at once, each piece
/// with its place in the output (0, 1, 2, … with no gaps; every place once).
public protocol PieceSink: Sendable {
    func put(_ piece: [UInt8], at index: Int)
}

/// A `PieceSink` that keeps every piece, for callers that want the output whole.
public final class PieceCollector: PieceSink {
    private let slots = Mutex<[Int: [UInt8]]>([:])

    public init() {}

    public func put(_ piece: [UInt8], at index: Int) {
        slots.withLock { $0[index] = piece }
    }

    /// The pieces in order.
    public var pieces: [[UInt8]] {
        slots.withLock { slots in (0..<slots.count).map { slots[$0] ?? [] } }
    }
}

/// A `PieceSink` that hands the pieces on in order as soon as each one, and every one before it,
/// has arrived: the output is written while later pieces are still being made, and each piece is
/// let go once handed on. The runs handed to `write` are exactly the runs `forEachBatch(of:)`
/// gives for the pieces in order, so the writes are as few and as large.
///
/// No thread of its own: whichever thread delivers the next piece in order hands on it and every
/// waiting piece after it, while the others go on making pieces. `write` is therefore called from
/// several threads, but never from two at once, and in order.
public final class OrderedPieceStream: PieceSink, @unchecked Sendable {
    private struct State {
        /// Pieces that came before their turn, by place.
        var waiting: [Int: [UInt8]] = [:]
        /// The place of the next piece to hand on.
        var next = 0
        /// Whether a thread is handing pieces on (it owns `batch`).
        var handing = false
        var batch: [UInt8] = []
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    private let size: Int
    private let write: @Sendable ([UInt8]) throws -> Void

    /// `write` receives runs of at most `size` bytes, or single pieces of `size` bytes or more.
    public init(batchSize size: Int, write: @escaping @Sendable ([UInt8]) throws -> Void) {
        self.size = size
        self.write = write
    }

    public func put(_ piece: [UInt8], at index: Int) {
        let claimed = state.withLock { state -> Bool in
            state.waiting[index] = piece
            guard !state.handing, index == state.next else { return false }
            state.handing = true
            return true
        }
        guard claimed else { return }
        // This thread hands on pieces until the next one has not arrived; the check and the
        // letting go are one step under the lock, so a piece that arrives later finds no one
        // handing and claims the turn itself.
        while true {
            // The batch is moved out while this thread fills it and back in after (no copy).
            var (ready, batch, failed) = state.withLock { state -> ([[UInt8]], [UInt8], Bool) in
                var ready: [[UInt8]] = []
                while let piece = state.waiting.removeValue(forKey: state.next) {
                    ready.append(piece)
                    state.next += 1
                }
                if ready.isEmpty {
                    state.handing = false
                    return ([], [], false)
                }
                var batch: [UInt8] = []
                swap(&batch, &state.batch)
                return (ready, batch, state.failure != nil)
            }
            if ready.isEmpty { return }
            var failure: (any Error)?
            if failed {
                batch = []
            } else {
                do { try hand(ready, batch: &batch) } catch { failure = error }
            }
            ready = []
            state.withLock { state in
                swap(&batch, &state.batch)
                if state.failure == nil, let failure { state.failure = failure }
            }
        }
    }

    /// After the last piece has been put (every place filled): hands on what is left, and throws
    /// the first error `write` threw, if any.
    public func finish() throws {
        let (batch, failure, left) = state.withLock { state in
            let batch = state.batch
            state.batch = []
            return (batch, state.failure, state.waiting.count)
        }
        precondition(left == 0, "OrderedPieceStream finished with \(left) pieces after a missing one")
        if let failure { throw failure }
        if !batch.isEmpty { try write(batch) }
    }

    /// `forEachBatch`'s rule, carried from one call to the next in `batch`.
    private func hand(_ pieces: [[UInt8]], batch: inout [UInt8]) throws {
        for piece in pieces {
            if piece.count >= size {
                if !batch.isEmpty { try write(batch) }
                batch.removeAll(keepingCapacity: true)
                try write(piece)
                continue
            }
            if batch.count + piece.count > size {
                try write(batch)
                batch.removeAll(keepingCapacity: true)
            }
            if batch.isEmpty { batch.reserveCapacity(size) }
            batch.append(contentsOf: piece)
        }
    }
}
