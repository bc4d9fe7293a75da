import FlowRoleJSON
import Testing

@testable import Inventory

/// The scalar accessors of `Cursor` read a well-formed member directly and fall back to the general
/// code (build the member's cursor, then type it) otherwise. The general code, as it was before the
/// fast paths, is the reference: every kind of member value, in JSON and XML trees, must give the
/// same value or the same error.
@Suite("Cursor fast paths")
struct CursorFastPathTests {
    static let values: [JSONValue?] = [
        nil, .null, .bool(true), .bool(false), .number("3600"), .number("1.5"), .number("-2"), .string(""),
        .string("x"), .string("true"), .string("42"), .string("2024-05-02T09:14:31Z"), .string("not a date"),
        .array([]), .object([]), .object([JSONMember("k", "v")]),
    ]

    static func cursors() -> [Cursor] {
        var cursors: [Cursor] = []
        for isXML in [false, true] {
            let context = DecodeContext(
                file: "in.json", isXML: isXML, lines: isXML ? ["/Outer": 3] : [:], topLevelLine: nil, prefix: "/1")
            for value in values {
                let object = JSONValue.object(
                    [JSONMember("Other", "o")] + (value.map { [JSONMember("Key", $0)] } ?? []))
                let parent = Cursor(value: object, path: .root, context: context)
                cursors.append(Cursor(value: object, path: .key(.root, "Outer"), context: context))
                cursors.append(parent)
            }
            // Not an object at all.
            cursors.append(Cursor(value: .string("s"), path: .root, context: context))
        }
        return cursors
    }

    /// The value, or the error's text.
    static func result<Value: Equatable>(_ body: () throws(InputError) -> Value) -> String {
        do {
            return "value \(try body())"
        } catch {
            return "error \(error.description)"
        }
    }

    @Test func fastAccessorsAgreeWithTheGeneralCode() {
        var compared = 0
        for cursor in Self.cursors() {
            for what in ["Role", "node n"] {
                #expect(
                    Self.result { () throws(InputError) in try cursor.requiredString("Key", in: what) }
                        == Self.result { () throws(InputError) in try Reference.requiredString(cursor, "Key", in: what)
                        })
            }
            #expect(
                Self.result { () throws(InputError) in try cursor.optionalString("Key") }
                    == Self.result { () throws(InputError) in try Reference.optionalString(cursor, "Key") })
            #expect(
                Self.result { () throws(InputError) in try cursor.optionalBool("Key") }
                    == Self.result { () throws(InputError) in try Reference.optionalBool(cursor, "Key") })
            #expect(
                Self.result { () throws(InputError) in try cursor.optionalInt("Key") }
                    == Self.result { () throws(InputError) in try Reference.optionalInt(cursor, "Key") })
            #expect(
                Self.result { () throws(InputError) in try cursor.optionalTimestamp("Key") }
                    == Self.result { () throws(InputError) in try Reference.optionalTimestamp(cursor, "Key") })
            compared += 1
        }
        #expect(compared == 2 * (2 * Self.values.count + 1))
    }

    /// The accessors as they were: every read builds the member's cursor.
    enum Reference {
        static func requiredString(_ cursor: Cursor, _ key: String, in what: String) throws(InputError) -> String {
            let text = try cursor.required(key, in: what).string("\(what)'s \(key)")
            guard !text.isEmpty else { throw cursor.error("\(what)'s \(key) is empty.") }
            return text
        }

        static func optionalString(_ cursor: Cursor, _ key: String) throws(InputError) -> String? {
            guard let child = cursor.member(key) else { return nil }
            if cursor.context.isXML, case .string("") = child.value { return nil }
            return try child.string(key)
        }

        static func optionalBool(_ cursor: Cursor, _ key: String) throws(InputError) -> Bool? {
            guard let child = cursor.member(key) else { return nil }
            return try child.bool(key)
        }

        static func optionalInt(_ cursor: Cursor, _ key: String) throws(InputError) -> Int? {
            guard let child = cursor.member(key) else { return nil }
            return try child.int(key)
        }

        static func optionalTimestamp(_ cursor: Cursor, _ key: String) throws(InputError) -> Timestamp? {
            guard let child = cursor.member(key) else { return nil }
            if cursor.context.isXML, case .string("") = child.value { return nil }
            return try child.timestamp(key)
        }
    }
}
