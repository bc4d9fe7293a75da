import FlowRoleJSON
import Migration

/// How terminal text is written: plain, or with ANSI colours (SGR escapes).
public enum TerminalStyle: Sendable, Hashable {
    case plain
    case ansi

    /// `--color auto`: colour only on a terminal, and never while `NO_COLOR` is set to a non-empty
    /// value (no-color.org). `always` and `never` need no rule: `.ansi` and `.plain`.
    public static func automatic(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        guard isTerminal else { return .plain }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .plain }
        return .ansi
    }

    /// SGR parameters.
    enum Paint: String {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case cyan = "36"
        case boldRed = "1;31"
    }

    func paint(_ text: String, _ paint: Paint) -> String {
        guard self == .ansi, !text.isEmpty else { return text }
        return "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m"
    }
}

/// `flowrole show`: a plan for a terminal. `summary` fits about 100 columns: the counts, per
/// account the roles that change or are blocked, the plan's own findings and a count per finding
/// code. `role` is one role in detail, with a coloured unified diff of every change. Pure: a plan
/// in, text out. Text from the plan is printed with control characters escaped, so a hostile
/// plan cannot drive the terminal.
public enum TerminalReport {
    /// The width messages are wrapped to.
    static let width = 100

    // MARK: - Summary

    public static func summary(_ plan: Plan, style: TerminalStyle) -> String {
        let summary = plan.summary
        var out = style.paint("flowrole plan", .bold) + "  " + safe(plan.migrationID) + "\n"
        out += "legacy flows  created before \(plan.legacyBefore)\n"
        if let generatedAt = plan.generatedAt { out += "generated at  \(generatedAt)\n" }
        out += "\n"
        let unchanged = summary.roles - summary.rolesToChange - summary.rolesBlocked
        out +=
            "\(summary.roles) role\(plural(summary.roles)): "
            + style.paint("\(summary.rolesToChange) to change", summary.rolesToChange > 0 ? .green : .dim) + ", "
            + style.paint("\(summary.rolesBlocked) blocked", summary.rolesBlocked > 0 ? .red : .dim)
            + ", \(unchanged) unchanged\n"
        out +=
            "\(summary.flows) flow\(plural(summary.flows)) (\(summary.legacyFlows) legacy); \(summary.grantsAdded) grant\(plural(summary.grantsAdded)) to add; \(summary.trustPoliciesTightened) trust polic\(summary.trustPoliciesTightened == 1 ? "y" : "ies") to tighten\n"
        out +=
            style.paint(
                "\(summary.blockers) blocker\(plural(summary.blockers))", summary.blockers > 0 ? .boldRed : .dim)
            + ", "
            + style.paint(
                "\(summary.warnings) warning\(plural(summary.warnings))", summary.warnings > 0 ? .yellow : .dim)
            + "\n"

        let accounts = Dictionary(grouping: plan.roles, by: \.account)
        for account in accounts.keys.sorted() {
            let roles = accounts[account] ?? []
            out += "\n" + style.paint("account \(safe(account))", .bold) + "\n"
            out += table(roles.filter { $0.status != .unchanged }, style: style)
            let quiet = roles.filter { $0.status == .unchanged }.count
            if quiet == roles.count {
                out += "  nothing to change; \(quiet) unchanged role\(plural(quiet)) not listed\n"
            } else if quiet > 0 {
                out += "  \(quiet) unchanged role\(plural(quiet)) not listed\n"
            }
        }

        if !plan.findings.isEmpty {
            out += "\n" + style.paint("plan findings", .bold) + "\n"
            for finding in plan.findings {
                out += findingLines(finding, style: style, action: false)
            }
        }
        out += codeCounts(plan, style: style)
        return out
    }

    /// The roles that change or are blocked: status, name, grants to add, trust pinned, counts.
    static func table(_ roles: [RolePlan], style: TerminalStyle) -> String {
        guard !roles.isEmpty else { return "" }
        // 47 columns besides the name: at most 53 for it keeps a row within 100.
        let nameWidth = min(53, max(4, roles.map { safe($0.name).count }.max() ?? 0))
        func row(_ cells: [String], _ status: String) -> String {
            "  " + status + "  " + pad(cells[0], nameWidth) + "  " + pad(cells[1], 6, right: true) + "  "
                + pad(cells[2], 6) + "  " + pad(cells[3], 8, right: true) + "  " + pad(cells[4], 8, right: true)
        }
        var out = style.paint(row(["ROLE", "GRANTS", "PINNED", "BLOCKERS", "WARNINGS"], pad("STATUS", 7)), .dim) + "\n"
        for role in roles {
            let pinned = RoleFacts.trustChange(role) != nil
            out +=
                row(
                    [
                        shortened(safe(role.name), to: nameWidth), String(RoleFacts.grantsToAdd(role)),
                        pinned ? "yes" : "no", String(RoleFacts.count(role, .blocker)),
                        String(RoleFacts.count(role, .warning)),
                    ], status(role.status, style: style, width: 7)) + "\n"
        }
        return out
    }

    /// Per finding code: the findings that count (the plan's and the selected roles', as in the
    /// summary), suppressed ones apart.
    static func codeCounts(_ plan: Plan, style: TerminalStyle) -> String {
        let all = plan.findings + plan.roles.filter(\.selected).flatMap(\.findings)
        guard !all.isEmpty else { return "" }
        // By severity then code: QUOTA_EXCEEDED is a blocker for grants and a warning for trust.
        var rows: [(severity: Finding.Severity, code: String, counted: Int, suppressed: Int)] = []
        for severity in Finding.Severity.allCases {
            let byCode = Dictionary(grouping: all.filter { $0.severity == severity }, by: \.code)
            for (code, findings) in byCode.sorted(by: { $0.key < $1.key }) {
                let counted = findings.filter { !$0.suppressed }.count
                rows.append((severity, code, counted, findings.count - counted))
            }
        }
        let codeWidth = rows.map { safe($0.code).count }.max() ?? 0
        var out = "\n" + style.paint("findings by code", .bold) + "\n"
        for row in rows {
            out += "  " + pad(safe(row.code), codeWidth) + "  " + pad(String(row.counted), 5, right: true) + "  "
            out += severityLabel(row.severity, style: style, width: row.suppressed > 0 ? 7 : 0)
            if row.suppressed > 0 { out += "  " + style.paint("\(row.suppressed) suppressed", .dim) }
            out += "\n"
        }
        if plan.roles.contains(where: { !$0.selected }) {
            out += style.paint("  (findings of roles outside the selection are not counted)", .dim) + "\n"
        }
        return out
    }

    // MARK: - One role

    /// The roles `query` names: the role with that ARN, else every role with that name (IAM role
    /// names are unique per account, ignoring case).
    public static func roles(matching query: String, in plan: Plan) -> [RolePlan] {
        if let role = plan.roles.first(where: { $0.arn == query }) { return [role] }
        let name = query.lowercased()
        return plan.roles.filter { $0.name.lowercased() == name }
    }

    public static func role(_ role: RolePlan, in plan: Plan, style: TerminalStyle) -> String {
        var out = style.paint("role", .bold) + "     " + style.paint(safe(role.name), .bold) + "\n"
        out += "arn      \(safe(role.arn))\n"
        out += "account  \(safe(role.account))\n"
        out += "status   " + status(role.status, style: style, width: 0) + "\n"
        // `path (pointer)`, and `:line` when the plan was not read back from plan.json.
        if let source = role.source { out += "source   \(safe("\(source)"))\n" }
        out += "basis    \(safe(role.basis))\n"

        out += "\n" + style.paint("flows (\(role.flows.count))", .bold) + "\n"
        if role.flows.isEmpty { out += "  none in the inputs\n" }
        for flow in role.flows {
            out += "  \(safe(flow.arn))\n"
            out +=
                "    created \(flow.createdAt), \(flow.legacy ? "legacy" : "after the change"), version\(plural(flow.versions.count)) \(flow.versions.map(safe).joined(separator: ", "))\n"
        }

        out += "\n" + style.paint("requirements (\(role.requirements.count))", .bold) + "\n"
        if role.requirements.isEmpty { out += "  none\n" }
        for planned in role.requirements {
            let requirement = planned.requirement
            let paint: TerminalStyle.Paint =
                switch planned.state {
                case .add: .green
                case .granted: .dim
                case .blocked: .red
                }
            out +=
                "  " + style.paint(pad(planned.state.rawValue, 7), paint) + "  \(safe(requirement.action))  "
                + safe(requirement.resource)
                + (requirement.condition.map { "  if " + safe($0.canonicalText) } ?? "") + "\n"
            out +=
                "           for flow \(safe(requirement.flow)), version \(safe(requirement.version)), node \(safe(requirement.node))\n"
        }

        out += "\n" + style.paint("findings (\(role.findings.count))", .bold) + "\n"
        if role.findings.isEmpty { out += "  none\n" }
        for finding in role.findings {
            out += findingLines(finding, style: style, action: true, role: role.arn)
        }

        out += "\n" + style.paint("changes (\(role.changes.count))", .bold) + "\n"
        if role.changes.isEmpty { out += "  none\n" }
        for (index, change) in role.changes.enumerated() {
            if index > 0 { out += "\n" }
            out += "  " + style.paint(change.kind.rawValue, .bold) + "  " + safe(RoleFacts.title(change))
            if change.kind == .updateAssumeRolePolicy {
                let pinned = change.pinnedFlows
                out += ", pinned to \(pinned.count) flow\(plural(pinned.count)):\n"
                for flow in pinned { out += "    \(safe(flow))\n" }
            } else {
                out += "\n"
            }
            out += diff(change, style: style)
        }
        return out
    }

    /// The change as a unified diff of the pretty-printed documents, each line coloured by kind.
    static func diff(_ change: Change, style: TerminalStyle) -> String {
        let text = RoleFacts.diff(change)
        guard !text.isEmpty else { return "  (the documents are the same)\n" }
        var out = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { safe(String($0)) }
        for (index, line) in lines.enumerated() {
            // The first two lines are the `---`/`+++` header; a removed line may start with `--`.
            let paint: TerminalStyle.Paint? =
                index < 2
                ? .bold
                : line.hasPrefix("@@") ? .cyan : line.hasPrefix("+") ? .green : line.hasPrefix("-") ? .red : nil
            out += "  " + (paint.map { style.paint(line, $0) } ?? line) + "\n"
        }
        return out
    }

    // MARK: - Pieces

    /// `  severity  CODE (suppressed)  message…` wrapped with a hanging indent; with `action`, the
    /// catalogue's advice, and the subject when it is not the role itself.
    static func findingLines(_ finding: Finding, style: TerminalStyle, action: Bool, role: String? = nil) -> String {
        let indent = String(repeating: " ", count: 11)
        var head =
            "  " + severityLabel(finding.severity, style: style, width: 7) + "  "
            + style.paint(safe(finding.code), .bold)
        if finding.suppressed { head += " " + style.paint("(suppressed)", .dim) }
        var out = head + "\n"
        out += wrap(safe(finding.message), indent: indent)
        if action {
            if finding.subject != role { out += wrap("about \(safe(finding.subject))", indent: indent) }
            if let explanation = FindingCatalog.explanation(finding.code) {
                out += wrap(style.paint("what to do:", .cyan) + " " + explanation.action, indent: indent)
            }
        }
        return out
    }

    static func severityLabel(_ severity: Finding.Severity, style: TerminalStyle, width: Int) -> String {
        let paint: TerminalStyle.Paint =
            switch severity {
            case .blocker: .boldRed
            case .warning: .yellow
            case .info: .cyan
            }
        return style.paint(pad(severity.rawValue, width), paint)
    }

    static func status(_ status: RolePlan.Status, style: TerminalStyle, width: Int) -> String {
        let paint: TerminalStyle.Paint =
            switch status {
            case .change: .green
            case .blocked: .boldRed
            case .unchanged: .dim
            }
        return style.paint(pad(status.rawValue, width), paint)
    }

    /// `text` in lines of at most `width` columns (a longer word, such as an ARN, gets a line of its
    /// own), each starting with `indent`. Escape sequences do not count toward the width.
    static func wrap(_ text: String, indent: String) -> String {
        var out = ""
        var line = ""
        var length = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let visible = visibleCount(word)
            if length > 0 && indent.count + length + 1 + visible > width {
                out += indent + line + "\n"
                line = ""
                length = 0
            }
            if length > 0 {
                line += " "
                length += 1
            }
            line += word
            length += visible
        }
        if length > 0 { out += indent + line + "\n" }
        return out
    }

    /// Characters, not counting ANSI escape sequences (`ESC [ … m`).
    static func visibleCount(_ text: Substring) -> Int {
        var count = 0
        var escaped = false
        for character in text {
            if escaped {
                if character == "m" { escaped = false }
            } else if character == "\u{1B}" {
                escaped = true
            } else {
                count += 1
            }
        }
        return count
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    /// At most `width` characters: the start and the end, joined by `…`.
    static func shortened(_ text: String, to width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        let tail = (width - 1) / 2
        return String(text.prefix(width - 1 - tail)) + "…" + String(text.suffix(tail))
    }

    static func plural(_ count: Int) -> String { count == 1 ? "" : "s" }

    /// Text from the plan, control characters escaped.
    static func safe(_ text: String) -> String { InputError.printable(text) }
}
