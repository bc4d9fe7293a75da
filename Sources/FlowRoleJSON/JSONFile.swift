import Foundation

/// A file that holds exactly one JSON value (a migration, a plan, a suppressions file): read,
/// parsed strictly, and its bytes kept (a plan's SHA-256 is taken of them).
public struct JSONFile: Sendable {
    public var value: JSONValue
    public var bytes: [UInt8]

    /// Reads `path`; `name` says what the file is in messages (`plan file`, `migration file`).
    /// Every error names the file, and the line of a second value when there is one.
    public init(path: String, name: String) throws(InputError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the \(name).")
        }
        bytes = Array(data)
        let values: [JSONTopLevelValue]
        do {
            values = try bytes.withUnsafeBytes { buffer throws(InputError) in
                try JSONParser.parseAll(buffer, file: path)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, message: "\(error)")
        }
        guard let first = values.first, values.count == 1 else {
            throw InputError(
                file: path, line: values.count > 1 ? values[1].line : nil,
                message: "a \(name) holds exactly one JSON object; another value follows it.")
        }
        value = first.value
    }
}
