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

    /// The flows a trust change pins: flow ARNs (without a trailing `/*`) that appear in the
    /// document after and not before, sorted.
    static func pinnedFlows(_ change: Change) -> [String] {
        let before = Set(change.before.map(strings) ?? [])
        var flows = Set<String>()
        for value in strings(change.after) where !before.contains(value) && value.contains(":flow/") {
            flows.insert(value.hasSuffix("/*") ? String(value.dropLast(2)) : value)
        }
        return flows.sorted()
    }

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

    private static func statements(_ document: JSONValue?) -> [JSONValue] {
        guard let statement = document?["Statement"] else { return [] }
        if case .array(let items) = statement { return items }
        return [statement]
    }

    private static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(strings)
        case .object(let members): members.flatMap { strings($0.value) }
        default: []
        }
    }
}
