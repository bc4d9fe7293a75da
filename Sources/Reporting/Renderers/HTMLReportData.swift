import Dispatch
import FlowRoleJSON
import Inventory
import Migration

/// The role data of `report.html` written straight as bytes, on every core: exactly
/// `scriptSafe(data(plan).canonicalText)`, without building a JSON value per role.
///
/// ``HTMLReport/data(_:)`` is the readable definition of the data; this writer must say the same,
/// byte for byte (a test compares them): each object's members in canonical order, keys sorted by
/// their UTF-8 bytes, strings escaped by `JSONValue.writeString`, then `<` written `\u003c`.
extension HTMLReport {
    /// Roles per piece of work.
    private static let rolesPerChunk = 64

    /// `head()` followed by the script-safe canonical JSON of `data(plan)`, put into `sink` as
    /// pieces 0 ..< the returned count. The head is one piece of work among the others, so it is
    /// written while the roles are.
    static func pagePieces(_ plan: Plan, into sink: some PieceSink, head: @Sendable () -> [UInt8]) -> Int {
        let roles = plan.roles
        let settings = plan.settings
        let chunkCount = (roles.count + rolesPerChunk - 1) / rolesPerChunk
        DispatchQueue.concurrentPerform(iterations: chunkCount + 1) { work in
            guard work > 0 else {
                var writer = RoleDataWriter(bytes: head())
                writer.raw("{\"includeNewFlows\":")
                writer.bool(settings.includeNewFlows)
                writer.raw(",\"pageSize\":")
                writer.number(pageSize)
                writer.raw(",\"roles\":[")
                sink.put(writer.bytes, at: 0)
                return
            }
            let chunk = work - 1
            var writer = RoleDataWriter()
            // Room for a chunk of typical roles (about 9 KB each), so that it is seldom moved.
            writer.bytes.reserveCapacity(rolesPerChunk * 16_384)
            let range = (chunk * rolesPerChunk)..<min(roles.count, (chunk + 1) * rolesPerChunk)
            // Each role read in place rather than copied out of the array.
            roles.withUnsafeBufferPointer { roles in
                for index in range {
                    if index > 0 { writer.raw(",") }
                    writer.role(roles[index], settings: settings)
                }
            }
            sink.put(scriptSafe(writer.bytes), at: work)
        }
        sink.put(Array("]}".utf8), at: chunkCount + 1)
        return chunkCount + 2
    }

    /// The text of UTF-8 pieces, each copied once into the string (on every core).
    static func joined(_ pieces: [[UInt8]]) -> String {
        var starts: [Int] = []
        var total = 0
        for piece in pieces {
            starts.append(total)
            total += piece.count
        }
        let offsets = starts
        return String(unsafeUninitializedCapacity: total) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let target = CopyTarget(base: base)
            DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
                pieces[index].withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress else { return }
                    (target.base + offsets[index]).initialize(from: from, count: source.count)
                }
            }
            return total
        }
    }

    /// `bytes` with every `<` written `\u003c`; `bytes` itself when it has none.
    static func scriptSafe(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return bytes }
            var start = 0
            var stop = nextLessThanSign(base, from: 0, end: source.count)
            if stop == source.count { return bytes }
            var safe: [UInt8] = []
            safe.reserveCapacity(source.count + source.count / 16 + 16)
            while true {
                safe.append(contentsOf: UnsafeBufferPointer(start: base + start, count: stop - start))
                if stop == source.count { break }
                safe.append(contentsOf: "\\u003c".utf8)
                start = stop + 1
                stop = nextLessThanSign(base, from: start, end: source.count)
            }
            return safe
        }
    }

    /// The position of the next `<` from `start`, or `end`; eight bytes at a time.
    private static func nextLessThanSign(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var index = start
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ (ones &* 0x3C)
            if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
            index += 8
        }
        while index < end {
            if base[index] == UInt8(ascii: "<") { return index }
            index += 1
        }
        return end
    }
}

/// The string storage the pieces are copied to, each to its own range.
private struct CopyTarget: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
}

/// Appends the members of the role data, in canonical order.
private struct RoleDataWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func string(_ text: String) { JSONValue.writeString(text, into: &bytes) }

    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func bool(_ flag: Bool) { flag ? raw("true") : raw("false") }

    mutating func strings(_ texts: [String]) {
        array(texts) { $0.string($1) }
    }

    /// The elements are read in place, not copied out of the array one by one.
    mutating func array<Element>(_ elements: [Element], _ write: (inout RoleDataWriter, Element) -> Void) {
        raw("[")
        elements.withUnsafeBufferPointer { elements in
            for index in elements.indices {
                if index > 0 { raw(",") }
                write(&self, elements[index])
            }
        }
        raw("]")
    }

    /// One role: the members of `HTMLReport.data`, sorted.
    mutating func role(_ role: RolePlan, settings: Plan.Settings) {
        let notAdded = RoleFacts.notAdded(role)
        raw("{\"account\":")
        string(role.account)
        raw(",\"arn\":")
        string(role.arn)
        raw(",\"basis\":")
        string(role.basis)
        raw(",\"blockedGrants\":")
        number(RoleFacts.blockedGrants(role))
        raw(",\"changes\":")
        array(role.changes) { $0.change($1) }
        if !notAdded.isEmpty {
            raw(",\"consequences\":")
            strings(RoleFacts.consequences(of: notAdded))
        }
        raw(",\"counts\":{\"blocker\":")
        number(RoleFacts.count(role, .blocker))
        raw(",\"info\":")
        number(RoleFacts.count(role, .info))
        raw(",\"warning\":")
        number(RoleFacts.count(role, .warning))
        raw("},\"findings\":")
        array(role.findings) { writer, finding in
            writer.raw("{\"code\":")
            writer.string(finding.code)
            writer.raw(",\"message\":")
            writer.string(finding.message)
            writer.raw(",\"severity\":")
            writer.string(finding.severity.rawValue)
            writer.raw(",\"subject\":")
            writer.string(finding.subject)
            writer.raw(",\"suppressed\":")
            writer.bool(finding.suppressed)
            writer.raw("}")
        }
        raw(",\"flows\":")
        array(role.flows) { writer, flow in
            writer.raw("{\"arn\":")
            writer.string(flow.arn)
            writer.raw(",\"createdAt\":")
            writer.string(flow.createdAt.description)
            writer.raw(",\"legacy\":")
            writer.bool(flow.legacy)
            writer.raw(",\"versions\":")
            writer.strings(flow.versions)
            writer.raw("}")
        }
        raw(",\"grants\":")
        number(RoleFacts.grantsToAdd(role))
        raw(",\"name\":")
        string(role.name)
        if !notAdded.isEmpty {
            raw(",\"notAdded\":")
            array(notAdded) { writer, need in
                writer.raw("{\"accepted\":")
                writer.bool(need.accepted)
                writer.raw(",\"action\":")
                writer.string(need.action)
                writer.raw(",\"codes\":")
                writer.strings(need.codes)
                writer.raw(",\"flow\":")
                writer.string(need.flow)
                writer.raw(",\"node\":")
                writer.string(need.node)
                writer.raw(",\"reason\":")
                writer.string(need.reason.rawValue)
                writer.raw(",\"resource\":")
                writer.string(need.resource)
                writer.raw(",\"version\":")
                writer.string(need.version)
                writer.raw("}")
            }
        }
        raw(",\"requirements\":")
        // The fields read through `planned.requirement` each time: a local copy of the
        // requirement retained all eight of its fields.
        array(role.requirements) { writer, planned in
            writer.raw("{\"action\":")
            writer.string(planned.requirement.action)
            if let condition = planned.requirement.condition {
                writer.raw(",\"condition\":")
                writer.string(condition.canonicalText)
            }
            writer.raw(",\"flow\":")
            writer.string(planned.requirement.flow)
            writer.raw(",\"node\":")
            writer.string(planned.requirement.node)
            writer.raw(",\"resource\":")
            writer.string(planned.requirement.resource)
            writer.raw(",\"state\":")
            writer.string(planned.state.rawValue)
            writer.raw(",\"version\":")
            writer.string(planned.requirement.version)
            writer.raw("}")
        }
        raw(",\"selected\":")
        bool(role.selected)
        raw(",\"severity\":")
        string(RoleFacts.severity(role)?.rawValue ?? "none")
        if let source = role.source {
            raw(",\"source\":")
            string(source.description)
        }
        raw(",\"status\":")
        string(role.status.rawValue)
        if let reason = RoleFacts.trustReason(role, settings: settings) {
            raw(",\"trustReason\":{\"codes\":")
            strings(reason.codes)
            raw(",\"text\":")
            string(reason.text)
            raw("}")
        }
        raw("}")
    }

    /// One change: `added` (a changed inline policy), `diff`, `document` and `pinned` (a trust
    /// change), `new` (an inline policy), `title`, `type`.
    mutating func change(_ change: Change) {
        let after = change.after.prettyBytes
        raw("{")
        switch change.kind {
        case .putRolePolicy:
            if change.before != nil {
                raw("\"added\":")
                strings(RoleFacts.addedStatements(change))
                raw(",")
            }
            raw("\"diff\":")
            string(RoleFacts.diff(change, after: after))
            raw(",\"new\":")
            bool(change.before == nil)
        case .updateAssumeRolePolicy:
            raw("\"diff\":")
            string(RoleFacts.diff(change, after: after))
            raw(",\"document\":")
            string(String(decoding: after, as: UTF8.self))
            raw(",\"pinned\":")
            strings(change.pinnedFlows)
        }
        raw(",\"title\":")
        string(RoleFacts.title(change))
        raw(",\"type\":")
        string(change.kind.rawValue)
        raw("}")
    }
}
