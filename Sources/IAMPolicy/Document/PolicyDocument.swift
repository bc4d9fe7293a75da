public import FlowRoleJSON

/// An IAM policy document (identity, boundary or trust policy) parsed from JSON
/// (IAM UG, reference_policies_grammar and reference_policies_elements).
///
/// Nothing is lost: ``json`` is the document exactly as read (unknown members, member order,
/// string-versus-list, `Statement` as one object or a list), so writing ``json`` back gives the
/// same document and the same canonical text.
public struct PolicyDocument: Sendable, Hashable {
    /// How the document wrote `Statement`.
    public enum StatementShape: Sendable, Hashable {
        /// `"Statement": {…}` — one statement (IAM UG, reference_policies_elements_resource shows it).
        case object
        /// `"Statement": [ … ]`.
        case list
    }

    /// The document exactly as read.
    public let json: JSONValue
    /// `Version`, or nil when absent (then policy variables are not substituted).
    public let version: PolicyVersion?
    /// `Id`, when present.
    public let id: String?
    public let statementShape: StatementShape
    /// The statements in document order.
    public let statements: [Statement]

    /// Parses a document. Errors carry a pointer relative to the document (`/Statement/2/Effect`).
    public init(json: JSONValue) throws(PolicyError) {
        let reader = ElementReader(pointer: "")
        _ = try reader.members(json, name: "A policy document")
        self.json = json

        if let versionValue = json["Version"] {
            let text = try reader.child("Version").string(versionValue, name: "Version")
            guard let version = PolicyVersion(rawValue: text) else {
                throw reader.child("Version").fail(
                    "Version must be \"2012-10-17\" or \"2008-10-17\", not \"\(text)\".")
            }
            self.version = version
        } else {
            version = nil
        }

        if let idValue = json["Id"] {
            id = try reader.child("Id").string(idValue, name: "Id")
        } else {
            id = nil
        }

        guard let statementValue = json["Statement"] else {
            throw reader.fail("The policy document has no Statement.")
        }
        let statementReader = reader.child("Statement")
        switch statementValue {
        case .object:
            statementShape = .object
            statements = [try Statement(json: statementValue, pointer: statementReader.pointer, version: version)]
        case .array(let items):
            statementShape = .list
            var parsed: [Statement] = []
            parsed.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                parsed.append(
                    try Statement(json: item, pointer: statementReader.child(index).pointer, version: version))
            }
            statements = parsed
        default:
            throw statementReader.fail(
                "Statement must be an object or a list of objects, not \(statementValue.kindDescription).")
        }
    }

    /// The canonical text of ``json`` (DESIGN, "Canonical JSON").
    public var canonicalText: String { json.canonicalText }

    /// The size as IAM counts it: characters of the canonical form (IAM UG, iam-quotas: white
    /// space is not counted).
    public var characterCount: Int { json.canonicalCharacterCount }

    /// A copy with `statements` appended after the existing ones, everything else kept as read.
    /// A single-object `Statement` becomes a list (the only way to hold more than one).
    public func appending(statements added: [JSONValue]) throws(PolicyError) -> PolicyDocument {
        guard !added.isEmpty else { return self }
        let existing: [JSONValue]
        switch json["Statement"] {
        case .array(let items)?: existing = items
        case let item?: existing = [item]
        case nil: existing = []
        }
        return try PolicyDocument(json: replacingMember("Statement", with: .array(existing + added)))
    }

    /// A copy whose statement at `index` is replaced by `replacement` (one or more statements, so
    /// a statement can be split), everything else kept as read. A single-object `Statement`
    /// stays an object when it is replaced by exactly one statement.
    public func replacingStatement(at index: Int, with replacement: [JSONValue]) throws(PolicyError) -> PolicyDocument {
        guard statements.indices.contains(index) else {
            throw PolicyError(
                pointer: "/Statement",
                message: "There is no statement \(index) to replace; the document has \(statements.count).")
        }
        let newValue: JSONValue
        switch (statementShape, json["Statement"]) {
        case (.object, _) where replacement.count == 1:
            newValue = replacement[0]
        case (.list, .array(var items)?):
            items.replaceSubrange(index...index, with: replacement)
            newValue = .array(items)
        default:
            newValue = .array(replacement)
        }
        return try PolicyDocument(json: replacingMember("Statement", with: newValue))
    }

    private func replacingMember(_ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members) = json else { return json }
        if let position = members.firstIndex(where: { $0.key == key }) {
            members[position].value = value
        } else {
            members.append(JSONMember(key, value))
        }
        return .object(members)
    }
}
