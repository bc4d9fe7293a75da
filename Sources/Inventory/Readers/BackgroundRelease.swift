import FlowRoleJSON
import Foundation

/// Frees large values off the critical path. Tearing down the parse tree of a 300 MB file, or the
/// fragments and dictionaries of a merge, is a few hundred thousand `free`s; done inline on one
/// thread it is a stretch where one core works and the other waits. `release` hands the value to a
/// thread of its own, which runs beside the merge (one side of it finishes early);
/// `releaseInParallel` frees a tree on every core when its memory is wanted back at once. Nothing
/// reads the value again, so the result cannot depend on when it is freed.
enum BackgroundRelease {
    /// Takes the caller's last reference to `value` and frees it on another thread when
    /// `inBackground` (the caller says whether the value is large: a thread costs more than freeing
    /// a small value); otherwise frees it here.
    static func release<Value>(_ value: consuming Value, inBackground: Bool) {
        guard inBackground else { return }
        let box = Box(value)
        let thread = Thread {
            box.value = nil
        }
        // Freeing a tree recurses once per level, as parsing it did (JSONParseOptions.maximumDepth).
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Frees a parse tree before returning, on every core: the elements of its large arrays (a
    /// bundle's `flows`, a `RoleDetailList`: nearly all of a large file) are freed in place, each
    /// thread overwriting its stretch of the array with `null`. For a tree that must be gone before
    /// the next file's parse, which then reuses its memory.
    static func releaseInParallel(_ values: consuming [JSONTopLevelValue]) {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        for index in values.indices {
            // Each value is taken out of the tree, so that this function holds its only reference
            // (a shared array would be copied, not freed, by the writes below).
            var value = JSONValue.null
            swap(&value, &values[index].value)
            guard case .object(var members) = consume value else { continue }
            for member in members.indices {
                var inner = JSONValue.null
                swap(&inner, &members[member].value)
                guard case .array(var items) = consume inner, items.count >= parallelMinimum, workers > 1 else {
                    continue
                }
                items.withUnsafeMutableBufferPointer { buffer in
                    let shared = SharedElements(buffer: buffer)
                    DispatchQueue.concurrentPerform(iterations: workers) { part in
                        let count = shared.buffer.count
                        let range = (count * part / workers)..<(count * (part + 1) / workers)
                        UnsafeMutableBufferPointer(rebasing: shared.buffer[range]).update(repeating: .null)
                    }
                }
            }
        }
    }

    /// An array's elements handed to the threads that free them: each writes its own stretch.
    private struct SharedElements: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<JSONValue>
    }

    /// Arrays shorter than this are freed with the rest of the tree.
    static let parallelMinimum = 1024

    /// Carries the value to the thread that frees it: only that thread touches it after `start`.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?

        init(_ value: consuming Value) { self.value = value }
    }
}
