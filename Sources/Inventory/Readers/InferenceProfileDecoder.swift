import FlowRoleJSON
import IAMPolicy

/// `aws bedrock get-inference-profile` and `aws bedrock list-inference-profiles` outputs: which
/// foundation models each inference profile routes to, so the `modelId` resolver can grant
/// `bedrock:InvokeModel` on each of them beside the profile (IAM-SEMANTICS §6.4).
///
/// A profile is `{inferenceProfileArn, inferenceProfileId, inferenceProfileName, models:
/// [{modelArn}], type SYSTEM_DEFINED|APPLICATION, status, description?, createdAt?, updatedAt?}`;
/// a list page is `{inferenceProfileSummaries: [profile], nextToken?}` [Bedrock API reference,
/// GetInferenceProfile / InferenceProfileSummary]. Only the ARN and the models are kept; the rest
/// is checked where it is read.
enum InferenceProfileDecoder {
    /// One profile as read: its ARN, the model ARNs it routes to (sorted, without repeats), and
    /// where it was read.
    struct Profile: Sendable, Hashable {
        var arn: String
        var models: [String]
        var source: Provenance
    }

    /// The profile resource types [SAR]: system (cross-Region) and application profiles.
    static let profileTypes: Set<String> = ["inference-profile", "application-inference-profile"]

    static func decode(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        if output.has("inferenceProfileSummaries") {
            try listInferenceProfiles(output, into: &fragments)
        } else {
            fragments.inferenceProfiles.append(try profile(output, what: "get-inference-profile output"))
        }
    }

    /// A `list-inference-profiles` page. A page with a `nextToken` lists only some profiles; those
    /// it leaves out are reported by the resolver, node by node, as profiles the inputs lack.
    static func listInferenceProfiles(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let what = "list-inference-profiles output"
        let output = try output.object(what)
        if let token = output.member("nextToken") { _ = try token.string("nextToken") }
        for entry in try output.required("inferenceProfileSummaries", in: what).array("inferenceProfileSummaries") {
            fragments.inferenceProfiles.append(try profile(entry, what: "inferenceProfileSummaries entry"))
        }
    }

    static func profile(_ output: Cursor, what: String) throws(InputError) -> Profile {
        let output = try output.object(what)
        let arn = try output.arn("inferenceProfileArn", in: what)
        let type = arn.resourceType
        let id = String(arn.resource.dropFirst(type.count + 1))
        guard arn.service == "bedrock", profileTypes.contains(type), arn.resource.hasPrefix(type + "/"), !id.isEmpty,
            !arn.region.isEmpty, arn.account.isEmpty || ARN.isAccountID(arn.account)
        else {
            throw try output.required("inferenceProfileArn", in: what).error(
                "\(what)'s inferenceProfileArn \"\(arn.text)\" is not an inference profile ARN (arn:PARTITION:bedrock:REGION:ACCOUNT:inference-profile/ID or …:application-inference-profile/ID)."
            )
        }
        if let stated = try output.optionalString("inferenceProfileId"), stated != id {
            throw try output.required("inferenceProfileId", in: what).error(
                "\(what)'s inferenceProfileId \"\(stated)\" is not the id of its inferenceProfileArn (\"\(id)\").")
        }
        if let kind = try output.optionalString("type"), kind != "SYSTEM_DEFINED" && kind != "APPLICATION" {
            throw try output.required("type", in: what).error(
                "\(what)'s type is \"\(kind)\"; expected SYSTEM_DEFINED or APPLICATION.")
        }
        _ = try output.optionalString("status")
        let entries = try output.required("models", in: what).array("models")
        guard !entries.isEmpty else {
            throw try output.required("models", in: what).error(
                "\(what) lists no models; an inference profile routes to at least one.")
        }
        var models = Set<String>()
        for entry in entries {
            let entry = try entry.object("models entry")
            let model = try entry.arn("modelArn", in: "models entry")
            guard model.service == "bedrock", !model.region.isEmpty else {
                throw try entry.required("modelArn", in: "models entry").error(
                    "models entry's modelArn \"\(model.text)\" is not a Bedrock model ARN.")
            }
            models.insert(model.text)
        }
        return Profile(arn: arn.text, models: models.sorted(), source: output.provenance)
    }
}
