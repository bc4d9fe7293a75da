extension Array {
    /// `sort { key($0) < key($1) }`, with each key read once and each element moved once: the
    /// positions are sorted by key, then the elements are moved, not copied, into that order. Roles
    /// and flows are large values, and a provenance or ARN is copied out of them at every comparison
    /// otherwise. Both sorts are stable, so they give the same order; an already sorted list is left
    /// as it is.
    mutating func sortByKey<Key: Comparable>(_ key: (Element) -> Key) {
        guard count > 1 else { return }
        let keys = map(key)
        guard keys.indices.dropFirst().contains(where: { keys[$0] < keys[$0 - 1] }) else { return }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        // Position `p` receives the element at `order[p]`: each cycle of the permutation is
        // followed once, moving every element straight to its place.
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for start in order.indices where !placed[start] {
                let saved = (base + start).move()
                var current = start
                while true {
                    placed[current] = true
                    let from = order[current]
                    if from == start {
                        (base + current).initialize(to: saved)
                        break
                    }
                    (base + current).moveInitialize(from: base + from, count: 1)
                    current = from
                }
            }
        }
    }
}
