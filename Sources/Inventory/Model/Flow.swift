public import FlowRoleJSON

/// A Bedrock flow: its DRAFT (from `get-flow` or a bundle entry) and whatever the inputs hold of
/// its numbered versions and aliases.
public struct Flow: Sendable, Hashable {
    public var arn: String
    public var id: String
    public var name: String
    public var partition: String
    public var region: String
    public var account: String
    public var status: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp?
    /// The DRAFT's execution role as written (it may carry a path, or an empty account).
    public var executionRoleArn: String
    public var customerEncryptionKeyArn: String?
    public var definition: FlowDefinition
    /// Numbered versions whose `get-flow-version` output (or bundle entry) is in the inputs,
    /// ordered numerically.
    public var versions: [FlowVersion]
    /// Version numbers a `list-flow-versions` output names (nil when none was read).
    public var listedVersions: [String]?
    /// True when the flow's versions are known: a `list-flow-versions` output for it, or a bundle
    /// entry with a `versions` key (even empty), is in the inputs (DESIGN, "Inputs it must read").
    public var versionsKnown: Bool
    /// Aliases, when a `list-flow-aliases` output, `get-flow-alias` or bundle `aliases` key was read.
    public var aliases: [FlowAlias]?
    public var sources: [Provenance]

    public init(
        arn: String, id: String, name: String, partition: String, region: String, account: String,
        createdAt: Timestamp, executionRoleArn: String, definition: FlowDefinition, sources: [Provenance]
    ) {
        self.arn = arn
        self.id = id
        self.name = name
        self.partition = partition
        self.region = region
        self.account = account
        self.createdAt = createdAt
        self.executionRoleArn = executionRoleArn
        self.definition = definition
        self.versions = []
        self.versionsKnown = false
        self.sources = sources
    }

    /// Version numbers an alias routes to (`DRAFT` included when an alias routes there).
    public var routedVersions: [String] {
        Array(Set((aliases ?? []).flatMap(\.routesTo))).sorted(by: FlowVersion.versionOrder)
    }

    /// Routed numbered versions that are not in the inputs.
    public var missingRoutedVersions: [String] {
        // Most flows have no alias list: no sets to build (checked for every flow).
        guard let aliases, !aliases.isEmpty else { return [] }
        let known = Set(versions.map(\.version))
        return routedVersions.filter { $0 != "DRAFT" && !known.contains($0) }
    }

    /// Listed version numbers whose definitions are not in the inputs.
    public var missingListedVersions: [String] {
        guard let listedVersions, !listedVersions.isEmpty else { return [] }
        let known = Set(versions.map(\.version))
        return listedVersions.filter { !known.contains($0) }
    }
}

/// A numbered version: an immutable snapshot that may use other resources, and another execution
/// role, than the DRAFT (AWS-FORMATS §4.2).
public struct FlowVersion: Sendable, Hashable {
    public var version: String
    public var executionRoleArn: String
    public var createdAt: Timestamp?
    public var status: String?
    public var customerEncryptionKeyArn: String?
    public var definition: FlowDefinition
    public var source: Provenance

    public init(
        version: String, executionRoleArn: String, createdAt: Timestamp?, status: String?,
        customerEncryptionKeyArn: String?, definition: FlowDefinition, source: Provenance
    ) {
        self.version = version
        self.executionRoleArn = executionRoleArn
        self.createdAt = createdAt
        self.status = status
        self.customerEncryptionKeyArn = customerEncryptionKeyArn
        self.definition = definition
        self.source = source
    }

    /// DRAFT first, then numerically (DESIGN: "versions DRAFT first then numerically").
    public static func versionOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (lhs == "DRAFT", rhs == "DRAFT") {
        case (true, false): return true
        case (false, true): return false
        default:
            if let left = Int(lhs), let right = Int(rhs), left != right { return left < right }
            return lhs < rhs
        }
    }
}

/// A flow alias and the versions it routes to.
public struct FlowAlias: Sendable, Hashable {
    public var id: String
    public var arn: String
    public var name: String
    public var routesTo: [String]
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    public var source: Provenance

    public init(
        id: String, arn: String, name: String, routesTo: [String], createdAt: Timestamp?, updatedAt: Timestamp?,
        source: Provenance
    ) {
        self.id = id
        self.arn = arn
        self.name = name
        self.routesTo = routesTo
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.source = source
    }
}

/// The nodes of a flow definition (connections are not needed to derive permissions).
public struct FlowDefinition: Sendable, Hashable {
    public var nodes: [FlowNode]

    public init(nodes: [FlowNode]) { self.nodes = nodes }

    public static let empty = FlowDefinition(nodes: [])

    /// Every node, Loop-nested ones included, depth first in document order.
    public var allNodes: [FlowNode] {
        var out: [FlowNode] = []
        func visit(_ nodes: [FlowNode]) {
            for node in nodes {
                out.append(node)
                visit(node.children)
            }
        }
        visit(nodes)
        return out
    }
}

/// One node. `configuration` is the node's configuration union member as read, minus large fields
/// the readers skip (prompt texts, inline code, inference settings), with scalars as text and empty
/// values as `{}` so that JSON and XML exports read alike (`FlowDecoder.normalised`); resolvers
/// read the ARNs, ids and names they need.
public struct FlowNode: Sendable, Hashable {
    public var name: String
    public var type: String
    /// The union member object, e.g. `{"lambdaArn": "…"}` for `{"lambdaFunction": {…}}`; nil when absent.
    public var configuration: JSONValue?
    /// The union member's name (`lambdaFunction`), when present.
    public var configurationKind: String?
    /// Nodes nested in a Loop node's definition.
    public var children: [FlowNode]
    /// `Outer/Inner` for nested nodes; the node name otherwise. With the flow (or version) it
    /// names the node uniquely: node names are unique within a definition.
    public var path: String

    public init(
        name: String, type: String, configuration: JSONValue?, configurationKind: String?, children: [FlowNode],
        path: String
    ) {
        self.name = name
        self.type = type
        self.configuration = configuration
        self.configurationKind = configurationKind
        self.children = children
        self.path = path
    }

    /// The node types of the bedrock-agent 2023-06-05 model (AWS-FORMATS §4.6).
    public static let knownTypes: Set<String> = [
        "Input", "Output", "Prompt", "LambdaFunction", "Lex", "KnowledgeBase", "Agent", "Storage", "Retrieval",
        "InlineCode", "Iterator", "Collector", "Condition", "Loop", "LoopInput", "LoopController",
    ]

    public var isKnownType: Bool { FlowNode.knownTypes.contains(type) }
}
