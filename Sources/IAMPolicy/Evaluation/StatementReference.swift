/// Where a statement is: which named policy, which statement, its `Sid` — what a finding cites.
public struct StatementReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The policy's id as the caller named it (an inline policy's name, a managed policy's ARN).
    public var policyID: String
    /// 0-based position in the document's statements.
    public var statementIndex: Int
    public var sid: String?
    /// JSON pointer of the statement inside its document (`/Statement/2`).
    public var pointer: String

    public init(policyID: String, statementIndex: Int, sid: String?, pointer: String) {
        self.policyID = policyID
        self.statementIndex = statementIndex
        self.sid = sid
        self.pointer = pointer
    }

    public var description: String {
        "\(policyID) statement \(statementIndex)" + (sid.map { " (Sid \($0))" } ?? "")
    }

    public static func < (lhs: StatementReference, rhs: StatementReference) -> Bool {
        (lhs.policyID, lhs.statementIndex) < (rhs.policyID, rhs.statementIndex)
    }
}
