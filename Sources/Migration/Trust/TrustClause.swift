import FlowRoleJSON
import IAMPolicy

/// One condition key (`aws:SourceArn`, `aws:SourceAccount`; any case) under one operator of a
/// statement's `Condition`, located in the JSON as found so its value can be replaced in place.
struct TrustClause: Sendable, Hashable {
    /// Position of the operator member in `Condition`, and of the key member under it.
    var operatorIndex: Int
    var keyIndex: Int
    var operatorName: String
    var conditionOperator: ConditionOperator?
    /// The value as found (a string or a list).
    var value: JSONValue

    /// The values, each as IAM compares it.
    var items: [JSONValue] {
        if case .array(let items) = value { return items }
        return [value]
    }

    static func text(_ item: JSONValue) -> String {
        switch item {
        case .string(let text): text
        case .number(let literal): literal
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }

    var texts: [String] { items.map(Self.text) }

    var isList: Bool {
        if case .array = value { return true }
        return false
    }

    /// A negated operator (`ArnNotLike`, …) narrows and never names what may assume the role.
    var isNegated: Bool { conditionOperator?.isNegated ?? false }

    /// The operators whose flow wildcard the tightener replaces (DESIGN, "Trust tightening").
    var isRewritable: Bool { ["ArnLike", "ArnEquals", "StringLike"].contains(operatorName) }

    /// Operators that compare literally, so `flow/*` under them matches nothing.
    var isLiteral: Bool {
        guard let base = conditionOperator?.base, !isNegated else { return false }
        return base == .stringEquals || base == .stringEqualsIgnoreCase
    }

    /// Every `aws:SourceArn` clause of a statement, in document order.
    static func all(in statement: JSONValue) -> [TrustClause] {
        keyed(BedrockTrustStatement.sourceArnKey, in: statement)
    }

    /// Every clause testing `key` (lower-cased), in document order.
    static func keyed(_ key: String, in statement: JSONValue) -> [TrustClause] {
        guard case .object(let operators)? = statement["Condition"] else { return [] }
        var found: [TrustClause] = []
        for (operatorIndex, operatorMember) in operators.enumerated() {
            guard case .object(let keys) = operatorMember.value else { continue }
            for (keyIndex, keyMember) in keys.enumerated() where Self.lowercased(keyMember.key, is: key) {
                found.append(
                    TrustClause(
                        operatorIndex: operatorIndex, keyIndex: keyIndex, operatorName: operatorMember.key,
                        conditionOperator: ConditionOperator(name: operatorMember.key), value: keyMember.value))
            }
        }
        return found
    }

    /// `text.lowercased() == key`, without the lowercased copy when `text` is ASCII (then
    /// lowercasing maps `A`–`Z` alone, and `==` compares bytes). Other text (whose lowercasing
    /// may even give ASCII, as the Kelvin sign does) is lowercased as before.
    static func lowercased(_ text: String, is key: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }), key.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased() == key
        }
        guard text.utf8.count == key.utf8.count else { return false }
        return zip(text.utf8, key.utf8).allSatisfy { byte, wanted in
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            return lower == wanted
        }
    }

    /// The `Condition` of `statement` with the values of some clauses replaced.
    static func condition(of statement: JSONValue, replacing replacements: [TrustClause: JSONValue]) -> JSONValue {
        guard case .object(var operators)? = statement["Condition"] else { return .object([]) }
        for (clause, newValue) in replacements {
            guard case .object(var keys) = operators[clause.operatorIndex].value else { continue }
            keys[clause.keyIndex].value = newValue
            operators[clause.operatorIndex].value = .object(keys)
        }
        return .object(operators)
    }
}
