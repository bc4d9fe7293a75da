import FlowRoleJSON
import Foundation

/// The migrations built into flowrole, by id: the text of `migrations/<id>.json` (a test checks
/// they are identical), so the binary needs no file beside it. `--migration FILE` reads any other.
public enum MigrationCatalog {
    public static let builtIn: [String: String] = [
        "2024-11-22-bedrock-flows-service-role": #"""
        {
            "schema": "flowrole.migration/v1",
            "id": "2024-11-22-bedrock-flows-service-role",
            "title": "Bedrock Flows invoke Lambda and Lex, and render Prompt-management prompts, with the flow's service role",
            "reference": "https://docs.aws.amazon.com/bedrock/latest/userguide/flows-permissions.html",
            "legacyBefore": "2024-11-23T00:00:00Z",
            "cutoffDay": "2024-11-22",
            "migrates": "legacy",
            "requirements": [
                {"nodeType": "LambdaFunction", "resolver": "lambdaArn", "sid": "FlowroleLambdaInvokeFunction"},
                {"nodeType": "Lex", "resolver": "lexBotAlias", "sid": "FlowroleLexRecognizeUtterance"},
                {"nodeType": "Prompt", "resolver": "promptResource", "sid": "FlowroleBedrockRenderPrompt"}
            ],
            "grants": {"policyName": "flowrole-bedrock-flows-2024-11-22"},
            "trust": {"tighten": true}
        }
        """#,
        "bedrock-flows-least-privilege": #"""
        {
            "schema": "flowrole.migration/v1",
            "id": "bedrock-flows-least-privilege",
            "title": "Every permission a Bedrock flow's service role needs, for flows of any age; grants no flow needs are reported",
            "reference": "https://docs.aws.amazon.com/bedrock/latest/userguide/flows-permissions.html",
            "legacyBefore": "2024-11-23T00:00:00Z",
            "migrates": "all",
            "requirements": [
                {"nodeType": "Prompt", "resolver": "modelId", "sid": "FlowroleModelsForPrompts"},
                {"nodeType": "KnowledgeBase", "resolver": "modelId", "sid": "FlowroleModelsForKnowledgeBases"},
                {"nodeType": "Prompt", "resolver": "promptResource", "sid": "FlowroleBedrockRenderPrompt"},
                {"nodeType": "KnowledgeBase", "resolver": "knowledgeBase", "sid": "FlowroleKnowledgeBases"},
                {"nodeType": "Agent", "resolver": "agentAlias", "sid": "FlowroleAgentAliases"},
                {"nodeType": "Retrieval", "resolver": "s3Bucket", "sid": "FlowroleS3Retrieval"},
                {"nodeType": "Storage", "resolver": "s3Bucket", "sid": "FlowroleS3Storage"},
                {"nodeType": "Prompt", "resolver": "guardrail", "sid": "FlowroleGuardrailsForPrompts"},
                {"nodeType": "KnowledgeBase", "resolver": "guardrail", "sid": "FlowroleGuardrailsForKnowledgeBases"},
                {"nodeType": "LambdaFunction", "resolver": "lambdaArn", "sid": "FlowroleLambdaInvokeFunction"},
                {"nodeType": "Lex", "resolver": "lexBotAlias", "sid": "FlowroleLexRecognizeUtterance"},
                {"resolver": "kmsKey", "sid": "FlowroleFlowEncryptionKey"}
            ],
            "grants": {"policyName": "flowrole-bedrock-flows-least-privilege"},
            "trust": {"tighten": true},
            "unneededGrants": "report"
        }
        """#,
    ]

    public static let defaultID = "2024-11-22-bedrock-flows-service-role"

    /// `--migration`: a migration file when one exists at `idOrPath`, else the built-in migration of
    /// that id.
    public static func load(idOrPath: String) throws(InputError) -> MigrationDefinition {
        if FileManager.default.fileExists(atPath: idOrPath) { return try MigrationDefinition.load(path: idOrPath) }
        return try load(id: idOrPath)
    }

    /// The built-in migration `id`, checked.
    public static func load(id: String) throws(InputError) -> MigrationDefinition {
        guard let text = builtIn[id] else {
            throw InputError(
                file: id,
                message:
                    "no built-in migration has this id (built in: \(builtIn.keys.sorted().joined(separator: ", "))); give a file path instead."
            )
        }
        return try MigrationDefinition(
            json: try JSONParser.parse(text, file: "built-in:\(id)"), source: "built-in:\(id)")
    }
}
