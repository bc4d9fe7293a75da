import FlowRoleJSON
import IAMPolicy

/// Where a decoder is reading: the file, whether the tree came from XML (then every scalar is a
/// string and an empty element is `""`, typed by the field it fills — DESIGN, "XML values are
/// typed by the field they fill"), and the lines known for pointers. A class: every cursor carries
/// it, and copying one reference is cheaper than copying the fields (decoders copy cursors a lot).
final class DecodeContext: Sendable {
    let file: String
    let isXML: Bool
    /// XML: the line of every element by pointer. JSON: empty.
    let lines: [String: Int]
    /// JSON: the line where the top-level value starts (for several values in one file).
    let topLevelLine: Int?
    /// Pointer prefix of the top-level value (`/3` for the fourth of several pages).
    let prefix: String

    init(file: String, isXML: Bool, lines: [String: Int], topLevelLine: Int?, prefix: String) {
        self.file = file
        self.isXML = isXML
        self.lines = lines
        self.topLevelLine = topLevelLine
        self.prefix = prefix
    }

    func line(for pointer: String) -> Int? {
        if isXML {
            // The element itself, or the nearest enclosing element whose line is known.
            var probe = pointer
            while true {
                if let line = lines[probe] { return line }
                guard let slash = probe.lastIndex(of: "/") else { return nil }
                probe = String(probe[..<slash])
            }
        }
        return topLevelLine
    }

    func provenance(_ pointer: String) -> Provenance {
        Provenance(path: file, pointer: prefix + pointer, line: line(for: pointer))
    }
}

/// Where a cursor is in its tree, built as cheaply as possible and turned into a JSON pointer
/// only when a pointer is needed (provenance, errors): most values are read and never reported.
indirect enum CursorPath: Sendable {
    case root
    case key(CursorPath, String)
    case index(CursorPath, Int)

    /// Written into one string, root first: every flow, version, alias and role keeps its own.
    var pointer: String {
        var text = ""
        text.reserveCapacity(32)
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .root: return
        case .key(let parent, let key):
            parent.write(to: &text)
            text += "/"
            text += InputError.pointerToken(key)
        case .index(let parent, let index):
            parent.write(to: &text)
            text += "/"
            text += String(index)
        }
    }
}

/// A value in an input tree and its JSON pointer. The typed accessors throw `InputError`s that
/// name the file, the line when known and the pointer.
///
/// The accessors of a member's scalar (`requiredString`, `optionalString`, …) read the member
/// directly when it is well formed, and build the member's cursor — a path node on the heap — only
/// to report what is wrong with it, by the general code. The `what` of a message is an autoclosure:
/// most are interpolated strings, built only when a message needs them.
struct Cursor {
    let value: JSONValue
    let path: CursorPath
    let context: DecodeContext

    init(value: JSONValue, path: CursorPath, context: DecodeContext) {
        self.value = value
        self.path = path
        self.context = context
    }

    /// The JSON pointer of the value (computed on demand).
    var pointer: String { path.pointer }

    var provenance: Provenance { context.provenance(pointer) }

    func error(_ message: String) -> InputError {
        let pointer = self.pointer
        return InputError(
            file: context.file, line: context.line(for: pointer), pointer: context.prefix + pointer, message: message)
    }

    /// `value[key]`: the value of the first member whose key is `key` byte for byte. Written here
    /// so that it is inlined into the accessors: keys of another length are passed over without a
    /// call, and the members are not retained for the walk.
    @inline(__always)
    static func member(_ key: String, of value: JSONValue) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        let length = key.utf8.count
        for index in members.indices
        where members[index].key.utf8.count == length && members[index].key.hasSameUTF8(as: key) {
            return members[index].value
        }
        return nil
    }

    /// The member `key`, or nil when absent (or null).
    func member(_ key: String) -> Cursor? {
        guard let child = Self.member(key, of: value) else { return nil }
        if case .null = child { return nil }
        return Cursor(value: child, path: .key(path, key), context: context)
    }

    func has(_ key: String) -> Bool { Self.member(key, of: value) != nil }

    func required(_ key: String, in what: @autoclosure () -> String) throws(InputError) -> Cursor {
        guard let child = member(key) else { throw error("\(what()) has no \(key).") }
        return child
    }

    func string(_ what: @autoclosure () -> String) throws(InputError) -> String {
        guard case .string(let text) = value else {
            throw error("\(what()) must be a string, not \(value.kindDescription).")
        }
        return text
    }

    /// A required non-empty string member.
    func requiredString(_ key: String, in what: @autoclosure () -> String) throws(InputError) -> String {
        if case .string(let text)? = Self.member(key, of: value), !text.isEmpty { return text }
        let text = try required(key, in: what()).string("\(what())'s \(key)")
        guard !text.isEmpty else { throw error("\(what())'s \(key) is empty.") }
        return text
    }

    func optionalString(_ key: String) throws(InputError) -> String? {
        switch Self.member(key, of: value) {
        case nil, .null?: return nil
        case .string(let text)?: return context.isXML && text.isEmpty ? nil : text
        default: break
        }
        guard let child = member(key) else { return nil }
        if context.isXML, case .string("") = child.value { return nil }
        return try child.string(key)
    }

    func bool(_ what: @autoclosure () -> String) throws(InputError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string("true") where context.isXML: return true
        case .string("false") where context.isXML: return false
        default: throw error("\(what()) must be true or false, not \(value.kindDescription).")
        }
    }

    func optionalBool(_ key: String) throws(InputError) -> Bool? {
        switch Self.member(key, of: value) {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: break
        }
        guard let child = member(key) else { return nil }
        return try child.bool(key)
    }

    func int(_ what: @autoclosure () -> String) throws(InputError) -> Int {
        switch value {
        case .number(let literal):
            if let number = Int(literal) { return number }
        case .string(let text) where context.isXML:
            if let number = Int(text) { return number }
        default: break
        }
        throw error("\(what()) must be an integer, not \(value.kindDescription).")
    }

    func optionalInt(_ key: String) throws(InputError) -> Int? {
        switch Self.member(key, of: value) {
        case nil, .null?: return nil
        case .number(let literal)?: if let number = Int(literal) { return number }
        default: break
        }
        guard let child = member(key) else { return nil }
        return try child.int(key)
    }

    /// The elements of an array (an empty XML element is an empty array).
    func array(_ what: @autoclosure () -> String) throws(InputError) -> [Cursor] {
        switch value {
        case .array(let items):
            var cursors: [Cursor] = []
            cursors.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                cursors.append(Cursor(value: item, path: .index(path, index), context: context))
            }
            return cursors
        case .string("") where context.isXML:
            return []
        default:
            throw error("\(what()) must be a list, not \(value.kindDescription).")
        }
    }

    /// The elements of an array, as `array(_:)` gives them but with each element's cursor made
    /// on demand: a list decoded on every core makes its cursors on the threads that decode them.
    func elements(_ what: @autoclosure () -> String) throws(InputError) -> Elements {
        switch value {
        case .array(let items): return Elements(items: items, path: path, context: context)
        case .string("") where context.isXML: return Elements(items: [], path: path, context: context)
        default: throw error("\(what()) must be a list, not \(value.kindDescription).")
        }
    }

    /// An array's elements; `self[index]` is `array(_:)[index]`.
    struct Elements: Sendable {
        let items: [JSONValue]
        let path: CursorPath
        let context: DecodeContext

        var count: Int { items.count }

        subscript(index: Int) -> Cursor { Cursor(value: items[index], path: .index(path, index), context: context) }
    }

    /// Checks the value is an object (an empty XML element is an empty object).
    func object(_ what: @autoclosure () -> String) throws(InputError) -> Cursor {
        switch value {
        case .object: return self
        case .string("") where context.isXML: return Cursor(value: .object([]), path: path, context: context)
        default: throw error("\(what()) must be an object, not \(value.kindDescription).")
        }
    }

    func timestamp(_ what: @autoclosure () -> String) throws(InputError) -> Timestamp {
        let text = try string(what())
        do {
            return try Timestamp(parsing: text)
        } catch {
            throw self.error("\(what()): \(error.description)")
        }
    }

    func optionalTimestamp(_ key: String) throws(InputError) -> Timestamp? {
        switch Self.member(key, of: value) {
        case nil, .null?: return nil
        case .string(let text)?:
            if context.isXML && text.isEmpty { return nil }
            if let stamp = try? Timestamp(parsing: text) { return stamp }
        default: break
        }
        guard let child = member(key) else { return nil }
        if context.isXML, case .string("") = child.value { return nil }
        return try child.timestamp(key)
    }

    /// A policy document in any of its three forms, decoded and checked against the policy
    /// grammar. A grammar error names the document's place and the element inside it.
    func document(_ what: @autoclosure () -> String) throws(InputError) -> PolicyDocument {
        let json: JSONValue
        do {
            json = try PolicyDocumentText.decode(value, file: context.file)
        } catch {
            throw self.error("\(what()): \(error.message)")
        }
        do {
            return try PolicyDocument(json: json)
        } catch {
            let pointer = self.pointer
            throw InputError(
                file: context.file, line: context.line(for: pointer), pointer: context.prefix + pointer + error.pointer,
                message: "\(what()): \(error.message)")
        }
    }

    /// A required member holding an ARN, parsed and checked.
    func arn(_ key: String, in what: @autoclosure () -> String) throws(InputError) -> ARN {
        try arnAndText(key, in: what()).parts
    }

    /// `arn(key, in: what)` and its text. The text is the member's string itself, which is
    /// `parts.text` byte for byte (the parser cuts it at its first five colon bytes and keeps every
    /// part as written), without joining the parts again.
    func arnAndText(_ key: String, in what: @autoclosure () -> String) throws(InputError) -> (
        parts: ARN, text: String
    ) {
        let text = try requiredString(key, in: what())
        do {
            return (try ARN(parsing: text), text)
        } catch {
            throw try required(key, in: what()).error("\(what())'s \(key): \(error.message)")
        }
    }
}
