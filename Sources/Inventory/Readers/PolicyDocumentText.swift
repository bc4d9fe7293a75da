public import FlowRoleJSON

/// The three forms an IAM policy document arrives in (AWS-FORMATS §1): a JSON object (aws CLI,
/// boto3), a string holding JSON text (some SDKs, hand-made exports), or a string holding
/// RFC 3986 percent-encoded JSON text (the IAM Query API, other SDKs).
public enum PolicyDocumentText {
    /// The document as a JSON value. The procedure of AWS-FORMATS §1: an object is used as is; a
    /// string that starts (after whitespace) with `{` is JSON text; any other string is
    /// percent-decoded (`%XX` only — `+` stays `+`, as Python's `unquote` leaves it) and parsed.
    public static func decode(_ value: JSONValue, file: String) throws(InputError) -> JSONValue {
        switch value {
        case .object:
            return value
        case .string(let text):
            let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            if trimmed.hasPrefix("{") {
                return try parseDocument(String(trimmed), file: file, form: "JSON text")
            }
            guard let decoded = percentDecode(String(trimmed)) else {
                throw InputError(
                    file: file,
                    message:
                        "the policy document is neither a JSON object, JSON text nor percent-encoded JSON text (a '%' is not followed by two hexadecimal digits, or the decoded bytes are not UTF-8)."
                )
            }
            let decodedTrimmed = decoded.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
            guard decodedTrimmed.hasPrefix("{") else {
                throw InputError(
                    file: file,
                    message:
                        "the policy document is a string that is neither JSON text nor percent-encoded JSON text: \(preview(text))."
                )
            }
            return try parseDocument(decoded, file: file, form: "percent-encoded JSON text")
        default:
            throw InputError(
                file: file, message: "a policy document must be an object or a string, not \(value.kindDescription).")
        }
    }

    static func parseDocument(_ text: String, file: String, form: String) throws(InputError) -> JSONValue {
        let value: JSONValue
        do throws(InputError) {
            value = try JSONParser.parse(text, file: file)
        } catch {
            throw InputError(
                file: file,
                message:
                    "the policy document (\(form)) is not valid JSON: \(error.message) (at line \(error.line ?? 0), column \(error.column ?? 0) of the document)."
            )
        }
        guard value.isObject else {
            throw InputError(
                file: file, message: "the policy document (\(form)) is \(value.kindDescription), not an object.")
        }
        return value
    }

    /// RFC 3986 percent-decoding: `%XX` becomes the byte; every other character, `+` included,
    /// stays. Nil when a `%` is not followed by two hex digits or the result is not UTF-8.
    public static func percentDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < source.count, let high = hex(source[index + 1]), let low = hex(source[index + 2])
                else {
                    return nil
                }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func preview(_ text: String) -> String {
        let head = text.prefix(40)
        return "\"\(head)\(text.count > 40 ? "…" : "")\""
    }
}
