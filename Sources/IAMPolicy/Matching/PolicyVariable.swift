/// A policy variable `${key}` or `${key, 'default'}` in a 2012-10-17 document
/// (IAM UG, reference_policies_variables). `${*}`, `${?}` and `${$}` are not variables but the
/// literal characters `*`, `?`, `$` ("Special characters").
public struct PolicyVariable: Sendable, Hashable {
    /// The context key named (`aws:username`); compared case-insensitively.
    public var key: String
    /// The default after `, '…'`, used when the key is absent.
    public var defaultValue: String?

    public init(key: String, defaultValue: String? = nil) {
        self.key = key
        self.defaultValue = defaultValue
    }
}
