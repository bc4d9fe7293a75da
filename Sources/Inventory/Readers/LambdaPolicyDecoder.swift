import FlowRoleJSON
import IAMPolicy

/// `aws lambda get-policy --function-name F [--qualifier Q]` outputs: `{"Policy": "<the policy as
/// JSON text>", "RevisionId": "…"}`, both strings [Lambda API reference, GetPolicy; its example's
/// Policy is `{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":…,"Effect":"Allow",
/// "Principal":…,"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:…:function:my-function:1"}]}`].
/// IAM's `get-policy` output also has a `Policy` member, but as an object: `InputKind.detect` tells
/// them apart by the string and the `RevisionId`.
///
/// The policy text is parsed with the project's JSON parser and checked against the policy
/// grammar; errors name the file, the pointer `/Policy` and the place inside the text (line and
/// column for syntax, the document's own pointer appended for grammar). The function is the one
/// ARN every statement's `Resource` names (Lambda writes it on each statement it adds).
enum LambdaPolicyDecoder {
    static func getPolicy(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let what = "lambda get-policy output"
        let output = try output.object(what)
        _ = try output.requiredString("RevisionId", in: what)
        let policy = try output.required("Policy", in: what)
        let text = try policy.string("\(what)'s Policy")
        let json: JSONValue
        do throws(InputError) {
            json = try JSONParser.parse(text, file: output.context.file)
        } catch {
            throw policy.error(
                "\(what)'s Policy text is not valid JSON: \(error.message) (at line \(error.line ?? 1), column \(error.column ?? 1) of the Policy text)."
            )
        }
        guard json.isObject else {
            throw policy.error("\(what)'s Policy text holds \(json.kindDescription), not a policy document object.")
        }
        let document: PolicyDocument
        do {
            document = try PolicyDocument(json: json)
        } catch {
            throw inner(policy, error.pointer, "\(what)'s Policy: \(error.message)")
        }
        var function: String?
        for statement in document.statements {
            let at = statement.pointer + "/Resource"
            guard let resource = statement.resource, !resource.isNegated, resource.patterns.count == 1,
                let written = resource.patterns.first?.text
            else {
                throw inner(
                    policy, at, "\(what)'s Policy: a function policy statement names its function as one Resource.")
            }
            guard let arn = try? ARN(parsing: written), arn.service == "lambda", arn.resource.hasPrefix("function:"),
                arn.resource.count > "function:".count, ARN.isAccountID(arn.account), !arn.region.isEmpty,
                !written.hasIAMWildcard
            else {
                throw inner(
                    policy, at,
                    "\(what)'s Policy: Resource \"\(written)\" is not a Lambda function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])."
                )
            }
            if let function, function != written {
                throw inner(
                    policy, at,
                    "\(what)'s Policy: Resource \"\(written)\" is another function than the other statements' (\"\(function)\"); one output holds one function's policy."
                )
            }
            function = written
        }
        guard let function else {
            throw policy.error("\(what)'s Policy has no statement, so it names no function.")
        }
        fragments.lambdaPolicies.append(
            LambdaResourcePolicy(functionArn: function, document: document, source: output.provenance))
    }

    /// An error at `pointer` inside the Policy text: the output's pointer of `Policy`, then the
    /// document's own (`/Policy/Statement/0/Resource`), as `Cursor.document` reports documents
    /// given as JSON text.
    private static func inner(_ policy: Cursor, _ pointer: String, _ message: String) -> InputError {
        let outer = policy.pointer
        return InputError(
            file: policy.context.file, line: policy.context.line(for: outer),
            pointer: policy.context.prefix + outer + pointer, message: message)
    }
}
