import Testing

@testable import Migration

/// The planner groups each flow's requirements by role once (``Planner/grouped(_:roles:)``), where
/// each role filtered the flow's requirements (a speed-up of `plan`): the group of every role
/// must be that filter's list, in order, and no group may be left over.
@Suite("Planner's requirement groups agree with filtering by role")
struct PlannerGroupingTests {
    @Test(arguments: 1...200 as ClosedRange<UInt64>)
    func groupsAreTheFilteredLists(seed: UInt64) {
        var random = PropertyRandom(seed: seed)
        let requirements = RequirementDeriverFastPathTests.requirements(seed: seed)
        let pool: [String?] =
            random.chance(0.3)
            ? [random.pick(["arn:aws:iam::111122223333:role/r", "caf\u{E9}"])]
            : [nil, "arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/s", "caf\u{E9}", "cafe\u{301}"]
        let roles = requirements.map { _ in random.pick(pool) }
        let groups = Planner.grouped(requirements, roles: roles)
        for role in pool {
            let reference = zip(requirements, roles).filter { $0.1 == role }.map(\.0)
            let matching = groups.filter { $0.roleArn == role }
            #expect(matching.count == (reference.isEmpty ? 0 : 1), "seed \(seed)")
            #expect(matching.flatMap(\.requirements) == reference, "seed \(seed)")
        }
        #expect(groups.map(\.requirements.count).reduce(0, +) == requirements.count, "seed \(seed)")
    }
}
