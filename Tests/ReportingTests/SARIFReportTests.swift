import FlowRoleJSON
import Foundation
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// `findings.sarif` on a small hand-made plan: rules from the catalogue, one result per finding,
/// levels, locations, suppressions, fingerprints, artifacts — and the official SARIF 2.1.0 schema.
@Suite("SARIF report")
struct SARIFReportTests {
    static let lambda = "arn:aws:lambda:us-east-1:111122223333:function:intake"
    static let alpha = "arn:aws:iam::111122223333:role/Alpha"
    static let bravo = "arn:aws:iam::111122223333:role/Bravo"
    static let charlie = "arn:aws:iam::444455556666:role/Charlie"
    static let outsider = "arn:aws:iam::111122223333:role/Missing"

    /// Three roles (a JSON source with no line, an XML source with one, an absolute path outside
    /// the inputs) with a blocker, warnings, an info, a suppressed finding, and two plan-level findings.
    static func plan() -> Plan {
        func role(_ arn: String, _ name: String, source: Provenance?, findings: [Finding]) -> RolePlan {
            RolePlan(
                arn: arn, name: name, account: String(arn.split(separator: ":")[4]), source: source,
                basis: String(repeating: "0", count: 64), status: .change, selected: true, flows: [], requirements: [],
                changes: [], findings: findings.sorted())
        }
        return Plan(
            migrationID: "2024-11-22-bedrock-flows-service-role", legacyBefore: Instant(seconds: 1_732_320_000),
            inputs: [
                PlanInput(
                    path: "exports/flows.json", sha256: String(repeating: "a", count: 64), kind: "flows.get-flow"),
                PlanInput(
                    path: "exports/iam.json", sha256: String(repeating: "b", count: 64),
                    kind: "iam.authorization-details"),
                PlanInput(
                    path: "exports/legacy.xml", sha256: String(repeating: "c", count: 64),
                    kind: "iam.authorization-details"),
            ],
            selection: Selection(), coverage: [],
            roles: [
                role(
                    alpha, "Alpha", source: Provenance(path: "exports/iam.json", pointer: "/RoleDetailList/0"),
                    findings: [
                        Finding(
                            severity: .blocker, code: "EXPLICIT_DENY", message: "Deny statement d1 denies the grant.",
                            subject: lambda),
                        Finding(
                            severity: .warning, code: "CONDITIONAL_GRANT", message: "Only a conditional Allow.",
                            subject: lambda),
                        Finding(
                            severity: .info, code: "ALREADY_GRANTED", message: "Already allowed.", subject: lambda),
                    ]),
                role(
                    bravo, "Bravo",
                    source: Provenance(
                        path: "exports/legacy.xml", pointer: "/GetAccountAuthorizationDetailsResult/RoleDetailList/0",
                        line: 41),
                    findings: [
                        Finding(
                            severity: .warning, code: "TRUST_UNCONDITIONED", message: "No SourceArn condition.",
                            subject: bravo, suppressed: true),
                        Finding(
                            severity: .warning, code: "QUOTA_EXCEEDED", message: "The trust policy would be too long.",
                            subject: bravo),
                    ]),
                role(
                    charlie, "Charlie",
                    source: Provenance(path: "/abs/dir with space/iam#2.json", pointer: "/Role", line: 7),
                    findings: [
                        Finding(
                            severity: .warning, code: "IAC_MANAGED", message: "Belongs to stack s1.", subject: charlie)
                    ]),
            ],
            findings: [
                Finding(
                    severity: .warning, code: "ROLE_NOT_IN_INPUTS", message: "Flow f1 names a missing role.",
                    subject: outsider),
                Finding(
                    severity: .info, code: "SCP_NOT_EVALUATED", message: "Organisation policies are not in the inputs.",
                    subject: "arn:aws:organizations::111122223333:root"),
            ],
            generatedAt: nil)
    }

    static func render(_ plan: Plan = plan()) throws -> (text: String, run: JSONValue) {
        let text = SARIFReport.render(plan)
        let log = try JSONParser.parse(text)
        return (text, try #require(log["runs"]?.arrayValue?.first))
    }

    static func results(_ run: JSONValue) throws -> [JSONValue] { try #require(run["results"]?.arrayValue) }

    /// The results for one rule, in order.
    static func results(_ run: JSONValue, code: String) throws -> [JSONValue] {
        try results(run).filter { $0["ruleId"] == .string(code) }
    }

    static func physical(_ result: JSONValue) -> JSONValue? {
        result["locations"]?.arrayValue?.first?["physicalLocation"]
    }

    @Test func theLogHasOneRunOfFlowroleWithARulePerCatalogueEntry() throws {
        let (text, run) = try Self.render()
        let log = try JSONParser.parse(text)
        #expect(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] == "2.1.0")
        #expect(log["runs"]?.arrayValue?.count == 1)
        let driver = try #require(run["tool"]?["driver"])
        #expect(driver["name"] == "flowrole")
        #expect(driver["semanticVersion"] == "0.1.0")
        #expect(driver["informationUri"] == nil, "no project page is claimed")
        let rules = try #require(driver["rules"]?.arrayValue)
        #expect(rules.count == FindingCatalog.all.count)
        #expect(rules.map { $0["id"]?.stringValue } == FindingCatalog.all.map(\.code))
        for (rule, entry) in zip(rules, FindingCatalog.all) {
            #expect(rule["shortDescription"]?["text"] == .string(entry.when))
            #expect(rule["help"]?["text"] == .string(entry.action))
            #expect(rule["help"]?["markdown"]?.stringValue?.contains(entry.action) == true)
            #expect(rule["fullDescription"]?["text"]?.stringValue?.contains(entry.when) == true)
            #expect(rule["properties"]?["tags"]?.stringList?.starts(with: ["security", "iam"]) == true)
        }
        let byID = Dictionary(uniqueKeysWithValues: rules.map { ($0["id"]?.stringValue ?? "", $0) })
        #expect(byID["EXPLICIT_DENY"]?["name"] == "ExplicitDeny")
        #expect(byID["TRUST_PINNED_MISSING_FLOW"]?["name"] == "TrustPinnedMissingFlow")
        #expect(byID["EXPLICIT_DENY"]?["defaultConfiguration"]?["level"] == "error")
        #expect(byID["QUOTA_EXCEEDED"]?["defaultConfiguration"]?["level"] == "error")  // its worst severity
        #expect(byID["CONDITIONAL_GRANT"]?["defaultConfiguration"]?["level"] == "warning")
        #expect(byID["ALREADY_GRANTED"]?["defaultConfiguration"]?["level"] == "note")
    }

    @Test func everyFindingIsOneResultWithItsRuleAndLevel() throws {
        let plan = Self.plan()
        let (_, run) = try Self.render(plan)
        let results = try Self.results(run)
        let findings = plan.roles.flatMap(\.findings) + plan.findings
        #expect(results.count == findings.count)
        #expect(results.map { $0["ruleId"]?.stringValue } == findings.map(\.code))
        #expect(results.map { $0["message"]?["text"]?.stringValue } == findings.map(\.message))
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.arrayValue)
        for result in results {
            guard case .number(let literal) = result["ruleIndex"], let index = Int(literal) else {
                Issue.record("no ruleIndex in \(result)")
                continue
            }
            #expect(rules[index]["id"] == result["ruleId"])
        }
        #expect(try Self.results(run, code: "EXPLICIT_DENY").map { $0["level"] } == ["error"])
        #expect(try Self.results(run, code: "CONDITIONAL_GRANT").map { $0["level"] } == ["warning"])
        #expect(try Self.results(run, code: "ALREADY_GRANTED").map { $0["level"] } == ["note"])
        // QUOTA_EXCEEDED's rule defaults to error; this (trust) finding is a warning and says so.
        #expect(try Self.results(run, code: "QUOTA_EXCEEDED").map { $0["level"] } == ["warning"])
        #expect(try Self.results(run, code: "SCP_NOT_EVALUATED").map { $0["level"] } == ["note"])
    }

    @Test func resultsAreLocatedAtTheRolesFileLineAndARN() throws {
        let (_, run) = try Self.render()
        let deny = try #require(try Self.results(run, code: "EXPLICIT_DENY").first)
        let denyPlace = try #require(Self.physical(deny))
        #expect(denyPlace["artifactLocation"]?["uri"] == "exports/iam.json")
        #expect(denyPlace["artifactLocation"]?["uriBaseId"] == "%SRCROOT%")
        #expect(denyPlace["artifactLocation"]?["index"] == .number("1"))
        #expect(denyPlace["region"]?["startLine"] == .number("1"))  // JSON source, line not known
        let location = try #require(deny["locations"]?.arrayValue?.first)
        #expect(location["properties"]?["pointer"] == "/RoleDetailList/0")
        #expect(
            location["logicalLocations"]
                == [["fullyQualifiedName": .string(Self.alpha), "kind": "resource", "name": "Alpha"]])
        #expect(deny["properties"]?["subject"] == .string(Self.lambda))
        #expect(deny["properties"]?["role"] == .string(Self.alpha))

        let quota = try #require(try Self.results(run, code: "QUOTA_EXCEEDED").first)
        #expect(Self.physical(quota)?["artifactLocation"]?["uri"] == "exports/legacy.xml")
        #expect(Self.physical(quota)?["artifactLocation"]?["index"] == .number("2"))
        #expect(Self.physical(quota)?["region"]?["startLine"] == .number("41"))

        // An absolute path outside the inputs: a file URI, percent-encoded, with its own artifact.
        let iac = try #require(try Self.results(run, code: "IAC_MANAGED").first)
        let iacPlace = try #require(Self.physical(iac))
        #expect(iacPlace["artifactLocation"]?["uri"] == "file:///abs/dir%20with%20space/iam%232.json")
        #expect(iacPlace["artifactLocation"]?["uriBaseId"] == nil)
        #expect(iacPlace["artifactLocation"]?["index"] == .number("3"))
        #expect(iacPlace["region"]?["startLine"] == .number("7"))

        // Plan-level findings: the first input file, line 1, the subject as logical location.
        let missing = try #require(try Self.results(run, code: "ROLE_NOT_IN_INPUTS").first)
        #expect(Self.physical(missing)?["artifactLocation"]?["uri"] == "exports/flows.json")
        #expect(Self.physical(missing)?["artifactLocation"]?["index"] == .number("0"))
        #expect(Self.physical(missing)?["region"]?["startLine"] == .number("1"))
        #expect(
            missing["locations"]?.arrayValue?.first?["logicalLocations"]
                == [["fullyQualifiedName": .string(Self.outsider), "kind": "resource"]])
        #expect(missing["properties"]?["role"] == nil)

        // GitHub requires a start line on every result.
        for result in try Self.results(run) {
            #expect(Self.physical(result)?["region"]?["startLine"] != nil, "\(result)")
        }
    }

    @Test func suppressedFindingsCarryAnExternalSuppression() throws {
        let (_, run) = try Self.render()
        let suppressed = try #require(try Self.results(run, code: "TRUST_UNCONDITIONED").first)
        #expect(
            suppressed["suppressions"]
                == [["justification": "suppressed by the suppressions file", "kind": "external"]])
        let others = try Self.results(run).filter { $0["ruleId"] != "TRUST_UNCONDITIONED" }
        #expect(others.allSatisfy { $0["suppressions"] == nil })
    }

    @Test func fingerprintsAreStableAndDistinct() throws {
        let (_, run) = try Self.render()
        let prints = try Self.results(run).map { $0["partialFingerprints"]?[SARIFReport.fingerprintKey]?.stringValue }
        #expect(prints.allSatisfy { $0 != nil })
        #expect(Set(prints).count == prints.count)
        let deny = try #require(try Self.results(run, code: "EXPLICIT_DENY").first)
        #expect(
            deny["partialFingerprints"]?["flowrole/v1"] == .string("EXPLICIT_DENY|blocker|\(Self.lambda)|\(Self.alpha)")
        )
        let scp = try #require(try Self.results(run, code: "SCP_NOT_EVALUATED").first)
        #expect(
            scp["partialFingerprints"]?["flowrole/v1"]
                == "SCP_NOT_EVALUATED|info|arn:aws:organizations::111122223333:root|")

        // A changed message or line does not change the fingerprint; a repeat gets its own.
        var plan = Self.plan()
        plan.roles[0].findings[0].message = "Deny statement d2 denies the grant."
        plan.roles[0].source?.line = 99
        plan.roles[0].findings.append(plan.roles[0].findings[0])
        let (_, changed) = try Self.render(plan)
        let denies = try Self.results(changed, code: "EXPLICIT_DENY").map {
            $0["partialFingerprints"]?["flowrole/v1"]?.stringValue
        }
        #expect(
            denies == [
                "EXPLICIT_DENY|blocker|\(Self.lambda)|\(Self.alpha)",
                "EXPLICIT_DENY|blocker|\(Self.lambda)|\(Self.alpha)|2",
            ])
        // QUOTA_EXCEEDED's inline blocker and trust warning on one role are two alerts, neither a repeat.
        plan.roles[1].findings.append(
            Finding(
                severity: .blocker, code: "QUOTA_EXCEEDED", message: "Inline policies too long.", subject: Self.bravo))
        let (_, quotas) = try Self.render(plan)
        let quotaPrints = try Self.results(quotas, code: "QUOTA_EXCEEDED").compactMap {
            $0["partialFingerprints"]?["flowrole/v1"]?.stringValue
        }
        #expect(
            Set(quotaPrints) == [
                "QUOTA_EXCEEDED|warning|\(Self.bravo)|\(Self.bravo)",
                "QUOTA_EXCEEDED|blocker|\(Self.bravo)|\(Self.bravo)",
            ])
    }

    @Test func artifactsAreTheInputsWithHashesAndKinds() throws {
        let (_, run) = try Self.render()
        let artifacts = try #require(run["artifacts"]?.arrayValue)
        #expect(artifacts.count == 4)  // three inputs, and the role source that is not one
        #expect(
            artifacts[1]
                == [  // keys as written: sorted
                    "hashes": ["sha-256": .string(String(repeating: "b", count: 64))],
                    "location": ["uri": "exports/iam.json", "uriBaseId": "%SRCROOT%"],
                    "properties": ["kind": "iam.authorization-details"],
                ])
        #expect(artifacts.prefix(3).map { $0["hashes"]?["sha-256"]?.stringValue?.count } == [64, 64, 64])
        #expect(artifacts[3]["location"]?["uri"] == "file:///abs/dir%20with%20space/iam%232.json")
        #expect(artifacts[3]["hashes"] == nil)
    }

    @Test func theTextIsDeterministicSortedAndNewlineTerminated() throws {
        let first = SARIFReport.render(Self.plan())
        #expect(first == SARIFReport.render(Self.plan()))
        #expect(first.hasSuffix("}\n"))
        // Re-writing the parsed log with the pretty writer (keys sorted) gives the same bytes.
        #expect(try JSONParser.parse(first).prettyText == first)
        #expect(first.contains("\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\""))
    }

    @Test func aCodeTheCatalogueDoesNotKnowGetsARuleAfterTheCatalogue() throws {
        var plan = Self.plan()
        plan.findings.append(
            Finding(severity: .warning, code: "SOMETHING_NEW", message: "New.", subject: Self.outsider))
        let (_, run) = try Self.render(plan)
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.arrayValue)
        #expect(rules.count == FindingCatalog.all.count + 1)
        #expect(rules.last?["id"] == "SOMETHING_NEW")
        let result = try #require(try Self.results(run, code: "SOMETHING_NEW").first)
        #expect(result["ruleIndex"] == .number(String(FindingCatalog.all.count)))
    }

    @Test func pathsBecomeURIReferences() {
        #expect(
            SARIFReport.percentEncoded("exports/a b/c%d#e?.json", keepColon: false) == "exports/a%20b/c%25d%23e%3F.json"
        )
        #expect(SARIFReport.percentEncoded("c:x/été.json", keepColon: false) == "c%3Ax/%C3%A9t%C3%A9.json")
        #expect(SARIFReport.percentEncoded("/a:b/c.json", keepColon: true) == "/a:b/c.json")
        #expect(
            SARIFReport.artifactLocation("../x.json", index: 2) == [
                "uri": "../x.json", "uriBaseId": "%SRCROOT%", "index": .number("2"),
            ])
    }

    @Test func aPlanWithNoFindingsStillListsRulesAndArtifacts() throws {
        var plan = Self.plan()
        plan.findings = []
        for index in plan.roles.indices { plan.roles[index].findings = [] }
        let (_, run) = try Self.render(plan)
        #expect(try Self.results(run).isEmpty)
        #expect(run["tool"]?["driver"]?["rules"]?.arrayValue?.count == FindingCatalog.all.count)
        #expect(run["artifacts"]?.arrayValue?.count == 4)
    }

    // MARK: The official schema

    /// Never skipped: `make test` installs the jsonschema package when python3 lacks it.
    @Test func theLogIsValidAgainstTheOfficialSARIFSchema() throws {
        let probe = try Validator.run(["-c", "import jsonschema"])
        try #require(
            probe.status == 0, "python3 lacks the jsonschema package (make test installs it): \(probe.output)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var plan = Self.plan()
        plan.findings.append(
            Finding(severity: .blocker, code: "SOMETHING_NEW", message: "New.", subject: Self.outsider))
        let good = try folder.write("findings.sarif", SARIFReport.render(plan))
        let outcome = try Validator.validate(good)
        #expect(outcome.status == 0, "\(outcome.output)")

        // The check bites: a wrong level and a result without a message are rejected.
        let broken = SARIFReport.render(plan)
            .replacingOccurrences(of: "\"level\": \"error\"", with: "\"level\": \"fatal\"")
            .replacingOccurrences(of: "\"message\": {", with: "\"mesage\": {")
        let bad = try folder.write("broken.sarif", broken)
        let rejected = try Validator.validate(bad)
        #expect(rejected.status == 1)
        #expect(rejected.output.contains("'fatal' is not one of"))
        #expect(rejected.output.contains("'message' is a required property"))
    }
}

/// Runs `Tests/ReportingTests/validate_sarif.py` (copied into the test bundle) with python3.
private enum Validator {
    static var schema: URL {
        get throws {
            try #require(
                Bundle.module.url(forResource: "sarif-schema-2.1.0", withExtension: "json", subdirectory: "Fixtures"))
        }
    }

    static var script: URL {
        get throws { try #require(Bundle.module.url(forResource: "validate_sarif", withExtension: "py")) }
    }

    static func validate(_ sarif: String) throws -> (status: Int32, output: String) {
        try run([try script.path, try schema.path, sarif])
    }

    /// python3 (from PATH) with `arguments`; its exit status and its standard output and error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// A temporary folder removed by the test that made it.
private struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowrole-sarif-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
