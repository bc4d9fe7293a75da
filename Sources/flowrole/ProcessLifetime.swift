import Foundation
import Synchronization

/// Values kept until the process ends, never freed. A plan of 10,000 roles and its inventory are
/// millions of small objects; freeing them one by one at the end of a command takes about half a
/// second that the operating system, reclaiming the whole address space at exit, does not need.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    static func keep(_ values: any Sendable...) {
        kept.withLock { $0.append(contentsOf: values) }
    }
}
