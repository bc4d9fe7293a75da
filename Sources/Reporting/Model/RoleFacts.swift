import FlowRoleJSON
import IAMPolicy
import Inventory
import Migration

/// What the reports say about a role beyond its fields in the plan: derived from the plan, never
/// stored in it, and the same in every format.
enum RoleFacts {
    // The facts below read the role's arrays in place, by index: iterating them copied every
    // element (a retain per string field), for each of the 10,000 roles of the bench.

    /// The most severe unsuppressed finding of the role, or nil when it has none.
    static func severity(_ role: RolePlan) -> Finding.Severity? {
        role.findings.withUnsafeBufferPointer { findings in
            var worst: Finding.Severity?
            for index in findings.indices where !findings[index].suppressed {
                if let known = worst, known <= findings[index].severity { continue }
                worst = findings[index].severity
            }
            return worst
        }
    }

    /// Unsuppressed findings of one severity.
    static func count(_ role: RolePlan, _ severity: Finding.Severity) -> Int {
        role.findings.withUnsafeBufferPointer { findings in
            var count = 0
            for index in findings.indices where findings[index].severity == severity && !findings[index].suppressed {
                count += 1
            }
            return count
        }
    }

    /// Distinct (action, resource) pairs the plan adds to the role.
    static func grantsToAdd(_ role: RolePlan) -> Int {
        role.grantCount(.add)
    }

    /// The trust change of the role, if the plan tightens its trust policy.
    static func trustChange(_ role: RolePlan) -> Change? {
        role.changes.withUnsafeBufferPointer { changes in
            changes.indices.first { changes[$0].kind == .updateAssumeRolePolicy }.map { changes[$0] }
        }
    }

    /// Whether the plan tightens the role's trust policy (`trustChange(role) != nil`).
    static func tightensTrust(_ role: RolePlan) -> Bool {
        role.changes.withUnsafeBufferPointer { changes in
            changes.indices.contains { changes[$0].kind == .updateAssumeRolePolicy }
        }
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
        role.grantCount(.blocked)
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
    ///
    /// The requirements and findings are read in place, by index: filtering them first copied
    /// every requirement and finding (a retain per string field), a tenth of the time spent on
    /// `report.html` of the 10,000-role bench. The filtering version is the reference in the tests.
    static func notAdded(_ role: RolePlan) -> [NotAdded] {
        var entries: [NotAdded] = []
        role.findings.withUnsafeBufferPointer { findings in
            role.requirements.withUnsafeBufferPointer { requirements in
                for index in requirements.indices where requirements[index].state == .blocked {
                    // The blocker findings about the resource, or else those about the role.
                    var codes: [String] = []
                    var matched = false
                    var suppressed = true
                    func collect(_ subject: String) {
                        for finding in findings.indices
                        where findings[finding].severity == .blocker && findings[finding].subject == subject {
                            matched = true
                            suppressed = suppressed && findings[finding].suppressed
                            if !codes.contains(findings[finding].code) { codes.append(findings[finding].code) }
                        }
                    }
                    collect(requirements[index].requirement.resource)
                    if !matched { collect(role.arn) }
                    let need = requirements[index].requirement
                    entries.append(
                        NotAdded(
                            action: need.action, resource: need.resource, flow: need.flow, version: need.version,
                            node: need.node, reason: .blocked, codes: codes, accepted: matched && suppressed))
                }
            }
            role.notMigrated.withUnsafeBufferPointer { notMigrated in
                for index in notMigrated.indices {
                    var matched = false
                    var suppressed = true
                    for finding in findings.indices
                    where findings[finding].code == newFlowCode
                        && findings[finding].subject == notMigrated[index].resource
                    {
                        matched = true
                        suppressed = suppressed && findings[finding].suppressed
                    }
                    let need = notMigrated[index]
                    entries.append(
                        NotAdded(
                            action: need.action, resource: need.resource, flow: need.flow, version: need.version,
                            node: need.node, reason: .newFlow, codes: newFlowCodes, accepted: matched && suppressed))
                }
                // A set of the resources only when there are many: few needs are compared in place.
                let covered = notMigrated.count > 16 ? Set(notMigrated.lazy.map(\.resource)) : nil
                for finding in findings.indices where findings[finding].code == newFlowCode {
                    let subject = findings[finding].subject
                    let isCovered =
                        covered.map { $0.contains(subject) }
                        ?? notMigrated.contains { $0.resource == subject }
                    if isCovered { continue }
                    entries.append(
                        NotAdded(
                            action: "", resource: subject, flow: "", version: "", node: "", reason: .newFlow,
                            codes: [findings[finding].code], accepted: findings[finding].suppressed))
                }
            }
        }
        return entries
    }

    private static let newFlowCode = "NEW_FLOW_MISSING_GRANT"
    /// One array shared by every need of a new flow, rather than one allocated for each.
    private static let newFlowCodes = [newFlowCode]

    /// What not adding them means, one sentence per grant (action, resource), for the top of a
    /// role's detail: `lambda:InvokeFunction on ARN will NOT be added (EXPLICIT_DENY): node
    /// ExportPayroll of flow ARN (DRAFT) will fail as this role until the Deny is narrowed.`
    static func consequences(_ role: RolePlan) -> [String] {
        consequences(of: notAdded(role))
    }

    /// `consequences(role)` when `notAdded(role)` is at hand.
    ///
    /// The entries are grouped by grant, and the uses of a grant by their text, in order of first
    /// appearance, through ``FirstSeen`` (a few keys compared in place, rather than a dictionary
    /// keyed by arrays of strings, hashed for every entry). The dictionary version is the
    /// reference in the tests; its quirks are kept: a use whose entries so far had no version is
    /// listed again.
    static func consequences(of notAdded: [NotAdded]) -> [String] {
        var grants = FirstSeen<GrantKey>()
        var members: [[Int]] = []
        for index in notAdded.indices {
            let entry = notAdded[index]
            let (group, isNew) = grants.position(
                of: GrantKey(reason: entry.reason, action: entry.action, resource: entry.resource))
            if isNew { members.append([]) }
            members[group].append(index)
        }
        var sentences: [String] = []
        sentences.reserveCapacity(members.count)
        for group in members {
            let first = notAdded[group[0]]
            let grant = first.action.isEmpty ? first.resource : "\(first.action) on \(first.resource)"
            // "node N of flow F (DRAFT, 1)", the versions of one node of one flow together. A use
            // is listed when met while it has no version yet (as the reference does).
            var uses: [String] = []
            var versioned = FirstSeen<String>()
            var versions: [[String]] = []
            for index in group where !notAdded[index].flow.isEmpty {
                let entry = notAdded[index]
                let use = "node \(entry.node) of flow \(entry.flow)"
                let known = versioned.firstPosition(of: use)
                if known == nil { uses.append(use) }
                if !entry.version.isEmpty {
                    if let known {
                        if !versions[known].contains(entry.version) { versions[known].append(entry.version) }
                    } else {
                        _ = versioned.position(of: use)
                        versions.append([entry.version])
                    }
                }
            }
            var who = ""
            if uses.isEmpty {
                who = "the nodes that need it"
            } else {
                for (position, use) in uses.enumerated() {
                    if position > 0 { who += " and " }
                    who += use
                    if let known = versioned.firstPosition(of: use) {
                        who += " (\(versions[known].joined(separator: ", ")))"
                    }
                }
            }
            var codes: [String] = []
            var accepted = true
            for index in group {
                for code in notAdded[index].codes where !codes.contains(code) { codes.append(code) }
                accepted = accepted && notAdded[index].accepted
            }
            switch first.reason {
            case .blocked:
                let until = codes.isEmpty ? "the blocker is resolved" : codes.map(resolution).joined(separator: " and ")
                let acceptance = accepted ? " The blocker is accepted by a suppression." : ""
                let why = codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))"
                sentences.append(
                    "\(grant) will NOT be added\(why): \(who) will fail as this role until \(until).\(acceptance)")
            case .newFlow:
                sentences.append(
                    "\(grant) is NOT added (NEW_FLOW_MISSING_GRANT): flows created after the window are not migrated, so \(who) will keep failing as this role (broken today) until the grant is added (re-plan with --include-new-flows)."
                )
            }
        }
        return sentences
    }

    /// What `consequences(of:)` groups the needs by: the grant and why it is not added.
    private struct GrantKey: Hashable {
        var reason: NotAdded.Reason
        var action: String
        var resource: String
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
        guard !tightensTrust(role) else { return nil }
        if settings.skipTrust {
            return TrustReason(
                text: "The plan was made with --skip-trust: no trust policy is tightened.", codes: [])
        }
        if !role.selected {
            return TrustReason(text: "Outside the selection: the role is listed, not planned.", codes: [])
        }
        var codes: [String] = []
        role.findings.withUnsafeBufferPointer { findings in
            for index in findings.indices
            where isAboutTrust(findings[index]) && !codes.contains(findings[index].code) {
                codes.append(findings[index].code)
            }
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

/// Distinct keys numbered in order of first appearance. A role has a few grants not added and a
/// grant a few uses, so up to `linearLimit` keys are compared one by one (no hashing); beyond,
/// a dictionary takes over. Either way a key's number is that of the first key equal to it.
struct FirstSeen<Key: Hashable> {
    static var linearLimit: Int { 16 }

    private(set) var keys: [Key] = []
    private var numbers: [Key: Int]?

    /// The number of `key` if it was seen.
    func firstPosition(of key: Key) -> Int? {
        if let numbers { return numbers[key] }
        return keys.firstIndex(of: key)
    }

    /// The number of `key`, and whether it is new (numbered now).
    mutating func position(of key: Key) -> (Int, isNew: Bool) {
        if let known = firstPosition(of: key) { return (known, false) }
        keys.append(key)
        if numbers != nil {
            numbers?[key] = keys.count - 1
        } else if keys.count > Self.linearLimit {
            var all: [Key: Int] = [:]
            all.reserveCapacity(keys.count * 2)
            for (number, known) in keys.enumerated() { all[known] = number }
            numbers = all
        }
        return (keys.count - 1, true)
    }
}
