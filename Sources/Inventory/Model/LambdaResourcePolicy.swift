public import IAMPolicy

/// A Lambda function's resource-based policy, from an `aws lambda get-policy` output. Lambda keeps
/// one policy per function and one per version or alias (`get-policy --qualifier`), and checks a
/// call against the policy of exactly the ARN it names [Lambda API reference, AddPermission: "If
/// you use a qualifier, the invoker must use the full Amazon Resource Name (ARN) of that version or
/// alias"]; so the policy is known by the ARN its statements' `Resource` names, qualified or not.
public struct LambdaResourcePolicy: Sendable, Hashable {
    /// `arn:P:lambda:R:A:function:NAME`, or `…:function:NAME:QUALIFIER` for a version's or an
    /// alias's own policy.
    public var functionArn: String
    /// The policy document; its `json` is the document exactly as read.
    public var document: PolicyDocument
    /// Where it was read: the file and the pointer of the output object.
    public var source: Provenance

    public init(functionArn: String, document: PolicyDocument, source: Provenance) {
        self.functionArn = functionArn
        self.document = document
        self.source = source
    }
}
