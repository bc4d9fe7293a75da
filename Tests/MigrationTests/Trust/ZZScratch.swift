import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing
@testable import Migration

@Test func trustScratchPrint() throws {
    for name in TrustInvariantsTests.realRoles {
        let (arn, trust) = try TrustFixtures.realTrust(name)
        for opt in [false, true] {
            let r = TrustFixtures.tighten(trust, flows: [TrustFixtures.flow("XK7RZ2QH4M"), TrustFixtures.flow("NEWFLOW001")], coverage: TrustFixtures.coverage(opt ? [(TrustFixtures.account, "*", .flag)] : []), roleArn: arn, tightenUnconditioned: opt)
            print("== \(name) opt=\(opt)")
            print(r.after?.canonicalText ?? "unchanged")
            for f in r.findings { print("  \(f.code) \(f.subject): \(f.message)") }
        }
    }
    let (arn, before, after, flows) = try TrustInvariantsTests.tightened("BedrockFlowsSharedAutomationRole")
    let b = try TrustInvariantsTests.editing(after) { $0.append(["Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"]) }
    for v in TrustInvariantsTests.violations(arn, before, b, flows).prefix(4) { print(v) }
}
