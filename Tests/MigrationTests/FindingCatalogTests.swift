import Foundation
import Testing

@testable import Migration

/// The finding-code catalogue the reports explain codes from, the README's table and the codes
/// the planner's sources emit must agree.
@Suite("finding catalogue")
struct FindingCatalogTests {
    /// `| `CODE` | severity | when |` rows of the README's "Finding codes" table.
    static func readmeRows() throws -> [(code: String, severity: String, when: String)] {
        let readme = try String(
            contentsOf: PackageFiles.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "### Finding codes") else { return [] }
        var rows: [(String, String, String)] = []
        for line in readme[start.upperBound...].split(separator: "\n").drop(while: { !$0.hasPrefix("|") }) {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3, cells[0].hasPrefix("`") else { continue }
            rows.append((cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1], cells[2]))
        }
        return rows
    }

    @Test func theREADMETableIsTheCatalogue() throws {
        let rows = try Self.readmeRows()
        #expect(rows.map(\.code) == FindingCatalog.all.map(\.code))
        for (row, entry) in zip(rows, FindingCatalog.all) {
            #expect(row.severity == entry.severity, "\(entry.code)")
            #expect(row.when == entry.when, "\(entry.code)")
            #expect(!entry.action.isEmpty, "\(entry.code) says what to do")
        }
    }

    /// Every code literal in the planner's sources has an explanation, and the catalogue holds no
    /// code the planner never emits.
    @Test func everyCodeThePlannerEmitsIsExplained() throws {
        let sources = PackageFiles.root.appendingPathComponent("Sources/Migration")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var emitted = Set<String>()
        let pattern = try Regex(#""([A-Z]+(?:_[A-Z]+)+)""#)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "FindingCatalog.swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let code = match.output[1].substring { emitted.insert(String(code)) }
            }
        }
        #expect(emitted == Set(FindingCatalog.all.map(\.code)))
        for code in emitted { #expect(FindingCatalog.explanation(code) != nil, "\(code)") }
    }
}
