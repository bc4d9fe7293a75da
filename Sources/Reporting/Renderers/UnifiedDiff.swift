/// A unified diff of two texts, line by line, with three lines of context (the `diff -u` format
/// reviewers know), built on the standard library's `CollectionDifference`.
public enum UnifiedDiff {
    private enum Kind { case same, minus, plus }

    /// One line of the edit script, with the 0-based positions it sits at on both sides.
    private struct Step {
        var kind: Kind
        var old: Int
        var new: Int
    }

    /// The diff, or "" when the texts are equal.
    public static func render(before: String, after: String, fromName: String, toName: String, context: Int = 3)
        -> String
    {
        let old = lines(before)
        let new = lines(after)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        // Lines equal at both ends are kept as they are; only the middle goes to the diff engine
        // (the classic speed-up: a trust change touches a few lines of a long document).
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
        // Group changes into hunks: a new hunk starts when the gap exceeds twice the context.
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
        // Split on the byte: the same lines as splitting the characters, as "\n" is never part of
        // a larger grapheme but "\r\n", which pretty JSON never writes.
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
