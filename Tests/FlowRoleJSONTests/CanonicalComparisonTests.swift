import Testing

@testable import FlowRoleJSON

/// The safety invariants and the trust tightener compare documents with `hasSameCanonicalText(as:)`,
/// which skips making the canonical texts when it can; it must answer exactly as comparing them.
@Suite("canonical comparison")
struct CanonicalComparisonTests {
    /// Strings that are equal as `String`s but not as bytes, keys that sort differently, numbers
    /// written two ways.
    static let strings = [
        "a", "b", "é", "e\u{301}", "Å", "A\u{30A}", "", "arn:aws:iam::111122223333:root", "\u{1F600}",
    ]

    static func value(_ random: inout SeededRandom, depth: Int = 0) -> JSONValue {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        switch random.next() % (depth > 2 ? 4 : 6) {
        case 0: return .string(pick(strings))
        case 1: return .number(pick(["1", "1.0", "-0", "10"]))
        case 2: return pick([.null, .bool(true), .bool(false)])
        case 3: return .string(pick(strings) + pick(strings))
        case 4: return .array((0..<Int(random.next() % 3)).map { _ in value(&random, depth: depth + 1) })
        default:
            return .object(
                (0..<Int(random.next() % 3)).map { _ in JSONMember(pick(strings), value(&random, depth: depth + 1)) })
        }
    }

    /// A variant of `value`: the same, one string swapped for an equivalent or other one, or
    /// members reordered.
    static func variant(_ value: JSONValue, _ random: inout SeededRandom) -> JSONValue {
        switch value {
        case .string(let text) where random.next() % 3 == 0:
            // Pairs, not a dictionary literal: "é" and "e\u{301}" are equal keys to a `Dictionary`.
            let swaps = [("é", "e\u{301}"), ("e\u{301}", "é"), ("Å", "A\u{30A}"), ("a", "b")]
            return .string(swaps.first { $0.0.utf8.elementsEqual(text.utf8) }?.1 ?? text)
        case .array(let items): return .array(items.map { variant($0, &random) })
        case .object(let members):
            let changed = members.map { JSONMember($0.key, variant($0.value, &random)) }
            return .object(random.next() % 3 == 0 ? changed.reversed() : changed)
        default: return value
        }
    }

    @Test func answersAsTheCanonicalTexts() {
        var random = SeededRandom(seed: 99)
        var equal = 0
        var different = 0
        for _ in 0..<4000 {
            let left = Self.value(&random)
            let right = random.next() % 4 == 0 ? Self.value(&random) : Self.variant(left, &random)
            let expected = left.canonicalText == right.canonicalText
            #expect(left.hasSameCanonicalText(as: right) == expected, "\(left) vs \(right)")
            if expected { equal += 1 } else { different += 1 }
        }
        #expect(equal > 500 && different > 500)
    }
}
