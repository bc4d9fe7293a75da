/// Every finding code the planner can emit, with its severity, when it is raised (the README's
/// "Finding codes" table says the same, and a test keeps the two equal) and what a reviewer does
/// about it. Reports link each finding to this text; SARIF turns each entry into a rule.
public struct FindingExplanation: Sendable, Hashable {
    public var code: String
    /// As the README writes it: `blocker`, `warning`, `info`, or both severities of QUOTA_EXCEEDED.
    public var severity: String
    /// When the finding is raised.
    public var when: String
    /// What to do about it.
    public var action: String

    public init(code: String, severity: String, when: String, action: String) {
        self.code = code
        self.severity = severity
        self.when = when
        self.action = action
    }
}

public enum FindingCatalog {
    /// In the README's order.
    public static let all: [FindingExplanation] = [
        entry(
            "EXPLICIT_DENY", "blocker",
            "an unconditional Deny matches a required grant; nothing is added for it",
            "Find the Deny statement named in the message (an inline policy, an attached policy or the boundary) and narrow it, or accept that the flow's node cannot run as this role."
        ),
        entry(
            "PERMISSIONS_BOUNDARY", "blocker",
            "the role's boundary does not allow a required grant",
            "Extend the permissions boundary to allow the action on the resource; an identity policy grant alone does not take effect."
        ),
        entry(
            "QUOTA_EXCEEDED", "blocker (inline) / warning (trust)",
            "the role's inline policies would exceed 10,240 characters without whitespace (nothing is added), or the pinned trust policy would exceed `--trust-policy-max-chars` (trust left as it is)",
            "Move grants into a customer-managed policy, or raise the trust policy quota (Service Quotas, up to 4,096 characters) and re-plan with --trust-policy-max-chars."
        ),
        entry(
            "SERVICE_LINKED_ROLE", "blocker",
            "the role is service-linked (`/aws-service-role/`) and cannot be edited",
            "Give the flow its own service role; AWS owns the policies of service-linked roles."
        ),
        entry(
            "ROLE_POLICIES_INCOMPLETE", "warning",
            "some of the role's inline or attached policies are not in the inputs; grants are still added",
            "Export the role again with all its policies (get-account-authorization-details with Role and LocalManagedPolicy) so that nothing the plan judges is unknown."
        ),
        entry(
            "CONDITIONAL_BOUNDARY", "warning",
            "the boundary allows a required grant only under a condition; the grant is added",
            "Check that the boundary's condition holds when Bedrock calls the resource with the flow's role; otherwise extend the boundary."
        ),
        entry(
            "TRUST_PINNED_MISSING_FLOW", "warning",
            "the trust policy pins flow ARNs and a flow using the role is not among them (never added: that would widen trust)",
            "If the flow should run as this role, add its ARN to the trust policy yourself; flowrole never widens trust."
        ),
        entry(
            "TRUST_PATTERN_UNRECOGNISED", "warning",
            "a SourceArn pattern about flows that is not exactly `flow/*` (e.g. `flow/AB*`, `*`); left alone",
            "Review the pattern by hand and replace it with the ARNs of the flows that use the role."
        ),
        entry(
            "ALREADY_GRANTED", "info",
            "a required grant is already allowed without condition",
            "Nothing to do; the grant is not added again."
        ),
        entry(
            "CONDITIONAL_GRANT", "warning",
            "only a conditional Allow covers it; the grant is added",
            "Nothing blocks the change; once applied, the conditional Allow may be redundant and can be reviewed."
        ),
        entry(
            "CONDITIONAL_DENY", "warning",
            "a conditional Deny matches; the grant is added",
            "Check whether the Deny's condition holds for Bedrock's calls with the flow's role; if it does, the added grant does not help."
        ),
        entry(
            "POLICY_NOT_IN_INPUTS", "warning",
            "an attached policy's default version is not in the inputs (unknown, not empty)",
            "Export the attached policy (get-policy and get-policy-version, or authorization details with LocalManagedPolicy/AWSManagedPolicy) and re-plan."
        ),
        entry(
            "BOUNDARY_NOT_IN_INPUTS", "warning",
            "the boundary's default version is not in the inputs; grants are added",
            "Export the boundary policy and re-plan: it may block the grants."
        ),
        entry(
            "SCP_NOT_EVALUATED", "info",
            "once per plan: organisation policies are not in the inputs",
            "Check that no service or resource control policy of AWS Organizations denies the grants; IAM's policy simulator (aws iam simulate-principal-policy) takes them into account."
        ),
        entry(
            "ROLE_NOT_IN_INPUTS", "warning",
            "a flow names an execution role the IAM inputs do not hold",
            "Export the role's account too, or fix the flow's executionRoleArn."
        ),
        entry(
            "ROLE_ARN_PATH_MISMATCH", "info",
            "a flow names its role with a different path than the role has",
            "None needed: IAM resolves the role by name; update the flow's executionRoleArn for clarity."
        ),
        entry(
            "FLOW_VERSIONS_INCOMPLETE", "warning",
            "a legacy flow's versions were not exported, or an alias routes to / a listing names a version that is not in the inputs",
            "Export the flow's versions (list-flow-versions and get-flow-version) and re-plan, so that every version's needs are known."
        ),
        entry(
            "NEW_FLOW_MISSING_GRANT", "warning",
            "a flow created after the window lacks a grant it needs today (added with `--include-new-flows`)",
            "Re-plan with --include-new-flows to add the grant: the flow's node fails today."
        ),
        entry(
            "TRUST_NO_FLOWS", "warning",
            "a trust policy allows `flow/*` but no flow in the inputs uses the role",
            "Find out whether the role is still used; the trust policy is left as it is because no flow can be pinned."
        ),
        entry(
            "TRUST_COVERAGE", "warning",
            "the wildcard reaches a region or account whose flows the inputs do not cover (flows there, a manifest `ok`, or `--flow-regions`)",
            "Export the flows of the regions named in the message (or name them with --flow-regions) so that no flow is locked out, then re-plan."
        ),
        entry(
            "TRUST_UNCONDITIONED", "warning",
            "Bedrock may assume the role with no SourceArn condition (pinned only with `--tighten-unconditioned`)",
            "Re-plan with --tighten-unconditioned to pin the flows, or add aws:SourceAccount and aws:SourceArn conditions yourself."
        ),
        entry(
            "TRUST_LITERAL_WILDCARD", "warning",
            "`flow/*` under StringEquals matches nothing; left alone",
            "The statement admits no flow; replace it with the flows' ARNs or use ArnLike."
        ),
        entry(
            "CUTOFF_DAY", "warning",
            "a flow created on 2024-11-22 (UTC), treated as legacy",
            "Nothing blocks the change; confirm whether the flow predates the service change of that day."
        ),
        entry(
            "CROSS_ACCOUNT_RESOURCE", "warning",
            "a Lambda, Lex bot or prompt in another account: its resource policy must allow the role too",
            "Ask the resource's owner to allow the role in the resource policy (for Lambda: aws lambda add-permission with the role as principal)."
        ),
        entry(
            "OBSOLETE_SERVICE_PRINCIPAL_GRANT", "info",
            "a Lambda function policy (`aws lambda get-policy` in the inputs) lets `bedrock.amazonaws.com` invoke a function that every flow in the inputs using it invokes with its own role once the plan is applied; reported with the owner's `remove-permission` command, never removed",
            "After the plan is applied, and once no flow outside the inputs or agent relies on the statement, ask the function's owner to run the remove-permission command in the message."
        ),
        entry(
            "UNKNOWN_NODE_TYPE", "warning",
            "a node type this version does not know; nothing is derived from it",
            "Check the node's permissions by hand, or upgrade flowrole."
        ),
        entry(
            "NODE_RESOURCE_INVALID", "warning",
            "a node whose resource (ARN, id or bucket name) is missing or malformed; nothing is derived from it",
            "Fix the node's configuration: the flow cannot run it as it is."
        ),
        entry(
            "INFERENCE_PROFILE_ROUTES_UNKNOWN", "warning",
            "a node uses an inference profile whose destination models are not in the inputs; only the profile is granted",
            "Export the profile with `aws bedrock get-inference-profile` (or `list-inference-profiles`) and plan again: the role also needs bedrock:InvokeModel on the foundation model in every Region the profile routes to."
        ),
        entry(
            "MODEL_NOT_RESOLVED", "warning",
            "a node's model is an ARN flowrole cannot turn into Bedrock grants (a SageMaker endpoint, an unknown resource type); nothing is derived from it",
            "Grant what the model needs yourself (for a SageMaker endpoint, sagemaker:InvokeEndpoint on it) and suppress the finding with a reason."
        ),
        entry(
            "PROMPT_MODEL_NOT_IN_INPUTS", "info",
            "least privilege: a Prompt node renders a Prompt-management prompt, whose model grant is defined in the prompt and not derived",
            "Grant bedrock:InvokeModel on the model of each prompt version the flow renders (`aws bedrock-agent get-prompt`); flowrole does not read prompts."
        ),
        entry(
            "UNNEEDED_GRANT", "info",
            "least privilege: a statement allows a flow action on a resource that none of the flows using the role needs; reported, never removed",
            "Check that no flow outside the inputs uses the role, then remove the action or resource from the statement named in the message (nodes removed from a flow leave their permissions behind)."
        ),
        entry(
            "SHARED_MANAGED_POLICY", "info",
            "a grant is held by a customer-managed policy attached to other roles too",
            "Nothing to do; changing that policy would change the other roles too, so flowrole never edits it."
        ),
        entry(
            "CONSOLE_MANAGED_ROLE", "info",
            "a console-created role (`AmazonBedrockExecutionRoleForFlows_*`); the console may rewrite it on save",
            "After saving the flow in the console, re-run flowrole verify: the console may rewrite the role's policies."
        ),
        entry(
            "TRUST_REWRITE_FAILED", "warning",
            "guard only: the tightened trust document did not parse; the trust policy is left as it is",
            "Report it as a bug in flowrole, with the role's trust policy."
        ),
        entry(
            "IAC_MANAGED", "warning",
            "the role belongs to a CloudFormation stack or Terraform state given as input (stack resources from `export`, `describe-stack-resources` or `list-stack-resources`; `terraform show -json`), carries CloudFormation's `aws:cloudformation:stack-name` tag, or carries a tag `--iac-tag KEY[=VALUE]` names: change its template, not the API",
            "Add the grants to the stack's template; a change through the API would be undone by the next deployment (drift)."
        ),
    ]

    private static let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// The explanation of a code, or nil for a code this version does not know.
    public static func explanation(_ code: String) -> FindingExplanation? { byCode[code] }

    private static func entry(_ code: String, _ severity: String, _ when: String, _ action: String)
        -> FindingExplanation
    {
        FindingExplanation(code: code, severity: severity, when: when, action: action)
    }
}
