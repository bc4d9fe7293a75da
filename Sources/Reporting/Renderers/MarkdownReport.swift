import FlowRoleJSON
import Migration

/// `report.md`: the summary first, then per role its flows and versions, every requirement with
/// its reason (flow, version, node) and state, its findings, and a unified diff of every changed
/// document. Pure: a plan in, text out. (The reviewer-grade reports come with the reports issue.)
public enum MarkdownReport {
    public static func render(_ plan: Plan) -> String {
        let summary = plan.summary
        var out = "# flowrole plan — \(plan.migrationID)\n\n"
        out += "Legacy flows: created before \(plan.legacyBefore).\n\n"
        out +=
            "| roles | to change | blocked | flows | legacy flows | grants added | trust policies tightened | blockers | warnings |\n"
        out += "|---|---|---|---|---|---|---|---|---|\n"
        out +=
            "| \(summary.roles) | \(summary.rolesToChange) | \(summary.rolesBlocked) | \(summary.flows) | \(summary.legacyFlows) | \(summary.grantsAdded) | \(summary.trustPoliciesTightened) | \(summary.blockers) | \(summary.warnings) |\n\n"
        if !plan.findings.isEmpty {
            out += "## Findings about the whole plan\n\n"
            for finding in plan.findings { out += line(finding) }
            out += "\n"
        }
        out += "## Inputs\n\n"
        for input in plan.inputs { out += "- `\(input.path)` (\(input.kind)) sha256 `\(input.sha256)`\n" }
        out += "\n"
        for role in plan.roles {
            out += "## \(role.name) — \(role.status.rawValue)\n\n`\(role.arn)`\n\n"
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
                        "| \(planned.state.rawValue) | `\(requirement.action)` | `\(requirement.resource)` | `\(requirement.flow)` | \(requirement.version) | \(escape(requirement.node)) |\n"
                }
                out += "\n"
            }
            if !role.findings.isEmpty {
                out += "Findings:\n\n"
                for finding in role.findings { out += line(finding) }
                out += "\n"
            }
            for change in role.changes {
                let name = change.kind == .putRolePolicy ? "inline policy \(change.policyName ?? "")" : "trust policy"
                out += "\(change.kind.rawValue) — \(name):\n\n```diff\n"
                out += UnifiedDiff.render(
                    before: change.before?.prettyText ?? "", after: change.after.prettyText,
                    fromName: change.before == nil ? "/dev/null" : "before", toName: "after")
                out += "```\n\n"
            }
        }
        return out
    }

    static func line(_ finding: Finding) -> String {
        "- **\(finding.severity.rawValue)** `\(finding.code)`\(finding.suppressed ? " (suppressed)" : ""): \(escape(finding.message))\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
