import FlowRoleJSON
import Inventory
import Testing

@testable import Migration

/// Flow contexts in three partitions; the commercial one is the real fixture's flow
/// (get-flow.9JQ2WPL0TA.json).
private enum Flows {
    static let aws = ResolverContext(
        flowArn: "arn:aws:bedrock:us-east-1:123456789012:flow/9JQ2WPL0TA", partition: "aws", region: "us-east-1",
        account: "123456789012")
    static let china = ResolverContext(
        flowArn: "arn:aws-cn:bedrock:cn-north-1:111122223333:flow/C8NQ4RT2LM", partition: "aws-cn",
        region: "cn-north-1", account: "111122223333")
    static let gov = ResolverContext(
        flowArn: "arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:flow/G5VK2PX9DW", partition: "aws-us-gov",
        region: "us-gov-west-1", account: "444455556666")

    static let sonnetProfile =
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0"
    static let sonnetModels = ["us-east-1", "us-east-2", "us-west-2"].map {
        "arn:aws:bedrock:\($0)::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"
    }

    static func with(_ context: ResolverContext, profiles: [String: [String]]) -> ResolverContext {
        var context = context
        context.inferenceProfiles = profiles
        return context
    }
}

private func invoke(_ resource: String) -> Grant { Grant(action: "bedrock:InvokeModel", resource: resource) }

private func inlinePrompt(_ modelId: JSONValue?) -> FlowNode {
    var inline: [JSONMember] = [JSONMember("templateType", "TEXT")]
    if let modelId { inline.append(JSONMember("modelId", modelId)) }
    return node("Prompt", ["sourceConfiguration": ["inline": .object(inline)]])
}

private func expectInvalid(
    _ resolution: Resolution, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard case .invalid = resolution else {
        Issue.record(
            "expected .invalid, got \(resolution). \(comment?.description ?? "")", sourceLocation: sourceLocation)
        return
    }
}

@Suite("Least-privilege resolvers")
struct LeastPrivilegeResolverTests {
    // MARK: modelId

    @Test func aBareFoundationModelIdIsBuiltInTheFlowsPartitionAndRegion() {
        let id = "anthropic.claude-3-haiku-20240307-v1:0"
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(id)), in: Flows.aws)
                == .grants([invoke("arn:aws:bedrock:us-east-1::foundation-model/\(id)")]))
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(id)), in: Flows.china)
                == .grants([invoke("arn:aws-cn:bedrock:cn-north-1::foundation-model/\(id)")]))
        #expect(
            ModelIdResolver().resolve(
                node("KnowledgeBase", ["knowledgeBaseId": "KB7M2QX9TR", "modelId": .string(id)]), in: Flows.gov)
                == .grants([invoke("arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/\(id)")]))
    }

    @Test(arguments: ["us", "eu", "apac", "us-gov", "jp", "au", "ca", "global"])
    func aBareIdWithAGeographyPrefixIsASystemInferenceProfile(prefix: String) throws {
        let id = "\(prefix).anthropic.claude-3-5-sonnet-20241022-v2:0"
        let profile = "arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:inference-profile/\(id)"
        guard case .partial(let grants, let notes) = ModelIdResolver().resolve(inlinePrompt(.string(id)), in: Flows.gov)
        else {
            Issue.record("expected .partial")
            return
        }
        #expect(grants == [invoke(profile)])
        #expect(notes.map(\.code) == ["INFERENCE_PROFILE_ROUTES_UNKNOWN"])
        #expect(notes.map(\.severity) == [.warning])
        let message = try #require(notes.first?.message)
        #expect(message.contains(profile))
        #expect(message.contains("each Region the profile routes to"))
        #expect(message.contains("aws bedrock get-inference-profile") && message.contains("list-inference-profiles"))
        #expect(ModelIdResolver.geographyPrefixes.contains(prefix))
    }

    @Test func anInferenceProfileTheInputsDescribeGrantsItsFoundationModelsToo() {
        let context = Flows.with(Flows.aws, profiles: [Flows.sonnetProfile: Flows.sonnetModels])
        let expected = Resolution.grants(([Flows.sonnetProfile] + Flows.sonnetModels).map(invoke).sorted())
        // Bare id (built in the flow's account) and the ARN the real fixture's KnowledgeBase node holds.
        #expect(
            ModelIdResolver().resolve(inlinePrompt("us.anthropic.claude-3-5-sonnet-20241022-v2:0"), in: context)
                == expected)
        #expect(
            ModelIdResolver().resolve(
                node("KnowledgeBase", ["knowledgeBaseId": "KB7M2QX9TR", "modelId": .string(Flows.sonnetProfile)]),
                in: context) == expected)
        #expect(
            expected
                == .grants([
                    invoke(Flows.sonnetProfile),
                    invoke("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"),
                    invoke("arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"),
                    invoke("arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"),
                ]))
    }

    @Test func applicationInferenceProfilesAreGrantedAsWrittenWithTheirModels() {
        let profile = "arn:aws-cn:bedrock:cn-north-1:111122223333:application-inference-profile/k3tz8wq1pm7a"
        let model = "arn:aws-cn:bedrock:cn-north-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
        #expect(
            ModelIdResolver().resolve(
                inlinePrompt(.string(profile)), in: Flows.with(Flows.aws, profiles: [profile: [model]]))
                == .grants([invoke(profile), invoke(model)]))
        guard
            case .partial(let grants, let notes) = ModelIdResolver().resolve(
                inlinePrompt(.string(profile)), in: Flows.aws)
        else {
            Issue.record("expected .partial for an application profile the inputs do not describe")
            return
        }
        #expect(grants == [invoke(profile)])
        #expect(notes.map(\.code) == ["INFERENCE_PROFILE_ROUTES_UNKNOWN"])
    }

    @Test func modelArnsAreGrantedAsWrittenWithWhatTheirKindNeeds() {
        let foundation = "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.titan-text-express-v1"
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(foundation)), in: Flows.aws) == .grants([invoke(foundation)])
        )
        let provisioned = "arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:provisioned-model/p7x2kq9a4mzd"
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(provisioned)), in: Flows.aws)
                == .grants([
                    Grant(action: "bedrock:GetProvisionedModelThroughput", resource: provisioned), invoke(provisioned),
                ]))
        let custom =
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/ly16hhi765j4"
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(custom)), in: Flows.aws)
                == .grants([Grant(action: "bedrock:GetCustomModel", resource: custom), invoke(custom)]))
        let imported = "arn:aws:bedrock:us-east-1:123456789012:imported-model/x8v2pq7rn3kd"
        #expect(
            ModelIdResolver().resolve(inlinePrompt(.string(imported)), in: Flows.aws) == .grants([invoke(imported)]))
    }

    @Test func aKnowledgeBaseNodeGrantsItsModelAndItsRerankingModel() {
        let rerank = "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"
        let reranking: JSONValue = [
            "type": "BEDROCK_RERANKING_MODEL",
            "bedrockRerankingConfiguration": [
                "modelConfiguration": ["modelArn": .string(rerank)], "numberOfRerankedResults": "5",
            ],
        ]
        #expect(
            ModelIdResolver().resolve(
                node(
                    "KnowledgeBase",
                    [
                        "knowledgeBaseId": "KB7M2QX9TR", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
                        "rerankingConfiguration": reranking,
                    ]),
                in: Flows.aws)
                == .grants([
                    invoke("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
                    invoke(rerank),
                ]))
        #expect(
            ModelIdResolver().resolve(
                node("KnowledgeBase", ["knowledgeBaseId": "KB7M2QX9TR", "rerankingConfiguration": reranking]),
                in: Flows.aws)
                == .grants([invoke(rerank)]))
        // Retrieval only: no model.
        #expect(
            ModelIdResolver().resolve(
                node("KnowledgeBase", ["knowledgeBaseId": "KB7M2QX9TR", "numberOfResults": "5"]), in: Flows.aws)
                == .nothing)
        expectInvalid(
            ModelIdResolver().resolve(
                node(
                    "KnowledgeBase",
                    [
                        "knowledgeBaseId": "KB7M2QX9TR", "modelId": "anthropic..haiku",
                        "rerankingConfiguration": reranking,
                    ]),
                in: Flows.aws))
    }

    @Test func promptResourcesAndOtherNodesNeedNoModelGrant() {
        let resource: JSONValue = [
            "sourceConfiguration": [
                "resource": ["promptArn": "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q"]
            ]
        ]
        // The prompt's model is the prompt's own: not derived, and the plan says so.
        guard case .partial(let grants, let notes) = ModelIdResolver().resolve(node("Prompt", resource), in: Flows.aws)
        else {
            Issue.record("a prompt resource gives a note")
            return
        }
        #expect(grants.isEmpty)
        #expect(notes.map(\.code) == ["PROMPT_MODEL_NOT_IN_INPUTS"])
        #expect(notes.first?.severity == .info)
        #expect(
            ModelIdResolver().resolve(
                node("LambdaFunction", ["lambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:f"]), in: Flows.aws
            )
                == .nothing)
        expectInvalid(ModelIdResolver().resolve(node("Prompt", [:]), in: Flows.aws), "no sourceConfiguration")
        expectInvalid(ModelIdResolver().resolve(inlinePrompt(nil), in: Flows.aws), "inline without modelId")
    }

    @Test(arguments: [
        "arn:aws:sagemaker:us-east-1:123456789012:endpoint/claims-llm",
        "arn:aws:bedrock:us-east-1:123456789012:agent/AGNT7Q2X4M",
        "arn:aws:lambda:us-east-1:123456789012:function:model",
        "claimsmodel",
    ])
    func whatIsNotABedrockModelIsReportedNotGranted(value: String) {
        guard
            case .partial(let grants, let notes) = ModelIdResolver().resolve(
                inlinePrompt(.string(value)), in: Flows.aws)
        else {
            Issue.record("expected .partial for \(value)")
            return
        }
        #expect(grants.isEmpty)
        #expect(notes.map(\.code) == ["MODEL_NOT_RESOLVED"])
        #expect(notes.map(\.severity) == [.warning])
        #expect(notes.first?.message.contains(value) == true)
    }

    @Test(
        arguments: [
            .object([]),  // "" as the reader gives it
            "",
            ["anthropic.claude"],
            "anthropic claude",
            "anthropic..claude",
            ".anthropic.claude",
            "us.claude",
            "arn:bedrock",
            "arn:aws:bedrock:us-east-1::foundation-model/",
            "arn:aws:bedrock:us-east-1:123456789012:foundation-model/anthropic.claude-v2",
            "arn:aws:bedrock::123456789012:inference-profile/us.anthropic.claude-v2",
            "arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-v2",
            "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/*",
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan//x",
            "arn:aws:bedrock:us-east-1:123456789012:imported-model:x",
        ] as [JSONValue])
    func emptyOrMalformedModelsAreInvalid(value: JSONValue) {
        expectInvalid(ModelIdResolver().resolve(inlinePrompt(value), in: Flows.aws), "\(value)")
    }

    // MARK: knowledgeBase

    @Test func aKnowledgeBaseIdIsBuiltInTheFlowsRegionAndAccount() {
        func grants(_ arn: String) -> Resolution {
            .grants([
                Grant(action: "bedrock:Retrieve", resource: arn),
                Grant(action: "bedrock:RetrieveAndGenerate", resource: arn),
            ])
        }
        #expect(
            KnowledgeBaseResolver().resolve(node("KnowledgeBase", ["knowledgeBaseId": "KB7M2QX9TR"]), in: Flows.aws)
                == grants("arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB7M2QX9TR"))
        #expect(
            KnowledgeBaseResolver().resolve(node("KnowledgeBase", ["knowledgeBaseId": "1234567890"]), in: Flows.china)
                == grants("arn:aws-cn:bedrock:cn-north-1:111122223333:knowledge-base/1234567890"))
        #expect(
            KnowledgeBaseResolver().resolve(node("Agent", ["knowledgeBaseId": "KB7M2QX9TR"]), in: Flows.aws) == .nothing
        )
        for bad: JSONValue in [
            [:], ["knowledgeBaseId": .object([])], ["knowledgeBaseId": "KB7M2QX9TR1"], ["knowledgeBaseId": "kb-7m2qx9"],
            ["knowledgeBaseId": "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB7M2QX9TR"],
        ] {
            expectInvalid(KnowledgeBaseResolver().resolve(node("KnowledgeBase", bad), in: Flows.aws), "\(bad)")
        }
    }

    // MARK: agentAlias

    @Test(arguments: [
        "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGNT7Q2X4M/ALIAS3KD9P",
        "arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:agent-alias/AGNT7Q2X4M/TSTALIASID",
    ])
    func anAgentAliasIsGrantedAsWritten(arn: String) {
        #expect(
            AgentAliasResolver().resolve(node("Agent", ["agentAliasArn": .string(arn)]), in: Flows.aws)
                == .grants([Grant(action: "bedrock:InvokeAgent", resource: arn)]))
    }

    @Test func aMissingOrMalformedAgentAliasIsInvalid() {
        #expect(AgentAliasResolver().resolve(node("Prompt", [:]), in: Flows.aws) == .nothing)
        for bad: JSONValue in [
            [:],
            ["agentAliasArn": "arn:aws:bedrock:us-east-1:123456789012:agent/AGNT7Q2X4M"],
            ["agentAliasArn": "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGNT7Q2X4/ALIAS3KD9P"],
            ["agentAliasArn": "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGNT7Q2X4M/ALIAS3KD9P/x"],
            ["agentAliasArn": "arn:aws:bedrock:us-east-1:123456789012:agent-alias/AGNT7Q2X4M/*"],
            ["agentAliasArn": "arn:aws:bedrock:us-east-1::agent-alias/AGNT7Q2X4M/ALIAS3KD9P"],
            ["agentAliasArn": "arn:aws:lex:us-east-1:123456789012:agent-alias/AGNT7Q2X4M/ALIAS3KD9P"],
            ["agentAliasArn": "AGNT7Q2X4M"],
        ] {
            expectInvalid(AgentAliasResolver().resolve(node("Agent", bad), in: Flows.aws), "\(bad)")
        }
    }

    // MARK: s3Bucket

    @Test func retrievalReadsAndStorageWritesTheBucketsObjectsInTheOwnersAccount() {
        func s3(_ bucket: String) -> JSONValue { ["serviceConfiguration": ["s3": ["bucketName": .string(bucket)]]] }
        #expect(
            S3BucketResolver().resolve(node("Retrieval", s3("claims-intake")), in: Flows.aws)
                == .grants([
                    Grant(
                        action: "s3:GetObject", resource: "arn:aws:s3:::claims-intake/*",
                        condition: ["StringEquals": ["aws:ResourceAccount": "123456789012"]])
                ]))
        #expect(
            S3BucketResolver().resolve(node("Storage", s3("claims.archive-2024")), in: Flows.china)
                == .grants([
                    Grant(
                        action: "s3:PutObject", resource: "arn:aws-cn:s3:::claims.archive-2024/*",
                        condition: ["StringEquals": ["aws:ResourceAccount": "111122223333"]])
                ]))
        var owned = Flows.gov
        owned.bucketOwner = "777788889999"
        #expect(
            S3BucketResolver().resolve(node("Storage", s3("abc")), in: owned)
                == .grants([
                    Grant(
                        action: "s3:PutObject", resource: "arn:aws-us-gov:s3:::abc/*",
                        condition: ["StringEquals": ["aws:ResourceAccount": "777788889999"]])
                ]))
        #expect(S3BucketResolver().resolve(node("KnowledgeBase", s3("claims-intake")), in: Flows.aws) == .nothing)
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "Claims-Intake", "claims_intake", "-claims", "claims-", ".claims",
        "claims..intake", "192.168.5.4", "arn:aws:s3:::claims-intake", "claims/intake",
    ])
    func bucketNamesOutsideTheNamingRulesAreInvalid(bucket: String) {
        expectInvalid(
            S3BucketResolver().resolve(
                node("Retrieval", ["serviceConfiguration": ["s3": ["bucketName": .string(bucket)]]]), in: Flows.aws),
            "\(bucket)")
    }

    @Test func aStorageNodeWithoutABucketIsInvalid() {
        expectInvalid(S3BucketResolver().resolve(node("Storage", [:]), in: Flows.aws))
        expectInvalid(S3BucketResolver().resolve(node("Storage", ["serviceConfiguration": ["s3": [:]]]), in: Flows.aws))
        #expect(S3BucketResolver.isBucketName(String(repeating: "a", count: 63)))
        #expect(S3BucketResolver.isBucketName("192.168.5.x"))
    }

    // MARK: guardrail

    @Test func aBareGuardrailIdIsBuiltInTheFlowsPartitionRegionAndAccount() {
        func guarded(_ type: String, _ identifier: JSONValue) -> FlowNode {
            node(type, ["guardrailConfiguration": ["guardrailIdentifier": identifier, "guardrailVersion": "DRAFT"]])
        }
        #expect(
            GuardrailResolver().resolve(guarded("Prompt", "gr4x7yq2kd1m"), in: Flows.aws)
                == .grants([
                    Grant(
                        action: "bedrock:ApplyGuardrail",
                        resource: "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr4x7yq2kd1m")
                ]))
        #expect(
            GuardrailResolver().resolve(guarded("KnowledgeBase", "gr4x7yq2kd1m"), in: Flows.gov)
                == .grants([
                    Grant(
                        action: "bedrock:ApplyGuardrail",
                        resource: "arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:guardrail/gr4x7yq2kd1m")
                ]))
        // An ARN is granted as written, in its own partition (the real fixture's is commercial).
        for arn in [
            "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr4x7yq2kd1m",
            "arn:aws-cn:bedrock:cn-northwest-1:111122223333:guardrail/q8zd5hr0nw3b",
        ] {
            #expect(
                GuardrailResolver().resolve(guarded("Prompt", .string(arn)), in: Flows.gov)
                    == .grants([Grant(action: "bedrock:ApplyGuardrail", resource: arn)]))
        }
        // No guardrail.
        #expect(
            GuardrailResolver().resolve(node("Prompt", ["sourceConfiguration": ["inline": [:]]]), in: Flows.aws)
                == .nothing)
        #expect(GuardrailResolver().resolve(node("Prompt", ["guardrailConfiguration": [:]]), in: Flows.aws) == .nothing)
        #expect(GuardrailResolver().resolve(guarded("Prompt", .object([])), in: Flows.aws) == .nothing)
        #expect(GuardrailResolver().resolve(guarded("Agent", "gr4x7yq2kd1m"), in: Flows.aws) == .nothing)
        for bad: JSONValue in [
            "GR4X7YQ2KD1M", "gr-4x7", ["gr4x7yq2kd1m"],
            "arn:aws:bedrock:us-east-1:123456789012:guardrail/",
            "arn:aws:bedrock:us-east-1:123456789012:guardrail/GR4X7YQ2KD1M",
            "arn:aws:bedrock:us-east-1:123456789012:guardrail/gr4x7yq2kd1m:2",
            "arn:aws:bedrock:us-east-1::guardrail/gr4x7yq2kd1m",
            "arn:aws:bedrock:us-east-1:123456789012:agent/gr4x7yq2kd1m",
        ] {
            expectInvalid(GuardrailResolver().resolve(guarded("Prompt", bad), in: Flows.aws), "\(bad)")
        }
    }

    // MARK: kmsKey

    @Test func theCustomerKeyIsGrantedForThisFlowsEncryptionContextOnly() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4789-8abc-0123456789ab"
        var context = Flows.aws
        context.customerEncryptionKeyArn = key
        let condition: JSONValue = [
            "StringEquals": [
                "kms:EncryptionContext:aws:bedrock-flows:arn": "arn:aws:bedrock:us-east-1:123456789012:flow/9JQ2WPL0TA"
            ]
        ]
        #expect(
            KMSKeyResolver().resolveFlow(in: context)
                == .grants([
                    Grant(action: "kms:Decrypt", resource: key, condition: condition),
                    Grant(action: "kms:GenerateDataKey", resource: key, condition: condition),
                ]))
        #expect(KMSKeyResolver().resolve(node("Prompt", [:]), in: context) == .nothing)
        #expect(KMSKeyResolver().resolveFlow(in: Flows.aws) == .nothing)

        var gov = Flows.gov
        for arn in [
            "arn:aws-us-gov:kms:us-gov-west-1:444455556666:key/mrk-1f2e3d4c5b6a47898abc0123456789ab",
            "arn:aws-us-gov:kms:us-gov-west-1:444455556666:alias/flows/claims",
        ] {
            gov.customerEncryptionKeyArn = arn
            let flowOnly: JSONValue = [
                "StringEquals": ["kms:EncryptionContext:aws:bedrock-flows:arn": .string(gov.flowArn)]
            ]
            #expect(
                KMSKeyResolver().resolveFlow(in: gov)
                    == .grants([
                        Grant(action: "kms:Decrypt", resource: arn, condition: flowOnly),
                        Grant(action: "kms:GenerateDataKey", resource: arn, condition: flowOnly),
                    ]))
        }
    }

    @Test(arguments: [
        "", "1f2e3d4c-5b6a-4789-8abc-0123456789ab", "arn:aws:kms:us-east-1:123456789012:key/",
        "arn:aws:kms:us-east-1:123456789012:key/*",
        "arn:aws:kms::123456789012:key/1f2e3d4c-5b6a-4789-8abc-0123456789ab",
        "arn:aws:kms:us-east-1::key/1f2e3d4c-5b6a-4789-8abc-0123456789ab",
        "arn:aws:kms:us-east-1:123456789012:keyring/x", "arn:aws:s3:::key/x",
    ])
    func aMalformedCustomerKeyIsInvalid(arn: String) {
        var context = Flows.aws
        context.customerEncryptionKeyArn = arn
        expectInvalid(KMSKeyResolver().resolveFlow(in: context), "\(arn)")
    }

    // MARK: registry

    @Test func theStandardRegistryHasEveryResolver() {
        #expect(
            ResolverRegistry.standard.names == [
                "agentAlias", "guardrail", "kmsKey", "knowledgeBase", "lambdaArn", "lexBotAlias", "modelId",
                "promptResource", "s3Bucket",
            ])
    }
}
