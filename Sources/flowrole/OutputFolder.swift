import Foundation

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
        let manager = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(token)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                let url = staging.appendingPathComponent(file.name)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url, options: .atomic)
                if executable.contains(file.name) {
                    try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            }
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
                description: "\(directory): error: cannot write the output folder: \(error.localizedDescription)")
        }
    }
}
