import FlowRoleJSON
import IAMPolicy
import Inventory

/// `botAliasArn` of a Lex node → `lex:RecognizeUtterance` on that bot alias
/// (`arn:P:lex:R:A:bot-alias/BOTID/ALIASID`; Bedrock UG flows-permissions; SAR Lex V2 "bot alias").
/// `TSTALIASID`, the built-in test alias, is an alias like any other.
public struct LexBotAliasResolver: Resolver {
    public let name = "lexBotAlias"

    public init() {}

    public func resolve(_ node: FlowNode, in _: ResolverContext) -> Resolution {
        guard case .string(let text)? = node.configuration?["botAliasArn"] else {
            return .invalid("Lex node \(node.path) has no botAliasArn.")
        }
        guard let arn = try? ARN(parsing: text), arn.service == "lex", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, arn.resource.hasPrefix("bot-alias/"),
            arn.resource.lazy.filter({ $0 == "/" }).count == 2,  // the split's 3 parts, without the array
            !arn.resource.hasSuffix("/")
        else {
            return .invalid("Lex node \(node.path) names \"\(text)\", which is not a Lex V2 bot alias ARN.")
        }
        // The ARN as found (see ``LambdaArnResolver``).
        return .grants([Grant(action: "lex:RecognizeUtterance", resource: text)])
    }
}
