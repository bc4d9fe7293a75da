import Testing

@testable import FlowRoleJSON

/// Batches joined are the pieces joined; no batch is over the size unless it is one large piece;
/// no batch is empty.
@Suite("piece batches")
struct PieceBatchesTests {
    @Test func batchesJoinedAreThePiecesJoined() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2_000 {
            let size = Int.random(in: 1...64, using: &random)
            let pieces: [[UInt8]] = (0..<Int.random(in: 0...20, using: &random)).map { _ in
                (0..<Int.random(in: 0...(size * 2), using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            }
            var batches: [[UInt8]] = []
            pieces.forEachBatch(of: size) { batches.append($0) }
            #expect(batches.flatMap { $0 } == pieces.flatMap { $0 })
            #expect(batches.allSatisfy { !$0.isEmpty })
            #expect(batches.allSatisfy { $0.count <= size || pieces.contains($0) })
            // As few writes as the rule allows: two neighbouring batches could not have been one.
            for (left, right) in zip(batches, batches.dropFirst()) {
                #expect(left.count + right.count > size || left.count >= size || right.count >= size)
            }
        }
    }
}
