import Migration

/// `summary.csv`: one row per role, RFC 4180 quoting (fields with `,`, `"`, CR or LF are quoted,
/// quotes doubled), CRLF line ends.
public enum SummaryCSV {
    public static let header = [
        "role_arn", "account", "status", "flows", "legacy_flows", "grants_to_add", "grants_held", "grants_blocked",
        "changes", "blockers", "warnings",
    ]

    /// The rows written as bytes, each role read in place and counted by index: building a row of
    /// strings per role, from filtered copies of its arrays, cost five times as much. ``rows(_:)``
    /// is the readable definition of the file; this must say the same, byte for byte (a test
    /// compares them).
    public static func render(_ plan: Plan) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 * (plan.roles.count + 1))
        for (index, name) in header.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field: name, to: &bytes)
        }
        bytes.append(contentsOf: "\r\n".utf8)
        plan.roles.withUnsafeBufferPointer { roles in
            guard let base = roles.baseAddress else { return }
            for index in roles.indices { row(base + index, into: &bytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The file as rows of fields, joined: the reference ``render(_:)`` must equal.
    static func rows(_ plan: Plan) -> String {
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

    /// One role's row and its line end. Only the ARN and the account can need quoting: the other
    /// fields are numbers and fixed words.
    private static func row(_ role: UnsafePointer<RolePlan>, into bytes: inout [UInt8]) {
        append(field: role.pointee.arn, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        append(field: role.pointee.account, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: role.pointee.status.rawValue.utf8)
        var legacy = 0
        let flows = role.pointee.flows.withUnsafeBufferPointer { flows in
            for index in flows.indices where flows[index].legacy { legacy += 1 }
            return flows.count
        }
        var added = 0
        var held = 0
        var blocked = 0
        role.pointee.requirements.withUnsafeBufferPointer { requirements in
            for index in requirements.indices {
                switch requirements[index].state {
                case .add: added += 1
                case .granted: held += 1
                case .blocked: blocked += 1
                }
            }
        }
        for count in [flows, legacy, added, held, blocked] {
            bytes.append(UInt8(ascii: ","))
            append(count, to: &bytes)
        }
        bytes.append(UInt8(ascii: ","))
        role.pointee.changes.withUnsafeBufferPointer { changes in
            for index in changes.indices {
                if index > 0 { bytes.append(UInt8(ascii: " ")) }
                bytes.append(contentsOf: changes[index].kind.rawValue.utf8)
            }
        }
        var blockers = 0
        var warnings = 0
        role.pointee.findings.withUnsafeBufferPointer { findings in
            for index in findings.indices where !findings[index].suppressed {
                switch findings[index].severity {
                case .blocker: blockers += 1
                case .warning: warnings += 1
                case .info: break
                }
            }
        }
        bytes.append(UInt8(ascii: ","))
        append(blockers, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        append(warnings, to: &bytes)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// `field(value)` appended: the value's bytes as they are when it needs no quoting.
    private static func append(field value: String, to bytes: inout [UInt8]) {
        if needsQuoting(value) {
            bytes.append(contentsOf: field(value).utf8)
        } else {
            bytes.append(contentsOf: value.utf8)
        }
    }

    /// The decimal digits of a count.
    private static func append(_ count: Int, to bytes: inout [UInt8]) {
        guard count >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(count)) }
        bytes.append(contentsOf: String(count).utf8)
    }

    /// Bytes, not characters: a CR LF pair is one Swift character, equal to neither CR nor LF,
    /// and a field holding one must still be quoted.
    static func field(_ value: String) -> String {
        guard needsQuoting(value) else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    private static func needsQuoting(_ value: String) -> Bool {
        value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A })
    }
}
