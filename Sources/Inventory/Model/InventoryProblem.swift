/// Something the inputs leave open that is not bad input: an incomplete listing, a failed export
/// region, a flow listed but not read in detail. Shown by `flowrole inventory`; the planner turns
/// the ones that matter into findings.
public struct InventoryProblem: Sendable, Hashable, Comparable {
    public enum Code: String, Sendable, Hashable, Comparable {
        /// A list output ends with a `nextToken`/`Marker` and no following page is in the inputs.
        case incompleteListing = "INCOMPLETE_LISTING"
        /// A manifest records a failed export of an account and region.
        case exportFailed = "EXPORT_FAILED"
        /// `list-flows` names a flow whose `get-flow` output is not in the inputs.
        case flowNotDetailed = "FLOW_NOT_DETAILED"
        /// A flow version is listed or routed to, but its definition is not in the inputs.
        case flowVersionsIncomplete = "FLOW_VERSIONS_INCOMPLETE"
        /// A role's inline or attached policies are not all in the inputs.
        case rolePoliciesIncomplete = "ROLE_POLICIES_INCOMPLETE"
        /// A role attaches a managed policy (or boundary) whose document is not in the inputs.
        case policyNotInInputs = "POLICY_NOT_IN_INPUTS"
        /// A flow names an execution role the IAM inputs do not hold.
        case roleNotInInputs = "ROLE_NOT_IN_INPUTS"
        /// A flow names its role with another path than the role has.
        case roleArnPathMismatch = "ROLE_ARN_PATH_MISMATCH"
        /// A node type this version does not know.
        case unknownNodeType = "UNKNOWN_NODE_TYPE"

        public static func < (lhs: Code, rhs: Code) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var code: Code
    /// The ARN (or file) the problem is about.
    public var subject: String
    public var message: String
    public var source: Provenance?

    public init(code: Code, subject: String, message: String, source: Provenance? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.source = source
    }

    public static func < (lhs: InventoryProblem, rhs: InventoryProblem) -> Bool {
        (lhs.code, lhs.subject, lhs.message) < (rhs.code, rhs.subject, rhs.message)
    }
}
