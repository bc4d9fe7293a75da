import FlowRoleJSON
import IAMPolicy
import Inventory

extension Planner {
    /// SHA-256 (hex) of the canonical JSON of everything the decision read for this role: its
    /// trust and inline documents, attached policy ARNs and their default documents, boundary,
    /// tags, and the ARNs and definitions of the flows (and versions) that use it.
    ///
    /// The same bytes as `referenceBasis`, written straight in canonical order rather than built
    /// as a tree and then canonicalised: that tree (an object per flow, version and node) cost
    /// more than hashing. The keys chosen here are fixed, so their canonical order is written out
    /// below. Objects keyed by names from the inputs (inline policy names, attached ARNs, tag
    /// keys), documents and node configurations go through the canonical writer, which orders
    /// keys, keeps duplicate keys and escapes as it does for the reference; the boundary is a
    /// one-member object, so it needs no ordering.
    static func basis(role: Role, flows: [Flow], inventory: Inventory) -> String {
        basis(role: role, flows: Array(flows.indices), of: flows, inventory: inventory)
    }

    /// ``basis(role:flows:inventory:)`` of the flows at `positions` in `flows`, read there in
    /// place: the planner's flows are the inventory's, and copying them into a list of their own
    /// cost more than writing them.
    static func basis(role: Role, flows positions: [Int], of flows: [Flow], inventory: Inventory) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        // Keys sorted by their UTF-8 bytes: attached, boundary, flows, inline, inlineNames, tags, trust.
        appendBasisLiteral("{\"attached\":", to: &bytes)
        if let attached = role.attachedPolicies {
            JSONValue.object(
                attached.map {
                    JSONMember($0.arn, inventory.managedPolicy(arn: $0.arn)?.defaultVersion?.document.json ?? .null)
                }
            ).writeCanonical(into: &bytes)
        } else {
            appendBasisLiteral("null", to: &bytes)
        }
        appendBasisLiteral(",\"boundary\":", to: &bytes)
        if let arn = role.permissionsBoundaryArn {
            bytes.append(UInt8(ascii: "{"))
            JSONValue.writeString(arn, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            writeBasisValue(inventory.managedPolicy(arn: arn)?.defaultVersion?.document.json, into: &bytes)
            bytes.append(UInt8(ascii: "}"))
        } else {
            appendBasisLiteral("null", to: &bytes)
        }
        appendBasisLiteral(",\"flows\":[", to: &bytes)
        // By index, fields read in place: copying out each flow, version or node (a dozen
        // references to retain and release) cost as much as writing it.
        for (count, index) in positions.enumerated() {
            if count > 0 { bytes.append(UInt8(ascii: ",")) }
            // arn, createdAt, definition, executionRoleArn, versions.
            appendBasisLiteral("{\"arn\":", to: &bytes)
            JSONValue.writeString(flows[index].arn, into: &bytes)
            appendBasisLiteral(",\"createdAt\":", to: &bytes)
            JSONValue.writeString(flows[index].createdAt.instant.description, into: &bytes)
            appendBasisLiteral(",\"definition\":", to: &bytes)
            writeBasisNodes(flows[index].definition.nodes, into: &bytes)
            appendBasisLiteral(",\"executionRoleArn\":", to: &bytes)
            JSONValue.writeString(flows[index].executionRoleArn, into: &bytes)
            appendBasisLiteral(",\"versions\":[", to: &bytes)
            for position in flows[index].versions.indices {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                // definition, executionRoleArn, version.
                appendBasisLiteral("{\"definition\":", to: &bytes)
                writeBasisNodes(flows[index].versions[position].definition.nodes, into: &bytes)
                appendBasisLiteral(",\"executionRoleArn\":", to: &bytes)
                JSONValue.writeString(flows[index].versions[position].executionRoleArn, into: &bytes)
                appendBasisLiteral(",\"version\":", to: &bytes)
                JSONValue.writeString(flows[index].versions[position].version, into: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
            appendBasisLiteral("]}", to: &bytes)
        }
        appendBasisLiteral("],\"inline\":", to: &bytes)
        JSONValue.object(role.inlinePolicies.map { JSONMember($0.name, $0.document.json) })
            .writeCanonical(into: &bytes)
        appendBasisLiteral(",\"inlineNames\":", to: &bytes)
        if let names = role.inlinePolicyNames {
            bytes.append(UInt8(ascii: "["))
            for (index, name) in names.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.writeString(name, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        } else {
            appendBasisLiteral("null", to: &bytes)
        }
        appendBasisLiteral(",\"tags\":", to: &bytes)
        if let tags = role.tags {
            JSONValue.object(tags.map { JSONMember($0.key, .string($0.value)) }).writeCanonical(into: &bytes)
        } else {
            appendBasisLiteral("null", to: &bytes)
        }
        appendBasisLiteral(",\"trust\":", to: &bytes)
        writeBasisValue(role.trustPolicy?.json, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return ContentDigest.sha256(bytes)
    }

    /// A definition's nodes as `referenceBasis` writes them: keys configuration, name, nodes, type.
    private static func writeBasisNodes(_ nodes: [FlowNode], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        // Through the buffer: fields are then read in place, without retaining each one.
        nodes.withUnsafeBufferPointer { nodes in
            for index in nodes.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendBasisLiteral("{\"configuration\":", to: &bytes)
                writeBasisValue(nodes[index].configuration, into: &bytes)
                appendBasisLiteral(",\"name\":", to: &bytes)
                JSONValue.writeString(nodes[index].name, into: &bytes)
                appendBasisLiteral(",\"nodes\":", to: &bytes)
                writeBasisNodes(nodes[index].children, into: &bytes)
                appendBasisLiteral(",\"type\":", to: &bytes)
                JSONValue.writeString(nodes[index].type, into: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The canonical form of `value`, or `null` when it is nil.
    private static func writeBasisValue(_ value: JSONValue?, into bytes: inout [UInt8]) {
        if let value {
            value.writeCanonical(into: &bytes)
        } else {
            appendBasisLiteral("null", to: &bytes)
        }
    }

    /// Appends an ASCII literal.
    private static func appendBasisLiteral(_ literal: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The tree-building form of `basis`, kept as its reference (BasisEquivalenceTests): the JSON
    /// value of everything the decision read, canonicalised by `canonicalBytes`.
    static func referenceBasis(role: Role, flows: [Flow], inventory: Inventory) -> String {
        func definition(_ definition: FlowDefinition) -> JSONValue {
            func nodes(_ list: [FlowNode]) -> JSONValue {
                .array(
                    list.map {
                        [
                            "name": .string($0.name), "type": .string($0.type),
                            "configuration": $0.configuration ?? .null,
                            "nodes": nodes($0.children),
                        ]
                    })
            }
            return nodes(definition.nodes)
        }
        let value: JSONValue = [
            "trust": role.trustPolicy?.json ?? .null,
            "inline": .object(role.inlinePolicies.map { JSONMember($0.name, $0.document.json) }),
            "inlineNames": role.inlinePolicyNames.map { .array($0.map { .string($0) }) } ?? .null,
            "attached": role.attachedPolicies.map { attached in
                .object(
                    attached.map {
                        JSONMember($0.arn, inventory.managedPolicy(arn: $0.arn)?.defaultVersion?.document.json ?? .null)
                    })
            } ?? .null,
            "boundary": role.permissionsBoundaryArn.map { arn in
                [arn: inventory.managedPolicy(arn: arn)?.defaultVersion?.document.json ?? .null]
            } ?? .null,
            "tags": role.tags.map { .object($0.map { JSONMember($0.key, .string($0.value)) }) } ?? .null,
            "flows": .array(
                flows.map { flow in
                    [
                        "arn": .string(flow.arn), "createdAt": .string(flow.createdAt.instant.description),
                        "executionRoleArn": .string(flow.executionRoleArn), "definition": definition(flow.definition),
                        "versions": .array(
                            flow.versions.map {
                                [
                                    "version": .string($0.version), "executionRoleArn": .string($0.executionRoleArn),
                                    "definition": definition($0.definition),
                                ]
                            }),
                    ]
                }),
        ]
        return ContentDigest.sha256(value.canonicalBytes)
    }
}
