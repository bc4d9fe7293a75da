import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Inventory

/// `aws lambda get-policy` outputs as inputs: `{"Policy": "<JSON text>", "RevisionId": "…"}`.
@Suite("Lambda policy reader")
struct LambdaPolicyReaderTests {
    static let function = "arn:aws:lambda:us-east-1:444455556666:function:invoice-normalizer"

    /// The end-to-end fixture, read from the EndToEndTests sources beside this target.
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(
                "EndToEndTests/Fixtures/good/lambda-policies/get-policy.invoice-normalizer.json"
            ).path
    }

    /// A get-policy output whose Policy is `document` as JSON text.
    static func output(_ document: String, revision: String = "\"1f7a\"") -> String {
        let text = JSONValue.string(document).canonicalText
        return #"{"Policy": \#(text), "RevisionId": \#(revision)}"#
    }

    static func statement(_ resource: String, sid: String = "s", effect: String = "Allow") -> String {
        #"{"Sid":"\#(sid)","Effect":"\#(effect)","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"\#(resource)"}"#
    }

    static func policy(_ statements: String...) -> String {
        #"{"Version":"2012-10-17","Id":"default","Statement":[\#(statements.joined(separator: ","))]}"#
    }

    @Test func aGetPolicyOutputGivesTheFunctionsPolicy() throws {
        let inventory = try InventoryReader.read(paths: [Self.fixture])
        #expect(inventory.inputs.map(\.kind) == ["lambda.get-policy"])
        let policy = try #require(inventory.lambdaPolicies.first)
        #expect(inventory.lambdaPolicies.count == 1)
        #expect(policy.functionArn == Self.function)
        #expect(policy.document.statements.map(\.sid) == ["bedrock-flows-invoice-triage", "xaccount-reporting"])
        #expect(policy.document.statements.first?.principal?.namesService("bedrock.amazonaws.com") == true)
        #expect(policy.source == Provenance(path: Self.fixture, pointer: ""))
    }

    @Test func lambdaAndIAMGetPolicyOutputsAreToldApart() throws {
        let lambda = try JSONParser.parse(Self.output(Self.policy(Self.statement(Self.function))))
        #expect(InputKind.detect(lambda) == .lambdaGetPolicy)
        let iam = try JSONParser.parse(
            #"{"Policy": {"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v1"}}"#)
        #expect(InputKind.detect(iam) == .getPolicy)
        // A Policy string without a RevisionId is not taken for Lambda's.
        let bare = try JSONParser.parse(#"{"Policy": "{}"}"#)
        #expect(InputKind.detect(bare) == .getPolicy)
    }

    @Test func aVersionsOrAliassPolicyIsKnownByItsQualifiedArn() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("live.json", Self.output(Self.policy(Self.statement(Self.function + ":live"))))
        try folder.write("function.json", Self.output(Self.policy(Self.statement(Self.function))))
        let inventory = try folder.read()
        #expect(inventory.lambdaPolicies.map(\.functionArn) == [Self.function, Self.function + ":live"])
    }

    @Test func theSamePolicyReadTwiceIsOneAndADifferentOneIsBadInputNamingBothPlaces() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let first = try folder.write("a.json", Self.output(Self.policy(Self.statement(Self.function))))
        try folder.write("b.json", Self.output(Self.policy(Self.statement(Self.function)), revision: "\"other\""))
        #expect(try folder.read().lambdaPolicies.count == 1)
        let third = try folder.write("c.json", Self.output(Self.policy(Self.statement(Self.function, sid: "t"))))
        let errors = folder.errors()
        #expect(errors.map(\.file) == [third])
        #expect(errors.first?.message.contains(first) == true)
        #expect(errors.first?.message.contains("the policy of Lambda function \(Self.function)") == true)
    }

    @Test(arguments: [
        // (file text, pointer of the error, a part of the message)
        (output(#"{"Version":"2012-10-17","Statement":[}"#), "/Policy", "line 1, column 38 of the Policy text"),
        (output(#"["not","a","document"]"#), "/Policy", "not a policy document object"),
        (output(policy(statement(function, effect: "Maybe"))), "/Policy/Statement/0/Effect", "Maybe"),
        (output(policy(statement("arn:aws:s3:::bucket"))), "/Policy/Statement/0/Resource", "not a Lambda function ARN"),
        (output(policy(statement(function + "*"))), "/Policy/Statement/0/Resource", "not a Lambda function ARN"),
        (
            output(policy(statement(function), statement(function + "-2"))), "/Policy/Statement/1/Resource",
            "another function"
        ),
        (output(#"{"Version":"2012-10-17","Statement":[]}"#), "/Policy", "no statement"),
        (output(policy(statement(function)), revision: "7"), "/RevisionId", "must be a string"),
    ])
    func badShapesNameTheFileAndThePlaceInsideThePolicy(text: String, pointer: String, message: String) throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("get-policy.json", text)
        let errors = folder.errors()
        #expect(errors.map(\.file) == [path])
        #expect(errors.map(\.pointer) == [pointer], "\(errors)")
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
    }
}
