import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Migration

/// An account as it is now, read through the `aws` command line with the same readers an export
/// goes through, and planned again with the plan's own options — so the live `basis` of a role
/// can be compared with the planned one.
///
/// A change already made (its document live equals the plan's after document) is counted as not
/// made: the live state is planned as if it held the before document, so an interrupted run, run
/// again, finds no drift. Only the flows the plan saw are planned with (a flow that appeared since
/// does not hide drift of the role itself; it is the trust phase's concern, which lists the flows
/// again just before tightening).
struct LiveState: Sendable {
    /// The live account planned again.
    var plan: Plan
    /// Live documents per role ARN (lower-cased): inline policies by name, and the trust policy.
    var inline: [String: [String: JSONValue]]
    var trust: [String: JSONValue]

    enum DocumentState { case before, after, other }

    static func read(
        reader: AccountReader, partition: String, account: String, regions: [String], planned: Plan,
        migration: MigrationDefinition
    ) throws(ExecutionError) -> LiveState {
        let snapshot: AccountReader.Snapshot
        do {
            // Stacks and aliases decide no grant and no trust change: not read for drift.
            snapshot = try reader.snapshot(
                partition: partition, account: account, regions: regions, cloudFormation: false, aliases: false)
        } catch {
            throw ExecutionError("account \(account): \(error.description)")
        }
        if let (region, reason) = snapshot.failedRegions.sorted(by: { $0.key < $1.key }).first {
            throw ExecutionError("account \(account): the flows of \(region) could not be read: \(reason)")
        }
        var inventory = try Self.inventory(snapshot.files, account: account)
        var inline: [String: [String: JSONValue]] = [:]
        var trust: [String: JSONValue] = [:]
        for role in inventory.roles {
            let key = role.arn.lowercased()
            for policy in role.inlinePolicies { inline[key, default: [:]][policy.name] = policy.document.json }
            if let document = role.trustPolicy?.json { trust[key] = document }
        }
        var state = LiveState(plan: planned, inline: inline, trust: trust)
        // Count changes already made as not made, and plan only with the flows the plan saw.
        let plannedRoles = Dictionary(planned.roles.map { ($0.arn.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        for index in inventory.roles.indices {
            guard let role = plannedRoles[inventory.roles[index].arn.lowercased()] else { continue }
            for change in role.changes where state.state(of: change, role: role) == .after {
                switch change.kind {
                case .putRolePolicy:
                    let name = change.policyName ?? ""
                    inventory.roles[index].inlinePolicies.removeAll { $0.name == name }
                    if let before = change.before, let document = try? PolicyDocument(json: before) {
                        inventory.roles[index].inlinePolicies.append(
                            InlinePolicy(
                                name: name, document: document, source: Provenance(path: "live", pointer: "")))
                    } else {
                        inventory.roles[index].inlinePolicyNames?.removeAll { $0 == name }
                    }
                case .updateAssumeRolePolicy:
                    if let before = change.before, let document = try? PolicyDocument(json: before) {
                        inventory.roles[index].trustPolicy = document
                    }
                }
            }
        }
        let seen = Set(planned.roles.flatMap { $0.flows.map(\.arn) })
        inventory.flows.removeAll { !seen.contains($0.arn) }
        state.plan = Planner(migration: migration, options: PlannerOptions(plan: planned)).plan(inventory, inputs: [])
        return state
    }

    /// The snapshot's files read as an inventory (written to a temporary folder: the readers take
    /// paths, and this way the live state goes through exactly the code an export does).
    static func inventory(_ files: [(name: String, bytes: [UInt8])], account: String) throws(ExecutionError)
        -> Inventory
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowrole-live-\(account)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files { try Data(file.bytes).write(to: folder.appendingPathComponent(file.name)) }
        } catch {
            throw ExecutionError("cannot write the live state of account \(account): \(error.localizedDescription)")
        }
        do {
            return try InventoryReader.read(paths: [folder.path])
        } catch {
            throw ExecutionError(
                "account \(account): the live state could not be read: "
                    + error.errors.map(\.description).joined(separator: "; "))
        }
    }

    /// Whether a change's document is live at its before state, its after state, or neither.
    func state(of change: Change, role: RolePlan) -> DocumentState {
        let key = role.arn.lowercased()
        let current: JSONValue? =
            switch change.kind {
            case .putRolePolicy: inline[key]?[change.policyName ?? ""]
            case .updateAssumeRolePolicy: trust[key]
            }
        if Self.same(current, change.after) { return .after }
        if Self.same(current, change.before) { return .before }
        return .other
    }

    /// Two documents are the same when their canonical forms are (nil: no document).
    static func same(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        switch (left, right) {
        case (nil, nil): true
        case (let left?, let right?): left.canonicalText == right.canonicalText
        default: false
        }
    }

    /// The live document a change is about: the inline policy (nil when there is none) or the
    /// trust policy, read now.
    static func document(of change: Change, roleName: String, aws: AWSCommandLine) throws(AWSError) -> JSONValue? {
        switch change.kind {
        case .putRolePolicy:
            do {
                let output = try aws.call(
                    "iam", "get-role-policy", ["--role-name", roleName, "--policy-name", change.policyName ?? ""])
                return try decoded(output.json["PolicyDocument"])
            } catch  where error.isNotFound {
                return nil
            }
        case .updateAssumeRolePolicy:
            let output = try aws.call("iam", "get-role", ["--role-name", roleName])
            return try decoded(output.json["Role"]?["AssumeRolePolicyDocument"])
        }
    }

    /// A document as the command line prints it: an object, or (some versions) URL-encoded text.
    static func decoded(_ value: JSONValue?) throws(AWSError) -> JSONValue? {
        switch value {
        case .object?: return value
        case .string(let text)?:
            let plain = text.removingPercentEncoding ?? text
            do {
                return try JSONParser.parse(plain, file: "aws")
            } catch {
                throw AWSError(
                    service: "iam", operation: "get", code: "UnreadableOutput",
                    message: "a policy document that is not JSON")
            }
        default: return nil
        }
    }
}

/// Which flows (and flow versions) use which role, listed live.
struct FlowUsers: Sendable {
    /// `ACCOUNT/lower-cased role name` → flow ARNs.
    var users: [String: Set<String>]

    static func read(reader: AccountReader, account: String, regions: [String]) throws(AWSError) -> FlowUsers {
        var users: [String: Set<String>] = [:]
        for region in regions {
            let bundle = try reader.flowBundle(region: region, aliases: false)
            for flow in bundle["flows"]?.arrayValue ?? [] {
                guard let arn = flow["arn"]?.stringValue else { continue }
                let roles =
                    [flow["executionRoleArn"]?.stringValue]
                    + (flow["versions"]?.arrayValue ?? []).map { $0["executionRoleArn"]?.stringValue }
                for role in roles.compactMap({ $0 }) {
                    guard let key = Self.key(executionRoleArn: role, flowAccount: account) else { continue }
                    users[key, default: []].insert(arn)
                }
            }
        }
        return FlowUsers(users: users)
    }

    /// `ACCOUNT/name` of an execution role ARN, read as the planner reads it (`RoleReference`: an
    /// empty account is the flow's own); the path does not matter, IAM names are unique per account
    /// regardless of case.
    static func key(executionRoleArn: String, flowAccount: String) -> String? {
        RoleReference(executionRoleArn: executionRoleArn, flowPartition: "", flowAccount: flowAccount).map {
            "\($0.account)/\($0.nameKey)"
        }
    }

    /// Every flow listed live that uses `role` (DRAFT or a version), in any region read.
    func flows(using role: RolePlan) -> [String] {
        (users["\(role.account)/\(role.name.lowercased())"] ?? []).sorted()
    }

    /// The account of a flow ARN.
    static func account(of arn: String) -> String? {
        (try? ARN(parsing: arn))?.account
    }
}
