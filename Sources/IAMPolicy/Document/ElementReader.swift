import FlowRoleJSON

/// Reads the shapes the policy grammar shares (a string or a list of strings; a JSON pointer
/// under construction) and throws ``PolicyError`` with the pointer of the value at fault.
struct ElementReader {
    let pointer: String

    func child(_ token: String) -> ElementReader {
        ElementReader(pointer: pointer + "/" + InputError.pointerToken(token))
    }

    func child(_ index: Int) -> ElementReader {
        ElementReader(pointer: pointer + "/\(index)")
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
