import FlowRoleJSON
import Inventory
import Migration

/// `report.md`, sized for a pull-request comment: the summary and the plan's own findings first,
/// then a section per account with a `<details>` block per role that changes, is blocked or has a
/// warning (its requirements with their reasons, findings, the flows a trust change pins and the
/// diff of every changed document), and one line naming the roles left alone. Blocked roles come
/// first in each account. From the first role whose block would pass `sizeCap` bytes on, the
/// remaining roles are only counted, and the
/// report points to `report.html` and `plan.json`, which always hold everything. Pure: a plan in,
/// text out.
public enum MarkdownReport {
    /// GitHub takes comments of up to 65,536 characters; the cap leaves room for the closing lines.
    public static let sizeCap = 60_000

    public static func render(_ plan: Plan, sizeCap: Int = sizeCap) -> String {
        let summary = plan.summary
        var out = "# flowrole plan — `\(plan.migrationID)`\n\n"
        out += "Flows created before `\(plan.legacyBefore)` are legacy."
        if let generatedAt = plan.generatedAt { out += " Planned at `\(generatedAt)`." }
        out += "\n\n"
        out +=
            "| roles | to change | blocked | flows | legacy flows | grants to add | trust policies to tighten | blockers | warnings |\n"
        out += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        out +=
            "| \(summary.roles) | \(summary.rolesToChange) | \(summary.rolesBlocked) | \(summary.flows) | \(summary.legacyFlows) | \(summary.grantsAdded) | \(summary.trustPoliciesTightened) | \(summary.blockers) | \(summary.warnings) |\n\n"
        if !plan.findings.isEmpty {
            out += "**Findings about the whole plan**\n\n"
            for finding in plan.findings { out += line(finding) }
            out += "\n"
        }
        out += "<details><summary>Inputs (\(plan.inputs.count))</summary>\n\n"
        for input in plan.inputs { out += "- `\(input.path)` (\(input.kind)) sha256 `\(input.sha256)`\n" }
        out += "\n</details>\n\n"

        // Roles by index, each rank and listing counted once, in place: grouping, filtering and
        // sorting copies of 10,000 role plans (and counting findings at every comparison) cost
        // more than the page.
        let roles = plan.roles
        var accounts: [String: [Int]] = [:]
        var ranks: [Int] = []
        var isListed: [Bool] = []
        ranks.reserveCapacity(roles.count)
        isListed.reserveCapacity(roles.count)
        roles.withUnsafeBufferPointer { roles in
            guard let base = roles.baseAddress else { return }
            for index in roles.indices {
                accounts[roles[index].account, default: []].append(index)
                ranks.append(rank(base + index))
                isListed.append(Self.isListed(base + index))
            }
        }
        var omitted = 0
        var full = false
        for account in accounts.keys.sorted() {
            let indices = accounts[account] ?? []
            let listed = indices.filter { isListed[$0] }.sorted { left, right in
                ranks[left] < ranks[right] || (ranks[left] == ranks[right] && roles[left].arn < roles[right].arn)
            }
            let quiet = indices.filter { !isListed[$0] }
            var section = "## Account \(account)\n\n"
            section +=
                "\(indices.filter { roles[$0].status == .change }.count) to change, \(indices.filter { roles[$0].status == .blocked }.count) blocked, \(indices.filter { roles[$0].status == .unchanged }.count) unchanged.\n\n"
            guard out.utf8.count + section.utf8.count <= sizeCap else {
                omitted += indices.count
                continue
            }
            out += section
            for index in listed {
                // Once a block does not fit, the rest are only counted, not rendered (at 10,000
                // roles rendering them all, diffs included, cost seconds).
                if full {
                    omitted += 1
                    continue
                }
                let block = details(roles[index], settings: plan.settings)
                if out.utf8.count + block.utf8.count > sizeCap {
                    omitted += 1
                    full = true
                    continue
                }
                out += block
            }
            if !quiet.isEmpty {
                let names = quiet.map { "`\(roles[$0].name)`" }.joined(separator: ", ")
                let text = "Left as they are, with nothing to report (\(quiet.count)): \(names).\n\n"
                if out.utf8.count + text.utf8.count > sizeCap {
                    out += "Left as they are, with nothing to report: \(quiet.count) roles.\n\n"
                } else {
                    out += text
                }
            }
        }
        if omitted > 0 {
            out +=
                "---\n\n**\(omitted) more role\(omitted == 1 ? "" : "s") not shown**: this comment stops at \(sizeCap / 1000) KB. `report.html` and `plan.json` in the plan folder hold every role.\n"
        }
        return out
    }

    /// A role gets its own block when it changes, is blocked, is outside the selection with
    /// something to say, or has an unsuppressed blocker or warning.
    static func isListed(_ role: RolePlan) -> Bool {
        withUnsafePointer(to: role) { isListed($0) }
    }

    /// `isListed` of a role read in place (its findings by index, not copied one by one).
    private static func isListed(_ role: UnsafePointer<RolePlan>) -> Bool {
        role.pointee.status != .unchanged || !role.pointee.changes.isEmpty
            || role.pointee.findings.withUnsafeBufferPointer { findings in
                findings.indices.contains { !findings[$0].suppressed && findings[$0].severity != .info }
            }
    }

    private static func rank(_ role: UnsafePointer<RolePlan>) -> Int {
        switch role.pointee.status {
        case .blocked: 0
        case .change: RoleFacts.count(role.pointee, .blocker) > 0 ? 0 : 1
        case .unchanged: 2
        }
    }

    static func details(_ role: RolePlan, settings: Plan.Settings) -> String {
        let trust = RoleFacts.trustChange(role)
        var headline = "\(statusMark(role)) <b>\(html(role.name))</b> — \(role.status.rawValue)"
        let grants = RoleFacts.grantsToAdd(role)
        if grants > 0 { headline += ", \(grants) grant\(grants == 1 ? "" : "s") to add" }
        if let trust { headline += ", trust pinned to \(trust.pinnedFlows.count) flow(s)" }
        let blockers = RoleFacts.count(role, .blocker)
        let warnings = RoleFacts.count(role, .warning)
        if blockers > 0 { headline += ", \(blockers) blocker\(blockers == 1 ? "" : "s")" }
        if warnings > 0 { headline += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        if !role.selected { headline += " (outside the selection)" }
        var out = "<details><summary>\(headline)</summary>\n\n`\(role.arn)`\n\n"
        // What will not work after the change comes first (RoleFacts: blocked grants, new flows' needs).
        for consequence in RoleFacts.consequences(role) { out += "> ⚠️ \(escape(consequence))\n>\n" }
        if out.hasSuffix(">\n") { out = String(out.dropLast(2)) + "\n" }
        if let reason = RoleFacts.trustReason(role, settings: settings) {
            out +=
                "Trust policy: \(reason.text)\(reason.codes.isEmpty ? "" : " " + reason.codes.map { "`\($0)`" }.joined(separator: ", "))\n\n"
        }
        if !role.flows.isEmpty {
            out += "Flows:\n\n"
            for flow in role.flows {
                out +=
                    "- `\(flow.arn)` created \(flow.createdAt) (\(flow.legacy ? "legacy" : "after the change")), versions \(flow.versions.joined(separator: ", "))\n"
            }
            out += "\n"
        }
        if !role.requirements.isEmpty {
            out += "| state | action | resource | flow | version | node |\n|---|---|---|---|---|---|\n"
            for planned in role.requirements {
                let requirement = planned.requirement
                out +=
                    "| \(planned.state.rawValue) | `\(requirement.action)` | `\(requirement.resource)`\(requirement.condition.map { " if `\($0.canonicalText)`" } ?? "") | `\(requirement.flow)` | \(requirement.version) | \(escape(requirement.node)) |\n"
            }
            out += "\n"
        }
        if !role.findings.isEmpty {
            out += "Findings:\n\n"
            for finding in role.findings { out += line(finding) }
            out += "\n"
        }
        for change in role.changes {
            out += "\(change.kind.rawValue) — \(RoleFacts.title(change))"
            if change.kind == .updateAssumeRolePolicy {
                let pinned = change.pinnedFlows
                out += ", pinned to: " + pinned.map { "`\($0)`" }.joined(separator: ", ")
            }
            out += "\n\n```diff\n" + RoleFacts.diff(change) + "```\n\n"
        }
        return out + "</details>\n\n"
    }

    private static func statusMark(_ role: RolePlan) -> String {
        if role.status == .blocked || RoleFacts.count(role, .blocker) > 0 { return "⛔" }
        switch role.status {
        case .change: return "✏️"
        case .blocked: return "⛔"
        case .unchanged: return "⚠️"
        }
    }

    static func line(_ finding: Finding) -> String {
        "- **\(finding.severity.rawValue)** `\(finding.code)`\(finding.suppressed ? " (suppressed)" : ""): \(escape(finding.message))\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text inside the HTML of a `<summary>`.
    private static func html(_ text: String) -> String {
        HTMLReport.escape(text)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
