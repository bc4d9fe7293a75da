import ArgumentParser
import FlowRoleJSON
import Foundation
import Inventory
import Migration

/// `--suppressions FILE`: `{"suppressions": [{"code", "subject" (glob), "reason", "owner", "expires" (date)}]}`.
enum SuppressionsFile {
    static func load(path: String) throws -> [Suppression] {
        do {
            let value = try JSONFile(path: path, name: "suppressions file").value
            guard case .array(let items)? = value["suppressions"] else {
                throw InputError(file: path, pointer: "/suppressions", message: "expected a list of suppressions.")
            }
            return try items.enumerated().map { index, item throws(InputError) -> Suppression in
                func field(_ key: String) throws(InputError) -> String {
                    guard case .string(let text)? = item[key], !text.isEmpty else {
                        throw InputError(
                            file: path, pointer: "/suppressions/\(index)/\(key)",
                            message: "expected a non-empty string.")
                    }
                    return text
                }
                let expires = try field("expires")
                guard (try? Instant(parsing: expires + "T00:00:00Z")) != nil else {
                    throw InputError(
                        file: path, pointer: "/suppressions/\(index)/expires",
                        message: "expected a date like 2025-06-30.")
                }
                return Suppression(
                    code: try field("code"), subject: try field("subject"), reason: try field("reason"),
                    owner: try field("owner"), expires: expires)
            }
        } catch let error as InputError {
            FileHandleOutput.standardError.write("\(error)\n")
            throw ExitCode(1)
        }
    }
}
