import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Progress of a long run on standard error — reading, planning, checking, writing, with counts
/// and seconds — shown only when standard error is a terminal, so it never lands in a report, a
/// pipe or a CI log. Each step overwrites the line of the step before; `finish()` clears it.
///
/// With `FLOWROLE_TIMINGS=1` in the environment every step is written as its own line instead,
/// with the seconds since the run started, whatever standard error is (for benchmarks).
final class Progress: @unchecked Sendable {  // every mutation under `lock`
    private let enabled: Bool
    private let logsTimings: Bool
    private let started = Progress.seconds()
    private var stepStarted = Progress.seconds()
    private var shown = false
    private let lock = NSLock()

    init(
        enabled: Bool = isatty(2) == 1,
        logsTimings: Bool = ProcessInfo.processInfo.environment["FLOWROLE_TIMINGS"] == "1"
    ) {
        self.enabled = enabled || logsTimings
        self.logsTimings = logsTimings
    }

    /// Starts a step: `reading 12 files (367.3 MB)…`.
    func step(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        lock.withLock {
            stepStarted = Progress.seconds()
            show("flowrole: \(text())…")
        }
    }

    /// Ends the current step with what it found: `read 10000 roles, 20000 flows (3.5 s)`.
    func done(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        lock.withLock { show("flowrole: \(text()) (\(Progress.format(Progress.seconds() - stepStarted)) s)") }
    }

    /// Clears the progress line, leaving the terminal as it was.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            if logsTimings {
                show("flowrole: finished")
                return
            }
            guard shown else { return }
            FileHandleOutput.standardError.write("\r\u{1B}[2K")
            shown = false
        }
    }

    private func show(_ line: String) {
        if logsTimings {
            FileHandleOutput.standardError.write("[\(Progress.format(Progress.seconds() - started)) s] \(line)\n")
            return
        }
        FileHandleOutput.standardError.write("\r\u{1B}[2K" + line)
        shown = true
    }

    private static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
