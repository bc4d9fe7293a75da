import FlowRoleJSON
import IAMPolicy
import Inventory

/// `plan.json`: the plan in the `flowrole.plan/v1` shape, keys sorted when written.
extension Plan {
    public var json: JSONValue {
        func string(_ value: String) -> JSONValue { .string(value) }
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
        func finding(_ finding: Finding) -> JSONValue {
            [
                "severity": string(finding.severity.rawValue), "code": string(finding.code),
                "message": string(finding.message), "subject": string(finding.subject),
                "suppressed": .bool(finding.suppressed),
            ]
        }
        let summary = self.summary
        var members: [JSONMember] = [
            JSONMember("schema", string(Plan.schema)),
            JSONMember("migration", ["id": string(migrationID), "legacyBefore": string(legacyBefore.description)]),
            JSONMember(
                "inputs",
                .array(inputs.map { ["path": string($0.path), "sha256": string($0.sha256), "kind": string($0.kind)] })),
            JSONMember(
                "selection",
                [
                    "accounts": .array(selection.accounts.map(string)),
                    "regions": .array(selection.regions.map(string)),
                    "roles": .array(selection.roles.map(string)), "flows": .array(selection.flows.map(string)),
                    "tags": .array(selection.tags.map(string)), "excluded": .array(selection.excluded.map(string)),
                ]),
            JSONMember(
                "coverage",
                .array(
                    coverage.map {
                        [
                            "partition": string($0.partition), "account": string($0.account),
                            "region": string($0.region), "by": string($0.by.rawValue),
                        ]
                    })),
            JSONMember(
                "summary",
                [
                    "roles": number(summary.roles), "rolesToChange": number(summary.rolesToChange),
                    "rolesBlocked": number(summary.rolesBlocked), "flows": number(summary.flows),
                    "legacyFlows": number(summary.legacyFlows), "grantsAdded": number(summary.grantsAdded),
                    "trustPoliciesTightened": number(summary.trustPoliciesTightened),
                    "blockers": number(summary.blockers),
                    "warnings": number(summary.warnings),
                ]),
            JSONMember(
                "roles",
                .array(
                    roles.map { role in
                        [
                            "arn": string(role.arn), "name": string(role.name), "account": string(role.account),
                            "source": role.source.map { ["path": string($0.path), "pointer": string($0.pointer)] }
                                ?? .null,
                            "basis": string(role.basis), "status": string(role.status.rawValue),
                            "selected": .bool(role.selected),
                            "flows": .array(
                                role.flows.map {
                                    [
                                        "arn": string($0.arn), "createdAt": string($0.createdAt.description),
                                        "legacy": .bool($0.legacy), "versions": .array($0.versions.map(string)),
                                    ]
                                }),
                            "requirements": .array(
                                role.requirements.map {
                                    [
                                        "action": string($0.requirement.action),
                                        "resource": string($0.requirement.resource),
                                        "flow": string($0.requirement.flow), "version": string($0.requirement.version),
                                        "node": string($0.requirement.node), "state": string($0.state.rawValue),
                                    ]
                                }),
                            "changes": .array(
                                role.changes.map { change in
                                    var members: [JSONMember] = [
                                        JSONMember("type", string(change.kind.rawValue)),
                                        JSONMember("before", change.before ?? .null), JSONMember("after", change.after),
                                    ]
                                    if let name = change.policyName {
                                        members.append(JSONMember("policyName", string(name)))
                                    }
                                    return .object(members)
                                }),
                            "findings": .array(role.findings.map(finding)),
                            "notMigrated": .array(
                                role.notMigrated.map {
                                    [
                                        "action": string($0.action), "resource": string($0.resource),
                                        "flow": string($0.flow), "version": string($0.version),
                                        "node": string($0.node),
                                    ]
                                }),
                        ]
                    })),
            JSONMember("findings", .array(findings.map(finding))),
            JSONMember(
                "settings",
                [
                    "includeNewFlows": .bool(settings.includeNewFlows), "skipTrust": .bool(settings.skipTrust),
                    "tightenUnconditioned": .bool(settings.tightenUnconditioned),
                    "trustPolicyMaxChars": number(settings.trustPolicyMaxCharacters),
                    "flowRegions": .array(settings.flowRegions.map(string)),
                    "iacTags": .array(settings.iacTags.map(string)),
                ]),
        ]
        if let generatedAt { members.append(JSONMember("generatedAt", string(generatedAt.description))) }
        return .object(members)
    }
}
