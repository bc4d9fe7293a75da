import FlowRoleJSON
import IAMPolicy
import Inventory

/// A Prompt node whose source is a Prompt-management resource → `bedrock:RenderPrompt`.
///
/// For `prompt/ID` the grant is on `prompt/ID`; for a versioned `prompt/ID:N` it is on both
/// `prompt/ID` and `prompt/ID:N`, because which of the two Bedrock checks is not documented
/// (IAM-SEMANTICS §6.3; DESIGN) — both are scoped to that one prompt. Inline prompts need nothing
/// new from this migration.
public struct PromptResourceResolver: Resolver {
    public let name = "promptResource"

    public init() {}

    public func resolve(_ node: FlowNode, in _: ResolverContext) -> Resolution {
        guard let source = node.configuration?["sourceConfiguration"] else {
            return .invalid("Prompt node \(node.path) has no sourceConfiguration.")
        }
        guard let resource = source["resource"] else { return .nothing }  // inline
        guard case .string(let text)? = resource["promptArn"] else {
            return .invalid("Prompt node \(node.path) has a resource source without a promptArn.")
        }
        guard let arn = try? ARN(parsing: text), arn.service == "bedrock", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, arn.resource.hasPrefix("prompt/")
        else {
            return .invalid("Prompt node \(node.path) names \"\(text)\", which is not a prompt ARN.")
        }
        // `ID` or `ID:VERSION`, VERSION digits (so without a colon): the parts of a split at
        // colons, at most two, without the array.
        let rest = arn.resource.dropFirst("prompt/".count)
        let colon = rest.firstIndex(of: ":")
        let id = colon.map { rest[..<$0] } ?? rest
        let version = colon.map { rest[rest.index(after: $0)...] }
        guard !id.isEmpty, version.map({ !$0.isEmpty && $0.allSatisfy { $0.isNumber } }) ?? true else {
            return .invalid("Prompt node \(node.path) names \"\(text)\", which is not prompt/ID or prompt/ID:VERSION.")
        }
        // Without a version the prompt is the ARN as found (see ``LambdaArnResolver``).
        let base =
            version == nil
            ? text
            : ARN(
                partition: arn.partition, service: arn.service, region: arn.region, account: arn.account,
                resource: "prompt/" + id
            ).text
        var grants = [Grant(action: "bedrock:RenderPrompt", resource: base)]
        if version != nil { grants.append(Grant(action: "bedrock:RenderPrompt", resource: text)) }
        return .grants(grants)
    }
}
