import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory

/// Reading `plan.json` back (`flowrole show`, later `apply`): the `flowrole.plan/v1` shape that
/// `Plan.json` writes (PlanJSON.swift), checked member by member. Every mistake names the file and the JSON pointer of the
/// value at fault (`plan.json: error: at /roles/3/status: expected one of change, unchanged,
/// blocked; found "changed".`); unknown members are errors, like a misspelt key in a migration file.
extension Plan {
    /// Reads and checks a plan file.
    public static func load(path: String) throws(InputError) -> Plan {
        try loadWithDigest(path: path).plan
    }

    /// Reads and checks a plan file, with the SHA-256 of its bytes (a live apply's journal and
    /// role session name carry it), reading the file once.
    public static func loadWithDigest(path: String) throws(InputError) -> (plan: Plan, sha256: String) {
        let file = try JSONFile(path: path, name: "plan file")
        return (try Plan(json: file.value, file: path), ContentDigest.sha256(file.bytes))
    }

    /// Checks a parsed plan and rebuilds the value `json` was written from. `plan.json` holds less
    /// than the value, so some members are filled in:
    ///
    /// - a role's `source` has no line (nil);
    /// - a requirement's `roleArn` is the role's ARN and its `sid` is empty.
    ///
    /// `summary` is derived data: it must equal the summary of the roles and findings read, or the
    /// plan was edited after flowrole wrote it and is rejected.
    public init(json: JSONValue, file: String) throws(InputError) {
        let reader = PlanReader(file: file)
        // The schema first: a file that is not a plan gets that answer, not a complaint about a member.
        guard json.isObject else {
            throw reader.fail(
                "",
                "not a flowrole plan: expected an object with \"schema\": \"\(Plan.schema)\", found \(json.kindDescription)."
            )
        }
        switch json["schema"] {
        case .string(Plan.schema)?: break
        case .string(let other)?:
            throw reader.fail(
                "/schema", "not a flowrole plan (schema \"\(other)\"); this flowrole reads \"\(Plan.schema)\".")
        case let other?:
            throw reader.fail(
                "/schema", "not a flowrole plan (schema is \(other.kindDescription)); expected \"\(Plan.schema)\".")
        case nil:
            throw reader.fail("/schema", "not a flowrole plan (no schema); expected \"schema\": \"\(Plan.schema)\".")
        }
        try reader.checkMembers(
            json, "",
            required: [
                "schema", "migration", "inputs", "selection", "coverage", "summary", "roles", "findings", "settings",
            ],
            optional: ["generatedAt"])

        let migration = json["migration"]
        try reader.checkMembers(migration, "/migration", required: ["id", "legacyBefore"])
        migrationID = try reader.string(migration?["id"], "/migration/id")
        legacyBefore = try reader.instant(migration?["legacyBefore"], "/migration/legacyBefore")
        generatedAt = try json["generatedAt"].map { value throws(InputError) in
            try reader.instant(value, "/generatedAt")
        }

        inputs = try reader.list(json["inputs"], "/inputs") { item, pointer throws(InputError) in
            try reader.checkMembers(item, pointer, required: ["path", "sha256", "kind"])
            return PlanInput(
                path: try reader.string(item["path"], pointer + "/path"),
                sha256: try reader.string(item["sha256"], pointer + "/sha256"),
                kind: try reader.string(item["kind"], pointer + "/kind"))
        }

        let selectionValue = json["selection"]
        try reader.checkMembers(
            selectionValue, "/selection", required: ["accounts", "regions", "roles", "flows", "tags", "excluded"])
        var selection = Selection()
        selection.accounts = try reader.strings(selectionValue?["accounts"], "/selection/accounts")
        selection.regions = try reader.strings(selectionValue?["regions"], "/selection/regions")
        selection.roles = try reader.strings(selectionValue?["roles"], "/selection/roles")
        selection.flows = try reader.strings(selectionValue?["flows"], "/selection/flows")
        selection.tags = try reader.strings(selectionValue?["tags"], "/selection/tags")
        selection.excluded = try reader.strings(selectionValue?["excluded"], "/selection/excluded")
        self.selection = selection

        var seen: [String: Int] = [:]
        roles = try reader.list(json["roles"], "/roles") { item, pointer throws(InputError) in
            let role = try reader.role(item, pointer)
            if let first = seen[role.arn] {
                throw reader.fail(pointer + "/arn", "the role \(role.arn) is listed twice (also at /roles/\(first)).")
            }
            seen[role.arn] = seen.count
            return role
        }
        findings = try reader.list(json["findings"], "/findings", reader.finding)

        coverage = try reader.list(json["coverage"], "/coverage") { item, pointer throws(InputError) in
            try reader.checkMembers(item, pointer, required: ["partition", "account", "region", "by"])
            return Coverage(
                partition: try reader.string(item["partition"], pointer + "/partition"),
                account: try reader.string(item["account"], pointer + "/account"),
                region: try reader.string(item["region"], pointer + "/region"),
                by: try reader.choice(item["by"], pointer + "/by", [Coverage.Basis.flows, .manifest, .flag]))
        }

        let settingsValue = json["settings"]
        try reader.checkMembers(
            settingsValue, "/settings",
            required: [
                "includeNewFlows", "skipTrust", "tightenUnconditioned", "trustPolicyMaxChars", "flowRegions", "iacTags",
            ], optional: ["bucketOwner"])
        settings.includeNewFlows = try reader.bool(settingsValue?["includeNewFlows"], "/settings/includeNewFlows")
        settings.skipTrust = try reader.bool(settingsValue?["skipTrust"], "/settings/skipTrust")
        settings.tightenUnconditioned = try reader.bool(
            settingsValue?["tightenUnconditioned"], "/settings/tightenUnconditioned")
        settings.trustPolicyMaxCharacters = try reader.count(
            settingsValue?["trustPolicyMaxChars"], "/settings/trustPolicyMaxChars")
        settings.flowRegions = try reader.strings(settingsValue?["flowRegions"], "/settings/flowRegions")
        settings.iacTags = try reader.strings(settingsValue?["iacTags"], "/settings/iacTags")
        if let owner = settingsValue?["bucketOwner"] {
            settings.bucketOwner = try reader.string(owner, "/settings/bucketOwner")
        }

        let written = try reader.summary(json["summary"])
        try reader.check(written: written, derived: summary)
    }
}

/// The member-by-member checks of `Plan.init(json:file:)`: each names the file and the pointer.
private struct PlanReader {
    var file: String

    func fail(_ pointer: String, _ message: String) -> InputError {
        InputError(file: file, pointer: pointer, message: message)
    }

    /// "expected WHAT, found a number." or, when the member is missing, "missing: expected WHAT."
    func mismatch(_ value: JSONValue?, _ pointer: String, expected: String) -> InputError {
        guard let value else { return fail(pointer, "missing: expected \(expected).") }
        return fail(pointer, "expected \(expected), found \(value.kindDescription).")
    }

    /// An object whose members are among `required` (all present) and `optional`.
    /// An optional IAM `Condition` block: operator → key → a string or a list of strings.
    func condition(_ value: JSONValue?, _ pointer: String) throws(InputError) -> JSONValue? {
        guard let value else { return nil }
        guard case .object(let clauses) = value, !clauses.isEmpty else {
            throw mismatch(value, pointer, expected: "a non-empty Condition object")
        }
        for clause in clauses {
            let clausePointer = pointer + "/" + InputError.pointerToken(clause.key)
            guard case .object(let keys) = clause.value, !keys.isEmpty else {
                throw mismatch(clause.value, clausePointer, expected: "an object of condition keys")
            }
            for key in keys where key.value.stringList == nil {
                throw mismatch(
                    key.value, clausePointer + "/" + InputError.pointerToken(key.key),
                    expected: "a string or a list of strings")
            }
        }
        return value
    }

    func checkMembers(_ value: JSONValue?, _ pointer: String, required: [String], optional: [String] = [])
        throws(InputError)
    {
        guard case .object(let members)? = value else { throw mismatch(value, pointer, expected: "an object") }
        let allowed = Set(required + optional)
        for member in members where !allowed.contains(member.key) {
            throw fail(
                pointer + "/" + InputError.pointerToken(member.key),
                "unknown member \"\(member.key)\" (expected \((required + optional).joined(separator: ", "))).")
        }
        let present = Set(members.map(\.key))
        for key in required where !present.contains(key) {
            throw fail(pointer + "/" + key, "missing: this member is required.")
        }
    }

    func string(_ value: JSONValue?, _ pointer: String) throws(InputError) -> String {
        guard case .string(let text)? = value else { throw mismatch(value, pointer, expected: "a string") }
        return text
    }

    func bool(_ value: JSONValue?, _ pointer: String) throws(InputError) -> Bool {
        guard case .bool(let flag)? = value else { throw mismatch(value, pointer, expected: "true or false") }
        return flag
    }

    func count(_ value: JSONValue?, _ pointer: String) throws(InputError) -> Int {
        guard case .number(let text)? = value else { throw mismatch(value, pointer, expected: "a whole number") }
        guard let number = Int(text), number >= 0 else {
            throw fail(pointer, "expected a whole number of at least 0, found \(text).")
        }
        return number
    }

    func instant(_ value: JSONValue?, _ pointer: String) throws(InputError) -> Instant {
        let text = try string(value, pointer)
        do {
            return try Instant(parsing: text)
        } catch {
            throw fail(pointer, error.description)
        }
    }

    /// A string that must be one of `cases`' raw values.
    func choice<Value: RawRepresentable>(_ value: JSONValue?, _ pointer: String, _ cases: [Value]) throws(InputError)
        -> Value where Value.RawValue == String
    {
        let names = cases.map(\.rawValue).joined(separator: ", ")
        guard case .string(let text)? = value else { throw mismatch(value, pointer, expected: "one of \(names)") }
        guard let match = cases.first(where: { $0.rawValue == text }) else {
            throw fail(pointer, "expected one of \(names); found \"\(text)\".")
        }
        return match
    }

    func list<Element>(
        _ value: JSONValue?, _ pointer: String, _ element: (JSONValue, String) throws(InputError) -> Element
    ) throws(InputError) -> [Element] {
        guard case .array(let items)? = value else { throw mismatch(value, pointer, expected: "an array") }
        var elements: [Element] = []
        elements.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            elements.append(try element(item, "\(pointer)/\(index)"))
        }
        return elements
    }

    func strings(_ value: JSONValue?, _ pointer: String) throws(InputError) -> [String] {
        try list(value, pointer) { item, pointer throws(InputError) in try string(item, pointer) }
    }

    /// A policy document: an object (DESIGN: documents are objects, not strings).
    func document(_ value: JSONValue?, _ pointer: String) throws(InputError) -> JSONValue {
        guard let value, value.isObject else {
            throw mismatch(value, pointer, expected: "a policy document (an object)")
        }
        return value
    }

    func finding(_ item: JSONValue, _ pointer: String) throws(InputError) -> Finding {
        try checkMembers(item, pointer, required: ["severity", "code", "message", "subject", "suppressed"])
        return Finding(
            severity: try choice(item["severity"], pointer + "/severity", [Finding.Severity.blocker, .warning, .info]),
            code: try string(item["code"], pointer + "/code"),
            message: try string(item["message"], pointer + "/message"),
            subject: try string(item["subject"], pointer + "/subject"),
            suppressed: try bool(item["suppressed"], pointer + "/suppressed"))
    }

    func role(_ item: JSONValue, _ pointer: String) throws(InputError) -> RolePlan {
        try checkMembers(
            item, pointer,
            required: [
                "arn", "name", "account", "source", "basis", "status", "selected", "flows", "requirements", "changes",
                "findings", "notMigrated",
            ])
        let arn = try string(item["arn"], pointer + "/arn")
        var source: Provenance?
        if let value = item["source"], value != .null {
            try checkMembers(value, pointer + "/source", required: ["path", "pointer"])
            source = Provenance(
                path: try string(value["path"], pointer + "/source/path"),
                pointer: try string(value["pointer"], pointer + "/source/pointer"))
        }
        let flows = try list(item["flows"], pointer + "/flows") { flow, pointer throws(InputError) in
            try checkMembers(flow, pointer, required: ["arn", "createdAt", "legacy", "versions"])
            return RoleFlow(
                arn: try string(flow["arn"], pointer + "/arn"),
                createdAt: try instant(flow["createdAt"], pointer + "/createdAt"),
                legacy: try bool(flow["legacy"], pointer + "/legacy"),
                versions: try strings(flow["versions"], pointer + "/versions"))
        }
        let requirements = try list(item["requirements"], pointer + "/requirements") {
            requirement, pointer throws(InputError) in
            try checkMembers(
                requirement, pointer, required: ["action", "resource", "flow", "version", "node", "state"],
                optional: ["condition"])
            return PlannedRequirement(
                requirement: Requirement(
                    action: try string(requirement["action"], pointer + "/action"),
                    resource: try string(requirement["resource"], pointer + "/resource"),
                    flow: try string(requirement["flow"], pointer + "/flow"),
                    version: try string(requirement["version"], pointer + "/version"),
                    node: try string(requirement["node"], pointer + "/node"),
                    roleArn: arn, sid: "", condition: try condition(requirement["condition"], pointer + "/condition")),
                state: try choice(
                    requirement["state"], pointer + "/state", [PlannedRequirement.State.add, .granted, .blocked]))
        }
        let changes = try list(item["changes"], pointer + "/changes") { change, pointer throws(InputError) in
            try checkMembers(change, pointer, required: ["type", "before", "after"], optional: ["policyName"])
            let kind = try choice(
                change["type"], pointer + "/type", [Change.Kind.putRolePolicy, .updateAssumeRolePolicy])
            var policyName: String?
            if kind == .putRolePolicy || change["policyName"] != nil {
                policyName = try string(change["policyName"], pointer + "/policyName")
            }
            // Not `nil` alone: JSONValue is ExpressibleByNilLiteral, so that would be a `.null` document.
            let before: JSONValue? =
                change["before"] == .null ? Optional.none : try document(change["before"], pointer + "/before")
            return Change(
                kind: kind, policyName: policyName, before: before,
                after: try document(change["after"], pointer + "/after"))
        }
        let status = try choice(item["status"], pointer + "/status", [RolePlan.Status.change, .unchanged, .blocked])
        // The planner sets `change` exactly when there is something to change.
        if (status == .change) != !changes.isEmpty {
            throw fail(
                pointer + "/status",
                "the status is \(status.rawValue) but the role has \(changes.count) change\(changes.count == 1 ? "" : "s"); a role changes exactly when it has changes."
            )
        }
        // Apply and rollback call IAM with the name and reach the account by the ARN: the three
        // must name one role, as the inventory reader checks them on every export.
        let name = try string(item["name"], pointer + "/name")
        let account = try string(item["account"], pointer + "/account")
        guard let parsed = try? ARN(parsing: arn), parsed.service == "iam", parsed.resource.hasPrefix("role/") else {
            throw fail(pointer + "/arn", "\"\(arn)\" is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME).")
        }
        guard parsed.resource.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) == name
        else {
            throw fail(pointer + "/name", "the name \"\(name)\" is not the name in the role's ARN \(arn).")
        }
        guard parsed.account == account else {
            throw fail(pointer + "/account", "the account \"\(account)\" is not the account in the role's ARN \(arn).")
        }
        return RolePlan(
            arn: arn,
            name: name,
            account: account,
            source: source,
            basis: try string(item["basis"], pointer + "/basis"),
            status: status,
            selected: try bool(item["selected"], pointer + "/selected"),
            flows: flows, requirements: requirements, changes: changes,
            findings: try list(item["findings"], pointer + "/findings", finding),
            notMigrated: try list(item["notMigrated"], pointer + "/notMigrated") { need, pointer throws(InputError) in
                try checkMembers(
                    need, pointer, required: ["action", "resource", "flow", "version", "node"], optional: ["condition"])
                return Requirement(
                    action: try string(need["action"], pointer + "/action"),
                    resource: try string(need["resource"], pointer + "/resource"),
                    flow: try string(need["flow"], pointer + "/flow"),
                    version: try string(need["version"], pointer + "/version"),
                    node: try string(need["node"], pointer + "/node"), roleArn: arn, sid: "",
                    condition: try condition(need["condition"], pointer + "/condition"))
            })
    }

    /// The members of `summary`, in the order DESIGN lists them.
    static var summaryFields: [(name: String, path: WritableKeyPath<Plan.Summary, Int>)] {
        [
            ("roles", \.roles), ("rolesToChange", \.rolesToChange), ("rolesBlocked", \.rolesBlocked),
            ("flows", \.flows), ("legacyFlows", \.legacyFlows), ("grantsAdded", \.grantsAdded),
            ("trustPoliciesTightened", \.trustPoliciesTightened), ("blockers", \.blockers),
            ("warnings", \.warnings),
        ]
    }

    func summary(_ value: JSONValue?) throws(InputError) -> Plan.Summary {
        try checkMembers(value, "/summary", required: Self.summaryFields.map(\.name))
        var summary = Plan.Summary()
        for field in Self.summaryFields {
            summary[keyPath: field.path] = try count(value?[field.name], "/summary/" + field.name)
        }
        return summary
    }

    /// The summary in the file against the one the roles and findings give.
    func check(written: Plan.Summary, derived: Plan.Summary) throws(InputError) {
        for field in Self.summaryFields where written[keyPath: field.path] != derived[keyPath: field.path] {
            throw fail(
                "/summary/" + field.name,
                "the summary says \(written[keyPath: field.path]) but the plan's roles and findings give \(derived[keyPath: field.path]); the summary is derived from them, so the plan was edited after flowrole wrote it (plan again instead of editing plan.json)."
            )
        }
    }
}
