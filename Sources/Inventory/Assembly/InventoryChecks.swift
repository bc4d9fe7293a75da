import FlowRoleJSON

/// Problems that follow from the merged inventory as a whole: what is referenced but not read.
enum InventoryChecks {
    /// `lookup`, when given, is `RoleLookup(roles: inventory.roles)` built beforehand (the
    /// assembler builds it beside merging the flows).
    static func problems(of inventory: Inventory, lookup: RoleLookup? = nil) -> [InventoryProblem] {
        let policies = Dictionary(
            inventory.managedPolicies.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        let lookup = lookup ?? RoleLookup(roles: inventory.roles)
        // Each role and each flow is checked on its own, on every core (the caller sorts the problems).
        var problems = inventory.roles.concurrentMap(minimumChunk: 256) { role in
            Self.problems(of: role, policies: policies)
        }.flatMap { $0 }
        problems += inventory.flows.concurrentMap(minimumChunk: 64) { flow in
            Self.problems(of: flow, lookup: lookup)
        }.flatMap { $0 }
        for entry in inventory.manifestEntries where !entry.isOK {
            let covered = inventory.manifestEntries.contains {
                $0.isOK && $0.partition == entry.partition && $0.account == entry.account && $0.region == entry.region
            }
            if !covered {
                problems.append(
                    InventoryProblem(
                        code: .exportFailed, subject: "\(entry.account)/\(entry.region)",
                        message: "the export of account \(entry.account) in \(entry.region) \(entry.flows).",
                        source: entry.source))
            }
        }
        return problems
    }

    private static func problems(of role: Role, policies: [String: ManagedPolicy]) -> [InventoryProblem] {
        var problems: [InventoryProblem] = []
        var missing: [String] = []
        if role.inlinePolicyNames == nil {
            missing.append("its inline policy list")
        } else if !role.inlinePoliciesComplete {
            let known = Set(role.inlinePolicies.map(\.name))
            let absent = (role.inlinePolicyNames ?? []).filter { !known.contains($0) }
            missing.append("inline " + absent.joined(separator: ", "))
        }
        if role.attachedPolicies == nil { missing.append("its attached policy list") }
        if !missing.isEmpty {
            problems.append(
                InventoryProblem(
                    code: .rolePoliciesIncomplete, subject: role.arn,
                    message: "the inputs lack \(missing.joined(separator: " and ")) of role \(role.name).",
                    source: role.sources.first))
        }
        for attached in role.attachedPolicies ?? [] where policies[attached.arn]?.defaultVersion == nil {
            problems.append(
                InventoryProblem(
                    code: .policyNotInInputs, subject: attached.arn,
                    message:
                        "role \(role.name) attaches \(attached.arn), whose default version is not in the inputs.",
                    source: role.sources.first))
        }
        if let boundary = role.permissionsBoundaryArn, policies[boundary]?.defaultVersion == nil {
            problems.append(
                InventoryProblem(
                    code: .policyNotInInputs, subject: boundary,
                    message:
                        "role \(role.name) has the permissions boundary \(boundary), whose default version is not in the inputs.",
                    source: role.sources.first))
        }
        return problems
    }

    private static func problems(of flow: Flow, lookup: RoleLookup) -> [InventoryProblem] {
        var problems: [InventoryProblem] = []
        var uses: [(String, String, Provenance)] = [("DRAFT", flow.executionRoleArn, flow.sources[0])]
        uses += flow.versions.map { ($0.version, $0.executionRoleArn, $0.source) }
        for (version, roleArn, source) in uses {
            // The role is read in place (`lookup.roles[at]`): a copy of it is not needed.
            if let at = lookup.position(
                forExecutionRoleArn: roleArn, flowPartition: flow.partition, flowAccount: flow.account)
            {
                if lookup.roles[at].arn != roleArn,
                    let reference = RoleReference(
                        executionRoleArn: roleArn, flowPartition: flow.partition, flowAccount: flow.account),
                    reference.path != lookup.roles[at].path
                {
                    let role = lookup.roles[at]
                    problems.append(
                        InventoryProblem(
                            code: .roleArnPathMismatch, subject: flow.arn,
                            message:
                                "flow \(flow.name) (\(version)) names its role with path \(reference.path), but role \(role.name) has path \(role.path).",
                            source: source))
                }
                continue
            }
            let isRoleArn =
                RoleReference(executionRoleArn: roleArn, flowPartition: flow.partition, flowAccount: flow.account)
                != nil
            problems.append(
                InventoryProblem(
                    code: .roleNotInInputs, subject: roleArn,
                    message: isRoleArn
                        ? "flow \(flow.name) (\(version)) runs as \(roleArn), which the IAM inputs do not hold."
                        : "flow \(flow.name) (\(version)) names \"\(roleArn)\", which is not an IAM role ARN.",
                    source: source))
        }
        let missingRouted = flow.missingRoutedVersions
        let missingListed = flow.missingListedVersions.filter { !missingRouted.contains($0) }
        if !missingRouted.isEmpty || !missingListed.isEmpty {
            var parts: [String] = []
            if !missingRouted.isEmpty {
                parts.append("an alias routes to version \(missingRouted.joined(separator: ", "))")
            }
            if !missingListed.isEmpty { parts.append("version \(missingListed.joined(separator: ", ")) is listed") }
            problems.append(
                InventoryProblem(
                    code: .flowVersionsIncomplete, subject: flow.arn,
                    message:
                        "flow \(flow.name): \(parts.joined(separator: " and ")), but the definition is not in the inputs.",
                    source: flow.sources[0]))
        }
        // Every node, Loop-nested ones included, depth first in document order (`allNodes`, without
        // copying the nodes into a list).
        func visit(_ nodes: [FlowNode], version: String) {
            for index in nodes.indices {
                if !FlowNode.knownTypes.contains(nodes[index].type) {
                    problems.append(
                        InventoryProblem(
                            code: .unknownNodeType, subject: flow.arn,
                            message:
                                "flow \(flow.name) (\(version)) has node \(nodes[index].path) of type \(nodes[index].type), which this flowrole does not know.",
                            source: flow.sources[0]))
                }
                if !nodes[index].children.isEmpty { visit(nodes[index].children, version: version) }
            }
        }
        visit(flow.definition.nodes, version: "DRAFT")
        for index in flow.versions.indices {
            visit(flow.versions[index].definition.nodes, version: flow.versions[index].version)
        }
        return problems
    }
}
