import Testing

@testable import IAMPolicy

/// Literal and `prefix*` patterns are matched byte by byte (a speed-up for `plan` on large
/// exports); the answers must be exactly those of the general matcher over pattern pieces.
@Suite("byte-wise fast paths agree with the general matcher")
struct FastPathTests {
    /// Texts from a small alphabet with the characters that matter: case, `:`, `/`, `*`, `?`, `$`,
    /// and one non-ASCII letter (which sends matching back to the general path).
    static func texts(seed: UInt64, count: Int) -> [String] {
        let alphabet: [Character] = ["a", "B", "b", ":", "/", "*", "?", "$", "{", "}", "é", "1"]
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<count).map { _ in
            String((0..<Int(next() % 6)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
        }
    }

    @Test func actionPatterns() {
        let patterns = Self.texts(seed: 1, count: 300) + ["*", "s3:Get*", "S3:GETOBJECT", "lambda:Invoke*"]
        let actions = Self.texts(seed: 2, count: 120) + ["s3:GetObject", "lambda:InvokeFunction", ""]
        for text in patterns {
            let pattern = ActionPattern(text)
            for action in actions {
                var expected = PatternText.matches(pattern.pieces, action.lowercased()) ? MatchResult.match : .noMatch
                if expected == .match, pattern.hasQuestionMark { expected = .unknown }
                #expect(pattern.match(action) == expected, "\(text) vs \(action)")
            }
        }
    }

    @Test func resourcePatterns() {
        let patterns = Self.texts(seed: 3, count: 300) + ["*", "arn:aws:s3:::b/*", "arn:aws:lambda:r:1:function:f"]
        let resources = Self.texts(seed: 4, count: 120) + ["arn:aws:s3:::b/key", "arn:aws:s3:::b/*", ""]
        for text in patterns {
            for substitutes in [true, false] {
                let pattern = ResourcePattern(text, substitutesVariables: substitutes)
                for resource in resources {
                    #expect(
                        pattern.match(resource) == PatternText.match(pattern.pieces, resource, values: .unknown),
                        "\(text) vs \(resource)")
                }
            }
        }
    }

    /// `StringEquals`/`StringLike` and the ARN operators with literal values: the text compared
    /// whole (string operators), or component by component with at least six components (ARN
    /// operators), exactly as matching the pieces does.
    @Test func literalConditionValues() {
        let values =
            Self.texts(seed: 5, count: 150) + [
                "arn:aws:bedrock:us-east-1:111122223333:flow/ABC", "arn:aws:bedrock:us-east-1:111122223333:flow/ABC:x",
                "a:b:c:d:e", "111122223333",
            ]
        for policyValue in values {
            for contextValue in values.prefix(60) + [policyValue] {
                for base in [ConditionOperator.Base.stringEquals, .stringLike] {
                    let pieces = PatternText.pieces(policyValue, wildcards: base == .stringLike, variables: true)
                    let expected: MatchResult =
                        PatternText.hasVariables(pieces)
                        ? ConditionComparison.positive(
                            base, contextValue: contextValue, policyValue: policyValue, variables: .unknown,
                            allowVariables: true
                        ).result
                        : MatchResult(PatternText.matches(pieces, contextValue))
                    let got = ConditionComparison.positive(
                        base, contextValue: contextValue, policyValue: policyValue, variables: .unknown,
                        allowVariables: true)
                    #expect(got.result == expected, "\(base) \(policyValue) vs \(contextValue)")
                }
                let literal = !policyValue.contains { "*?$".contains($0) }
                guard literal else { continue }
                let policyParts = policyValue.unicodeScalars.split(
                    separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                let contextParts = contextValue.unicodeScalars.split(
                    separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                let arn = ConditionComparison.positive(
                    .arnLike, contextValue: contextValue, policyValue: policyValue, variables: .unknown,
                    allowVariables: true)
                if policyParts.count < 6 {
                    #expect(arn.result == .unknown, "\(policyValue)")
                } else {
                    let same =
                        contextParts.count == 6
                        && zip(policyParts, contextParts).allSatisfy { Array($0) == Array($1) }
                    #expect(arn.result == MatchResult(same), "\(policyValue) vs \(contextValue)")
                }
            }
        }
    }

    /// Operator names read byte by byte when they are bare ASCII base names, as the general
    /// parser reads them character by character.
    @Test func operatorNames() {
        let pieces =
            ConditionOperator.Base.allCases.map(\.rawValue) + [
                "ForAnyValue:", "ForAllValues:", "IfExists", ":", "Null", "stringequals", "\u{301}", "\u{600}", "é",
                "x",
                "",
            ]
        var state: UInt64 = 5
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let names =
            (0..<4000).map { _ in
                (0..<Int(1 + next() % 3)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
            }
            + pieces + ["\u{600}IfExists", "StringEquals\u{600}IfExists", "ArnLikeIfExists", "NullIfExists"]
        var known = 0
        for name in names {
            let parsed = ConditionOperator(name: name)
            #expect(parsed == ConditionOperator.generalParse(name), "\(name.unicodeScalars.map(\.value))")
            if parsed != nil { known += 1 }
        }
        #expect(known > 500)
    }
}
