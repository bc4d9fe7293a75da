import FlowRoleJSON
import IAMPolicy

/// Reading and rewriting the statements that let Bedrock assume a role, on the JSON as found so
/// that everything the tightener does not mean to change stays byte for byte.
enum BedrockTrustStatement {
    static let service = "bedrock.amazonaws.com"
    static let sourceArnKey = "aws:sourcearn"
    static let sourceAccountKey = "aws:sourceaccount"

    /// An Allow whose `Principal` names the Bedrock service (string or list) and whose action
    /// covers `sts:AssumeRole` (DESIGN, "Trust tightening": the only statements touched).
    static func letsBedrockAssume(_ statement: Statement) -> Bool {
        guard statement.effect == .allow, let principal = statement.principal, !principal.isNegated,
            case .named = principal.subjects, principal.values(of: .service).contains(service)
        else { return false }
        return statement.action.match("sts:AssumeRole") == .match
    }

    /// Whether the statement's principal names anyone besides Bedrock (another service, an AWS
    /// account, …): then a Bedrock-only condition must go into a statement of its own.
    static func namesOthers(_ statement: Statement) -> Bool {
        guard case .named(let entries)? = statement.principal?.subjects else { return false }
        return entries.contains { entry in entry.values.contains { !(entry.type == .service && $0 == service) } }
    }

    /// The statement without Bedrock in its `Principal` `Service` (a list keeps being a list;
    /// a `Service` left empty is dropped), everything else exactly as found.
    static func withoutBedrock(_ json: JSONValue) -> JSONValue {
        guard case .object(var members) = json,
            let principalIndex = members.firstIndex(where: { $0.key == "Principal" }),
            case .object(var principal) = members[principalIndex].value
        else { return json }
        principal = principal.compactMap { member in
            guard member.key == "Service" else { return member }
            switch member.value {
            case .string(service): return nil
            case .array(let items):
                let kept = items.filter { $0 != .string(service) }
                return kept.isEmpty ? nil : JSONMember(member.key, .array(kept))
            default: return member
            }
        }
        members[principalIndex].value = .object(principal)
        return .object(members)
    }

    /// A Bedrock-only copy of the statement: the same members in the same order (actions and
    /// every other element), `Sid` set to `sid`, `Principal` `{"Service": "bedrock.amazonaws.com"}`
    /// and `Condition` replaced.
    static func bedrockOnly(_ json: JSONValue, sid: String, condition: JSONValue) -> JSONValue {
        guard case .object(var members) = json else { return json }
        if let index = members.firstIndex(where: { $0.key == "Sid" }) {
            members[index].value = .string(sid)
        } else {
            members.insert(JSONMember("Sid", .string(sid)), at: 0)
        }
        members = setting("Principal", to: ["Service": .string(service)], in: members)
        members = setting("Condition", to: condition, in: members)
        return .object(members)
    }

    /// The statement with `Condition` replaced (or appended when it had none).
    static func replacingCondition(_ json: JSONValue, with condition: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        return .object(setting("Condition", to: condition, in: members))
    }

    static func setting(_ key: String, to value: JSONValue, in members: [JSONMember]) -> [JSONMember] {
        var members = members
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(JSONMember(key, value))
        }
        return members
    }

    /// A Sid not yet used in the document: the original's + `Bedrock`, or `FlowroleBedrockTrust`,
    /// numbered from 2 when taken.
    static func uniqueSid(basedOn original: String?, taken: Set<String>) -> String {
        let stem = original.map { $0.isEmpty ? "FlowroleBedrockTrust" : $0 + "Bedrock" } ?? "FlowroleBedrockTrust"
        if !taken.contains(stem) { return stem }
        var number = 2
        while taken.contains(stem + String(number)) { number += 1 }
        return stem + String(number)
    }
}
