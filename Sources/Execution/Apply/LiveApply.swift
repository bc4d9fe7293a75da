import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Migration

/// `apply PLAN --live`: makes exactly the reviewed changes through the `aws` command line, in the
/// account each role ARN names, never over someone else's change and never locking out a flow.
///
/// Per account: the caller must be that account and partition (`sts get-caller-identity`, after
/// `--assume-role` when given); the account is read live (IAM authorization details, the flows of
/// every region the plan covers) and planned again with the plan's options. A role whose live
/// state differs from what the plan read (its `basis`, counting a change already made as not yet
/// made) is refused — with `--rebase` it is applied when planning it on the live state gives the
/// same change (grants added, flows pinned). Grants go first (`put-role-policy`, read back); then,
/// with the flows listed again just before, trust (`update-assume-role-policy`, read back) —
/// refused when a flow uses the role but is not pinned (`TRUST_FLOWS_CHANGED`). Every change is
/// announced in the journal, flushed to disk, before it is made. A change already at its after
/// state is skipped, so a run that was interrupted is simply run again.
public struct LiveApply: Sendable {
    public enum Phase: String, Sendable, CaseIterable {
        case grants, trust, all

        /// Whether changes of `kind` belong to this phase.
        public func covers(_ kind: Change.Kind) -> Bool {
            switch self {
            case .all: true
            case .grants: kind == .putRolePolicy
            case .trust: kind == .updateAssumeRolePolicy
            }
        }
    }

    public struct Options: Sendable {
        public var phase: Phase = .all
        /// Only these role ARNs (`--only FILE`).
        public var only: Set<String>?
        public var maxRoles: Int?
        /// Calls in flight per account.
        public var parallel = 4
        public var rebase = false
        public var includeIaCManaged = false
        /// `arn:{partition}:iam::{account}:role/NAME`: credentials per account.
        public var assumeRole: String?
        public var externalID: String?

        public init() {}
    }

    /// What happened to one role.
    public struct Outcome: Sendable, Hashable {
        public enum Result: String, Sendable, Hashable {
            /// Every change in the phase made (or already made).
            case applied
            /// Nothing in the phase to do.
            case unchanged
            /// Not attempted: drift, a wrong account, IaC, a lockout risk.
            case refused
            /// Attempted and failed.
            case failed
        }

        public var account: String
        public var role: String
        public var result: Result
        /// `DRIFT`, `WRONG_ACCOUNT`, `TRUST_FLOWS_CHANGED`, `IAC_MANAGED`, `READBACK_MISMATCH`, … or "".
        public var code: String
        public var message: String
        /// Changes made by this run.
        public var made: Int
    }

    public var plan: Plan
    public var planSHA256: String
    public var planPath: String
    public var migration: MigrationDefinition
    public var aws: AWSCommandLine
    public var options: Options
    public var journal: Journal

    public init(
        plan: Plan, planSHA256: String, planPath: String, migration: MigrationDefinition, aws: AWSCommandLine,
        options: Options, journal: Journal
    ) {
        self.plan = plan
        self.planSHA256 = planSHA256
        self.planPath = planPath
        self.migration = migration
        self.aws = aws
        self.options = options
        self.journal = journal
    }

    /// Applies the plan; one outcome per role considered, in plan order.
    public func run(progress: @Sendable (String) -> Void = { _ in }) throws(ExecutionError) -> [Outcome] {
        try journal.append([
            JSONMember("type", "run"), JSONMember("command", "apply"), JSONMember("plan", .string(planPath)),
            JSONMember("planSha256", .string(planSHA256)), JSONMember("phase", .string(options.phase.rawValue)),
        ])
        var outcomes: [Outcome] = []
        var targets: [RolePlan] = []
        for role in plan.roles where role.status == .change && !phaseChanges(role).isEmpty {
            if let only = options.only, !only.contains(role.arn) { continue }
            if !options.includeIaCManaged, role.findings.contains(where: { $0.code == "IAC_MANAGED" && !$0.suppressed })
            {
                outcomes.append(
                    Outcome(
                        account: role.account, role: role.arn, result: .refused, code: "IAC_MANAGED",
                        message:
                            "the role belongs to an infrastructure-as-code stack; change its template (or pass --include-iac-managed).",
                        made: 0))
                continue
            }
            targets.append(role)
        }
        if let maxRoles = options.maxRoles { targets = Array(targets.prefix(max(0, maxRoles))) }
        let accounts = Dictionary(grouping: targets, by: \.account)
        for account in accounts.keys.sorted() {
            let roles = accounts[account] ?? []
            progress("account \(account): \(roles.count) roles")
            outcomes += try apply(account: account, roles: roles, progress: progress)
        }
        return outcomes.sorted { $0.role < $1.role }
    }

    /// The role's changes this run's phase covers.
    func phaseChanges(_ role: RolePlan) -> [Change] {
        role.changes.filter { options.phase.covers($0.kind) }
    }

    // MARK: - One account

    private func apply(account: String, roles: [RolePlan], progress: @Sendable (String) -> Void) throws(ExecutionError)
        -> [Outcome]
    {
        let partition = roles.first.flatMap { try? ARN(parsing: $0.arn) }?.partition.rawValue ?? "aws"
        func all(_ result: Outcome.Result, _ code: String, _ message: String) -> [Outcome] {
            roles.map { Outcome(account: account, role: $0.arn, result: result, code: code, message: message, made: 0) }
        }
        // Credentials, and the account they are.
        let credentials: AWSCommandLine
        do {
            credentials = try self.aws.forAccount(
                account, partition: partition, assumeRole: options.assumeRole, externalID: options.externalID,
                sessionName: "flowrole-\(planSHA256.prefix(12))")
        } catch {
            try journal.append(accountRecord(account, caller: nil, matched: false, message: error.error.description))
            return all(.refused, "ASSUME_ROLE_FAILED", error.error.description)
        }
        let aws = credentials
        let reader = AccountReader(aws: aws, parallel: options.parallel)
        let identity: AccountReader.Identity
        do {
            identity = try reader.identity()
        } catch {
            try journal.append(accountRecord(account, caller: nil, matched: false, message: error.description))
            return all(.failed, "CALLER_UNKNOWN", error.description)
        }
        guard identity.account == account, identity.partition == partition else {
            let message =
                "the credentials are \(identity.arn) (account \(identity.account), partition \(identity.partition)), not account \(account) in partition \(partition): nothing is changed in it."
            try journal.append(accountRecord(account, caller: identity.arn, matched: false, message: message))
            return all(.refused, "WRONG_ACCOUNT", message)
        }
        try journal.append(accountRecord(account, caller: identity.arn, matched: true, message: ""))

        // The account as it is now, planned again.
        let regions = regionsToRead(account: account, roles: roles)
        progress("account \(account): reading IAM and the flows of \(regions.joined(separator: ", "))")
        let live: LiveState
        do {
            live = try LiveState.read(
                reader: reader, partition: partition, account: account, regions: regions, planned: plan,
                migration: migration)
        } catch {
            return all(.failed, "LIVE_READ_FAILED", error.description)
        }
        var decided: [String: Decision] = [:]
        for role in roles { decided[role.arn] = decide(role, live: live) }
        let decisions = decided

        // Grants, then trust with the flows listed again just before.
        var made: [String: Int] = [:]
        var failures: [String: (Outcome.Result, String, String)] = [:]
        for (arn, decision) in decisions {
            if case .refuse(let code, let message) = decision { failures[arn] = (.refused, code, message) }
        }
        let runnable = roles.filter { failures[$0.arn] == nil }
        let grantResults = Concurrent.map(runnable, limit: options.parallel) { role throws(ExecutionError) -> Int in
            guard case .apply(let changes)? = decisions[role.arn] else { return 0 }
            return try make(changes.filter { $0.kind == .putRolePolicy }, role: role, aws: aws)
        }
        for (role, result) in zip(runnable, grantResults) {
            switch result {
            case .success(let count): made[role.arn, default: 0] += count
            case .failure(let error): failures[role.arn] = (.failed, "CHANGE_FAILED", error.description)
            }
        }
        let trustRoles = runnable.filter { role in
            guard failures[role.arn] == nil, case .apply(let changes)? = decisions[role.arn] else { return false }
            return changes.contains { $0.kind == .updateAssumeRolePolicy }
        }
        if !trustRoles.isEmpty {
            progress("account \(account): listing flows again before tightening \(trustRoles.count) trust policies")
            let users: FlowUsers
            do {
                users = try FlowUsers.read(reader: reader, account: account, regions: regions)
            } catch {
                for role in trustRoles {
                    failures[role.arn] = (
                        .failed, "LIVE_READ_FAILED", "the flows could not be listed again: \(error.description)"
                    )
                }
                return outcomes(roles, account: account, made: made, failures: failures)
            }
            let trustResults = Concurrent.map(trustRoles, limit: options.parallel) {
                role throws(ExecutionError) -> Int in
                guard case .apply(let changes)? = decisions[role.arn],
                    let trust = changes.first(where: { $0.kind == .updateAssumeRolePolicy })
                else { return 0 }
                // Judged by the evaluator, as safety invariant 4: a flow listed live that could
                // assume the role under the old trust policy must still be able to under the new one.
                guard let before = trust.before.flatMap({ try? PolicyDocument(json: $0) }),
                    let after = try? PolicyDocument(json: trust.after)
                else {
                    let message = "the trust documents of the plan do not parse; not changed."
                    try journal.append(
                        changeRecord(role, trust, event: "refused", code: "TRUST_FLOWS_CHANGED", message: message))
                    throw ExecutionError("TRUST_FLOWS_CHANGED: \(message)")
                }
                let lockedOut = users.flows(using: role).filter { flow in
                    TrustInvariants.lockout(
                        flowArn: flow, flowAccount: FlowUsers.account(of: flow) ?? role.account, before: before,
                        after: after) != nil
                }
                if !lockedOut.isEmpty {
                    let message =
                        "flows using the role would lose access under the reviewed trust policy: \(lockedOut.joined(separator: ", ")); the trust change is not made (plan again)."
                    try journal.append(
                        changeRecord(role, trust, event: "refused", code: "TRUST_FLOWS_CHANGED", message: message))
                    throw ExecutionError("TRUST_FLOWS_CHANGED: \(message)")
                }
                // A flow in a region that was not listed cannot be seen: if the old policy let
                // flows of such a region in and the new one does not, the change is not made.
                let unread = "arn:\(partition):bedrock:flowrole-unlisted-region-1:\(role.account):flow/FLOWROLEPROBE"
                if TrustInvariants.lockout(flowArn: unread, flowAccount: role.account, before: before, after: after)
                    != nil
                {
                    let message =
                        "the old trust policy admits flows of regions whose flows were not listed (\(regions.joined(separator: ", ")) were); tightening it could lock out a flow not seen, so it is not made."
                    try journal.append(
                        changeRecord(role, trust, event: "refused", code: "TRUST_FLOWS_CHANGED", message: message))
                    throw ExecutionError("TRUST_FLOWS_CHANGED: \(message)")
                }
                return try make([trust], role: role, aws: aws)
            }
            for (role, result) in zip(trustRoles, trustResults) {
                switch result {
                case .success(let count): made[role.arn, default: 0] += count
                case .failure(let error):
                    let text = error.description
                    if text.hasPrefix("TRUST_FLOWS_CHANGED: ") {
                        failures[role.arn] = (.refused, "TRUST_FLOWS_CHANGED", String(text.dropFirst(21)))
                    } else {
                        failures[role.arn] = (.failed, "CHANGE_FAILED", text)
                    }
                }
            }
        }
        return outcomes(roles, account: account, made: made, failures: failures)
    }

    private func outcomes(
        _ roles: [RolePlan], account: String, made: [String: Int],
        failures: [String: (Outcome.Result, String, String)]
    ) -> [Outcome] {
        roles.map { role in
            if let (result, code, message) = failures[role.arn] {
                return Outcome(
                    account: account, role: role.arn, result: result, code: code, message: message,
                    made: made[role.arn] ?? 0)
            }
            let count = made[role.arn] ?? 0
            return Outcome(
                account: account, role: role.arn, result: .applied, code: "",
                message: count == 0 ? "already at the reviewed state" : "", made: count)
        }
    }

    /// Regions whose flows decide the roles: the plan's coverage of the account and the regions of
    /// the roles' flows.
    func regionsToRead(account: String, roles: [RolePlan]) -> [String] {
        var regions = Set(plan.coverage.filter { $0.account == account && $0.region != "*" }.map(\.region))
        for role in roles {
            for flow in role.flows {
                if let arn = try? ARN(parsing: flow.arn), !arn.region.isEmpty { regions.insert(arn.region) }
            }
        }
        return regions.sorted()
    }

    // MARK: - Deciding per role

    enum Decision: Sendable {
        /// Make these changes (the reviewed ones, or the rebased ones), skipping those already made.
        case apply([Change])
        case refuse(code: String, message: String)
    }

    /// Compares the role's live state with what the plan read.
    func decide(_ planned: RolePlan, live: LiveState) -> Decision {
        guard let current = live.plan.roles.first(where: { $0.arn.lowercased() == planned.arn.lowercased() }) else {
            return .refuse(code: "DRIFT", message: "the role is not in the account any more.")
        }
        let changes = phaseChanges(planned)
        for change in changes where live.state(of: change, role: planned) == .other {
            return .refuse(
                code: "DRIFT",
                message:
                    "its \(change.kind == .putRolePolicy ? "inline policy \(change.policyName ?? "")" : "trust policy") is neither what the plan read nor what it would write: someone else changed it."
            )
        }
        if current.basis == planned.basis { return .apply(changes) }
        guard options.rebase else {
            return .refuse(
                code: "DRIFT",
                message:
                    "the role or the flows using it changed since the plan (basis \(planned.basis.prefix(12)) planned, \(current.basis.prefix(12)) live); plan again, or use --rebase."
            )
        }
        // Planned again on the live state: the same grants and the same pinned flows, or nothing.
        let rebased = current.changes.filter { change in changes.contains { $0.kind == change.kind } }
        let sameGrants = current.grants(.add) == planned.grants(.add)
        let samePins =
            rebased.first { $0.kind == .updateAssumeRolePolicy }?.pinnedFlows
            == changes.first { $0.kind == .updateAssumeRolePolicy }?.pinnedFlows
        guard sameGrants, samePins, rebased.count == changes.count else {
            return .refuse(
                code: "DRIFT_CHANGE_DIFFERS",
                message:
                    "planned again on the live state, the role would get other grants or other pinned flows than reviewed; plan again and review."
            )
        }
        return .apply(rebased)
    }

    // MARK: - Making changes

    /// Makes `changes` on `role` in order, skipping those already at their after state; returns
    /// how many were made.
    private func make(_ changes: [Change], role: RolePlan, aws: AWSCommandLine) throws(ExecutionError) -> Int {
        var made = 0
        for change in changes {
            let current: JSONValue?
            do {
                current = try LiveState.document(of: change, roleName: role.name, aws: aws)
            } catch {
                try journal.append(
                    changeRecord(role, change, event: "failed", code: error.code, message: error.description))
                throw ExecutionError(error.description)
            }
            if LiveState.same(current, change.after) {
                try journal.append(changeRecord(role, change, event: "skipped", code: "", message: "already applied"))
                continue
            }
            guard LiveState.same(current, change.before) else {
                let message = "changed since it was read; not overwritten."
                try journal.append(changeRecord(role, change, event: "refused", code: "DRIFT", message: message))
                throw ExecutionError("DRIFT: \(message)")
            }
            try journal.append(changeRecord(role, change, event: "begin", code: "", message: ""))
            let requestID: String?
            do {
                switch change.kind {
                case .putRolePolicy:
                    requestID =
                        try aws.call(
                            "iam", "put-role-policy",
                            [
                                "--role-name", role.name, "--policy-name", change.policyName ?? "",
                                "--policy-document", change.after.canonicalText,
                            ], requestID: true
                        ).requestID
                case .updateAssumeRolePolicy:
                    requestID =
                        try aws.call(
                            "iam", "update-assume-role-policy",
                            ["--role-name", role.name, "--policy-document", change.after.canonicalText],
                            requestID: true
                        ).requestID
                }
            } catch {
                try journal.append(
                    changeRecord(role, change, event: "failed", code: error.code, message: error.description))
                throw ExecutionError(error.description)
            }
            // Read back: what IAM holds now must be the reviewed document.
            let readBack = try? LiveState.document(of: change, roleName: role.name, aws: aws)
            guard let readBack, LiveState.same(readBack, change.after) else {
                let message = "read back, the document is not the one written."
                try journal.append(
                    changeRecord(
                        role, change, event: "failed", code: "READBACK_MISMATCH", message: message, requestID: requestID
                    ))
                throw ExecutionError("READBACK_MISMATCH: \(message)")
            }
            try journal.append(changeRecord(role, change, event: "done", code: "", message: "", requestID: requestID))
            made += 1
        }
        return made
    }

    // MARK: - Journal records

    private func accountRecord(_ account: String, caller: String?, matched: Bool, message: String) -> [JSONMember] {
        [
            JSONMember("type", "account"), JSONMember("planSha256", .string(planSHA256)),
            JSONMember("account", .string(account)), JSONMember("caller", caller.map(JSONValue.string) ?? .null),
            JSONMember("matched", .bool(matched)), JSONMember("message", .string(message)),
        ]
    }

    func changeRecord(
        _ role: RolePlan, _ change: Change, event: String, code: String, message: String, requestID: String? = nil
    ) -> [JSONMember] {
        [
            JSONMember("type", "change"), JSONMember("event", .string(event)),
            JSONMember("planSha256", .string(planSHA256)), JSONMember("account", .string(role.account)),
            JSONMember("role", .string(role.arn)), JSONMember("roleName", .string(role.name)),
            JSONMember("phase", .string(change.kind == .putRolePolicy ? "grants" : "trust")),
            JSONMember("change", .string(change.kind.rawValue)),
            JSONMember("policyName", change.policyName.map(JSONValue.string) ?? .null),
            JSONMember("before", change.before ?? .null), JSONMember("after", change.after),
            JSONMember(
                "beforeSha256", change.before.map { .string(ContentDigest.sha256($0.canonicalBytes)) } ?? .null),
            JSONMember("afterSha256", .string(ContentDigest.sha256(change.after.canonicalBytes))),
            JSONMember("requestId", requestID.map(JSONValue.string) ?? .null),
            JSONMember("code", .string(code)), JSONMember("message", .string(message)),
        ]
    }
}
