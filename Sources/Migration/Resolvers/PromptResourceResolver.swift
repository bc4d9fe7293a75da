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
        let base: String
        let versioned: Bool
        switch Self.target(text, fast: true) {
        case .notPromptARN:
            return .invalid("Prompt node \(node.path) names \"\(text)\", which is not a prompt ARN.")
        case .notPromptID:
            return .invalid("Prompt node \(node.path) names \"\(text)\", which is not prompt/ID or prompt/ID:VERSION.")
        case .prompt(let found, let hasVersion):
            (base, versioned) = (found, hasVersion)
        }
        var grants = [Grant(action: "bedrock:RenderPrompt", resource: base)]
        if versioned { grants.append(Grant(action: "bedrock:RenderPrompt", resource: text)) }
        return .grants(grants)
    }

    /// What a `promptArn` names.
    enum Target: Equatable {
        case notPromptARN
        /// A prompt ARN whose resource is not `prompt/ID` or `prompt/ID:VERSION`.
        case notPromptID
        /// The unversioned prompt (`base`) and whether the text named a version of it.
        case prompt(base: String, versioned: Bool)
    }

    /// What `text` names. `fast: false` is the reference the tests compare the fast path with:
    /// the ARN parsed whole, and the unversioned prompt rebuilt from its parts.
    static func target(_ text: String, fast: Bool) -> Target {
        if fast, let read = ARNFields.read(text) {
            // Printable ASCII: the unversioned prompt, rebuilt from the parts, is the text up to
            // the version's colon.
            guard let fields = read, fields.service.utf8.elementsEqual("bedrock".utf8), fields.hasAccountID,
                !fields.region.isEmpty, fields.resource.utf8.starts(with: "prompt/".utf8)
            else { return .notPromptARN }
            let rest = fields.resource.dropFirst("prompt/".count)
            let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":"))
            let id = colon.map { rest[..<$0] } ?? rest
            let version = colon.map { rest[rest.utf8.index(after: $0)...] }
            guard !id.isEmpty,
                version.map({
                    !$0.isEmpty && $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                }) ?? true
            else { return .notPromptID }
            return .prompt(base: colon.map { String(text[..<$0]) } ?? text, versioned: version != nil)
        }
        guard let arn = try? ARN(parsing: text), arn.service == "bedrock", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, arn.resource.hasPrefix("prompt/")
        else {
            return .notPromptARN
        }
        // `ID` or `ID:VERSION`, VERSION digits (so without a colon): the parts of a split at
        // colons, at most two, without the array.
        let rest = arn.resource.dropFirst("prompt/".count)
        let colon = rest.firstIndex(of: ":")
        let id = colon.map { rest[..<$0] } ?? rest
        let version = colon.map { rest[rest.index(after: $0)...] }
        guard !id.isEmpty, version.map({ !$0.isEmpty && $0.allSatisfy { $0.isNumber } }) ?? true else {
            return .notPromptID
        }
        // Without a version the prompt is the ARN as found (see ``LambdaArnResolver``).
        let base =
            version == nil
            ? text
            : ARN(
                partition: arn.partition, service: arn.service, region: arn.region, account: arn.account,
                resource: "prompt/" + id
            ).text
        return .prompt(base: base, versioned: version != nil)
    }
}
