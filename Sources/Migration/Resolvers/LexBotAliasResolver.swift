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
        guard Self.accepts(text, fast: true) else {
            return .invalid("Lex node \(node.path) names \"\(text)\", which is not a Lex V2 bot alias ARN.")
        }
        // The ARN as found (see ``LambdaArnResolver``).
        return .grants([Grant(action: "lex:RecognizeUtterance", resource: text)])
    }

    /// Whether `text` is a Lex V2 bot alias ARN. `fast: false` is the reference the tests compare
    /// the fast path with: the ARN parsed whole, its fields compared as strings.
    static func accepts(_ text: String, fast: Bool) -> Bool {
        if fast, let read = ARNFields.read(text) {
            guard let fields = read else { return false }
            let resource = fields.resource.utf8
            return fields.service.utf8.elementsEqual("lex".utf8) && fields.hasAccountID && !fields.region.isEmpty
                && resource.starts(with: "bot-alias/".utf8)
                && resource.lazy.filter({ $0 == UInt8(ascii: "/") }).count == 2
                && resource.last != UInt8(ascii: "/")
        }
        guard let arn = try? ARN(parsing: text) else { return false }
        return arn.service == "lex" && ARN.isAccountID(arn.account) && !arn.region.isEmpty
            && arn.resource.hasPrefix("bot-alias/")
            && arn.resource.lazy.filter({ $0 == "/" }).count == 2  // the split's 3 parts, without the array
            && !arn.resource.hasSuffix("/")
    }
}
