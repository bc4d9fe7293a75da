import FlowRoleJSON
import IAMPolicy

/// The request contexts the trust invariants are judged on (DESIGN, "The evaluator", context
/// mode): every principal named in either document plus foreign ones, the actions they name,
/// and `aws:SourceArn` values for each flow, its alias and execution ARNs, the ARNs found in the
/// documents' condition values, an unseen flow and a foreign account's flow; each with no
/// `aws:SourceAccount`, with the role's account, and with the account of the source ARN.
struct TrustProbes: Sendable {
    var principals: [RequestPrincipal]
    var actions: [String]
    /// nil: no `aws:SourceArn` in the request.
    var sourceArns: [String?]
    var roleAccount: String

    static let bedrock = RequestPrincipal.service(BedrockTrustStatement.service)
    static let foreignService = RequestPrincipal.service("flowrole-foreign.amazonaws.com")

    init(roleArn: String, roleAccount: String, documents: [PolicyDocument], flows: [TrustTightener.FlowUse]) {
        self.roleAccount = roleAccount
        let arnParts = roleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let partition = arnParts.count == 6 ? String(arnParts[1]) : "aws"

        var values: [String] = []
        var principalSet: [RequestPrincipal] = [Self.bedrock, Self.foreignService, .anonymous]
        var actionSet: [String] = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
        for document in documents {
            for statement in document.statements {
                for pattern in statement.action.patterns where !SourceArnValue.hasWildcard(pattern.text) {
                    actionSet.append(pattern.text)
                }
                for clause in statement.condition?.clauses ?? [] {
                    values.append(contentsOf: clause.values.map(\.text))
                }
                guard case .named(let entries)? = statement.principal?.subjects else { continue }
                for entry in entries {
                    for value in entry.values {
                        switch entry.type {
                        case .service: principalSet.append(.service(value))
                        case .federated: principalSet.append(.federated(value))
                        case .canonicalUser: principalSet.append(.canonicalUser(value))
                        case .aws:
                            principalSet.append(.aws(value))
                            if ARN.isAccountID(value) {
                                principalSet.append(.aws("arn:\(partition):iam::\(value):role/FlowroleProbe"))
                            } else if let arn = try? ARN(parsing: value), ARN.isAccountID(arn.account) {
                                principalSet.append(.aws("arn:\(arn.partition):iam::\(arn.account):role/FlowroleProbe"))
                            }
                        }
                    }
                }
            }
        }

        let known = Set([roleAccount] + flows.map(\.account) + values.compactMap(Self.account(of:)))
        let foreign =
            ["999999999999", "888888888888", "777777777777", "666666666666"].first { !known.contains($0) }
            ?? "555555555555"
        principalSet.append(.aws("arn:\(partition):iam::\(foreign):root"))
        principalSet.append(.aws("arn:\(partition):iam::\(foreign):role/FlowroleProbe"))

        var arns: [String?] = [nil]
        for flow in flows {
            arns.append(flow.flowArn)
            arns.append(flow.flowArn + "/alias/FLOWROLEPROBE")
            arns.append(flow.flowArn + "/execution/FLOWROLEPROBE")
            arns.append(flow.flowArn + "/alias/FLOWROLEPROBE/execution/FLOWROLEPROBE")
        }
        for value in values where value.hasPrefix("arn:") {
            // Concrete instances of what the documents name: agents, knowledge bases, flows.
            arns.append(value.replacingWildcards)
            arns.append(value.replacingWildcards + "/alias/FLOWROLEPROBE")
        }
        let regions = Set(flows.map(\.region)).sorted()
        for region in regions.isEmpty ? ["us-east-1"] : regions {
            arns.append("arn:\(partition):bedrock:\(region):\(roleAccount):flow/FLOWROLEUNSEEN")
            arns.append("arn:\(partition):bedrock:\(region):\(foreign):flow/FLOWROLEFOREIGN")
        }

        principals = Self.unique(principalSet)
        actions = Self.unique(actionSet)
        sourceArns = Self.unique(arns)
    }

    /// Every request context, in a stable order.
    func forEachContext(_ body: (RequestContext) -> Void) {
        forEachContext(where: { _, _ in true }, body)
    }

    /// The request contexts whose (principal, action) `include` accepts, in the same order.
    func forEachContext(where include: (RequestPrincipal, String) -> Bool, _ body: (RequestContext) -> Void) {
        for principal in principals {
            for action in actions where include(principal, action) {
                for sourceArn in sourceArns {
                    for keys in keySets(sourceArn) {
                        body(RequestContext(principal: principal, action: action, keys: keys))
                    }
                }
            }
        }
    }

    private func keySets(_ sourceArn: String?) -> [ContextKeys] {
        let base: ContextKeys = sourceArn.map { ["aws:SourceArn": [$0]] } ?? [:]
        var accounts = [roleAccount]
        if let own = sourceArn.flatMap(Self.account(of:)), own != roleAccount { accounts.append(own) }
        return [base] + accounts.map { base.setting("aws:SourceAccount", to: [$0]) }
    }

    static func account(of arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, ARN.isAccountID(String(parts[4])) else { return nil }
        return String(parts[4])
    }

    private static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

extension String {
    /// The text with every `*` and `?` replaced by a probe word: one concrete value a pattern admits.
    fileprivate var replacingWildcards: String {
        var out = ""
        for character in self {
            switch character {
            case "*": out += "FLOWROLEPROBE"
            case "?": out += "Q"
            default: out.append(character)
            }
        }
        return out
    }
}
