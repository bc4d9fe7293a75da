import FlowRoleJSON
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a set of files as one folder, all or nothing (DESIGN: "A new DIR is built beside the old
/// and swapped in at the end; a failed run leaves the old one as it was").
enum OutputFolder {
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// `files` are named relative to `directory` (subfolders are made); `executable` names get mode 0755.
    static func replace(
        _ directory: String, with files: [(name: String, bytes: [UInt8])], executable: Set<String> = []
    ) throws {
        try replace(directory, executable: executable) { staging in
            for file in files { try staging.write(file.name, file.bytes) }
        }
    }

    /// Builds the folder through `body`, which writes each file into the staging folder as soon as
    /// it is rendered (so no file's bytes need to outlive their writing), then swaps it in.
    static func replace(
        _ directory: String, executable: Set<String> = [], writing body: (Staging) throws -> Void
    ) throws {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(token)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            try body(Staging(folder: staging, executable: executable))
            var hadOld = false
            if manager.fileExists(atPath: target.path) {
                try manager.moveItem(at: target, to: retired)
                hadOld = true
            }
            do {
                try manager.moveItem(at: staging, to: target)
            } catch {
                if hadOld { try? manager.moveItem(at: retired, to: target) }
                throw error
            }
            if hadOld { try? manager.removeItem(at: retired) }
        } catch {
            try? manager.removeItem(at: staging)
            throw WriteError(
                description: "\(directory): error: cannot write the output folder: \(Self.describe(error))")
        }
    }

    /// The folder being built; files may be written from several threads at once.
    struct Staging: Sendable {
        let folder: URL
        let executable: Set<String>

        /// Writes one file (its subfolders made), mode 0644, or 0755 for an executable name.
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try write(name, pieces: [bytes])
        }

        /// Writes one file made of consecutive pieces.
        func write(_ name: String, pieces: [[UInt8]]) throws {
            try write(name) { sink in
                for (index, piece) in pieces.enumerated() { sink.put(piece, at: index) }
            }
        }

        /// Writes one file whose pieces `render` puts into the sink it is given, from any
        /// threads, while it renders: each is written as soon as it and every piece before it
        /// are there, and let go.
        func write(_ name: String, streaming render: (any PieceSink) -> Void) throws {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let descriptor = open(
                url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable.contains(name) ? 0o755 : 0o644)
            guard descriptor >= 0 else { throw WriteError(description: "\(name): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            // Pieces are gathered into large writes: thousands of few-kilobyte writes that end
            // mid-page made the kernel zero each fresh page before filling it in two copies (a
            // third of writing plan.json's 90 MB). Written while the rest is rendered, the kernel's
            // copying (0.1 s per 90 MB) no longer waits for the last piece on one core.
            let stream = OrderedPieceStream(batchSize: Self.batchBytes) {
                try Self.write($0, to: descriptor, name: name)
            }
            render(stream)
            try stream.finish()
            if executable.contains(name) {
                // The mode given to open() is filtered by the umask; an executable script must run.
                guard chmod(url.path, 0o755) == 0 else {
                    throw WriteError(description: "\(name): \(String(cString: strerror(errno)))")
                }
            }
        }

        /// The size of one write of gathered pieces.
        static let batchBytes = 4 << 20

        private static func write(_ bytes: [UInt8], to descriptor: Int32, name: String) throws {
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                    let written = Glibc.write(descriptor, rest.baseAddress, rest.count)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw WriteError(description: "\(name): \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        (error as? WriteError)?.description ?? error.localizedDescription
    }
}
