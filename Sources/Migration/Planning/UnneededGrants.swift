import IAMPolicy
import Inventory

/// The least-privilege audit's other half: grants a role holds that none of the flows using it
/// needs — typically left behind when nodes were removed, since neither the console nor flowrole
/// deletes permissions ([Bedrock UG flows-permissions]: "If you remove nodes, however, the
/// permissions won't be deleted"). They are reported (`UNNEEDED_GRANT`), never removed: removing
/// is the operator's decision (DESIGN, safety invariant 1).
///
/// A statement is looked at when it allows, by `Action` (not `NotAction`) and `Resource` (not
/// `NotResource`), one of the actions a flow's service role can need (``auditedActions``) by a
/// pattern narrower than `*`. A pair (action, resource pattern) is needed when some requirement
/// of some flow of the role — of any age, any version — has that action and a resource the
/// pattern covers, or when the requirement's own resource pattern (`bucket/*`) covers the
/// statement's. Conditions are not weighed: a conditional grant that nothing needs is unneeded too.
/// `bedrock:InvokeModel` is judged with care: the model of a Prompt-management prompt is defined
/// in the prompt, which the inputs do not hold, so while a flow renders prompts (or names a model
/// flowrole could not resolve, or a profile whose routes are unknown) no model grant is called
/// unneeded; and while a flow uses an inference profile, no foundation-model grant is.
/// The planner calls this only where the inputs can tell: every version of every flow of the
/// role read, every node understood, the role's trust covered; and only on the role's inline
/// policies and customer-managed policies no other role attaches.
enum UnneededGrants {
    /// Every action a resolver can require (the service-role documentation's list).
    static let auditedActions = [
        "bedrock:ApplyGuardrail", "bedrock:GetCustomModel", "bedrock:GetProvisionedModelThroughput",
        "bedrock:InvokeAgent", "bedrock:InvokeModel", "bedrock:RenderPrompt", "bedrock:Retrieve",
        "bedrock:RetrieveAndGenerate", "kms:Decrypt", "kms:GenerateDataKey", "lambda:InvokeFunction",
        "lex:RecognizeUtterance", "s3:GetObject", "s3:PutObject",
    ]

    /// One finding per statement that holds something no flow needs.
    static func findings(role: Role, policies: [NamedPolicy], requirements: [Requirement], modelsUnknown: Bool = false)
        -> [Finding]
    {
        guard !requirements.isEmpty else { return [] }
        let byAction = Dictionary(grouping: requirements, by: \.action)
        // Models the inputs cannot see are never called unneeded: those a Prompt-management
        // prompt is defined with (flowrole does not read prompts), and the foundation models an
        // inference profile routes to when the profile is used (its routes may be unknown).
        let rendersPrompts = byAction["bedrock:RenderPrompt"] != nil
        let usesProfiles = (byAction["bedrock:InvokeModel"] ?? []).contains {
            (try? ARN(parsing: $0.resource))?.resourceType.hasSuffix("inference-profile") == true
        }
        // A model a node names that flowrole could not resolve, or a profile whose routes the
        // inputs do not hold: no model grant can be called unneeded.
        let anyModelMayBeNeeded = rendersPrompts || modelsUnknown
        func maybeNeededModel(_ pattern: ResourcePattern) -> Bool {
            if anyModelMayBeNeeded { return true }
            // A profile in use routes to foundation models, in Regions the inputs may not list.
            let foundation = pattern.text.contains("foundation-model") || pattern.text.hasSuffix("*")
            return foundation && usesProfiles
        }
        var found: [Finding] = []
        for policy in policies {
            let substitutes = policy.document.version.substitutesPolicyVariables
            for (index, statement) in policy.document.statements.enumerated() {
                guard statement.effect == .allow, !statement.action.isNegated, let resource = statement.resource,
                    !resource.isNegated
                else { continue }
                let actions = auditedActions.filter { action in
                    statement.action.patterns.contains { $0.text != "*" && $0.match(action) == .match }
                }
                var unneeded: [String] = []
                for action in actions {
                    for pattern in resource.patterns {
                        let needs = byAction[action] ?? []
                        let needed = needs.contains { requirement in
                            pattern.match(requirement.resource) != .noMatch
                                || ResourcePattern(requirement.resource, substitutesVariables: substitutes)
                                    .match(
                                        pattern.text.split(separator: "*", omittingEmptySubsequences: false).joined(
                                            separator: "x"))
                                    == .match
                        }
                        if !needed && !(action == "bedrock:InvokeModel" && maybeNeededModel(pattern)) {
                            unneeded.append("\(action) on \(pattern.text)")
                        }
                    }
                }
                guard !unneeded.isEmpty else { continue }
                let reference = statement.reference(in: policy.id, index: index)
                found.append(
                    Finding(
                        severity: .info, code: "UNNEEDED_GRANT",
                        message:
                            "\(reference) allows \(unneeded.joined(separator: ", ")), which none of the flows using role \(role.name) needs (stale after nodes were removed, or never used); reported, never removed.",
                        subject: role.arn))
            }
        }
        return found
    }
}
