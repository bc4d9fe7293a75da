extension Array where Element == [UInt8] {
    /// Hands the pieces' bytes to `body` in order, gathered into runs of at most `size` bytes; a
    /// piece of `size` bytes or more goes alone, as it is. Joined, the runs are the joined pieces.
    /// For writing a file made of many small pieces in few large writes.
    public func forEachBatch(of size: Int, _ body: ([UInt8]) throws -> Void) rethrows {
        var batch: [UInt8] = []
        for piece in self {
            if piece.count >= size {
                if !batch.isEmpty { try body(batch) }
                batch.removeAll(keepingCapacity: true)
                try body(piece)
                continue
            }
            if batch.count + piece.count > size {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
            if batch.isEmpty { batch.reserveCapacity(size) }
            batch.append(contentsOf: piece)
        }
        if !batch.isEmpty { try body(batch) }
    }
}
