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
        let parts = arn.resource.dropFirst("prompt/".count).split(separator: ":", omittingEmptySubsequences: false)
        guard let id = parts.first, !id.isEmpty, parts.count <= 2,
            parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy { $0.isNumber })
        else {
            return .invalid("Prompt node \(node.path) names \"\(text)\", which is not prompt/ID or prompt/ID:VERSION.")
        }
        let base = ARN(
            partition: arn.partition, service: arn.service, region: arn.region, account: arn.account,
            resource: "prompt/" + id)
        var grants = [Grant(action: "bedrock:RenderPrompt", resource: base.text)]
        if parts.count == 2 { grants.append(Grant(action: "bedrock:RenderPrompt", resource: arn.text)) }
        return .grants(grants)
    }
}
