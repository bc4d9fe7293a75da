import Foundation

/// A unified diff of two texts, line by line, with three lines of context (the `diff -u` format
/// reviewers know), built on the standard library's `CollectionDifference`.
///
/// Lines compare as Swift strings do (canonical equivalence). The engine diffs small integers
/// standing for the lines (equal lines, equal numbers): it only ever asks whether two elements
/// are equal, so it picks the same edits as on the lines, whatever the toolchain's algorithm.
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
        render(
            before: Array(before.utf8), after: Array(after.utf8), fromName: fromName, toName: toName, context: context)
    }

    /// The diff of two UTF-8 texts, or "" when they are equal.
    static func render(before: [UInt8], after: [UInt8], fromName: String, toName: String, context: Int = 3) -> String {
        // A new document (half the changes of a plan) is all added: one hunk, no edit script.
        if before.isEmpty && context > 0 { return allAdded(after, fromName: fromName, toName: toName) }
        return edited(before: before, after: after, fromName: fromName, toName: toName, context: context)
    }

    /// `render` of an empty text before, with some context: every line of `after` added, in the
    /// single hunk `@@ -0,0 +1,COUNT @@` (changes one line apart never split with context), or ""
    /// when `after` is empty too. ``edited(before:after:fromName:toName:context:)`` is the
    /// reference in the tests.
    static func allAdded(_ after: [UInt8], fromName: String, toName: String) -> String {
        after.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return "" }
            let end = buffer.count
            // Lines as ``Lines`` splits them: no last empty line for a text ending in "\n".
            var count = base[end - 1] == UInt8(ascii: "\n") ? 0 : 1
            var start = 0
            while true {
                let newline = Lines.nextNewline(base, from: start, end: end)
                if newline == end { break }
                count += 1
                start = newline + 1
            }
            var output: [UInt8] = []
            output.reserveCapacity(end + count + 64)
            output.append(contentsOf: "--- ".utf8)
            output.append(contentsOf: fromName.utf8)
            output.append(contentsOf: "\n+++ ".utf8)
            output.append(contentsOf: toName.utf8)
            output.append(contentsOf: "\n@@ -0,0 +1,".utf8)
            output.append(contentsOf: String(count).utf8)
            output.append(contentsOf: " @@\n".utf8)
            start = 0
            while start < end {
                let newline = Lines.nextNewline(base, from: start, end: end)
                output.append(UInt8(ascii: "+"))
                output.append(contentsOf: UnsafeBufferPointer(start: base + start, count: newline - start))
                output.append(UInt8(ascii: "\n"))
                start = newline + 1
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The general diff of two UTF-8 texts, or "" when they are equal.
    static func edited(before: [UInt8], after: [UInt8], fromName: String, toName: String, context: Int = 3)
        -> String
    {
        let old = Lines(before)
        let new = Lines(after)
        // Lines equal at both ends are kept as they are; only the middle goes to the diff engine
        // (the classic speed-up: a trust change touches a few lines of a long document).
        var head = 0
        while head < old.count, head < new.count, Lines.equal(old, head, new, head) { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head,
            Lines.equal(old, old.count - 1 - tail, new, new.count - 1 - tail)
        {
            tail += 1
        }
        var removed = [Bool](repeating: false, count: old.count)
        var inserted = [Bool](repeating: false, count: new.count)
        let oldEnd = old.count - tail
        let newEnd = new.count - tail
        if head == oldEnd || head == newEnd
            || ((oldEnd - head) * (newEnd - head) <= 64
                && !Lines.anyEqual(old, head..<oldEnd, new, head..<newEnd))
        {
            // One side is empty, or no line of one is in the other (a rewritten trust condition,
            // mostly; a few lines compared pairwise, without numbering them in a dictionary): the
            // longest common subsequence is empty, so removing all of one and inserting all of the
            // other is the only edit script there is — the engine's answer, without running it.
            for index in head..<oldEnd { removed[index] = true }
            for index in head..<newEnd { inserted[index] = true }
        } else {
            // Equal lines get equal numbers (a dictionary of strings: equal as Swift strings are).
            var numbers: [String: Int] = [:]
            numbers.reserveCapacity(oldEnd - head + newEnd - head)
            func number(_ lines: Lines, _ index: Int) -> Int {
                let text = lines.string(index)
                if let known = numbers[text] { return known }
                let fresh = numbers.count
                numbers[text] = fresh
                return fresh
            }
            let oldMiddle = (head..<oldEnd).map { number(old, $0) }
            let oldDistinct = numbers.count
            let newMiddle = (head..<newEnd).map { number(new, $0) }
            if newMiddle.allSatisfy({ $0 >= oldDistinct }) {
                // No line of the new middle is in the old one: the longest common subsequence is
                // empty, so every edit script removes all of one and inserts all of the other —
                // the engine's answer, without running it (a rewritten trust condition, mostly).
                for index in head..<oldEnd { removed[index] = true }
                for index in head..<newEnd { inserted[index] = true }
            } else {
                for change in newMiddle.difference(from: oldMiddle) {
                    switch change {
                    case .remove(let offset, _, _): removed[head + offset] = true
                    case .insert(let offset, _, _): inserted[head + offset] = true
                    }
                }
            }
        }
        var script: [Step] = []
        script.reserveCapacity(old.count + new.count)
        var changed: [Int] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count && removed[i] {
                changed.append(script.count)
                script.append(Step(kind: .minus, old: i, new: j))
                i += 1
            } else if j < new.count && inserted[j] {
                changed.append(script.count)
                script.append(Step(kind: .plus, old: i, new: j))
                j += 1
            } else {
                script.append(Step(kind: .same, old: i, new: j))
                i += 1
                j += 1
            }
        }
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
        var output: [UInt8] = []
        output.reserveCapacity(before.count + after.count + 64)
        output.append(contentsOf: "--- \(fromName)\n+++ \(toName)\n".utf8)
        for (from, to) in hunks {
            let low = max(0, from - context)
            let high = min(script.count, to + 1 + context)
            let steps = script[low..<high]
            var oldCount = 0
            var newCount = 0
            var oldFirst: Int?
            var newFirst: Int?
            for step in steps {
                if step.kind != .plus {
                    oldCount += 1
                    if oldFirst == nil { oldFirst = step.old }
                }
                if step.kind != .minus {
                    newCount += 1
                    if newFirst == nil { newFirst = step.new }
                }
            }
            let oldStart = oldCount == 0 ? steps.first.map { $0.old } ?? 0 : (oldFirst ?? 0) + 1
            let newStart = newCount == 0 ? steps.first.map { $0.new } ?? 0 : (newFirst ?? 0) + 1
            output.append(contentsOf: "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n".utf8)
            for step in steps {
                switch step.kind {
                case .same:
                    output.append(UInt8(ascii: " "))
                    old.append(step.old, to: &output)
                case .minus:
                    output.append(UInt8(ascii: "-"))
                    old.append(step.old, to: &output)
                case .plus:
                    output.append(UInt8(ascii: "+"))
                    new.append(step.new, to: &output)
                }
                output.append(UInt8(ascii: "\n"))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The lines of a UTF-8 text: split on the byte "\n" (the same lines as splitting the
    /// characters, as "\n" is never part of a larger grapheme but "\r\n", which pretty JSON never
    /// writes); no last empty line for a text ending in "\n"; no line at all for "".
    private struct Lines {
        let bytes: [UInt8]
        /// Where each line starts and ends in `bytes`.
        let starts: [Int]
        let ends: [Int]
        /// The text is all ASCII: lines equal as strings exactly when their bytes are equal.
        let ascii: Bool

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts: [Int] = []
            var ends: [Int] = []
            var ascii = true
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var any: UInt8 = 0
                for byte in buffer { any |= byte }
                ascii = any < 0x80
                // Room for lines of 16 bytes on average (pretty JSON's are longer): seldom regrown.
                starts.reserveCapacity(buffer.count / 16 + 2)
                ends.reserveCapacity(buffer.count / 16 + 2)
                var start = 0
                while true {
                    let newline = Self.nextNewline(base, from: start, end: buffer.count)
                    if newline == buffer.count { break }
                    starts.append(start)
                    ends.append(newline)
                    start = newline + 1
                }
                if start < buffer.count {
                    starts.append(start)
                    ends.append(buffer.count)
                }
            }
            self.starts = starts
            self.ends = ends
            self.ascii = ascii
        }

        /// The position of the next "\n" from `start`, or `end`; eight bytes at a time.
        static func nextNewline(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
            let ones: UInt64 = 0x0101_0101_0101_0101
            var index = start
            while index + 8 <= end {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
                if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
                index += 8
            }
            while index < end {
                if base[index] == UInt8(ascii: "\n") { return index }
                index += 1
            }
            return end
        }

        var count: Int { starts.count }

        func string(_ index: Int) -> String {
            String(decoding: bytes[starts[index]..<ends[index]], as: UTF8.self)
        }

        func append(_ index: Int, to output: inout [UInt8]) {
            output.append(contentsOf: bytes[starts[index]..<ends[index]])
        }

        /// Whether some line of `lhs` in `left` equals some line of `rhs` in `right` (`equal`).
        static func anyEqual(_ lhs: Lines, _ left: Range<Int>, _ rhs: Lines, _ right: Range<Int>) -> Bool {
            for i in left {
                for j in right where equal(lhs, i, rhs, j) { return true }
            }
            return false
        }

        /// Whether line `i` of `lhs` equals line `j` of `rhs` as Swift strings: equal bytes are,
        /// different ASCII bytes are not, anything else is decided by `String ==`.
        static func equal(_ lhs: Lines, _ i: Int, _ rhs: Lines, _ j: Int) -> Bool {
            let count = lhs.ends[i] - lhs.starts[i]
            if count == rhs.ends[j] - rhs.starts[j] {
                // memcmp, not byte by byte through slices.
                let same = lhs.bytes.withUnsafeBytes { left in
                    rhs.bytes.withUnsafeBytes { right in
                        guard let left = left.baseAddress, let right = right.baseAddress else { return count == 0 }
                        return memcmp(left + lhs.starts[i], right + rhs.starts[j], count) == 0
                    }
                }
                if same { return true }
            }
            if lhs.ascii && rhs.ascii { return false }
            return lhs.string(i) == rhs.string(j)
        }
    }
}
