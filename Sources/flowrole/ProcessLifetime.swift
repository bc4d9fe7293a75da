import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Values kept until the process ends, never freed. A plan of 10,000 roles and its inventory are
/// millions of small objects; freeing them one by one at the end of a command takes about half a
/// second that the operating system, reclaiming the whole address space at exit, does not need.
enum ProcessLifetime {
    private static let kept = Mutex<[any Sendable]>([])

    static func keep(_ values: any Sendable...) {
        kept.withLock { $0.append(contentsOf: values) }
    }

    /// Lets glibc's allocator grow each heap 64 MB at a time instead of by the few pages each
    /// request lacks. A plan of 10,000 roles allocates millions of small objects on two threads;
    /// each thread's arena grew by one `mprotect` call every few pages, and the fresh pages then
    /// faulted in one by one: about 0.2 CPU-s (perf samples under `sysmalloc`) and 6–7% of the
    /// run's CPU time in all, on the 10,000-role bench export (`GLIBC_TUNABLES=glibc.malloc.top_pad`
    /// A/B runs). The padding is address space: pages cost memory only when used (peak RSS
    /// unchanged). Tunables are read only at process start, so the setting is made with `mallopt`,
    /// looked up at run time because the Glibc module does not export `<malloc.h>`; where there is
    /// no `mallopt` (another C library), nothing changes.
    static func tuneAllocator() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let topPad: Int32 = -2  // M_TOP_PAD in <malloc.h>
            _ = unsafeBitCast(symbol, to: Mallopt.self)(topPad, 64 << 20)
        #endif
    }
}
