import FlowRoleJSON
import IAMPolicy
import Inventory

/// `knowledgeBaseId` of a KnowledgeBase node → `bedrock:Retrieve` and
/// `bedrock:RetrieveAndGenerate` on `arn:P:bedrock:R:A:knowledge-base/ID`.
///
/// The node holds only the id (`[0-9a-zA-Z]{1,10}` [botocore: AWS-FORMATS §4.6]); the ARN is
/// built in the flow's partition, Region and account, where the knowledge base must live
/// [SAR resource type `knowledge-base`; IAM-SEMANTICS §6]. The flows service-role template grants
/// `bedrock:Retrieve` on the knowledge base [Bedrock UG flows-permissions]; a node that also
/// generates (with a `modelId`) calls `RetrieveAndGenerate` [Bedrock API reference], so both are
/// granted. The model itself is ``ModelIdResolver``'s.
public struct KnowledgeBaseResolver: Resolver {
    public let name = "knowledgeBase"

    public init() {}

    public func resolve(_ node: FlowNode, in context: ResolverContext) -> Resolution {
        guard node.type == "KnowledgeBase" else { return .nothing }
        guard case .string(let id)? = node.configuration?["knowledgeBaseId"] else {
            return .invalid("KnowledgeBase node \(node.path) has no knowledgeBaseId.")
        }
        guard (1...10).contains(id.utf8.count), id.unicodeScalars.allSatisfy(Self.isAlphanumeric) else {
            return .invalid(
                "KnowledgeBase node \(node.path) names knowledgeBaseId \"\(id)\", which is not a knowledge base id (1–10 letters and digits)."
            )
        }
        let resource = ARN(
            partition: Partition(rawValue: context.partition), service: "bedrock", region: context.region,
            account: context.account, resource: "knowledge-base/" + id
        ).text
        return .grants([
            Grant(action: "bedrock:Retrieve", resource: resource),
            Grant(action: "bedrock:RetrieveAndGenerate", resource: resource),
        ])
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
