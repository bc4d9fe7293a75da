/// A problem with an input file, located as precisely as the reader knows: line and column for
/// syntax, a JSON pointer for a value that has the wrong shape. Its description reads like a
/// compiler's: `exports/iam.xml:41:7: error: RolePolicyList member has no PolicyDocument`.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (or as found under a directory they named).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (in bytes), when known.
    public var column: Int?
    /// JSON pointer (RFC 6901) of the value at fault, when known (`/RoleDetailList/3/Arn`).
    public var pointer: String?
    /// A whole sentence naming what is wrong and, where it helps, the value that failed.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, pointer: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
        self.message = message
    }

    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        var text = "\(place): error: "
        if let pointer, !pointer.isEmpty { text += "at \(InputError.shortened(pointer)): " }
        text += InputError.shortened(message)
        return InputError.printable(text)
    }

    /// Messages and pointers longer than this many bytes are shortened in the middle when printed.
    public static let longestPrinted = 1_000

    /// `text` whole when it is at most `longestPrinted` bytes long, else its start and end around
    /// `…(N bytes omitted)…`: a message that quotes a 100 MB value from a hostile file is still one
    /// readable line.
    public static func shortened(_ text: String) -> String {
        let total = text.utf8.count
        guard total > longestPrinted else { return text }
        let scalars = text.unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.prefix(longestPrinted * 3 / 5)))
        let tail = String(String.UnicodeScalarView(scalars.suffix(longestPrinted / 5)))
        let omitted = total - head.utf8.count - tail.utf8.count
        return head + "…(\(omitted) bytes omitted)…" + tail
    }

    /// `text` with control characters written as escapes (`\n`, `\u{1B}`), so that a value quoted
    /// from a hostile file can neither add lines to the error output nor drive the terminal.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }
}

extension InputError {
    /// Escapes one reference token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
    public static func pointerToken(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrencesOfTilde()
    }
}

extension String {
    fileprivate func replacingOccurrencesOfTilde() -> String {
        var out = ""
        out.reserveCapacity(count)
        for character in self {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(character)
            }
        }
        return out
    }
}
