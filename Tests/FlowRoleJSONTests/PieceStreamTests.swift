import Dispatch
import Synchronization
import Testing

@testable import FlowRoleJSON

/// An ordered piece stream fed from several threads in any order writes exactly the runs
/// `forEachBatch` gives for the pieces in order, one write at a time; after a failed write it
/// writes nothing more and `finish` throws that failure.
@Suite("ordered piece stream")
struct PieceStreamTests {
    struct WriteFailed: Error, Equatable { var call: Int }

    /// The runs a stream hands to its writer, recorded; `failing` makes that call (0-based) throw.
    final class Recorder: Sendable {
        let runs = Mutex<[[UInt8]]>([])
        let busy = Mutex(false)
        let overlapped = Mutex(false)
        let failing: Int?

        init(failing: Int? = nil) { self.failing = failing }

        func write(_ run: [UInt8]) throws {
            let entered = busy.withLock { busy in
                defer { busy = true }
                return !busy
            }
            if !entered { overlapped.withLock { $0 = true } }
            defer { busy.withLock { $0 = false } }
            let call = runs.withLock { runs in
                runs.append(run)
                return runs.count - 1
            }
            if call == failing { throw WriteFailed(call: call) }
        }
    }

    static func pieces(_ random: inout SeededRandom, size: Int) -> [[UInt8]] {
        (0..<Int.random(in: 0...200, using: &random)).map { _ in
            (0..<Int.random(in: 0...(size * 2), using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    /// Puts `pieces` from every core, each thread taking places in a shuffled order.
    static func feed(_ pieces: [[UInt8]], to stream: OrderedPieceStream, random: inout SeededRandom) {
        let order = Array(pieces.indices).shuffled(using: &random)
        let threads = 4
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for position in stride(from: thread, to: order.count, by: threads) {
                stream.put(pieces[order[position]], at: order[position])
            }
        }
    }

    @Test func runsAreForEachBatchsRunsWhateverTheOrderOfArrival() throws {
        var random = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let size = Int.random(in: 1...64, using: &random)
            let pieces = Self.pieces(&random, size: size)
            let recorder = Recorder()
            let stream = OrderedPieceStream(batchSize: size) { try recorder.write($0) }
            Self.feed(pieces, to: stream, random: &random)
            try stream.finish()
            var expected: [[UInt8]] = []
            pieces.forEachBatch(of: size) { expected.append($0) }
            #expect(recorder.runs.withLock { $0 } == expected)
            #expect(!recorder.overlapped.withLock { $0 })
        }
    }

    @Test func aFailedWriteStopsTheWritingAndFinishThrowsIt() {
        var random = SeededRandom(seed: 12)
        var failures = 0
        for _ in 0..<200 {
            let size = Int.random(in: 1...16, using: &random)
            let pieces = Self.pieces(&random, size: size)
            var expected: [[UInt8]] = []
            pieces.forEachBatch(of: size) { expected.append($0) }
            guard !expected.isEmpty else { continue }
            let failing = Int.random(in: 0..<expected.count, using: &random)
            let recorder = Recorder(failing: failing)
            let stream = OrderedPieceStream(batchSize: size) { try recorder.write($0) }
            Self.feed(pieces, to: stream, random: &random)
            #expect(throws: WriteFailed(call: failing)) { try stream.finish() }
            #expect(recorder.runs.withLock { $0 } == Array(expected[...failing]))
            failures += 1
        }
        #expect(failures > 100)
    }

    @Test func theCollectorGivesThePiecesInOrder() {
        var random = SeededRandom(seed: 13)
        let pieces = Self.pieces(&random, size: 8)
        let collector = PieceCollector()
        let order = Array(pieces.indices).shuffled(using: &random)
        DispatchQueue.concurrentPerform(iterations: order.count) { collector.put(pieces[order[$0]], at: order[$0]) }
        #expect(collector.pieces == pieces)
    }
}
