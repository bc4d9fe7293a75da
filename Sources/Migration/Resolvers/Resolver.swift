import Inventory

/// One permission a node needs: an action on an exact resource.
public struct Grant: Sendable, Hashable, Comparable {
    public var action: String
    public var resource: String

    public init(action: String, resource: String) {
        self.action = action
        self.resource = resource
    }

    public static func < (lhs: Grant, rhs: Grant) -> Bool { (lhs.action, lhs.resource) < (rhs.action, rhs.resource) }
}

/// What a resolver makes of one node.
public enum Resolution: Sendable, Hashable {
    /// The node needs these grants.
    case grants([Grant])
    /// The node needs nothing from this resolver (an inline prompt, say).
    case nothing
    /// The node should name a resource but what it holds is not one; the message says why.
    case invalid(String)
}

/// Code that turns a node into the grants it needs. Migration files name resolvers; a later AWS
/// change adds a resolver, not a new planner.
public protocol Resolver: Sendable {
    /// The name migration files use.
    var name: String { get }
    func resolve(_ node: FlowNode) -> Resolution
}

/// The resolvers a migration file may name.
public struct ResolverRegistry: Sendable {
    private var byName: [String: any Resolver]

    public init(_ resolvers: [any Resolver]) {
        byName = Dictionary(resolvers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The resolvers of the 2024-11-22 migration.
    public static let standard = ResolverRegistry([
        LambdaArnResolver(), LexBotAliasResolver(), PromptResourceResolver(),
    ])

    public func resolver(named name: String) -> (any Resolver)? { byName[name] }

    public var names: [String] { byName.keys.sorted() }
}
