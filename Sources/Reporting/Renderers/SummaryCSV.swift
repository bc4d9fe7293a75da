import Migration

/// `summary.csv`: one row per role, RFC 4180 quoting (fields with `,`, `"`, CR or LF are quoted,
/// quotes doubled), CRLF line ends.
public enum SummaryCSV {
    public static let header = [
        "role_arn", "account", "status", "flows", "legacy_flows", "grants_to_add", "grants_held", "grants_blocked",
        "changes", "blockers", "warnings",
    ]

    public static func render(_ plan: Plan) -> String {
        var rows = [header]
        for role in plan.roles {
            let states = role.requirements.map(\.state)
            rows.append([
                role.arn, role.account, role.status.rawValue, String(role.flows.count),
                String(role.flows.filter(\.legacy).count), String(states.filter { $0 == .add }.count),
                String(states.filter { $0 == .granted }.count), String(states.filter { $0 == .blocked }.count),
                role.changes.map(\.kind.rawValue).joined(separator: " "),
                String(role.findings.filter { $0.severity == .blocker && !$0.suppressed }.count),
                String(role.findings.filter { $0.severity == .warning && !$0.suppressed }.count),
            ])
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// Bytes, not characters: a CR LF pair is one Swift character, equal to neither CR nor LF,
    /// and a field holding one must still be quoted.
    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
