import FlowRoleJSON

/// Reads the shapes the policy grammar shares (a string or a list of strings; a JSON pointer
/// under construction) and throws ``PolicyError`` with the pointer of the value at fault.
///
/// A child's pointer is written only when it is read (an error, or a pointer a statement or
/// condition clause keeps): most readers — `Sid`, `Effect`, `Action`, each principal type — never
/// fail, and writing their pointers for every statement of every document was a tenth of parsing
/// the documents.
struct ElementReader {
    /// The pointer of the reader this one is a child of (or its own, at the root).
    private let parent: String
    private let last: Last

    private enum Last {
        case root
        case key(String)
        case index(Int)
    }

    init(pointer: String) {
        parent = pointer
        last = .root
    }

    private init(parent: String, last: Last) {
        self.parent = parent
        self.last = last
    }

    /// The JSON pointer of the value this reader reads.
    var pointer: String {
        switch last {
        case .root: return parent
        case .key(let token): return parent + "/" + InputError.pointerToken(token)
        case .index(let index): return parent + "/\(index)"
        }
    }

    func child(_ token: String) -> ElementReader {
        ElementReader(parent: pointer, last: .key(token))
    }

    func child(_ index: Int) -> ElementReader {
        ElementReader(parent: pointer, last: .index(index))
    }

    func fail(_ message: String) -> PolicyError {
        PolicyError(pointer: pointer, message: message)
    }

    /// A string or a list of strings; `name` is the element's name for the message.
    func stringOrList(_ value: JSONValue, name: String) throws(PolicyError) -> (values: [String], isList: Bool) {
        switch value {
        case .string(let text):
            return ([text], false)
        case .array(let items):
            var values: [String] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw child(index).fail("\(name) must list strings, but item \(index) is \(item.kindDescription).")
                }
                values.append(text)
            }
            return (values, true)
        default:
            throw fail("\(name) must be a string or a list of strings, not \(value.kindDescription).")
        }
    }

    func string(_ value: JSONValue, name: String) throws(PolicyError) -> String {
        guard case .string(let text) = value else {
            throw fail("\(name) must be a string, not \(value.kindDescription).")
        }
        return text
    }

    func members(_ value: JSONValue, name: String) throws(PolicyError) -> [JSONMember] {
        guard case .object(let members) = value else {
            throw fail("\(name) must be an object, not \(value.kindDescription).")
        }
        return members
    }
}
