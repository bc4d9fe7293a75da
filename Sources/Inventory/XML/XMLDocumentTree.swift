public import FlowRoleJSON

/// An XML input turned into the value tree a JSON input gives, so one decoder serves both formats
/// (DESIGN, "Inputs it must read"; AWS-FORMATS §3.8).
///
/// The rules, applied to every element below the root and to the root itself:
/// - only `<member>` children → an array, in document order;
/// - other children → an object keyed by the children's local names, in document order;
/// - only text (CDATA included) → the string exactly as written after XML unescaping, untrimmed;
/// - empty (`<x/>`, `<x></x>`) → `""`, typed later by the field it fills.
/// Attributes, namespaces (local names are used), comments and processing instructions are ignored.
public struct XMLDocumentTree: Sendable, Hashable {
    /// The local name of the root element (`GetRoleResponse`, `FlowExport`).
    public var rootName: String
    /// The root element's content, converted by the rules above.
    public var value: JSONValue
    /// The JSON pointer (RFC 6901, relative to `value`; `""` is the root) of every element → the
    /// 1-based line of its start tag. For a start tag spread over several lines that is the line
    /// of its closing `>`, as libxml2 reports it.
    public var lines: [String: Int]

    public init(rootName: String, value: JSONValue, lines: [String: Int]) {
        self.rootName = rootName
        self.value = value
        self.lines = lines
    }
}
