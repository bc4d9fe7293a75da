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
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
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
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
