/// A requirement and what the plan does about it.
public struct PlannedRequirement: Sendable, Hashable, Comparable {
    public enum State: String, Sendable, Hashable {
        /// The role lacks it; the plan adds it to the migration's own inline policy.
        case add
        /// The role's policies already allow it without condition, and nothing denies it.
        case granted
        /// Adding an Allow would not help (an unconditional Deny, the boundary, a service-linked role, a quota).
        case blocked
    }

    public var requirement: Requirement
    public var state: State

    public init(requirement: Requirement, state: State) {
        self.requirement = requirement
        self.state = state
    }

    public static func < (lhs: PlannedRequirement, rhs: PlannedRequirement) -> Bool {
        lhs.requirement < rhs.requirement
    }
}
