// libFuzzer target `arn`: `ARN(parsing:)` (Sources/IAMPolicy/ARN) on arbitrary text.
//
// Checks, for every input (bytes taken as UTF-8, invalid sequences repaired):
// - no crash, no hang;
// - `ARN(parsing:)` accepts exactly what a reference reader accepts — the documented grammar
//   (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, split at the first five `:` bytes; a known
//   partition; service a non-empty run of a-z, 0-9, `-`; region the same or empty; account 12
//   digits, `aws` or empty; a non-empty resource) — and gives the same parts;
// - an accepted ARN prints back to the input, parses again to an equal value, and its resource
//   type is its resource up to the first `/` or `:`.
// The same text as a resource pattern is matched against the ARN (no crash).
import IAMPolicy

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    var text = "fuzz/arn: property violated: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

let knownPartitions: Set<[UInt8]> = Set(
    ["aws", "aws-cn", "aws-us-gov", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"].map { Array($0.utf8) }
)

/// The grammar, byte by byte: the parts, or nil when `bytes` is not an ARN.
func referenceParts(_ bytes: [UInt8]) -> [[UInt8]]? {
    var parts: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in bytes {
        if byte == UInt8(ascii: ":") && parts.count < 5 {
            parts.append(current)
            current = []
        } else {
            current.append(byte)
        }
    }
    parts.append(current)
    func isServiceByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
    guard parts.count == 6, parts[0] == Array("arn".utf8), knownPartitions.contains(parts[1]),
        !parts[2].isEmpty, parts[2].allSatisfy(isServiceByte), parts[3].allSatisfy(isServiceByte),
        parts[4].isEmpty || parts[4] == Array("aws".utf8)
            || (parts[4].count == 12 && parts[4].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
        !parts[5].isEmpty
    else { return nil }
    return parts
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzARN(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let bytes = Array(text.utf8)
    let reference = referenceParts(bytes)
    let arn: ARN
    do throws(ARNError) {
        arn = try ARN(parsing: text)
    } catch {
        if let reference {
            fail(
                "rejected an ARN the grammar accepts (\(error.message)): \(text.debugDescription), parts \(reference.map { String(decoding: $0, as: UTF8.self) })"
            )
        }
        if error.message.isEmpty { fail("an ARNError without a message") }
        _ = ResourcePattern(text).match("arn:aws:s3:::bucket")
        return 0
    }
    guard let reference else { fail("accepted text the grammar rejects: \(text.debugDescription) → \(arn)") }
    let parsed = [
        "arn", arn.partition.rawValue, arn.service, arn.region, arn.account, arn.resource,
    ].map { Array($0.utf8) }
    if parsed != reference {
        fail(
            "parts differ from the grammar's: \(parsed.map { String(decoding: $0, as: UTF8.self) }) vs \(reference.map { String(decoding: $0, as: UTF8.self) })"
        )
    }
    if Array(arn.text.utf8) != bytes {
        fail("the ARN prints as \(arn.text.debugDescription), not as read: \(text.debugDescription)")
    }
    guard let again = try? ARN(parsing: arn.text), again == arn, Array(again.text.utf8) == bytes else {
        fail("the printed ARN does not parse back to itself: \(text.debugDescription)")
    }
    let expectedType = reference[5].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ":") }
    if !Array(arn.resourceType.utf8).elementsEqual(expectedType) {
        fail(
            "the resource type of \(text.debugDescription) is \(arn.resourceType.debugDescription), not the resource up to the first / or :"
        )
    }
    _ = arn < again
    _ = ResourcePattern(text).match(arn.text)
    _ = ResourcePattern(text, substitutesVariables: false).match(arn.text)
    return 0
}
