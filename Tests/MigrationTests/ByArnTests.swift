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
}
