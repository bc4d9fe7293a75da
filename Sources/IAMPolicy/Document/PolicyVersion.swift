/// The policy language version (IAM UG, reference_policies_elements_version).
///
/// Only `2012-10-17` substitutes policy variables (`${aws:username}`); under `2008-10-17`, and
/// when the `Version` element is absent, `${…}` is literal text. Rewriters keep the version as
/// found: writing `2012-10-17` into a 2008 document changes the meaning of any `${…}` in it.
public enum PolicyVersion: String, Sendable, Hashable, CaseIterable {
    case v2012_10_17 = "2012-10-17"
    case v2008_10_17 = "2008-10-17"
}

extension Optional where Wrapped == PolicyVersion {
    /// Whether `${…}` is a policy variable in a document of this version (only `2012-10-17`;
    /// IAM UG, reference_policies_elements_version and reference_policies_variables).
    public var substitutesPolicyVariables: Bool { self == .v2012_10_17 }
}
