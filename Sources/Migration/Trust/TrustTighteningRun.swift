import FlowRoleJSON
import IAMPolicy
import Inventory

/// The state of one ``TrustTightener/tighten(roleArn:roleAccount:trust:flows:coverage:)`` call:
/// statement by statement, what changes and what is reported.
struct TrustTighteningRun {
    let roleArn: String
    let roleAccount: String
    let trust: PolicyDocument
    /// Deduplicated, sorted.
    let flows: [TrustTightener.FlowUse]
    /// `flows[i].flowArn`, built once: it is an interpolation, and sorting and pinning asked for
    /// it again and again.
    let flowArns: [String]
    /// The caller's coverage plus the regions of the flows given (they are in the inputs).
    let coverage: TrustTightener.Coverage
    let tightenUnconditioned: Bool

    private var findings = Set<Finding>()
    private var replaced: [Int: JSONValue] = [:]
    private var appended: [JSONValue] = []
    private var pinned = Set<String>()
    /// The document's Sids, gathered when a statement is first split (rarely): nil until then.
    private var sids: Set<String>?
    /// Every flow-related `aws:SourceArn` value under a positive operator, for the pinned check.
    private var flowValues: [(operatorName: String, value: String)] = []
    private var hasPinnedValue = false

    init(
        roleArn: String, roleAccount: String, trust: PolicyDocument, flows: [TrustTightener.FlowUse],
        coverage: TrustTightener.Coverage, tightenUnconditioned: Bool
    ) {
        self.roleArn = roleArn
        self.roleAccount = roleAccount
        self.trust = trust
        (self.flows, self.flowArns) = Self.uniqueSorted(flows)
        var covered = coverage
        for flow in self.flows {
            covered.add(partition: flow.partition, account: flow.account, region: flow.region, by: .flows)
        }
        self.coverage = covered
        self.tightenUnconditioned = tightenUnconditioned
    }

    /// One flow per flow ARN, the least by `FlowUse.<` (by `arn`, the flow ARNs being equal),
    /// sorted, with their flow ARNs: what ``uniqueSortedReference(_:)`` gives, with each flow ARN
    /// built once (where `<` built two per comparison) and no dictionary for a role's few flows.
    /// Sorted by (flow ARN, `arn`), stably, the first of each run of equal flow ARNs is the one
    /// the dictionary kept (the first least `arn` met).
    static func uniqueSorted(_ flows: [TrustTightener.FlowUse]) -> ([TrustTightener.FlowUse], [String]) {
        var keyed = flows.map { (flowArn: $0.flowArn, flow: $0) }
        keyed.sort { ($0.flowArn, $0.flow.arn) < ($1.flowArn, $1.flow.arn) }
        var unique: [TrustTightener.FlowUse] = []
        var flowArns: [String] = []
        unique.reserveCapacity(keyed.count)
        flowArns.reserveCapacity(keyed.count)
        for entry in keyed where flowArns.last != entry.flowArn {
            unique.append(entry.flow)
            flowArns.append(entry.flowArn)
        }
        return (unique, flowArns)
    }

    /// The reference for ``uniqueSorted(_:)``: the code as it was.
    static func uniqueSortedReference(_ flows: [TrustTightener.FlowUse]) -> [TrustTightener.FlowUse] {
        var byArn: [String: TrustTightener.FlowUse] = [:]
        for flow in flows { byArn[flow.flowArn] = min(byArn[flow.flowArn] ?? flow, flow) }
        return byArn.values.sorted()
    }

    /// The role's partition, from its ARN (`aws` when it is not one); only the unconditioned
    /// path needs it.
    var rolePartition: String {
        let arnParts = roleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return arnParts.count == 6 ? String(arnParts[1]) : "aws"
    }

    /// The role's name, for messages only: worked out when a message is written.
    var roleName: String {
        let arnParts = roleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return arnParts.count == 6 ? String(arnParts[5].split(separator: "/").last ?? arnParts[5]) : roleArn
    }

    // MARK: - One statement

    mutating func visit(_ statement: Statement, at index: Int) {
        let clauses = TrustClause.all(in: statement.json).filter { !$0.isNegated }
        guard !clauses.isEmpty else {
            unconditioned(statement, at: index)
            return
        }
        let place = Self.describe(statement, index)
        // Each value read once: `kinds[c][i]` is what `clauses[c]`'s value `i` is about.
        let kinds = clauses.map { $0.texts.map(SourceArnValue.init) }
        var wildcardCount = 0
        var unrecognisedFlowPattern = false
        for (clause, clauseKinds) in zip(clauses, kinds) {
            for (text, kind) in zip(clause.texts, clauseKinds) {
                if kind.isAboutFlows { flowValues.append((clause.operatorName, text)) }
                switch kind {
                case .flowWildcard:
                    if clause.isRewritable {
                        wildcardCount += 1
                    } else if clause.isLiteral {
                        literalWildcard(text, clause, place)
                    } else {
                        note(
                            "TRUST_PATTERN_UNRECOGNISED", roleArn,
                            "The trust policy of role \(roleName) (\(place)) allows \"\(text)\" under \(clause.operatorName), an operator flowrole does not rewrite; left as it is."
                        )
                    }
                case .pinnedFlow:
                    hasPinnedValue = true
                case .otherFlowPattern:
                    if clause.isLiteral, SourceArnValue.hasWildcard(text) {
                        literalWildcard(text, clause, place)
                    } else {
                        unrecognisedFlowPattern = true
                        note(
                            "TRUST_PATTERN_UNRECOGNISED", roleArn,
                            "The trust policy of role \(roleName) (\(place)) has the aws:SourceArn pattern \"\(text)\" under \(clause.operatorName), which can match flows but is not exactly …:flow/*; left as it is."
                        )
                    }
                case .notAboutFlows:
                    break
                }
            }
        }
        guard wildcardCount > 0 else { return }
        // A pattern flowrole does not understand (a bare "*", flow/AB*) still reaches the flows
        // beside the wildcard: pinning the wildcard alone would narrow nothing, so the statement
        // is left as it is (and reported above).
        guard !unrecognisedFlowPattern else { return }
        guard !flows.isEmpty else {
            noFlows(place)
            return
        }

        let sourceAccounts = Self.sourceAccounts(statement.json)
        var uncovered: [String] = []
        for (clause, clauseKinds) in zip(clauses, kinds) where clause.isRewritable {
            for (text, kind) in zip(clause.texts, clauseKinds) {
                guard case .flowWildcard(let partition, let region, let account) = kind else { continue }
                guard let accounts = account == "*" ? sourceAccounts : [account] else {
                    uncovered.append("\"\(text)\" names every account")
                    continue
                }
                for covered in accounts.sorted()
                where !coverage.covers(partition: partition, account: covered, region: region) {
                    uncovered.append(
                        "\"\(text)\" covers \(region == "*" ? "every region" : "region \(region)") of account \(covered)"
                    )
                }
            }
        }
        guard uncovered.isEmpty else {
            note(
                "TRUST_COVERAGE", roleArn,
                "The trust policy of role \(roleName) (\(place)) is left as it is: \(uncovered.joined(separator: "; ")), whose flows the inputs do not cover (add flows, a manifest with an ok export, or --flow-regions)."
            )
            return
        }

        var newValues: [TrustClause: JSONValue] = [:]
        var pinnedHere = Set<String>()
        for (clause, clauseKinds) in zip(clauses, kinds) where clause.isRewritable {
            var kept = Set<String>()
            for (text, kind) in zip(clause.texts, clauseKinds) {
                if case .flowWildcard = kind { continue }
                kept.insert(text)
            }
            var out: [JSONValue] = []
            var added = Set<String>()
            var hasWildcard = false
            for (item, kind) in zip(clause.items, clauseKinds) {
                guard case .flowWildcard(let partition, let region, let account) = kind else {
                    out.append(item)
                    continue
                }
                hasWildcard = true
                let accounts = account == "*" ? sourceAccounts ?? [] : [account]
                let matched = flows.indices.filter {
                    flows[$0].partition == partition && (region == "*" || flows[$0].region == region)
                        && accounts.contains(flows[$0].account)
                }
                // `FlowUse.pinnedValues` of each, from the flow ARNs built once.
                for value in matched.flatMap({ [flowArns[$0], flowArns[$0] + "/*"] }).sorted()
                where !kept.contains(value) && added.insert(value).inserted {
                    out.append(.string(value))
                }
                pinnedHere.formUnion(matched.map { flows[$0].arn })
            }
            guard hasWildcard else { continue }
            guard !out.isEmpty else {
                note(
                    "TRUST_NO_FLOWS", roleArn,
                    "The trust policy of role \(roleName) (\(place)) allows \(clause.texts.joined(separator: ", ")) under \(clause.operatorName), but no flow in the inputs that uses the role matches it; left as it is."
                )
                return
            }
            newValues[clause] = !clause.isList && out.count == 1 ? out[0] : .array(out)
        }
        guard !newValues.isEmpty else { return }
        let condition = TrustClause.condition(of: statement.json, replacing: newValues)
        rewrite(statement, at: index, condition: condition)
        pinned.formUnion(pinnedHere)
    }

    /// A Bedrock statement with no `aws:SourceArn` condition: reported, and tightened when asked
    /// and safe (see ``TrustTightener``).
    private mutating func unconditioned(_ statement: Statement, at index: Int) {
        let place = Self.describe(statement, index)
        guard tightenUnconditioned else {
            note(
                "TRUST_UNCONDITIONED", roleArn,
                "The trust policy of role \(roleName) (\(place)) lets Bedrock assume the role with no aws:SourceArn condition; left as it is (--tighten-unconditioned pins it to the role's flows)."
            )
            return
        }
        note(
            "TRUST_UNCONDITIONED", roleArn,
            "The trust policy of role \(roleName) (\(place)) lets Bedrock assume the role with no aws:SourceArn condition; --tighten-unconditioned asks to pin it to the role's flows."
        )
        guard !flows.isEmpty else {
            noFlows(place)
            return
        }
        let existingClauses = TrustClause.keyed(BedrockTrustStatement.sourceAccountKey, in: statement.json)
            .filter { $0.operatorName == "StringEquals" }
        let existing = Self.sourceAccounts(statement.json)
        if !existingClauses.isEmpty, existing == nil {
            note(
                "TRUST_COVERAGE", roleArn,
                "The trust policy of role \(roleName) (\(place)) is left as it is: its StringEquals aws:SourceAccount does not name literal account ids, so which accounts' flows it admits is not known."
            )
            return
        }
        let accounts = existing ?? [roleAccount]
        if existing == nil {
            let foreign = flows.filter { $0.account != roleAccount || $0.partition != rolePartition }
            guard foreign.isEmpty else {
                note(
                    "TRUST_COVERAGE", roleArn,
                    "The trust policy of role \(roleName) (\(place)) is left as it is: flows of other accounts use the role (\(foreign.map(\.arn).joined(separator: ", "))), and aws:SourceAccount \(roleAccount) would lock them out."
                )
                return
            }
        }
        let relevant = flows.filter { accounts.contains($0.account) && $0.partition == rolePartition }
        guard !relevant.isEmpty else {
            noFlows(place)
            return
        }
        let uncovered = accounts.filter { !coverage.covers(partition: rolePartition, account: $0, region: "*") }
        guard uncovered.isEmpty else {
            note(
                "TRUST_COVERAGE", roleArn,
                "The trust policy of role \(roleName) (\(place)) is left as it is: with no aws:SourceArn condition it admits flows of every region of account \(uncovered.sorted().joined(separator: ", ")), and only a manifest or --flow-regions ACCOUNT:* can say every region was exported."
            )
            return
        }

        var operators: [JSONMember] = statement.json["Condition"]?.objectMembers ?? []
        if existing == nil {
            operators = Self.adding(
                key: "aws:SourceAccount", value: .string(roleAccount), under: "StringEquals", to: operators)
        }
        let values = relevant.flatMap(\.pinnedValues).sorted().map(JSONValue.string)
        operators = Self.adding(key: "aws:SourceArn", value: .array(values), under: "ArnLike", to: operators)
        rewrite(statement, at: index, condition: .object(operators))
        pinned.formUnion(relevant.map(\.arn))
    }

    /// Puts the new condition in place, or splits the statement when it names others besides Bedrock.
    private mutating func rewrite(_ statement: Statement, at index: Int, condition: JSONValue) {
        if BedrockTrustStatement.namesOthers(statement) {
            var taken = sids ?? Set(trust.statements.compactMap(\.sid))
            let sid = BedrockTrustStatement.uniqueSid(basedOn: statement.sid, taken: taken)
            taken.insert(sid)
            sids = taken
            replaced[index] = BedrockTrustStatement.withoutBedrock(statement.json)
            appended.append(BedrockTrustStatement.bedrockOnly(statement.json, sid: sid, condition: condition))
        } else {
            replaced[index] = BedrockTrustStatement.replacingCondition(statement.json, with: condition)
        }
    }

    // MARK: - The whole document

    /// `TRUST_PINNED_MISSING_FLOW` for each flow using the role that no flow value admits, when
    /// the trust policy pins flows: broken today, reported, never added (that would widen trust).
    mutating func reportMissingPinnedFlows() {
        guard hasPinnedValue else { return }
        for (flow, flowArn) in zip(flows, flowArns) {
            let admitted = flowValues.contains {
                SourceArnMatch.matches(operatorName: $0.operatorName, value: $0.value, sourceArn: flowArn) == .match
            }
            guard !admitted else { continue }
            note(
                "TRUST_PINNED_MISSING_FLOW", flow.arn,
                "Flow \(flow.arn) uses role \(roleName), whose trust policy pins flow ARNs without it: the flow cannot assume the role today. flowrole does not add it (that would widen the trust policy)."
            )
        }
    }

    func result(maxCharacters: Int) -> TrustTightener.Result {
        var findings = findings
        var after: (document: PolicyDocument, size: Int)?
        if !replaced.isEmpty || !appended.isEmpty {
            var statements: [JSONValue] = trust.statements.enumerated().map { replaced[$0.offset] ?? $0.element.json }
            statements += appended
            let statementValue: JSONValue =
                trust.statementShape == .object && statements.count == 1 ? statements[0] : .array(statements)
            var members = trust.json.objectMembers ?? []
            members = BedrockTrustStatement.setting("Statement", to: statementValue, in: members)
            do {
                let document = try PolicyDocument(json: .object(members))
                let size = document.json.canonicalCharacterCount
                // `hasSameCanonicalText` answers false for ASCII documents of different sizes
                // after comparing their bytes (equal bytes have equal sizes): with the size counted
                // here, it is not counted again. Any other case asks it.
                let differs =
                    document.json.isASCII && trust.json.isASCII && size != trust.json.canonicalCharacterCount
                    || !document.json.hasSameCanonicalText(as: trust.json)
                if differs { after = (document, size) }
            } catch {
                findings.insert(
                    Finding(
                        severity: .warning, code: "TRUST_REWRITE_FAILED",
                        message:
                            "The tightened trust policy of role \(roleName) does not read back (\(error)); the trust policy is left as it is.",
                        subject: roleArn))
            }
        }
        var pinnedFlows = pinned.sorted()
        if let rewritten = after {
            // `PolicySize.trustPolicy(rewritten.document.json, maxCharacters:)`, with the size counted above.
            let quota = QuotaCheck(used: rewritten.size, limit: maxCharacters)
            if !quota.isWithinLimit {
                findings.insert(
                    Finding(
                        severity: .warning, code: "QUOTA_EXCEEDED",
                        message:
                            "Pinning the \(pinnedFlows.count) flows of role \(roleName) would make its trust policy \(quota.used) characters, over the limit of \(quota.limit) (--trust-policy-max-chars); the trust policy is left as it is.",
                        subject: roleArn))
                after = nil
                pinnedFlows = []
            }
        } else {
            pinnedFlows = []
        }
        return TrustTightener.Result(
            before: trust, after: after?.document, pinnedFlows: pinnedFlows, findings: findings.sorted())
    }

    // MARK: - Helpers

    private mutating func note(_ code: String, _ subject: String, _ message: String) {
        findings.insert(Finding(severity: .warning, code: code, message: message, subject: subject))
    }

    private mutating func noFlows(_ place: String) {
        note(
            "TRUST_NO_FLOWS", roleArn,
            "The trust policy of role \(roleName) (\(place)) allows flows by wildcard, but no flow in the inputs uses the role; left as it is."
        )
    }

    private mutating func literalWildcard(_ text: String, _ clause: TrustClause, _ place: String) {
        note(
            "TRUST_LITERAL_WILDCARD", roleArn,
            "The trust policy of role \(roleName) (\(place)) has \"\(text)\" under \(clause.operatorName), which compares literally: the * matches nothing. Left as it is."
        )
    }

    /// `statement Sid` or `statement N` for messages.
    private static func describe(_ statement: Statement, _ index: Int) -> String {
        statement.sid.map { "statement \($0)" } ?? "statement \(index)"
    }

    /// The accounts a statement's `StringEquals` `aws:SourceAccount` admits (intersection over
    /// clauses), or nil when it has none or one that is not a list of literal account ids.
    static func sourceAccounts(_ statement: JSONValue) -> Set<String>? {
        let clauses = TrustClause.keyed(BedrockTrustStatement.sourceAccountKey, in: statement)
            .filter { $0.operatorName == "StringEquals" }
        guard !clauses.isEmpty else { return nil }
        var accounts: Set<String>?
        for clause in clauses {
            let texts = clause.texts
            guard texts.allSatisfy(ARN.isAccountID) else { return nil }
            accounts = accounts.map { $0.intersection(texts) } ?? Set(texts)
        }
        return accounts
    }

    /// `operators` with `key: value` under `operatorName` (appended to that operator, or a new
    /// operator appended).
    static func adding(key: String, value: JSONValue, under operatorName: String, to operators: [JSONMember])
        -> [JSONMember]
    {
        var operators = operators
        if let index = operators.firstIndex(where: { $0.key == operatorName }),
            case .object(var keys) = operators[index].value
        {
            keys.append(JSONMember(key, value))
            operators[index].value = .object(keys)
        } else {
            operators.append(JSONMember(operatorName, .object([JSONMember(key, value)])))
        }
        return operators
    }
}
