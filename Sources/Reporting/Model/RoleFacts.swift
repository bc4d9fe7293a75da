import FlowRoleJSON
import IAMPolicy
import Inventory
import Migration

/// What the reports say about a role beyond its fields in the plan: derived from the plan, never
/// stored in it, and the same in every format.
enum RoleFacts {
    /// The most severe unsuppressed finding of the role, or nil when it has none.
    static func severity(_ role: RolePlan) -> Finding.Severity? {
        var worst: Finding.Severity?
        for finding in role.findings where !finding.suppressed {
            if let known = worst, known <= finding.severity { continue }
            worst = finding.severity
        }
        return worst
    }

    /// Unsuppressed findings of one severity.
    static func count(_ role: RolePlan, _ severity: Finding.Severity) -> Int {
        var count = 0
        for finding in role.findings where finding.severity == severity && !finding.suppressed { count += 1 }
        return count
    }

    /// Distinct (action, resource) pairs the plan adds to the role.
    static func grantsToAdd(_ role: RolePlan) -> Int {
        role.grantCount(.add)
    }

    /// The trust change of the role, if the plan tightens its trust policy.
    static func trustChange(_ role: RolePlan) -> Change? {
        role.changes.first { $0.kind == .updateAssumeRolePolicy }
    }

    /// The statements of a policy document after the change that were not in it before, pretty-printed.
    static func addedStatements(_ change: Change) -> [String] {
        let before = Set(statements(change.before).map(\.canonicalText))
        return statements(change.after).filter { !before.contains($0.canonicalText) }.map(\.prettyText)
    }

    /// The unified diff of a change's documents, pretty-printed (keys sorted, two-space indent).
    static func diff(_ change: Change) -> String {
        diff(change, after: change.after.prettyBytes)
    }

    /// `diff(change)` when the pretty form of the document after is at hand.
    static func diff(_ change: Change, after: [UInt8]) -> String {
        UnifiedDiff.render(
            before: change.before?.prettyBytes ?? [], after: after,
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

    /// The region of a flow ARN (`arn:aws:bedrock:REGION:ACCOUNT:flow/ID`), or "" when it is no ARN.
    static func region(ofArn arn: String) -> String { (try? ARN(parsing: arn))?.region ?? "" }

    /// The account of an ARN, or "" when it is no ARN.
    static func account(ofArn arn: String) -> String { (try? ARN(parsing: arn))?.account ?? "" }

    /// `account(ofArn:)` and `region(ofArn:)`, the ARN parsed once.
    static func accountAndRegion(ofArn arn: String) -> (account: String, region: String) {
        let parsed = try? ARN(parsing: arn)
        return (parsed?.account ?? "", parsed?.region ?? "")
    }

    /// Distinct (action, resource) pairs the plan cannot add to the role (requirements in state
    /// `blocked`): whatever the role's status, the nodes needing them will fail as this role.
    static func blockedGrants(_ role: RolePlan) -> Int {
        role.grants(.blocked).count
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
    /// that match its resource or the role, then the needs of flows created after the window (the
    /// plan's `notMigrated`, each reported as NEW_FLOW_MISSING_GRANT). A NEW_FLOW_MISSING_GRANT
    /// finding with no such need (a plan edited by hand) still lists its subject as the resource.
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
        let newFlowFindings = role.findings.filter { $0.code == "NEW_FLOW_MISSING_GRANT" }
        for need in role.notMigrated {
            let why = newFlowFindings.filter { $0.subject == need.resource }
            entries.append(
                NotAdded(
                    action: need.action, resource: need.resource, flow: need.flow, version: need.version,
                    node: need.node, reason: .newFlow, codes: ["NEW_FLOW_MISSING_GRANT"],
                    accepted: !why.isEmpty && why.allSatisfy(\.suppressed)))
        }
        let covered = Set(role.notMigrated.map(\.resource))
        for finding in newFlowFindings where !covered.contains(finding.subject) {
            entries.append(
                NotAdded(
                    action: "", resource: finding.subject, flow: "", version: "", node: "", reason: .newFlow,
                    codes: [finding.code], accepted: finding.suppressed))
        }
        return entries
    }

    /// What not adding them means, one sentence per grant (action, resource), for the top of a
    /// role's detail: `lambda:InvokeFunction on ARN will NOT be added (EXPLICIT_DENY): node
    /// ExportPayroll of flow ARN (DRAFT) will fail as this role until the Deny is narrowed.`
    static func consequences(_ role: RolePlan) -> [String] {
        consequences(of: notAdded(role))
    }

    /// `consequences(role)` when `notAdded(role)` is at hand.
    static func consequences(of notAdded: [NotAdded]) -> [String] {
        var order: [[String]] = []
        var groups: [[String]: [NotAdded]] = [:]
        for entry in notAdded {
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
