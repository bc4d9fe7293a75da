import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// The assembler merges roles and policies on one thread and flows on another, then reports errors
/// step by step and problems in one assembler's order. One assembler over all the fragments
/// (`split: false`) is the reference: generated folders of small outputs — the same object read
/// twice, conflicting copies, outputs that name no owner, empty and truncated listings — must give
/// the same inventory, or the same errors in the same order, either way.
@Suite("Split merge")
struct SplitMergeTests {
    @Test func splitMergeGivesWhatOneAssemblerGives() throws {
        var generator = SeededGenerator(seed: 0x5EED_0007)
        var outcomes: Set<String> = []
        for round in 0..<120 {
            let folder = try InputFolder()
            defer { folder.remove() }
            let count = Int.random(in: 2...14, using: &generator)
            for index in 0..<count {
                try folder.write("f\(index).json", Self.output(using: &generator))
            }
            let files = try InputFiles.expand([folder.url.path]).map { path in try FileDecoder.decode(path: path) }
            let split = Self.outcome { () throws(InventoryReadError) in
                try InventoryAssembler.assemble(files, split: true)
            }
            let serial = Self.outcome { () throws(InventoryReadError) in
                try InventoryAssembler.assemble(files, split: false)
            }
            #expect(split == serial, "round \(round)")
            outcomes.insert(split.errors.isEmpty ? "inventory" : "errors")
            if split.inventory?.problems.isEmpty == false { outcomes.insert("problems") }
        }
        // The generator reaches both outcomes, and problems too.
        #expect(outcomes == ["inventory", "errors", "problems"])
    }

    /// The merge split in two gives the same inventory as reading serially on real fixtures too.
    @Test func splitMergeOnTheRealSamples() throws {
        let paths = try InputFiles.expand([Fixtures.path("iam/cli"), Fixtures.path("bedrock-agent")])
        let files = try paths.map { path in try FileDecoder.decode(path: path) }
        let split = Self.outcome { () throws(InventoryReadError) in try InventoryAssembler.assemble(files, split: true)
        }
        let serial = Self.outcome { () throws(InventoryReadError) in
            try InventoryAssembler.assemble(files, split: false)
        }
        #expect(split == serial)
        #expect(split.inventory?.roles.isEmpty == false)
        #expect(split.inventory?.flows.isEmpty == false)
    }

    struct Outcome: Equatable {
        var inventory: Inventory?
        var errors: [String]
    }

    static func outcome(_ body: () throws(InventoryReadError) -> Inventory) -> Outcome {
        do {
            return Outcome(inventory: try body(), errors: [])
        } catch {
            return Outcome(inventory: nil, errors: error.errors.map(\.description))
        }
    }

    // MARK: Generated outputs

    static let accounts = ["111122223333", "444455556666"]
    static let roleNames = ["r1", "r2", "R1", "r3"]
    static let flowIds = ["AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"]
    static let created = ["2024-05-02T09:14:31Z", "2024-05-03T09:14:31Z"]
    static let inlineDocuments = [
        Make.inline,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
    ]

    static func output(using generator: inout SeededGenerator) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &generator)] }
        func flag() -> Bool { Bool.random(using: &generator) }
        func roleDetail() -> String {
            Make.roleDetail(
                name: pick(roleNames), account: pick(accounts), inline: pick(inlineDocuments), created: pick(created)
            )
            .replacingOccurrences(of: "\n", with: " ")
        }
        func flowArn(_ id: String) -> String { "arn:aws:bedrock:us-east-1:111122223333:flow/\(id)" }
        func version(_ id: String, _ number: String) -> String {
            #"{"id": "\#(id)", "arn": "\#(flowArn(id))", "status": "Prepared", "createdAt": "2024-07-01T00:00:00Z", "version": "\#(number)"}"#
        }
        func alias(_ id: String, _ aliasId: String) -> String {
            #"{"name": "\#(aliasId)", "id": "\#(aliasId)", "flowId": "\#(id)", "arn": "\#(flowArn(id))/alias/\#(aliasId)", "routingConfiguration": [{"flowVersion": "\#(pick(["DRAFT", "1", "2"]))"}]}"#
        }
        switch Int.random(in: 0..<11, using: &generator) {
        case 0:
            return Make.details(
                (0..<Int.random(in: 0...2, using: &generator)).map { _ in roleDetail() }, truncated: flag())
        case 1:
            return #"{"Role": "# + roleDetail() + "}"
        case 2:
            return
                #"{"RoleName": "\#(pick(roleNames))", "PolicyName": "\#(pick(["p", "q"]))", "PolicyDocument": \#(pick(inlineDocuments))}"#
        case 3:
            return #"{"PolicyNames": \#(pick([#"["p"]"#, #"["p", "q"]"#, "[]"])), "IsTruncated": \#(flag())}"#
        case 4:
            let attached = pick(["[]", #"[{"PolicyName": "A", "PolicyArn": "arn:aws:iam::aws:policy/A"}]"#])
            return #"{"AttachedPolicies": \#(attached), "IsTruncated": \#(flag())}"#
        case 5, 6:
            let role = "arn:aws:iam::\(pick(accounts)):role/\(pick(roleNames))"
            return Make.flow(id: pick(flowIds), created: pick(created), role: role)
        case 7:
            let id = pick(flowIds)
            return Make.flow(id: id, version: pick(["1", "2"]))
        case 8:
            let id = pick(flowIds)
            let versions = flag() ? "" : version(id, pick(["1", "2"]))
            return #"{"flowVersionSummaries": [\#(versions)]\#(flag() ? #", "nextToken": "t""# : "")}"#
        case 9:
            let id = pick(flowIds)
            let aliases = flag() ? "" : alias(id, pick(["ALIASAAAAA", "ALIASBBBBB"]))
            return #"{"flowAliasSummaries": [\#(aliases)]\#(flag() ? #", "nextToken": "t""# : "")}"#
        default:
            let id = pick(flowIds)
            return
                #"{"flowSummaries": [{"id": "\#(id)", "arn": "\#(flowArn(id))", "name": "n", "status": "Prepared", "createdAt": "2024-07-01T00:00:00Z", "updatedAt": "2024-07-01T00:00:00Z", "version": "DRAFT"}]\#(flag() ? #", "nextToken": "t""# : "")}"#
        }
    }
}
