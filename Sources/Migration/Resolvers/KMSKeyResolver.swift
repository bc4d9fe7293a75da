import FlowRoleJSON
import IAMPolicy
import Inventory

/// A flow-level rule: the definition's `customerEncryptionKeyArn` → `kms:GenerateDataKey` and
/// `kms:Decrypt` on that key, each under `{"StringEquals":
/// {"kms:EncryptionContext:aws:bedrock-flows:arn": FLOW_ARN}}`, so the role can use the key for
/// this flow's data only [Bedrock UG flows-permissions, the KMS statement of the service-role
/// template]. A flow without a customer-managed key needs nothing.
///
/// The key is `arn:P:kms:R:A:key/ID` [botocore `customerEncryptionKeyArn`: AWS-FORMATS §4] or an
/// alias ARN `arn:P:kms:R:A:alias/NAME`, granted as written in its own partition. (KMS authorizes
/// cryptographic operations against the key ARN, not an alias ARN [KMS DG alias-authorization];
/// the Bedrock model accepts only key ARNs here, so an alias can only come from an edited export.)
public struct KMSKeyResolver: Resolver {
    public let name = "kmsKey"

    public init() {}

    /// The condition key of the encryption context Bedrock Flows uses with a customer-managed key:
    /// its value is the flow's ARN.
    public static let encryptionContextKey = "kms:EncryptionContext:aws:bedrock-flows:arn"

    /// Nodes need nothing from this rule: the key is the definition's.
    public func resolve(_: FlowNode, in _: ResolverContext) -> Resolution { .nothing }

    public func resolveFlow(in context: ResolverContext) -> Resolution {
        guard let text = context.customerEncryptionKeyArn else { return .nothing }
        guard let arn = try? ARN(parsing: text), arn.service == "kms", ARN.isAccountID(arn.account),
            !arn.region.isEmpty, Self.isKeyOrAlias(arn.resource)
        else {
            return .invalid(
                "Flow \(context.flowArn) has customerEncryptionKeyArn \"\(text)\", which is not a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID) or alias ARN."
            )
        }
        let condition = Grant.stringEquals(Self.encryptionContextKey, [context.flowArn])
        // The ARN as found (see ``LambdaArnResolver``).
        return .grants([
            Grant(action: "kms:Decrypt", resource: text, condition: condition),
            Grant(action: "kms:GenerateDataKey", resource: text, condition: condition),
        ])
    }

    /// `key/ID` (letters, digits and `-`: a key id or a `mrk-` multi-Region key id) or
    /// `alias/NAME` (letters, digits, `/`, `_` and `-`) [KMS DG].
    private static func isKeyOrAlias(_ resource: String) -> Bool {
        func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        if resource.hasPrefix("key/") {
            let id = resource.dropFirst("key/".count)
            return !id.isEmpty && id.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" }
        }
        if resource.hasPrefix("alias/") {
            let name = resource.dropFirst("alias/".count)
            return !name.isEmpty && !name.hasSuffix("/")
                && name.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "/" || $0 == "_" || $0 == "-" }
        }
        return false
    }
}
