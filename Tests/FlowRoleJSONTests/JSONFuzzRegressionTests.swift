import FlowRoleJSON
import Testing

/// Inputs the fuzzers (fuzz/targets/json.swift) found, kept as tests through the public API.
@Suite("JSON fuzz regressions")
struct JSONFuzzRegressionTests {
    /// fuzz/json: `{"\u00e9":1,"e\u0301":2}` parses to two members (their UTF-8 differs, as in
    /// every other JSON reader), but looking up `"e\u{301}"` found `"é"`'s value: the subscript
    /// compared keys with Swift's `==`, which treats canonically equivalent strings as equal.
    @Test func lookupFindsTheMemberWithExactlyThatKeyNotACanonicallyEquivalentOne() throws {
        let value = try JSONValue(parsing: #"{"\u00e9": 1, "e\u0301": 2}"#)
        #expect(value.objectMembers?.count == 2)
        #expect(value["\u{e9}"] == .number("1"))
        #expect(value["e\u{301}"] == .number("2"))
    }

    /// The same with a key a reader looks for: a Kelvin sign (U+212A) is canonically equivalent to
    /// `K`, so `"\u212Aey"` before `"Key"` used to answer for `Key`.
    @Test func aLookAlikeKeyBeforeTheRealOneIsNotReadInItsPlace() throws {
        let value = try JSONValue(parsing: #"{"\u212Aey": "look-alike", "Key": "real"}"#)
        #expect(value["Key"] == "real")
        #expect(value["\u{212A}ey"] == "look-alike")
        let onlyLookAlike = try JSONValue(parsing: #"{"\u212Aey": "look-alike"}"#)
        #expect(onlyLookAlike["Key"] == nil)
    }
}
