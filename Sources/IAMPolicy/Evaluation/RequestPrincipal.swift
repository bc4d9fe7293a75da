/// Who makes a request, for context mode (IAM UG, reference_policies_elements_principal).
public enum RequestPrincipal: Sendable, Hashable, CustomStringConvertible {
    /// A service principal (`bedrock.amazonaws.com`).
    case service(String)
    /// An AWS principal: an IAM role/user ARN, an account root ARN or a 12-digit account id.
    case aws(String)
    /// A federated principal (an identity provider ARN or `cognito-identity.amazonaws.com`).
    case federated(String)
    /// An S3 canonical user id.
    case canonicalUser(String)
    /// An unauthenticated caller: only `"Principal": "*"` admits it.
    case anonymous

    public var description: String {
        switch self {
        case .service(let name): "service \(name)"
        case .aws(let name): "AWS \(name)"
        case .federated(let name): "federated \(name)"
        case .canonicalUser(let name): "canonical user \(name)"
        case .anonymous: "anonymous"
        }
    }
}
