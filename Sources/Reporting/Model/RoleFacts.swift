import FlowRoleJSON
import Inventory
import Migration

/// What the reports say about a role beyond its fields in the plan: derived from the plan, never
/// stored in it, and the same in every format.
enum RoleFacts {
    /// The most severe unsuppressed finding of the role, or nil when it has none.
    static func severity(_ role: RolePlan) -> Finding.Severity? {
        role.findings.filter { !$0.suppressed }.map(\.severity).min()
    }

    /// Unsuppressed findings of one severity.
    static func count(_ role: RolePlan, _ severity: Finding.Severity) -> Int {
        role.findings.filter { $0.severity == severity && !$0.suppressed }.count
    }

    /// Distinct (action, resource) pairs the plan adds to the role.
    static func grantsToAdd(_ role: RolePlan) -> Int {
        Set(role.requirements.filter { $0.state == .add }.map { [$0.requirement.action, $0.requirement.resource] })
            .count
    }

    /// The trust change of the role, if the plan tightens its trust policy.
    static func trustChange(_ role: RolePlan) -> Change? {
        role.changes.first { $0.kind == .updateAssumeRolePolicy }
    }

    /// The flows a trust change pins (see `Change.pinnedFlows`).
    static func pinnedFlows(_ change: Change) -> [String] { change.pinnedFlows }

    /// The statements of a policy document after the change that were not in it before, pretty-printed.
    static func addedStatements(_ change: Change) -> [String] {
        let before = Set(statements(change.before).map(\.canonicalText))
        return statements(change.after).filter { !before.contains($0.canonicalText) }.map(\.prettyText)
    }

    /// The unified diff of a change's documents, pretty-printed (keys sorted, two-space indent).
    static func diff(_ change: Change) -> String {
        UnifiedDiff.render(
            before: change.before?.prettyText ?? "", after: change.after.prettyText,
            fromName: change.before == nil ? "/dev/null" : "before", toName: "after")
    }

    /// `inline policy NAME (new)`, `inline policy NAME` or `trust policy`.
    static func title(_ change: Change) -> String {
        switch change.kind {
        case .putRolePolicy:
            "inline policy \(change.policyName ?? "")\(change.before == nil ? " (new)" : "")"
        case .updateAssumeRolePolicy: "trust policy"
        }
    }

    /// The region of a flow ARN (`arn:aws:bedrock:REGION:ACCOUNT:flow/ID`), or "" when it has none.
    static func region(ofArn arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 3 ? String(parts[3]) : ""
    }

    /// The account of an ARN, or "" when it has none.
    static func account(ofArn arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : ""
    }

    /// Distinct (action, resource) pairs the plan cannot add to the role (requirements in state
    /// `blocked`): whatever the role's status, the nodes needing them will fail as this role.
    static func blockedGrants(_ role: RolePlan) -> Int {
        Set(
            role.requirements.filter { $0.state == .blocked }.map { [$0.requirement.action, $0.requirement.resource] }
        ).count
    }

    /// A need of a flow that the plan does not add to the role.
    struct NotAdded: Sendable, Hashable {
        enum Reason: String, Sendable, Hashable {
            /// A requirement in state `blocked`: adding an Allow would not help.
            case blocked
            /// A flow created after the window (not migrated) lacks it: `NEW_FLOW_MISSING_GRANT`.
            case newFlow
        }

        var action: String
        var resource: String
        var flow: String
        var version: String
        var node: String
        var reason: Reason
        /// The codes of the findings that say why: the blocker findings about the resource (or the
        /// role, for SERVICE_LINKED_ROLE and QUOTA_EXCEEDED), or NEW_FLOW_MISSING_GRANT.
        var codes: [String]
        /// Every finding that says why is suppressed (accepted by a suppression file).
        var accepted: Bool
    }

    /// Every need not added: the blocked requirements in plan order, each with the blocker codes
    /// that match its resource or the role, then the needs of flows created after the window, read
    /// from the `NEW_FLOW_MISSING_GRANT` findings.
    static func notAdded(_ role: RolePlan) -> [NotAdded] {
        let blockers = role.findings.filter { $0.severity == .blocker }
        var entries: [NotAdded] = role.requirements.filter { $0.state == .blocked }.map { planned in
            let need = planned.requirement
            var why = blockers.filter { $0.subject == need.resource }
            if why.isEmpty { why = blockers.filter { $0.subject == role.arn } }
            var codes: [String] = []
            for finding in why where !codes.contains(finding.code) { codes.append(finding.code) }
            return NotAdded(
                action: need.action, resource: need.resource, flow: need.flow, version: need.version, node: need.node,
                reason: .blocked, codes: codes, accepted: !why.isEmpty && why.allSatisfy(\.suppressed))
        }
        for finding in role.findings where finding.code == "NEW_FLOW_MISSING_GRANT" {
            entries.append(newFlowNeed(finding))
        }
        return entries
    }

    /// The need a `NEW_FLOW_MISSING_GRANT` finding names. Its message reads `ACTION on RESOURCE is
    /// needed by flow FLOW (VERSION, node NODE), created after the window, …`; a message of another
    /// shape gives the subject as the resource and leaves the rest empty.
    static func newFlowNeed(_ finding: Finding) -> NotAdded {
        var need = NotAdded(
            action: "", resource: finding.subject, flow: "", version: "", node: "", reason: .newFlow,
            codes: [finding.code], accepted: finding.suppressed)
        let message = Substring(finding.message)
        guard let on = message.firstRange(of: " on "),
            let by = message[on.upperBound...].firstRange(of: " is needed by flow "),
            let open = message[by.upperBound...].firstRange(of: " ("),
            let node = message[open.upperBound...].firstRange(of: ", node "),
            let close = message[node.upperBound...].ranges(of: "), created after the window").last
        else { return need }
        need.action = String(message[..<on.lowerBound])
        need.resource = String(message[on.upperBound..<by.lowerBound])
        need.flow = String(message[by.upperBound..<open.lowerBound])
        need.version = String(message[open.upperBound..<node.lowerBound])
        need.node = String(message[node.upperBound..<close.lowerBound])
        return need
    }

    /// What not adding them means, one sentence per grant (action, resource), for the top of a
    /// role's detail: `lambda:InvokeFunction on ARN will NOT be added (EXPLICIT_DENY): node
    /// ExportPayroll of flow ARN (DRAFT) will fail as this role until the Deny is narrowed.`
    static func consequences(_ role: RolePlan) -> [String] {
        var order: [[String]] = []
        var groups: [[String]: [NotAdded]] = [:]
        for entry in notAdded(role) {
            let key = [entry.reason.rawValue, entry.action, entry.resource]
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        return order.compactMap { key in
            guard let entries = groups[key], let first = entries.first else { return nil }
            let grant = first.action.isEmpty ? first.resource : "\(first.action) on \(first.resource)"
            // "node N of flow F (DRAFT, 1)", the versions of one node of one flow together.
            var uses: [String] = []
            var versions: [String: [String]] = [:]
            for entry in entries where !entry.flow.isEmpty {
                let use = "node \(entry.node) of flow \(entry.flow)"
                if versions[use] == nil { uses.append(use) }
                if !entry.version.isEmpty, versions[use]?.contains(entry.version) != true {
                    versions[use, default: []].append(entry.version)
                }
            }
            let who =
                uses.isEmpty
                ? "the nodes that need it"
                : uses.map { use in
                    let list = versions[use] ?? []
                    return list.isEmpty ? use : "\(use) (\(list.joined(separator: ", ")))"
                }.joined(separator: " and ")
            let codes = entries.flatMap(\.codes).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            switch first.reason {
            case .blocked:
                let until = codes.isEmpty ? "the blocker is resolved" : codes.map(resolution).joined(separator: " and ")
                let accepted = entries.allSatisfy(\.accepted) ? " The blocker is accepted by a suppression." : ""
                let why = codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))"
                return "\(grant) will NOT be added\(why): \(who) will fail as this role until \(until).\(accepted)"
            case .newFlow:
                return
                    "\(grant) is NOT added (NEW_FLOW_MISSING_GRANT): flows created after the window are not migrated, so \(who) will keep failing as this role (broken today) until the grant is added (re-plan with --include-new-flows)."
            }
        }
    }

    /// What must happen before a grant blocked by `code` can take effect.
    static func resolution(_ code: String) -> String {
        switch code {
        case "EXPLICIT_DENY": "the Deny is narrowed"
        case "PERMISSIONS_BOUNDARY": "the permissions boundary allows it"
        case "QUOTA_EXCEEDED": "the role's inline policies have room for it"
        case "SERVICE_LINKED_ROLE": "the flow runs as a role that can be edited"
        default: "\(code) is resolved"
        }
    }

    /// Why a role's trust policy is left as it is, or nil when the plan tightens it.
    struct TrustReason: Sendable, Hashable {
        var text: String
        /// The codes of the role's findings that explain it (TRUST_*, the trust QUOTA_EXCEEDED,
        /// SERVICE_LINKED_ROLE), in the order of the role's findings.
        var codes: [String]
    }

    /// The trust reason: the plan's `--skip-trust`, the selection, the findings about trust, or
    /// else a trust policy with no `flow/*` wildcard to replace.
    static func trustReason(_ role: RolePlan, settings: Plan.Settings) -> TrustReason? {
        guard trustChange(role) == nil else { return nil }
        if settings.skipTrust {
            return TrustReason(
                text: "The plan was made with --skip-trust: no trust policy is tightened.", codes: [])
        }
        if !role.selected {
            return TrustReason(text: "Outside the selection: the role is listed, not planned.", codes: [])
        }
        var codes: [String] = []
        for finding in role.findings where isAboutTrust(finding) && !codes.contains(finding.code) {
            codes.append(finding.code)
        }
        if !codes.isEmpty {
            return TrustReason(text: "Left as it is because of \(codes.joined(separator: ", ")):", codes: codes)
        }
        return TrustReason(
            text:
                "The trust policy already names its flows (or has no flow/* wildcard); nothing to tighten.",
            codes: [])
    }

    /// Whether a finding explains an untouched trust policy.
    static func isAboutTrust(_ finding: Finding) -> Bool {
        finding.code.hasPrefix("TRUST_") || finding.code == "SERVICE_LINKED_ROLE"
            || (finding.code == "QUOTA_EXCEEDED" && finding.severity == .warning)
    }

    private static func statements(_ document: JSONValue?) -> [JSONValue] {
        guard let statement = document?["Statement"] else { return [] }
        if case .array(let items) = statement { return items }
        return [statement]
    }

}
