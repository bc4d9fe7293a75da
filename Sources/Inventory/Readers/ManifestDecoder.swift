import FlowRoleJSON

/// The export manifest `flowrole export` writes (DESIGN, "Inputs it must read"):
/// `{"schema": "flowrole.manifest/v1", "exports": [{"partition", "account", "region",
/// "flows": "ok" | "failed: <reason>"}], "createdAt", "tool"}`. Any other shape carrying that
/// schema key is bad input.
enum ManifestDecoder {
    static let schema = "flowrole.manifest/v1"

    static func manifest(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let stated = try output.required("schema", in: "manifest").string("schema")
        guard stated == schema else {
            throw try output.required("schema", in: "manifest").error(
                "unknown manifest schema \"\(stated)\"; this flowrole reads \"\(schema)\".")
        }
        let allowed: Set<String> = ["schema", "exports", "createdAt", "tool"]
        for member in output.value.objectMembers ?? [] where !allowed.contains(member.key) {
            throw output.error(
                "the manifest has an unknown member \"\(member.key)\" (expected \(allowed.sorted().joined(separator: ", ")))."
            )
        }
        if let created = output.member("createdAt") { _ = try created.timestamp("createdAt") }
        for entry in try output.required("exports", in: "manifest").array("exports") {
            let entry = try entry.object("exports entry")
            let partition = try entry.requiredString("partition", in: "exports entry")
            let account = try entry.requiredString("account", in: "exports entry")
            let region = try entry.requiredString("region", in: "exports entry")
            let flows = try entry.requiredString("flows", in: "exports entry")
            guard account.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw try entry.required("account", in: "exports entry").error(
                    "account \"\(account)\" is not 12 digits.")
            }
            guard flows == "ok" || flows.hasPrefix("failed: ") else {
                throw try entry.required("flows", in: "exports entry").error(
                    "flows is \"\(flows)\"; expected \"ok\" or \"failed: <reason>\".")
            }
            fragments.manifestEntries.append(
                ManifestEntry(
                    partition: partition, account: account, region: region, flows: flows, source: entry.provenance))
        }
    }
}
