import FlowRoleJSON
import Migration

/// `apply PLAN --write-to DIR`: the reviewed changes as files an operator can apply with the
/// tools they already trust — the before and after documents per account and role, `apply.sh`,
/// `rollback.sh` and a README.
///
/// `apply.sh` (bash, `aws`, `jq`; `set -euo pipefail`) checks per account that the caller is that
/// account, then per role reads every document the plan changes, canonicalises it and the stored
/// before document with `jq -S -c`, and changes the role only when all of them match (a document
/// already at its after state counts as done); a role that differs is skipped with a message, and
/// the script exits 1 at the end when any role was skipped. `rollback.sh` does the reverse: a
/// document at its after state goes back to its before state (an inline policy the plan created
/// is deleted).
public enum OfflineBundle {
    /// The files, relative to DIR. Roles are those the plan changes in `phase`, in plan order.
    public static func files(_ plan: Plan, planSHA256: String, phase: LiveApply.Phase) -> [(
        name: String, bytes: [UInt8]
    )] {
        var files: [(name: String, bytes: [UInt8])] = []
        var apply = header("apply", planSHA256: planSHA256)
        var rollback = header("rollback", planSHA256: planSHA256)
        let roles = plan.roles.filter { $0.status == .change }
        let accounts = Dictionary(grouping: roles, by: \.account)
        var iacNotes = ""
        for account in accounts.keys.sorted() {
            apply += "\ncheck_account \(quote(account))\n"
            rollback += "\ncheck_account \(quote(account))\n"
            for role in accounts[account] ?? [] {
                let changes = role.changes.filter { phase.covers($0.kind) }
                guard !changes.isEmpty else { continue }
                let folder = "roles/\(account)/\(role.name)"
                var documents: [(change: Change, before: String, after: String)] = []
                for change in changes {
                    let stem =
                        change.kind == .putRolePolicy
                        ? "\(folder)/inline.\(change.policyName ?? "")" : "\(folder)/trust"
                    files.append(("\(stem).before.json", (change.before ?? .null).prettyBytes))
                    files.append(("\(stem).after.json", change.after.prettyBytes))
                    documents.append((change, "\(stem).before.json", "\(stem).after.json"))
                }
                if role.findings.contains(where: { $0.code == "IAC_MANAGED" && !$0.suppressed }) {
                    // Owned by a stack or state: changed in its template (README), never by the scripts.
                    iacNotes += iacSnippet(role)
                    apply +=
                        "\n# \(role.arn.filter { !$0.isNewline }): managed as code, see README.md; not changed here\n"
                    continue
                }
                apply += roleBlock(role, documents, rollback: false)
                rollback += roleBlock(role, documents.reversed(), rollback: true)
            }
        }
        apply += footer
        rollback += footer
        files.append(("apply.sh", Array(apply.utf8)))
        files.append(("rollback.sh", Array(rollback.utf8)))
        files.append(contentsOf: ResourceOwnerScripts.files(plan, planSHA256: planSHA256))
        files.append(("README.md", Array(readme(plan, planSHA256: planSHA256, phase: phase, iacNotes: iacNotes).utf8)))
        return files
    }

    private static func header(_ what: String, planSHA256: String) -> String {
        """
        #!/usr/bin/env bash
        # Written by flowrole from the plan with SHA-256 \(planSHA256).
        # \(what == "apply" ? "Applies the reviewed changes" : "Restores the documents before the changes"); needs aws and jq.
        set -euo pipefail
        cd "$(dirname "$0")"
        command -v aws >/dev/null || { echo "\(what).sh: the aws command line is needed" >&2; exit 1; }
        command -v jq >/dev/null || { echo "\(what).sh: jq is needed" >&2; exit 1; }
        skipped=0

        # check_account ACCOUNT: the credentials must be that account, or its roles are skipped.
        account_ok=0
        check_account() {
          local actual
          actual=$(aws sts get-caller-identity --query Account --output text)
          if [ "$actual" != "$1" ]; then
            echo "\(what).sh: the credentials are account $actual, not $1: the roles of $1 are skipped" >&2
            account_ok=0
            skipped=$((skipped + 1))
          else
            account_ok=1
          fi
        }

        # live_inline ROLE POLICY / live_trust ROLE: the live document as canonical JSON (null: none).
        errors=$(mktemp)
        trap 'rm -f "$errors"' EXIT
        live_inline() {
          local out
          if out=$(aws iam get-role-policy --role-name "$1" --policy-name "$2" --query PolicyDocument --output json 2>"$errors"); then
            jq -S -c . <<<"$out"
          elif grep -q NoSuchEntity "$errors"; then
            echo null
          else
            cat "$errors" >&2; return 1
          fi
        }
        live_trust() {
          aws iam get-role --role-name "$1" --query Role.AssumeRolePolicyDocument --output json | jq -S -c .
        }
        stored() { jq -S -c . "$1"; }

        """
    }

    private static let footer = """

        if [ "$skipped" -gt 0 ]; then
          echo "$skipped role(s) skipped: their live documents differ from the plan's; plan again" >&2
          exit 1
        fi
        echo "done"

        """

    private static func roleBlock(
        _ role: RolePlan, _ documents: [(change: Change, before: String, after: String)], rollback: Bool
    ) -> String {
        let name = quote(role.name)
        // From (the state the script expects) → to (the state it writes).
        func from(_ document: (change: Change, before: String, after: String)) -> String {
            rollback ? document.after : document.before
        }
        func to(_ document: (change: Change, before: String, after: String)) -> String {
            rollback ? document.before : document.after
        }
        func live(_ change: Change) -> String {
            change.kind == .putRolePolicy
                ? "live_inline \(name) \(quote(change.policyName ?? ""))" : "live_trust \(name)"
        }
        var block = "\n# \(role.arn.filter { !$0.isNewline })\nif [ \"$account_ok\" = 1 ]; then\n"
        block += "ok=1\ndone_=1\n"
        for (index, document) in documents.enumerated() {
            block += "live\(index)=$(\(live(document.change)))\n"
            block +=
                "if [ \"$live\(index)\" != \"$(stored \(quote(to(document))))\" ]; then done_=0; if [ \"$live\(index)\" != \"$(stored \(quote(from(document))))\" ]; then ok=0; fi; fi\n"
        }
        block +=
            "if [ \"$done_\" = 1 ]; then\n  echo \(quote("\(role.name): already \(rollback ? "restored" : "applied")"))\n"
        block += "elif [ \"$ok\" = 0 ]; then\n"
        block +=
            "  echo \(quote("skipped \(role.name): a document differs from the one the plan \(rollback ? "wrote" : "read")")) >&2\n  skipped=$((skipped + 1))\nelse\n"
        for (index, document) in documents.enumerated() {
            block += "  if [ \"$live\(index)\" != \"$(stored \(quote(to(document))))\" ]; then\n"
            switch (document.change.kind, rollback, document.change.before) {
            case (.putRolePolicy, true, nil):
                block +=
                    "    aws iam delete-role-policy --role-name \(name) --policy-name \(quote(document.change.policyName ?? ""))\n"
            case (.putRolePolicy, _, _):
                block +=
                    "    aws iam put-role-policy --role-name \(name) --policy-name \(quote(document.change.policyName ?? "")) --policy-document \"file://\(to(document))\"\n"
            case (.updateAssumeRolePolicy, _, _):
                block +=
                    "    aws iam update-assume-role-policy --role-name \(name) --policy-document \"file://\(to(document))\"\n"
            }
            block += "  fi\n"
        }
        block += "  echo \(quote("\(role.name): \(rollback ? "restored" : "applied")"))\nfi\nfi\n"
        return block
    }

    /// For a role an infrastructure-as-code stack owns: the grant as the template would hold it.
    static func iacSnippet(_ role: RolePlan) -> String {
        guard let grants = role.changes.first(where: { $0.kind == .putRolePolicy }) else { return "" }
        let document = grants.after.prettyText
        let name = grants.policyName ?? "flowrole-grants"
        return """

            ### \(role.name)

            `\(role.arn)` belongs to an infrastructure-as-code stack: change the template, or the next
            deployment reverts the change. The inline policy to add:

            CloudFormation (`AWS::IAM::Role`, under `Properties.Policies`):

            ```json
            {"PolicyName": "\(name)", "PolicyDocument": \(grants.after.canonicalText)}
            ```

            Terraform:

            ```hcl
            resource "aws_iam_role_policy" "flowrole" {
              name   = "\(name)"
              role   = "\(role.name)"
              policy = <<EOF
            \(document)EOF
            }
            ```

            CDK (TypeScript): for each statement of the document, `role.addToPolicy(iam.PolicyStatement.fromJson(statement))`.

            """
    }

    private static func readme(_ plan: Plan, planSHA256: String, phase: LiveApply.Phase, iacNotes: String) -> String {
        let roles = plan.roles.filter { $0.status == .change }
        return """
            # flowrole changes, ready to apply

            Plan SHA-256 `\(planSHA256)`, migration `\(plan.migrationID)`, phase `\(phase.rawValue)`; \(roles.count) roles to change.

            - `roles/ACCOUNT/ROLE/` holds, per changed document, `*.before.json` (what the plan read;
              `null`: no such inline policy) and `*.after.json` (what it writes).
            - `./apply.sh` checks that the credentials are each account's, then per role compares every
              live document (canonicalised with `jq -S -c`) with the stored before document: a role whose
              documents all match is changed; a role already at the after documents is reported as
              applied; any other role is skipped with a message, and the script exits 1 at the end.
            - `./rollback.sh` restores the before documents the same way (an inline policy the plan
              created is deleted).
            - `resource-owners/ACCOUNT.sh` (and `ACCOUNT.kms.json`), when a role uses a Lambda function, Lex bot
              alias or KMS key of another account, are for that account's owner to run (and add to key policies):
              the identity policy alone is not enough across accounts; flowrole never runs them.

            Both need `aws` (any credential method: profile, SSO, environment) and `jq`, and are safe to
            run again. Review the documents before running; nothing else is changed.
            \(iacNotes.isEmpty ? "" : "\n## Roles owned by infrastructure as code\n" + iacNotes)
            """
    }

    /// A single-quoted shell word.
    static func quote(_ text: String) -> String { Shell.quote(text) }
}
