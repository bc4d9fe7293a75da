import FlowRoleJSON
import IAMPolicy
import Inventory

/// `agentAliasArn` of an Agent node → `bedrock:InvokeAgent` on exactly that alias
/// (`arn:P:bedrock:R:A:agent-alias/AGENTID/ALIASID`, both ids 10 letters or digits [botocore:
/// AWS-FORMATS §4.6]; the flows service-role template grants InvokeAgent on the agent alias
/// [Bedrock UG flows-permissions; SAR resource type `agent-alias`]). Partition, Region and account
/// come from the ARN itself.
public struct AgentAliasResolver: Resolver {
    public let name = "agentAlias"

    public init() {}

    public func resolve(_ node: FlowNode, in _: ResolverContext) -> Resolution {
        guard node.type == "Agent" else { return .nothing }
        guard case .string(let text)? = node.configuration?["agentAliasArn"] else {
            return .invalid("Agent node \(node.path) has no agentAliasArn.")
        }
        guard let arn = try? ARN(parsing: text), arn.service == "bedrock", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, arn.resource.hasPrefix("agent-alias/")
        else {
            return .invalid("Agent node \(node.path) names \"\(text)\", which is not an agent alias ARN.")
        }
        let ids = arn.resource.dropFirst("agent-alias/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard ids.count == 2, ids.allSatisfy(Self.isTenAlphanumerics) else {
            return .invalid(
                "Agent node \(node.path) names \"\(text)\", which is not agent-alias/AGENTID/ALIASID (10 letters or digits each)."
            )
        }
        // `text` as found: a parsed ARN's `text` rebuilds the same bytes (``ARN/init(parsing:)`` cuts
        // at colons and keeps every part), and rebuilding it cost as much as the parse.
        return .grants([Grant(action: "bedrock:InvokeAgent", resource: text)])
    }

    private static func isTenAlphanumerics(_ id: Substring) -> Bool {
        id.utf8.count == 10
            && id.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
            }
    }
}
