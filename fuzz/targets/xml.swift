// libFuzzer target `xml`: the XML reader (Sources/Inventory/XML: libxml2's SAX2 parser through
// CFlowRoleXML) on arbitrary bytes.
//
// Checks, for every input:
// - no crash (ASan watches libxml2's callbacks into Swift and the C lifetimes), no hang, no
//   unbounded memory (libFuzzer's -timeout / -rss_limit_mb);
// - a document whose prolog declares an entity (`<!ENTITY` in the internal subset, general,
//   parameter or unparsed) or whose DOCTYPE names an external DTD (SYSTEM / PUBLIC) is rejected —
//   judged by a small independent scan of the prolog (UTF-8/ASCII documents only);
// - a successful read has a root name and a line for the root; errors print on one line without
//   control characters;
// - a document the reader accepts goes on through the Inventory decoders (written to a temporary
//   file and read with `InventoryReader.read(paths:)`): bad input is an `InputError`, never a crash.
import FlowRoleJSON
import Inventory

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    var text = "fuzz/xml: property violated: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

// MARK: - The independent prolog scan

struct Prolog {
    var declaresEntity = false
    var externalDTD = false
    /// False when the scan cannot judge (another encoding, or the prolog is cut short).
    var judged = true
}

/// Scans the prolog (everything before the root's start tag) for entity declarations and an
/// external DTD, the way XML 1.0 §2.8 and §4.2 lay it out. Deliberately simple: it judges only
/// UTF-8/ASCII documents and gives up (judged = false) on anything it does not understand.
func scanProlog(_ bytes: UnsafeRawBufferPointer) -> Prolog {
    var prolog = Prolog()
    var index = 0
    let count = bytes.count
    func at(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        guard index + pattern.count <= count else { return false }
        for (offset, byte) in pattern.enumerated() where bytes[index + offset] != byte { return false }
        return true
    }
    func skip(past terminator: String) -> Bool {
        while index < count {
            if at(terminator) {
                index += terminator.utf8.count
                return true
            }
            index += 1
        }
        return false
    }
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    func skipSpace() { while index < count && isSpace(bytes[index]) { index += 1 } }

    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
    if count >= 2 && (bytes[0] == 0 || bytes[1] == 0 || bytes[0] >= 0xFE) {
        prolog.judged = false
        return prolog
    }
    if at("<?xml") {
        let start = index
        guard skip(past: "?>") else {
            prolog.judged = false
            return prolog
        }
        let declaration = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            .lowercased()
        if declaration.contains("encoding") && !declaration.contains("utf-8") {
            prolog.judged = false
            return prolog
        }
    }
    while true {
        skipSpace()
        guard index < count else {
            prolog.judged = false
            return prolog
        }
        if at("<?") {
            guard skip(past: "?>") else { break }
        } else if at("<!--") {
            index += 4
            guard skip(past: "-->") else { break }
        } else if at("<!DOCTYPE") {
            index += 9
            // The name, then SYSTEM or PUBLIC (an external subset) or `[` or `>`.
            skipSpace()
            while index < count && !isSpace(bytes[index]) && bytes[index] != UInt8(ascii: "[")
                && bytes[index] != UInt8(ascii: ">")
            {
                index += 1
            }
            skipSpace()
            if at("SYSTEM") || at("PUBLIC") { prolog.externalDTD = true }
            // On to the internal subset, minding quoted literals.
            while index < count && bytes[index] != UInt8(ascii: "[") && bytes[index] != UInt8(ascii: ">") {
                if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    index += 1
                    while index < count && bytes[index] != quote { index += 1 }
                }
                index += 1
            }
            if index < count && bytes[index] == UInt8(ascii: "[") {
                index += 1
                while index < count && bytes[index] != UInt8(ascii: "]") {
                    if at("<!--") {
                        index += 4
                        guard skip(past: "-->") else { break }
                        continue
                    }
                    if at("<?") {
                        guard skip(past: "?>") else { break }
                        continue
                    }
                    if at("<!ENTITY") { prolog.declaresEntity = true }
                    if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                        let quote = bytes[index]
                        index += 1
                        while index < count && bytes[index] != quote { index += 1 }
                    }
                    index += 1
                }
            }
            guard skip(past: ">") else { break }
        } else {
            break  // the root element (or something the parser will reject)
        }
    }
    return prolog
}

// MARK: - The inventory pass

let inputDirectory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    let directory = "\(base)/flowrole-fuzz-xml-\(getpid())"
    mkdir(directory, 0o700)
    atexit {
        unlink(inputPath)
        rmdir(inputDirectory)
    }
    return directory
}()
let inputPath = inputDirectory + "/input.xml"

func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let descriptor = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { fail("cannot create \(inputPath)") }
    defer { close(descriptor) }
    var written = 0
    while written < size {
        let result = write(descriptor, data + written, size - written)
        guard result > 0 else { fail("cannot write \(inputPath)") }
        written += result
    }
}

func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
}

func checkPrintable(_ error: InputError) {
    if error.description.unicodeScalars.contains(where: isControl) {
        fail("an error prints a control character: \(error.description.debugDescription)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let tree: XMLDocumentTree
    do throws(InputError) {
        tree = try XMLTreeReader.read(bytes, file: "fuzz.xml")
    } catch {
        checkPrintable(error)
        return 0
    }
    let prolog = scanProlog(bytes)
    if prolog.judged && prolog.declaresEntity { fail("a document declaring an entity was accepted") }
    if prolog.judged && prolog.externalDTD { fail("a document naming an external DTD was accepted") }
    if tree.rootName.isEmpty { fail("an accepted document has an empty root name") }
    if tree.lines[""] == nil { fail("an accepted document has no line for its root") }

    // Only documents that start with `<` (after a BOM and whitespace) are read as XML by the
    // Inventory reader; the others are covered by the inventory-json target.
    writeInput(data, size)
    do throws(InventoryReadError) {
        _ = try InventoryReader.read(paths: [inputPath])
    } catch {
        for item in error.errors { checkPrintable(item) }
    }
    return 0
}
