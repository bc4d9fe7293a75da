// libFuzzer target `json`: FlowRoleJSON's strict parser on arbitrary bytes.
//
// Checks, for every input:
// - no crash, no hang, no unbounded memory (libFuzzer's -timeout / -rss_limit_mb);
// - a full parse, a parse that skips values inside `definition` (the flow readers' options) and the
//   same skipping parse with the two-thread split forced on every array near the top
//   (`parallelThreshold: 0`) agree: all succeed or all fail with the same error (line, column,
//   message), and the skipping parses give the full parse's values less the skipped members;
// - a successful parse written canonically and parsed again gives the same value and the same
//   canonical bytes, and so does the pretty form;
// - an error's printed form is one line without control characters (README, "Bad input").
import FlowRoleJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The keys `FlowDecoder.skippedDefinitionKeys` names (Sources/Inventory/Readers/FlowDecoder.swift).
let skippedKeys: Set<String> = [
    "connections", "inputs", "outputs", "templateConfiguration", "inferenceConfiguration",
    "additionalModelRequestFields", "code", "promptTemplate", "orchestrationConfiguration",
]
let skipping = JSONParseOptions(skipInside: "definition", skippedKeys: skippedKeys)
let splitting = JSONParseOptions(
    skipInside: "definition", skippedKeys: skippedKeys, parallel: true, parallelThreshold: 0)

func fail(_ message: String) -> Never {
    var text = "fuzz/json: property violated: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

func parse(_ bytes: UnsafeRawBufferPointer, _ options: JSONParseOptions) -> Result<[JSONTopLevelValue], InputError> {
    do throws(InputError) {
        return .success(try JSONParser.parseAll(bytes, file: "fuzz.json", options: options))
    } catch {
        return .failure(error)
    }
}

/// The value a skipping parse keeps: members named in `skippedKeys` dropped below `definition`.
func stripped(_ value: JSONValue, inScope: Bool = false) -> JSONValue {
    switch value {
    case .array(let items):
        return .array(items.map { stripped($0, inScope: inScope) })
    case .object(let members):
        var kept: [JSONMember] = []
        for member in members {
            if inScope && skippedKeys.contains(member.key) { continue }
            let scope = inScope || member.key == "definition"
            kept.append(JSONMember(member.key, stripped(member.value, inScope: scope)))
        }
        return .object(kept)
    default:
        return value
    }
}

func describe(_ result: Result<[JSONTopLevelValue], InputError>) -> String {
    switch result {
    case .success(let values): "\(values.count) value(s): " + values.map(\.value.canonicalText).joined(separator: " ")
    case .failure(let error): "error \(error.description)"
    }
}

/// Same outcome: the same values at the same offsets and lines, or the same error.
func sameOutcome(
    _ left: Result<[JSONTopLevelValue], InputError>, _ right: Result<[JSONTopLevelValue], InputError>,
    transform: (JSONValue) -> JSONValue
) -> Bool {
    switch (left, right) {
    case (.failure(let a), .failure(let b)):
        return a == b
    case (.success(let a), .success(let b)):
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            let expected = transform(x.value)
            guard x.offset == y.offset, x.line == y.line, expected == y.value,
                expected.canonicalBytes == y.value.canonicalBytes
            else { return false }
        }
        return true
    default:
        return false
    }
}

func checkPrintable(_ error: InputError) {
    let text = error.description
    if text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
        fail("an error prints a control character: \(text.debugDescription)")
    }
}

func reparse(_ bytes: [UInt8], what: String) -> JSONValue {
    let result = bytes.withUnsafeBytes { parse($0, .everything) }
    switch result {
    case .success(let values) where values.count == 1:
        return values[0].value
    case .success(let values):
        fail(
            "the \(what) form parses to \(values.count) values: \(String(decoding: bytes, as: UTF8.self).debugDescription)"
        )
    case .failure(let error):
        fail("the \(what) form does not parse (\(error)): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
}

/// Keys are unique (JSONValue's contract: the parser rejects duplicates), so looking a member up
/// by its own key finds that member.
func checkLookup(_ value: JSONValue) {
    switch value {
    case .array(let items):
        for item in items { checkLookup(item) }
    case .object(let members):
        for member in members {
            guard let found = value[member.key], found.canonicalBytes == member.value.canonicalBytes else {
                fail(
                    "looking up the key \(member.key.debugDescription) does not find its own member in \(value.canonicalText)"
                )
            }
            checkLookup(member.value)
        }
    default:
        break
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let full = parse(bytes, .everything)
    let skipped = parse(bytes, skipping)
    let split = parse(bytes, splitting)

    if !sameOutcome(full, skipped, transform: { stripped($0) }) {
        fail(
            "the skipping parse differs from the full one:\n  full:    \(describe(full))\n  skipped: \(describe(skipped))"
        )
    }
    if !sameOutcome(skipped, split, transform: { $0 }) {
        fail(
            "the two-thread parse differs from the serial one:\n  serial: \(describe(skipped))\n  split:  \(describe(split))"
        )
    }

    switch full {
    case .failure(let error):
        checkPrintable(error)
    case .success(let values):
        for topLevel in values {
            let canonical = topLevel.value.canonicalBytes
            // Both writers sort keys, so the value read back equals the original up to member order.
            let again = reparse(canonical, what: "canonical")
            if again.canonicalBytes != canonical {
                fail("canonical round trip changed the value: \(topLevel.value) → \(again)")
            }
            let pretty = reparse(topLevel.value.prettyBytes, what: "pretty")
            if pretty.canonicalBytes != canonical || pretty != again {
                fail("pretty round trip changed the value: \(topLevel.value) → \(pretty)")
            }
            checkLookup(topLevel.value)
        }
    }
    return 0
}
