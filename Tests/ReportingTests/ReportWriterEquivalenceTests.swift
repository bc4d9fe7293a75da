import FlowRoleJSON
import Inventory
import Testing

@testable import Migration
@testable import Reporting

/// The unified diff as it was before it was made faster: `CollectionDifference` over the lines as
/// strings. The reference the fast one must equal, character for character.
enum ReferenceUnifiedDiff {
    private enum Kind { case same, minus, plus }

    private struct Step {
        var kind: Kind
        var old: Int
        var new: Int
    }

    static func render(before: String, after: String, fromName: String, toName: String, context: Int = 3)
        -> String
    {
        let old = lines(before)
        let new = lines(after)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        var head = 0
        while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] {
            tail += 1
        }
        let oldMiddle = old[head..<(old.count - tail)]
        let newMiddle = new[head..<(new.count - tail)]
        for change in newMiddle.difference(from: oldMiddle) {
            switch change {
            case .remove(let offset, _, _): removed.insert(head + offset)
            case .insert(let offset, _, _): inserted.insert(head + offset)
            }
        }
        var script: [Step] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count && removed.contains(i) {
                script.append(Step(kind: .minus, old: i, new: j))
                i += 1
            } else if j < new.count && inserted.contains(j) {
                script.append(Step(kind: .plus, old: i, new: j))
                j += 1
            } else {
                script.append(Step(kind: .same, old: i, new: j))
                i += 1
                j += 1
            }
        }
        let changed = script.indices.filter { script[$0].kind != .same }
        guard let first = changed.first else { return "" }
        var hunks: [(Int, Int)] = []
        var start = first
        var last = first
        for position in changed.dropFirst() {
            if position - last > context * 2 {
                hunks.append((start, last))
                start = position
            }
            last = position
        }
        hunks.append((start, last))
        var output = "--- \(fromName)\n+++ \(toName)\n"
        for (from, to) in hunks {
            let low = max(0, from - context)
            let high = min(script.count, to + 1 + context)
            let steps = script[low..<high]
            let oldCount = steps.filter { $0.kind != .plus }.count
            let newCount = steps.filter { $0.kind != .minus }.count
            let oldStart =
                oldCount == 0 ? steps.first.map { $0.old } ?? 0 : (steps.first { $0.kind != .plus }?.old ?? 0) + 1
            let newStart =
                newCount == 0 ? steps.first.map { $0.new } ?? 0 : (steps.first { $0.kind != .minus }?.new ?? 0) + 1
            output += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for step in steps {
                switch step.kind {
                case .same: output += " \(old[step.old])\n"
                case .minus: output += "-\(old[step.old])\n"
                case .plus: output += "+\(new[step.new])\n"
                }
            }
        }
        return output
    }

    private static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts: [String] = []
        var utf8 = Substring(text).utf8
        while let newline = utf8.firstIndex(of: UInt8(ascii: "\n")) {
            parts.append(String(Substring(utf8[utf8.startIndex..<newline])))
            utf8 = utf8[utf8.index(after: newline)...]
        }
        parts.append(String(Substring(utf8)))
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

/// `scriptSafe` and `escape` as they were.
enum ReferenceHTML {
    static func scriptSafe(_ json: String) -> String {
        var bytes: [UInt8] = []
        for byte in json.utf8 {
            if byte == UInt8(ascii: "<") { bytes += Array("\\u003c".utf8) } else { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// SplitMix64, so a failing case can be replayed by its seed: the planner's own generator.
typealias ReportRandom = SplitMix

/// Random plans whose roles take every branch of the role data, with strings that need escaping.
struct RandomPlans {
    var random: ReportRandom

    static let pieces = [
        "a", "Z", "0", " ", "/", "<", "</script>", "<!--", ">", "&", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "é",
        "e\u{301}", "\u{212A}", "\u{2028}", "😀", "arn:aws:lambda:us-east-1:111122223333:function:f", "*",
    ]

    mutating func text() -> String {
        (0..<Int.random(in: 0...5, using: &random)).map { _ in Self.pieces.randomElement(using: &random) ?? "" }
            .joined()
    }

    mutating func pick<T>(_ values: [T]) -> T {
        values[Int.random(in: 0..<values.count, using: &random)]
    }

    mutating func statement() -> JSONValue {
        let statements: [JSONValue] = [
            ["Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:*"],
            ["Sid": "FlowsInvokeLambda", "Effect": "Allow", "Action": ["lex:RecognizeUtterance"], "Resource": "*"],
            ["Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]],
            [
                "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                "Condition": ["ArnLike": ["AWS:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:flow/*"]],
            ],
            [
                "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                "Condition": [
                    "ArnLike": [
                        "AWS:SourceArn": [
                            "arn:aws:bedrock:us-east-1:111122223333:flow/F1",
                            "arn:aws:bedrock:us-east-1:111122223333:flow/F1/*",
                        ]
                    ]
                ],
            ],
        ]
        if Int.random(in: 0..<4, using: &random) == 0 { return ["Effect": "Allow", "Sid": .string(text())] }
        return pick(statements)
    }

    mutating func document() -> JSONValue {
        let statements = (0..<Int.random(in: 0...4, using: &random)).map { _ in statement() }
        if statements.count == 1 && Bool.random(using: &random) {
            return ["Version": "2012-10-17", "Statement": statements[0]]
        }
        return ["Version": "2012-10-17", "Statement": .array(statements)]
    }

    mutating func requirement(role: String) -> Requirement {
        Requirement(
            action: pick(["lambda:InvokeFunction", "bedrock:RenderPrompt", text()]),
            resource: pick(["arn:aws:lambda:us-east-1:111122223333:function:f", "arn:aws:s3:::b", text()]),
            flow: pick(["arn:aws:bedrock:us-east-1:111122223333:flow/F1", "", text()]),
            version: pick(["DRAFT", "2", ""]), node: pick(["Invoke", "Loop/Inner", text()]), roleArn: role,
            sid: "FlowsInvokeLambda",
            condition: Bool.random(using: &random)
                ? nil : ["StringEquals": ["aws:ResourceAccount": .string(text())]])
    }

    mutating func role(_ index: Int) -> RolePlan {
        let arn = "arn:aws:iam::111122223333:role/R\(index)" + text()
        let requirements = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            PlannedRequirement(
                requirement: requirement(role: arn), state: pick([.add, .granted, .blocked, .blocked]))
        }
        let notMigrated = (0..<Int.random(in: 0...2, using: &random)).map { _ in requirement(role: arn) }
        let subjects = [arn] + requirements.map(\.requirement.resource) + notMigrated.map(\.resource) + [text()]
        let findings = (0..<Int.random(in: 0...5, using: &random)).map { _ in
            Finding(
                severity: pick([.blocker, .warning, .info]),
                code: pick([
                    "EXPLICIT_DENY", "NEW_FLOW_MISSING_GRANT", "TRUST_UNCONDITIONED", "SERVICE_LINKED_ROLE",
                    "QUOTA_EXCEEDED", "PERMISSIONS_BOUNDARY", text(),
                ]), message: text(), subject: pick(subjects), suppressed: Bool.random(using: &random))
        }
        let changes = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            let kind: Change.Kind = pick([.putRolePolicy, .updateAssumeRolePolicy])
            return Change(
                kind: kind, policyName: kind == .putRolePolicy ? pick(["flowrole-policy", text()]) : nil,
                before: Int.random(in: 0..<3, using: &random) == 0 ? nil : document(), after: document())
        }
        let flows = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            RoleFlow(
                arn: pick(["arn:aws:bedrock:us-east-1:111122223333:flow/F1", text()]),
                createdAt: Instant(
                    seconds: Int64.random(in: 1_600_000_000...1_800_000_000, using: &random),
                    nanoseconds: pick([0, 500_000_000])),
                legacy: Bool.random(using: &random),
                versions: (0..<Int.random(in: 0...3, using: &random)).map { _ in text() })
        }
        return RolePlan(
            arn: arn, name: "R\(index)" + text(), account: pick(["111122223333", "444455556666", text()]),
            source: Bool.random(using: &random)
                ? nil
                : Provenance(
                    path: "iam" + text() + ".json", pointer: pick(["", "/RoleDetailList/\(index)"]),
                    line: Bool.random(using: &random) ? nil : index),
            basis: String(repeating: "ab", count: 32), status: pick([.change, .unchanged, .blocked]),
            selected: Int.random(in: 0..<5, using: &random) > 0, flows: flows, requirements: requirements,
            changes: changes, findings: findings, notMigrated: notMigrated)
    }

    mutating func plan(roles count: Int) -> Plan {
        var plan = SamplePlans.plan((0..<count).map { role($0) })
        plan.settings.includeNewFlows = Bool.random(using: &random)
        plan.settings.skipTrust = Int.random(in: 0..<4, using: &random) == 0
        return plan
    }
}

@Suite("report writers equal the reference writers")
struct ReportWriterEquivalenceTests {
    @Test func diffsAreRenderedAsBefore() {
        let alphabet = [
            "{", "}", "  \"Effect\": \"Allow\",", "  \"Action\": \"s3:*\"", "é", "e\u{301}", "K", "\u{212A}", "", " ",
            "x", "y", "😀", "\r", "a\u{2028}b",
        ]
        for seed in UInt64(0)..<3000 {
            var random = ReportRandom(seed: seed)
            func lines(_ count: Int) -> [String] {
                (0..<count).map { _ in alphabet.randomElement(using: &random) ?? "" }
            }
            let old = lines(Int.random(in: 0...40, using: &random))
            var new = old
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let position = Int.random(in: 0...new.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: new.insert(contentsOf: lines(Int.random(in: 1...3, using: &random)), at: position)
                case 1 where position < new.count: new.remove(at: position)
                default: if position < new.count { new[position] = alphabet.randomElement(using: &random) ?? "" }
                }
            }
            if Int.random(in: 0..<5, using: &random) == 0 { new = lines(Int.random(in: 0...20, using: &random)) }
            func text(_ lines: [String]) -> String {
                let body = lines.joined(separator: "\n")
                return Int.random(in: 0..<4, using: &random) == 0 ? body : body.isEmpty ? body : body + "\n"
            }
            let before = text(old)
            let after = text(new)
            let context = Int.random(in: 0...4, using: &random)
            let fast = UnifiedDiff.render(
                before: before, after: after, fromName: "before", toName: "after", context: context)
            let reference = ReferenceUnifiedDiff.render(
                before: before, after: after, fromName: "before", toName: "after", context: context)
            #expect(Array(fast.utf8) == Array(reference.utf8), "seed \(seed)")
        }
    }

    @Test func changeDiffsAreRenderedAsBefore() {
        var plans = RandomPlans(random: ReportRandom(seed: 42))
        for _ in 0..<300 {
            for change in plans.role(0).changes {
                let reference = ReferenceUnifiedDiff.render(
                    before: change.before?.prettyText ?? "", after: change.after.prettyText,
                    fromName: change.before == nil ? "/dev/null" : "before", toName: "after")
                #expect(Array(RoleFacts.diff(change).utf8) == Array(reference.utf8))
            }
        }
    }

    @Test func theRoleDataIsTheCanonicalTextOfTheDataValue() {
        for seed in UInt64(0)..<40 {
            var plans = RandomPlans(random: ReportRandom(seed: seed))
            let plan = plans.plan(roles: [0, 1, 2, 63, 64, 65, 130][Int(seed % 7)] + Int(seed / 7))
            let collector = PieceCollector()
            let count = HTMLReport.pagePieces(plan, into: collector) { Array("<head>".utf8) }
            #expect(collector.pieces.count == count)
            let written = HTMLReport.joined(collector.pieces)
            let expected = "<head>" + ReferenceHTML.scriptSafe(HTMLReport.data(plan).canonicalText)
            // Compared first, so that a failure names the seed instead of printing every byte.
            let same = Array(written.utf8) == Array(expected.utf8)
            #expect(same, "seed \(seed)")
        }
    }

    @Test func theSamplePlansAreWrittenAsBefore() throws {
        let plans = [
            SamplePlans.plan([]), SamplePlans.plan([SamplePlans.role(1)]),
            SamplePlans.plan((0..<150).map { SamplePlans.role($0, status: $0 % 3 == 0 ? .blocked : .change) }),
            SamplePlans.plan([ReviewReportTests.partlyBlocked(), ReviewReportTests.partlyBlocked(suppressed: true)]),
        ]
        for plan in plans {
            let page = HTMLReport.render(plan)
            let data = ReferenceHTML.scriptSafe(HTMLReport.data(plan).canonicalText)
            let element = "<script type=\"application/json\" id=\"plan-data\">" + data + "</script>"
            #expect(Array(page.utf8).firstRange(of: Array(element.utf8)) != nil)
        }
    }

    @Test func escapingIsAsBefore() {
        var plans = RandomPlans(random: ReportRandom(seed: 9))
        for _ in 0..<2000 {
            let text = plans.text() + plans.text()
            #expect(Array(HTMLReport.escape(text).utf8) == Array(ReferenceHTML.escape(text).utf8))
            #expect(Array(HTMLReport.scriptSafe(text).utf8) == Array(ReferenceHTML.scriptSafe(text).utf8))
            #expect(HTMLReport.scriptSafe(Array(text.utf8)) == Array(ReferenceHTML.scriptSafe(text).utf8))
        }
    }
}
