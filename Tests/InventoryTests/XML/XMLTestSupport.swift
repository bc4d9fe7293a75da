import FlowRoleJSON
import Foundation

@testable import Inventory

/// Helpers shared by the XML reader tests.
enum XMLTestSupport {
    /// The real samples, copied into this test target's resources (see `Fixtures`).
    static func fixtureURL(_ relativePath: String) -> URL {
        Fixtures.real.appendingPathComponent(relativePath)
    }

    static func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtureURL(relativePath)))
    }

    /// Reads `text` as an XML file named `file`.
    static func read(_ text: String, file: String = "test.xml") throws(InputError) -> XMLDocumentTree {
        try XMLTreeReader.read(Array(text.utf8), file: file)
    }

    /// The error reading `bytes` gives, or nil when it reads.
    static func error(reading bytes: [UInt8], file: String = "test.xml") -> InputError? {
        do {
            _ = try XMLTreeReader.read(bytes, file: file)
            return nil
        } catch {
            return error
        }
    }

    static func error(reading text: String, file: String = "test.xml") -> InputError? {
        error(reading: Array(text.utf8), file: file)
    }

    /// A fresh temporary directory, removed when `body` returns.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("flowrole-xml-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// 1-based line of the byte at `offset` in `bytes`.
    static func line(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Byte offsets of every occurrence of `needle` in `bytes`.
    static func offsets(of needle: String, in bytes: [UInt8]) -> [Int] {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return [] }
        var found: [Int] = []
        var index = 0
        while index <= bytes.count - pattern.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                found.append(index)
                index += pattern.count
            } else {
                index += 1
            }
        }
        return found
    }

    /// Every string inside a value tree (keys and values), to search returned data for leaks.
    static func allStrings(in value: JSONValue) -> [String] {
        switch value {
        case .null, .bool: return []
        case .number(let literal): return [literal]
        case .string(let text): return [text]
        case .array(let items): return items.flatMap(allStrings(in:))
        case .object(let members): return members.flatMap { [$0.key] + allStrings(in: $0.value) }
        }
    }
}

/// A value with the differences between the JSON and XML forms of an export taken out: scalars are
/// strings, and an empty array, object or string is `""` (XML writes all three as `<x/>`).
/// Objects compare as dictionaries, so `JSONSerialization` (which forgets member order) can serve
/// as the independent reading of the JSON file.
indirect enum NormalisedValue: Hashable, CustomStringConvertible {
    case text(String)
    case list([NormalisedValue])
    case record([String: NormalisedValue])

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .text("")
        case .bool(let flag): self = .text(flag ? "true" : "false")
        case .number(let literal): self = .text(literal)
        case .string(let text): self = .text(text)
        case .array(let items): self = items.isEmpty ? .text("") : .list(items.map(NormalisedValue.init))
        case .object(let members):
            self =
                members.isEmpty
                ? .text("")
                : .record(
                    Dictionary(members.map { ($0.key, NormalisedValue($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// From a `JSONSerialization` result.
    init(foundation value: Any) {
        switch value {
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" {
                self = .text(number.boolValue ? "true" : "false")
            } else {
                self = .text("\(number)")
            }
        case let text as String: self = .text(text)
        case let items as [Any]: self = items.isEmpty ? .text("") : .list(items.map(NormalisedValue.init(foundation:)))
        case let members as [String: Any]:
            self = members.isEmpty ? .text("") : .record(members.mapValues(NormalisedValue.init(foundation:)))
        default: self = .text("")  // NSNull
        }
    }

    var description: String {
        switch self {
        case .text(let text): return "\"\(text)\""
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .record(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + "}"
        }
    }

    /// The first place where two values differ, as a JSON pointer and the two values, or nil.
    static func firstDifference(_ a: NormalisedValue, _ b: NormalisedValue, at pointer: String = "") -> String? {
        switch (a, b) {
        case (.text(let x), .text(let y)):
            return x == y ? nil : "\(pointer): \"\(x)\" vs \"\(y)\""
        case (.list(let x), .list(let y)):
            if x.count != y.count { return "\(pointer): \(x.count) items vs \(y.count)" }
            for (index, pair) in zip(x, y).enumerated() {
                if let difference = firstDifference(pair.0, pair.1, at: "\(pointer)/\(index)") { return difference }
            }
            return nil
        case (.record(let x), .record(let y)):
            if Set(x.keys) != Set(y.keys) {
                return "\(pointer): keys \(x.keys.sorted()) vs \(y.keys.sorted())"
            }
            for key in x.keys.sorted() {
                if let xv = x[key], let yv = y[key], let difference = firstDifference(xv, yv, at: "\(pointer)/\(key)") {
                    return difference
                }
            }
            return nil
        default:
            return "\(pointer): \(a) vs \(b)"
        }
    }
}
