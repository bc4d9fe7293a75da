import Foundation
import Synchronization

/// Parsing one large array on two threads, with checked speculation.
///
/// About 90% of a large export sits in one array (`flows` of a bundle, `RoleDetailList`), so
/// reading files in parallel is not enough. The first thread parses the array from its start as
/// usual. A second thread guesses an element boundary near the middle of the rest of the file —
/// the first separator that looks exactly like the one before element 0 followed by the same
/// opening bytes (`,` + the same indentation + `{` + the same first key) — and parses elements
/// from there to the array's closing bracket. Its result is used only if the first thread, parsing
/// element by element, lands exactly on the guessed offset; otherwise it is discarded and the first
/// thread goes on alone. Either way every byte is parsed by a thread whose starting state was
/// proven, so the result and every error are exactly those of a serial parse.
extension JSONScanner {
    mutating func parseLargeArray(depth: Int, inSkipScope: Bool) throws(InputError) -> JSONValue {
        try checkDepth(depth)
        let open = index
        index += 1
        let leadingStart = index
        skipWhitespace()
        let leadingEnd = index
        if index < count && base[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        var items: [JSONValue] = []
        let firstStart = index
        items.append(try parseValue(depth: depth, skipping: false, inSkipScope: inSkipScope))

        let chunk = startSpeculation(
            firstStart: firstStart, leading: leadingStart..<leadingEnd, depth: depth, open: open,
            inSkipScope: inSkipScope)
        defer { chunk?.cancelAndWait() }

        var released = open
        while true {
            releasePassedPages(&released)
            if try endOfMember(close: UInt8(ascii: "]"), container: "array", openedAt: open) {
                return .array(items)
            }
            if let chunk, index == chunk.guessStart, let result = chunk.wait() {
                items.append(contentsOf: result.items)
                index = result.end
                JSONParser.parallelSplits.add(1, ordering: .relaxed)
                return .array(items)
            }
            items.append(try parseValue(depth: depth, skipping: false, inSkipScope: inSkipScope))
        }
    }

    /// Starts the second thread if element 0 is an object with a first key, so there is a
    /// distinctive pattern to look for; nil otherwise.
    private func startSpeculation(
        firstStart: Int, leading: Range<Int>, depth: Int, open: Int, inSkipScope: Bool
    ) -> SpeculativeChunk? {
        guard base[firstStart] == UInt8(ascii: "{") else { return nil }
        var probe = self
        probe.index = firstStart + 1
        probe.skipWhitespace()
        guard probe.index < count, base[probe.index] == UInt8(ascii: "\""), (try? probe.scanString()) != nil else {
            return nil
        }
        var pattern: [UInt8] = [UInt8(ascii: ",")]
        pattern.append(contentsOf: UnsafeBufferPointer(start: base + leading.lowerBound, count: leading.count))
        pattern.append(contentsOf: UnsafeBufferPointer(start: base + firstStart, count: probe.index - firstStart))
        let searchFrom = index + (count - index) / 2
        guard
            let match = findPattern(pattern, from: searchFrom)
        else { return nil }
        let guessStart = match + 1 + leading.count
        var helper = self
        helper.index = guessStart
        return SpeculativeChunk(
            guessStart: guessStart, scanner: UncheckedScanner(scanner: helper), depth: depth, open: open,
            inSkipScope: inSkipScope)
    }

    /// The first offset ≥ `from` where `pattern` occurs, using memchr for the first byte.
    private func findPattern(_ pattern: [UInt8], from: Int) -> Int? {
        guard !pattern.isEmpty else { return nil }
        var position = from
        let first = Int32(pattern[0])
        while position + pattern.count <= count {
            guard let hit = memchr(base + position, first, count - position) else { return nil }
            let offset = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if offset + pattern.count > count { return nil }
            if memcmp(base + offset, pattern, pattern.count) == 0 { return offset }
            position = offset + 1
        }
        return nil
    }
}

extension JSONScanner {
    /// With `releasesPassedPages`, gives the kernel back the whole pages between `released` and
    /// the current position once they span 16 MB, and moves `released` on.
    mutating func releasePassedPages(_ released: inout Int) {
        guard options.releasesPassedPages, index - released >= 16 << 20 else { return }
        MappedPages.release(base: base, count: count, released..<index)
        released = index
    }
}

extension JSONParser {
    /// How many arrays were parsed on two threads with the second thread's half used, since the
    /// process started (for tests and benchmarks: proof that the split happens).
    public static let parallelSplits = Atomic<Int>(0)
}

/// Carries a scanner (a pointer into a buffer its owner keeps alive until `cancelAndWait`
/// returns) to the second thread.
struct UncheckedScanner: @unchecked Sendable {
    var scanner: JSONScanner
}

/// The second thread's work and its hand-off.
final class SpeculativeChunk: @unchecked Sendable {
    struct Success {
        var items: [JSONValue]
        /// Offset just after the array's closing bracket.
        var end: Int
    }

    let guessStart: Int
    private let condition = NSCondition()
    private var finished = false
    private var cancelled = false
    private var result: Success?

    init(guessStart: Int, scanner: UncheckedScanner, depth: Int, open: Int, inSkipScope: Bool) {
        self.guessStart = guessStart
        let thread = Thread { [self] in
            var state = scanner.scanner
            let outcome = self.run(&state, depth: depth, open: open, inSkipScope: inSkipScope)
            self.condition.lock()
            self.result = outcome
            self.finished = true
            self.condition.broadcast()
            self.condition.unlock()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private func run(_ scanner: inout JSONScanner, depth: Int, open: Int, inSkipScope: Bool) -> Success? {
        var items: [JSONValue] = []
        var parsed = 0
        var released = scanner.index
        do {
            while true {
                scanner.releasePassedPages(&released)
                items.append(try scanner.parseValue(depth: depth, skipping: false, inSkipScope: inSkipScope))
                parsed += 1
                if parsed % 64 == 0 && isCancelled { return nil }
                if try scanner.endOfMember(close: UInt8(ascii: "]"), container: "array", openedAt: open) {
                    return Success(items: items, end: scanner.index)
                }
            }
        } catch {
            return nil  // a wrong guess or a real error: the first thread will find out which.
        }
    }

    /// Waits for the second thread; its elements, or nil if it failed.
    func wait() -> Success? {
        condition.lock()
        defer { condition.unlock() }
        while !finished { condition.wait() }
        return result
    }

    /// Asks the second thread to stop and waits until it no longer touches the buffer.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        while !finished { condition.wait() }
        condition.unlock()
    }
}
