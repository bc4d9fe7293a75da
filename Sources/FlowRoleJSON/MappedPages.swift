import Foundation

/// Pages of a private, read-only file mapping given back to the kernel once read: their memory no
/// longer counts for the process, and reading them again reads the file again. Only for such a
/// mapping — released pages of other memory read as zero.
public enum MappedPages {
    /// Releases the whole pages inside `range` of the mapping at `base` (`count` bytes long); the
    /// partial page at the end of the mapping counts as whole when `range` reaches the end.
    public static func release(base: UnsafeRawPointer, count: Int, _ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound == count ? range.upperBound : range.upperBound / page * page
        guard start < end else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
