internal import CFlowRoleXML
public import FlowRoleJSON

/// Reads an XML input into an `XMLDocumentTree` with libxml2's SAX2 parser.
///
/// Security: the parser runs with `XML_PARSE_NONET | XML_PARSE_BIG_LINES` only — never `NOENT`,
/// `DTDLOAD`, `DTDATTR` or `DTDVALID` — and a handler that builds nothing and resolves nothing.
/// libxml2 2.9.14 has neither `XML_PARSE_NO_XXE` nor an amplification limit, so a document that
/// declares any entity (general, parameter, external or unparsed) is rejected in the declaration
/// callback, which stops the parser before anything could be expanded or loaded; a DOCTYPE naming
/// an external subset is rejected the same way, and a reference to an undeclared entity is an error.
/// A start tag with more than `maximumAttributes` attributes is rejected before libxml2 parses the
/// document, whose duplicate-attribute check is quadratic (`XMLAttributeScan`).
///
/// Thread-safe: every parse has its own parser context and error channel (the handler's `serror`),
/// so files may be read on several threads at once.
public enum XMLTreeReader {
    /// The parser options: no network, whole line numbers. Nothing that substitutes entities or
    /// loads a DTD.
    static let parserOptions = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// `xmlInitParser()`, run once per process before the first parse (a `static let` initialiser
    /// runs exactly once, even when several threads race to it).
    private static let libraryInitialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Reads `bytes`, the whole content of `file` (the name used in error messages only; nothing is
    /// read from disk). The encoding is detected as XML prescribes (BOM, XML declaration, else UTF-8).
    public static func read(_ bytes: [UInt8], file: String) throws(InputError) -> XMLDocumentTree {
        let result: Result<XMLDocumentTree, InputError> = bytes.withUnsafeBytes { buffer in
            do throws(InputError) {
                return .success(try read(buffer, file: file))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads the XML document in `bytes` (which need stay valid only during the call).
    public static func read(_ bytes: UnsafeRawBufferPointer, file: String) throws(InputError) -> XMLDocumentTree {
        guard libraryInitialized else { throw InputError(file: file, message: "libxml2 could not be initialised") }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw InputError(file: file, message: "the file is empty; expected an XML document")
        }
        guard bytes.count <= Int(Int32.max) else {
            throw InputError(file: file, message: "the file is larger than 2 GiB, more than the XML reader accepts")
        }
        if let tag = XMLAttributeScan.firstCrowdedTag(bytes, limit: maximumAttributes) {
            let (line, column) = lineAndColumn(of: tag.offset, in: bytes)
            throw InputError(
                file: file, line: line, column: column,
                message: "the element <\(tag.name)> has more than \(maximumAttributes) attributes; AWS exports"
                    + " have at most a namespace declaration, so it is rejected (hostile or not an export)")
        }
        guard let parser = xmlCreateMemoryParserCtxt(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        else {
            throw InputError(file: file, message: "libxml2 could not create a parser for the file")
        }
        defer {
            // In pure SAX mode libxml2 itself may make a stand-in document (to record an entity
            // declaration "for expat compatibility"); it is ours to free, before the context.
            if let document = parser.pointee.myDoc {
                parser.pointee.myDoc = nil
                xmlFreeDoc(document)
            }
            xmlFreeParserCtxt(parser)
        }
        guard let sax = parser.pointee.sax else {
            throw InputError(file: file, message: "libxml2 made a parser without a SAX handler")
        }

        let session = XMLSAXSession(file: file, parser: parser, expectedElements: estimatedElementCount(bytes))
        let retained = Unmanaged.passRetained(session)
        defer { retained.release() }

        // Our handler replaces the default one in the context's own allocation (freed with the
        // context), as `xmlSAXUserParseMemory` does; the options come after it, since some rewrite
        // handler fields.
        sax.pointee = XMLSAXSession.makeHandler()
        parser.pointee.userData = retained.toOpaque()
        _ = xmlCtxtUseOptions(parser, parserOptions)
        // Not from the options alone: these also follow process-wide defaults that other code
        // could have changed (`xmlSubstituteEntitiesDefault`, `xmlLoadExtDtdDefaultValue`).
        parser.pointee.replaceEntities = 0
        parser.pointee.loadsubset = 0
        parser.pointee.validate = 0

        let status = xmlParseDocument(parser)

        if let error = session.error { throw error }
        guard status == 0, parser.pointee.wellFormed != 0 else {
            throw InputError(file: file, message: "not well-formed XML (libxml2 gave no details)")
        }
        guard let tree = session.builder.tree() else {
            throw InputError(file: file, message: "the file holds no XML element")
        }
        return tree
    }

    /// More attributes than this on one element is bad input (see `XMLAttributeScan`).
    static let maximumAttributes = 256

    /// 1-based line and byte column of `offset`.
    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// A guess at the number of elements, to size the line table once instead of letting it grow
    /// (and rehash) twenty times: with `n` bytes `<`, a document has between n/2 elements (all with
    /// end tags) and n (all `<x/>`). Counted eight bytes at a time: a few ms per 100 MB. Capped at
    /// one element per 16 bytes, so a file of `<<<<…` cannot make the reader reserve gigabytes.
    static func estimatedElementCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        min(countOfOpeningBrackets(bytes) * 5 / 8, bytes.count / 16)
    }

    /// The number of `<` bytes, eight at a time.
    static func countOfOpeningBrackets(_ bytes: UnsafeRawBufferPointer) -> Int {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let pattern: UInt64 = 0x3C3C_3C3C_3C3C_3C3C  // "<" in every byte
        var count = 0
        let words = bytes.count / 8
        for index in 0..<words {
            let x = bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) ^ pattern
            // The high bit of each byte of `t` is set exactly where `x` has a zero byte.
            let t = ~(((x & lows) &+ lows) | x | lows)
            count += t.nonzeroBitCount
        }
        for byte in bytes[(words * 8)...] where byte == UInt8(ascii: "<") { count += 1 }
        return count
    }
}
