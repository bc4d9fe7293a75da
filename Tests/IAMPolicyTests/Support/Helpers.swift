import FlowRoleJSON
import IAMPolicy

/// Parses `text` as JSON, then as a policy document.
func policy(_ text: String) throws -> PolicyDocument {
    try PolicyDocument(json: JSONValue(parsing: text))
}

/// A policy set of named documents given as JSON text, in order.
func policySet(_ documents: [(id: String, kind: NamedPolicy.Kind, text: String)]) throws -> PolicySet {
    PolicySet(try documents.map { NamedPolicy(id: $0.id, kind: $0.kind, document: try policy($0.text)) })
}

/// One inline identity policy with a single statement.
func singleStatement(_ statement: String, version: String = "2012-10-17") throws -> PolicySet {
    try policySet([("test", .inline, #"{"Version": "\#(version)", "Statement": [\#(statement)]}"#)])
}

/// The error a parse throws, or nil.
func policyError(_ text: String) throws -> PolicyError? {
    let json = try JSONValue(parsing: text)
    do {
        _ = try PolicyDocument(json: json)
        return nil
    } catch {
        return error
    }
}

/// A JSON value from a fixture: the member at `path` (object keys, array indices as strings).
func fixtureValue(_ text: String, _ path: [String]) throws -> JSONValue? {
    var value: JSONValue? = try JSONValue(parsing: text)
    for step in path {
        if let index = Int(step), case .array(let items)? = value {
            value = items.indices.contains(index) ? items[index] : nil
        } else {
            value = value?[step]
        }
    }
    return value
}
