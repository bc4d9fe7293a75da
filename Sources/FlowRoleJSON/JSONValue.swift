import Foundation

/// A JSON value as read: object members keep their order and number literals keep their text,
/// so a document round-trips without losing or normalising anything (DESIGN, "Canonical JSON":
/// no normalising of values — a string is not a one-element array).
///
/// Values from XML inputs arrive here too: the XML reader turns elements into objects, repeated
/// `<member>` children into arrays and text into strings; decoders type a string by the field it
/// fills (`JSONValue.boolValue(lenient:)` and friends).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written in the input (`3600`, `1.50`, `-2e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order. Keys are unique (the parsers reject duplicates).
    case object([JSONMember])
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// The value of `key` in an object (exact case, compared as UTF-8 bytes), or nil.
    ///
    /// Bytes, not `String ==`: Swift's `==` treats canonically equivalent strings as equal
    /// (`"é"` and `"e\u{301}"`, `"Key"` and `"\u{212A}ey"` with a Kelvin sign), which the parser keeps
    /// as two different keys, as every other JSON reader does; a lookup must find the member whose
    /// key is exactly `key`, not an earlier look-alike.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key.hasSameUTF8(as: key) { return member.value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A string or a list of strings — how IAM writes Action, Resource and condition values —
    /// as a list; nil for anything else. Non-string items of a list are left out.
    public var stringList: [String]? {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.compactMap(\.stringValue)
        default: nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectMembers: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// A short name of the value's kind for error messages ("an object", "a string", …).
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Keeps the literal's order, which is the order a reader would see.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension String {
    /// Whether both strings are the same UTF-8 bytes (not Swift's `==`, which equates canonically
    /// equivalent strings): lengths first, then one memcmp when both are stored contiguously.
    public func hasSameUTF8(as other: String) -> Bool {
        let mine = utf8
        let theirs = other.utf8
        guard mine.count == theirs.count else { return false }
        let compared = mine.withContiguousStorageIfAvailable { left in
            theirs.withContiguousStorageIfAvailable { right in
                guard let leftBytes = left.baseAddress, let rightBytes = right.baseAddress else { return left.isEmpty }
                return memcmp(leftBytes, rightBytes, left.count) == 0
            }
        }
        if let compared, let compared { return compared }
        return mine.elementsEqual(theirs)
    }
}
