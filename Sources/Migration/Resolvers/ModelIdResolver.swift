import FlowRoleJSON
import IAMPolicy
import Inventory

/// The model a node invokes → `bedrock:InvokeModel` on it, plus what its kind of model needs.
///
/// Read from a Prompt node with an inline source (`sourceConfiguration.inline.modelId`; a
/// Prompt-management source names its model in the prompt, not in the flow, and gives
/// `.nothing`) and from a KnowledgeBase node (`modelId` and the reranking model
/// `rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`, each when
/// present) [botocore: AWS-FORMATS §4.6].
///
/// What is granted, by what the value names (IAM-SEMANTICS §6 and §6.4):
/// - a bare foundation-model id (`anthropic.claude-3-haiku-20240307-v1:0`) →
///   `arn:P:bedrock:R::foundation-model/ID` in the flow's partition and Region, no account
///   [Bedrock UG flows-permissions; SAR];
/// - a bare id whose first dot-separated part is one of ``geographyPrefixes``
///   (`us.anthropic.…`) → the system inference profile `arn:P:bedrock:R:A:inference-profile/ID`
///   in the flow's Region and account [SAR];
/// - a foundation-model, inference-profile or application-inference-profile ARN → that ARN as
///   written [SAR];
/// - a provisioned-model ARN → that ARN, plus `bedrock:GetProvisionedModelThroughput` on it; a
///   custom-model ARN → that ARN, plus `bedrock:GetCustomModel` on it [Bedrock UG
///   flows-permissions]; an imported-model ARN → `bedrock:InvokeModel` only [SAR].
///
/// An inference profile (either kind) is authorized against the profile **and** the
/// foundation model of the Region the request is routed to [Bedrock UG inference profiles;
/// IAM-SEMANTICS §6.4, unsettled there]: every foundation-model ARN the inputs' inference-profile
/// outputs list for it (`ResolverContext.inferenceProfiles`) is granted too. When the inputs do not
/// hold the profile, the profile grant comes with an `INFERENCE_PROFILE_ROUTES_UNKNOWN` warning.
/// An ARN that is not a Bedrock model (a SageMaker endpoint, another Bedrock resource) gets no
/// grant and a `MODEL_NOT_RESOLVED` warning; an empty or malformed value is `.invalid`.
public struct ModelIdResolver: Resolver {
    public let name = "modelId"

    /// The first dot-separated part of a system (cross-Region) inference profile id, as in
    /// `us.anthropic.claude-3-5-sonnet-20241022-v2:0` or `global.anthropic.…` [Bedrock UG
    /// cross-Region inference, "Supported Regions and models for inference profiles"]. A bare
    /// id starting with any other part is a foundation-model id (`anthropic.`, `amazon.`, `meta.` …
    /// are providers).
    public static let geographyPrefixes: Set<String> = ["us", "eu", "apac", "us-gov", "jp", "au", "ca", "global"]

    /// The Bedrock resource types a model id or ARN may name [SAR; AWS-FORMATS §4.6].
    static let modelResourceTypes: Set<String> = [
        "foundation-model", "inference-profile", "application-inference-profile", "provisioned-model",
        "custom-model", "imported-model",
    ]

    public init() {}

    public func resolve(_ node: FlowNode, in context: ResolverContext) -> Resolution {
        switch node.type {
        case "Prompt":
            guard let source = node.configuration?["sourceConfiguration"] else {
                return .invalid("Prompt node \(node.path) has no sourceConfiguration.")
            }
            if source["resource"] != nil {
                // The model is the prompt's own, defined in Prompt management, which the inputs
                // do not hold: say so rather than let the audit look complete.
                return .partial(
                    [],
                    [
                        ResolverNote(
                            severity: .info, code: "PROMPT_MODEL_NOT_IN_INPUTS",
                            message:
                                "Prompt node \(node.path) renders a Prompt-management prompt, whose model (and its bedrock:InvokeModel grant) is defined in the prompt; flowrole does not read prompts, so that grant is neither derived nor called unneeded."
                        )
                    ])
            }
            guard let inline = source["inline"] else {
                return .invalid(
                    "Prompt node \(node.path) has a sourceConfiguration that is neither resource nor inline.")
            }
            return combine([model(inline["modelId"], field: "modelId", of: node, in: context)])
        case "KnowledgeBase":
            let configuration = node.configuration
            var parts: [Resolution] = []
            if let modelId = configuration?["modelId"] {
                parts.append(model(modelId, field: "modelId", of: node, in: context))
            }
            let reranking = configuration?["rerankingConfiguration"]?["bedrockRerankingConfiguration"]?[
                "modelConfiguration"]?["modelArn"]
            if let reranking {
                parts.append(model(reranking, field: "reranking modelArn", of: node, in: context))
            }
            return combine(parts)
        default:
            return .nothing
        }
    }

    /// One model value → its resolution (`.grants`, `.partial` or `.invalid`).
    private func model(_ value: JSONValue?, field: String, of node: FlowNode, in context: ResolverContext)
        -> Resolution
    {
        guard let value else { return .invalid("\(node.type) node \(node.path) has no \(field).") }
        guard case .string(let text) = value else {
            // The reader gives an empty value ("", {}) as an empty object.
            return value == .object([])
                ? .invalid("\(node.type) node \(node.path) has an empty \(field).")
                : .invalid("\(node.type) node \(node.path) has a \(field) that is \(value.kindDescription), not text.")
        }
        if text.hasPrefix("arn:") { return modelArn(text, field: field, of: node, in: context) }
        return bareModel(text, field: field, of: node, in: context)
    }

    /// A bare foundation-model or system inference-profile id, in the flow's partition and Region.
    private func bareModel(_ text: String, field: String, of node: FlowNode, in context: ResolverContext)
        -> Resolution
    {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy(Self.isIdScalar) else {
            return .invalid(
                "\(node.type) node \(node.path) names \(field) \"\(text)\", which is not a model id or ARN.")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 1 {
            // A name without a provider (`([0-9a-zA-Z][_-]?)+` is allowed by the model's pattern):
            // which resource it names cannot be told from the flow.
            return .partial([], [notResolved(text, field: field, of: node, why: "a bare name without a provider")])
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            return .invalid(
                "\(node.type) node \(node.path) names \(field) \"\(text)\", which is not a model id or ARN.")
        }
        let partition = Partition(rawValue: context.partition)
        if Self.geographyPrefixes.contains(String(parts[0])) {
            guard parts.count >= 3 else {
                return .invalid(
                    "\(node.type) node \(node.path) names \(field) \"\(text)\", which is not an inference profile id (GEOGRAPHY.PROVIDER.MODEL)."
                )
            }
            let profile = ARN(
                partition: partition, service: "bedrock", region: context.region, account: context.account,
                resource: "inference-profile/" + text)
            return inferenceProfile(profile.text, of: node, in: context)
        }
        let foundation = ARN(
            partition: partition, service: "bedrock", region: context.region, account: "",
            resource: "foundation-model/" + text)
        return .grants([Grant(action: "bedrock:InvokeModel", resource: foundation.text)])
    }

    /// A model ARN, granted as written (partition, Region and account from the ARN).
    private func modelArn(_ text: String, field: String, of node: FlowNode, in context: ResolverContext)
        -> Resolution
    {
        guard let arn = try? ARN(parsing: text) else {
            return .invalid("\(node.type) node \(node.path) names \(field) \"\(text)\", which is not a valid ARN.")
        }
        guard arn.service == "bedrock", Self.modelResourceTypes.contains(arn.resourceType) else {
            let what = arn.service == "sagemaker" ? "a SageMaker resource" : "not a Bedrock model"
            return .partial([], [notResolved(text, field: field, of: node, why: what)])
        }
        let type = arn.resourceType
        let id = arn.resource.dropFirst(type.count + 1)
        let accountOK = type == "foundation-model" ? arn.account.isEmpty : ARN.isAccountID(arn.account)
        guard arn.resource.hasPrefix(type + "/"), !id.isEmpty, !id.hasSuffix("/"), !id.contains("//"),
            id.unicodeScalars.allSatisfy({ Self.isIdScalar($0) || $0 == "/" }), !arn.region.isEmpty, accountOK
        else {
            let form =
                type == "foundation-model"
                ? "arn:PARTITION:bedrock:REGION::foundation-model/ID"
                : "arn:PARTITION:bedrock:REGION:ACCOUNT:\(type)/ID"
            return .invalid(
                "\(node.type) node \(node.path) names \(field) \"\(text)\", which is not a \(type) ARN (\(form)).")
        }
        // The ARN as found (see ``LambdaArnResolver``).
        let invoke = Grant(action: "bedrock:InvokeModel", resource: text)
        switch type {
        case "inference-profile", "application-inference-profile":
            return inferenceProfile(text, of: node, in: context)
        case "provisioned-model":
            return .grants([Grant(action: "bedrock:GetProvisionedModelThroughput", resource: text), invoke])
        case "custom-model":
            return .grants([Grant(action: "bedrock:GetCustomModel", resource: text), invoke])
        default:  // foundation-model, imported-model
            return .grants([invoke])
        }
    }

    /// The profile, and the foundation models it routes to when the inputs say which.
    private func inferenceProfile(_ profileArn: String, of node: FlowNode, in context: ResolverContext) -> Resolution {
        let profile = Grant(action: "bedrock:InvokeModel", resource: profileArn)
        guard let models = context.inferenceProfiles[profileArn] else {
            return .partial(
                [profile],
                [
                    ResolverNote(
                        severity: .warning, code: "INFERENCE_PROFILE_ROUTES_UNKNOWN",
                        message:
                            "\(node.type) node \(node.path) uses inference profile \(profileArn), which the inputs do not describe: besides the profile, the role needs bedrock:InvokeModel on the foundation model in each Region the profile routes to, and only the profile is granted. Add the output of `aws bedrock get-inference-profile --inference-profile-identifier \(profileArn)` (or of `aws bedrock list-inference-profiles`) to the inputs to resolve it."
                    )
                ])
        }
        return .grants([profile] + models.map { Grant(action: "bedrock:InvokeModel", resource: $0) })
    }

    private func notResolved(_ text: String, field: String, of node: FlowNode, why: String) -> ResolverNote {
        ResolverNote(
            severity: .warning, code: "MODEL_NOT_RESOLVED",
            message:
                "\(node.type) node \(node.path) names \(field) \"\(text)\", \(why); flowrole grants nothing for it. Check by hand that the role may invoke it."
        )
    }

    /// The parts' grants, sorted and without repeats, with their notes; the first `.invalid` wins.
    private func combine(_ parts: [Resolution]) -> Resolution {
        var grants = Set<Grant>()
        var notes: [ResolverNote] = []
        for part in parts {
            switch part {
            case .grants(let more): grants.formUnion(more)
            case .partial(let more, let moreNotes):
                grants.formUnion(more)
                notes += moreNotes
            case .nothing: break
            case .invalid: return part
            }
        }
        if !notes.isEmpty { return .partial(grants.sorted(), notes) }
        return grants.isEmpty ? .nothing : .grants(grants.sorted())
    }

    /// Letters, digits, `.`, `-`, `_` and `:` — what model and profile ids are made of.
    private static func isIdScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "." || scalar == "-" || scalar == "_" || scalar == ":"
    }
}
