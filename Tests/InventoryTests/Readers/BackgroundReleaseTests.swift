import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// Freeing a parse tree on other threads must leave what the models kept (values shared with the
/// tree) intact, whichever way it is freed.
@Suite("Background release")
struct BackgroundReleaseTests {
    static func tree() throws -> (tree: [JSONTopLevelValue], kept: [JSONValue]) {
        let items = (0..<3000).map { #"{"name": "flow-\#($0)-with-a-long-name", "n": \#($0)}"# }
        let text = #"{"flows": ["# + items.joined(separator: ",") + #"], "other": ["a"]}"#
        let tree = try Array(text.utf8).withUnsafeBytes { bytes throws(InputError) in
            try JSONParser.parseAll(bytes, file: "flows.json")
        }
        let flows = try #require(tree.first?.value["flows"]?.arrayValue)
        return (tree, [flows[0], flows[1500], flows[2999]])
    }

    @Test func valuesKeptFromATreeSurviveItsParallelRelease() throws {
        let (tree, kept) = try Self.tree()
        BackgroundRelease.releaseInParallel(consume tree)
        #expect(kept[0]["name"] == "flow-0-with-a-long-name")
        #expect(kept[1]["name"] == "flow-1500-with-a-long-name")
        #expect(kept[2]["n"] == .number("2999"))
    }

    @Test func valuesKeptFromATreeSurviveItsBackgroundRelease() throws {
        let (tree, kept) = try Self.tree()
        BackgroundRelease.release(consume tree, inBackground: true)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(kept[1]["name"] == "flow-1500-with-a-long-name")
    }
}
