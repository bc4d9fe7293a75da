import Foundation

/// One top-level value of a JSON file, with the byte offset where it starts. A file holds one
/// value, or several separated by whitespace (JSON Lines, or pages printed one after another).
public struct JSONTopLevelValue: Sendable {
    public var value: JSONValue
    /// Byte offset of the value's first character in the file.
    public var offset: Int
    /// 1-based line of the value's first character.
    public var line: Int
}

/// A strict RFC 8259 parser over bytes: every byte is validated (grammar, escapes, UTF-8,
/// control characters, duplicate keys, nesting depth) whether its value is kept or skipped.
/// Errors carry line and column. See docs/01-reader-design.md for why it exists and how fast it is.
public enum JSONParser {
    /// Parses every top-level value in `bytes`. A UTF-8 byte-order mark is accepted; UTF-16 or
    /// UTF-32 text, an empty file and trailing garbage are errors.
    public static func parseAll(
        _ bytes: UnsafeRawBufferPointer,
        file: String,
        options: JSONParseOptions = .everything
    ) throws(InputError) -> [JSONTopLevelValue] {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw InputError(file: file, message: "the file is empty; expected JSON or XML.")
        }
        var scanner = JSONScanner(base: base, count: bytes.count, file: file, options: options)
        try scanner.checkEncoding()
        var values: [JSONTopLevelValue] = []
        scanner.skipWhitespace()
        if scanner.index >= scanner.count {
            throw InputError(file: file, message: "the file holds only whitespace; expected JSON.")
        }
        while scanner.index < scanner.count {
            let start = scanner.index
            let value = try scanner.parseValue(depth: 0, skipping: false)
            values.append(JSONTopLevelValue(value: value, offset: start, line: scanner.lineColumn(of: start).line))
            scanner.skipWhitespace()
        }
        return values
    }

    /// Parses `text`, which must hold exactly one JSON value.
    public static func parse(_ text: String, file: String = "<string>") throws(InputError) -> JSONValue {
        var copy = text
        let result: Result<[JSONTopLevelValue], InputError> = copy.withUTF8 { buffer in
            do throws(InputError) {
                return .success(try parseAll(UnsafeRawBufferPointer(buffer), file: file))
            } catch {
                return .failure(error)
            }
        }
        let values = try result.get()
        guard values.count == 1 else {
            let second = values[1]
            throw InputError(
                file: file, line: second.line,
                message: "expected one JSON value, found another after it.")
        }
        return values[0].value
    }
}

extension JSONValue {
    /// Parses JSON text holding exactly one value (errors are `InputError`s naming `<string>`).
    public init(parsing text: String) throws(InputError) {
        self = try JSONParser.parse(text)
    }
}

/// The scanning state. Internal: a value type over a borrowed buffer that outlives it.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    let file: String
    let options: JSONParseOptions
    var index: Int = 0

    init(base: UnsafePointer<UInt8>, count: Int, file: String, options: JSONParseOptions, index: Int = 0) {
        self.base = base
        self.count = count
        self.file = file
        self.options = options
        self.index = index
    }

    // MARK: Errors and positions

    /// 1-based line and byte column of `offset`, counted from the start of the buffer.
    func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let limit = min(offset, count)
        var position = 0
        while position < limit {
            if base[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
        return (line, offset - lineStart + 1)
    }

    func error(_ message: String, at offset: Int? = nil) -> InputError {
        let (line, column) = lineColumn(of: offset ?? index)
        return InputError(file: file, line: line, column: column, message: message)
    }

    func describeByte(at offset: Int) -> String {
        guard offset < count else { return "the end of the file" }
        let byte = base[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return String(format: "byte 0x%02X", byte)
    }

    mutating func checkEncoding() throws(InputError) {
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            index = 3  // UTF-8 byte-order mark: harmless, skipped.
            return
        }
        if count >= 4
            && ((base[0] == 0xFF && base[1] == 0xFE && base[2] == 0 && base[3] == 0)
                || (base[0] == 0 && base[1] == 0 && base[2] == 0xFE && base[3] == 0xFF))
        {
            throw InputError(
                file: file, line: 1, column: 1,
                message:
                    "the file is UTF-32 (it starts with a byte-order mark); AWS exports are UTF-8 — convert it, e.g. `iconv -f UTF-32 -t UTF-8`."
            )
        }
        if count >= 2 && ((base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF)) {
            throw InputError(
                file: file, line: 1, column: 1,
                message:
                    "the file is UTF-16 (it starts with a byte-order mark); AWS exports are UTF-8 — convert it, e.g. `iconv -f UTF-16 -t UTF-8`, or in PowerShell write it with `-Encoding utf8`."
            )
        }
        if count >= 2 && (base[0] == 0 || base[1] == 0) {
            throw InputError(
                file: file, line: 1, column: 1,
                message:
                    "the file starts with a NUL byte: it is UTF-16/UTF-32 text without a byte-order mark, or binary data, not UTF-8 JSON."
            )
        }
    }

    // MARK: Whitespace

    @inline(__always)
    mutating func skipWhitespace() {
        while true {
            // Indentation is runs of spaces: step over them eight bytes at a time.
            if index + 8 <= count {
                let other = word(at: index) ^ Self.spaces
                if other == 0 {
                    index += 8
                    continue
                }
                index += other.trailingZeroBitCount >> 3
            }
            guard index < count else { return }
            let byte = base[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                index += 1
            } else {
                return
            }
        }
    }

    // MARK: Eight bytes at a time

    static let spaces: UInt64 = 0x2020_2020_2020_2020
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` (which must be at most `count - 8`), the first in the lowest bits.
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether all eight bytes of `word` may stand in a string as they are: none is a control
    /// character, a quote, a backslash or part of a multi-byte UTF-8 sequence. (Each test may
    /// report a byte that is not there — then the caller looks byte by byte — but never misses one.)
    @inline(__always)
    static func isPlainText(_ word: UInt64) -> Bool {
        let control = (word &- 0x20 &* ones) & ~word
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        let found = word | control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        return found & highBits == 0
    }

    // MARK: Values

    mutating func parseValue(depth: Int, skipping: Bool, inSkipScope: Bool = false) throws(InputError) -> JSONValue {
        guard index < count else { throw error("the file ends where a value was expected.") }
        switch base[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1, inSkipScope: inSkipScope)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1, inSkipScope: inSkipScope)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            return .number(
                String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self))
        default:
            throw error("unexpected \(describeByte(at: index)) where a value was expected.")
        }
    }

    /// Validates one value without building it.
    mutating func skipValue(depth: Int) throws(InputError) {
        guard index < count else { throw error("the file ends where a value was expected.") }
        switch base[index] {
        case UInt8(ascii: "{"):
            try checkDepth(depth + 1)
            let open = index
            index += 1
            skipWhitespace()
            if index < count && base[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            var keys: [String] = []
            var wideKeys = WideObjectKeys()
            while true {
                guard index < count, base[index] == UInt8(ascii: "\"") else {
                    throw unexpected(expecting: "a key in double quotes", container: "object", openedAt: open)
                }
                let keyStart = index
                let key = try parseString()
                if keys.count < WideObjectKeys.linearLimit {
                    try checkDuplicate(key, in: keys, at: keyStart)
                    keys.append(key)
                } else {
                    if wideKeys.isEmpty { wideKeys.insert(contentsOf: keys) }
                    guard wideKeys.insert(key) else { throw duplicateKey(key, at: keyStart) }
                }
                try expectColon(openedAt: open)
                try skipValue(depth: depth + 1)
                if try endOfMember(close: UInt8(ascii: "}"), container: "object", openedAt: open) { return }
            }
        case UInt8(ascii: "["):
            try checkDepth(depth + 1)
            let open = index
            index += 1
            skipWhitespace()
            if index < count && base[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                if try endOfMember(close: UInt8(ascii: "]"), container: "array", openedAt: open) { return }
            }
        case UInt8(ascii: "\""):
            try skipString()
        default:
            _ = try parseValue(depth: depth, skipping: true)
        }
    }

    func checkDepth(_ depth: Int) throws(InputError) {
        if depth > JSONParseOptions.maximumDepth {
            throw error("the JSON nests deeper than \(JSONParseOptions.maximumDepth) levels; no AWS export does.")
        }
    }

    func unexpected(expecting what: String, container: String, openedAt open: Int) -> InputError {
        if index >= count {
            let opened = lineColumn(of: open)
            return error(
                "the file ends inside an \(container) opened at line \(opened.line), column \(opened.column) (truncated?)."
            )
        }
        return error("unexpected \(describeByte(at: index)); expected \(what).")
    }

    mutating func expectColon(openedAt open: Int) throws(InputError) {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: ":") else {
            throw unexpected(expecting: "':' after the key", container: "object", openedAt: open)
        }
        index += 1
        skipWhitespace()
    }

    /// After a member: consumes `,` (returns false) or the closing bracket (returns true).
    @inline(__always)
    mutating func endOfMember(close: UInt8, container: String, openedAt open: Int) throws(InputError) -> Bool {
        skipWhitespace()
        guard index < count else {
            throw unexpected(
                expecting: "',' or '\(Character(Unicode.Scalar(close)))'", container: container, openedAt: open)
        }
        let byte = base[index]
        if byte == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return false
        }
        if byte == close {
            index += 1
            return true
        }
        throw unexpected(
            expecting: "',' or '\(Character(Unicode.Scalar(close)))'", container: container, openedAt: open)
    }

    func checkDuplicate(_ key: String, in keys: [String], at offset: Int) throws(InputError) {
        for existing in keys where existing.hasSameUTF8(as: key) {
            throw duplicateKey(key, at: offset)
        }
    }

    func duplicateKey(_ key: String, at offset: Int) -> InputError {
        error(
            "duplicate key \"\(key)\" in one object; the meaning would depend on the reader, so it is rejected.",
            at: offset)
    }

    mutating func parseObject(depth: Int, inSkipScope: Bool) throws(InputError) -> JSONValue {
        try checkDepth(depth)
        let open = index
        index += 1
        skipWhitespace()
        if index < count && base[index] == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        var members: [JSONMember] = []
        var skippedKeys: [String] = []
        var wideKeys = WideObjectKeys()
        while true {
            guard index < count, base[index] == UInt8(ascii: "\"") else {
                throw unexpected(expecting: "a key in double quotes", container: "object", openedAt: open)
            }
            let keyStart = index
            let key = try parseString()
            if members.count + skippedKeys.count < WideObjectKeys.linearLimit {
                for member in members where member.key.hasSameUTF8(as: key) {
                    throw duplicateKey(key, at: keyStart)
                }
                try checkDuplicate(key, in: skippedKeys, at: keyStart)
            } else {
                if wideKeys.isEmpty { wideKeys.insert(contentsOf: members.map(\.key) + skippedKeys) }
                guard wideKeys.insert(key) else { throw duplicateKey(key, at: keyStart) }
            }
            try expectColon(openedAt: open)
            if inSkipScope && options.isSkipped(key) {
                try skipValue(depth: depth)
                skippedKeys.append(key)
            } else {
                let scope = inSkipScope || (options.skipInside != nil && key == options.skipInside)
                members.append(JSONMember(key, try parseValue(depth: depth, skipping: false, inSkipScope: scope)))
            }
            if try endOfMember(close: UInt8(ascii: "}"), container: "object", openedAt: open) {
                return .object(members)
            }
        }
    }

    mutating func parseArray(depth: Int, inSkipScope: Bool) throws(InputError) -> JSONValue {
        try checkDepth(depth)
        if options.parallel && depth <= 2 && count - index >= options.parallelThreshold {
            return try parseLargeArray(depth: depth, inSkipScope: inSkipScope)
        }
        let open = index
        index += 1
        skipWhitespace()
        if index < count && base[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        var items: [JSONValue] = []
        while true {
            items.append(try parseValue(depth: depth, skipping: false, inSkipScope: inSkipScope))
            if try endOfMember(close: UInt8(ascii: "]"), container: "array", openedAt: open) {
                return .array(items)
            }
        }
    }

    // MARK: Literals and numbers

    mutating func expectLiteral(_ literal: StaticString) throws(InputError) {
        let length = literal.utf8CodeUnitCount
        let start = index
        if count - index >= length {
            var matches = true
            let bytes = literal.utf8Start
            for offset in 0..<length where base[index + offset] != bytes[offset] {
                matches = false
                break
            }
            if matches {
                index += length
                return
            }
        }
        throw error("unexpected \(describeByte(at: start)); expected a value (`\(literal)`?).", at: start)
    }

    mutating func scanNumber() throws(InputError) {
        let start = index
        if base[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(base[index]) else {
            throw error("a number needs a digit after '-'.", at: start)
        }
        if base[index] == UInt8(ascii: "0") {
            index += 1
            if index < count && isDigit(base[index]) {
                throw error("a number cannot have a leading zero.", at: start)
            }
        } else {
            while index < count && isDigit(base[index]) { index += 1 }
        }
        if index < count && base[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(base[index]) else {
                throw error("a number needs digits after '.'.", at: start)
            }
            while index < count && isDigit(base[index]) { index += 1 }
        }
        if index < count && (base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < count, isDigit(base[index]) else {
                throw error("a number needs digits in its exponent.", at: start)
            }
            while index < count && isDigit(base[index]) { index += 1 }
        }
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Strings

    /// Scans a string starting at its opening quote; validates everything; returns the content
    /// range and whether it holds escapes. Leaves `index` after the closing quote.
    @inline(__always)
    mutating func scanString() throws(InputError) -> (start: Int, end: Int, escaped: Bool) {
        let open = index
        index += 1
        let start = index
        var escaped = false
        while index < count {
            if index + 8 <= count && Self.isPlainText(word(at: index)) {
                index += 8
                continue
            }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                return (start, end, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                try scanEscape()
                continue
            }
            if byte < 0x20 {
                throw error(
                    String(format: "control character U+%04X inside a string; it must be escaped.", byte))
            }
            if byte >= 0x80 {
                try scanUTF8Sequence()
                continue
            }
            index += 1
        }
        let opened = lineColumn(of: open)
        throw error(
            "the file ends inside a string opened at line \(opened.line), column \(opened.column) (truncated?).")
    }

    mutating func scanEscape() throws(InputError) {
        let start = index
        guard index + 1 < count else { throw error("the file ends inside an escape sequence.") }
        switch base[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            let scalar = try scanHex4(at: start)
            index += 6
            // Surrogates are checked here, not only when a string is kept, so a skipped value is
            // validated exactly like a kept one.
            if scalar >= 0xDC00 && scalar < 0xE000 {
                throw error("a \\u escape holds a lone low surrogate.", at: start)
            }
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard index + 1 < count, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") else {
                    throw error("a \\u escape holds a lone high surrogate.", at: start)
                }
                let low = try scanHex4(at: index)
                guard low >= 0xDC00 && low < 0xE000 else {
                    throw error("a \\u escape holds a lone high surrogate.", at: start)
                }
                index += 6
            }
        default:
            throw error("invalid escape sequence \\\(describeByte(at: index + 1)) in a string.", at: start)
        }
    }

    /// The value of the four hex digits of the `\\u` escape at `start`.
    func scanHex4(at start: Int) throws(InputError) -> UInt32 {
        guard start + 5 < count else { throw error("the file ends inside a \\u escape.", at: start) }
        var value: UInt32 = 0
        for offset in 2...5 {
            guard let digit = hexValue(base[start + offset]) else {
                throw error("invalid \\u escape: expected four hexadecimal digits.", at: start)
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Validates one UTF-8 sequence at `index` (whose first byte is ≥ 0x80) and steps over it.
    mutating func scanUTF8Sequence() throws(InputError) {
        let lead = base[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default:
            throw error(String(format: "invalid UTF-8 (byte 0x%02X); the file must be UTF-8 text.", lead))
        }
        guard index + length <= count else { throw error("the file ends inside a UTF-8 sequence.") }
        let second = base[index + 1]
        guard second >= low && second <= high else {
            throw error(
                String(format: "invalid UTF-8 (bytes 0x%02X 0x%02X); the file must be UTF-8 text.", lead, second))
        }
        var offset = 2
        while offset < length {
            let byte = base[index + offset]
            guard byte >= 0x80 && byte <= 0xBF else {
                throw error(
                    String(format: "invalid UTF-8 (byte 0x%02X in a sequence); the file must be UTF-8 text.", byte))
            }
            offset += 1
        }
        index += length
    }

    @inline(__always)
    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    mutating func skipString() throws(InputError) {
        _ = try scanString()
    }

    mutating func parseString() throws(InputError) -> String {
        let (start, end, escaped) = try scanString()
        let raw = UnsafeBufferPointer(start: base + start, count: end - start)
        if !escaped {
            return String(decoding: raw, as: UTF8.self)  // already validated by scanString
        }
        return try unescape(raw, at: start)
    }

    func unescape(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) throws(InputError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var position = 0
        while position < raw.count {
            let byte = raw[position]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                position += 1
                continue
            }
            let kind = raw[position + 1]
            position += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, position)
                position += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard position + 6 <= raw.count, raw[position] == UInt8(ascii: "\\"),
                        raw[position + 1] == UInt8(ascii: "u")
                    else {
                        throw error("a \\u escape holds a lone high surrogate.", at: offset + position - 6)
                    }
                    let low = hex4(raw, position + 2)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error("a \\u escape holds a lone high surrogate.", at: offset + position - 6)
                    }
                    position += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("a \\u escape holds a lone low surrogate.", at: offset + position - 6)
                }
                guard let unicode = Unicode.Scalar(scalar) else {
                    throw error("a \\u escape is not a Unicode scalar.", at: offset + position - 6)
                }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: out.append(kind)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | (hexValue(raw[at + offset]) ?? 0) }
        return value
    }
}
