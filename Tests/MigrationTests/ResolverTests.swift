import FlowRoleJSON
import Inventory
import Testing

@testable import Migration

func node(_ type: String, _ configuration: JSONValue?, name: String = "N") -> FlowNode {
    FlowNode(name: name, type: type, configuration: configuration, configurationKind: nil, children: [], path: name)
}

@Suite("Resolvers")
struct ResolverTests {
    @Test(arguments: [
        "arn:aws:lambda:us-east-1:111122223333:function:router",
        "arn:aws:lambda:us-east-1:111122223333:function:router:live",
        "arn:aws:lambda:us-east-1:111122223333:function:router:3",
        "arn:aws:lambda:us-east-1:111122223333:function:router:$LATEST",
        "arn:aws-cn:lambda:cn-north-1:111122223333:function:router",
        "arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:router:prod",
    ])
    func lambdaIsGrantedExactlyAsWritten(arn: String) {
        // Lambda DG "Function resource names": function:NAME does not cover function:NAME:QUALIFIER,
        // so the qualified ARN is granted as written, in its own partition.
        #expect(
            LambdaArnResolver().resolve(node("LambdaFunction", ["lambdaArn": .string(arn)]))
                == .grants([Grant(action: "lambda:InvokeFunction", resource: arn)]))
    }

    @Test(
        arguments: [
            nil, "", "arn:aws:lambda:us-east-1:111122223333:layer:x", "arn:aws:s3:::bucket",
            "arn:aws:lambda:us-east-1:*:function:router", "not an arn",
        ] as [String?])
    func aLambdaNodeWithoutAFunctionArnIsReported(arn: String?) {
        let configuration: JSONValue = arn.map { ["lambdaArn": .string($0)] } ?? [:]
        guard case .invalid = LambdaArnResolver().resolve(node("LambdaFunction", configuration)) else {
            Issue.record("expected .invalid for \(String(describing: arn))")
            return
        }
    }

    @Test func lexIsGrantedOnTheBotAliasTestAliasIncluded() {
        let arn = "arn:aws:lex:us-east-1:111122223333:bot-alias/SUPBOT7Q2X/TSTALIASID"
        #expect(
            LexBotAliasResolver().resolve(node("Lex", ["botAliasArn": .string(arn), "localeId": "en_US"]))
                == .grants([Grant(action: "lex:RecognizeUtterance", resource: arn)]))
        guard
            case .invalid = LexBotAliasResolver().resolve(
                node("Lex", ["botAliasArn": "arn:aws:lex:us-east-1:111122223333:bot/SUPBOT7Q2X"]))
        else {
            Issue.record("a bot ARN is not a bot alias ARN")
            return
        }
    }

    @Test func promptsAreGrantedOnTheBaseAndTheVersion() {
        let base = "arn:aws:bedrock:us-east-1:111122223333:prompt/PRMT4A9X2Q"
        func resource(_ arn: String) -> JSONValue { ["sourceConfiguration": ["resource": ["promptArn": .string(arn)]]] }
        #expect(
            PromptResourceResolver().resolve(node("Prompt", resource(base)))
                == .grants([Grant(action: "bedrock:RenderPrompt", resource: base)]))
        #expect(
            PromptResourceResolver().resolve(node("Prompt", resource(base + ":3")))
                == .grants([
                    Grant(action: "bedrock:RenderPrompt", resource: base),
                    Grant(action: "bedrock:RenderPrompt", resource: base + ":3"),
                ]))
        let inline: JSONValue = [
            "sourceConfiguration": ["inline": ["templateType": "TEXT", "modelId": "anthropic.claude-3-haiku"]]
        ]
        #expect(PromptResourceResolver().resolve(node("Prompt", inline)) == .nothing)
        for bad in [base + ":", base + ":x", base + ":1:2", "arn:aws:bedrock:us-east-1:111122223333:agent/X"] {
            guard case .invalid = PromptResourceResolver().resolve(node("Prompt", resource(bad))) else {
                Issue.record("\(bad) should be invalid")
                continue
            }
        }
    }
}
