/// Where policy variables get their values.
public enum PolicyVariableValues: Sendable, Hashable {
    /// Proof mode: no request, so a variable's value is unknown.
    case unknown
    /// Context mode: from the request's context keys (a missing key without a default, or a key
    /// with several values, leaves the variable unknown).
    case context(ContextKeys)
}
