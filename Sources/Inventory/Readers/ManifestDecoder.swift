import FlowRoleJSON

/// The export manifest `flowrole export` writes (DESIGN, "Inputs it must read"):
/// `{"schema": "flowrole.manifest/v1", "exports": [{"partition", "account", "region",
/// "flows": "ok" | "failed: <reason>", "cloudformation"?: "ok" | "failed: <reason>"}], "createdAt",
/// "tool"}`. Any other shape carrying that schema key is bad input. `cloudformation` (whether the
/// region's CloudFormation stacks were exported) is optional: manifests written before it lack it.
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
            let cloudFormation = try entry.optionalString("cloudformation")
            guard account.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw try entry.required("account", in: "exports entry").error(
                    "account \"\(account)\" is not 12 digits.")
            }
            guard flows == "ok" || flows.hasPrefix("failed: ") else {
                throw try entry.required("flows", in: "exports entry").error(
                    "flows is \"\(flows)\"; expected \"ok\" or \"failed: <reason>\".")
            }
            if let cloudFormation, cloudFormation != "ok" && !cloudFormation.hasPrefix("failed: ") {
                throw try entry.required("cloudformation", in: "exports entry").error(
                    "cloudformation is \"\(cloudFormation)\"; expected \"ok\" or \"failed: <reason>\".")
            }
            fragments.manifestEntries.append(
                ManifestEntry(
                    partition: partition, account: account, region: region, flows: flows,
                    cloudFormation: cloudFormation, source: entry.provenance))
        }
    }
}
