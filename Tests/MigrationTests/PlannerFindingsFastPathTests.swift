import Testing

@testable import Migration

/// The planner collects a role's findings in a list and sorts it once, dropping duplicates
/// (``Planner/sortedUnique(_:)``), where it built a set (a speed-up of `plan`): the result must be
/// what the set, sorted, gave.
@Suite("Planner's findings fast path agrees with the set")
struct PlannerFindingsFastPathTests {
    /// Findings drawn from small pools, so that many repeat exactly and many differ in one field
    /// only; among the messages, one written precomposed and one decomposed (equal as strings).
    static func findings(seed: UInt64) -> [Finding] {
        var random = PropertyRandom(seed: seed)
        return (0..<random.int(0...30)).map { _ in
            Finding(
                severity: random.pick(Finding.Severity.allCases),
                code: random.pick(["ALREADY_GRANTED", "TRUST_COVERAGE", "CONDITIONAL_GRANT"]),
                message: random.pick(["a", "b", "caf\u{E9}", "cafe\u{301}", "a longer message, with words"]),
                subject: random.pick(["arn:aws:iam::111122223333:role/r", "arn:aws:s3:::b/*", "*"]))
        }
    }

    @Test(arguments: 1...300 as ClosedRange<UInt64>)
    func sortedUniqueIsTheSetSorted(seed: UInt64) {
        let given = Self.findings(seed: seed)
        let fast = Planner.sortedUnique(given)
        let reference = Array(Set(given)).sorted()
        #expect(fast == reference, "seed \(seed)")
        // The same texts too: of equal findings, the first collected is kept, as a set keeps the
        // first inserted.
        #expect(
            fast.map { Array($0.message.utf8) } == reference.map { Array($0.message.utf8) }
                || given.contains { $0.message == "caf\u{E9}" }, "seed \(seed)")
    }

    @Test func edgeCases() {
        let one = Finding(severity: .info, code: "A", message: "m", subject: "s")
        let two = Finding(severity: .warning, code: "A", message: "m", subject: "s")
        #expect(Planner.sortedUnique([]) == [])
        #expect(Planner.sortedUnique([one, one, one]) == [one])
        #expect(Planner.sortedUnique([one, two, one, two]) == [two, one])
        let precomposed = Finding(severity: .info, code: "A", message: "caf\u{E9}", subject: "s")
        let decomposed = Finding(severity: .info, code: "A", message: "cafe\u{301}", subject: "s")
        #expect(
            Planner.sortedUnique([decomposed, precomposed]).map { Array($0.message.utf8) } == [
                Array("cafe\u{301}".utf8)
            ])
    }
}
