import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// `plan.json` read back: every plan the planner writes decodes to itself (less what the file does
/// not hold), and every damaged file is rejected with its file and pointer.
@Suite("PlanDecoding")
struct PlanDecodingTests {
    static let migration = RequirementDeriverTests.migration

    static func examplePlan(_ configure: (inout PlannerOptions) -> Void = { _ in }) throws -> Plan {
        let inventory = try InventoryReader.read(paths: [PackageFiles.examples])
        var options = PlannerOptions()
        configure(&options)
        return Planner(migration: migration, options: options).plan(
            inventory, inputs: inventory.inputs.map { PlanInput(path: $0.path, sha256: $0.sha256, kind: $0.kind) })
    }

    /// `plan` as plan.json can give it back: no source lines, requirements (and needs of flows not
    /// migrated) naming the role's own ARN and no Sid, documents with their keys sorted (plan.json writes them so; statement and value
    /// order is kept).
    static func expected(_ plan: Plan) throws -> Plan {
        var plan = plan
        for index in plan.roles.indices {
            plan.roles[index].source?.line = nil
            for position in plan.roles[index].changes.indices {
                let change = plan.roles[index].changes[position]
                plan.roles[index].changes[position].after = try JSONValue(parsing: change.after.canonicalText)
                plan.roles[index].changes[position].before = try change.before.map { value throws(InputError) in
                    try JSONValue(parsing: value.canonicalText)
                }
            }
            for position in plan.roles[index].requirements.indices {
                plan.roles[index].requirements[position].requirement.roleArn = plan.roles[index].arn
                plan.roles[index].requirements[position].requirement.sid = ""
            }
            for position in plan.roles[index].notMigrated.indices {
                plan.roles[index].notMigrated[position].roleArn = plan.roles[index].arn
                plan.roles[index].notMigrated[position].sid = ""
            }
        }
        return plan
    }

    /// Writes `plan` as plan.json text, parses and decodes it, and checks both directions.
    static func expectRoundTrip(_ plan: Plan, _ label: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let text = plan.json.prettyText
        let decoded = try Plan(json: try JSONParser.parse(text, file: "plan.json"), file: "plan.json")
        #expect(
            decoded.json.prettyText == text, "\(label): plan.json → Plan → plan.json differs",
            sourceLocation: sourceLocation)
        #expect(decoded.summary == plan.summary, "\(label): summary", sourceLocation: sourceLocation)
        let expected = try expected(plan)
        #expect(decoded == expected, "\(label): \(difference(decoded, expected))", sourceLocation: sourceLocation)
    }

    /// The first part that differs, for a readable failure.
    static func difference(_ left: Plan, _ right: Plan) -> String {
        if left.coverage != right.coverage { return "coverage \(left.coverage) ≠ \(right.coverage)" }
        if left.roles.count != right.roles.count { return "\(left.roles.count) ≠ \(right.roles.count) roles" }
        for (one, other) in zip(left.roles, right.roles) where one != other {
            let parts: [(String, Bool)] = [
                ("source", one.source == other.source), ("selected", one.selected == other.selected),
                ("flows", one.flows == other.flows), ("requirements", one.requirements == other.requirements),
                ("changes", one.changes == other.changes), ("findings", one.findings == other.findings),
            ]
            return "role \(one.arn) differs in \(parts.filter { !$0.1 }.map(\.0))"
        }
        return "outside the roles"
    }

    // MARK: - Round trips

    @Test func theExamplePlansRoundTrip() throws {
        try Self.expectRoundTrip(try Self.examplePlan(), "default")
        try Self.expectRoundTrip(
            try Self.examplePlan {
                $0.includeNewFlows = true
                $0.timestamp = try? Instant(parsing: "2026-11-29T10:11:12.5Z")
                $0.flowRegions = ["*"]
            }, "includeNewFlows, timestamp, flowRegions")
        try Self.expectRoundTrip(try Self.examplePlan { $0.selection.roles = ["*eu*"] }, "--role *eu*")
        try Self.expectRoundTrip(
            try Self.examplePlan {
                $0.selection.excluded = ["BedrockFlowsEuClaimsRole"]
                $0.selection.regions = ["us-east-1"]
            }, "--exclude-role, --region")
        try Self.expectRoundTrip(try Self.examplePlan { $0.selection.tags = ["team=claims"] }, "--tag")
        try Self.expectRoundTrip(
            try Self.examplePlan {
                $0.suppressions = [
                    Suppression(
                        code: "EXPLICIT_DENY", subject: "*", reason: "accepted", owner: "platform",
                        expires: "2026-12-31")
                ]
                $0.today = "2026-11-29"
            }, "suppressions")
    }

    @Test(arguments: PropertiesPlannerTests.seeds)
    func everySeededPlanRoundTrips(seed: UInt64) throws {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in PropertiesPlannerTests.variants(seed: seed, inventory: inventory) {
            try Self.expectRoundTrip(PropertiesPlannerTests.plan(inventory, options), "seed \(seed), \(name)")
        }
    }

    @Test(arguments: PropertiesPlannerTests.seeds)
    func theBytesWrittenOnEveryCoreAreThePrettyForm(seed: UInt64) throws {
        let inventory = InventoryGenerator.inventory(seed: seed)
        for (name, options) in PropertiesPlannerTests.variants(seed: seed, inventory: inventory) {
            let plan = PropertiesPlannerTests.plan(inventory, options)
            #expect(Array(plan.jsonPieces.joined()) == plan.json.prettyBytes, "seed \(seed), \(name)")
        }
        // No roles, and the example account with its findings, conditions and trust changes.
        var empty = try Self.examplePlan()
        #expect(Array(empty.jsonPieces.joined()) == empty.json.prettyBytes)
        empty.roles = []
        #expect(Array(empty.jsonPieces.joined()) == empty.json.prettyBytes)
    }

    @Test func loadReadsAPlanFile() throws {
        let plan = try Self.examplePlan()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrole-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plan.json").path
        try Data(plan.json.prettyBytes).write(to: URL(fileURLWithPath: path))
        #expect(try Plan.load(path: path) == (try Self.expected(plan)))

        try Data("{\"schema\": \"flowrole.plan/v1\"}\n{}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.self) { try Plan.load(path: path) }
        do {
            _ = try Plan.load(path: path)
        } catch {
            #expect(
                error.description
                    == "\(path):2: error: a plan file holds exactly one JSON object; another value follows it.")
        }
        let missing = folder.appendingPathComponent("absent.json").path
        do {
            _ = try Plan.load(path: missing)
            Issue.record("a missing file was read")
        } catch {
            #expect(error.file == missing && error.message.hasPrefix("cannot read the plan"), "\(error)")
        }
    }

    /// Coverage keeps its partition.
    @Test func coveragePartitionsRoundTrip() throws {
        let role = RolePlan(
            arn: "arn:aws-cn:iam::111122223333:role/R", name: "R", account: "111122223333",
            source: Provenance(path: "iam.json", pointer: "/RoleDetailList/0"), basis: "b", status: .unchanged,
            selected: true, flows: [], requirements: [], changes: [], findings: [])
        let plan = Plan(
            migrationID: "m", legacyBefore: try Instant(parsing: "2024-11-23T00:00:00Z"), inputs: [],
            selection: Selection(),
            coverage: [
                Coverage(partition: "aws-cn", account: "111122223333", region: "cn-north-1", by: .flows),
                Coverage(partition: "aws-cn", account: "444455556666", region: "cn-northwest-1", by: .manifest),
                Coverage(partition: "aws-us-gov", account: "777788889999", region: "us-gov-west-1", by: .flag),
                Coverage(partition: "aws", account: "777788889999", region: "eu-west-1", by: .flag),
            ],
            roles: [role], findings: [], generatedAt: nil)
        try Self.expectRoundTrip(plan, "partitions")
    }

    // MARK: - Selection

    /// A role outside the selection is recorded as such (its findings do not count in the summary).
    @Test func theSelectedMemberIsReadAndChecked() throws {
        func role(_ name: String, selected: Bool) -> RolePlan {
            RolePlan(
                arn: "arn:aws:iam::111122223333:role/\(name)", name: name, account: "111122223333", source: nil,
                basis: "b", status: .unchanged, selected: selected, flows: [], requirements: [], changes: [],
                findings: [
                    Finding(
                        severity: .warning, code: "TRUST_NO_FLOWS", message: "no flow uses \(name).",
                        subject: "arn:aws:iam::111122223333:role/\(name)")
                ])
        }
        var selection = Selection()
        selection.tags = ["team=a"]
        let plan = Plan(
            migrationID: "m", legacyBefore: try Instant(parsing: "2024-11-23T00:00:00Z"), inputs: [],
            selection: selection, coverage: [],
            roles: [role("A", selected: false), role("B", selected: true), role("C", selected: false)],
            findings: [], generatedAt: nil)
        #expect(plan.summary.warnings == 1)
        #expect(try Plan(json: plan.json, file: "plan.json") == plan)
        let wrong = try Self.replacing(["roles", "0", "selected"], in: plan.json, with: "yes")
        #expect(
            Self.message(wrong) == "plan.json: error: at /roles/0/selected: expected true or false, found a string.")
        // Selecting a role by hand changes what the summary must say: an edit.
        let edited = try Self.replacing(["roles", "0", "selected"], in: plan.json, with: .bool(true))
        #expect(
            Self.message(edited)
                == "plan.json: error: at /summary/warnings: the summary says 1 but the plan's roles and findings give 2; the summary is derived from them, so the plan was edited after flowrole wrote it (plan again instead of editing plan.json)."
        )
    }

    // MARK: - Bad input

    /// `value` with the member at `path` set to `replacement` (added when absent), or removed when nil.
    static func replacing(_ path: [String], in value: JSONValue, with replacement: JSONValue?) throws -> JSONValue {
        guard let key = path.first else { return try #require(replacement) }
        let rest = Array(path.dropFirst())
        switch value {
        case .object(var members):
            if let position = members.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty, replacement == nil {
                    members.remove(at: position)
                } else {
                    members[position].value = try replacing(rest, in: members[position].value, with: replacement)
                }
            } else if rest.isEmpty, let replacement {
                members.append(JSONMember(key, replacement))
            } else {
                throw PlanTestError("no member \(key)")
            }
            return .object(members)
        case .array(var items):
            guard let index = Int(key), items.indices.contains(index) else { throw PlanTestError("no item \(key)") }
            if rest.isEmpty, replacement == nil {
                items.remove(at: index)
            } else {
                items[index] = try replacing(rest, in: items[index], with: replacement)
            }
            return .array(items)
        default:
            throw PlanTestError("\(key) inside \(value.kindDescription)")
        }
    }

    struct PlanTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The error decoding `json` gives, as printed.
    static func message(_ json: JSONValue) -> String {
        do {
            _ = try Plan(json: json, file: "plan.json")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func aFileThatIsNotAPlanSaysSo() throws {
        let json = try Self.examplePlan().json
        #expect(
            Self.message(try Self.replacing(["schema"], in: json, with: "flowrole.inventory/v1"))
                == "plan.json: error: at /schema: not a flowrole plan (schema \"flowrole.inventory/v1\"); this flowrole reads \"flowrole.plan/v1\"."
        )
        #expect(
            Self.message(try Self.replacing(["schema"], in: json, with: nil))
                == "plan.json: error: at /schema: not a flowrole plan (no schema); expected \"schema\": \"flowrole.plan/v1\"."
        )
        #expect(
            Self.message(try Self.replacing(["schema"], in: json, with: .number("1")))
                == "plan.json: error: at /schema: not a flowrole plan (schema is a number); expected \"flowrole.plan/v1\"."
        )
        #expect(
            Self.message(["RoleDetailList": []])
                == "plan.json: error: at /schema: not a flowrole plan (no schema); expected \"schema\": \"flowrole.plan/v1\"."
        )
        #expect(
            Self.message([.number("1"), .number("2")])
                == "plan.json: error: not a flowrole plan: expected an object with \"schema\": \"flowrole.plan/v1\", found an array."
        )
    }

    @Test func aWrongValueIsNamedByItsPointer() throws {
        let plan = try Self.examplePlan()
        let json = plan.json
        let changed = try #require(plan.roles.firstIndex { $0.status == .change })
        let withFlows = try #require(plan.roles.firstIndex { !$0.flows.isEmpty })
        let cases: [([String], JSONValue?, String)] = [
            (
                ["roles", "\(changed)", "status"], "changed",
                "at /roles/\(changed)/status: expected one of change, unchanged, blocked; found \"changed\"."
            ),
            (
                ["roles", "\(withFlows)", "flows", "0", "legacy"], "yes",
                "at /roles/\(withFlows)/flows/0/legacy: expected true or false, found a string."
            ),
            (
                ["roles", "\(withFlows)", "flows", "0", "createdAt"], "last tuesday",
                "at /roles/\(withFlows)/flows/0/createdAt: \"last tuesday\" is not a timestamp (the year must be 4 digits); expected RFC 3339 like 2024-11-22T15:04:05Z or 2024-11-22 15:04:05.123+01:00."
            ),
            (["roles", "0", "basis"], nil, "at /roles/0/basis: missing: this member is required."),
            (
                ["roles", "0", "colour"], "red",
                "at /roles/0/colour: unknown member \"colour\" (expected arn, name, account, source, basis, status, selected, flows, requirements, changes, findings, notMigrated)."
            ),
            (["roles", "0", "name"], .number("7"), "at /roles/0/name: expected a string, found a number."),
            (["roles"], [:], "at /roles: expected an array, found an object."),
            (
                ["roles", "\(changed)", "changes", "0", "after"], "{}",
                "at /roles/\(changed)/changes/0/after: expected a policy document (an object), found a string."
            ),
            (
                ["roles", "\(changed)", "changes", "0", "type"], "deleteRole",
                "at /roles/\(changed)/changes/0/type: expected one of putRolePolicy, updateAssumeRolePolicy; found \"deleteRole\"."
            ),
            (
                ["roles", "\(changed)", "findings"], [["severity": "fatal"]],
                "at /roles/\(changed)/findings/0/code: missing: this member is required."
            ),
            (
                ["findings", "0", "severity"], "fatal",
                "at /findings/0/severity: expected one of blocker, warning, info; found \"fatal\"."
            ),
            (
                ["coverage"], [["partition": "aws", "account": "1", "region": "us-east-1", "by": "guess"]],
                "at /coverage/0/by: expected one of flows, manifest, flag; found \"guess\"."
            ),
            (
                ["summary", "roles"], .number("8.0"),
                "at /summary/roles: expected a whole number of at least 0, found 8.0."
            ),
            (["migration", "legacyBefore"], nil, "at /migration/legacyBefore: missing: this member is required."),
            (["generatedAt"], .null, "at /generatedAt: expected a string, found null."),
            (
                ["selection", "tags"], ["team=a", .number("1")],
                "at /selection/tags/1: expected a string, found a number."
            ),
        ]
        for (path, replacement, expected) in cases {
            let damaged = try Self.replacing(path, in: json, with: replacement)
            #expect(Self.message(damaged) == "plan.json: error: " + expected, "\(path)")
        }
    }

    @Test func aStatusThatDisagreesWithTheChangesIsRejected() throws {
        let plan = try Self.examplePlan()
        let changed = try #require(plan.roles.firstIndex { $0.status == .change })
        let count = plan.roles[changed].changes.count
        let damaged = try Self.replacing(["roles", "\(changed)", "status"], in: plan.json, with: "unchanged")
        #expect(
            Self.message(damaged)
                == "plan.json: error: at /roles/\(changed)/status: the status is unchanged but the role has \(count) change\(count == 1 ? "" : "s"); a role changes exactly when it has changes."
        )
    }

    @Test func aHandEditedSummaryIsRejected() throws {
        let plan = try Self.examplePlan()
        let summary = plan.summary
        let edited = try Self.replacing(
            ["summary", "blockers"], in: plan.json, with: .number(String(summary.blockers - 1)))
        #expect(
            Self.message(edited)
                == "plan.json: error: at /summary/blockers: the summary says \(summary.blockers - 1) but the plan's roles and findings give \(summary.blockers); the summary is derived from them, so the plan was edited after flowrole wrote it (plan again instead of editing plan.json)."
        )
        // Editing a role instead (suppressing its blocker) leaves the summary wrong too.
        let blocked = try #require(
            plan.roles.firstIndex { $0.findings.contains { $0.severity == .blocker && !$0.suppressed } })
        let finding = try #require(
            plan.roles[blocked].findings.firstIndex { $0.severity == .blocker && !$0.suppressed })
        let suppressed = try Self.replacing(
            ["roles", "\(blocked)", "findings", "\(finding)", "suppressed"], in: plan.json, with: true)
        #expect(Self.message(suppressed).hasPrefix("plan.json: error: at /summary/"))
        // A role listed twice.
        let roles = try #require(plan.json["roles"]?.arrayValue)
        let twice = try Self.replacing(["roles"], in: plan.json, with: .array(roles + [roles[0]]))
        #expect(
            Self.message(twice)
                == "plan.json: error: at /roles/\(roles.count)/arn: the role \(plan.roles[0].arn) is listed twice (also at /roles/0)."
        )
    }

    /// Apply calls IAM with the role's name and reaches its account by its ARN: a plan whose
    /// name, account and ARN name different roles would change another role than it shows.
    @Test func aRoleWhoseNameOrAccountIsNotItsArnsIsRejected() throws {
        let plan = try Self.examplePlan()
        let role = plan.roles[0]
        let cases: [(member: String, value: JSONValue, expected: String)] = [
            (
                "name", "SomeOtherRole",
                "at /roles/0/name: the name \"SomeOtherRole\" is not the name in the role's ARN \(role.arn)."
            ),
            (
                "account", "999999999999",
                "at /roles/0/account: the account \"999999999999\" is not the account in the role's ARN \(role.arn)."
            ),
            (
                "arn", .string("arn:aws:iam::111122223333:user/\(role.name)"),
                "at /roles/0/arn: \"arn:aws:iam::111122223333:user/\(role.name)\" is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)."
            ),
            (
                "arn", "not-an-arn",
                "at /roles/0/arn: \"not-an-arn\" is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)."
            ),
        ]
        for (member, value, expected) in cases {
            let damaged = try Self.replacing(["roles", "0", member], in: plan.json, with: value)
            #expect(Self.message(damaged) == "plan.json: error: " + expected, "\(member)")
        }
    }

    @Test func aHostileValueCannotDriveTheTerminal() throws {
        let json = try Self.replacing(["roles", "0", "status"], in: try Self.examplePlan().json, with: "\u{1B}[31mx\n")
        #expect(
            Self.message(json)
                == "plan.json: error: at /roles/0/status: expected one of change, unchanged, blocked; found \"\\u{1B}[31mx\\n\"."
        )
    }
}
