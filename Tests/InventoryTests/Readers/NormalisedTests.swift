import FlowRoleJSON
import Testing

@testable import Inventory

/// `FlowDecoder.normalised` returns a value unchanged when it is already normalised, and otherwise
/// what the rebuilding definition (kept here) gives.
@Suite("normalised node configurations")
struct NormalisedTests {
    /// The definition: every value rebuilt.
    static func reference(_ value: JSONValue) -> JSONValue {
        switch value {
        case .null: return .object([])
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .number(let literal): return .string(literal)
        case .string(let text): return text.isEmpty ? .object([]) : value
        case .array(let items): return items.isEmpty ? .object([]) : .array(items.map(reference))
        case .object(let members):
            return .object(
                members.filter { !FlowDecoder.skippedDefinitionKeys.contains($0.key) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { JSONMember($0.key, reference($0.value)) })
        }
    }

    static let keys = [
        "a", "b", "promptArn", "lambdaArn", "code", "inputs", "resource", "Z", "é", "e\u{301}", "\u{212A}", "K",
        "sourceConfiguration", "",
    ]

    static func value(_ random: inout SeededGenerator, depth: Int) -> JSONValue {
        switch Int.random(in: 0...(depth > 3 ? 4 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(String(Int.random(in: -9...99, using: &random)))
        case 3: return .string("")
        case 4:
            return .string(["arn:aws:lambda:us-east-1:1:function:f", "x", "é"].randomElement(using: &random) ?? "x")
        case 5:
            return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default:
            var members = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                JSONMember(keys.randomElement(using: &random) ?? "a", value(&random, depth: depth + 1))
            }
            // Often already sorted, as AWS writes them.
            if Bool.random(using: &random) { members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } }
            return .object(members)
        }
    }

    @Test func equalsTheRebuildingDefinition() {
        var random = SeededGenerator(seed: 21)
        var unchanged = 0
        for _ in 0..<20_000 {
            let value = Self.value(&random, depth: 0)
            let expected = Self.reference(value)
            #expect(FlowDecoder.normalised(value) == expected, "\(value)")
            if FlowDecoder.isNormalised(value) {
                #expect(expected == value)
                unchanged += 1
            }
            // What normalising gives is normalised, unless it kept two members with one key.
            #expect(FlowDecoder.normalised(expected) == expected)
        }
        #expect(unchanged > 1_000)
    }
}

/// `FlowDecoder.normalised` (one walk) gives, byte for byte, what `normalisedReference` (check,
/// then rebuild) gives; `FlowDecoder.nodes` (nodes read straight from the tree) what
/// `nodesReference` gives, errors included, from JSON and XML trees alike.
@Suite("normalising and reading nodes in one walk")
struct NodesFastPathTests {
    /// Equal with every key and string compared as bytes (`==` compares canonical equivalents).
    static func identical(_ one: JSONValue, _ other: JSONValue) -> Bool { one.hasSameBytes(as: other) }

    @Test func normalisedEqualsTheReference() {
        var random = SeededGenerator(seed: 0x0107)
        var rebuilt = 0
        for _ in 0..<50_000 {
            let value = NormalisedTests.value(&random, depth: 0)
            let expected = FlowDecoder.normalisedReference(value)
            #expect(Self.identical(FlowDecoder.normalised(value), expected), "\(value)")
            if !Self.identical(expected, value) { rebuilt += 1 }
        }
        #expect(rebuilt > 10_000)
    }

    static func node(_ random: inout SeededGenerator, depth: Int, xml: Bool) -> JSONValue {
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
        if Int.random(in: 0..<20, using: &random) == 0 { return pick([.string(""), .number("1"), .null]) }
        var members: [JSONMember] = []
        let name: JSONValue = pick([
            .string("N\(Int.random(in: 0..<9, using: &random))"), .string("A"), .string(""), .number("2"),
        ])
        if Int.random(in: 0..<12, using: &random) > 0 { members.append(JSONMember("name", name)) }
        let type: JSONValue = pick([.string("Prompt"), .string("LambdaFunction"), .string("Loop"), .string("")])
        if Int.random(in: 0..<12, using: &random) > 0 { members.append(JSONMember("type", type)) }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: break
        case 1: members.append(JSONMember("configuration", pick([.null, .string(""), .string("x"), .array([])])))
        case 2: members.append(JSONMember("configuration", .object([])))
        case 3:
            members.append(
                JSONMember(
                    "configuration",
                    .object([JSONMember("a", .object([])), JSONMember("b", NormalisedTests.value(&random, depth: 2))])))
        case 4 where depth < 2:
            let inner: JSONValue =
                pick([0, 1, 2, 3]) == 0
                ? pick([.null, .string(""), .number("3")])
                : .object([JSONMember("nodes", nodes(&random, depth: depth + 1, xml: xml))])
            let loop: JSONValue = pick([0, 1]) == 0 ? .object([JSONMember("definition", inner)]) : .null
            members.append(JSONMember("configuration", .object([JSONMember("loop", loop)])))
        default:
            let kind = pick(["prompt", "lambdaFunction", "knowledgeBase", "K", "\u{212A}"])
            members.append(
                JSONMember("configuration", .object([JSONMember(kind, NormalisedTests.value(&random, depth: 1))])))
        }
        if Bool.random(using: &random) { members.shuffle(using: &random) }
        return .object(members)
    }

    static func nodes(_ random: inout SeededGenerator, depth: Int, xml: Bool) -> JSONValue {
        switch Int.random(in: 0..<15, using: &random) {
        case 0: return xml ? .string("") : .number("7")
        case 1: return .string("x")
        default:
            return .array(
                (0..<Int.random(in: 0...5, using: &random)).map { _ in node(&random, depth: depth, xml: xml) })
        }
    }

    enum Outcome: Equatable {
        case nodes([FlowNode])
        case error(String)
    }

    static func outcome(_ body: () throws(InputError) -> [FlowNode]) -> Outcome {
        do { return .nodes(try body()) } catch { return .error(error.description) }
    }

    @Test func nodesEqualTheReference() {
        var random = SeededGenerator(seed: 0x0108)
        var seen: Set<String> = []
        for round in 0..<30_000 {
            let xml = round % 3 == 0
            let definition = JSONValue.object([JSONMember("nodes", Self.nodes(&random, depth: 0, xml: xml))])
            let context = DecodeContext(file: "f.json", isXML: xml, lines: [:], topLevelLine: nil, prefix: "/flows/0")
            let cursor = Cursor(value: definition, path: .key(.root, "definition"), context: context)
            let parent: String? = round % 5 == 0 ? "Outer" : nil
            let expected = Self.outcome { () throws(InputError) in
                try FlowDecoder.nodesReference(cursor, parentPath: parent)
            }
            let fast = Self.outcome { () throws(InputError) in try FlowDecoder.nodes(cursor, parentPath: parent) }
            #expect(fast == expected, "\(definition)")
            switch expected {
            case .error: seen.insert("error")
            case .nodes(let nodes):
                seen.insert("nodes")
                if nodes.contains(where: { !$0.children.isEmpty }) { seen.insert("loop") }
            }
        }
        #expect(seen == ["error", "nodes", "loop"])
    }
}
