import Dispatch
import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory

/// `plan.json`: the plan in the `flowrole.plan/v1` shape, keys sorted when written.
extension Plan {
    public var json: JSONValue { json(roles: .array(roles.map(Self.roleJSON))) }

    /// plan.json as consecutive pieces (their concatenation is `json.prettyBytes`), for writing
    /// to a file without joining them.
    public var jsonPieces: [[UInt8]] {
        let collector = PieceCollector()
        writeJSON(into: collector)
        return collector.pieces
    }

    /// Puts plan.json into `sink` as consecutive pieces (their concatenation is
    /// `json.prettyBytes`): the roles — nearly all of the bytes — built on every core, each
    /// indented to its place, between the rest of the plan before and after the one
    /// `"roles": []` a level-one key can make.
    public func writeJSON(into sink: some PieceSink) {
        let skeleton = json(roles: .array([])).prettyBytes
        let marker = Array("\n  \"roles\": []".utf8)
        guard !roles.isEmpty, let at = skeleton.firstRange(of: marker) else {
            sink.put(roles.isEmpty ? skeleton : json.prettyBytes, at: 0)
            return
        }
        sink.put(Array(skeleton[..<(at.upperBound - 1)]), at: 0)
        // Role i is piece 2 + 2i, after its separator; as in `concurrentMap`, several chunks
        // per core, so that a core that draws small roles takes more of them.
        let roles = self.roles
        let count = roles.count
        let chunks = Swift.max(1, Swift.min(count / 16, ProcessInfo.processInfo.activeProcessorCount * 16))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                sink.put(Array((index == 0 ? "\n    " : ",\n    ").utf8), at: 1 + 2 * index)
                sink.put(Self.roleJSON(roles[index]).prettyBytes(atLevel: 2), at: 2 + 2 * index)
            }
        }
        sink.put(Array("\n  ]".utf8) + skeleton[at.upperBound...], at: 1 + 2 * count)
    }

    /// The plan as plan.json holds it, with `roleValues` as its roles.
    func json(roles roleValues: JSONValue) -> JSONValue {
        func string(_ value: String) -> JSONValue { .string(value) }
        func number(_ value: Int) -> JSONValue { .number(String(value)) }
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
            JSONMember("roles", roleValues),
            JSONMember("findings", .array(findings.map(Self.findingJSON))),
            JSONMember("settings", settingsJSON),
        ]
        if let generatedAt { members.append(JSONMember("generatedAt", string(generatedAt.description))) }
        return .object(members)
    }

    static func findingJSON(_ finding: Finding) -> JSONValue {
        [
            "severity": .string(finding.severity.rawValue), "code": .string(finding.code),
            "message": .string(finding.message), "subject": .string(finding.subject),
            "suppressed": .bool(finding.suppressed),
        ]
    }

    /// One role as plan.json holds it.
    static func roleJSON(_ role: RolePlan) -> JSONValue {
        func string(_ value: String) -> JSONValue { .string(value) }
        return
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
                        Self.requirementJSON($0.requirement, state: $0.state)
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
                "findings": .array(role.findings.map(findingJSON)),
                "notMigrated": .array(
                    role.notMigrated.map { Self.requirementJSON($0, state: nil) }),
            ]
    }

    /// The settings; `bucketOwner` only when given, so plans made without it read as before.
    var settingsJSON: JSONValue {
        var members = [
            JSONMember("includeNewFlows", .bool(settings.includeNewFlows)),
            JSONMember("skipTrust", .bool(settings.skipTrust)),
            JSONMember("tightenUnconditioned", .bool(settings.tightenUnconditioned)),
            JSONMember("trustPolicyMaxChars", .number(String(settings.trustPolicyMaxCharacters))),
            JSONMember("flowRegions", .array(settings.flowRegions.map { .string($0) })),
            JSONMember("iacTags", .array(settings.iacTags.map { .string($0) })),
        ]
        if let owner = settings.bucketOwner { members.append(JSONMember("bucketOwner", .string(owner))) }
        return .object(members)
    }

    /// A requirement as plan.json holds it; `condition` only when the grant has one (an addition to
    /// DESIGN's schema, documented in the README).
    static func requirementJSON(_ requirement: Requirement, state: PlannedRequirement.State?) -> JSONValue {
        var members = [
            JSONMember("action", .string(requirement.action)), JSONMember("resource", .string(requirement.resource)),
        ]
        if let condition = requirement.condition { members.append(JSONMember("condition", condition)) }
        members += [
            JSONMember("flow", .string(requirement.flow)), JSONMember("version", .string(requirement.version)),
            JSONMember("node", .string(requirement.node)),
        ]
        if let state { members.append(JSONMember("state", .string(state.rawValue))) }
        return .object(members)
    }
}
