// libFuzzer target `policy`: IAM policy documents (Sources/IAMPolicy) in the three forms a reader
// meets them (Sources/Inventory/Readers/PolicyDocumentText.swift: a JSON object, a string of JSON
// text, a string of percent-encoded JSON text).
//
// The input is tried two ways: as a JSON value (an object, or a JSON string literal holding either
// text form), and as the raw text of a string member (`.string(bytes)`, the JSON-text or
// percent-encoded form). For every document that decodes (`PolicyDocument(json:)`):
// - the canonical text, parsed again (as an object, as JSON text and percent-encoded), decodes to a
//   document with the same canonical text, the same statements and the same effects;
// - the size helpers agree with the canonical text;
// - the evaluator (proof mode and context mode) runs on requests made from the document's own
//   actions, resources and condition values, so the condition operators see fuzzed values.
// Everything that fails must fail with an `InputError` / `PolicyError`: no crash, no hang.
import FlowRoleJSON
import IAMPolicy
import Inventory

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    var text = "fuzz/policy: property violated: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

/// The document, or nil when any stage rejects it.
func document(from value: JSONValue) -> PolicyDocument? {
    let json: JSONValue
    do throws(InputError) {
        json = try PolicyDocumentText.decode(value, file: "fuzz.json")
    } catch {
        return nil
    }
    do throws(PolicyError) {
        return try PolicyDocument(json: json)
    } catch {
        _ = error.inputError(file: "fuzz.json").description
        return nil
    }
}

/// RFC 3986 percent-encoding of every byte outside the unreserved set.
func percentEncoded(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            out.append(byte)
        default:
            out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

func summary(_ document: PolicyDocument) -> [String] {
    document.statements.map { "\($0.effect) \($0.json.canonicalText)" }
}

func checkRoundTrip(_ original: PolicyDocument) {
    let canonical = original.canonicalText
    let object: JSONValue
    do throws(InputError) {
        object = try JSONValue(parsing: canonical)
    } catch {
        fail("the canonical text of a decoded document does not parse (\(error)): \(canonical.debugDescription)")
    }
    let forms: [(String, JSONValue)] = [
        ("object", object), ("JSON text", .string(canonical)), ("percent-encoded", .string(percentEncoded(canonical))),
    ]
    for (form, value) in forms {
        guard let again = document(from: value) else {
            fail("the canonical text, as \(form), no longer decodes: \(canonical.debugDescription)")
        }
        if again.canonicalText != canonical {
            fail(
                "round trip (\(form)) changed the canonical text: \(canonical.debugDescription) → \(again.canonicalText.debugDescription)"
            )
        }
        if summary(again) != summary(original) || again.version != original.version || again.id != original.id {
            fail("round trip (\(form)) changed the statements of \(canonical.debugDescription)")
        }
    }
    if PolicySize.characters(original.json) != original.characterCount
        || original.characterCount != canonical.unicodeScalars.count
    {
        fail("the size helpers disagree with the canonical text of \(canonical.debugDescription)")
    }
    _ = PolicySize.disallowedCharacters(in: original.json)
    _ = PolicySize.inlineTotal([original.json])
    _ = PolicySize.trustPolicy(original.json)
}

/// Requests made of the document's own pieces, so the matchers and operators get fuzzed values.
func evaluate(_ document: PolicyDocument) {
    var actions = ["bedrock:InvokeFlow"]
    var resources = ["arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ"]
    var values: [String: [String]] = [:]
    for statement in document.statements.prefix(4) {
        actions += statement.action.patterns.prefix(2).map(\.text)
        resources += (statement.resource?.patterns.prefix(2).map(\.text) ?? [])
        for clause in (statement.condition?.clauses ?? []).prefix(8) {
            values[clause.key, default: []] += clause.values.prefix(4).map(\.text)
        }
    }
    let context = ContextKeys(values)
    let named = NamedPolicy(id: "fuzz", kind: .inline, document: document)
    let set = PolicySet([named])
    for action in actions.prefix(3) {
        for resource in resources.prefix(3) {
            _ = set.evaluate(action: action, resource: resource)
            _ = set.evaluate(action: action, resource: resource, assuming: context)
            for principal in [RequestPrincipal.service("bedrock.amazonaws.com"), .aws(resource), .anonymous] {
                let request = RequestContext(principal: principal, action: action, resource: resource, keys: context)
                _ = set.evaluate(request)
                _ = document.evaluate(request, policyID: "fuzz")
            }
            _ = named.boundaryAllows(action: action, resource: resource, assuming: context)
        }
    }
}

func exercise(_ value: JSONValue) {
    guard let decoded = document(from: value) else { return }
    checkRoundTrip(decoded)
    evaluate(decoded)
    // Editing keeps a valid document valid.
    if let first = decoded.statements.first {
        guard let appended = try? decoded.appending(statements: [first.json]) else {
            fail("appending an existing statement made the document invalid: \(decoded.canonicalText.debugDescription)")
        }
        if appended.statements.count != decoded.statements.count + 1 { fail("appending lost a statement") }
        guard (try? decoded.replacingStatement(at: 0, with: [first.json])) != nil else {
            fail("replacing a statement by itself made the document invalid: \(decoded.canonicalText.debugDescription)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // As JSON: an object (aws CLI) or a string literal holding one of the text forms.
    if let values = try? JSONParser.parseAll(bytes, file: "fuzz.json"), values.count == 1 {
        exercise(values[0].value)
    }
    // As the text of a string member (invalid UTF-8 is repaired, as String(decoding:) does).
    exercise(.string(String(decoding: bytes, as: UTF8.self)))
    return 0
}
