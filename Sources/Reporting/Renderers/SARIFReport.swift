import FlowRoleJSON
import Inventory
import Migration

/// `findings.sarif`: the plan's findings as a SARIF 2.1.0 log for code-scanning dashboards — one
/// rule per finding code of `FindingCatalog`, one result per finding, each located at the input
/// file (and line) its role was read from. Written with sorted keys, so the same plan gives the
/// same bytes.
///
/// Where things go (SARIF 2.1.0, OASIS; GitHub's "SARIF support for code scanning"):
/// - `physicalLocation.region.startLine` is the role's line when the reader knew it, else 1
///   (GitHub requires a start line).
/// - The role's ARN is the result's logical location (`kind` `resource`); the JSON pointer of the
///   role in its file is in the location's property bag (`properties.pointer`).
/// - Plan-level findings have no role: they are located at the first input file, line 1, with
///   the finding's subject as logical location.
/// - Relative input paths stay relative, resolved against `%SRCROOT%`; absolute ones become
///   `file://` URIs.
/// - `partialFingerprints["flowrole/v1"]` is `code|severity|subject|role ARN` (empty for plan-level
///   findings; `|n` added for the n-th repeat within one log): no line or message in it, so
///   uploads of later plans match the same alerts. The severity tells QUOTA_EXCEEDED's inline
///   blocker from its trust warning on the same role.
public enum SARIFReport {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let toolName = "flowrole"
    public static let semanticVersion = "0.1.0"
    /// The key of the fingerprint in `partialFingerprints`; bump the version if its recipe changes.
    public static let fingerprintKey = "flowrole/v1"
    /// The base every relative input path is resolved against.
    public static let sourceRoot = "%SRCROOT%"
    static let suppressionJustification = "suppressed by the suppressions file"

    public static func render(_ plan: Plan) -> String {
        log(plan).prettyText
    }

    /// The SARIF log as a value (what `render` writes).
    static func log(_ plan: Plan) -> JSONValue {
        let artifacts = Artifacts(plan)
        let rules = Rules(plan)
        var seen: [String: Int] = [:]
        var results: [JSONValue] = []
        for role in plan.roles {
            for finding in role.findings {
                results.append(
                    result(finding, role: role, plan: plan, rules: rules, artifacts: artifacts, seen: &seen))
            }
        }
        for finding in plan.findings {
            results.append(result(finding, role: nil, plan: plan, rules: rules, artifacts: artifacts, seen: &seen))
        }
        let driver: JSONValue = [
            "name": .string(toolName),
            "semanticVersion": .string(semanticVersion), "rules": .array(rules.descriptors),
        ]
        let run: JSONValue = [
            "tool": ["driver": driver],
            "artifacts": .array(artifacts.values),
            "results": .array(results),
        ]
        return ["$schema": .string(schemaURI), "version": "2.1.0", "runs": [run]]
    }

    // MARK: Results

    private static func result(
        _ finding: Finding, role: RolePlan?, plan: Plan, rules: Rules, artifacts: Artifacts,
        seen: inout [String: Int]
    ) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("ruleId", .string(finding.code)),
            JSONMember("ruleIndex", number(rules.index(of: finding.code))),
            JSONMember("level", .string(level(finding.severity))),
            JSONMember("message", ["text": .string(finding.message)]),
            JSONMember("locations", [location(finding, role: role, plan: plan, artifacts: artifacts)]),
        ]
        var fingerprint = [finding.code, finding.severity.rawValue, finding.subject, role?.arn ?? ""]
            .joined(separator: "|")
        let repeats = seen[fingerprint, default: 0]
        seen[fingerprint] = repeats + 1
        if repeats > 0 { fingerprint += "|\(repeats + 1)" }
        members.append(JSONMember("partialFingerprints", .object([JSONMember(fingerprintKey, .string(fingerprint))])))
        var properties: [JSONMember] = [
            JSONMember("severity", .string(finding.severity.rawValue)),
            JSONMember("subject", .string(finding.subject)),
        ]
        if let role { properties.append(JSONMember("role", .string(role.arn))) }
        members.append(JSONMember("properties", .object(properties)))
        if finding.suppressed {
            members.append(
                JSONMember(
                    "suppressions",
                    [["kind": "external", "justification": .string(suppressionJustification)]]))
        }
        return .object(members)
    }

    /// Where a finding is: the role's file and line (or the first input file, line 1), and the
    /// role's ARN (or the finding's subject) as the logical location.
    private static func location(_ finding: Finding, role: RolePlan?, plan: Plan, artifacts: Artifacts)
        -> JSONValue
    {
        var members: [JSONMember] = []
        let path = role?.source?.path ?? plan.inputs.first?.path
        if let path {
            let line = role?.source?.line.map { max($0, 1) } ?? 1
            members.append(
                JSONMember(
                    "physicalLocation",
                    [
                        "artifactLocation": artifacts.location(path),
                        "region": ["startLine": number(line)],
                    ]))
        }
        var logical: [JSONMember] = [
            JSONMember("fullyQualifiedName", .string(role?.arn ?? finding.subject)),
            JSONMember("kind", "resource"),
        ]
        if let role { logical.append(JSONMember("name", .string(role.name))) }
        members.append(JSONMember("logicalLocations", [.object(logical)]))
        if let pointer = role?.source?.pointer, !pointer.isEmpty {
            members.append(JSONMember("properties", ["pointer": .string(pointer)]))
        }
        return .object(members)
    }

    // MARK: Levels and names

    /// SARIF's level for a finding's severity.
    static func level(_ severity: Finding.Severity) -> String {
        switch severity {
        case .blocker: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// The default level of a catalogue entry, whose severity is written as the README writes it
    /// (`blocker (inline) / warning (trust)` counts as its worst: `error`).
    static func level(catalogued severity: String) -> String {
        if severity.hasPrefix(Finding.Severity.blocker.rawValue) { return "error" }
        if severity.hasPrefix(Finding.Severity.info.rawValue) { return "note" }
        return "warning"
    }

    /// `EXPLICIT_DENY` → `ExplicitDeny`.
    static func ruleName(_ code: String) -> String {
        code.split(separator: "_").map { word in
            word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined()
    }

    private static func number(_ value: Int) -> JSONValue { .number(String(value)) }

    // MARK: Rules

    /// `tool.driver.rules`: the catalogue in its order, then any code a finding carries that the
    /// catalogue does not know (sorted), so every result has a rule to point at.
    private struct Rules {
        var descriptors: [JSONValue] = []
        private var indices: [String: Int] = [:]

        init(_ plan: Plan) {
            for entry in FindingCatalog.all { add(entry) }
            let unknown = Set(
                (plan.findings + plan.roles.flatMap(\.findings)).map(\.code).filter { indices[$0] == nil })
            for code in unknown.sorted() {
                add(
                    FindingExplanation(
                        code: code, severity: "warning", when: "a finding this version's catalogue does not describe",
                        action: "See the finding's message."))
            }
        }

        func index(of code: String) -> Int { indices[code] ?? -1 }

        private mutating func add(_ entry: FindingExplanation) {
            indices[entry.code] = descriptors.count
            descriptors.append(SARIFReport.rule(entry))
        }
    }

    static func rule(_ entry: FindingExplanation) -> JSONValue {
        let full = "Raised when \(entry.when). Severity: \(entry.severity)."
        let markdown = """
            **\(entry.code)**: raised when \(entry.when).

            **Severity:** \(entry.severity)

            **What to do:** \(entry.action)
            """
        return [
            "id": .string(entry.code),
            "name": .string(ruleName(entry.code)),
            "shortDescription": ["text": .string(entry.when)],
            "fullDescription": ["text": .string(full)],
            "help": ["text": .string(entry.action), "markdown": .string(markdown)],
            "defaultConfiguration": ["level": .string(level(catalogued: entry.severity))],
            "properties": ["tags": .array(tags(entry.code).map { .string($0) })],
        ]
    }

    /// `security` and `iam` for every rule, and the part of the role a code is about.
    static func tags(_ code: String) -> [String] {
        var tags = ["security", "iam"]
        if code.hasPrefix("TRUST_") { tags.append("trust-policy") }
        if code.contains("BOUNDARY") { tags.append("permissions-boundary") }
        if code.hasPrefix("FLOW_") || code.contains("_FLOW") || code.contains("NODE_") || code == "CUTOFF_DAY" {
            tags.append("bedrock-flows")
        }
        return tags
    }

    // MARK: Artifacts

    /// `run.artifacts`: every plan input (in the plan's order) with its SHA-256 and kind, then any
    /// role source file that is not an input (sorted), so every location has an artifact index.
    private struct Artifacts {
        var values: [JSONValue] = []
        private var indices: [String: Int] = [:]

        init(_ plan: Plan) {
            for input in plan.inputs where indices[input.path] == nil {
                indices[input.path] = values.count
                values.append(
                    [
                        "location": SARIFReport.artifactLocation(input.path, index: nil),
                        "hashes": ["sha-256": .string(input.sha256)],
                        "properties": ["kind": .string(input.kind)],
                    ])
            }
            let others = Set(plan.roles.compactMap { $0.source?.path }.filter { indices[$0] == nil })
            for path in others.sorted() {
                indices[path] = values.count
                values.append(["location": SARIFReport.artifactLocation(path, index: nil)])
            }
        }

        func location(_ path: String) -> JSONValue {
            SARIFReport.artifactLocation(path, index: indices[path])
        }
    }

    /// An `artifactLocation`: the path as a URI reference (relative paths stay relative, against
    /// `%SRCROOT%`; absolute paths become `file://` URIs) and, when given, its artifact index.
    static func artifactLocation(_ path: String, index: Int?) -> JSONValue {
        var members: [JSONMember] = []
        if path.hasPrefix("/") {
            members.append(JSONMember("uri", .string("file://" + percentEncoded(path, keepColon: true))))
        } else {
            members.append(JSONMember("uri", .string(percentEncoded(path, keepColon: false))))
            members.append(JSONMember("uriBaseId", .string(sourceRoot)))
        }
        if let index { members.append(JSONMember("index", .number(String(index)))) }
        return .object(members)
    }

    /// A file path as the path of a URI (RFC 3986): unreserved characters, sub-delimiters, `@` and
    /// `/` stay; everything else (spaces, `%`, `#`, `?`, non-ASCII bytes) is percent-encoded. A
    /// relative path also encodes `:`, which would otherwise read as a scheme in a first segment.
    static func percentEncoded(_ path: String, keepColon: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            let kept =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~!$&'()*+,;=@/".utf8.contains(byte) || (keepColon && byte == UInt8(ascii: ":"))
            if kept {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
