/// The keys of one wide JSON object, for the duplicate-key check. An object's keys are checked by a
/// linear scan while it has fewer than `linearLimit` (almost every object in an export); past that
/// the parser moves them into this set, so a hostile object with 100,000 keys takes linear time,
/// not quadratic. Keys are compared as UTF-8 bytes, like the linear scan — not by Unicode canonical
/// equivalence, as a `Set<String>` would.
struct WideObjectKeys {
    /// Objects with fewer keys than this are checked by a linear scan.
    static let linearLimit = 16

    private var keys: Set<[UInt8]> = []

    var isEmpty: Bool { keys.isEmpty }

    /// Adds `key`; false when the object already has it.
    mutating func insert(_ key: String) -> Bool {
        keys.insert(Array(key.utf8)).inserted
    }

    /// Adds keys already known to be distinct.
    mutating func insert(contentsOf earlier: [String]) {
        keys.reserveCapacity(earlier.count * 4)
        for key in earlier { keys.insert(Array(key.utf8)) }
    }
}
