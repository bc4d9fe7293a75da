/// Where a value was read: the file as given (or as found under a directory given), and the
/// place in it — a JSON pointer for JSON and XML alike (XML elements map to the same tree), and
/// the line when the reader knows it (XML elements, top-level values of JSON Lines files).
public struct Provenance: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var path: String
    public var pointer: String
    public var line: Int?

    public init(path: String, pointer: String, line: Int? = nil) {
        self.path = path
        self.pointer = pointer
        self.line = line
    }

    public static func < (lhs: Provenance, rhs: Provenance) -> Bool {
        (lhs.path, lhs.pointer) < (rhs.path, rhs.pointer)
    }

    /// `path:line` when the line is known, then `#pointer`: `exports/iam.xml:41 (/RoleDetailList/3)`.
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if !pointer.isEmpty { text += " (\(pointer))" }
        return text
    }
}
