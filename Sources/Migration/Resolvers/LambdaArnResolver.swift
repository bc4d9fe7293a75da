import FlowRoleJSON
import IAMPolicy
import Inventory

/// `lambdaArn` of a LambdaFunction node → `lambda:InvokeFunction` on exactly that ARN.
///
/// A qualified ARN (`function:NAME:ALIAS`, `:3`, `:$LATEST`) is granted as written: Lambda
/// compares the policy's Resource with the function name *and* qualifier of the call, so
/// `function:NAME` does not cover `function:NAME:live` (Lambda DG, "Function resource names";
/// IAM-SEMANTICS §6.1). Partition, region and account come from the ARN itself.
public struct LambdaArnResolver: Resolver {
    public let name = "lambdaArn"

    public init() {}

    public func resolve(_ node: FlowNode, in _: ResolverContext) -> Resolution {
        guard case .string(let text)? = node.configuration?["lambdaArn"] else {
            return .invalid("LambdaFunction node \(node.path) has no lambdaArn.")
        }
        guard Self.accepts(text, fast: true) else {
            return .invalid("LambdaFunction node \(node.path) names \"\(text)\", which is not a Lambda function ARN.")
        }
        // `text` as found: a parsed ARN's `text` rebuilds the same bytes (``ARN/init(parsing:)`` cuts
        // at colons and keeps every part), and rebuilding it cost as much as the parse.
        return .grants([Grant(action: "lambda:InvokeFunction", resource: text)])
    }

    /// Whether `text` is a Lambda function ARN. `fast: false` is the reference the tests compare
    /// the fast path with: the ARN parsed whole, its fields compared as strings.
    static func accepts(_ text: String, fast: Bool) -> Bool {
        if fast, let read = ARNFields.read(text) {
            guard let fields = read else { return false }
            return fields.service.utf8.elementsEqual("lambda".utf8)
                && fields.resource.utf8.starts(with: "function:".utf8)
                && fields.resource.utf8.count > "function:".utf8.count && fields.hasAccountID
                && !fields.region.isEmpty
        }
        guard let arn = try? ARN(parsing: text) else { return false }
        return arn.service == "lambda" && arn.resource.hasPrefix("function:")
            && arn.resource.count > "function:".count && ARN.isAccountID(arn.account) && !arn.region.isEmpty
    }
}
