import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Execution
@testable import Migration

/// `resource-owners/ACCOUNT.sh` and `ACCOUNT.kms.json`: what owners of other accounts' resources
/// run for the plan's roles. Never run by flowrole; here only parsed by `bash -n`.
@Suite("Resource owner scripts")
struct ResourceOwnerScriptsTests {
    static let role = "arn:aws:iam::111122223333:role/service-role/Flows+Role=a,b@x"
    static let statementID = "flowrole-0498009d61a2"
    static let flow = "arn:aws:bedrock:us-east-1:111122223333:flow/FLOWAAAAAA"
    static let function = "arn:aws:lambda:us-east-1:444455556666:function:invoice-normalizer:live"
    static let latest = "arn:aws:lambda:eu-west-1:444455556666:function:returns-handler:$LATEST"
    static let bot = "arn:aws:lex:us-east-1:444455556666:bot-alias/SUPT7BOT4K/TSTALIASID"
    static let key = "arn:aws:kms:us-east-1:777788889999:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
    static let prompt = "arn:aws:bedrock:us-east-1:444455556666:prompt/T8RK2PX4QZ"

    static func requirement(_ action: String, _ resource: String, condition: JSONValue? = nil) -> PlannedRequirement {
        PlannedRequirement(
            requirement: Requirement(
                action: action, resource: resource, flow: flow, version: "DRAFT", node: "N", roleArn: role, sid: "S",
                condition: condition),
            state: .add)
    }

    static func plan() throws -> Plan {
        let context = Grant.stringEquals("kms:EncryptionContext:aws:bedrock-flows:arn", [flow])
        var role = ExecutionTests.role("Flows+Role=a,b@x", account: "111122223333")
        role.arn = Self.role
        role.requirements = [
            requirement("lambda:InvokeFunction", function),
            requirement("lambda:InvokeFunction", latest),
            requirement("lex:RecognizeUtterance", bot),
            requirement("kms:Decrypt", key, condition: context),
            requirement("kms:GenerateDataKey", key, condition: context),
            requirement("bedrock:RenderPrompt", prompt),
            // Same account as the role: nothing for an owner to do.
            requirement("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:own"),
        ]
        return try ExecutionTests.plan([role])
    }

    static func text(_ files: [(name: String, bytes: [UInt8])], _ name: String) throws -> String {
        String(decoding: try #require(files.first { $0.name == name }).bytes, as: UTF8.self)
    }

    @Test func eachOwningAccountGetsAScriptAndKeyOwnersTheirStatements() throws {
        let files = ResourceOwnerScripts.files(try Self.plan(), planSHA256: "feed")
        #expect(
            files.map(\.name) == [
                "resource-owners/444455556666.sh", "resource-owners/777788889999.sh",
                "resource-owners/777788889999.kms.json",
            ])
        let script = try Self.text(files, "resource-owners/444455556666.sh")
        let lines = script.split(separator: "\n").map(String.init)
        // The function as the flow names it (its alias's policy is its own), every word quoted.
        #expect(
            lines.contains(
                "allow 'lambda:InvokeFunction on arn:aws:lambda:us-east-1:444455556666:function:invoice-normalizer:live for arn:aws:iam::111122223333:role/service-role/Flows+Role=a,b@x' aws lambda add-permission --function-name 'arn:aws:lambda:us-east-1:444455556666:function:invoice-normalizer:live' --statement-id 'flowrole-0498009d61a2' --action 'lambda:InvokeFunction' --principal 'arn:aws:iam::111122223333:role/service-role/Flows+Role=a,b@x' --region 'us-east-1'"
            ))
        #expect(
            lines.contains(
                #"allow 'lex:RecognizeUtterance on arn:aws:lex:us-east-1:444455556666:bot-alias/SUPT7BOT4K/TSTALIASID for arn:aws:iam::111122223333:role/service-role/Flows+Role=a,b@x' aws lexv2-models create-resource-policy-statement --resource-arn 'arn:aws:lex:us-east-1:444455556666:bot-alias/SUPT7BOT4K/TSTALIASID' --statement-id 'flowrole-0498009d61a2' --effect 'Allow' --principal '[{"arn":"arn:aws:iam::111122223333:role/service-role/Flows+Role=a,b@x"}]' --action 'lex:RecognizeUtterance' --region 'us-east-1'"#
            ))
        #expect(script.contains("cannot create a statement that allows cross-account access"))
        // $LATEST takes no policy: the command is only a suggestion, commented out.
        #expect(!lines.contains { $0.hasPrefix("allow") && $0.contains("returns-handler") })
        #expect(
            lines.contains {
                $0.hasPrefix("# allow ")
                    && $0.contains("--function-name 'arn:aws:lambda:eu-west-1:444455556666:function:returns-handler' ")
                    && $0.hasSuffix("--region 'eu-west-1'")
            })
        // A prompt has no command; the same account's function is not there at all.
        #expect(script.contains("# \(Self.role) needs bedrock:RenderPrompt on \(Self.prompt)"))
        #expect(!script.contains("function:own"))
        #expect(script.contains("if [ \"$actual\" != '444455556666' ]; then"))

        let keys = try JSONParser.parse(try Self.text(files, "resource-owners/777788889999.kms.json"))
        #expect(keys["account"] == "777788889999")
        let statement = try #require(keys["keys"]?.arrayValue?.first?["statements"]?.arrayValue?.first)
        #expect(statement["Sid"] == .string(Self.statementID))
        #expect(statement["Principal"]?["AWS"] == .string(Self.role))
        #expect(statement["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"])
        #expect(
            statement["Condition"]?["StringEquals"]?["kms:EncryptionContext:aws:bedrock-flows:arn"] == [
                .string(Self.flow)
            ])
        #expect(try Self.text(files, "resource-owners/777788889999.sh").contains("777788889999.kms.json"))
    }

    @Test func theScriptsAreValidBashAndTheBundleCarriesThem() throws {
        let plan = try Self.plan()
        let bundle = OfflineBundle.files(plan, planSHA256: "feed", phase: .all)
        #expect(bundle.contains { $0.name == "resource-owners/444455556666.sh" })
        #expect(try Self.text(bundle, "README.md").contains("resource-owners/ACCOUNT.sh"))
        for file in bundle where file.name.hasSuffix(".sh") && file.name.hasPrefix("resource-owners/") {
            let path = ExecutionTests.temporaryFile((file.name as NSString).lastPathComponent)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(file.bytes).write(to: URL(fileURLWithPath: path))
            let bash = Process()
            bash.executableURL = URL(fileURLWithPath: "/bin/bash")
            bash.arguments = ["-n", path]
            try bash.run()
            bash.waitUntilExit()
            #expect(bash.terminationStatus == 0, "\(file.name) parses")
        }
        // No cross-account resource, no owner files.
        let local = try ExecutionTests.plan([ExecutionTests.role("RoleA", account: "111122223333")])
        #expect(ResourceOwnerScripts.files(local, planSHA256: "feed").isEmpty)
    }
}
