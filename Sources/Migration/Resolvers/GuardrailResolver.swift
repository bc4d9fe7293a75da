import FlowRoleJSON
import IAMPolicy
import Inventory

/// `guardrailConfiguration.guardrailIdentifier` of a Prompt or KnowledgeBase node →
/// `bedrock:ApplyGuardrail` on `arn:P:bedrock:R:A:guardrail/ID` [Bedrock UG flows-permissions;
/// IAM-SEMANTICS §6.5].
///
/// The identifier is a bare id `[a-z0-9]+`, built into an ARN in the flow's partition, Region and
/// account, or a guardrail ARN, granted as written in its own partition [botocore
/// `GuardrailIdentifier`: AWS-FORMATS §4.6]. The guardrail ARN carries no version, so
/// `guardrailVersion` does not change the grant (IAM-SEMANTICS §6.5). A node without a guardrail
/// (no `guardrailConfiguration`, no identifier, or an empty one — the model allows length 0) needs
/// nothing.
public struct GuardrailResolver: Resolver {
    public let name = "guardrail"

    public init() {}

    public func resolve(_ node: FlowNode, in context: ResolverContext) -> Resolution {
        guard node.type == "Prompt" || node.type == "KnowledgeBase" else { return .nothing }
        guard let identifier = node.configuration?["guardrailConfiguration"]?["guardrailIdentifier"],
            identifier != .object([])  // the reader's form of an empty value
        else { return .nothing }
        guard case .string(let text) = identifier else {
            return .invalid(
                "\(node.type) node \(node.path) has a guardrailIdentifier that is \(identifier.kindDescription), not text."
            )
        }
        if Self.isGuardrailId(Substring(text)) {
            let arn = ARN(
                partition: Partition(rawValue: context.partition), service: "bedrock", region: context.region,
                account: context.account, resource: "guardrail/" + text)
            return .grants([Grant(action: "bedrock:ApplyGuardrail", resource: arn.text)])
        }
        guard let arn = try? ARN(parsing: text), arn.service == "bedrock", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, arn.resource.hasPrefix("guardrail/"),
            Self.isGuardrailId(arn.resource.dropFirst("guardrail/".count))
        else {
            return .invalid(
                "\(node.type) node \(node.path) names guardrailIdentifier \"\(text)\", which is neither a guardrail id ([a-z0-9]+) nor a guardrail ARN."
            )
        }
        // The ARN as found (see ``LambdaArnResolver``).
        return .grants([Grant(action: "bedrock:ApplyGuardrail", resource: text)])
    }

    private static func isGuardrailId(_ id: Substring) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
