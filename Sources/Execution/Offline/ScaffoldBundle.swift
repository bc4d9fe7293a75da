import FlowRoleJSON
import IAMPolicy
import Migration

/// `flowrole scaffold`: a new service role as files — the documents, the `aws` commands that
/// create it, a CloudFormation `AWS::IAM::Role`, and, for encrypted flows, the key policy
/// statements for the key's owner (never applied by flowrole).
public enum ScaffoldBundle {
    /// The files, relative to the output folder.
    public static func files(_ scaffold: RoleScaffold) -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = [("trust-policy.json", scaffold.trustPolicy.prettyBytes)]
        if let identity = scaffold.identityPolicy { files.append(("identity-policy.json", identity.prettyBytes)) }
        files += [
            ("create-role.sh", Array(commands(scaffold).utf8)),
            ("role.cfn.json", cloudFormation(scaffold).prettyBytes),
        ]
        for (key, statement) in scaffold.keyPolicyStatements {
            files.append(("kms/\(keyFileName(key)).key-policy-statement.json", statement.prettyBytes))
        }
        files.append(("README.md", Array(readme(scaffold).utf8)))
        return files
    }

    /// `key/ID` or `alias/NAME` of a key ARN, made a file name.
    static func keyFileName(_ key: String) -> String {
        let resource = (try? ARN(parsing: key))?.resource ?? key
        return String(resource.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    /// The `aws` commands that create the role (run from the folder: they read the documents). Safe
    /// to run again: an existing role gets the trust policy, and the inline policy is put again.
    static func commands(_ scaffold: RoleScaffold) -> String {
        let quote = OfflineBundle.quote
        let role = quote(scaffold.roleName)
        var text = """
            #!/usr/bin/env bash
            # Creates \(scaffold.roleArn) for \(scaffold.flows.count) flow\(scaffold.flows.count == 1 ? "" : "s"), written by flowrole scaffold.
            # Run from this folder with credentials of account \(scaffold.account).
            set -euo pipefail
            cd "$(dirname "$0")"
            if aws iam get-role --role-name \(role) >/dev/null 2>&1; then
              aws iam update-assume-role-policy --role-name \(role) --policy-document file://trust-policy.json
            else
              aws iam create-role --role-name \(role) --path \(quote(scaffold.path)) \\
                --description 'Service role for Amazon Bedrock Flows (flowrole scaffold)' \\
                --assume-role-policy-document file://trust-policy.json
            fi

            """
        if scaffold.identityPolicy != nil {
            text += """
                aws iam put-role-policy --role-name \(role) --policy-name \(quote(scaffold.policyName)) \\
                  --policy-document file://identity-policy.json

                """
        }
        if !scaffold.keyPolicyStatements.isEmpty {
            text +=
                "# The KMS key policy statements in kms/ are for each key's owner to add; this script does not change keys.\n"
        }
        return text
    }

    /// A template with the role alone, its inline policy under `Policies`.
    static func cloudFormation(_ scaffold: RoleScaffold) -> JSONValue {
        [
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": "Service role for Amazon Bedrock Flows (flowrole scaffold)",
            "Resources": [
                "FlowServiceRole": [
                    "Type": "AWS::IAM::Role",
                    "Properties": .object(
                        [
                            JSONMember("RoleName", .string(scaffold.roleName)),
                            JSONMember("Path", .string(scaffold.path)),
                            JSONMember("AssumeRolePolicyDocument", scaffold.trustPolicy),
                        ]
                            + (scaffold.identityPolicy.map {
                                [
                                    JSONMember(
                                        "Policies",
                                        [["PolicyName": .string(scaffold.policyName), "PolicyDocument": $0]])
                                ]
                            } ?? [])),
                ]
            ],
            "Outputs": ["RoleArn": ["Value": ["Fn::GetAtt": ["FlowServiceRole", "Arn"]]]],
        ]
    }

    static func readme(_ scaffold: RoleScaffold) -> String {
        var text = """
            # Service role \(scaffold.roleName)

            `\(scaffold.roleArn)`, for:

            \(scaffold.flows.map { "- `\($0)`" }.joined(separator: "\n"))

            - `trust-policy.json`: only Bedrock, only from account \(scaffold.account), only as these flows (each flow's ARN and the ARNs under it: its aliases and executions).
            - `identity-policy.json` (inline policy `\(scaffold.policyName)`): exactly the grants below, nothing else (absent when the flows need none).
            - `create-role.sh`: the `aws` commands that create the role; `role.cfn.json`: the same as a CloudFormation `AWS::IAM::Role`.

            """
        if !scaffold.keyPolicyStatements.isEmpty {
            text += """

                ## For the KMS key owner

                The flows are encrypted with a customer-managed key. The role's own grants are scoped by the
                encryption context `aws:bedrock-flows:arn`; the key policy must also let the role use the key.
                Add the statement in `kms/` to each key's policy (`aws kms get-key-policy`, edit, `aws kms
                put-key-policy`): flowrole never changes a key policy.

                \(scaffold.keyPolicyStatements.map { "- `\($0.key)`: `kms/\(keyFileName($0.key)).key-policy-statement.json`" }.joined(separator: "\n"))

                """
        }
        text += "\n## Grants and why\n\n| action | resource | flow | version | node |\n|---|---|---|---|---|\n"
        for requirement in scaffold.requirements {
            let condition = requirement.condition.map { " (under `\($0.canonicalText)`)" } ?? ""
            text +=
                "| `\(requirement.action)` | `\(requirement.resource)`\(condition) | `\(requirement.flow)` | \(requirement.version) | \(requirement.node) |\n"
        }
        if !scaffold.findings.isEmpty {
            text += "\n## To look at\n\n"
            for finding in scaffold.findings {
                text += "- **\(finding.code)** (\(finding.severity.rawValue)): \(finding.message)\n"
            }
        }
        return text
    }
}
