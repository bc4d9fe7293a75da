public import FlowRoleJSON
import IAMPolicy

/// What `flowrole inventory` prints: everything read, as text for people or as JSON. Pure: the
/// inventory in, text out.
public enum InventorySummary {
    /// Flows (and versions) that run as each role, by role ARN.
    static func flowsByRole(_ inventory: Inventory) -> [String: [String]] {
        var out: [String: Set<String>] = [:]
        let lookup = RoleLookup(roles: inventory.roles)
        for flow in inventory.flows {
            let uses = [("DRAFT", flow.executionRoleArn)] + flow.versions.map { ($0.version, $0.executionRoleArn) }
            for (version, roleArn) in uses {
                guard
                    let role = lookup.role(
                        forExecutionRoleArn: roleArn, flowPartition: flow.partition, flowAccount: flow.account)
                else { continue }
                out[role.arn, default: []].insert("\(flow.arn) (\(version))")
            }
        }
        return out.mapValues { $0.sorted() }
    }

    public static func json(_ inventory: Inventory) -> JSONValue {
        let byRole = flowsByRole(inventory)
        let lookup = RoleLookup(roles: inventory.roles)
        func provenance(_ source: Provenance?) -> JSONValue {
            guard let source else { return .null }
            var members: [JSONMember] = [
                JSONMember("path", .string(source.path)), JSONMember("pointer", .string(source.pointer)),
            ]
            if let line = source.line { members.append(JSONMember("line", .number(String(line)))) }
            return .object(members)
        }
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        let roles: [JSONValue] = inventory.roles.map { role in
            [
                "arn": .string(role.arn), "name": .string(role.name), "path": .string(role.path),
                "account": .string(role.account), "partition": .string(role.partition),
                "source": provenance(role.sources.first), "sources": .array(role.sources.map(provenance)),
                "trustPolicy": role.trustPolicy == nil ? .bool(false) : .bool(true),
                "inlinePolicies": strings(role.inlinePolicies.map(\.name)),
                "inlinePolicyNames": role.inlinePolicyNames.map(strings) ?? .null,
                "attachedPolicies": role.attachedPolicies.map { strings($0.map(\.arn)) } ?? .null,
                "permissionsBoundary": role.boundaryKnown ? optional(role.permissionsBoundaryArn) : .string("unknown"),
                "tags": role.tags.map { .object($0.map { JSONMember($0.key, .string($0.value)) }) } ?? .null,
                "usedBy": strings(byRole[role.arn] ?? []),
            ]
        }
        let policies: [JSONValue] = inventory.managedPolicies.map { policy in
            [
                "arn": .string(policy.arn), "defaultVersionId": optional(policy.defaultVersion?.versionId),
                "versions": strings(policy.versions.map(\.versionId)), "source": provenance(policy.sources.first),
            ]
        }
        let flows: [JSONValue] = inventory.flows.map { flow in
            let nodeTypes = Dictionary(grouping: flow.definition.allNodes, by: \.type).mapValues {
                JSONValue.number(String($0.count))
            }
            return [
                "arn": .string(flow.arn), "name": .string(flow.name), "account": .string(flow.account),
                "region": .string(flow.region), "createdAt": .string(flow.createdAt.instant.description),
                "status": optional(flow.status), "executionRoleArn": .string(flow.executionRoleArn),
                "role": optional(
                    lookup.role(
                        forExecutionRoleArn: flow.executionRoleArn, flowPartition: flow.partition,
                        flowAccount: flow.account)?.arn),
                "versions": strings(["DRAFT"] + flow.versions.map(\.version)),
                "versionsKnown": .bool(flow.versionsKnown),
                "aliases": flow.aliases.map { aliases in
                    .array(
                        aliases.map {
                            ["arn": .string($0.arn), "name": .string($0.name), "routesTo": strings($0.routesTo)]
                        })
                } ?? .null,
                "nodeTypes": .object(nodeTypes.sorted { $0.key < $1.key }.map { JSONMember($0.key, $0.value) }),
                "source": provenance(flow.sources.first),
            ]
        }
        let ownership = IaCOwnership(roles: inventory.roles)
        let owners: [JSONValue] = inventory.iacOwners.map { owner in
            [
                "kind": .string(owner.kind.rawValue), "roleName": .string(owner.roleName),
                "partition": optional(owner.partition), "account": optional(owner.account),
                "region": optional(owner.region), "stackName": optional(owner.stackName),
                "stackId": optional(owner.stackId), "resource": .string(owner.resource),
                "owner": .string(owner.owner), "roles": strings(ownedRoles(ownership.match(owner))),
                "source": provenance(owner.sources.first), "sources": .array(owner.sources.map(provenance)),
            ]
        }
        let cloudFormationExports: [JSONValue] = inventory.manifestEntries.compactMap { entry in
            guard let status = entry.cloudFormation else { return nil }
            return [
                "partition": .string(entry.partition), "account": .string(entry.account),
                "region": .string(entry.region), "status": .string(status),
            ]
        }
        var extra: [JSONMember] = []
        // Inputs of the least-privilege audit, listed only when present (older outputs unchanged).
        if !inventory.inferenceProfiles.isEmpty {
            extra.append(
                JSONMember(
                    "inferenceProfiles",
                    .array(
                        inventory.inferenceProfiles.keys.sorted().map { arn in
                            ["arn": .string(arn), "models": strings(inventory.inferenceProfiles[arn] ?? [])]
                        })))
        }
        if !inventory.lambdaPolicies.isEmpty {
            extra.append(
                JSONMember(
                    "lambdaPolicies",
                    .array(
                        inventory.lambdaPolicies.map {
                            [
                                "function": .string($0.functionArn),
                                "statements": .number(String($0.document.statements.count)),
                                "source": provenance($0.source),
                            ]
                        })))
        }
        let base: JSONValue = [
            "schema": "flowrole.inventory/v1",
            "inputs": .array(
                inventory.inputs.map {
                    [
                        "path": .string($0.path), "kind": .string($0.kind), "bytes": .number(String($0.bytes)),
                        "sha256": .string($0.sha256),
                    ]
                }),
            "accounts": strings(inventory.accounts),
            "regions": strings(inventory.regions),
            "coverage": .array(
                inventory.coverage.map {
                    [
                        "partition": .string($0.partition), "account": .string($0.account),
                        "region": .string($0.region), "by": .string($0.by.rawValue),
                    ]
                }),
            "roles": .array(roles),
            "managedPolicies": .array(policies),
            "flows": .array(flows),
            "iacOwners": .array(owners),
            "cloudFormationExports": .array(cloudFormationExports),
            "counts": [
                "roles": .number(String(inventory.roles.count)),
                "managedPolicies": .number(String(inventory.managedPolicies.count)),
                "flows": .number(String(inventory.flows.count)),
                "versions": .number(String(inventory.flows.reduce(0) { $0 + $1.versions.count })),
                "aliases": .number(String(inventory.flows.reduce(0) { $0 + ($1.aliases?.count ?? 0) })),
                "problems": .number(String(inventory.problems.count)),
                "iacOwners": .number(String(inventory.iacOwners.count)),
            ],
            "problems": .array(
                inventory.problems.map {
                    [
                        "code": .string($0.code.rawValue), "subject": .string($0.subject),
                        "message": .string($0.message), "source": provenance($0.source),
                    ]
                }),
        ]
        guard case .object(let members) = base, !extra.isEmpty else { return base }
        return .object(members + extra)
    }

    /// The roles an owner owns (none when it is ambiguous).
    static func ownedRoles(_ match: IaCOwnership.Match) -> [String] {
        if case .roles(let roles) = match { return roles.map(\.arn) }
        return []
    }

    /// `1 role`, `2 roles`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }

    public static func text(_ inventory: Inventory) -> String {
        let byRole = flowsByRole(inventory)
        var lines: [String] = []
        let versionCount = inventory.flows.reduce(0) { $0 + $1.versions.count }
        let aliasCount = inventory.flows.reduce(0) { $0 + ($1.aliases?.count ?? 0) }
        lines.append(
            "Read \(count(inventory.inputs.count, "input file")): \(count(inventory.roles.count, "role")), \(count(inventory.managedPolicies.count, "managed policy", "managed policies")), \(count(inventory.flows.count, "flow")), \(count(versionCount, "version")), \(count(aliasCount, "alias", "aliases")), \(count(inventory.problems.count, "problem"))."
        )
        lines.append("")
        lines.append("Inputs")
        for input in inventory.inputs { lines.append("  \(input.path)  [\(input.kind)]") }
        lines.append("")
        lines.append("Accounts: \(inventory.accounts.joined(separator: ", "))")
        lines.append("Regions:  \(inventory.regions.joined(separator: ", "))")
        lines.append("Coverage (flows of these regions are known):")
        for entry in inventory.coverage {
            lines.append("  \(entry.partition) \(entry.account) \(entry.region)  by \(entry.by.rawValue)")
        }
        lines.append("")
        lines.append("Roles (\(inventory.roles.count))")
        for role in inventory.roles {
            var facts: [String] = []
            facts.append("inline \(role.inlinePolicies.count)\(role.inlinePoliciesComplete ? "" : " (incomplete)")")
            facts.append("attached \(role.attachedPolicies.map { String($0.count) } ?? "unknown")")
            if role.boundaryKnown {
                if let boundary = role.permissionsBoundaryArn { facts.append("boundary \(boundary)") }
            } else {
                facts.append("boundary unknown")
            }
            if role.trustPolicy == nil { facts.append("no trust policy") }
            lines.append("  \(role.arn)")
            lines.append("      \(facts.joined(separator: ", "))")
            for use in byRole[role.arn] ?? [] { lines.append("      used by \(use)") }
        }
        lines.append("")
        lines.append("Managed policies (\(inventory.managedPolicies.count))")
        for policy in inventory.managedPolicies {
            let versions = policy.versions.map(\.versionId).joined(separator: ", ")
            lines.append(
                "  \(policy.arn)  default \(policy.defaultVersion?.versionId ?? "unknown")\(versions.isEmpty ? "" : "; versions \(versions)")"
            )
        }
        lines.append("")
        lines.append("Flows (\(inventory.flows.count))")
        for flow in inventory.flows {
            let versions = (["DRAFT"] + flow.versions.map(\.version)).joined(separator: ", ")
            lines.append("  \(flow.arn)  \(flow.name)")
            lines.append(
                "      created \(flow.createdAt.instant), \(flow.status ?? "status unknown"), runs as \(flow.executionRoleArn)"
            )
            lines.append(
                "      versions \(versions)\(flow.versionsKnown ? "" : " (version list not in the inputs)"); \(flow.definition.allNodes.count) nodes"
            )
            for alias in flow.aliases ?? [] {
                lines.append("      alias \(alias.name) → \(alias.routesTo.joined(separator: ", "))")
            }
        }
        lines.append("")
        lines.append("Infrastructure as code (\(inventory.iacOwners.count))")
        let ownership = IaCOwnership(roles: inventory.roles)
        for owner in inventory.iacOwners {
            let account = owner.account.map { " in account \($0)" } ?? ""
            lines.append("  role \(owner.roleName)\(account): \(owner.label)")
            switch ownership.match(owner) {
            case .roles(let roles):
                if roles.isEmpty { lines.append("      not among the roles in the inputs") }
                for role in roles { lines.append("      owns \(role.arn)") }
            case .ambiguous(let roles):
                lines.append(
                    "      names no account, and \(roles.count) roles in the inputs have this name: none is matched")
            }
            lines.append("      at \(owner.sources[0])")
        }
        for entry in inventory.manifestEntries where entry.cloudFormation.map({ $0 != "ok" }) == true {
            lines.append(
                "  CloudFormation of \(entry.partition) \(entry.account) \(entry.region) was not exported: \(entry.cloudFormation ?? "")"
            )
        }
        if !inventory.inferenceProfiles.isEmpty {
            lines.append("")
            lines.append("Inference profiles (\(inventory.inferenceProfiles.count))")
            for arn in inventory.inferenceProfiles.keys.sorted() {
                lines.append("  \(arn) → \(count(inventory.inferenceProfiles[arn]?.count ?? 0, "model"))")
            }
        }
        if !inventory.lambdaPolicies.isEmpty {
            lines.append("")
            lines.append("Lambda function policies (\(inventory.lambdaPolicies.count))")
            for policy in inventory.lambdaPolicies {
                lines.append("  \(policy.functionArn): \(count(policy.document.statements.count, "statement"))")
            }
        }
        lines.append("")
        lines.append("Problems (\(inventory.problems.count))")
        for problem in inventory.problems {
            lines.append("  warning \(problem.code.rawValue): \(problem.message)")
            if let source = problem.source { lines.append("      at \(source)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
