import FlowRoleJSON
import Synchronization
import Testing

/// A small deterministic generator (SplitMix64), so every failing case can be replayed by seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomJSON {
    static let alphabet: [Character] = Array("abcXYZ019 :/*?$\"\\\n\té😀~-_.{}[],")

    static func string(_ random: inout SeededRandom) -> String {
        String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
    }

    static func number(_ random: inout SeededRandom) -> String {
        ["0", "-1", "3600", "1.50", "-2e3", "6.02E+23", "1e-7", "123456789012345678901234567890"].randomElement(
            using: &random)
            ?? "0"
    }

    /// A random value; objects have unique keys (the parser rejects duplicates). Strings and keys
    /// come from `string` (``string(_:)`` unless a test needs other text).
    static func value(
        _ random: inout SeededRandom, depth: Int = 0, string: (inout SeededRandom) -> String = RandomJSON.string
    ) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number(&random))
        case 3: return .string(string(&random))
        case 4, 5:
            var members: [JSONMember] = []
            var keys = Set<String>()
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                let key = string(&random)
                if keys.insert(key).inserted {
                    members.append(JSONMember(key, value(&random, depth: depth + 1, string: string)))
                }
            }
            return .object(members)
        default:
            return .array(
                (0..<Int.random(in: 0...5, using: &random)).map { _ in
                    value(&random, depth: depth + 1, string: string)
                })
        }
    }

    /// `value` written with random whitespace between tokens and members in document order.
    static func text(_ value: JSONValue, _ random: inout SeededRandom, compact: Bool = false) -> String {
        func space() -> String {
            if compact { return "" }
            return String(
                repeating: [" ", "\n", "\t", "\r\n", ""].randomElement(using: &random) ?? "",
                count: Int.random(in: 0...2, using: &random))
        }
        switch value {
        case .array(let items):
            return "[" + space()
                + items.map { text($0, &random, compact: compact) }.joined(separator: space() + "," + space()) + space()
                + "]"
        case .object(let members):
            return "{" + space()
                + members.map {
                    JSONValue.string($0.key).canonicalText + space() + ":" + space()
                        + text($0.value, &random, compact: compact)
                }
                .joined(separator: "," + space()) + space() + "}"
        default:
            return value.canonicalText
        }
    }

    /// Sorts object members by key, recursively: what the canonical form makes of a value.
    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(sortedKeys))
        case .object(let members):
            return .object(
                members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
                    JSONMember($0.key, sortedKeys($0.value))
                })
        default: return value
        }
    }
}

@Suite("JSON properties (seeded)")
struct JSONPropertyTests {
    @Test(arguments: 0..<300)
    func parsingKeepsEveryMemberOrderAndLiteral(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let value = RandomJSON.value(&random)
        let written = RandomJSON.text(value, &random)
        #expect(try JSONValue(parsing: written) == value, "seed \(seed): \(written)")
    }

    @Test(arguments: 0..<300)
    func canonicalAndPrettyFormsRoundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let value = RandomJSON.value(&random)
        let canonical = value.canonicalText
        let reparsed = try JSONValue(parsing: canonical)
        #expect(reparsed == RandomJSON.sortedKeys(value), "seed \(seed)")
        #expect(reparsed.canonicalText == canonical)
        #expect(try JSONValue(parsing: value.prettyText).canonicalText == canonical)
        // `/` is never escaped (Foundation escapes it unless told not to).
        #expect(JSONValue.string("arn:aws:iam::1:role/a/b").canonicalText == #""arn:aws:iam::1:role/a/b""#)
    }

    @Test(arguments: 0..<100)
    func twoThreadsGiveWhatOneGives(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let elements = (0..<Int.random(in: 1...60, using: &random)).map { index -> JSONValue in
            // Elements start with the same key, as AWS outputs do, so the second thread has a pattern to find.
            var members = [JSONMember("name", .string("e\(index)"))]
            if case .object(let extra) = RandomJSON.value(&random, depth: 2) {
                members += extra.filter { $0.key != "name" }
            }
            return .object(members)
        }
        let document: JSONValue = ["flows": .array(elements)]
        // Laid out like an AWS export: one element per line, indented, members in document order.
        let pretty =
            "{\n    \"flows\": [\n"
            + elements.map { "        " + RandomJSON.text($0, &random, compact: true) }.joined(separator: ",\n")
            + "\n    ]\n}\n"
        let serial = try parseFile(pretty)
        let splitsBefore = JSONParser.parallelSplits.load(ordering: .relaxed)
        let parallel = try parseFile(pretty, options: JSONParseOptions(parallel: true, parallelThreshold: 1))
        #expect(parallel == serial, "seed \(seed)")
        if elements.count >= 8 {
            // Not vacuous: with a few elements the second thread's half is really used.
            #expect(JSONParser.parallelSplits.load(ordering: .relaxed) > splitsBefore, "seed \(seed)")
        }
        #expect(serial == [document])
        // Any truncation is an error, and the same error, on one thread or two.
        let cut = Int.random(in: 1..<pretty.utf8.count, using: &random)
        let truncated = String(decoding: pretty.utf8.prefix(cut), as: UTF8.self)
        if let expected = parseError(truncated) {
            #expect(parseError(truncated, options: JSONParseOptions(parallel: true, parallelThreshold: 1)) == expected)
        }
    }
}
