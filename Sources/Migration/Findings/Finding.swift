/// Something the plan tells a reviewer about a role, flow or resource: a blocker, a warning or
/// information. Findings are data in the plan, never thrown errors (STYLE, habit 3).
public struct Finding: Sendable, Hashable, Comparable {
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
        case blocker, warning, info

        private var rank: Int {
            switch self {
            case .blocker: 0
            case .warning: 1
            case .info: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// A stable identifier (`EXPLICIT_DENY`), documented in the README.
    public var code: String
    public var message: String
    /// The ARN the finding is about (role, flow or resource).
    public var subject: String
    public var suppressed: Bool

    public init(severity: Severity, code: String, message: String, subject: String, suppressed: Bool = false) {
        self.severity = severity
        self.code = code
        self.message = message
        self.subject = subject
        self.suppressed = suppressed
    }

    /// Sorted by (severity, code, subject) as DESIGN orders plan-level lists; the message breaks ties.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        (lhs.severity, lhs.code, lhs.subject, lhs.message) < (rhs.severity, rhs.code, rhs.subject, rhs.message)
    }
}
