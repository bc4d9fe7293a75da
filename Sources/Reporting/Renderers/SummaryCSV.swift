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

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
