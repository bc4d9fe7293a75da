import FlowRoleJSON

/// Builds the value tree of an XML document from parser events (start tag, text, end tag).
///
/// Pure Swift and libxml2-free, so the conversion rules are testable on their own; the SAX glue
/// (`XMLSAXSession`) feeds it and turns a returned problem into an `InputError` at the parser's
/// position. Every method returns nil when all is well, or a sentence saying what is wrong.
struct XMLTreeBuilder {
    private enum Kind {
        /// No child element yet: the content is the text gathered so far.
        case leaf
        /// `<member>` children only.
        case list
        /// Named children.
        case object
    }

    private struct Frame {
        var name: String
        var pointer: String
        var kind: Kind = .leaf
        /// Where this element's finished children start in `pendingItems` / `pendingMembers`.
        var start: Int
        /// Keys of its members, built once the object is too wide for a linear duplicate check.
        var keys: Set<String>? = nil
    }

    /// Objects up to this many members are checked for duplicate names by a linear scan.
    private static let linearKeyLimit = 16

    private var frames: [Frame] = []
    /// Finished children of the open lists and objects, innermost last: each container's array is
    /// made once, at its end tag, at its exact size.
    private var pendingItems: [JSONValue] = []
    private var pendingMembers: [JSONMember] = []
    /// Text of the innermost open element since its start tag or its last child's end tag.
    private var text: [UInt8] = []
    private(set) var lines: [String: Int] = [:]
    private(set) var rootName: String?
    private(set) var rootValue: JSONValue?

    /// `expectedElements`: a guess at the element count, to size the line table once.
    init(expectedElements: Int = 0) {
        frames.reserveCapacity(32)
        pendingItems.reserveCapacity(256)
        pendingMembers.reserveCapacity(256)
        text.reserveCapacity(4096)
        lines.reserveCapacity(expectedElements)
    }

    /// A start tag with local name `name`, on `line`.
    mutating func startElement(_ name: String, line: Int) -> String? {
        guard let top = frames.indices.last else {
            // The root. (libxml2 itself rejects a second root element.)
            frames.append(Frame(name: name, pointer: "", start: 0))
            lines[""] = line
            rootName = name
            return nil
        }
        let pointer: String
        let start: Int
        if name == "member" {
            switch frames[top].kind {
            case .leaf:
                if let problem = checkBlank(text, in: frames[top].name) { return problem }
                text.removeAll(keepingCapacity: true)
                frames[top].kind = .list
                frames[top].start = pendingItems.count
            case .list: break
            case .object:
                return "the element \"\(frames[top].name)\" mixes <member> items with named elements"
                    + " (\"\(pendingMembers.last?.key ?? "")\" before this <member>); a list holds only"
                    + " <member> elements"
            }
            pointer = Self.pointer(frames[top].pointer, String(pendingItems.count - frames[top].start))
            start = pendingItems.count
        } else {
            switch frames[top].kind {
            case .leaf:
                if let problem = checkBlank(text, in: frames[top].name) { return problem }
                text.removeAll(keepingCapacity: true)
                frames[top].kind = .object
                frames[top].start = pendingMembers.count
            case .object:
                if let problem = checkDuplicate(name, in: top) { return problem }
            case .list:
                return "the element \"\(frames[top].name)\" mixes <member> items with the element \"\(name)\";"
                    + " a list holds only <member> elements"
            }
            pointer = Self.pointer(frames[top].pointer, Self.pointerToken(name))
            start = pendingMembers.count
        }
        lines[pointer] = line
        frames.append(Frame(name: name, pointer: pointer, start: start))
        return nil
    }

    /// Character data (text or CDATA, already unescaped) inside the innermost open element.
    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let top = frames.indices.last else { return nil }
        if frames[top].kind == .leaf {
            text.append(contentsOf: bytes)
            return nil
        }
        return checkBlank(bytes, in: frames[top].name)
    }

    /// The end tag of the innermost open element.
    mutating func endElement() -> String? {
        guard let frame = frames.popLast() else { return nil }
        let value: JSONValue
        switch frame.kind {
        case .leaf:
            value = .string(String(decoding: text, as: UTF8.self))
            text.removeAll(keepingCapacity: true)
        case .list:
            value = .array(Array(pendingItems[frame.start...]))
            pendingItems.removeSubrange(frame.start...)
        case .object:
            value = .object(Array(pendingMembers[frame.start...]))
            pendingMembers.removeSubrange(frame.start...)
        }
        guard let parent = frames.indices.last else {
            rootValue = value
            return nil
        }
        switch frames[parent].kind {
        case .list: pendingItems.append(value)
        case .object:
            pendingMembers.append(JSONMember(frame.name, value))
            frames[parent].keys?.insert(frame.name)
        case .leaf: break  // unreachable: a child start tag decided the parent's kind
        }
        return nil
    }

    /// The finished tree, or nil when no root element was closed.
    func tree() -> XMLDocumentTree? {
        guard let rootName, let rootValue, frames.isEmpty else { return nil }
        return XMLDocumentTree(rootName: rootName, value: rootValue, lines: lines)
    }

    // MARK: - Checks

    private mutating func checkDuplicate(_ name: String, in index: Int) -> String? {
        let members = pendingMembers[frames[index].start...]
        var clash = false
        if let keys = frames[index].keys {
            clash = keys.contains(name)
        } else if members.count < Self.linearKeyLimit {
            clash = members.contains { $0.key.hasSameUTF8(as: name) }
        } else {
            let keys = Set(members.map(\.key))
            frames[index].keys = keys
            clash = keys.contains(name)
        }
        guard clash else { return nil }
        let firstLine = lines[frames[index].pointer + "/" + Self.pointerToken(name)].map { " (first on line \($0))" }
        return "the element \"\(frames[index].name)\" has more than one child element \"\(name)\"\(firstLine ?? "");"
            + " repeated elements are allowed only as <member> items of a list"
    }

    private func checkBlank(_ bytes: some Collection<UInt8>, in element: String) -> String? {
        guard let first = bytes.firstIndex(where: { !Self.isXMLSpace($0) }) else { return nil }
        let excerpt = String(decoding: bytes[first...].prefix(40), as: UTF8.self)
        return "the element \"\(element)\" mixes text (\"\(excerpt)\") with child elements;"
            + " an element holds either text or elements"
    }

    private static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// `parent/token`, allocated once.
    private static func pointer(_ parent: String, _ token: String) -> String {
        var pointer = ""
        pointer.reserveCapacity(parent.utf8.count + 1 + token.utf8.count)
        pointer += parent
        pointer += "/"
        pointer += token
        return pointer
    }

    /// RFC 6901 escaping; XML names cannot hold `~` or `/`, so this is almost always the name itself.
    private static func pointerToken(_ name: String) -> String {
        name.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") })
            ? InputError.pointerToken(name) : name
    }
}
