/// A condition operator understood by flowrole (IAM UG, reference_policies_elements_condition_operators):
/// a base operator, optionally suffixed `IfExists` and prefixed with a set qualifier
/// (`ForAllValues:` / `ForAnyValue:`, IAM UG reference_policies_multi-value-conditions).
/// Names are recognised exactly as IAM documents them; anything else is unknown (nil), never guessed.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public enum Base: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Negated operators are true when the key is missing and, with several values, true
        /// when none of them matches (IAM UG, reference_policies_elements_condition_operators).
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default: false
            }
        }

        /// Whether values may hold policy variables (IAM UG, reference_policies_variables:
        /// string and ARN operators only).
        public var acceptsPolicyVariables: Bool {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike,
                .stringNotLike, .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
                true
            default: false
            }
        }
    }

    public enum SetQualifier: String, Sendable, Hashable {
        case forAllValues = "ForAllValues"
        case forAnyValue = "ForAnyValue"
    }

    public var base: Base
    /// `…IfExists`: a missing key makes the clause true (not allowed on `Null`).
    public var ifExists: Bool
    public var qualifier: SetQualifier?

    public init(base: Base, ifExists: Bool = false, qualifier: SetQualifier? = nil) {
        self.base = base
        self.ifExists = ifExists
        self.qualifier = qualifier
    }

    /// Parses an operator name; nil when it is not one IAM documents.
    public init?(name: String) {
        // The usual name, a bare base operator in ASCII (no `:`, no `IfExists`, so characters
        // and bytes read alike): the base itself, without slicing the text. The answer is
        // ``generalParse(_:)``'s (`FastPathTests`).
        if Self.isBareASCII(name) {
            guard let base = Base(rawValue: name) else { return nil }
            self.init(base: base)
            return
        }
        guard let parsed = Self.generalParse(name) else { return nil }
        self = parsed
    }

    /// Any name, character by character: the reference for ``init(name:)``.
    static func generalParse(_ name: String) -> ConditionOperator? {
        var rest = Substring(name)
        var qualifier: SetQualifier?
        if let colon = rest.firstIndex(of: ":") {
            guard let found = SetQualifier(rawValue: String(rest[..<colon])) else { return nil }
            qualifier = found
            rest = rest[rest.index(after: colon)...]
        }
        var ifExists = false
        if rest.hasSuffix("IfExists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let base = Base(rawValue: String(rest)) else { return nil }
        if base == .null, ifExists || qualifier != nil { return nil }
        return ConditionOperator(base: base, ifExists: ifExists, qualifier: qualifier)
    }

    /// ASCII without a `:` and not ending in `IfExists`.
    private static func isBareASCII(_ name: String) -> Bool {
        guard name.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: ":") }) else { return false }
        return !name.utf8.reversed().starts(with: "IfExists".utf8.reversed())
    }

    public var name: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }

    public var description: String { name }

    public var isNegated: Bool { base.isNegated }
}
