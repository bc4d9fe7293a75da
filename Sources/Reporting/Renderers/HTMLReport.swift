import FlowRoleJSON
import Inventory
import Migration

/// `report.html`: one self-contained page a security reviewer approves a plan from — inline CSS
/// and script, nothing fetched from the network, readable offline, down to a phone's width.
///
/// The summary, the plan's own findings, the coverage (accounts, regions, flows per region, the
/// inputs with their SHA-256) and the finding-code explanations (the codes of this plan first,
/// with their counts; the others folded) are plain HTML. The roles are data (a JSON block in the
/// page) that the script renders a page of rows at a time, so a plan of 10,000 roles stays
/// usable: the table filters by status, worst open finding, account and free text, and a role
/// opens in a detail view that says first which grants will NOT be added and what that means,
/// then its flows, versions and nodes, every requirement with the reason for it, its findings
/// (each code linked to its explanation), the statements added, the diff of every changed
/// document, the trust policy after the change and the flows it pins (or why trust is left
/// alone), and the needs not added (blocked, or of flows created after the window). The view is
/// addressable: `report.html#role=ARN` opens a role, `#status=blocked&account=…&q=…` sets the
/// filters; following a finding-code link scrolls to its explanation and leaves the address as is.
///
/// The DOM is a contract the browser test relies on: `#role-rows > tr.role-row` with `data-arn`,
/// `data-status`, `data-severity` (`blocker`, `warning`, `info` or `none`), `data-account` and
/// `data-blocked-grants` (a `.badge.blocked-grants` in the status cell when it is not 0); the
/// filters `#filter-status`, `#filter-severity`, `#filter-account`, `#filter-text`; the count
/// `#shown-count`; the detail `#role-detail`, with `.consequences` and the table
/// `#not-added-table` when something is not added, and `.trust-reason` when trust is left alone.
public enum HTMLReport {
    /// Roles per page of the table.
    public static let pageSize = 100

    public static func render(_ plan: Plan) -> String {
        joined(renderPieces(plan))
    }

    /// The page as consecutive UTF-8 pieces, for writing to a file without joining them.
    public static func renderPieces(_ plan: Plan) -> [[UInt8]] {
        let collector = PieceCollector()
        render(plan, into: collector)
        return collector.pieces
    }

    /// Puts the page into `sink` as consecutive UTF-8 pieces: the page up to the data, the role
    /// data (`scriptSafe(data(plan).canonicalText)`) in pieces, all made at once on every core;
    /// then the script.
    public static func render(_ plan: Plan, into sink: some PieceSink) {
        let count = pagePieces(plan, into: sink) { head(plan) }
        var end = Page()
        end += "</script>\n<script>\(script)</script>\n</body></html>\n"
        sink.put(end.bytes, at: count)
    }

    /// The page up to the role data: the plain HTML sections.
    private static func head(_ plan: Plan) -> [UInt8] {
        var page = Page()
        page += """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
            <title>flowrole plan — \(escape(plan.migrationID))</title>
            <style>\(stylesheet)</style>
            </head><body>
            <header><h1>flowrole plan</h1>
            <p class="meta">Migration <code>\(escape(plan.migrationID))</code>; flows created before <code>\(escape(plan.legacyBefore.description))</code> are legacy.
            """
        if let generatedAt = plan.generatedAt {
            page += " Planned at <code>\(escape(generatedAt.description))</code>."
        }
        page += "</p></header>\n"
        page += summarySection(plan)
        page += selectionSection(plan.selection)
        page += planFindingsSection(plan.findings)
        page += coverageSection(plan)
        page += rolesSection(plan)
        page += codesSection(plan)
        page += "<script type=\"application/json\" id=\"plan-data\">"
        return page.bytes
    }

    // MARK: - Static sections

    /// What "grants to add" counts, said wherever the number is shown.
    static let grantUnit = "distinct (action, resource) pairs added to the roles' inline policies"

    private static func summarySection(_ plan: Plan) -> String {
        let summary = plan.summary
        // As the summary counts findings: unsuppressed, of the plan and of the selected roles.
        var infos = 0
        var partlyBlocked = 0
        for finding in plan.findings where finding.severity == .info && !finding.suppressed { infos += 1 }
        // Read in place, by index: `for role in` and `contains(where:)` copied every role and
        // requirement (a retain per string field), a third of the time spent on the head.
        plan.roles.withUnsafeBufferPointer { roles in
            for index in roles.indices {
                if roles[index].selected {
                    roles[index].findings.withUnsafeBufferPointer { findings in
                        for finding in findings.indices
                        where findings[finding].severity == .info && !findings[finding].suppressed {
                            infos += 1
                        }
                    }
                }
                // Some grant blocked: RoleFacts.blockedGrants(role) > 0.
                if roles[index].status == .change {
                    roles[index].requirements.withUnsafeBufferPointer { requirements in
                        if requirements.indices.contains(where: { requirements[$0].state == .blocked }) {
                            partlyBlocked += 1
                        }
                    }
                }
            }
        }
        let cards: [(label: String, count: Int, style: String, note: String)] = [
            ("roles", summary.roles, "", ""),
            ("to change", summary.rolesToChange, "change", ""),
            (
                "to change, with a grant blocked", partlyBlocked, partlyBlocked > 0 ? "blocked" : "",
                "changed, but some grants cannot be added: the nodes needing them will fail"
            ),
            ("blocked", summary.rolesBlocked, summary.rolesBlocked > 0 ? "blocked" : "", ""),
            ("flows", summary.flows, "", ""), ("legacy flows", summary.legacyFlows, "", ""),
            ("grants to add", summary.grantsAdded, "", grantUnit),
            ("trust policies to tighten", summary.trustPoliciesTightened, "", ""),
            ("blockers", summary.blockers, summary.blockers > 0 ? "blocker" : "", ""),
            ("warnings", summary.warnings, summary.warnings > 0 ? "warning" : "", ""),
            ("infos", infos, infos > 0 ? "info" : "", ""),
        ]
        var html = "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">"
        for card in cards {
            let title = card.note.isEmpty ? "" : " title=\"\(escape(card.note))\""
            html +=
                "<div class=\"card \(card.style)\" data-count=\"\(card.label)\"\(title)><span class=\"n\">\(card.count)</span><span class=\"l\">\(card.label)</span>"
            if !card.note.isEmpty { html += "<span class=\"u\">\(escape(card.note))</span>" }
            html += "</div>"
        }
        return html + "</div></section>\n"
    }

    private static func selectionSection(_ selection: Selection) -> String {
        let parts: [(String, [String])] = [
            ("accounts", selection.accounts), ("regions", selection.regions), ("roles", selection.roles),
            ("flows", selection.flows), ("tags", selection.tags), ("excluded roles", selection.excluded),
        ]
        let chosen = parts.filter { !$0.1.isEmpty }
        guard !chosen.isEmpty else { return "" }
        var html =
            "<section id=\"selection\"><h2>Selection</h2><p>Only these roles are planned; the others are listed unchanged.</p><ul>"
        for (name, values) in chosen {
            html += "<li>\(name): " + values.map { "<code>\(escape($0))</code>" }.joined(separator: ", ") + "</li>"
        }
        return html + "</ul></section>\n"
    }

    private static func planFindingsSection(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "" }
        var html =
            "<section id=\"plan-findings\"><h2>Findings about the whole plan</h2><div class=\"scroll\"><table class=\"stack\"><thead><tr><th>severity</th><th>code</th><th>message</th><th>subject</th></tr></thead><tbody>"
        for finding in findings {
            html +=
                "<tr><td data-label=\"severity\">\(severityBadge(finding))</td><td data-label=\"code\">\(codeLink(finding.code))</td>"
            html +=
                "<td data-label=\"message\">\(escape(finding.message))</td><td data-label=\"subject\"><code>\(escape(finding.subject))</code></td></tr>"
        }
        return html + "</tbody></table></div></section>\n"
    }

    private static func coverageSection(_ plan: Plan) -> String {
        let flows = flowCounts(plan)
        var covered: [String: [String]] = [:]
        for entry in plan.coverage {
            covered["\(entry.account) \(entry.region)", default: []].append(entry.by.rawValue)
        }
        let keys = Set(flows.keys).union(covered.keys).sorted()
        let accounts = Set(plan.roles.map(\.account)).union(keys.map { String($0.split(separator: " ")[0]) })
            .filter { !$0.isEmpty }.sorted()
        var html = "<section id=\"coverage\"><h2>Coverage</h2>"
        html +=
            "<p>\(accounts.count) account\(accounts.count == 1 ? "" : "s"): \(accounts.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")). A trust policy is tightened only when every region its <code>flow/*</code> reaches is covered: its flows are in the inputs, a manifest says <code>ok</code>, or <code>--flow-regions</code> names it.</p>"
        html +=
            "<div class=\"scroll\"><table id=\"regions\"><thead><tr><th>account</th><th>region</th><th>flows</th><th>covered by</th></tr></thead><tbody>"
        for key in keys {
            let parts = key.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let by = (covered[key] ?? []).sorted().joined(separator: ", ")
            html +=
                "<tr><td><code class=\"key\">\(escape(parts[0]))</code></td><td><code class=\"key\">\(escape(parts[1]))</code></td><td class=\"num\">\(flows[key] ?? 0)</td><td>\(by.isEmpty ? "<span class=\"muted\">not covered</span>" : escape(by))</td></tr>"
        }
        html += "</tbody></table></div>"
        html +=
            "<h3>Inputs</h3><div class=\"scroll\"><table id=\"inputs\"><thead><tr><th>file</th><th>kind</th><th>SHA-256</th></tr></thead><tbody>"
        for input in plan.inputs {
            html +=
                "<tr><td><code>\(escape(input.path))</code></td><td>\(escape(input.kind))</td><td><code class=\"hash\">\(escape(input.sha256))</code></td></tr>"
        }
        return html + "</tbody></table></div></section>\n"
    }

    /// The number of distinct flows per `ACCOUNT REGION`, from every role's flows. An ARN is parsed
    /// and counted the first time it is met, read by index without copying each role and flow; a
    /// set of ARNs per region is the reference in the tests.
    static func flowCounts(_ plan: Plan) -> [String: Int] {
        var flows: [String: Int] = [:]
        var seen = Set<String>()
        plan.roles.withUnsafeBufferPointer { roles in
            // Room for every flow of every role at once: growing the set rehashed it again and again.
            var listed = 0
            for index in roles.indices { listed += roles[index].flows.count }
            seen.reserveCapacity(listed)
            for index in roles.indices {
                roles[index].flows.withUnsafeBufferPointer { roleFlows in
                    for flow in roleFlows.indices where seen.insert(roleFlows[flow].arn).inserted {
                        let (account, region) = RoleFacts.accountAndRegion(ofArn: roleFlows[flow].arn)
                        flows["\(account) \(region)", default: 0] += 1
                    }
                }
            }
        }
        return flows
    }

    /// What the severity filter matches.
    static let worstFindingNote =
        "The role's most severe open (unsuppressed) finding: blocker, then warning, then info; none when it has no open finding."

    private static func rolesSection(_ plan: Plan) -> String {
        let accounts = Set(plan.roles.map(\.account)).sorted()
        var html = "<section id=\"roles-section\"><h2>Roles</h2>"
        html += """
            <noscript><p class="alert">The role table needs JavaScript; <code>report.md</code> and <code>plan.json</code> hold the same content.</p></noscript>
            <div class="filters">
            <label>Status <select id="filter-status"><option value="">any</option><option value="change">change</option><option value="blocked">blocked</option><option value="unchanged">unchanged</option></select></label>
            <label title="\(escape(worstFindingNote))">Worst finding <select id="filter-severity" title="\(escape(worstFindingNote))"><option value="">any</option><option value="blocker">blocker</option><option value="warning">warning</option><option value="info">info</option><option value="none">none (no open finding)</option></select></label>
            <label>Account <select id="filter-account"><option value="">any</option>
            """
        for account in accounts { html += "<option value=\"\(escape(account))\">\(escape(account))</option>" }
        html += """
            </select></label>
            <label>Search <input id="filter-text" type="search" placeholder="role, flow, resource, code…" size="32"></label>
            <span id="shown-count" aria-live="polite"></span>
            </div>
            <div class="scroll"><table id="roles" class="stack"><thead><tr><th>status</th><th>role</th><th>account</th><th class="num">flows</th><th class="num" title="\(escape(grantUnit))">grants to add</th><th>trust</th><th>open findings</th></tr></thead>
            <tbody id="role-rows"></tbody></table></div>
            <div class="pager"><button id="page-prev" type="button">‹ previous</button> <span id="page-info"></span> <button id="page-next" type="button">next ›</button></div>
            </section>
            <section id="role-detail" hidden></section>

            """
        return html
    }

    /// The finding codes in the glossary's order: those that occur in the plan (in the catalog's
    /// order, each with how many findings of the plan carry it, suppressed or not), then the others.
    static func glossary(_ plan: Plan) -> (
        inPlan: [(entry: FindingExplanation, count: Int)], others: [FindingExplanation]
    ) {
        var counts: [String: Int] = [:]
        for finding in plan.findings { counts[finding.code, default: 0] += 1 }
        // By index, without copying each role and finding.
        plan.roles.withUnsafeBufferPointer { roles in
            for index in roles.indices {
                roles[index].findings.withUnsafeBufferPointer { findings in
                    for finding in findings.indices { counts[findings[finding].code, default: 0] += 1 }
                }
            }
        }
        let inPlan = FindingCatalog.all.compactMap { entry in counts[entry.code].map { (entry, $0) } }
        let others = FindingCatalog.all.filter { counts[$0.code] == nil }
        return (inPlan, others)
    }

    private static func codesSection(_ plan: Plan) -> String {
        func explanation(_ entry: FindingExplanation, count: Int?) -> String {
            var html =
                "<dt id=\"code-\(entry.code)\"><code>\(entry.code)</code> <span class=\"muted\">\(escape(entry.severity))</span>"
            if let count { html += " <span class=\"count\">\(count) in this plan</span>" }
            html += "</dt><dd><p><strong>When:</strong> \(inlineCode(entry.when)).</p>"
            return html + "<p><strong>What to do:</strong> \(inlineCode(entry.action))</p></dd>"
        }
        let (inPlan, others) = glossary(plan)
        var html = "<section id=\"codes\"><h2>Finding codes</h2>"
        if inPlan.isEmpty {
            html += "<p>No finding in this plan.</p>"
        } else {
            html += "<p>The codes in this plan: what each means and what to do about it.</p><dl>"
            for (entry, count) in inPlan { html += explanation(entry, count: count) }
            html += "</dl>"
        }
        if !others.isEmpty {
            html +=
                "<details id=\"other-codes\"><summary>\(inPlan.isEmpty ? "All codes" : "Other codes") (\(others.count))</summary><dl>"
            for entry in others { html += explanation(entry, count: nil) }
            html += "</dl></details>"
        }
        return html + "</section>\n"
    }

    // MARK: - The role data the script renders

    /// One compact object per role: what the table and the detail view show, with the diffs and
    /// the added statements computed here so the page needs no diff engine.
    static func data(_ plan: Plan) -> JSONValue {
        func string(_ value: String) -> JSONValue { .string(value) }
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
        let roles: [JSONValue] = plan.roles.map { role in
            var members: [JSONMember] = [
                JSONMember("arn", string(role.arn)), JSONMember("name", string(role.name)),
                JSONMember("account", string(role.account)), JSONMember("status", string(role.status.rawValue)),
                JSONMember("severity", string(RoleFacts.severity(role)?.rawValue ?? "none")),
                JSONMember("selected", .bool(role.selected)), JSONMember("basis", string(role.basis)),
                JSONMember("grants", number(RoleFacts.grantsToAdd(role))),
                JSONMember("blockedGrants", number(RoleFacts.blockedGrants(role))),
                JSONMember(
                    "counts",
                    [
                        "blocker": number(RoleFacts.count(role, .blocker)),
                        "warning": number(RoleFacts.count(role, .warning)),
                        "info": number(RoleFacts.count(role, .info)),
                    ]),
                JSONMember(
                    "flows",
                    .array(
                        role.flows.map {
                            [
                                "arn": string($0.arn), "createdAt": string($0.createdAt.description),
                                "legacy": .bool($0.legacy), "versions": .array($0.versions.map(string)),
                            ]
                        })),
                JSONMember(
                    "requirements",
                    .array(
                        role.requirements.map {
                            var need: JSONValue = [
                                "action": string($0.requirement.action), "resource": string($0.requirement.resource),
                                "flow": string($0.requirement.flow), "version": string($0.requirement.version),
                                "node": string($0.requirement.node), "state": string($0.state.rawValue),
                            ]
                            // A conditional grant (S3's bucket owner, the KMS encryption context) shows its condition.
                            if let condition = $0.requirement.condition, case .object(var members) = need {
                                members.append(JSONMember("condition", string(condition.canonicalText)))
                                need = .object(members)
                            }
                            return need
                        })),
                JSONMember(
                    "findings",
                    .array(
                        role.findings.map {
                            [
                                "severity": string($0.severity.rawValue), "code": string($0.code),
                                "message": string($0.message), "subject": string($0.subject),
                                "suppressed": .bool($0.suppressed),
                            ]
                        })),
                JSONMember(
                    "changes",
                    .array(
                        role.changes.map { change in
                            var members: [JSONMember] = [
                                JSONMember("type", string(change.kind.rawValue)),
                                JSONMember("title", string(RoleFacts.title(change))),
                                JSONMember("diff", string(RoleFacts.diff(change))),
                            ]
                            switch change.kind {
                            case .putRolePolicy:
                                // A new policy is shown once, as its diff (every line added).
                                members.append(JSONMember("new", .bool(change.before == nil)))
                                if change.before != nil {
                                    members.append(
                                        JSONMember("added", .array(RoleFacts.addedStatements(change).map(string))))
                                }
                            case .updateAssumeRolePolicy:
                                members.append(JSONMember("pinned", .array(change.pinnedFlows.map(string))))
                                members.append(JSONMember("document", string(change.after.prettyText)))
                            }
                            return .object(members)
                        })),
            ]
            if let source = role.source {
                members.append(JSONMember("source", string(source.description)))
            }
            // Members present only when they have something to say, so 10,000 roles stay small.
            let notAdded = RoleFacts.notAdded(role)
            if !notAdded.isEmpty {
                members.append(
                    JSONMember(
                        "notAdded",
                        .array(
                            notAdded.map {
                                [
                                    "action": string($0.action), "resource": string($0.resource),
                                    "flow": string($0.flow), "version": string($0.version), "node": string($0.node),
                                    "reason": string($0.reason.rawValue), "codes": .array($0.codes.map(string)),
                                    "accepted": .bool($0.accepted),
                                ]
                            })))
                members.append(JSONMember("consequences", .array(RoleFacts.consequences(role).map(string))))
            }
            if let reason = RoleFacts.trustReason(role, settings: plan.settings) {
                members.append(
                    JSONMember("trustReason", ["text": string(reason.text), "codes": .array(reason.codes.map(string))]))
            }
            return .object(members)
        }
        return [
            "pageSize": number(pageSize), "includeNewFlows": .bool(plan.settings.includeNewFlows),
            "roles": .array(roles),
        ]
    }

    // MARK: - Helpers

    /// Text appended in pieces without quadratic copying.
    private struct Page {
        var bytes: [UInt8] = []
        static func += (page: inout Page, text: String) { page.bytes.append(contentsOf: text.utf8) }
    }

    private static func severityBadge(_ finding: Finding) -> String {
        "<span class=\"badge \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span>"
            + (finding.suppressed ? " <span class=\"muted\">suppressed</span>" : "")
    }

    private static func codeLink(_ code: String) -> String {
        FindingCatalog.explanation(code) == nil
            ? "<code>\(escape(code))</code>"
            : "<a href=\"#code-\(escape(code))\" class=\"key\"><code>\(escape(code))</code></a>"
    }

    /// Escapes text and turns `backquoted` spans into <code>.
    private static func inlineCode(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            index % 2 == 1 ? "<code>\(escape(String(part)))</code>" : escape(String(part))
        }.joined()
    }

    /// JSON placed inside a <script> element: `<` is written `\u003c`, so that no `</script>` or
    /// `<!--` in a string can end the element. (JSON has `<` only inside strings.)
    static func scriptSafe(_ json: String) -> String {
        String(decoding: scriptSafe(Array(json.utf8)), as: UTF8.self)
    }

    static func escape(_ text: String) -> String {
        func special(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"")
        }
        guard text.utf8.contains(where: special) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
