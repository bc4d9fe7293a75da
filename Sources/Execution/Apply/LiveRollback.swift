import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Migration

/// `rollback JOURNAL --live`: restores every document a live apply changed (the journal's `done`
/// records hold the before and after documents) — trust policies first, then inline policies, the
/// roles in reverse order. A document live at its after state is put back to its before state (an
/// inline policy the apply created is deleted); one already at its before state is skipped, so a
/// rollback can be run again; one that is neither was changed since the apply and is refused.
public struct LiveRollback: Sendable {
    public var journalPath: String
    public var aws: AWSCommandLine
    public var assumeRole: String?
    public var externalID: String?
    public var journal: Journal

    public init(journalPath: String, aws: AWSCommandLine, assumeRole: String?, externalID: String?, journal: Journal) {
        self.journalPath = journalPath
        self.aws = aws
        self.assumeRole = assumeRole
        self.externalID = externalID
        self.journal = journal
    }

    /// One document to restore: the state before the first change and after the last.
    struct Restore: Sendable {
        var account: String
        var role: String
        var roleName: String
        var kind: String
        var policyName: String?
        var before: JSONValue?
        var after: JSONValue
        var planSHA256: String
        /// An earlier change of this document in the journal ended at another document than the
        /// one the next change started from: it was changed outside flowrole in between, and the
        /// restore goes back only to where flowrole's latest changes started.
        var keepsOutsideChange = false
    }

    /// What the journal's changes (made, or possibly made) say to restore, in the order to restore them.
    static func restores(_ records: [JSONValue]) -> [Restore] {
        var order: [String] = []
        var found: [String: Restore] = [:]
        // The before document of the last change recorded for each key.
        var lastBefore: [String: JSONValue?] = [:]
        // Done, and also begun or failed: a kill after the call, or a read-back that lagged, may
        // have left the change made. `restore` judges each from the live state (after: restore;
        // before: skip; anything else: refuse).
        let uncertain: Set<String> = ["done", "begin", "failed"]
        for record in records
        where record["type"]?.stringValue == "change" && uncertain.contains(record["event"]?.stringValue ?? "") {
            guard let role = record["role"]?.stringValue, let kind = record["change"]?.stringValue,
                let after = record["after"]
            else { continue }
            let policyName = record["policyName"]?.stringValue
            let key = "\(role)|\(kind)|\(policyName ?? "")"
            let before = record["before"] == .null ? nil : record["before"]
            defer { lastBefore[key] = .some(before) }
            if var existing = found[key] {
                // Applies of several plans share a journal. The same change recorded again (begin
                // then done, or a run again after a failure or a rollback) changes nothing here; a
                // change that starts where the last one ended continues it (back to the first
                // one's before); one that starts from another document follows a change made
                // outside flowrole, which going further back would undo (a permission someone
                // added, say): restore to this one's before.
                let sameChange =
                    lastBefore[key].map { LiveState.same(before, $0) } == true
                    && LiveState.same(after, existing.after)
                if !sameChange && !LiveState.same(before, existing.after) {
                    existing.before = before
                    existing.planSHA256 = record["planSha256"]?.stringValue ?? ""
                    existing.keepsOutsideChange = true
                }
                existing.after = after
                found[key] = existing
            } else {
                order.append(key)
                found[key] = Restore(
                    account: record["account"]?.stringValue ?? "", role: role,
                    roleName: record["roleName"]?.stringValue ?? "", kind: kind, policyName: policyName,
                    before: before, after: after,
                    planSHA256: record["planSha256"]?.stringValue ?? "")
            }
        }
        // Trust before grants (the reverse of apply), the latest change first.
        let restores = order.reversed().compactMap { found[$0] }
        return restores.filter { $0.kind == "updateAssumeRolePolicy" } + restores.filter { $0.kind == "putRolePolicy" }
    }

    public func run(progress: @Sendable (String) -> Void = { _ in }) throws(ExecutionError) -> [LiveApply.Outcome] {
        let records = try Journal.read(path: journalPath)
        let restores = Self.restores(records)
        try journal.append([
            JSONMember("type", "run"), JSONMember("command", "rollback"), JSONMember("journal", .string(journalPath)),
        ])
        var outcomes: [String: LiveApply.Outcome] = [:]
        func note(_ restore: Restore, _ result: LiveApply.Outcome.Result, _ code: String, _ message: String, made: Int)
        {
            var outcome =
                outcomes[restore.role]
                ?? LiveApply.Outcome(
                    account: restore.account, role: restore.role, result: .applied, code: "", message: "", made: 0)
            outcome.made += made
            if result != .applied || outcome.result == .applied {
                if result != .applied {
                    outcome.result = result
                    outcome.code = code
                    outcome.message = message
                }
            }
            outcomes[restore.role] = outcome
        }
        let accounts = Dictionary(grouping: restores, by: \.account)
        for account in accounts.keys.sorted() {
            let list = restores.filter { $0.account == account }
            progress("account \(account): \(list.count) documents to restore")
            let partition = list.first.flatMap { try? ARN(parsing: $0.role) }?.partition.rawValue ?? "aws"
            let aws: AWSCommandLine
            do {
                aws = try self.aws.forAccount(
                    account, partition: partition, assumeRole: assumeRole, externalID: externalID,
                    sessionName: "flowrole-rollback-\(list.first?.planSHA256.prefix(12) ?? "")")
            } catch {
                for restore in list {
                    note(restore, .refused, "ASSUME_ROLE_FAILED", error.error.description, made: 0)
                }
                continue
            }
            let identity: AccountReader.Identity
            do {
                identity = try AccountReader(aws: aws).identity()
            } catch {
                for restore in list { note(restore, .failed, "CALLER_UNKNOWN", error.description, made: 0) }
                continue
            }
            guard identity.account == account, identity.partition == partition else {
                let message = "the credentials are \(identity.arn), not account \(account): nothing is restored in it."
                for restore in list { note(restore, .refused, "WRONG_ACCOUNT", message, made: 0) }
                continue
            }
            for restore in list {
                do {
                    let made = try self.restore(restore, aws: aws)
                    note(restore, .applied, "", "", made: made)
                } catch {
                    let text = error.description
                    let refused = text.hasPrefix("CHANGED_SINCE_APPLY")
                    note(
                        restore, refused ? .refused : .failed, refused ? "CHANGED_SINCE_APPLY" : "CHANGE_FAILED", text,
                        made: 0)
                }
            }
        }
        return outcomes.values.sorted { $0.role < $1.role }
    }

    /// Restores one document; returns 1 when it was changed, 0 when it already was at its before state.
    private func restore(_ restore: Restore, aws: AWSCommandLine) throws(ExecutionError) -> Int {
        let change = Change(
            kind: restore.kind == "putRolePolicy" ? .putRolePolicy : .updateAssumeRolePolicy,
            policyName: restore.policyName, before: restore.before, after: restore.after)
        let current: JSONValue?
        do throws(AWSError) {
            current = try LiveState.document(of: change, roleName: restore.roleName, aws: aws)
        } catch {
            throw ExecutionError(error.description)
        }
        if LiveState.same(current, restore.before) {
            try record(restore, event: "skipped", message: "already at the state before the apply")
            return 0
        }
        guard LiveState.same(current, restore.after) else {
            let message = "changed since the apply (neither the applied nor the original document); not overwritten."
            try record(restore, event: "refused", message: message)
            throw ExecutionError("CHANGED_SINCE_APPLY: \(message)")
        }
        if change.kind == .updateAssumeRolePolicy && restore.before == nil {
            throw ExecutionError("a trust change without its before document in the journal")
        }
        try record(restore, event: "begin", message: "")
        var doneMessage = ""
        do throws(AWSError) {
            switch (change.kind, restore.before) {
            case (.putRolePolicy, nil):
                do throws(AWSError) {
                    _ = try aws.call(
                        "iam", "delete-role-policy",
                        ["--role-name", restore.roleName, "--policy-name", restore.policyName ?? ""], requestID: true)
                } catch  where error.isNotFound {
                    // The one call that is not idempotent. When a delete's answer is lost (a 5xx or
                    // a dropped connection after IAM deleted it), the retry — flowrole's, or
                    // botocore's inside one `aws` run — finds the policy gone: the state wanted.
                    // The read-back below still checks it.
                    doneMessage =
                        "the policy was already gone when deleted (an earlier attempt of the same call deleted it, or someone else did)."
                }
            case (.putRolePolicy, let before?):
                _ = try aws.call(
                    "iam", "put-role-policy",
                    [
                        "--role-name", restore.roleName, "--policy-name", restore.policyName ?? "",
                        "--policy-document", before.canonicalText,
                    ], requestID: true)
            case (.updateAssumeRolePolicy, let before):
                _ = try aws.call(
                    "iam", "update-assume-role-policy",
                    ["--role-name", restore.roleName, "--policy-document", (before ?? .null).canonicalText],
                    requestID: true)
            }
        } catch {
            try record(restore, event: "failed", message: error.description)
            throw ExecutionError(error.description)
        }
        let readBack = try? LiveState.document(of: change, roleName: restore.roleName, aws: aws)
        guard LiveState.same(readBack ?? nil, restore.before) else {
            try record(restore, event: "failed", message: "read back, the document is not the one restored.")
            throw ExecutionError("READBACK_MISMATCH")
        }
        if restore.keepsOutsideChange && doneMessage.isEmpty {
            doneMessage =
                "restored to the document this journal's latest changes started from: it was changed outside flowrole between two applies, and that change is kept."
        }
        try record(restore, event: "done", message: doneMessage)
        return 1
    }

    private func record(_ restore: Restore, event: String, message: String) throws(ExecutionError) {
        try journal.append([
            JSONMember("type", "rollback"), JSONMember("event", .string(event)),
            JSONMember("planSha256", .string(restore.planSHA256)), JSONMember("account", .string(restore.account)),
            JSONMember("role", .string(restore.role)), JSONMember("roleName", .string(restore.roleName)),
            JSONMember("change", .string(restore.kind)),
            JSONMember("policyName", restore.policyName.map(JSONValue.string) ?? .null),
            JSONMember("before", restore.before ?? .null), JSONMember("after", restore.after),
            JSONMember("message", .string(message)),
        ])
    }
}
