internal import CFlowRoleXML
import FlowRoleJSON

/// One parse: the libxml2 parser context, the tree being built and the first error.
///
/// libxml2 hands the session back to every SAX callback as its `void *` user data (an `Unmanaged`
/// reference that `XMLTreeReader.read` retains for exactly the length of the parse). On the first
/// problem — a parser error, a declared entity, an external DTD, a shape the conversion rules
/// reject — the session records it and stops the parser, so nothing after it is parsed or expanded.
final class XMLSAXSession {
    let file: String
    let parser: xmlParserCtxtPtr
    var builder: XMLTreeBuilder
    private(set) var error: InputError?

    init(file: String, parser: xmlParserCtxtPtr, expectedElements: Int = 0) {
        self.file = file
        self.parser = parser
        self.builder = XMLTreeBuilder(expectedElements: expectedElements)
    }

    /// Element names already made into Swift strings, by the address of libxml2's interned copy.
    private var names: [UnsafeRawPointer: String] = [:]

    /// The Swift string of an element's local name. libxml2 interns names in the parser's
    /// dictionary, where a string never changes or moves until the context is freed, so each
    /// distinct name is decoded once; a name not from the dictionary is never cached.
    func name(_ localName: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(localName)
        if let known = names[key] { return known }
        let name = String(cString: localName)
        if xmlDictOwns(parser.pointee.dict, localName) == 1 { names[key] = name }
        return name
    }

    /// 1-based line of the parser's current position (an `int`: `XML_PARSE_BIG_LINES` keeps it whole).
    var line: Int { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer(parser))) }
    var column: Int { Int(xmlSAX2GetColumnNumber(UnsafeMutableRawPointer(parser))) }

    /// Records `message` at the parser's current position (unless an error is already recorded)
    /// and stops the parser.
    func fail(_ message: String) {
        fail(InputError(file: file, line: line, column: column, message: message))
    }

    func fail(_ error: InputError) {
        if self.error == nil { self.error = error }
        stop()
    }

    /// Stops the parser: libxml2 calls no further callback and `xmlParseDocument` returns.
    func stop() {
        xmlStopParser(parser)
    }

    /// A libxml2 error or warning, delivered through the handler's `serror` (never a global channel).
    func report(_ error: UnsafePointer<xmlError>) {
        let problem = error.pointee
        guard problem.level != XML_ERR_WARNING, self.error == nil else { return }
        var message = problem.message.map { String(cString: $0) } ?? "libxml2 error \(problem.code)"
        // libxml2 continues some messages on a second line ("…encoding !\nBytes: 0xFF …"): one line.
        message = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String($0).trimmingXMLSpace() }.filter { !$0.isEmpty }.joined(separator: "; ")
        self.error = InputError(
            file: file,
            line: problem.line > 0 ? Int(problem.line) : nil,
            column: problem.int2 > 0 ? Int(problem.int2) : nil,
            message: "not well-formed XML: \(message)"
        )
    }

    /// The SAX2 handler: only the callbacks below, everything else nil — no tree building, no entity
    /// lookup or loading, no external subset. `initialized = XML_SAX2_MAGIC` makes libxml2 use the
    /// namespace-aware callbacks and the structured `serror`.
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, localName, _, _, _, _, _, _, _ in
            guard let session = XMLSAXSession.from(context), let localName else { return }
            // A recoverable libxml2 error (an undeclared namespace prefix) does not stop libxml2;
            // it stops us, at the next element.
            guard session.error == nil else { return session.stop() }
            let name = session.name(localName)
            if let problem = session.builder.startElement(name, line: session.line) { session.fail(problem) }
        }
        handler.endElementNs = { context, _, _, _ in
            guard let session = XMLSAXSession.from(context) else { return }
            if let problem = session.builder.endElement() { session.fail(problem) }
        }
        handler.characters = textCallback
        handler.cdataBlock = textCallback
        handler.ignorableWhitespace = textCallback
        handler.internalSubset = { context, name, externalID, systemID in
            guard let session = XMLSAXSession.from(context) else { return }
            guard externalID != nil || systemID != nil else { return }
            let named = [externalID, systemID].compactMap { $0.map { String(cString: $0) } }
                .map { "\"\($0)\"" }.joined(separator: " ")
            let root = name.map { String(cString: $0) } ?? ""
            session.fail(
                "the document type declaration of \"\(root)\" names an external DTD (\(named)); AWS exports"
                    + " have no DTD, so it is rejected (hostile or not an export)"
            )
        }
        // libxml2 calls `entityDecl` for general and parameter entities alike, and
        // `unparsedEntityDecl` for `NDATA` ones; both fire when the declaration has been read and
        // before any reference to it can be expanded.
        handler.entityDecl = { context, name, type, _, _, _ in
            guard let session = XMLSAXSession.from(context) else { return }
            let isParameter =
                type == Int32(XML_INTERNAL_PARAMETER_ENTITY.rawValue)
                || type == Int32(XML_EXTERNAL_PARAMETER_ENTITY.rawValue)
            session.rejectEntity(name, parameter: isParameter)
        }
        handler.unparsedEntityDecl = { context, name, _, _, _ in
            XMLSAXSession.from(context)?.rejectEntity(name, parameter: false)
        }
        // Only reached for a reference libxml2 did not already reject as undeclared.
        handler.reference = { context, name in
            guard let session = XMLSAXSession.from(context) else { return }
            let entity = name.map { String(cString: $0) } ?? ""
            session.fail("the document refers to the undeclared entity \"&\(entity);\"")
        }
        handler.serror = { context, error in
            guard let error else { return }
            XMLSAXSession.from(context)?.report(error)
        }
        return handler
    }

    private func rejectEntity(_ name: UnsafePointer<xmlChar>?, parameter: Bool) {
        let entity = (parameter ? "%" : "") + (name.map { String(cString: $0) } ?? "")
        fail(
            "the document declares the entity \"\(entity)\"; AWS exports never declare entities,"
                + " so it is rejected (hostile or not an export)"
        )
    }

    private static let textCallback: charactersSAXFunc = { context, bytes, length in
        guard let session = XMLSAXSession.from(context), let bytes, length > 0 else { return }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(length))
        if let problem = session.builder.characters(buffer) { session.fail(problem) }
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> XMLSAXSession? {
        guard let context else { return nil }
        return Unmanaged<XMLSAXSession>.fromOpaque(context).takeUnretainedValue()
    }
}

extension String {
    fileprivate func trimmingXMLSpace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
