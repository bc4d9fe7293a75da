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
        /// An ARN operator with a wildcard: each of the six components against its own glob.
        case arn([ByteGlob])
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
                // The first five colons separate the components, as `ConditionComparison.split` does.
                let parts = text.utf8.split(
                    separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
                form = .arn(parts.map(ByteGlob.init))
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
        case .arn(let components):
            guard
                let found = contextValue.utf8.withContiguousStorageIfAvailable({
                    Self.arnMatches(components, $0)
                })
            else { return nil }
            return ConditionComparison.Single(result: MatchResult(found))
        }
    }

    /// Each of the six components of `subject` (split at its first five colons, the last holding
    /// any further ones) matches its glob; fewer than six components never match.
    private static func arnMatches(_ components: [ByteGlob], _ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        for index in 0..<5 {
            var colon = start
            while colon < subject.count, subject[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < subject.count, components[index].matches(subject, from: start, to: colon) else {
                return false
            }
            start = colon + 1
        }
        return components[5].matches(subject, from: start, to: subject.count)
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
