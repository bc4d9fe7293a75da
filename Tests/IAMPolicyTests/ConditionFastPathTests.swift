import Testing

@testable import IAMPolicy

/// Condition values are read once for their operator (``PreparedConditionValue``) and compared
/// on bytes (a speed-up for the trust invariants of `plan`); the answers must be exactly those of
/// the general path, ``ConditionComparison/positive(_:contextValue:policyValue:variables:allowVariables:)``.
@Suite("condition fast path agrees with the general path")
struct ConditionFastPathTests {
    /// The target's seeded generator (SplitMix64), started from `state` as given.
    typealias Generator = SeededRandom

    /// Pieces of ARN components: wildcards, `?`, variables, empty, case, colons, non-ASCII
    /// (two-, three- and four-byte scalars, a combining mark).
    static let pieces = [
        "", "*", "?", "a", "A", "b", "bedrock", "Bedrock", "flow", "flow/", "/", ":", "1", "111122223333", "é",
        "e\u{301}", "日本", "🙂", "${aws:SourceAccount}", "${aws:username}", "${missing, 'x'}", "${multi}",
        "${*}", "${?}", "${$}", "$", "{", "}", "us-east-1", "*:*",
    ]

    static func component(_ generator: inout Generator, concrete: Bool) -> String {
        var text = ""
        for _ in 0..<Int(generator.next() % 4) {
            var piece = generator.pick(pieces)
            if concrete, piece.contains("*") || piece.contains("?") || piece.contains("$") { piece = "x" }
            text += piece
        }
        return text
    }

    /// ARN-shaped texts (four to eight components) and free texts.
    static func texts(seed: UInt64, count: Int, concrete: Bool) -> [String] {
        var generator = Generator(state: seed)
        return (0..<count).map { _ in
            if generator.next() % 4 == 0 { return component(&generator, concrete: concrete) }
            let components = 4 + Int(generator.next() % 5)
            return (0..<components).map { index in
                switch (index, generator.next() % 3) {
                case (0, 0): "arn"
                case (1, 0): "aws"
                case (2, 0): "bedrock"
                case (4, 0): "111122223333"
                default: component(&generator, concrete: concrete)
                }
            }.joined(separator: ":")
        }
    }

    static let patterns =
        texts(seed: 11, count: 200, concrete: false) + [
            "arn:aws:bedrock:us-east-1:111122223333:flow/*", "arn:aws:bedrock:*:111122223333:flow/*",
            "arn:aws:bedrock:us-east-1:111122223333:flow/ABC", "arn:aws:bedrock:us-east-1:111122223333:flow/ABC:x",
            "arn:aws:bedrock:*:*:*", "arn:*:*:*:*:*", "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/?é?", "a:b:c:d:e",
            "arn:aws:bedrock:us-east-1:${aws:SourceAccount}:flow/*", "arn:aws:iam::*:role/a:b:*", "",
        ]

    static let contextValues =
        texts(seed: 12, count: 80, concrete: true) + [
            "arn:aws:bedrock:us-east-1:111122223333:flow/ABC", "arn:aws:bedrock:us-east-1:111122223333:flow/ABC:x",
            "arn:aws:bedrock:us-east-1:111122223333:flow/ABC/alias/X",
            "ARN:AWS:BEDROCK:US-EAST-1:111122223333:FLOW/ABC",
            "arn:aws:s3:::b/日é🙂", "arn:aws:s3:::b/e\u{301}", "arn:aws:iam::111122223333:role/a:b:c", "", ":::::",
            "*", "arn:aws:bedrock:us-east-1:111122223333:flow/*",
        ]

    static let variableContext: ContextKeys = [
        "aws:SourceAccount": ["111122223333"], "aws:username": ["Bob"], "multi": ["a", "b"],
    ]

    /// The operators of the fast path, against every pattern.
    static let fastBases: [ConditionOperator.Base] = [.stringEquals, .stringLike, .arnEquals, .arnLike]
    /// Their negations (the same positive form) and the general path's operators, against some.
    static let otherBases: [ConditionOperator.Base] = [
        .stringNotEquals, .stringNotLike, .arnNotEquals, .arnNotLike, .stringEqualsIgnoreCase, .numericEquals,
        .dateLessThan, .bool, .ipAddress,
    ]

    /// What evaluating a clause asks of one value: the fast answer when there is one, else the
    /// general path.
    static func prepared(
        _ base: ConditionOperator.Base, _ policyValue: String, _ contextValue: String,
        _ variables: PolicyVariableValues, _ allowVariables: Bool
    ) -> ConditionComparison.Single {
        PreparedConditionValue(policyValue, base: base).positive(contextValue, allowVariables: allowVariables)
            ?? ConditionComparison.positive(
                base, contextValue: contextValue, policyValue: policyValue, variables: variables,
                allowVariables: allowVariables)
    }

    @Test func everyOperatorAgreesWithTheGeneralPath() {
        let runs =
            Self.fastBases.map { ($0, Self.patterns) } + Self.otherBases.map { ($0, Array(Self.patterns.suffix(60))) }
        var compared = 0
        var differences: [String] = []
        for (base, patterns) in runs {
            for policyValue in patterns {
                for contextValue in Self.contextValues + [policyValue] {
                    for (variables, allowVariables) in [
                        (PolicyVariableValues.context(Self.variableContext), true), (.unknown, true),
                        (.unknown, false),
                    ] {
                        let expected = ConditionComparison.positive(
                            base, contextValue: contextValue, policyValue: policyValue, variables: variables,
                            allowVariables: allowVariables)
                        let got = Self.prepared(base, policyValue, contextValue, variables, allowVariables)
                        compared += 1
                        guard
                            got.result != expected.result || got.failure != expected.failure
                                || got.policyValue != expected.policyValue
                        else { continue }
                        differences.append(
                            "\(base) \(policyValue) vs \(contextValue), variables \(allowVariables): "
                                + "\(got.result) \(got.failure), expected \(expected.result) \(expected.failure)")
                    }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences: \(differences.prefix(10))")
        #expect(compared > 100_000)
    }

    /// The fast path answers for the values it is for (so the comparison above tests it), and
    /// leaves policy variables, `…IgnoreCase` and the other operators to the general path.
    @Test func theFastPathIsTaken() {
        let cases: [(ConditionOperator.Base, String, PreparedConditionValue.Form?)] = [
            (.stringEquals, "111122223333", .exact),
            (.stringLike, "arn:aws:s3:::b/*", nil),
            (.stringLike, "arn:aws:s3:::b", .exact),
            (.arnLike, "arn:aws:bedrock:us-east-1:111122223333:flow/*", nil),
            (.arnLike, "arn:aws:bedrock:us-east-1:111122223333:flow/A", .exact),
            (.arnEquals, "arn:aws:bedrock:us-east-1:flow/A", .unreadableArn),
            (.arnLike, "a:*", .unreadableArn),
            (.stringEqualsIgnoreCase, "abc", .general),
            (.numericEquals, "1", .general),
        ]
        for (base, text, form) in cases {
            let value = PreparedConditionValue(text, base: base)
            if let form { #expect(value.form == form, "\(base) \(text)") }
            #expect((value.positive("x", allowVariables: true) != nil) == (form != .general), "\(base) \(text)")
        }
        let variable = PreparedConditionValue("arn:aws:bedrock:*:${aws:SourceAccount}:flow/*", base: .arnLike)
        #expect(variable.positive("x", allowVariables: true) == nil)
        #expect(variable.positive("x", allowVariables: false) != nil)
    }

    /// Glob matching on bytes against matching on scalars.
    @Test func byteGlobAgreesWithScalarGlob() {
        for text in Self.patterns {
            let pieces = PatternText.pieces(text, wildcards: true, variables: false)
            let glob = ByteGlob(text.utf8)
            for subject in Self.contextValues + Self.patterns {
                let got = subject.utf8.withContiguousStorageIfAvailable { glob.matches($0, from: 0, to: $0.count) }
                #expect(got == PatternText.matches(pieces, subject), "\(text) vs \(subject)")
            }
        }
    }

    /// Clauses keep their prepared values in step when changed after they were made, and
    /// equality ignores them.
    @Test func changedClausesArePreparedAgain() {
        var clause = ConditionClause(
            operatorName: "ArnLike", key: "AWS:SourceArn", values: [.string("arn:aws:s3:::a*")], isList: false)
        let context: ContextKeys = ["aws:sourcearn": ["arn:aws:s3:::abc"]]
        #expect(clause.evaluate(context).result == .match)
        clause.values = [.string("arn:aws:s3:::b*")]
        #expect(clause.evaluate(context).result == .noMatch)
        clause.conditionOperator = ConditionOperator(base: .stringLike)
        clause.values = [.string("arn:aws:s3:::a*")]
        #expect(clause.evaluate(context).result == .match)
        clause.conditionOperator = ConditionOperator(base: .stringEquals)
        #expect(clause.evaluate(context).result == .noMatch)
        clause.key = "aws:Other"
        #expect(clause.evaluate(context).result == .noMatch)
        clause.key = "AWS:SOURCEARN"
        clause.values = [.string("arn:aws:s3:::abc")]
        #expect(clause.evaluate(context).result == .match)

        let made = ConditionClause(
            operatorName: "StringEquals", key: "AWS:SOURCEARN", values: [.string("arn:aws:s3:::abc")], isList: false)
        var changed = made
        changed.values = [.string("x")]
        changed.values = made.values
        #expect(changed == made)
        #expect(Set([changed, made]).count == 1)
    }

    /// Context keys from a literal: the same keys and values as through a dictionary, for
    /// distinct keys, keys differing in case, repeated keys and empty lists.
    @Test func contextKeyLiterals() {
        let literal: ContextKeys = ["aws:SourceArn": ["a"], "aws:SourceAccount": ["1"]]
        #expect(literal == ContextKeys(["aws:SourceArn": ["a"], "aws:SourceAccount": ["1"]]))
        #expect(literal["AWS:SOURCEARN"] == ["a"] && literal[lowercased: "aws:sourceaccount"] == ["1"])
        let cased = ContextKeys(dictionaryLiteral: ("b", ["1"]), ("B", ["2"]), ("a", []))
        #expect(cased == ContextKeys(["b": ["1"], "B": ["2"]]))
        #expect(cased["b"] == ["2", "1"] && cased.keys == ["b"])
        let repeated = ContextKeys(dictionaryLiteral: ("k", ["1"]), ("k", ["2"]), ("K", []))
        #expect(repeated["k"] == ["1", "2"])
        let empty = ContextKeys(dictionaryLiteral: ("k", []), ("K", ["1"]))
        #expect(empty.keys == ["k"] && empty["k"] == ["1"])
    }
}

extension SeededRandom {
    init(state: UInt64) {
        self.init(seed: 0)
        self.state = state
    }
}
