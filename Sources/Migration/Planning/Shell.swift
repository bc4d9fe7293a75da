/// Shell text for the commands flowrole writes for people to run — the owners' commands in
/// findings, the offline bundle's scripts — so every one is quoted the same way.
public enum Shell {
    /// `text` as one single-quoted POSIX shell word: nothing in it is expanded.
    public static func quote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
