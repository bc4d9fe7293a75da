public import FlowRoleJSON

/// One statement of a policy document (IAM UG, reference_policies_elements and the pages of each
/// element), parsed from JSON without losing anything: ``json`` is exactly what was read, unknown
/// members, member order and string-versus-list included.
public struct Statement: Sendable, Hashable {
    /// The statement exactly as read.
    public let json: JSONValue
    /// JSON pointer of the statement relative to its document (`/Statement/2`, or `/Statement`
    /// when the document's `Statement` is a single object).
    public let pointer: String
    public let sid: String?
    public let effect: Effect
    /// `Principal` or `NotPrincipal`: present in resource policies such as trust policies only.
    public let principal: PrincipalElement?
    /// `Action` or `NotAction` (exactly one is required).
    public let action: ActionElement
    /// `Resource` or `NotResource`: required in identity policies, absent in trust policies.
    public let resource: ResourceElement?
    public let condition: ConditionBlock?

    /// Parses a statement. `pointer` locates it inside its document, for errors; `version` is the
    /// document's, which decides whether `${…}` is a policy variable.
    public init(json: JSONValue, pointer: String = "", version: PolicyVersion? = .v2012_10_17) throws(PolicyError) {
        let reader = ElementReader(pointer: pointer)
        _ = try reader.members(json, name: "A statement")
        self.json = json
        self.pointer = pointer

        if let sidValue = json["Sid"] {
            sid = try reader.child("Sid").string(sidValue, name: "Sid")
        } else {
            sid = nil
        }

        guard let effectValue = json["Effect"] else {
            throw reader.fail("The statement has no Effect; it must be \"Allow\" or \"Deny\".")
        }
        let effectText = try reader.child("Effect").string(effectValue, name: "Effect")
        guard let effect = Effect(rawValue: effectText) else {
            throw reader.child("Effect").fail("Effect must be \"Allow\" or \"Deny\", not \"\(effectText)\".")
        }
        self.effect = effect

        principal = try Statement.principal(json, reader: reader)

        let actionPair = try Statement.exclusive(json, "Action", "NotAction", reader: reader)
        guard let (actionName, actionValue) = actionPair else {
            throw reader.fail("The statement has neither Action nor NotAction; it needs exactly one.")
        }
        let actions = try reader.child(actionName).stringOrList(actionValue, name: actionName)
        action = ActionElement(
            isNegated: actionName == "NotAction", patterns: actions.values.map(ActionPattern.init),
            isList: actions.isList)

        if let (resourceName, resourceValue) = try Statement.exclusive(json, "Resource", "NotResource", reader: reader)
        {
            let resources = try reader.child(resourceName).stringOrList(resourceValue, name: resourceName)
            let substitutes = version.substitutesPolicyVariables
            resource = ResourceElement(
                isNegated: resourceName == "NotResource",
                patterns: resources.values.map { ResourcePattern($0, substitutesVariables: substitutes) },
                isList: resources.isList)
        } else {
            resource = nil
        }

        if let conditionValue = json["Condition"] {
            condition = try Statement.condition(conditionValue, reader: reader.child("Condition"))
        } else {
            condition = nil
        }
    }

    /// The one of `name` / `notName` present, or nil; both present is an error.
    private static func exclusive(
        _ json: JSONValue, _ name: String, _ notName: String, reader: ElementReader
    ) throws(PolicyError) -> (String, JSONValue)? {
        switch (json[name], json[notName]) {
        case (let value?, nil): return (name, value)
        case (nil, let value?): return (notName, value)
        case (nil, nil): return nil
        case (.some, .some):
            throw reader.child(notName).fail("The statement has both \(name) and \(notName); it may have only one.")
        }
    }

    private static func principal(_ json: JSONValue, reader: ElementReader) throws(PolicyError) -> PrincipalElement? {
        guard let (name, value) = try exclusive(json, "Principal", "NotPrincipal", reader: reader) else { return nil }
        let here = reader.child(name)
        switch value {
        case .string("*"):
            return PrincipalElement(isNegated: name == "NotPrincipal", subjects: .everyone)
        case .object(let members):
            var entries: [PrincipalEntry] = []
            for member in members {
                guard let type = PrincipalType(rawValue: member.key) else {
                    throw here.child(member.key).fail(
                        "\(name) may name only AWS, Service, Federated or CanonicalUser principals, not \"\(member.key)\"."
                    )
                }
                let listed = try here.child(member.key).stringOrList(member.value, name: "\(name) \(member.key)")
                entries.append(PrincipalEntry(type: type, values: listed.values, isList: listed.isList))
            }
            return PrincipalElement(isNegated: name == "NotPrincipal", subjects: .named(entries))
        case .string(let text):
            throw here.fail("\(name) must be \"*\" or an object such as {\"Service\": …}, not the string \"\(text)\".")
        default:
            throw here.fail(
                "\(name) must be \"*\" or an object such as {\"Service\": …}, not \(value.kindDescription).")
        }
    }

    private static func condition(_ value: JSONValue, reader: ElementReader) throws(PolicyError) -> ConditionBlock {
        let operators = try reader.members(value, name: "Condition")
        var clauses: [ConditionClause] = []
        // Every clause keeps its pointer: the operator's is written once for all its keys.
        let reader = ElementReader(pointer: reader.pointer)
        for operatorMember in operators {
            let operatorReader = ElementReader(pointer: reader.child(operatorMember.key).pointer)
            let keys = try operatorReader.members(
                operatorMember.value, name: "The condition operator \(operatorMember.key)")
            for keyMember in keys {
                let keyReader = operatorReader.child(keyMember.key)
                let (values, isList) = try conditionValues(keyMember.value, key: keyMember.key, reader: keyReader)
                clauses.append(
                    ConditionClause(
                        operatorName: operatorMember.key, key: keyMember.key, values: values, isList: isList,
                        pointer: keyReader.pointer))
            }
        }
        return ConditionBlock(clauses: clauses)
    }

    private static func conditionValues(
        _ value: JSONValue, key: String, reader: ElementReader
    ) throws(PolicyError) -> ([ConditionValue], Bool) {
        func single(_ item: JSONValue, _ itemReader: ElementReader) throws(PolicyError) -> ConditionValue {
            switch item {
            case .string(let text): return .string(text)
            case .number(let literal): return .number(literal)
            case .bool(let flag): return .bool(flag)
            default:
                throw itemReader.fail(
                    "The value of condition key \(key) must be a string, number or boolean, not \(item.kindDescription)."
                )
            }
        }
        if case .array(let items) = value {
            var values: [ConditionValue] = []
            for (index, item) in items.enumerated() {
                values.append(try single(item, reader.child(index)))
            }
            return (values, true)
        }
        return ([try single(value, reader)], false)
    }
}

extension Statement {
    /// The statement's citation inside a named policy.
    public func reference(in policyID: String, index: Int) -> StatementReference {
        StatementReference(policyID: policyID, statementIndex: index, sid: sid, pointer: pointer)
    }
}
