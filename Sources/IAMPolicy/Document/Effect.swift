/// A statement's `Effect`: exactly `Allow` or `Deny` (IAM UG, reference_policies_elements_effect).
public enum Effect: String, Sendable, Hashable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}
