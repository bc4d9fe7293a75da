import FlowRoleJSON

/// The kinds of input, detected by content, never by file name (DESIGN, "Inputs it must read").
enum InputKind: String, Sendable, CaseIterable {
    case authorizationDetails = "iam.authorization-details"
    case getRole = "iam.get-role"
    case getRolePolicy = "iam.get-role-policy"
    case listRolePolicies = "iam.list-role-policies"
    case listAttachedRolePolicies = "iam.list-attached-role-policies"
    case getPolicy = "iam.get-policy"
    case getPolicyVersion = "iam.get-policy-version"
    case getFlow = "flows.get-flow"
    case getFlowVersion = "flows.get-flow-version"
    case listFlows = "flows.list-flows"
    case listFlowVersions = "flows.list-flow-versions"
    case listFlowAliases = "flows.list-flow-aliases"
    case getFlowAlias = "flows.get-flow-alias"
    case flowBundle = "flows.bundle"
    case manifest = "flowrole.manifest"
    case describeStackResources = "cloudformation.describe-stack-resources"
    case listStackResources = "cloudformation.list-stack-resources"
    case cloudFormationBundle = "cloudformation.bundle"
    case terraformState = "terraform.state"
    case inferenceProfiles = "bedrock.inference-profiles"
    case lambdaGetPolicy = "lambda.get-policy"

    /// The kind of one output object, by the members that only it has.
    static func detect(_ value: JSONValue) -> InputKind? {
        guard case .object(let members) = value else { return nil }
        let keys = Set(members.map(\.key))
        if keys.contains("schema") { return .manifest }
        if keys.contains("StackResources") { return .describeStackResources }
        if keys.contains("StackResourceSummaries") { return .listStackResources }
        if keys.contains("stacks") { return .cloudFormationBundle }
        // `terraform show -json` (a raw terraform.tfstate, or a plan's JSON, is recognised to be
        // rejected with a sentence saying what to run instead).
        if keys.contains("format_version") || keys.isSuperset(of: ["lineage", "serial"]) { return .terraformState }
        if !keys.isDisjoint(with: ["RoleDetailList", "Policies", "UserDetailList", "GroupDetailList"]) {
            return .authorizationDetails
        }
        if keys.contains("Role") { return .getRole }
        if keys.isSuperset(of: ["RoleName", "PolicyName", "PolicyDocument"]) { return .getRolePolicy }
        if keys.contains("PolicyNames") { return .listRolePolicies }
        if keys.contains("AttachedPolicies") { return .listAttachedRolePolicies }
        // Lambda's get-policy: the policy as JSON text beside a RevisionId (IAM's Policy is an object).
        if keys.contains("RevisionId"), case .string = value["Policy"] ?? .null { return .lambdaGetPolicy }
        if keys.contains("Policy") { return .getPolicy }
        if keys.contains("PolicyVersion") { return .getPolicyVersion }
        if keys.contains("flowSummaries") { return .listFlows }
        if keys.contains("flowVersionSummaries") { return .listFlowVersions }
        if keys.contains("flowAliasSummaries") { return .listFlowAliases }
        if keys.contains("inferenceProfileSummaries") || keys.contains("inferenceProfileArn") {
            return .inferenceProfiles
        }
        if keys.contains("flows") { return .flowBundle }
        if keys.isSuperset(of: ["routingConfiguration", "flowId", "arn"]) { return .getFlowAlias }
        if keys.isSuperset(of: ["executionRoleArn", "arn", "id"]) {
            if case .string(let version) = value["version"] ?? .null, version != "DRAFT" { return .getFlowVersion }
            return .getFlow
        }
        return nil
    }

    /// IAM and CloudFormation Query API responses: `<ActionResponse><ActionResult>…`.
    static func detectXMLResponse(rootName: String) -> InputKind? {
        switch rootName {
        case "DescribeStackResourcesResponse": .describeStackResources
        case "ListStackResourcesResponse": .listStackResources
        case "GetAccountAuthorizationDetailsResponse": .authorizationDetails
        case "GetRoleResponse": .getRole
        case "GetRolePolicyResponse": .getRolePolicy
        case "ListRolePoliciesResponse": .listRolePolicies
        case "ListAttachedRolePoliciesResponse": .listAttachedRolePolicies
        case "GetPolicyResponse": .getPolicy
        case "GetPolicyVersionResponse": .getPolicyVersion
        default: nil
        }
    }

    func decode(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        switch self {
        case .authorizationDetails: try IAMDecoder.authorizationDetails(output, into: &fragments)
        case .getRole: try IAMDecoder.getRole(output, into: &fragments)
        case .getRolePolicy: try IAMDecoder.getRolePolicy(output, into: &fragments)
        case .listRolePolicies: try IAMDecoder.listRolePolicies(output, into: &fragments)
        case .listAttachedRolePolicies: try IAMDecoder.listAttachedRolePolicies(output, into: &fragments)
        case .getPolicy: try IAMDecoder.getPolicy(output, into: &fragments)
        case .getPolicyVersion: try IAMDecoder.getPolicyVersion(output, into: &fragments)
        case .getFlow: try FlowDecoder.getFlow(output, into: &fragments)
        case .getFlowVersion: try FlowDecoder.getFlowVersion(output, into: &fragments)
        case .listFlows: try FlowDecoder.listFlows(output, into: &fragments)
        case .listFlowVersions: try FlowDecoder.listFlowVersions(output, into: &fragments)
        case .listFlowAliases: try FlowDecoder.listFlowAliases(output, into: &fragments)
        case .getFlowAlias: try FlowDecoder.getFlowAlias(output, into: &fragments)
        case .flowBundle: try FlowDecoder.bundle(output, into: &fragments)
        case .manifest: try ManifestDecoder.manifest(output, into: &fragments)
        case .describeStackResources: try IaCDecoder.describeStackResources(output, into: &fragments)
        case .listStackResources: try IaCDecoder.listStackResources(output, into: &fragments)
        case .cloudFormationBundle: try IaCDecoder.bundle(output, into: &fragments)
        case .terraformState: try IaCDecoder.terraformState(output, into: &fragments)
        case .inferenceProfiles: try InferenceProfileDecoder.decode(output, into: &fragments)
        case .lambdaGetPolicy: try LambdaPolicyDecoder.getPolicy(output, into: &fragments)
        }
    }
}
