/// A concrete request for context mode: who, what action, on what resource, with which
/// condition keys (IAM UG, reference_policies_evaluation-logic, "request context").
public struct RequestContext: Sendable, Hashable {
    public var principal: RequestPrincipal
    public var action: String
    /// nil for a request on the resource the policy is attached to (a trust policy's role):
    /// then `Resource`/`NotResource` elements are not consulted.
    public var resource: String?
    /// Condition keys (case-insensitive) and their values (case-sensitive).
    public var keys: ContextKeys

    public init(principal: RequestPrincipal, action: String, resource: String? = nil, keys: ContextKeys = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.keys = keys
    }
}
