import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Migration

/// Paths of the package's own files (migrations/, examples/), found from this source file.
enum PackageFiles {
    static var root: URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    static var migration: String {
        root.appendingPathComponent("migrations/2024-11-22-bedrock-flows-service-role.json").path
    }

    static var examples: String { root.appendingPathComponent("examples").path }
}

@Suite("Migration files")
struct MigrationDefinitionTests {
    @Test func theShippedMigrationLoads() throws {
        let migration = try MigrationDefinition.load(path: PackageFiles.migration)
        #expect(migration.id == "2024-11-22-bedrock-flows-service-role")
        #expect(migration.legacyBefore == (try Instant(parsing: "2024-11-23T00:00:00Z")))
        #expect(migration.cutoffDay == "2024-11-22")
        #expect(migration.scope == .legacy)
        #expect(migration.rules.map(\.resolver) == ["lambdaArn", "lexBotAlias", "promptResource"])
        #expect(migration.rules.map(\.nodeType) == ["LambdaFunction", "Lex", "Prompt"])
        #expect(migration.policyName == "flowrole-bedrock-flows-2024-11-22")
        #expect(migration.tightensTrust)
    }

    /// The shipped file with one edit applied, and the pointer the error must name.
    @Test(arguments: [
        (
            #""resolver": "lexBotAlias""#, #""resolver": "lexBotAliases""#, "/requirements/1/resolver",
            "unknown resolver"
        ),
        (#""2024-11-23T00:00:00Z""#, #""2024-11-23""#, "/legacyBefore", "not a timestamp"),
        (#""migrates": "legacy""#, #""migrates": "old""#, "/migrates", "legacy"),
        (#""trust": {"tighten": true}"#, #""trust": {"tighten": "yes"}"#, "/trust/tighten", "true or false"),
        (#""FlowroleLexRecognizeUtterance""#, #""FlowroleLambdaInvokeFunction""#, "/requirements/1/sid", "used twice"),
        (#""FlowroleBedrockRenderPrompt""#, #""Render-Prompt""#, "/requirements/2/sid", "letters and digits"),
        (#""flowrole-bedrock-flows-2024-11-22""#, #""flowrole bedrock""#, "/grants/policyName", "1–128"),
        (
            #""cutoffDay": "2024-11-22""#, #""cutoffDay": "2024-11-22", "cutOffDay": "2024-11-22""#, "/cutOffDay",
            "unknown member"
        ),
        (
            #""schema": "flowrole.migration/v1""#, #""schema": "flowrole.migration/v2""#, "/schema",
            "unknown migration schema"
        ),
    ])
    func mistakesNameTheFileAndTheKey(original: String, replacement: String, pointer: String, fragment: String) throws {
        let text = try String(contentsOfFile: PackageFiles.migration, encoding: .utf8)
        #expect(text.contains(original))
        let edited = text.replacingOccurrences(of: original, with: replacement)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("migration-\(UUID().uuidString).json")
            .path
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loadError: InputError? = {
            do throws(InputError) {
                _ = try MigrationDefinition.load(path: path)
                return nil
            } catch {
                return error
            }
        }()
        let error = try #require(loadError)
        #expect(error.file == path)
        #expect(error.pointer == pointer)
        #expect(error.message.contains(fragment), "\(error)")
    }
}
