import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// `aws bedrock get-inference-profile` and `list-inference-profiles` outputs as inputs.
@Suite("Inference profile reader")
struct InferenceProfileReaderTests {
    static let sonnet =
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0"
    static let sonnetModels = ["us-east-1", "us-east-2", "us-west-2"].map {
        "arn:aws:bedrock:\($0)::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"
    }
    static let application = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/k3tz8wq1pm7a"
    static let haiku = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"

    /// The end-to-end fixture, read from the EndToEndTests sources beside this target.
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(
                "EndToEndTests/Fixtures/good/inference-profiles/get-inference-profile.us.anthropic.claude-3-5-sonnet-20241022-v2.json"
            ).path
    }

    static func profile(_ arn: String, _ models: [String], id: String? = nil, type: String = "SYSTEM_DEFINED") -> String
    {
        let id = id ?? String(arn.split(separator: "/", maxSplits: 1)[1])
        let entries = models.map { #"{"modelArn": "\#($0)"}"# }.joined(separator: ", ")
        return """
            {"inferenceProfileName": "p", "inferenceProfileArn": "\(arn)", "models": [\(entries)],
             "inferenceProfileId": "\(id)", "status": "ACTIVE", "type": "\(type)"}
            """
    }

    @Test func aGetInferenceProfileOutputGivesTheProfilesModelsSorted() throws {
        let inventory = try InventoryReader.read(paths: [Self.fixture])
        #expect(inventory.inferenceProfiles == [Self.sonnet: Self.sonnetModels])
        #expect(inventory.inputs.map(\.kind) == ["bedrock.inference-profiles"])
    }

    @Test func aListPageAndAGetOutputOfTheSameProfileMerge() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write(
            "list.json",
            """
            {"inferenceProfileSummaries": [\(Self.profile(Self.sonnet, Self.sonnetModels.reversed())),
              \(Self.profile(Self.application, [Self.haiku, Self.haiku], type: "APPLICATION"))],
             "nextToken": "eyJ0b2tlbiI6IDJ9"}
            """)
        try folder.write("get.json", Self.profile(Self.sonnet, Self.sonnetModels))
        let inventory = try folder.read()
        #expect(inventory.inferenceProfiles == [Self.sonnet: Self.sonnetModels, Self.application: [Self.haiku]])
    }

    @Test func theSameProfileWithOtherModelsIsBadInputNamingBothPlaces() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let first = try folder.write("a.json", Self.profile(Self.sonnet, Self.sonnetModels))
        let second = try folder.write(
            "b.json",
            "{\"inferenceProfileSummaries\": [\(Self.profile(Self.sonnet, Array(Self.sonnetModels.prefix(2))))]}")
        let errors = folder.errors()
        #expect(errors.count == 1)
        #expect(errors.first?.file == second)
        #expect(errors.first?.pointer == "/inferenceProfileSummaries/0")
        #expect(errors.first?.message.contains(first) == true)
        #expect(errors.first?.message.contains("inference profile \(Self.sonnet)") == true)
    }

    @Test(arguments: [
        // (file text, pointer of the error)
        (#"{"inferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y"}"#, ""),
        (profile(sonnet, []), "/models"),
        (profile(sonnet, ["not an arn"]), "/models/0/modelArn"),
        (profile(sonnet, [haiku, "arn:aws:s3:::bucket"]), "/models/1/modelArn"),
        (profile("arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q", [haiku]), "/inferenceProfileArn"),
        (profile(sonnet, [haiku], id: "eu.anthropic.claude"), "/inferenceProfileId"),
        (profile(sonnet, [haiku], type: "CUSTOM"), "/type"),
        (
            #"{"inferenceProfileSummaries": [{"inferenceProfileArn": 3}]}"#,
            "/inferenceProfileSummaries/0/inferenceProfileArn"
        ),
        (#"{"inferenceProfileSummaries": {}}"#, "/inferenceProfileSummaries"),
        (#"{"inferenceProfileSummaries": [], "nextToken": 7}"#, "/nextToken"),
    ])
    func badShapesNameTheirPointer(text: String, pointer: String) throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let path = try folder.write("profile.json", text)
        let errors = folder.errors()
        #expect(errors.map(\.file) == [path])
        #expect(errors.map(\.pointer) == [pointer], "\(errors)")
    }
}
