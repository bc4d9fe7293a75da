import FlowRoleJSON
import Testing

@testable import Migration

/// `Change.pinnedFlows` and `Change.namesFlow` as they were before they were made faster: every
/// value of both documents hashed into sets, and the ASCII search a loop over colons. The
/// reference the fast ones must equal.
enum ReferencePinnedFlows {
    static func pinnedFlows(_ change: Change) -> [String] {
        let old = Set(change.before?.allStrings ?? [])
        var flows = Set<String>()
        for value in change.after.allStrings where !old.contains(value) && namesFlow(value) {
            flows.insert(value.hasSuffix("/*") ? String(value.dropLast(2)) : value)
        }
        return flows.sorted()
    }

    static func namesFlow(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return value.contains(":flow/") }
        var start = bytes.startIndex
        while let colon = bytes[start...].firstIndex(of: UInt8(ascii: ":")) {
            if bytes[colon...].starts(with: ":flow/".utf8) { return true }
            start = bytes.index(after: colon)
        }
        return false
    }
}

@Suite("pinned flows equal the reference")
struct PinnedFlowsEquivalenceTests {
    /// Pieces of values: flow ARNs and near misses, `/*`, look-alikes that Swift's `==` equates
    /// with ASCII (a Kelvin sign, a combining accent) and marks that join the slash.
    static let pieces = [
        "arn:aws:bedrock:us-east-1:111122223333:flow/", "F1", "F2", "/*", ":flow/", ":flow", "flow/", ":", "/",
        "K", "\u{212A}", "e\u{301}", "é", "\u{301}", "😀", "arn:aws:s3:::b", "*", ":fl", "ow/", "x",
    ]

    static func value(_ random: inout SplitMix) -> String {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in
            pieces[Int.random(in: 0..<pieces.count, using: &random)]
        }.joined()
    }

    static func document(_ random: inout SplitMix, values count: Int, from shared: [String]) -> JSONValue {
        let values: [JSONValue] = (0..<count).map { _ in
            Int.random(in: 0..<3, using: &random) == 0
                ? .string(shared[Int.random(in: 0..<shared.count, using: &random)]) : .string(value(&random))
        }
        return [
            "Version": "2012-10-17",
            "Statement": [
                ["Condition": ["ArnLike": ["AWS:SourceArn": .array(values)]], "Sid": .string(value(&random))]
            ],
        ]
    }

    @Test func pinnedFlowsAreAsBefore() {
        for seed in UInt64(0)..<3000 {
            var random = SplitMix(seed: seed)
            let shared = (0..<6).map { _ in Self.value(&random) }
            // Few values (compared one by one) and many (hashed): both sides of the limit.
            let many = seed % 4 == 0
            let after = Self.document(&random, values: many ? 40 : Int.random(in: 0...8, using: &random), from: shared)
            let before: JSONValue? =
                seed % 5 == 0
                ? nil : Self.document(&random, values: many ? 40 : Int.random(in: 0...8, using: &random), from: shared)
            let change = Change(kind: .updateAssumeRolePolicy, policyName: nil, before: before, after: after)
            let pinned = change.pinnedFlows.map { Array($0.utf8) }
            let reference = ReferencePinnedFlows.pinnedFlows(change).map { Array($0.utf8) }
            #expect(pinned == reference, "seed \(seed)")
        }
    }

    @Test func flowsAreNamedAsBefore() {
        var random = SplitMix(seed: 5)
        var values = Self.pieces
        for _ in 0..<5000 { values.append(Self.value(&random)) }
        for value in values {
            #expect(Change.namesFlow(value) == ReferencePinnedFlows.namesFlow(value), "\(Array(value.utf8))")
        }
    }
}
