import FlowRoleJSON
import Migration

/// For the owners of resources in other accounts than the plan's roles: per owning account,
/// `resource-owners/ACCOUNT.sh` with the resource-policy commands that let the roles use that
/// account's Lambda functions and Lex bot aliases, and `resource-owners/ACCOUNT.kms.json` with the
/// key policy statements for its KMS keys (`ResourceOwnerActions`). flowrole never runs them.
///
/// - Lambda: `aws lambda add-permission --function-name ARN --statement-id ID --action
///   lambda:InvokeFunction --principal ROLE_ARN --region R`. The function ARN is passed as the flow
///   names it: `--function-name` takes a name or ARN to which "you can append a version number or
///   alias", and a version's or alias's policy is its own ("If you use a qualifier, the invoker must
///   use the full ARN of that version or alias") [Lambda API reference, AddPermission]; so no
///   separate `--qualifier`. Lambda "does not support adding policies to version $LATEST" (same
///   page): such a command is written commented out. An IAM role ARN as `--principal` is accepted
///   for cross-account grants.
/// - Lex V2: `aws lexv2-models create-resource-policy-statement --resource-arn ALIAS_ARN
///   --statement-id ID --effect Allow --principal '[{"arn":"ROLE_ARN"}]' --action
///   lex:RecognizeUtterance --region R` [Lex V2 API reference, CreateResourcePolicyStatement;
///   Principal is `{arn}` or `{service}`]. The same page says "You can't create a resource policy
///   statement that allows cross-account access": the script says so, and a refusal is reported,
///   not hidden.
/// - KMS: statements only, never a command — `put-key-policy` replaces the whole key policy.
///
/// Every value is a single-quoted shell word; the script checks the caller's account first, treats
/// a statement id that already exists as done, and exits 1 at the end if any command failed.
public enum ResourceOwnerScripts {
    public static func files(_ plan: Plan, planSHA256: String) -> [(name: String, bytes: [UInt8])] {
        let actions = ResourceOwnerActions.actions(for: plan)
        let byAccount = Dictionary(grouping: actions, by: \.account)
        var files: [(name: String, bytes: [UInt8])] = []
        for account in byAccount.keys.sorted() {
            let owned = (byAccount[account] ?? []).sorted()
            files.append(("resource-owners/\(account).sh", Array(script(account, owned, planSHA256).utf8)))
            let keys = owned.filter { $0.kind == .kmsKeyPolicy }
            if !keys.isEmpty {
                files.append(
                    ("resource-owners/\(account).kms.json", keyPolicies(account, keys, planSHA256).prettyBytes))
            }
        }
        return files
    }

    static func script(_ account: String, _ actions: [ResourceOwnerAction], _ planSHA256: String) -> String {
        let name = "\(account).sh"
        var text = """
            #!/usr/bin/env bash
            # Written by flowrole from the plan with SHA-256 \(planSHA256).
            # For the owner of account \(account): the resource-policy statements that let the Bedrock
            # Flows service roles of other accounts use this account's resources. flowrole never runs
            # this script. Needs aws and credentials of \(account); safe to run again.
            set -euo pipefail
            command -v aws >/dev/null || { echo "\(name): the aws command line is needed" >&2; exit 1; }
            actual=$(aws sts get-caller-identity --query Account --output text)
            if [ "$actual" != \(quote(account)) ]; then
              echo "\(name): the credentials are account $actual, not \(account)" >&2
              exit 1
            fi
            errors=$(mktemp)
            trap 'rm -f "$errors"' EXIT
            failed=0

            # allow WHAT COMMAND...: runs the command; a statement id that already exists counts as done.
            allow() {
              local what=$1
              shift
              if "$@" >/dev/null 2>"$errors"; then
                echo "$what: allowed"
              elif grep -q 'already exists' "$errors"; then
                echo "$what: already allowed"
              else
                echo "$what: failed" >&2
                cat "$errors" >&2
                failed=$((failed + 1))
              fi
            }

            """
        for action in actions {
            text += "\n" + block(action)
        }
        let keys = Set(actions.filter { $0.kind == .kmsKeyPolicy }.map(\.resource))
        if !keys.isEmpty {
            text += """

                # KMS keys (\(keys.count)): the key policy statements in \(account).kms.json, one per key and role, are
                # for each key's owner to add to the key's policy (aws kms get-key-policy --key-id KEY
                # --policy-name default, add the statement, aws kms put-key-policy). No command is written
                # here: put-key-policy replaces the whole policy.

                """
        }
        text += """

            if [ "$failed" -gt 0 ]; then
              echo "\(name): $failed statement(s) failed; see above" >&2
              exit 1
            fi
            echo "done"

            """
        return text
    }

    static func block(_ action: ResourceOwnerAction) -> String {
        let what = "\(action.actions.joined(separator: ", ")) on \(action.resource) for \(action.role)"
        var text = comment(
            "\(action.role) needs \(action.actions.joined(separator: ", ")) on \(action.resource) (flows: \(action.flows.joined(separator: ", ")))"
        )
        let region = quote(action.region)
        switch action.kind {
        case .lambdaPermission:
            let command =
                "allow \(quote(what)) aws lambda add-permission --function-name \(quote(action.resource)) --statement-id \(quote(action.statementID)) --action 'lambda:InvokeFunction' --principal \(quote(action.role)) --region \(region)\n"
            if action.resource.hasSuffix(":$LATEST") {
                let function = String(action.resource.dropLast(":$LATEST".count))
                text += comment(
                    "Lambda does not support adding policies to version $LATEST (Lambda API reference, AddPermission). Point the node at the function, a version or an alias; for the function itself:"
                )
                text +=
                    "# allow \(quote("lambda:InvokeFunction on \(function) for \(action.role)")) aws lambda add-permission --function-name \(quote(function)) --statement-id \(quote(action.statementID)) --action 'lambda:InvokeFunction' --principal \(quote(action.role)) --region \(region)\n"
            } else {
                text += command
            }
        case .lexResourcePolicy:
            let principal = JSONValue.array([.object([JSONMember("arn", .string(action.role))])]).canonicalText
            text += comment(
                "Lex V2's API reference says CreateResourcePolicyStatement cannot create a statement that allows cross-account access; if Lex refuses it, this role cannot use the bot alias from its account: give the flow a role in this account, or move the bot."
            )
            text +=
                "allow \(quote(what)) aws lexv2-models create-resource-policy-statement --resource-arn \(quote(action.resource)) --statement-id \(quote(action.statementID)) --effect 'Allow' --principal \(quote(principal)) --action 'lex:RecognizeUtterance' --region \(region)\n"
        case .kmsKeyPolicy:
            text += comment(
                "no command: statement \(action.statementID) for the key policy is in \(action.account).kms.json (see the end of this script)."
            )
        case .other:
            text += comment(
                "no command: flowrole writes none for this kind of resource; if its service has resource policies, allow the role there."
            )
        }
        return text
    }

    /// The key policy statements, by key: `{"account", "keys": [{"key", "statements"}], "note",
    /// "plan"}`.
    static func keyPolicies(_ account: String, _ actions: [ResourceOwnerAction], _ planSHA256: String) -> JSONValue {
        let byKey = Dictionary(grouping: actions, by: \.resource)
        let keys: [JSONValue] = byKey.keys.sorted().map { key in
            .object([
                JSONMember("key", .string(key)),
                JSONMember(
                    "statements", .array((byKey[key] ?? []).sorted().compactMap(\.keyPolicyStatement))),
            ])
        }
        return .object([
            JSONMember("account", .string(account)),
            JSONMember("keys", .array(keys)),
            JSONMember(
                "note",
                "For the key owner: add each statement to its key's policy (aws kms get-key-policy, then put-key-policy with the whole policy). flowrole never applies them; a key alias ARN stands for the key it points to."
            ),
            JSONMember("plan", .string(planSHA256)),
        ])
    }

    /// A comment line (newlines in values would end the comment).
    static func comment(_ text: String) -> String {
        "# " + text.filter { !$0.isNewline } + "\n"
    }

    static func quote(_ text: String) -> String { OfflineBundle.quote(text) }
}
