import FlowRoleJSON
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the paths a user gave into the list of files to read: a file as given, a directory as
/// every file under it (recursively, hidden entries skipped, sorted by path so the order never
/// depends on the file system).
enum InputFiles {
    static func expand(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, message: "no such file or directory.")
            }
            var found: [String] = []
            if isDirectory.boolValue {
                guard let walker = FileManager.default.enumerator(atPath: path) else {
                    throw InputError(file: path, message: "the directory cannot be read.")
                }
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        walker.skipDescendants()
                        continue
                    }
                    let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                    var childIsDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &childIsDirectory),
                        !childIsDirectory.boolValue
                    {
                        found.append(full)
                    }
                }
                found.sort()
            } else {
                found = [path]
            }
            for file in found where seen.insert(file).inserted {
                files.append(file)
            }
        }
        return files
    }
}

/// A file's bytes, mapped read-only (no copy, pages read on demand); unmapped when released.
final class MappedFile: @unchecked Sendable {
    let path: String
    private let base: UnsafeMutableRawPointer?
    let count: Int

    init(path: String) throws(InputError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw InputError(file: path, message: "cannot open the file: \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw InputError(file: path, message: "cannot read the file's size: \(String(cString: strerror(errno))).")
        }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw InputError(file: path, message: "cannot map the file: \(String(cString: strerror(errno))).")
        }
        base = mapped
    }

    deinit {
        if let base { munmap(base, count) }
    }

    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(InputError) -> Result) throws(InputError) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    func withBytesUnchecked<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Gives the pages wholly inside `range` back to the kernel: their memory no longer counts for
    /// this process, and reading them again would read the file again.
    func release(_ range: Range<Int>) {
        guard let base else { return }
        MappedPages.release(base: base, count: count, range)
    }
}
