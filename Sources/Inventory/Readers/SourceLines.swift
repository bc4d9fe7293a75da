import FlowRoleJSON

/// The line where the value at a JSON pointer starts, for JSON inputs, whose provenance knows
/// the pointer but not the line (the reader parses values, not positions). SARIF locations
/// need the line of the role itself.
///
/// Pointers are as the readers write them (RFC 6901, `~0` for `~` and `~1` for `/`). A file
/// with one top-level value (an output, or an array of pages) is addressed directly:
/// `/RoleDetailList/1`, `/1/RoleDetailList/0`. In a file holding several top-level values
/// (JSON Lines, or concatenated pages) the first token names the value, counted from 0 — the
/// `prefix` of `DecodeContext`: `/2/RoleDetailList/0` is the first role of the third value.
///
/// One pass over the file's bytes, mapped as the readers map them. Values on no wanted path are
/// skipped by tracking bracket depth and strings only; recursion goes no deeper than the longest
/// pointer. XML files, pointers that are not found and text that is not JSON leave pointers out
/// of the result rather than fail.
public enum SourceLines {
    /// The 1-based line where the value at each of `pointers` starts, for the pointers found.
    public static func lines(path: String, pointers: [String]) throws(InputError) -> [String: Int] {
        guard !pointers.isEmpty else { return [:] }
        let file = try MappedFile(path: path)
        return file.withBytesUnchecked { lines(in: $0, pointers: pointers) }
    }

    /// The same over bytes in memory.
    static func lines(in bytes: UnsafeRawBufferPointer, pointers: [String]) -> [String: Int] {
        var trie = PointerTrie()
        for pointer in pointers {
            if let tokens = tokens(of: pointer) { trie.insert(tokens, pointer: pointer) }
        }
        guard trie.hasPointers, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0
        else { return [:] }
        var scanner = LineScanner(base: base, count: bytes.count, trie: trie)
        scanner.run()
        // One value: pointers address it directly. Several: the first token chose the value.
        return scanner.topLevelValues > 1 ? scanner.severalValues : scanner.oneValue
    }

    /// The unescaped reference tokens of a JSON pointer; nil when it is not one.
    static func tokens(of pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for raw in pointer.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            guard raw.contains(UInt8(ascii: "~")) else {
                tokens.append(String(decoding: raw, as: UTF8.self))
                continue
            }
            var bytes: [UInt8] = []
            var iterator = raw.makeIterator()
            while let byte = iterator.next() {
                guard byte == UInt8(ascii: "~") else {
                    bytes.append(byte)
                    continue
                }
                switch iterator.next() {
                case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
                default: return nil  // `~` must be followed by 0 or 1
                }
            }
            tokens.append(String(decoding: bytes, as: UTF8.self))
        }
        return tokens
    }
}

/// The wanted pointers as a tree of tokens; node 0 is the root (the empty pointer).
private struct PointerTrie {
    struct Node {
        var children: [String: Int] = [:]
        /// The pointers (as given) that end at this node.
        var pointers: [String] = []
    }

    var nodes = [Node()]
    var hasPointers = false

    mutating func insert(_ tokens: [String], pointer: String) {
        var node = 0
        for token in tokens {
            if let child = nodes[node].children[token] {
                node = child
            } else {
                nodes.append(Node())
                nodes[node].children[token] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        nodes[node].pointers.append(pointer)
        hasPointers = true
    }
}

/// The single pass: follows the trie down wanted paths and skips everything else.
private struct LineScanner {
    /// A trie node being matched, and whether it is matched under the "several values" reading
    /// (the first token named the top-level value) or the "one value" reading.
    private struct Match {
        var node: Int
        var several: Bool
    }

    let base: UnsafePointer<UInt8>
    let count: Int
    let trie: PointerTrie
    private var index = 0
    private var line = 1
    private(set) var topLevelValues = 0
    private(set) var oneValue: [String: Int] = [:]
    private(set) var severalValues: [String: Int] = [:]

    init(base: UnsafePointer<UInt8>, count: Int, trie: PointerTrie) {
        self.base = base
        self.count = count
        self.trie = trie
    }

    mutating func run() {
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { index = 3 }
        skipWhitespace()
        if index < count && base[index] == UInt8(ascii: "<") { return }  // XML: its lines come from libxml2
        while index < count {
            var matches: [Match] = []
            if topLevelValues == 0 { matches.append(Match(node: 0, several: false)) }
            if let node = trie.nodes[0].children[String(topLevelValues)] {
                matches.append(Match(node: node, several: true))
            }
            // Counted once started: a file cut off in its second value still holds several.
            topLevelValues += 1
            let start = index
            let complete = matches.isEmpty ? skipValue() : value(matches)
            guard complete, index > start else { return }
            skipWhitespace()
        }
    }

    // MARK: Following wanted paths

    /// Reads the value at `index`, recording the line of every pointer that ends here. False when
    /// the text ends or stops being JSON.
    private mutating func value(_ matches: [Match]) -> Bool {
        for match in matches {
            for pointer in trie.nodes[match.node].pointers {
                if match.several {
                    if severalValues[pointer] == nil { severalValues[pointer] = line }
                } else if oneValue[pointer] == nil {
                    oneValue[pointer] = line
                }
            }
        }
        guard index < count, matches.contains(where: { !trie.nodes[$0.node].children.isEmpty }) else {
            return skipValue()
        }
        switch base[index] {
        case UInt8(ascii: "{"): return object(matches)
        case UInt8(ascii: "["): return array(matches)
        default: return skipValue()
        }
    }

    private func children(_ matches: [Match], _ token: String) -> [Match] {
        var found: [Match] = []
        for match in matches {
            if let child = trie.nodes[match.node].children[token] {
                found.append(Match(node: child, several: match.several))
            }
        }
        return found
    }

    private mutating func object(_ matches: [Match]) -> Bool {
        index += 1  // {
        skipWhitespace()
        if index < count && base[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while index < count {
            guard base[index] == UInt8(ascii: "\""), let key = readString() else { return false }
            skipWhitespace()
            guard index < count, base[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            let found = children(matches, key)
            guard found.isEmpty ? skipValue() : value(found) else { return false }
            switch next(closing: UInt8(ascii: "}")) {
            case .closed: return true
            case .another: continue
            case .broken: return false
            }
        }
        return false
    }

    private mutating func array(_ matches: [Match]) -> Bool {
        index += 1  // [
        skipWhitespace()
        if index < count && base[index] == UInt8(ascii: "]") {
            index += 1
            return true
        }
        var element = 0
        while index < count {
            let found = children(matches, String(element))
            guard found.isEmpty ? skipValue() : value(found) else { return false }
            switch next(closing: UInt8(ascii: "]")) {
            case .closed: return true
            case .another: element += 1
            case .broken: return false
            }
        }
        return false
    }

    private enum Next { case closed, another, broken }

    /// After a member or element: consumes the closing bracket, or `,` and the whitespace after it.
    private mutating func next(closing close: UInt8) -> Next {
        skipWhitespace()
        guard index < count else { return .broken }
        let byte = base[index]
        index += 1
        if byte == close { return .closed }
        guard byte == UInt8(ascii: ",") else { return .broken }
        skipWhitespace()
        return .another
    }

    // MARK: Skipping

    /// Skips one value (a string, a container with everything in it, or a scalar).
    private mutating func skipValue() -> Bool {
        guard index < count else { return false }
        switch base[index] {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < count {
                let byte = base[index]
                switch byte {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                case 0x0A:
                    line += 1
                default:
                    break
                }
                index += 1
            }
            return false
        default:
            // A number or a literal: up to the next delimiter.
            let start = index
            while index < count {
                switch base[index] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "{"), UInt8(ascii: "["),
                    UInt8(ascii: "\""), 0x20, 0x0A, 0x0D, 0x09:
                    return index > start
                default:
                    index += 1
                }
            }
            return index > start
        }
    }

    private mutating func skipString() -> Bool {
        index += 1  // opening quote
        while index < count {
            switch base[index] {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                if index + 1 < count && base[index + 1] == 0x0A { line += 1 }
                index += 2
            case 0x0A:
                line += 1
                index += 1
            default:
                index += 1
            }
        }
        return false
    }

    private mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case 0x0A:
                line += 1
                index += 1
            case 0x20, 0x0D, 0x09:
                index += 1
            default:
                return
            }
        }
    }

    // MARK: Keys

    /// Reads a string at `index` (an object key) with its escapes decoded; nil if it never ends.
    private mutating func readString() -> String? {
        index += 1  // opening quote
        let start = index
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(
                    decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte == 0x0A { line += 1 }
            index += 1
        }
        guard index < count else { return nil }
        // Escapes: decode the rest byte by byte.
        var bytes = Array(UnsafeBufferPointer(start: base + start, count: index - start))
        while index < count {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < count else { return nil }
                let escaped = base[index + 1]
                index += 2
                switch escaped {
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalar = Unicode.Scalar(unit)
                    if (0xD800..<0xDC00).contains(unit), index + 1 < count, base[index] == UInt8(ascii: "\\"),
                        base[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        guard let low = hex4() else { return nil }
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                        } else {
                            append(nil, to: &bytes)  // a lone high surrogate
                            scalar = Unicode.Scalar(low)
                        }
                    }
                    append(scalar, to: &bytes)
                default: bytes.append(escaped)  // \" \\ \/
                }
            default:
                if byte == 0x0A { line += 1 }
                bytes.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// The scalar's UTF-8 (U+FFFD for nil: a lone surrogate).
    private func append(_ scalar: Unicode.Scalar?, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(Character(scalar ?? "\u{FFFD}")).utf8)
    }

    /// Four hex digits at `index` as a UTF-16 code unit.
    private mutating func hex4() -> UInt32? {
        guard index + 4 <= count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}
