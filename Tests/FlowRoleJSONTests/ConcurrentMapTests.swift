import FlowRoleJSON
import Synchronization
import Testing

@Suite("concurrentMap")
struct ConcurrentMapTests {
    @Test(
        "equals map, element for element, at every size around the chunk thresholds",
        arguments: [0, 1, 31, 63, 64, 65, 1000, 10_007])
    func equalsMap(count: Int) {
        let items = (0..<count).map { "item-\($0 * 7919 % 10_007)" }
        let transform: @Sendable (String) -> String = { String($0.reversed()) + "/\($0.utf8.count)" }
        #expect(items.concurrentMap(transform) == items.map(transform))
        #expect(items.concurrentMap(minimumChunk: 1, transform) == items.map(transform))
    }

    @Test("calls the transform exactly once per element")
    func oncePerElement() {
        let calls = Mutex<[Int: Int]>([:])
        let result = Array(0..<5_000).concurrentMap(minimumChunk: 8) { value -> Int in
            calls.withLock { $0[value, default: 0] += 1 }
            return value * 2
        }
        #expect(result == Array(0..<5_000).map { $0 * 2 })
        calls.withLock { counts in
            #expect(counts.count == 5_000)
            #expect(counts.values.allSatisfy { $0 == 1 })
        }
    }
}
