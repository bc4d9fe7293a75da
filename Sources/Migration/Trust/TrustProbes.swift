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
    /// For each flow given, in order, the indices in ``sourceArns`` of the flow's ARN, its alias
    /// and its execution ARNs: invariant 4's requests (``TrustInvariants/lockout``).
    var flowSourceArns: [Int]

    static let bedrock = RequestPrincipal.service(BedrockTrustStatement.service)
    static let foreignService = RequestPrincipal.service("flowrole-foreign.amazonaws.com")

    init(roleArn: String, roleAccount: String, documents: [PolicyDocument], flows: [TrustTightener.FlowUse]) {
        self.roleAccount = roleAccount
        let partition = Self.partition(of: roleArn)

        var values: [String] = []
        var principalSet: [RequestPrincipal] = [Self.bedrock, Self.foreignService, .anonymous]
        var actionSet: [String] = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
        // Statements read in place: loop variables copied (retained) each statement and clause.
        for document in documents {
            document.statements.withUnsafeBufferPointer { statements in
                for index in statements.indices {
                    Self.read(
                        statements[index], partition: partition, principals: &principalSet, actions: &actionSet,
                        values: &values)
                }
            }
        }

        // The first candidate no input names: the role's account, a flow's, a condition value's.
        let foreign =
            ["999999999999", "888888888888", "777777777777", "666666666666"].first { candidate in
                candidate != roleAccount && !flows.contains { $0.account == candidate }
                    && !values.contains { Self.account(of: $0, is: candidate) }
            } ?? "555555555555"
        principalSet.append(.aws("arn:\(partition):iam::\(foreign):root"))
        principalSet.append(.aws("arn:\(partition):iam::\(foreign):role/FlowroleProbe"))

        var arns: [String?] = [nil]
        arns.reserveCapacity(1 + flows.count * 4 + values.count * 2 + 4)
        for flow in flows {
            let flowArn = flow.flowArn
            arns.append(flowArn)
            arns.append(flowArn + "/alias/FLOWROLEPROBE")
            arns.append(flowArn + "/execution/FLOWROLEPROBE")
            arns.append(flowArn + "/alias/FLOWROLEPROBE/execution/FLOWROLEPROBE")
        }
        for value in values where value.hasPrefix("arn:") {
            // Concrete instances of what the documents name: agents, knowledge bases, flows.
            let instance = value.replacingWildcards
            arns.append(instance)
            arns.append(instance + "/alias/FLOWROLEPROBE")
        }
        let regions = Set(flows.map(\.region)).sorted()
        for region in regions.isEmpty ? ["us-east-1"] : regions {
            arns.append("arn:\(partition):bedrock:\(region):\(roleAccount):flow/FLOWROLEUNSEEN")
            arns.append("arn:\(partition):bedrock:\(region):\(foreign):flow/FLOWROLEFOREIGN")
        }

        principals = Self.unique(principalSet)
        actions = Self.unique(actionSet)
        // As `unique`, keeping where each ARN went: flow `i`'s three are at 1 + 4·i onwards. A
        // few dozen (the usual role) are found among those kept by comparison: hashing each cost
        // more.
        let searched = arns.count <= 32
        var slots: [String?: Int] = searched ? [:] : Dictionary(minimumCapacity: arns.count)
        var uniqueArns: [String?] = []
        uniqueArns.reserveCapacity(arns.count)
        var flowSourceArns: [Int] = []
        flowSourceArns.reserveCapacity(flows.count * 3)
        for (position, arn) in arns.enumerated() {
            let slot: Int
            if searched, let known = uniqueArns.firstIndex(of: arn) {
                slot = known
            } else if !searched, let known = slots[arn] {
                slot = known
            } else {
                slot = uniqueArns.count
                if !searched { slots[arn] = slot }
                uniqueArns.append(arn)
            }
            if position > 0, (position - 1) / 4 < flows.count, (position - 1) % 4 < 3 { flowSourceArns.append(slot) }
        }
        sourceArns = uniqueArns
        self.flowSourceArns = flowSourceArns
    }

    /// One statement's actions without wildcards, condition values and principals (with a probe
    /// role in each account a principal names), appended in the order they are written.
    private static func read(
        _ statement: Statement, partition: String, principals: inout [RequestPrincipal], actions: inout [String],
        values: inout [String]
    ) {
        statement.action.patterns.withUnsafeBufferPointer { patterns in
            for index in patterns.indices where !SourceArnValue.hasWildcard(patterns[index].text) {
                actions.append(patterns[index].text)
            }
        }
        statement.condition?.clauses.withUnsafeBufferPointer { clauses in
            for index in clauses.indices {
                clauses[index].values.withUnsafeBufferPointer { written in
                    for value in written.indices { values.append(written[value].text) }
                }
            }
        }
        guard case .named(let entries)? = statement.principal?.subjects else { return }
        for entry in entries {
            for value in entry.values {
                switch entry.type {
                case .service: principals.append(.service(value))
                case .federated: principals.append(.federated(value))
                case .canonicalUser: principals.append(.canonicalUser(value))
                case .aws:
                    principals.append(.aws(value))
                    if ARN.isAccountID(value) {
                        principals.append(.aws("arn:\(partition):iam::\(value):role/FlowroleProbe"))
                    } else if let arn = try? ARN(parsing: value), ARN.isAccountID(arn.account) {
                        principals.append(.aws("arn:\(arn.partition):iam::\(arn.account):role/FlowroleProbe"))
                    }
                }
            }
        }
    }

    /// Every request context, in a stable order.
    func forEachContext(_ body: (RequestContext) -> Void) {
        forEachContext(where: { _, _ in true }, body)
    }

    /// The request contexts whose (principal, action) `include` accepts, in the same order.
    func forEachContext(where include: (RequestPrincipal, String) -> Bool, _ body: (RequestContext) -> Void) {
        // The key sets are the same for every (principal, action): made once, when first needed.
        var allKeySets: [ContextKeys]?
        for principal in principals {
            for action in actions where include(principal, action) {
                let keySets = allKeySets ?? sourceArns.flatMap(keySets)
                allKeySets = keySets
                for keys in keySets {
                    body(RequestContext(principal: principal, action: action, keys: keys))
                }
            }
        }
    }

    /// The probes as a ``ContextGrid`` over `documents`: keys `aws:SourceArn` (each non-nil
    /// ``sourceArns`` entry, in order) and `aws:SourceAccount`; the key sets of every
    /// ``forEachContext(_:)`` request in its order (`probeKeySets` of them), then for each flow
    /// given the three of invariant 4, with the flow's account.
    func grid(documents: [PolicyDocument], flows: [TrustTightener.FlowUse]) -> (grid: ContextGrid, probeKeySets: Int) {
        // Every entry but the first (nil) is an ARN: ARN value `i` is `sourceArns[i + 1]`.
        let arnValues = sourceArns.compactMap { $0 }
        var accounts = [roleAccount]
        func accountValue(_ account: String) -> Int {
            if let index = accounts.firstIndex(of: account) { return index }
            accounts.append(account)
            return accounts.count - 1
        }
        var keySets: [Int] = [-1, -1, -1, 0]
        keySets.reserveCapacity(arnValues.count * 6 + flows.count * 6 + 4)
        for (index, arn) in arnValues.enumerated() {
            keySets.append(index)
            keySets.append(-1)
            keySets.append(index)
            keySets.append(0)
            if !Self.account(of: arn, is: roleAccount), let own = Self.account(of: arn) {
                keySets.append(index)
                keySets.append(accountValue(own))
            }
        }
        let probeKeySets = keySets.count / 2
        for (flow, use) in flows.enumerated() {
            let account = accountValue(use.account)
            for slot in flowSourceArns[(flow * 3)..<(flow * 3 + 3)] {
                keySets += [slot - 1, account]
            }
        }
        let grid = ContextGrid(
            documents: documents, keys: ["aws:SourceArn", "aws:SourceAccount"], values: [arnValues, accounts],
            keySets: keySets)
        return (grid, probeKeySets)
    }

    private func keySets(_ sourceArn: String?) -> [ContextKeys] {
        guard let sourceArn else { return [[:], ["aws:SourceAccount": [roleAccount]]] }
        var keySets: [ContextKeys] = [
            ["aws:SourceArn": [sourceArn]], ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [roleAccount]],
        ]
        if let own = Self.account(of: sourceArn), own != roleAccount {
            keySets.append(["aws:SourceArn": [sourceArn], "aws:SourceAccount": [own]])
        }
        return keySets
    }

    /// The second of six colon-separated components (the last may hold colons); `aws` when the
    /// text has fewer than six.
    static func partition(of arn: String) -> String {
        if case .read(let partition)? = arn.utf8.withContiguousStorageIfAvailable(asciiPartition) {
            return partition ?? "aws"
        }
        // Characters, as written (a colon followed by a combining mark is no separator).
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? String(parts[1]) : "aws"
    }

    /// ``partition(of:)`` for ASCII text (the usual ARN), where bytes and characters split alike:
    /// the bytes between the first and second colons, when there are five colons.
    private static func asciiPartition(_ bytes: UnsafeBufferPointer<UInt8>) -> AccountScan {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return .notASCII }
        var colons = 0
        var first = 0
        var second = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: ":") {
            colons += 1
            if colons == 1 {
                first = index
            } else if colons == 2 {
                second = index
            } else if colons == 5 {
                return .read(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[(first + 1)..<second]), as: UTF8.self))
            }
        }
        return .read(nil)
    }

    /// The fifth of six colon-separated components (the last may hold colons), when it is an
    /// account id.
    static func account(of arn: String) -> String? {
        if case .read(let account)? = arn.utf8.withContiguousStorageIfAvailable(asciiAccount) { return account }
        // Characters, as written (a colon followed by a combining mark is no separator).
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, ARN.isAccountID(String(parts[4])) else { return nil }
        return String(parts[4])
    }

    /// `account(of: arn) == account`, comparing the bytes in place when both are ASCII (the
    /// usual ARN): making the account a `String` to compare cost more than finding it.
    static func account(of arn: String, is account: String) -> Bool {
        let compared = arn.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard account.isASCII, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // ASCII on both sides: `String` equality is byte equality.
            guard let field = ARN.accountIDBytes(in: bytes) else { return false }
            return account.utf8.elementsEqual(field)
        }
        if case .some(.some(let answer)) = compared { return answer }
        return Self.account(of: arn) == account
    }

    private enum AccountScan {
        /// The account (or partition), or nil when the text has no such component or, for an
        /// account, it is no account id.
        case read(String?)
        /// Not ASCII: split by characters instead.
        case notASCII
    }

    /// ``account(of:)`` for ASCII text (the usual ARN), where bytes and characters split alike:
    /// the bytes between the fourth and fifth colons.
    private static func asciiAccount(_ bytes: UnsafeBufferPointer<UInt8>) -> AccountScan {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return .notASCII }
        return .read(ARN.accountIDBytes(in: bytes).map { String(decoding: $0, as: UTF8.self) })
    }

    private static func unique<T: Hashable>(_ items: [T]) -> [T] {
        // A handful (the usual principals and actions): compared pairwise, no hashing.
        if items.count <= 16 {
            var kept: [T] = []
            kept.reserveCapacity(items.count)
            for item in items where !kept.contains(item) { kept.append(item) }
            return kept
        }
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

extension String {
    /// The text with every `*` and `?` replaced by a probe word: one concrete value a pattern admits.
    var replacingWildcards: String {
        // ASCII text (the usual ARN): byte by byte, the same as character by character.
        if let ascii = utf8.withContiguousStorageIfAvailable(Self.asciiReplacingWildcards) {
            switch ascii {
            case .unchanged: return self
            case .replaced(let text): return text
            case .notASCII: break
            }
        }
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

    private enum WildcardScan {
        case unchanged
        case replaced(String)
        case notASCII
    }

    /// ``replacingWildcards`` of ASCII bytes, written straight into the new string.
    private static func asciiReplacingWildcards(_ bytes: UnsafeBufferPointer<UInt8>) -> WildcardScan {
        var stars = 0
        var any = false
        for byte in bytes {
            if byte >= 0x80 { return .notASCII }
            if byte == UInt8(ascii: "*") {
                stars += 1
                any = true
            } else if byte == UInt8(ascii: "?") {
                any = true
            }
        }
        guard any else { return .unchanged }
        let word = "FLOWROLEPROBE".utf8
        let count = bytes.count + stars * (word.count - 1)
        return .replaced(
            String(unsafeUninitializedCapacity: count) { out in
                var position = 0
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "*"):
                        for letter in word {
                            out[position] = letter
                            position += 1
                        }
                    case UInt8(ascii: "?"):
                        out[position] = UInt8(ascii: "Q")
                        position += 1
                    default:
                        out[position] = byte
                        position += 1
                    }
                }
                return position
            })
    }
}
