import FlowRoleJSON
import Foundation
import IAMPolicy

@testable import Inventory

/// Fixtures, temporary input folders and provenance stripping for the reader tests.
enum Fixtures {
    /// The real samples (copied from ../shared/fixtures/real): `iam/cli`, `iam/query`, `bedrock-agent`, `bedrock-agent-xml`.
    static var real: URL {
        guard let resources = Bundle.module.resourceURL else { fatalError("the test bundle has no resources") }
        return resources.appendingPathComponent("Fixtures/real", isDirectory: true)
    }

    static func path(_ relative: String) -> String { real.appendingPathComponent(relative).path }

    /// Reads the given fixture-relative paths.
    static func read(_ relative: String...) throws -> Inventory {
        try InventoryReader.read(paths: relative.map(path))
    }
}

/// A temporary folder of input files written by a test; removed afterwards.
struct InputFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flowrole-inventory-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    @discardableResult
    func copy(fixture relative: String, as name: String? = nil) throws -> String {
        let target = url.appendingPathComponent(name ?? (relative as NSString).lastPathComponent)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.real.appendingPathComponent(relative), to: target)
        return target.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func read() throws -> Inventory { try InventoryReader.read(paths: [url.path]) }

    /// The errors reading the folder gives (empty when it reads).
    func errors() -> [InputError] {
        do {
            _ = try InventoryReader.read(paths: [url.path])
            return []
        } catch {
            return error.errors
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

extension Inventory {
    /// The inventory with every place-of-reading removed: what it says, not where it was read.
    var withoutProvenance: Inventory {
        let nowhere = Provenance(path: "", pointer: "")
        var copy = self
        copy.inputs = []
        copy.roles = roles.map { role in
            var role = role
            role.sources = []
            role.inlinePolicies = role.inlinePolicies.map {
                InlinePolicy(name: $0.name, document: $0.document, source: nowhere)
            }
            return role
        }
        copy.managedPolicies = managedPolicies.map { policy in
            var policy = policy
            policy.sources = []
            policy.versions = policy.versions.map {
                var version = $0
                version.source = nowhere
                return version
            }
            return policy
        }
        copy.flows = flows.map { flow in
            var flow = flow
            flow.sources = []
            flow.versions = flow.versions.map {
                var version = $0
                version.source = nowhere
                return version
            }
            flow.aliases = flow.aliases?.map {
                var alias = $0
                alias.source = nowhere
                return alias
            }
            return flow
        }
        copy.manifestEntries = manifestEntries.map {
            var entry = $0
            entry.source = nowhere
            return entry
        }
        copy.problems = problems.map {
            var problem = $0
            problem.source = nil
            return problem
        }
        copy.iacOwners = iacOwners.map {
            var owner = $0
            owner.sources = []
            return owner
        }
        return copy
    }
}
