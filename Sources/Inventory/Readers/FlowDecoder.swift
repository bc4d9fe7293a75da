import FlowRoleJSON
import Foundation
import IAMPolicy

/// Decodes `aws bedrock-agent` outputs and flow bundles (JSON, or the flow-export XML convention
/// after `XMLTreeReader`) into fragments (AWS-FORMATS §4).
enum FlowDecoder {
    /// Keys whose values are validated but not kept inside a flow `definition`: large, and no
    /// resolver reads them (prompt texts, inline code, wiring, inference settings).
    static let skippedDefinitionKeys: Set<String> = [
        "connections", "inputs", "outputs", "templateConfiguration", "inferenceConfiguration",
        "additionalModelRequestFields", "code", "promptTemplate", "orchestrationConfiguration",
    ]

    /// The parse options for flow files: skip the above, split large arrays across threads.
    static let parseOptions = JSONParseOptions(
        skipInside: "definition", skippedKeys: skippedDefinitionKeys, parallel: true)

    /// `get-flow` (version DRAFT) — also a bundle entry, with optional `versions` and `aliases`.
    static func getFlow(_ output: Cursor, into fragments: inout Fragments, bundleEntry: Bool = false) throws(InputError)
    {
        let what = bundleEntry ? "flow bundle entry" : "get-flow output"
        let output = try output.object(what)
        let (arn, id, parts) = try flowIdentity(output, what: what)
        var flow = Flow(
            arn: arn, id: id, name: try output.requiredString("name", in: what), partition: parts.partition.rawValue,
            region: parts.region, account: parts.account,
            createdAt: try output.required("createdAt", in: what).timestamp("createdAt"),
            executionRoleArn: try output.requiredString("executionRoleArn", in: what),
            definition: try definition(output), sources: [output.provenance])
        flow.status = try output.optionalString("status")
        flow.updatedAt = try output.optionalTimestamp("updatedAt")
        flow.customerEncryptionKeyArn = try output.optionalString("customerEncryptionKeyArn")
        if bundleEntry {
            if let versions = output.member("versions") {
                flow.versionsKnown = true
                for entry in try versions.array("versions") {
                    let version = try flowVersion(entry, what: "versions entry of \(arn)")
                    guard version.arn == arn else {
                        throw try entry.required("arn", in: "version").error(
                            "a version of \(arn) names another flow, \(version.arn).")
                    }
                    fragments.flowVersions.append((arn, version.version))
                }
            }
            if let aliases = output.member("aliases") {
                var list: [FlowAlias] = []
                for entry in try aliases.array("aliases") {
                    list.append(try alias(entry, flowId: id, what: "aliases entry of \(arn)"))
                }
                fragments.aliasListings.append((arn, list, false, aliases.provenance))
            }
        }
        fragments.flows.append(flow)
    }

    /// `get-flow-version`.
    static func getFlowVersion(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let version = try flowVersion(output, what: "get-flow-version output")
        fragments.flowVersions.append((version.arn, version.version))
    }

    static func flowVersion(_ output: Cursor, what: String) throws(InputError) -> (arn: String, version: FlowVersion) {
        let output = try output.object(what)
        let (arn, _, _) = try flowIdentity(output, what: what)
        let number = try output.requiredString("version", in: what)
        guard number != "DRAFT", number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw try output.required("version", in: what).error(
                "\(what) has version \"\(number)\"; expected a number.")
        }
        let version = FlowVersion(
            version: number, executionRoleArn: try output.requiredString("executionRoleArn", in: what),
            createdAt: try output.optionalTimestamp("createdAt"), status: try output.optionalString("status"),
            customerEncryptionKeyArn: try output.optionalString("customerEncryptionKeyArn"),
            definition: try definition(output), source: output.provenance)
        return (arn, version)
    }

    /// The flow's ARN and id, checked against each other (`arn:P:bedrock:R:A:flow/ID`).
    static func flowIdentity(_ output: Cursor, what: String) throws(InputError) -> (String, String, ARN) {
        let (parts, arn) = try output.arnAndText("arn", in: what)
        let id = try output.requiredString("id", in: what)
        guard parts.service == "bedrock", parts.resource == "flow/" + id,
            !parts.region.isEmpty, !parts.account.isEmpty
        else {
            throw try output.required("arn", in: what).error(
                "\(what)'s arn \"\(arn)\" is not the ARN of flow \"\(id)\" (arn:PARTITION:bedrock:REGION:ACCOUNT:flow/\(id))."
            )
        }
        return (arn, id, parts)
    }

    static func definition(_ output: Cursor) throws(InputError) -> FlowDefinition {
        guard let definition = output.member("definition") else { return .empty }
        return FlowDefinition(nodes: try nodes(try definition.object("definition"), parentPath: nil))
    }

    /// A node read straight from the tree when it is well formed and not a loop (`plainNode`);
    /// otherwise by the general code, which also gives every error.
    static func nodes(_ definition: Cursor, parentPath: String?) throws(InputError) -> [FlowNode] {
        guard let list = definition.member("nodes") else { return [] }
        guard case .array(let items) = list.value else { return try nodesReference(definition, parentPath: parentPath) }
        var out: [FlowNode] = []
        out.reserveCapacity(items.count)
        for index in items.indices {
            if let node = plainNode(items[index], parentPath: parentPath) {
                out.append(node)
            } else {
                out.append(
                    contentsOf: try nodesReference(
                        [Cursor(value: items[index], path: .index(list.path, index), context: list.context)],
                        parentPath: parentPath))
            }
        }
        return out
    }

    /// The node `nodesReference` reads from `value`, when it reads one without a cursor: an object
    /// with non-empty string `name` and `type`, and a `configuration` that is absent, null or an
    /// object of at most one member other than `loop`. Nil for anything else (an error, a loop,
    /// an XML empty element), which the general code then reads.
    static func plainNode(_ value: JSONValue, parentPath: String?) -> FlowNode? {
        guard case .object(let members) = value else { return nil }
        // The members are walked once; each field takes the first member with its key, byte for
        // byte, as `value[key]` finds it.
        var nameValue: JSONValue?
        var typeValue: JSONValue?
        var union: JSONValue?
        for index in members.indices {
            switch members[index].key.utf8.count {
            case 4:
                if nameValue == nil, members[index].key.hasSameUTF8(as: "name") {
                    nameValue = members[index].value
                } else if typeValue == nil, members[index].key.hasSameUTF8(as: "type") {
                    typeValue = members[index].value
                }
            case 13:
                if union == nil, members[index].key.hasSameUTF8(as: "configuration") { union = members[index].value }
            default: break
            }
        }
        guard case .string(let name)? = nameValue, !name.isEmpty, case .string(let type)? = typeValue, !type.isEmpty
        else { return nil }
        var configuration: JSONValue?
        var kind: String?
        switch union {
        case nil, .null?: break
        case .object(let union)?:
            guard union.count <= 1 else { return nil }
            if let member = union.first {
                guard member.key != "loop" else { return nil }
                kind = member.key
                configuration = normalised(member.value)
            }
        default: return nil
        }
        return FlowNode(
            name: name, type: type, configuration: configuration, configurationKind: kind, children: [],
            path: parentPath.map { "\($0)/\(name)" } ?? name)
    }

    /// The general reading of a definition's nodes: the reference for `nodes`.
    static func nodesReference(_ definition: Cursor, parentPath: String?) throws(InputError) -> [FlowNode] {
        guard let list = definition.member("nodes") else { return [] }
        return try nodesReference(try list.array("nodes"), parentPath: parentPath)
    }

    private static func nodesReference(_ entries: [Cursor], parentPath: String?) throws(InputError) -> [FlowNode] {
        var out: [FlowNode] = []
        for entry in entries {
            let entry = try entry.object("node")
            let name = try entry.requiredString("name", in: "node")
            let type = try entry.requiredString("type", in: "node \(name)")
            let path = parentPath.map { "\($0)/\(name)" } ?? name
            var configuration: JSONValue?
            var kind: String?
            var children: [FlowNode] = []
            if let union = entry.member("configuration") {
                let union = try union.object("configuration of node \(name)")
                let members = union.value.objectMembers ?? []
                if members.count > 1 {
                    throw union.error(
                        "the configuration of node \(name) names \(members.count) kinds; it is a union of exactly one.")
                }
                if let member = members.first {
                    kind = member.key
                    configuration = normalised(member.value)
                    if member.key == "loop", let inner = union.member("loop")?.member("definition") {
                        children = try nodesReference(try inner.object("loop definition"), parentPath: path)
                    }
                }
            }
            out.append(
                FlowNode(
                    name: name, type: type, configuration: configuration, configurationKind: kind, children: children,
                    path: path))
        }
        return out
    }

    /// A node configuration in the form both JSON and XML inputs give: scalars as text (XML has no
    /// types, and resolvers read ARNs, ids and names, never numbers) and every empty value — `{}`,
    /// `[]`, `""`, the XML element `<x/>` — as an empty object. The JSON and XML exports of one flow
    /// therefore read to equal definitions. Keys the JSON parser skips are dropped here too, and
    /// members are sorted by key.
    ///
    /// One walk: each value is looked at once and rebuilt only when it or a value inside it
    /// changes. `normalisedReference` (check the whole value, then rebuild it, checking each part
    /// again at every level) is the reference the tests compare this with.
    static func normalised(_ value: JSONValue) -> JSONValue {
        rebuiltIfNotNormalised(value) ?? value
    }

    /// `normalised(value)` when that is not `value` itself; nil when `value` is in normal form.
    private static func rebuiltIfNotNormalised(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return .object([])
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .number(let literal): return .string(literal)
        case .string(let text): return text.isEmpty ? .object([]) : nil
        case .array(let items):
            if items.isEmpty { return .object([]) }
            var rebuilt: [JSONValue]?
            for index in items.indices {
                let item = rebuiltIfNotNormalised(items[index])
                if rebuilt == nil, item != nil {
                    rebuilt = []
                    rebuilt?.reserveCapacity(items.count)
                    rebuilt?.append(contentsOf: items[..<index])
                }
                if rebuilt != nil { rebuilt?.append(item ?? items[index]) }
            }
            return rebuilt.map { .array($0) }
        case .object(let members):
            if members.isEmpty { return nil }
            for index in members.indices {
                if (index > 0 && !members[index - 1].key.utf8.lexicographicallyPrecedes(members[index].key.utf8))
                    || parseOptions.isSkipped(members[index].key)
                {
                    // Out of order or a skipped key (XML): filtered and sorted, as the reference does.
                    return .object(
                        members.filter { !skippedDefinitionKeys.contains($0.key) }
                            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                            .map { JSONMember($0.key, normalised($0.value)) })
                }
            }
            var rebuilt: [JSONMember]?
            for index in members.indices {
                let value = rebuiltIfNotNormalised(members[index].value)
                if rebuilt == nil, value != nil {
                    rebuilt = []
                    rebuilt?.reserveCapacity(members.count)
                    rebuilt?.append(contentsOf: members[..<index])
                }
                if rebuilt != nil { rebuilt?.append(JSONMember(members[index].key, value ?? members[index].value)) }
            }
            return rebuilt.map { .object($0) }
        }
    }

    /// The reference for `normalised`: checks the value, then rebuilds what is not in normal form.
    static func normalisedReference(_ value: JSONValue) -> JSONValue {
        // Most configurations read from JSON are already in this form (the parser dropped the
        // skipped keys, AWS writes members sorted): checking is cheaper than rebuilding them.
        if isNormalised(value) { return value }
        switch value {
        case .null: return .object([])
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .number(let literal): return .string(literal)
        case .string(let text): return text.isEmpty ? .object([]) : value
        case .array(let items): return items.isEmpty ? .object([]) : .array(items.map(normalised))
        case .object(let members):
            // XML trees arrive whole: drop what the JSON parser skips, so both read alike. Members
            // are sorted: copies of a flow that differ only in key order (jq -S) are one flow.
            return .object(
                members.filter { !skippedDefinitionKeys.contains($0.key) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { JSONMember($0.key, normalisedReference($0.value)) })
        }
    }

    /// Whether `normalised(value)` is `value` itself: text and non-empty containers only, no
    /// skipped key, members strictly in byte order of their keys (so no two alike either, which
    /// the parser guarantees anyway).
    static func isNormalised(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool, .number: return false
        case .string(let text): return !text.isEmpty
        case .array(let items): return !items.isEmpty && items.allSatisfy(isNormalised)
        case .object(let members):
            guard !members.isEmpty else { return true }
            for index in members.indices {
                if index > 0, !members[index - 1].key.utf8.lexicographicallyPrecedes(members[index].key.utf8) {
                    return false
                }
                if parseOptions.isSkipped(members[index].key) || !isNormalised(members[index].value) {
                    return false
                }
            }
            return true
        }
    }

    static func alias(_ entry: Cursor, flowId: String?, what: String) throws(InputError) -> FlowAlias {
        let entry = try entry.object(what)
        let (parts, arn) = try entry.arnAndText("arn", in: what)
        let id = try entry.requiredString("id", in: what)
        if let flowId, let stated = try entry.optionalString("flowId"), stated != flowId {
            throw try entry.required("flowId", in: what).error("\(what) belongs to flow \(stated), not \(flowId).")
        }
        guard parts.service == "bedrock", parts.resource.hasSuffix("/alias/" + id) else {
            throw try entry.required("arn", in: what).error(
                "\(what)'s arn \"\(arn)\" is not a flow alias ARN ending in /alias/\(id).")
        }
        var routes: [String] = []
        if let routing = entry.member("routingConfiguration") {
            for route in try routing.array("routingConfiguration") {
                let route = try route.object("routingConfiguration entry")
                routes.append(try route.requiredString("flowVersion", in: "routingConfiguration entry"))
            }
        }
        return FlowAlias(
            id: id, arn: arn, name: try entry.optionalString("name") ?? id, routesTo: routes,
            createdAt: try entry.optionalTimestamp("createdAt"), updatedAt: try entry.optionalTimestamp("updatedAt"),
            source: entry.provenance)
    }

    /// The flow ARN an alias ARN belongs to (`…:flow/ID/alias/ALIAS` → `…:flow/ID`).
    static func flowArn(ofAlias arn: String) -> String? {
        guard let range = arn.range(of: "/alias/", options: .backwards) else { return nil }
        return String(arn[..<range.lowerBound])
    }

    /// `list-flow-aliases` page.
    static func listFlowAliases(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        var aliases: [FlowAlias] = []
        var flowArn: String?
        for entry in try output.required("flowAliasSummaries", in: "list-flow-aliases output").array(
            "flowAliasSummaries")
        {
            let alias = try alias(entry, flowId: nil, what: "flowAliasSummaries entry")
            guard let owner = self.flowArn(ofAlias: alias.arn) else { continue }
            if let flowArn, flowArn != owner {
                throw entry.error("one list-flow-aliases page lists aliases of two flows, \(flowArn) and \(owner).")
            }
            flowArn = owner
            aliases.append(alias)
        }
        fragments.aliasListings.append((flowArn, aliases, output.member("nextToken") != nil, output.provenance))
    }

    /// `get-flow-alias`: one alias, complete in itself (it does not make the alias list known).
    static func getFlowAlias(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let alias = try alias(output, flowId: nil, what: "get-flow-alias output")
        guard let owner = flowArn(ofAlias: alias.arn) else { return }
        fragments.aliasListings.append((owner, [alias], false, output.provenance))
    }

    /// `list-flow-versions` page.
    static func listFlowVersions(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        var versions: [String] = []
        var flowArn: String?
        for entry in try output.required("flowVersionSummaries", in: "list-flow-versions output").array(
            "flowVersionSummaries")
        {
            let entry = try entry.object("flowVersionSummaries entry")
            let (arn, _, _) = try flowIdentity(entry, what: "flowVersionSummaries entry")
            if let flowArn, flowArn != arn {
                throw entry.error("one list-flow-versions page lists versions of two flows, \(flowArn) and \(arn).")
            }
            flowArn = arn
            let version = try entry.requiredString("version", in: "flowVersionSummaries entry")
            if version != "DRAFT" { versions.append(version) }
        }
        fragments.versionListings.append((flowArn, versions, output.member("nextToken") != nil, output.provenance))
    }

    /// `list-flows` page.
    static func listFlows(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        var summaries: [FlowSummary] = []
        for entry in try output.required("flowSummaries", in: "list-flows output").array("flowSummaries") {
            let entry = try entry.object("flowSummaries entry")
            let (arn, _, parts) = try flowIdentity(entry, what: "flowSummaries entry")
            summaries.append(
                FlowSummary(
                    arn: arn, partition: parts.partition.rawValue, account: parts.account, region: parts.region,
                    source: entry.provenance))
        }
        fragments.flowListings.append((summaries, output.member("nextToken") != nil, output.provenance))
    }

    /// A bundle `{"flows": [get-flow objects with optional "versions" and "aliases"]}`.
    static func bundle(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        let entries = try output.required("flows", in: "flow bundle").elements("flows")
        try ParallelDecode.each(entries, into: &fragments) { entry, local throws(InputError) in
            try getFlow(entry, into: &local, bundleEntry: true)
        }
    }
}
