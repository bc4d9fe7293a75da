import Foundation
import Testing

@testable import Migration

/// `ByArn` (the invariants' lookup of roles and flows) answers as the dictionary it replaced,
/// `Dictionary(uniquingKeysWith: { first, _ in first })`, sorted input or not.
@Suite("lookup by ARN")
struct ByArnTests {
    struct Item: Equatable {
        var arn: String
        var tag: Int
    }

    static let arns = [
        "arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b", "arn:aws:iam::111122223333:role/é",
        "arn:aws:iam::111122223333:role/e\u{301}", "arn:aws:iam::111122223333:role/B", "", "arn",
    ]

    @Test(arguments: 0..<20)
    func answersAsTheDictionary(_ seed: Int) {
        var random = SplitMix(seed: UInt64(seed))
        var items = (0..<Int(random.next() % 12)).map { tag in
            Item(arn: Self.arns[Int(random.next() % UInt64(Self.arns.count))], tag: tag)
        }
        // Half the lists sorted as the inventory keeps them (stable, so equal ARNs keep their order).
        if seed % 2 == 0 {
            items = items.enumerated().sorted { ($0.element.arn, $0.offset) < ($1.element.arn, $1.offset) }.map(
                \.element)
        }
        let expected = Dictionary(items.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        let lookup = ByArn(items) { $0.arn }
        for key in Self.arns + ["zzz", "arn:aws:iam::111122223333:role/c"] {
            #expect(lookup[key] == expected[key], "\(key) in \(items)")
        }
    }

    /// Sorted ASCII lists are searched by keys of the bytes after those every ARN shares: lists
    /// of ARNs that share long prefixes, differ past the eighth byte after them, are prefixes of
    /// one another, repeat, or hold NUL; lookups of ARNs in and out of the list, of keys that
    /// miss the shared prefix, and of non-ASCII text equal to an ASCII ARN (U+212A is `K`).
    @Test(arguments: 0..<40)
    func sortedASCIIListsAnswerAsTheDictionary(_ seed: Int) {
        var random = SplitMix(seed: UInt64(seed) &+ 1_000)
        let prefixes = [
            "arn:aws:bedrock:us-east-1:111122223333:flow/", "arn:aws:bedrock:us-west-2:111122223333:flow/",
            "arn:aws:bedrock:us-east-1:444455556666:flow/", "arn:aws:iam::111122223333:role/",
        ]
        let pieces = ["A", "B", "K", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGHJ", "x", "\u{0}", "", "/alias/1", "Z"]
        func arn() -> String {
            let prefix = seed % 3 == 0 ? prefixes[0] : prefixes[Int(random.next() % UInt64(prefixes.count))]
            return prefix
                + (0..<Int(random.next() % 4)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
        }
        let listed = (0..<Int(random.next() % 40)).map { _ in arn() }
        let items = listed.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map {
            Item(arn: $0.element, tag: $0.offset)
        }
        let expected = Dictionary(items.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        let lookup = ByArn(items) { $0.arn }
        var keys = listed + (0..<40).map { _ in arn() } + ["", "arn", "arn:aws:bedrock:us-east-1:111122223333:flo"]
        keys += listed.map { $0.replacingOccurrences(of: "K", with: "\u{212A}") }
        for key in keys {
            #expect(lookup[key] == expected[key], "\(key.unicodeScalars.map(\.value)) in \(items)")
            for hint in [0, 3, items.count - 1] {
                #expect(lookup.withElement(key, hint: hint) { $0 } == expected[key])
            }
        }
    }

    /// ARNs whose keys are equal though their texts differ — alike past the bytes a key holds, or
    /// differing only by trailing NULs (a key is zero-padded) — in runs longer than the few the
    /// lookup compares before it narrows by text.
    @Test(arguments: 0..<20)
    func longRunsOfEqualKeysAnswerAsTheDictionary(_ seed: Int) {
        var random = SplitMix(seed: UInt64(seed) &+ 2_000)
        let long = String(repeating: "a", count: 40 + Int(random.next() % 60))
        let prefixes = ["arn:aws:bedrock:us-east-1:111122223333:flow/", "arn:aws:bedrock:eu-west-1:111122223333:flow/"]
        let tails = ["", "\u{0}", "\u{0}\u{0}", "b", "c", "\u{0}b", "z"]
        func arn() -> String {
            prefixes[Int(random.next() % UInt64(prefixes.count))] + (random.next() % 4 == 0 ? "" : long)
                + (0..<Int(random.next() % 3)).map { _ in tails[Int(random.next() % UInt64(tails.count))] }.joined()
        }
        let listed = (0..<Int(random.next() % 60)).map { _ in arn() }
        let items = listed.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }.map {
            Item(arn: $0.element, tag: $0.offset)
        }
        let expected = Dictionary(items.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        let lookup = ByArn(items) { $0.arn }
        for key in listed + (0..<60).map({ _ in arn() }) {
            #expect(lookup[key] == expected[key], "\(key.unicodeScalars.map(\.value)) in \(items)")
        }
    }
}
