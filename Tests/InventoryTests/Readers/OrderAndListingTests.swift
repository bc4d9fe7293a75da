import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Inventory

/// Merging and attribution must not depend on the order inputs are given in, and a listing is
/// incomplete only when its final page is missing.
@Suite("Input order and listings")
struct OrderAndListingTests {
    /// Reads the files of `folder` in the given order (names relative to the folder).
    func read(_ folder: InputFolder, _ names: [String]) throws -> Inventory {
        try InventoryReader.read(paths: names.map(folder.path))
    }

    @Test func attributionDoesNotDependOnTheOrderOfFiles() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let role = { (name: String) in
            #"{"Role": "# + Make.roleDetail(name: name).replacingOccurrences(of: "\n", with: " ") + "}"
        }
        try folder.write("r1.json", role("r1"))
        try folder.write("r2.json", role("r2"))
        // r1 has the inline policy p9 (named output), so the owner-less list ["p1"] can only be r2's.
        try folder.write("c.json", #"{"RoleName": "r1", "PolicyName": "p9", "PolicyDocument": "# + Make.inline + "}")
        try folder.write("d.json", #"{"PolicyNames": ["p1"]}"#)
        let orders = [["r1.json", "r2.json", "c.json", "d.json"], ["d.json", "c.json", "r2.json", "r1.json"]]
        let results = try orders.map { try read(folder, $0).withoutProvenance }
        #expect(results[0] == results[1])
        #expect(results[0].roles.first { $0.name == "r2" }?.inlinePolicyNames == ["p1"])
        #expect(results[0].roles.first { $0.name == "r1" }?.inlinePolicies.map(\.name) == ["p9"])
        // And the full output, sources included, is identical too.
        #expect(try read(folder, orders[0]).roles.map(\.sources) == read(folder, orders[1]).roles.map(\.sources))
    }

    @Test func copiesThatDifferOnlyInKeyOrderMerge() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let nodes =
            #"[{"name": "L", "type": "LambdaFunction", "configuration": {"lambdaFunction": {"lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:f"}}, "inputs": []}]"#
        try folder.write("a.json", Make.flow(id: "ABCDEFGHIJ", nodes: nodes))
        // The same flow with every key sorted, as jq -S or sort_keys writes it.
        let sorted = try JSONValue(parsing: Make.flow(id: "ABCDEFGHIJ", nodes: nodes)).canonicalText
        try folder.write("b.json", sorted)
        let inventory = try folder.read()
        #expect(inventory.flows.count == 1)
        #expect(inventory.flows.first?.sources.count == 2)
    }

    @Test func aFinalAuthorizationPageWithOnlyAWSManagedPoliciesEndsTheListing() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("p1.json", Make.details([Make.roleDetail(name: "r1")], truncated: true))
        try folder.write(
            "p2.json",
            #"{"RoleDetailList": [], "Policies": [{"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "DefaultVersionId": "v1", "PolicyVersionList": []}], "IsTruncated": false}"#
        )
        #expect(!(try folder.read().problems.contains { $0.code == .incompleteListing }))
        try FileManager.default.removeItem(atPath: folder.path("p2.json"))
        #expect(try folder.read().problems.contains { $0.code == .incompleteListing })
    }

    @Test func versionAndAliasListingsAreCompleteWithTheirFinalPage() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let flowArn = "arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ"
        try folder.write("flow.json", Make.flow(id: "ABCDEFGHIJ"))
        func version(_ number: String) -> String {
            #"{"id": "ABCDEFGHIJ", "arn": "\#(flowArn)", "status": "Prepared", "createdAt": "2024-07-01T00:00:00Z", "version": "\#(number)"}"#
        }
        func alias(_ id: String) -> String {
            #"{"name": "\#(id)", "id": "\#(id)", "flowId": "ABCDEFGHIJ", "arn": "\#(flowArn)/alias/\#(id)", "routingConfiguration": [{"flowVersion": "DRAFT"}], "createdAt": "2024-07-01T00:00:00Z", "updatedAt": "2024-07-01T00:00:00Z"}"#
        }
        try folder.write("v1.json", #"{"flowVersionSummaries": [\#(version("2"))], "nextToken": "t1"}"#)
        try folder.write("a1.json", #"{"flowAliasSummaries": [\#(alias("AAAAAAAAAA"))], "nextToken": "t1"}"#)
        let partial = try folder.read()
        #expect(partial.problems.filter { $0.code == .incompleteListing }.count == 2)
        #expect(partial.flows.first?.versionsKnown == false)
        try folder.write("v2.json", #"{"flowVersionSummaries": [\#(version("1"))]}"#)
        try folder.write("a2.json", #"{"flowAliasSummaries": [\#(alias("BBBBBBBBBB"))]}"#)
        let complete = try folder.read()
        #expect(!complete.problems.contains { $0.code == .incompleteListing })
        #expect(complete.flows.first?.listedVersions == ["1", "2"])
        #expect(complete.flows.first?.versionsKnown == true)
        #expect(complete.flows.first?.aliases?.map(\.id) == ["AAAAAAAAAA", "BBBBBBBBBB"])
    }
}
