import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Inventory

/// `SourceLines`: the line where the value at a JSON pointer starts, on the real samples, on
/// files with several top-level values, on escaped keys and awkward strings, and against an
/// independent count of lines on generated documents.
@Suite("Source lines of JSON pointers")
struct SourceLinesTests {
    static let authorizationDetails = "iam/cli/get-account-authorization-details.json"

    /// The lines of `text` found for `pointers`.
    static func lines(_ text: String, _ pointers: [String]) -> [String: Int] {
        var copy = text
        return copy.withUTF8 { SourceLines.lines(in: UnsafeRawBufferPointer($0), pointers: pointers) }
    }

    static func fileLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    @Test func aRoleOfAuthorizationDetailsIsFoundAtItsOpeningBrace() throws {
        let path = Fixtures.path(Self.authorizationDetails)
        let found = try SourceLines.lines(
            path: path,
            pointers: [
                "", "/UserDetailList", "/RoleDetailList", "/RoleDetailList/1", "/RoleDetailList/1/RoleName",
                "/Policies/0",
            ])
        let text = try Self.fileLines(path)
        let role = try #require(found["/RoleDetailList/1"])
        #expect(role == 67)
        #expect(text[role - 1].trimmingCharacters(in: .whitespaces) == "{")
        // The second role's own lines follow its brace, and no other role starts in between.
        #expect(
            text[role...].prefix(3).contains { $0.contains("\"RoleName\": \"BedrockFlowsKnowledgeAssistantRole\"") })
        // Only the first role opens at the same indentation before it.
        #expect(text[4..<(role - 1)].filter { $0 == text[role - 1] }.count == 1)
        #expect(found["/RoleDetailList/1/RoleName"] == 69)
        #expect(text[68].contains("\"RoleName\": \"BedrockFlowsKnowledgeAssistantRole\""))
        #expect(found[""] == 1)
        #expect(found["/UserDetailList"] == 2)
        #expect(found["/RoleDetailList"] == 4)
        let policy = try #require(found["/Policies/0"])
        #expect(text[policy - 2].contains("\"Policies\": ["))
    }

    @Test func everyPlaceTheReaderRecordsIsFound() throws {
        let inventories = [
            try Fixtures.read(
                Self.authorizationDetails, "iam/cli/list-attached-role-policies.json", "iam/cli/get-policy.json",
                "iam/cli/get-policy-version.v1.json", "iam/cli/get-policy-version.v2.json"),
            try Fixtures.read(
                "iam/cli/get-role.service-role.json", "iam/cli/list-role-policies.json",
                "iam/cli/get-role-policy.json"),
            try Fixtures.read("iam/cli/get-role.legacy-2008.json"),
            try Fixtures.read("iam/cli/get-role.with-boundary.json"),
            try Fixtures.read("bedrock-agent"),
            try Fixtures.read("bedrock-agent-xml/flows.export.json"),
        ]
        var places: [Provenance] = []
        for inventory in inventories {
            for role in inventory.roles {
                places += role.sources + role.inlinePolicies.map(\.source)
            }
            for policy in inventory.managedPolicies {
                places += policy.sources + policy.versions.map(\.source)
            }
            for flow in inventory.flows {
                places += flow.sources + flow.versions.map(\.source) + (flow.aliases ?? []).map(\.source)
            }
        }
        let byFile = Dictionary(grouping: places, by: \.path)
        #expect(byFile.count >= 20)
        #expect(places.contains { $0.pointer.hasPrefix("/RoleDetailList/") })
        for (path, places) in byFile {
            let pointers = places.map(\.pointer)
            let found = try SourceLines.lines(path: path, pointers: pointers)
            let text = try Self.fileLines(path)
            for pointer in pointers {
                guard let line = found[pointer] else {
                    Issue.record("\(path): \(pointer) not found")
                    continue
                }
                // The line holds the value's first character: a member's key, or an element.
                let last = pointer.split(separator: "/").last.map(String.init) ?? ""
                let content = text[line - 1].trimmingCharacters(in: .whitespaces)
                if pointer.isEmpty {
                    #expect(line == 1 && (content.hasPrefix("{") || content.hasPrefix("[")), "\(path)")
                } else if Int(last) == nil {
                    #expect(content.hasPrefix("\"\(last)\":"), "\(path): \(pointer) at line \(line): \(content)")
                } else {
                    #expect(content.hasPrefix("{"), "\(path): \(pointer) at line \(line): \(content)")
                }
            }
        }
    }

    @Test func everyMemberOfEveryRealJSONSampleIsOnItsKeysLine() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.real.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 25)
        for file in files {
            let path = Fixtures.path(file)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let values = try data.withUnsafeBytes { try JSONParser.parseAll($0, file: path) }
            #expect(values.count == 1, "\(file)")
            var members: [(pointer: String, key: String)] = []
            Self.members(of: values[0].value, at: "", into: &members)
            let found = try SourceLines.lines(path: path, pointers: members.map(\.pointer))
            #expect(found.count == Set(members.map(\.pointer)).count, "\(file)")
            let text = try Self.fileLines(path)
            for member in members {
                guard let line = found[member.pointer] else { continue }
                let content = text[line - 1].trimmingCharacters(in: .whitespaces)
                #expect(
                    content.hasPrefix(JSONValue.string(member.key).canonicalText + ":"),
                    "\(file): \(member.pointer) at line \(line): \(content)")
            }
        }
    }

    /// Every object member below `value`, with its pointer.
    static func members(of value: JSONValue, at pointer: String, into members: inout [(pointer: String, key: String)]) {
        switch value {
        case .object(let list):
            for member in list {
                let child = pointer + "/" + InputError.pointerToken(member.key)
                members.append((child, member.key))
                Self.members(of: member.value, at: child, into: &members)
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                Self.members(of: item, at: pointer + "/\(index)", into: &members)
            }
        default:
            break
        }
    }

    @Test func severalTopLevelValuesAreNamedByTheirIndex() {
        let page = #"{"RoleDetailList": [{"RoleName": "a"}, {"RoleName": "b"}], "IsTruncated": false}"#
        // JSON Lines: one value per line.
        let lines = [page, page, page].joined(separator: "\n") + "\n"
        let found = Self.lines(
            lines, ["/0", "/2/RoleDetailList/1", "/1/IsTruncated", "/3", "/RoleDetailList/0", "", "/x/RoleDetailList"])
        #expect(found == ["/0": 1, "/2/RoleDetailList/1": 3, "/1/IsTruncated": 2])

        // Concatenated pages, pretty-printed, one right after another (no separator at all).
        let pretty = """
            {
              "RoleDetailList": [
                {"RoleName": "a"}
              ]
            }{
              "RoleDetailList": [
                {"RoleName": "b"},

                {"RoleName": "c"}
              ]
            }
            """
        #expect(
            Self.lines(pretty, ["/1", "/1/RoleDetailList/1", "/0/RoleDetailList/0", "/1/RoleDetailList/2"])
                == ["/1": 5, "/1/RoleDetailList/1": 9, "/0/RoleDetailList/0": 3])

        // One value that is an array of pages: pointers address it directly.
        let array = "[\n\(page),\n\n\(page)\n]\n"
        #expect(
            Self.lines(array, ["", "/1", "/1/RoleDetailList/0", "/0/0"])
                == ["": 1, "/1": 4, "/1/RoleDetailList/0": 4])
        // A single object: `/0` is its member named "0", not a value index.
        #expect(Self.lines("{\n\"a\": 1,\n\"0\": 2}", ["/0", "/a"]) == ["/0": 3, "/a": 2])
    }

    @Test func escapedKeysAndAwkwardStringsAreReadExactly() {
        let text = #"""
            {
              "skip": "a string with [brackets], {braces}, \"quotes\", \\ and a \n newline escape",
              "also\"skipped": ["]", "}", "\"", {"[": "{"}],
              "a/b": {
                "m~n": [
                  "x",
                  {"\u00e9t\u00e9": 1, "\ud83d\ude00": 2, "q\"k": 3, "t\tb": 4}
                ]
              },
              "after": true
            }
            """#
        let found = Self.lines(
            text,
            [
                "/a~1b", "/a~1b/m~0n", "/a~1b/m~0n/1", "/a~1b/m~0n/1/été", "/a~1b/m~0n/1/😀", "/a~1b/m~0n/1/q\"k",
                "/a~1b/m~0n/1/t\tb", "/after", "/also\"skipped/3/[", "/skip",
            ])
        #expect(
            found == [
                "/a~1b": 4, "/a~1b/m~0n": 5, "/a~1b/m~0n/1": 7, "/a~1b/m~0n/1/été": 7, "/a~1b/m~0n/1/😀": 7,
                "/a~1b/m~0n/1/q\"k": 7, "/a~1b/m~0n/1/t\tb": 7, "/after": 10, "/also\"skipped/3/[": 3, "/skip": 2,
            ])
    }

    @Test func pointersThatAreNotThereAreLeftOut() throws {
        let path = Fixtures.path(Self.authorizationDetails)
        let found = try SourceLines.lines(
            path: path,
            pointers: [
                "/RoleDetailList/99", "/RoleDetailList/01", "/RoleDetailList/-", "/Nope", "no-slash", "/bad~2escape",
                "/RoleDetailList/0/RoleName/deeper", "/RoleDetailList/0",
            ])
        #expect(found == ["/RoleDetailList/0": 5])
        #expect(try SourceLines.lines(path: path, pointers: []) == [:])
        // XML has its lines from libxml2; malformed or cut-off text gives what was found before it.
        #expect(try SourceLines.lines(path: Fixtures.path("iam/query/GetRole.xml"), pointers: ["", "/Role"]) == [:])
        #expect(Self.lines("{\"a\": 1,\n \"b\": [1, 2", ["/a", "/b", "/b/1", "/c"]) == ["/a": 1, "/b": 2, "/b/1": 2])
        #expect(Self.lines("{\"a\" 1, \"b\": 2}", ["/b"]) == [:])
        // Cut off in its second value, the file still holds several: the first token names the value.
        #expect(Self.lines("{\"a\": 1}\n{\"b\": [", ["/0/a", "/1/b", "/a"]) == ["/0/a": 1, "/1/b": 2])
        #expect(Self.lines("", [""]) == [:])
        #expect(Self.lines("\u{FEFF}\n{\"a\": 1}", ["/a"]) == ["/a": 2])
        #expect(throws: InputError.self) { try SourceLines.lines(path: "/nonexistent/flowrole.json", pointers: ["/a"]) }
    }

    /// Generated documents written by the pretty writer, where every member and element starts a
    /// line: the expected line of each pointer is counted from the value alone.
    @Test func linesMatchAnIndependentCountOnGeneratedDocuments() {
        var generator = SeededGenerator(seed: 0x5EED_11E5)
        for round in 0..<40 {
            let documents = (0..<(round % 3 + 1)).map { _ in Self.randomValue(depth: 0, using: &generator) }
            var expected: [String: Int] = [:]
            var start = 1
            var text = ""
            for (index, document) in documents.enumerated() {
                let prefix = documents.count > 1 ? "/\(index)" : ""
                _ = Self.expectedLines(of: document, at: prefix, line: start, into: &expected)
                let pretty = document.prettyText  // newline-terminated
                text += pretty
                start += pretty.utf8.filter { $0 == 0x0A }.count
            }
            let found = Self.lines(text, Array(expected.keys))
            #expect(found == expected, "round \(round):\n\(text)")
        }
    }

    /// Records the line of `value` and everything in it; returns the number of lines it takes.
    static func expectedLines(of value: JSONValue, at pointer: String, line: Int, into lines: inout [String: Int])
        -> Int
    {
        lines[pointer] = line
        switch value {
        case .object(let members) where !members.isEmpty:
            var next = line + 1
            for member in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                next += expectedLines(
                    of: member.value, at: pointer + "/" + InputError.pointerToken(member.key), line: next, into: &lines)
            }
            return next - line + 1
        case .array(let items) where !items.isEmpty:
            var next = line + 1
            for (index, item) in items.enumerated() {
                next += expectedLines(of: item, at: pointer + "/\(index)", line: next, into: &lines)
            }
            return next - line + 1
        default:
            return 1
        }
    }

    static let awkwardKeys = [
        "RoleDetailList", "a/b", "m~n", "~1", "q\"k", "[", "]", "{}", "line\nbreak", "été", "😀", "0", "",
    ]
    static let awkwardStrings = ["", "plain", "[{\"x\": [1]}]", "back\\slash", "new\nline", "tab\t", "}", "\u{1}"]

    private static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let pick = depth >= 4 ? Int.random(in: 0..<4, using: &generator) : Int.random(in: 0..<7, using: &generator)
        switch pick {
        case 0: return .string(awkwardStrings[Int.random(in: 0..<awkwardStrings.count, using: &generator)])
        case 1: return .number(String(Int.random(in: -1000...1000, using: &generator)))
        case 2: return .bool(Bool.random(using: &generator))
        case 3: return .null
        case 4:
            return .array(
                (0..<Int.random(in: 0..<4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var keys = Set<String>()
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                keys.insert(awkwardKeys[Int.random(in: 0..<awkwardKeys.count, using: &generator)])
            }
            return .object(keys.sorted().map { JSONMember($0, randomValue(depth: depth + 1, using: &generator)) })
        }
    }
}

/// SplitMix64: a small seeded generator, so a failing round can be replayed (the InventoryTests
/// target's one).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
