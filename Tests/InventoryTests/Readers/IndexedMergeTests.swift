import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// The assembler keeps roles and flows in lists found through an index, files versions in their
/// flows and takes a flow's first alias list as it is. The assembler that kept them in
/// dictionaries (`ReferenceAssembler`, kept in the tests) is the reference: generated folders of
/// small outputs — the same object read twice, conflicting copies, outputs that name no owner,
/// bundles with versions and aliases (some read twice, some with one id twice) — must give the
/// same inventory, or the same errors in the same order, split or not.
@Suite("Indexed merge")
struct IndexedMergeTests {
    @Test func indexedMergeGivesWhatTheDictionaryMergeGives() throws {
        var generator = SeededGenerator(seed: 0x5EED_0107)
        var outcomes: Set<String> = []
        for round in 0..<150 {
            let folder = try InputFolder()
            defer { folder.remove() }
            let count = Int.random(in: 2...14, using: &generator)
            for index in 0..<count {
                let bundle = Int.random(in: 0..<4, using: &generator) == 0
                try folder.write(
                    "f\(index).json",
                    bundle ? Self.bundle(using: &generator) : SplitMergeTests.output(using: &generator))
            }
            let files = try InputFiles.expand([folder.url.path]).map { path in try FileDecoder.decode(path: path) }
            let expected = SplitMergeTests.outcome { () throws(InventoryReadError) in
                try ReferenceAssembler.assemble(files, split: false)
            }
            for split in [true, false] {
                let indexed = SplitMergeTests.outcome { () throws(InventoryReadError) in
                    try InventoryAssembler.assemble(files, split: split)
                }
                #expect(indexed == expected, "round \(round), split \(split)")
            }
            outcomes.insert(expected.errors.isEmpty ? "inventory" : "errors")
            if expected.inventory?.problems.isEmpty == false { outcomes.insert("problems") }
            if expected.inventory?.flows.contains(where: { ($0.aliases?.count ?? 0) > 1 }) == true {
                outcomes.insert("aliases")
            }
            if expected.inventory?.flows.contains(where: { $0.versions.count > 1 }) == true {
                outcomes.insert("versions")
            }
        }
        // The generator reaches every outcome.
        #expect(outcomes == ["inventory", "errors", "problems", "aliases", "versions"])
    }

    /// A bundle of one or two flows with versions and aliases.
    static func bundle(using generator: inout SeededGenerator) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        func flowArn(_ id: String) -> String { "arn:aws:bedrock:us-east-1:111122223333:flow/\(id)" }
        func entry(_ id: String) -> String {
            let versions = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                let number = pick(["1", "2", "10"])
                return
                    #"{"id": "\#(id)", "arn": "\#(flowArn(id))", "executionRoleArn": "arn:aws:iam::111122223333:role/\#(pick(["r1", "r2"]))", "createdAt": "2024-07-01T00:00:00Z", "version": "\#(number)"}"#
            }
            let aliases = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                let aliasId = pick(["ALIASAAAAA", "ALIASBBBBB", "ALIASCCCCC"])
                // Mostly the same alias each time it is read; sometimes a conflicting copy.
                let conflicting = Int.random(in: 0..<8, using: &generator) == 0
                return
                    #"{"name": "\#(conflicting ? "other" : aliasId)", "id": "\#(aliasId)", "flowId": "\#(id)", "arn": "\#(flowArn(id))/alias/\#(aliasId)", "routingConfiguration": [{"flowVersion": "\#(conflicting ? "2" : "DRAFT")"}]}"#
            }
            let flow = Make.flow(id: id, created: pick(SplitMergeTests.created))
            var extra = ""
            if Bool.random(using: &generator) { extra += #", "versions": [\#(versions.joined(separator: ", "))]"# }
            if Bool.random(using: &generator) { extra += #", "aliases": [\#(aliases.joined(separator: ", "))]"# }
            return String(flow.dropLast()) + extra + "}"
        }
        let entries = (0..<Int.random(in: 1...2, using: &generator)).map { _ in entry(pick(SplitMergeTests.flowIds)) }
        return #"{"flows": [\#(entries.joined(separator: ", "))]}"#
    }
}
