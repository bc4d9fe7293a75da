import FlowRoleJSON
import Testing

/// The writers as they were before they were made faster, kept as the reference the fast ones
/// must equal byte for byte: plan.json, hashes, `basis` and size accounting all depend on them.
enum ReferenceWriters {
    static func canonical(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let literal): bytes.append(contentsOf: literal.utf8)
        case .string(let text): string(text, into: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                canonical(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                canonical(member.value, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    static func string(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static func canonicalBytes(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        canonical(value, into: &bytes)
        return bytes
    }

    static func prettyBytes(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        pretty(value, into: &bytes, indent: 0)
        bytes.append(0x0A)
        return bytes
    }

    static func pretty(_ value: JSONValue, into bytes: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            for _ in 0..<(level * 2) { bytes.append(UInt8(ascii: " ")) }
        }
        switch value {
        case .array(let items) where !items.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                pretty(item, into: &bytes, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                string(member.key, into: &bytes)
                bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                pretty(member.value, into: &bytes, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            canonical(value, into: &bytes)
        }
    }

    static func allStrings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(allStrings)
        case .object(let members): members.flatMap { allStrings($0.value) }
        default: []
        }
    }
}

/// JSON values meant to trip a writer: every escape, look-alike keys, long runs around the
/// eight-byte scan, sorted and unsorted members, duplicate keys, deep nesting, long arrays.
struct HostileJSON {
    var random: SeededRandom

    /// Pieces strings are made of.
    static let pieces: [String] = [
        "a", "Z", "0", " ", "/", "<", "</script>", "<!--", ">", "&", "'", "\"", "\\", "\\u0000", "\n", "\r", "\t",
        "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "K", "\u{212A}", "\u{2028}",
        "\u{2029}", "😀", "👩‍👩‍👧", "中文", "\r\n", "arn:aws:iam::111122223333:role/R", "lambda:InvokeFunction",
        "abcdefghijklmnop", "1234567", "12345678",
    ]

    /// Keys: few, so that objects share and repeat them; some differ only in bytes that compare
    /// equal as Swift strings.
    static let keys: [String] = [
        "", "a", "A", "b", "ab", "aa", "Action", "action", "Resource", "é", "e\u{301}", "K", "\u{212A}", "\"q\"",
        "\n", "z\u{2028}", "😀", "~", "Statement", "Sid",
    ]

    mutating func string() -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            text += Self.pieces.randomElement(using: &random) ?? "a"
        }
        if Int.random(in: 0..<10, using: &random) == 0 { text = String(repeating: text + "x", count: 9) }
        return text
    }

    mutating func number() -> String {
        ["0", "-1", "3600", "1.50", "-2e3", "6.02E+23", "1e-7", "123456789012345678901234567890", "007"]
            .randomElement(using: &random) ?? "0"
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 4 ? 5 : 9), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number())
        case 3, 4: return .string(string())
        case 5, 6:
            var members: [JSONMember] = []
            for _ in 0..<Int.random(in: 0...10, using: &random) {
                let key =
                    Int.random(in: 0..<4, using: &random) == 0
                    ? string() : Self.keys.randomElement(using: &random) ?? ""
                members.append(JSONMember(key, value(depth: depth + 1)))
            }
            switch Int.random(in: 0..<3, using: &random) {
            case 0: members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            case 1: members.sort { $1.key.utf8.lexicographicallyPrecedes($0.key.utf8) }
            default: break
            }
            return .object(members)
        default:
            return .array((0..<Int.random(in: 0...6, using: &random)).map { _ in value(depth: depth + 1) })
        }
    }

    /// `levels` arrays and objects inside each other, deeper than the indentation kept at hand.
    mutating func deep(_ levels: Int) -> JSONValue {
        var value: JSONValue = .string(string())
        for level in 0..<levels {
            value = level % 2 == 0 ? .array([value, .number(number())]) : .object([JSONMember("k", value)])
        }
        return value
    }
}

@Suite("JSON writers equal the reference writers byte for byte")
struct JSONWriterEquivalenceTests {
    func expectSame(_ value: JSONValue, seed: UInt64) {
        // Compared first, so that a failure names the seed instead of printing every byte.
        let canonical = ReferenceWriters.canonicalBytes(value)
        let sameCanonical = value.canonicalBytes == canonical
        #expect(sameCanonical, "canonical, seed \(seed)")
        let sameCanonicalText = Array(value.canonicalText.utf8) == canonical
        #expect(sameCanonicalText, "canonical text, seed \(seed)")
        #expect(
            value.canonicalCharacterCount == String(decoding: canonical, as: UTF8.self).unicodeScalars.count,
            "characters, seed \(seed)")
        let pretty = ReferenceWriters.prettyBytes(value)
        let samePretty = value.prettyBytes == pretty
        #expect(samePretty, "pretty, seed \(seed)")
        let samePrettyText = Array(value.prettyText.utf8) == pretty
        #expect(samePrettyText, "pretty text, seed \(seed)")
        let sameStrings =
            value.allStrings.map { Array($0.utf8) } == ReferenceWriters.allStrings(value).map { Array($0.utf8) }
        #expect(sameStrings, "strings, seed \(seed)")
    }

    @Test func randomValuesAreWrittenAsBefore() {
        for seed in UInt64(0)..<1500 {
            var hostile = HostileJSON(random: SeededRandom(seed: seed))
            expectSame(hostile.value(), seed: seed)
        }
    }

    @Test func everyStringIsEscapedAsBefore() {
        var strings = HostileJSON.pieces + HostileJSON.keys
        strings.append(String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self))
        for length in 0..<40 {
            for position in 0..<length {
                var scalars = Array(repeating: Unicode.Scalar(UInt8(ascii: "x")), count: length)
                for special in ["\"", "\\", "\u{00}", "\u{1F}", "\n", "<", "é"] {
                    scalars[position] = special.unicodeScalars.first ?? "x"
                    strings.append(String(String.UnicodeScalarView(scalars)))
                }
            }
        }
        for text in strings {
            var fast: [UInt8] = []
            var reference: [UInt8] = []
            JSONValue.writeString(text, into: &fast)
            ReferenceWriters.string(text, into: &reference)
            #expect(fast == reference, "\(Array(text.utf8))")
        }
    }

    @Test func longArraysWrittenInPiecesAreJoinedAsBefore() {
        for seed in UInt64(0)..<6 {
            var hostile = HostileJSON(random: SeededRandom(seed: 10_000 + seed))
            let items = (0..<(200 + Int(seed) * 700)).map { _ in hostile.value(depth: 3) }
            expectSame(.array(items), seed: seed)
            expectSame(.object([JSONMember("roles", .array(items)), JSONMember("a", .array(items))]), seed: seed)
            expectSame(.array([.array(items), .object([JSONMember("nested", .array(items))])]), seed: seed)
        }
    }

    @Test func deepValuesAreIndentedAsBefore() {
        var hostile = HostileJSON(random: SeededRandom(seed: 7))
        for levels in [1, 31, 32, 33, 64, 65, 100] { expectSame(hostile.deep(levels), seed: UInt64(levels)) }
    }

    @Test func duplicateAndLookAlikeKeysKeepTheirOrder() {
        let members = [
            JSONMember("b", 1), JSONMember("a", 2), JSONMember("b", 3), JSONMember("e\u{301}", 4),
            JSONMember("é", 5), JSONMember("a", 6), JSONMember("\u{212A}", 7), JSONMember("K", 8),
        ]
        for count in 0...members.count {
            let prefix = Array(members.prefix(count))
            expectSame(.object(prefix), seed: UInt64(count))
            expectSame(.object(prefix.reversed()), seed: UInt64(count))
            // Many members: the sort for more than a handful.
            expectSame(.object(Array(repeating: prefix, count: 5).flatMap { $0 }), seed: UInt64(count))
        }
    }
}

extension JSONMember {
    fileprivate init(_ key: String, _ number: Int) { self.init(key, .number(String(number))) }
}
