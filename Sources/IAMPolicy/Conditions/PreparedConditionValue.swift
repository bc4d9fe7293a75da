/// One value of a condition clause, read once for its operator when the clause is made, so that
/// evaluating it against a request neither splits nor re-reads it: a byte comparison, a glob on
/// the bytes of the context value, or for ARN operators six component globs. Values the fast
/// path does not cover (policy variables to fill, `…IgnoreCase`, numbers, dates, `Bool`, …)
/// answer nil and take the general path, `ConditionComparison.positive`, whose answers the fast
/// one gives exactly (`ConditionFastPathTests`).
struct PreparedConditionValue: Sendable, Hashable {
    enum Form: Sendable, Hashable {
        /// The context value must be this text, byte for byte.
        case exact
        /// `StringLike`/`StringNotLike` with a wildcard: the whole context value against the glob.
        case glob(ByteGlob)
        /// An ARN operator with a wildcard: each of the six components against its part of the
        /// glob of the whole text.
        case arn(ArnGlob)
        /// An ARN operator with fewer than six components: the value cannot be read.
        case unreadableArn
        /// The general path.
        case general
    }

    /// The value as IAM compares it (``ConditionValue/text``).
    var text: String
    /// Whether the text holds a `$`: when policy variables are filled, the general path
    /// decides (``form`` reads `${…}` as literal text).
    var hasDollar: Bool
    /// The value read as if policy variables were off.
    var form: Form

    init(_ text: String, base: ConditionOperator.Base?) {
        self.text = text
        var hasDollar = false
        var hasWildcard = false
        var colons = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "$"): hasDollar = true
            case UInt8(ascii: "*"), UInt8(ascii: "?"): hasWildcard = true
            case UInt8(ascii: ":"): colons += 1
            default: break
            }
        }
        self.hasDollar = hasDollar
        switch base {
        case .stringEquals?, .stringNotEquals?:
            form = .exact
        case .stringLike?, .stringNotLike?:
            form = hasWildcard ? .glob(ByteGlob(text.utf8)) : .exact
        case .arnEquals?, .arnLike?, .arnNotEquals?, .arnNotLike?:
            if colons < 5 {
                form = .unreadableArn
            } else if hasWildcard {
                form = .arn(ArnGlob(text))
            } else {
                form = .exact
            }
        default:
            form = .general
        }
    }

    /// The positive form of the operator for `contextValue`, or nil for the general path.
    func positive(_ contextValue: String, allowVariables: Bool) -> ConditionComparison.Single? {
        if allowVariables, hasDollar { return nil }
        switch form {
        case .general:
            return nil
        case .exact:
            return ConditionComparison.Single(result: MatchResult(Self.bytesEqual(contextValue, text)))
        case .unreadableArn:
            return ConditionComparison.Single(result: .unknown, failure: .unreadable, policyValue: text)
        case .glob(let glob):
            guard
                let found = contextValue.utf8.withContiguousStorageIfAvailable({
                    glob.matches($0, from: 0, to: $0.count)
                })
            else { return nil }
            return ConditionComparison.Single(result: MatchResult(found))
        case .arn(let pattern):
            guard
                let found = contextValue.utf8.withContiguousStorageIfAvailable({
                    pattern.matches($0)
                })
            else { return nil }
            return ConditionComparison.Single(result: MatchResult(found))
        }
    }

    /// Byte equality of the UTF-8 texts, compared from the end (ARNs mostly differ there).
    static func bytesEqual(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                var index = leftBytes.count
                while index > 0 {
                    index -= 1
                    if leftBytes[index] != rightBytes[index] { return false }
                }
                return true
            }
        }
        return (compared ?? nil) ?? left.utf8.elementsEqual(right.utf8)
    }
}

/// An ARN pattern with a wildcard, for the ARN operators: one glob of the whole text, whose
/// first five colons separate six components (as `ConditionComparison.split` reads it), each
/// matched on its own against the same component of the subject. One glob rather than six keeps
/// preparing a clause to one allocation.
struct ArnGlob: Sendable, Hashable {
    /// The glob of the whole text; its colons are literal tokens.
    let glob: ByteGlob
    /// The token positions of the first five colons.
    let colon0: Int
    let colon1: Int
    let colon2: Int
    let colon3: Int
    let colon4: Int

    /// `text` must hold at least five colons (`:` is one byte, so token and byte positions agree).
    init(_ text: String) {
        glob = ByteGlob(text.utf8)
        var colons: [Int] = []
        colons.reserveCapacity(5)
        for (position, byte) in text.utf8.enumerated() where byte == UInt8(ascii: ":") {
            colons.append(position)
            if colons.count == 5 { break }
        }
        precondition(colons.count == 5, "an ARN pattern has five colons")
        (colon0, colon1, colon2, colon3, colon4) = (colons[0], colons[1], colons[2], colons[3], colons[4])
    }

    /// The tokens of component `index` (0–5).
    private func component(_ index: Int) -> Range<Int> {
        switch index {
        case 0: 0..<colon0
        case 1: (colon0 + 1)..<colon1
        case 2: (colon1 + 1)..<colon2
        case 3: (colon2 + 1)..<colon3
        case 4: (colon3 + 1)..<colon4
        default: (colon4 + 1)..<glob.tokens.count
        }
    }

    /// Each of the six components of `subject` (split at its first five colons, the last holding
    /// any further ones) matches its part of the pattern; fewer than six components never match.
    func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        for index in 0..<5 {
            var colon = start
            while colon < subject.count, subject[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < subject.count, glob.matches(subject, from: start, to: colon, tokens: component(index))
            else { return false }
            start = colon + 1
        }
        return glob.matches(subject, from: start, to: subject.count, tokens: component(5))
    }
}
