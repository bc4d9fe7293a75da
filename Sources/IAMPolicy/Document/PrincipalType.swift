/// The key of a principal object: `{"AWS" | "Service" | "Federated" | "CanonicalUser": …}`
/// (IAM UG, reference_policies_elements_principal). Keys are matched exactly as written.
public enum PrincipalType: String, Sendable, Hashable, CaseIterable, Comparable {
    case aws = "AWS"
    case service = "Service"
    case federated = "Federated"
    case canonicalUser = "CanonicalUser"

    public static func < (lhs: PrincipalType, rhs: PrincipalType) -> Bool { lhs.rawValue < rhs.rawValue }
}
