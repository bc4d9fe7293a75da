import FlowRoleJSON
import Foundation
import Inventory

/// A migration, as data (DESIGN, "The migration file"): which flows it concerns, which
/// requirements it derives from their nodes (by resolver name), where grants go, and whether
/// trust policies are tightened. The next AWS change is a new file plus, at most, a new resolver.
public struct MigrationDefinition: Sendable, Hashable {
    public static let schema = "flowrole.migration/v1"

    /// Which flows a migration derives requirements for.
    public enum Scope: String, Sendable, Hashable {
        /// Flows created before `legacyBefore` (the 2024-11-22 change).
        case legacy
        /// Every flow, whatever its age (least privilege).
        case all
    }

    /// One requirement rule: nodes of a type, and the resolver that turns one into grants. A rule
    /// without a node type is about the flow definition itself (its customer-managed KMS key).
    public struct Rule: Sendable, Hashable {
        public var nodeType: String?
        public var resolver: String
        /// The Sid of the statement the grants of this rule go into, in the migration's own policy.
        public var sid: String
    }

    public var id: String
    public var title: String
    public var reference: String?
    /// Exclusive: a flow created before this instant is legacy.
    public var legacyBefore: Instant
    /// The UTC day AWS's note leaves ambiguous; a flow created on it that is treated as legacy gets
    /// `CUTOFF_DAY`.
    public var cutoffDay: String?
    public var scope: Scope
    public var rules: [Rule]
    /// The inline policy this migration owns on each role it changes.
    public var policyName: String
    public var tightensTrust: Bool
    /// Whether the plan reports grants the role holds that none of its flows needs
    /// (`"unneededGrants": "report"`, least privilege). They are never removed.
    public var reportsUnneededGrants: Bool
    /// Where the definition was read (a path, or `built-in`).
    public var source: String

    /// Reads and checks a migration file; a mistake names the file and the key.
    public static func load(path: String, resolvers: ResolverRegistry = .standard) throws(InputError)
        -> MigrationDefinition
    {
        let value = try JSONFile(path: path, name: "migration file").value
        return try MigrationDefinition(json: value, source: path, resolvers: resolvers)
    }

    /// Checks a parsed migration. Every member is required unless marked optional; unknown members
    /// are errors (a misspelt key must not silently change a migration's meaning).
    public init(json: JSONValue, source: String, resolvers: ResolverRegistry = .standard) throws(InputError) {
        func fail(_ pointer: String, _ message: String) -> InputError {
            InputError(file: source, pointer: pointer, message: message)
        }
        func string(_ value: JSONValue?, _ pointer: String) throws(InputError) -> String {
            guard case .string(let text)? = value, !text.isEmpty else {
                throw fail(pointer, "expected a non-empty string, found \(value?.kindDescription ?? "nothing").")
            }
            return text
        }
        func checkMembers(_ value: JSONValue, _ pointer: String, allowed: Set<String>) throws(InputError) {
            guard let members = value.objectMembers else { throw fail(pointer, "expected an object.") }
            for member in members where !allowed.contains(member.key) {
                throw fail(
                    pointer + "/" + InputError.pointerToken(member.key),
                    "unknown member \"\(member.key)\" (expected \(allowed.sorted().joined(separator: ", "))).")
            }
        }
        try checkMembers(
            json, "",
            allowed: [
                "schema", "id", "title", "reference", "legacyBefore", "cutoffDay", "migrates", "requirements", "grants",
                "trust", "unneededGrants",
            ])
        let schema = try string(json["schema"], "/schema")
        guard schema == Self.schema else {
            throw fail("/schema", "unknown migration schema \"\(schema)\"; this flowrole reads \"\(Self.schema)\".")
        }
        id = try string(json["id"], "/id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
            throw fail("/id", "an id may hold letters, digits, '-', '.' and '_' only; \"\(id)\" does not.")
        }
        title = try string(json["title"], "/title")
        reference = json["reference"] == nil ? nil : try string(json["reference"], "/reference")
        let instantText = try string(json["legacyBefore"], "/legacyBefore")
        do {
            legacyBefore = try Instant(parsing: instantText)
        } catch {
            throw fail("/legacyBefore", error.description)
        }
        if let day = json["cutoffDay"] {
            let text = try string(day, "/cutoffDay")
            guard (try? Instant(parsing: text + "T00:00:00Z")) != nil else {
                throw fail("/cutoffDay", "expected a date like 2024-11-22, found \"\(text)\".")
            }
            cutoffDay = text
        } else {
            cutoffDay = nil
        }
        let scopeText = try string(json["migrates"], "/migrates")
        guard let scope = Scope(rawValue: scopeText) else {
            throw fail("/migrates", "expected \"legacy\" or \"all\", found \"\(scopeText)\".")
        }
        self.scope = scope
        guard case .array(let items)? = json["requirements"], !items.isEmpty else {
            throw fail("/requirements", "expected a non-empty list of requirement rules.")
        }
        var rules: [Rule] = []
        var sids = Set<String>()
        for (index, item) in items.enumerated() {
            let pointer = "/requirements/\(index)"
            try checkMembers(item, pointer, allowed: ["nodeType", "resolver", "sid"])
            let resolver = try string(item["resolver"], pointer + "/resolver")
            guard resolvers.resolver(named: resolver) != nil else {
                throw fail(
                    pointer + "/resolver",
                    "unknown resolver \"\(resolver)\" (this flowrole has \(resolvers.names.joined(separator: ", "))).")
            }
            let sid = try string(item["sid"], pointer + "/sid")
            guard
                sid.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                )
            else {
                throw fail(pointer + "/sid", "a Sid may hold ASCII letters and digits only (IAM); \"\(sid)\" does not.")
            }
            guard sids.insert(sid).inserted else { throw fail(pointer + "/sid", "the Sid \"\(sid)\" is used twice.") }
            let nodeType = item["nodeType"] == nil ? nil : try string(item["nodeType"], pointer + "/nodeType")
            rules.append(Rule(nodeType: nodeType, resolver: resolver, sid: sid))
        }
        self.rules = rules
        guard let grants = json["grants"] else { throw fail("/grants", "the migration has no grants object.") }
        try checkMembers(grants, "/grants", allowed: ["policyName"])
        policyName = try string(grants["policyName"], "/grants/policyName")
        guard policyName.count <= 128,
            policyName.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_+=,.@-".unicodeScalars.contains($0))
            })
        else {
            throw fail(
                "/grants/policyName",
                "an inline policy name is 1–128 of [A-Za-z0-9_+=,.@-] (IAM); \"\(policyName)\" is not.")
        }
        guard let trust = json["trust"] else { throw fail("/trust", "the migration has no trust object.") }
        try checkMembers(trust, "/trust", allowed: ["tighten"])
        guard case .bool(let tighten)? = trust["tighten"] else {
            throw fail("/trust/tighten", "expected true or false.")
        }
        tightensTrust = tighten
        if let unneeded = json["unneededGrants"] {
            guard unneeded == "report" else {
                throw fail(
                    "/unneededGrants",
                    "expected \"report\" (grants no flow needs are reported, never removed), found \(unneeded.kindDescription)."
                )
            }
            reportsUnneededGrants = true
        } else {
            reportsUnneededGrants = false
        }
        self.source = source
    }

    /// Whether a flow is legacy under this migration, and whether it was created on the cut-off day.
    /// The cut-off day is ambiguous only while the window ends at its close (the default,
    /// `legacyBefore` = the next midnight UTC, or any instant within that day): a window moved
    /// elsewhere with `--legacy-before` says plainly which side the day is on.
    public func classify(_ flow: Flow) -> (legacy: Bool, onCutoffDay: Bool) {
        let legacy = flow.createdAt.instant < legacyBefore
        guard legacy, let cutoffDay, cutoffDay == flow.createdAt.instant.utcDay,
            let dayStart = try? Instant(parsing: cutoffDay + "T00:00:00Z")
        else { return (legacy, false) }
        let windowEndsThatDay = dayStart < legacyBefore && legacyBefore.seconds <= dayStart.seconds + 86_400
        return (legacy, windowEndsThatDay)
    }
}
