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
        // Role i is piece 1 + i, its separator first; as in `concurrentMap`, several chunks
        // per core, so that a core that draws small roles takes more of them.
        let roles = self.roles
        let count = roles.count
        let chunks = Swift.max(1, Swift.min(count / 16, ProcessInfo.processInfo.activeProcessorCount * 16))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            // Each role read in place rather than copied out of the array.
            roles.withUnsafeBufferPointer { roles in
                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                    var writer = PrettyRoleWriter()
                    writer.bytes.reserveCapacity(16_384)
                    writer.raw(index == 0 ? "\n    " : ",\n    ")
                    writer.role(roles[index])
                    sink.put(writer.bytes, at: 1 + index)
                }
            }
        }
        sink.put(Array("\n  ]".utf8) + skeleton[at.upperBound...], at: 1 + count)
    }

    /// One role of plan.json in its place (two levels deep), as `writeJSON` writes it: the bytes
    /// of `roleJSON(role).prettyBytes(atLevel: 2)`.
    static func prettyRoleBytes(_ role: RolePlan) -> [UInt8] {
        var writer = PrettyRoleWriter()
        writer.role(role)
        return writer.bytes
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

/// plan.json's role objects written straight as indented bytes, without building a JSON value
/// per role (building, sorting and freeing those trees was a third of the time spent on plan.json).
///
/// ``Plan/roleJSON(_:)`` is the readable definition of a role; this writer must say the same,
/// byte for byte (a test compares them): each object's members in canonical order, keys sorted
/// by their UTF-8 bytes, one member or item a line, indented two spaces a level; the policy
/// documents of the changes and the conditions of the requirements by `JSONValue.writePretty`.
/// The arrays are read in place, by index: passing each element on copied every string field.
struct PrettyRoleWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The line break and key of a member at `level`, after a comma unless it is the first.
    mutating func key(_ quotedKey: StaticString, level: Int, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        JSONValue.writeNewline(atLevel: level, into: &bytes)
        raw(quotedKey)
        raw(": ")
    }

    mutating func string(_ text: String) { JSONValue.writeString(text, into: &bytes) }

    mutating func bool(_ flag: Bool) { flag ? raw("true") : raw("false") }

    /// An array whose items are at `level` + 1: `[]` when empty, as the indented form has it.
    /// `write` gets each item in place and its level.
    mutating func array<Element>(
        _ elements: [Element], level: Int, _ write: (inout PrettyRoleWriter, UnsafePointer<Element>, Int) -> Void
    ) {
        guard !elements.isEmpty else { return raw("[]") }
        raw("[")
        elements.withUnsafeBufferPointer { elements in
            guard let base = elements.baseAddress else { return }
            for index in elements.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.writeNewline(atLevel: level + 1, into: &bytes)
                write(&self, base + index, level + 1)
            }
        }
        JSONValue.writeNewline(atLevel: level, into: &bytes)
        raw("]")
    }

    /// The end of an object whose members are at `level` + 1.
    mutating func close(level: Int) {
        JSONValue.writeNewline(atLevel: level, into: &bytes)
        raw("}")
    }

    /// One role at level 2: the members of `Plan.roleJSON`, sorted.
    mutating func role(_ role: RolePlan) {
        let level = 3
        raw("{")
        key("\"account\"", level: level, first: true)
        string(role.account)
        key("\"arn\"", level: level)
        string(role.arn)
        key("\"basis\"", level: level)
        string(role.basis)
        key("\"changes\"", level: level)
        array(role.changes, level: level) { writer, change, level in writer.change(change, level: level) }
        key("\"findings\"", level: level)
        array(role.findings, level: level) { writer, finding, level in writer.finding(finding, level: level) }
        key("\"flows\"", level: level)
        array(role.flows, level: level) { writer, flow, level in
            writer.raw("{")
            writer.key("\"arn\"", level: level + 1, first: true)
            writer.string(flow.pointee.arn)
            writer.key("\"createdAt\"", level: level + 1)
            writer.string(flow.pointee.createdAt.description)
            writer.key("\"legacy\"", level: level + 1)
            writer.bool(flow.pointee.legacy)
            writer.key("\"versions\"", level: level + 1)
            writer.array(flow.pointee.versions, level: level + 1) { writer, version, _ in
                writer.string(version.pointee)
            }
            writer.close(level: level)
        }
        key("\"name\"", level: level)
        string(role.name)
        key("\"notMigrated\"", level: level)
        array(role.notMigrated, level: level) { writer, need, level in
            writer.requirement(need, state: nil, level: level)
        }
        key("\"requirements\"", level: level)
        array(role.requirements, level: level) { writer, planned, level in
            // A stored property: the pointer is always there.
            if let need = planned.pointer(to: \.requirement) {
                writer.requirement(need, state: planned.pointee.state, level: level)
            }
        }
        key("\"selected\"", level: level)
        bool(role.selected)
        key("\"source\"", level: level)
        if let source = role.source {
            raw("{")
            key("\"path\"", level: level + 1, first: true)
            string(source.path)
            key("\"pointer\"", level: level + 1)
            string(source.pointer)
            close(level: level)
        } else {
            raw("null")
        }
        key("\"status\"", level: level)
        string(role.status.rawValue)
        close(level: 2)
    }

    /// A change at `level`: `after`, `before`, `policyName` when it has one, `type`.
    mutating func change(_ change: UnsafePointer<Change>, level: Int) {
        raw("{")
        key("\"after\"", level: level + 1, first: true)
        change.pointee.after.writePretty(into: &bytes, atLevel: level + 1)
        key("\"before\"", level: level + 1)
        if let before = change.pointee.before {
            before.writePretty(into: &bytes, atLevel: level + 1)
        } else {
            raw("null")
        }
        if let name = change.pointee.policyName {
            key("\"policyName\"", level: level + 1)
            string(name)
        }
        key("\"type\"", level: level + 1)
        string(change.pointee.kind.rawValue)
        close(level: level)
    }

    /// A finding at `level`: `code`, `message`, `severity`, `subject`, `suppressed`.
    mutating func finding(_ finding: UnsafePointer<Finding>, level: Int) {
        raw("{")
        key("\"code\"", level: level + 1, first: true)
        string(finding.pointee.code)
        key("\"message\"", level: level + 1)
        string(finding.pointee.message)
        key("\"severity\"", level: level + 1)
        string(finding.pointee.severity.rawValue)
        key("\"subject\"", level: level + 1)
        string(finding.pointee.subject)
        key("\"suppressed\"", level: level + 1)
        bool(finding.pointee.suppressed)
        close(level: level)
    }

    /// A requirement at `level`, as `Plan.requirementJSON` has it: `action`, `condition` when the
    /// grant has one, `flow`, `node`, `resource`, `state` when given, `version`.
    mutating func requirement(_ need: UnsafePointer<Requirement>, state: PlannedRequirement.State?, level: Int) {
        raw("{")
        key("\"action\"", level: level + 1, first: true)
        string(need.pointee.action)
        if let condition = need.pointee.condition {
            key("\"condition\"", level: level + 1)
            condition.writePretty(into: &bytes, atLevel: level + 1)
        }
        key("\"flow\"", level: level + 1)
        string(need.pointee.flow)
        key("\"node\"", level: level + 1)
        string(need.pointee.node)
        key("\"resource\"", level: level + 1)
        string(need.pointee.resource)
        if let state {
            key("\"state\"", level: level + 1)
            string(state.rawValue)
        }
        key("\"version\"", level: level + 1)
        string(need.pointee.version)
        close(level: level)
    }
}
