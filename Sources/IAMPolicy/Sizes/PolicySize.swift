public import FlowRoleJSON

/// Policy sizes as IAM counts them (IAM UG, iam-quotas; DESIGN, "Canonical JSON"): characters of
/// the canonical form, that is without white space outside strings. Every size, the trust
/// policy's included, is counted that way.
public enum PolicySize {
    /// All inline policies of a role together (IAM UG, iam-quotas; IAM-SEMANTICS §5).
    public static let inlineTotalQuota = 10_240
    /// One managed policy (IAM-SEMANTICS §5).
    public static let managedPolicyQuota = 6_144
    /// A role's trust policy by default (adjustable up to 4,096; IAM UG, iam-quotas).
    public static let defaultTrustPolicyQuota = 2_048

    /// Characters of the canonical form (`JSONValue.canonicalCharacterCount`).
    public static func characters(_ document: JSONValue) -> Int {
        document.canonicalCharacterCount
    }

    /// A role's inline policies together against 10,240 characters.
    public static func inlineTotal(_ documents: [JSONValue], limit: Int = inlineTotalQuota) -> QuotaCheck {
        QuotaCheck(used: documents.reduce(0) { $0 + characters($1) }, limit: limit)
    }

    /// A trust policy against `maxCharacters` (`--trust-policy-max-chars`, default 2,048).
    public static func trustPolicy(_ document: JSONValue, maxCharacters: Int = defaultTrustPolicyQuota) -> QuotaCheck {
        QuotaCheck(used: characters(document), limit: maxCharacters)
    }

    /// One managed policy against 6,144 characters.
    public static func managedPolicy(_ document: JSONValue) -> QuotaCheck {
        QuotaCheck(used: characters(document), limit: managedPolicyQuota)
    }

    /// Whether IAM accepts `scalar` in a policy document: tab, LF, CR and U+0020–U+00FF only
    /// (IAM UG, iam-quotas; botocore's policyDocumentType pattern).
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || (0x20...0xFF).contains(scalar.value)
    }

    /// Every character IAM would reject, in strings and member names, in document order.
    public static func disallowedCharacters(in document: JSONValue) -> [DisallowedCharacter] {
        var found: [DisallowedCharacter] = []
        collect(document, pointer: "", into: &found)
        return found
    }

    private static func collect(_ value: JSONValue, pointer: String, into found: inout [DisallowedCharacter]) {
        switch value {
        case .string(let text):
            for scalar in text.unicodeScalars where !isAllowed(scalar) {
                found.append(DisallowedCharacter(pointer: pointer, scalar: scalar, isInKey: false))
            }
        case .array(let items):
            for (index, item) in items.enumerated() { collect(item, pointer: pointer + "/\(index)", into: &found) }
        case .object(let members):
            for member in members {
                let child = pointer + "/" + InputError.pointerToken(member.key)
                for scalar in member.key.unicodeScalars where !isAllowed(scalar) {
                    found.append(DisallowedCharacter(pointer: child, scalar: scalar, isInKey: true))
                }
                collect(member.value, pointer: child, into: &found)
            }
        case .null, .bool, .number:
            break
        }
    }
}
