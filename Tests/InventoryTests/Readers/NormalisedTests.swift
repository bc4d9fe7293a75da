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
