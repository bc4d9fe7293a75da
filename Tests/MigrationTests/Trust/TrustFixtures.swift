import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// Literals and real trust policies for the trust tests, and a tightener call that always runs
/// the invariant checker on what it returns.
enum TrustFixtures {
    static let account = "123456789012"
    static let region = "us-east-1"

    /// The real trust policy of `roleName` in the captured authorization details.
    static func realTrust(_ roleName: String) throws -> (arn: String, trust: PolicyDocument) {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        let file = directory.appendingPathComponent(
            "Tests/InventoryTests/Fixtures/real/iam/cli/get-account-authorization-details.json")
        let details = try JSONParser.parse(try String(contentsOf: file, encoding: .utf8))
        let role = try #require(details["RoleDetailList"]?.arrayValue?.first { $0["RoleName"] == .string(roleName) })
        let arn = try #require(role["Arn"]?.stringValue)
        let trust = try PolicyDocument(json: try #require(role["AssumeRolePolicyDocument"]))
        return (arn, trust)
    }

    static func document(_ text: String) throws -> PolicyDocument {
        try PolicyDocument(json: try JSONParser.parse(text))
    }

    static func flow(
        _ id: String, region: String = region, account: String = account, partition: String = "aws"
    ) -> TrustTightener.FlowUse {
        TrustTightener.FlowUse(
            arn: "arn:\(partition):bedrock:\(region):\(account):flow/\(id)", partition: partition, region: region,
            account: account, id: id)
    }

    static func flowArn(_ id: String, region: String = region, account: String = account) -> String {
        "arn:aws:bedrock:\(region):\(account):flow/\(id)"
    }

    /// `flow/ID` and `flow/ID/*` of each id, as a JSON list text, in the order given.
    static func pinned(_ ids: [String], region: String = region, account: String = account) -> String {
        ids.flatMap { id -> [String] in
            let arn = flowArn(id, region: region, account: account)
            return ["\"\(arn)\"", "\"\(arn)/*\""]
        }.joined(separator: ",")
    }

    static func coverage(_ entries: [(account: String, region: String, by: Coverage.Basis)] = [])
        -> TrustTightener.Coverage
    {
        var coverage = TrustTightener.Coverage()
        for entry in entries {
            coverage.add(partition: "aws", account: entry.account, region: entry.region, by: entry.by)
        }
        return coverage
    }

    /// Tightens and checks invariants 3 and 4 on the result.
    static func tighten(
        _ trust: PolicyDocument, flows: [TrustTightener.FlowUse], coverage: TrustTightener.Coverage = .init(),
        roleArn: String = "arn:aws:iam::123456789012:role/TestRole", roleAccount: String = account,
        maxCharacters: Int = 2048, tightenUnconditioned: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> TrustTightener.Result {
        let result = TrustTightener(maxCharacters: maxCharacters, tightenUnconditioned: tightenUnconditioned)
            .tighten(roleArn: roleArn, roleAccount: roleAccount, trust: trust, flows: flows, coverage: coverage)
        let violations = TrustInvariants.violations(
            of: result, roleArn: roleArn, roleAccount: roleAccount, flows: flows)
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        return result
    }

    static func codes(_ result: TrustTightener.Result) -> [String] {
        result.findings.map(\.code)
    }
}
