import Testing

@testable import Inventory

/// `sortByKey` sorts positions by key and then moves the elements; `sort` with the same comparison
/// is the reference. Generated lists with many equal keys (the same place read twice) check that
/// the order of equals is kept too.
@Suite("Sort by key")
struct SortByKeyTests {
    @Test func sortByKeyGivesWhatSortGives() {
        var generator = SeededGenerator(seed: 0x50_47)
        for round in 0..<400 {
            let count = Int.random(in: 0...60, using: &generator)
            let items = (0..<count).map { tag in
                (
                    source: Provenance(
                        path: ["a.json", "b.json", "a.json "][Int.random(in: 0..<3, using: &generator)],
                        pointer: "/flows/\(Int.random(in: 0..<12, using: &generator))",
                        line: Bool.random(using: &generator) ? tag : nil),
                    tag: tag
                )
            }
            var reference = items
            reference.sort { $0.source < $1.source }
            var sorted = items
            sorted.sortByKey { $0.source }
            #expect(sorted.map(\.tag) == reference.map(\.tag), "round \(round)")
        }
    }

    @Test func aSortedListIsLeftAsItIs() {
        var list = ["a", "b", "b", "c"]
        list.sortByKey { $0 }
        #expect(list == ["a", "b", "b", "c"])
        var reversed = ["c", "b", "a"]
        reversed.sortByKey { $0 }
        #expect(reversed == ["a", "b", "c"])
    }
}
