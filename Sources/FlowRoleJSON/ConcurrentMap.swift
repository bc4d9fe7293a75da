import Dispatch
import Foundation

extension Array {
    /// `map` on every core: the elements are cut into contiguous chunks that worker threads take
    /// as they become free, and each result is stored at its element's index, so the result is
    /// exactly `map(transform)`'s. `transform` must be safe to call from several threads at once
    /// (pure, or reading only values nobody writes). Short arrays are mapped on the calling thread.
    ///
    /// Inlinable so that it is specialised in each caller's module: unspecialised, it copied each
    /// element out of the array through its value witness (every string and array of a `Flow` or
    /// `Role` retained and released again), about 0.15 CPU-s of the 10,000-role plan.
    @inlinable
    public func concurrentMap<T>(minimumChunk: Int = 32, _ transform: @Sendable (Element) -> T) -> [T] {
        let count = self.count
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard workers > 1, count >= 2 * minimumChunk else { return map(transform) }
        // Several chunks per core, so that a core that draws cheap elements takes more of them.
        let chunks = Swift.min(count / minimumChunk, workers * 16)
        return withUnsafeBufferPointer { source in
            [T](unsafeUninitializedCapacity: count) { target, initialized in
                let shared = SharedBuffers(source: source, target: target)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                        shared.target.initializeElement(at: index, to: transform(shared.source[index]))
                    }
                }
                initialized = count
            }
        }
    }
}

/// The source and target of a concurrent map, handed to worker threads: each index of `target`
/// is written by exactly one thread, and `source` is only read.
@usableFromInline
struct SharedBuffers<Element, T>: @unchecked Sendable {
    @usableFromInline let source: UnsafeBufferPointer<Element>
    @usableFromInline let target: UnsafeMutableBufferPointer<T>

    @inlinable init(source: UnsafeBufferPointer<Element>, target: UnsafeMutableBufferPointer<T>) {
        self.source = source
        self.target = target
    }
}
