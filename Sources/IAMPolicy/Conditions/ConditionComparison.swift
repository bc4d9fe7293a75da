/// One comparison of a context value with a policy value under an operator's positive form.
enum ConditionComparison {
    enum Failure { case none, variable, unreadable, unevaluated }

    struct Single {
        var result: MatchResult
        var failure: Failure = .none
        var policyValue: String = ""

        func doubt(_ operatorName: String, _ key: String) -> Uncertainty? {
            switch failure {
            case .none: nil
            case .variable: .policyVariable(pattern: policyValue)
            case .unreadable: .unreadableValue(operatorName: operatorName, key: key, value: policyValue)
            case .unevaluated: .unevaluatedOperator(operatorName)
            }
        }
    }

    static func positive(
        _ base: ConditionOperator.Base, contextValue: String, policyValue: String, variables: PolicyVariableValues,
        allowVariables: Bool
    ) -> Single {
        switch base {
        case .stringEquals, .stringNotEquals:
            return text(
                contextValue, policyValue, wildcards: false, variables: variables, allowVariables: allowVariables)
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            return text(
                contextValue, policyValue, wildcards: false, variables: variables, allowVariables: allowVariables,
                ignoreCase: true)
        case .stringLike, .stringNotLike:
            return text(
                contextValue, policyValue, wildcards: true, variables: variables, allowVariables: allowVariables)
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
            return arn(contextValue, policyValue, variables: variables, allowVariables: allowVariables)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
            .numericGreaterThanEquals:
            guard let left = Double(contextValue), let right = Double(policyValue) else {
                return Single(
                    result: .unknown, failure: .unreadable,
                    policyValue: Double(policyValue) == nil ? policyValue : contextValue)
            }
            return Single(result: MatchResult(compare(base, left, right)))
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
            .dateGreaterThanEquals:
            guard let left = DateValue.seconds(contextValue), let right = DateValue.seconds(policyValue) else {
                return Single(
                    result: .unknown, failure: .unreadable,
                    policyValue: DateValue.seconds(policyValue) == nil ? policyValue : contextValue)
            }
            return Single(result: MatchResult(compare(base, left, right)))
        case .bool:
            let wanted = policyValue.lowercased()
            guard wanted == "true" || wanted == "false" else {
                return Single(result: .unknown, failure: .unreadable, policyValue: policyValue)
            }
            return Single(result: MatchResult(contextValue.lowercased() == wanted))
        case .binaryEquals, .ipAddress, .notIpAddress, .null:
            return Single(result: .unknown, failure: .unevaluated, policyValue: policyValue)
        }
    }

    private static func compare(_ base: ConditionOperator.Base, _ left: Double, _ right: Double) -> Bool {
        switch base {
        case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: left == right
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: false
        }
    }

    private static func text(
        _ contextValue: String, _ policyValue: String, wildcards: Bool, variables: PolicyVariableValues,
        allowVariables: Bool, ignoreCase: Bool = false
    ) -> Single {
        // Literal text (the common case: an account id, a flow ARN) is compared scalar by scalar,
        // exactly what matching its pieces would do, without building them.
        if !ignoreCase, isLiteral(policyValue, wildcards: wildcards, allowVariables: allowVariables) {
            return Single(result: MatchResult(contextValue.utf8.elementsEqual(policyValue.utf8)))
        }
        let pieces = PatternText.pieces(policyValue, wildcards: wildcards, variables: allowVariables)
        let subject = ignoreCase ? contextValue.lowercased() : contextValue
        if let filled = PatternText.substitute(pieces, values: variables) {
            return Single(result: MatchResult(PatternText.matches(ignoreCase ? lowercased(filled) : filled, subject)))
        }
        let widened = PatternText.widened(pieces)
        guard PatternText.matches(ignoreCase ? lowercased(widened) : widened, subject) else {
            return Single(result: .noMatch)
        }
        return Single(result: .unknown, failure: .variable, policyValue: policyValue)
    }

    private static func lowercased(_ pieces: [PatternPiece]) -> [PatternPiece] {
        pieces.flatMap { piece -> [PatternPiece] in
            guard case .literal(let scalar) = piece else { return [piece] }
            return String(scalar).lowercased().unicodeScalars.map(PatternPiece.literal)
        }
    }

    /// `ArnEquals`/`ArnLike`: each of the six colon-delimited components is matched on its own,
    /// so `*` does not cross `:` except inside the resource component (IAM UG,
    /// reference_policies_elements_condition_operators, "Amazon Resource Name (ARN) condition operators").
    private static func arn(
        _ contextValue: String, _ policyValue: String, variables: PolicyVariableValues, allowVariables: Bool
    ) -> Single {
        // A literal ARN of six components matches exactly the same text: each component equal,
        // the last one holding any further colons on both sides.
        if isLiteral(policyValue, wildcards: true, allowVariables: allowVariables) {
            guard policyValue.utf8.lazy.filter({ $0 == UInt8(ascii: ":") }).count >= 5 else {
                return Single(result: .unknown, failure: .unreadable, policyValue: policyValue)
            }
            return Single(result: MatchResult(contextValue.utf8.elementsEqual(policyValue.utf8)))
        }
        let pieces = PatternText.pieces(policyValue, wildcards: true, variables: allowVariables)
        let filled = PatternText.substitute(pieces, values: variables)
        let usable = filled ?? PatternText.widened(pieces)
        let patternParts = split(usable)
        guard patternParts.count == 6 else {
            return Single(result: .unknown, failure: .unreadable, policyValue: policyValue)
        }
        let valueParts = contextValue.unicodeScalars.split(
            separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard valueParts.count == 6 else { return Single(result: .noMatch) }
        for (pattern, value) in zip(patternParts, valueParts) where !PatternText.matches(pattern, Array(value)) {
            return Single(result: .noMatch)
        }
        return filled == nil
            ? Single(result: .unknown, failure: .variable, policyValue: policyValue) : Single(result: .match)
    }

    /// Whether `value` holds no wildcard (where the operator has them) and no policy variable
    /// (where the document has them): then it means exactly its own text.
    private static func isLiteral(_ value: String, wildcards: Bool, allowVariables: Bool) -> Bool {
        for byte in value.utf8 {
            if wildcards, byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") { return false }
            if allowVariables, byte == UInt8(ascii: "$") { return false }
        }
        return true
    }

    /// Splits pattern pieces at the first five literal colons.
    private static func split(_ pieces: [PatternPiece]) -> [[PatternPiece]] {
        var parts: [[PatternPiece]] = [[]]
        for piece in pieces {
            if case .literal(":") = piece, parts.count < 6 {
                parts.append([])
            } else {
                parts[parts.count - 1].append(piece)
            }
        }
        return parts
    }
}
