import Inventory

/// Derives, for one flow, what its DRAFT and every version need under a migration (DESIGN, "What
/// the 2024-11-22 migration decides"): the union over versions, nodes nested in Loops included,
/// each requirement on the role *that version* runs as.
public struct RequirementDeriver: Sendable {
    public var migration: MigrationDefinition
    public var resolvers: ResolverRegistry
    /// The owner of the buckets of Storage and Retrieval nodes (`--bucket-owner`); nil: the flow's account.
    public var bucketOwner: String?
    /// Inference profile ARN → the foundation models it routes to, from the inputs.
    public var inferenceProfiles: [String: [String]]

    public init(
        migration: MigrationDefinition, resolvers: ResolverRegistry = .standard, bucketOwner: String? = nil,
        inferenceProfiles: [String: [String]] = [:]
    ) {
        self.migration = migration
        self.resolvers = resolvers
        self.bucketOwner = bucketOwner
        self.inferenceProfiles = inferenceProfiles
    }

    /// What one flow needs, and what the reviewer should know about it.
    public struct Result: Sendable, Hashable {
        public var legacy: Bool
        public var requirements: [Requirement]
        public var findings: [Finding]
    }

    /// The flow's requirements. With `includeNew` (or a migration of scope `all`) flows after the
    /// window are migrated too; otherwise their requirements are still derived (the planner
    /// checks them for `NEW_FLOW_MISSING_GRANT`) but marked by `legacy == false`.
    public func derive(_ flow: Flow) -> Result {
        let (legacy, onCutoffDay) = migration.classify(flow)
        var findings: [Finding] = []
        if onCutoffDay {
            findings.append(
                Finding(
                    severity: .warning, code: "CUTOFF_DAY",
                    message:
                        "flow \(flow.name) was created on \(migration.cutoffDay ?? "the cut-off day") (\(flow.createdAt.instant)); AWS's note does not say which side of the change that day is on, so it is treated as legacy.",
                    subject: flow.arn))
        }
        // Collected in order and deduplicated once sorted (``sortedUnique(_:)``): hashing every
        // requirement's eight fields into a set cost more than the sort itself.
        var requirements: [Requirement] = []
        // The DRAFT, then each version; nodes depth first in document order (`allNodes`), visited
        // in place: flattening copied every node of 20,000 flows.
        func derive(version: String, roleArn: String, definition: FlowDefinition, model: FlowVersion?) {
            let context = ResolverContext(
                flow: flow, version: model, bucketOwner: bucketOwner, inferenceProfiles: inferenceProfiles)
            func record(_ resolution: Resolution, rule: MigrationDefinition.Rule, node: String) {
                var grants: [Grant] = []
                switch resolution {
                case .nothing: break
                case .invalid(let message):
                    findings.append(
                        Finding(
                            severity: .warning, code: "NODE_RESOURCE_INVALID",
                            message: "flow \(flow.name) (\(version)): \(message) Nothing is derived from it.",
                            subject: flow.arn))
                case .grants(let found):
                    grants = found
                case .partial(let found, let notes):
                    grants = found
                    for note in notes {
                        findings.append(
                            Finding(
                                severity: note.severity, code: note.code,
                                message: "flow \(flow.name) (\(version), \(node)): \(note.message)", subject: flow.arn))
                    }
                }
                for grant in grants {
                    requirements.append(
                        Requirement(
                            action: grant.action, resource: grant.resource, flow: flow.arn, version: version,
                            node: node,
                            roleArn: roleArn, sid: rule.sid, condition: grant.condition))
                }
            }
            for rule in migration.rules where rule.nodeType == nil {
                guard let resolver = resolvers.resolver(named: rule.resolver) else { continue }
                record(resolver.resolveFlow(in: context), rule: rule, node: Requirement.flowLevelNode)
            }
            func visit(_ nodes: [FlowNode]) {
                for index in nodes.indices {
                    visitNode(nodes[index])
                    visit(nodes[index].children)
                }
            }
            func visitNode(_ node: FlowNode) {
                if !node.isKnownType {
                    findings.append(
                        Finding(
                            severity: .warning, code: "UNKNOWN_NODE_TYPE",
                            message:
                                "flow \(flow.name) (\(version)) has node \(node.path) of type \(node.type), which this flowrole does not know; nothing is derived from it.",
                            subject: flow.arn))
                    return
                }
                for rule in migration.rules where rule.nodeType == node.type {
                    guard let resolver = resolvers.resolver(named: rule.resolver) else { continue }
                    record(resolver.resolve(node, in: context), rule: rule, node: node.path)
                }
            }
            visit(definition.nodes)
        }
        derive(version: "DRAFT", roleArn: flow.executionRoleArn, definition: flow.definition, model: nil)
        for index in flow.versions.indices {
            let model = flow.versions[index]
            derive(
                version: model.version, roleArn: model.executionRoleArn, definition: model.definition, model: model)
        }
        return Result(
            legacy: legacy, requirements: Self.sortedUnique(requirements), findings: Array(Set(findings)).sorted())
    }

    /// The distinct requirements, sorted: what `Array(Set(requirements)).sorted()` gives, without
    /// hashing. Equal requirements are never ordered apart by `<`, so after a stable sort they sit
    /// in one run of mutually unordered ones (almost always a single element); each run is
    /// deduplicated by `==`. Within a run of unequal, unordered requirements (same action,
    /// resource, flow, version, node and condition text, different role or Sid) the order is the
    /// order of collection, where the set gave its hash order.
    static func sortedUnique(_ requirements: [Requirement]) -> [Requirement] {
        let sorted = requirements.sorted()
        // Almost always every neighbour is ordered: nothing to drop, and nothing to copy.
        guard sorted.indices.dropFirst().contains(where: { !(sorted[$0 - 1] < sorted[$0]) }) else { return sorted }
        var unique: [Requirement] = []
        unique.reserveCapacity(sorted.count)
        var runStart = 0
        for index in sorted.indices {
            let requirement = sorted[index]
            if index == 0 || sorted[index - 1] < requirement {
                runStart = unique.count
                unique.append(requirement)
            } else if !unique[runStart...].contains(requirement) {
                unique.append(requirement)
            }
        }
        return unique
    }
}
