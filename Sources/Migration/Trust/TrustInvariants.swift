import FlowRoleJSON
import IAMPolicy

/// Safety invariants 3 and 4 for a trust policy change (DESIGN, "Safety invariants"), judged in
/// context mode by the evaluator, independently of how the tightener decided:
///
/// * 3. for every probe request context (``TrustProbes``), allowed after ⇒ allowed before (an
///   `unknown` after, or an `unknown` before with an Allow after, counts as a violation); every
///   principal other than Bedrock gets the same answer before and after; and the statements not
///   about Bedrock — every statement with `bedrock.amazonaws.com` taken out of an Allow's
///   `Principal` `Service` — are byte-identical (canonical JSON), in order;
/// * 4. every flow given that could assume the role before (as the flow, an alias or an
///   execution, with its own account as `aws:SourceAccount`) can still assume it after.
public enum TrustInvariants {
    /// At most this many violations are listed; the rest are counted.
    static let listed = 25

    /// The violations, each a sentence; empty when the change is safe (or there is no change).
    ///
    /// The probes are answered by a ``ContextGrid`` (each statement's principal and action matched
    /// once per pair, each condition clause once per value of its key), which gives every
    /// request the verdicts ``referenceViolations(roleArn:roleAccount:before:after:flows:)``
    /// computes request by request; the findings are the same sentences in the same order.
    public static func violations(
        roleArn: String, roleAccount: String, before: PolicyDocument, after: PolicyDocument?,
        flows: [TrustTightener.FlowUse]
    ) -> [String] {
        guard let after, !after.json.hasSameCanonicalText(as: before.json) else { return [] }
        var found = residualViolations(before: before, after: after)

        // 3: allowed after ⇒ allowed before; other principals unchanged.
        let probes = TrustProbes(roleArn: roleArn, roleAccount: roleAccount, documents: [before, after], flows: flows)
        var (grid, probeKeySets) = probes.grid(documents: [before, after], flows: flows)
        let afterStatements = grid.statementIndices(of: 1)
        var beforeStatementsMade: Set<String>?
        func beforeStatements() -> Set<String> {
            if let made = beforeStatementsMade { return made }
            let made = Set(before.statements.map(\.json.canonicalText))
            beforeStatementsMade = made
            return made
        }
        for principal in probes.principals {
            for action in probes.actions {
                let request = grid.requestMatches(principal: principal, action: action)
                // No statement of either document can apply to the pair, whatever the keys: not
                // allowed before nor after, nothing to judge.
                guard request.contains(where: { $0 != .noMatch }) else { continue }
                for keySet in 0..<probeKeySets {
                    let was = grid.isAllowed(document: 0, request: request, keySet: keySet)
                    let now = grid.isAllowed(document: 1, request: request, keySet: keySet)
                    let widens = now != false && was != true
                    let narrowsOther = principal != TrustProbes.bedrock && was == true && now != true
                    guard widens || narrowsOther else { continue }
                    if widens, was == nil, now == nil {
                        // Doubt only from statements left exactly as they were: no widening.
                        var sameDoubt = true
                        for index in afterStatements {
                            let result = grid.statementResult(index, request: request, keySet: keySet)
                            let statement = after.statements[index - afterStatements.lowerBound]
                            let certainAllow = result == .match && statement.effect == .allow
                            if certainAllow
                                || (result == .unknown && !beforeStatements().contains(statement.json.canonicalText))
                            {
                                sameDoubt = false
                                break
                            }
                        }
                        if sameDoubt { continue }
                    }
                    let context = RequestContext(principal: principal, action: action, keys: grid.contextKeys(keySet))
                    if widens {
                        found.append(
                            "Invariant 3: the new trust policy \(now == true ? "allows" : "may allow") \(describe(context)), which the old one \(was == false ? "did not allow" : "did not certainly allow")."
                        )
                    } else {
                        found.append(
                            "Invariant 3: the new trust policy no longer allows \(describe(context)); only Bedrock's access may change."
                        )
                    }
                }
            }
        }

        // 4: flows seen keep their access (the grid's key sets after the probes', three per flow).
        let assume = grid.requestMatches(principal: TrustProbes.bedrock, action: "sts:AssumeRole")
        for (index, flow) in flows.enumerated() {
            for keySet in (probeKeySets + index * 3)..<(probeKeySets + index * 3 + 3)
            where grid.isAllowed(document: 0, request: assume, keySet: keySet) == true
                && grid.isAllowed(document: 1, request: assume, keySet: keySet) != true
            {
                let context = RequestContext(
                    principal: TrustProbes.bedrock, action: "sts:AssumeRole", keys: grid.contextKeys(keySet))
                found.append(
                    "Invariant 4: flow \(flow.arn) could assume the role before (\(describe(context))) and no longer can."
                )
                break
            }
        }

        guard found.count > listed else { return found }
        return Array(found.prefix(listed)) + ["… and \(found.count - listed) more violations."]
    }

    /// Invariant 3's structural half: the statements not about Bedrock, byte for byte, in order.
    static func residualViolations(before: PolicyDocument, after: PolicyDocument) -> [String] {
        let residualBefore = before.statements.compactMap { nonBedrockPart($0.json)?.canonicalText }
        let residualAfter = after.statements.compactMap { nonBedrockPart($0.json)?.canonicalText }
        guard residualBefore != residualAfter else { return [] }
        return [
            "Invariant 3: the statements not about Bedrock differ: before \(residualBefore.joined(separator: " ")), after \(residualAfter.joined(separator: " "))."
        ]
    }

    /// The reference for ``violations(roleArn:roleAccount:before:after:flows:)``: every probe
    /// request built and evaluated by ``PolicyDocument/evaluate(_:policyID:)``, before and after.
    static func referenceViolations(
        roleArn: String, roleAccount: String, before: PolicyDocument, after: PolicyDocument?,
        flows: [TrustTightener.FlowUse]
    ) -> [String] {
        guard let after, after.canonicalText != before.canonicalText else { return [] }
        var found: [String] = []

        // 3: statements not about Bedrock stay byte for byte.
        let residualBefore = before.statements.compactMap { nonBedrockPart($0.json)?.canonicalText }
        let residualAfter = after.statements.compactMap { nonBedrockPart($0.json)?.canonicalText }
        if residualBefore != residualAfter {
            found.append(
                "Invariant 3: the statements not about Bedrock differ: before \(residualBefore.joined(separator: " ")), after \(residualAfter.joined(separator: " "))."
            )
        }

        // 3: allowed after ⇒ allowed before; other principals unchanged.
        let probes = TrustProbes(roleArn: roleArn, roleAccount: roleAccount, documents: [before, after], flows: flows)
        var widened: [String] = []
        // Only needed when both answers are unknown: made then, once.
        var beforeStatementsMade: Set<String>?
        func beforeStatements() -> Set<String> {
            if let made = beforeStatementsMade { return made }
            let made = Set(before.statements.map(\.json.canonicalText))
            beforeStatementsMade = made
            return made
        }
        // A (principal, action) that no statement of either document can apply to, whatever the
        // condition keys, is not allowed before nor after in every context: nothing to judge.
        // (Context mode tests the principal and the action before anything else.)
        let statements = before.statements + after.statements
        let mayApply = { (principal: RequestPrincipal, action: String) -> Bool in
            statements.contains { statement in
                (statement.principal.map { $0.match(principal) != .noMatch } ?? true)
                    && statement.action.match(action) != .noMatch
            }
        }
        probes.forEachContext(where: mayApply) { context in
            let was = before.evaluate(context).isAllowed
            let outcome = after.evaluate(context)
            let now = outcome.isAllowed
            // Doubt that comes only from statements the change left exactly as they were is the
            // same doubt as before: unknown → unknown through untouched statements is no widening.
            let sameDoubt =
                was == nil && now == nil && outcome.allowedBy.isEmpty
                && outcome.undetermined.allSatisfy { match in
                    after.statements.indices.contains(match.reference.statementIndex)
                        && beforeStatements().contains(
                            after.statements[match.reference.statementIndex].json.canonicalText)
                }
            if now != false, was != true, !sameDoubt {
                widened.append(
                    "Invariant 3: the new trust policy \(now == true ? "allows" : "may allow") \(describe(context)), which the old one \(was == false ? "did not allow" : "did not certainly allow")."
                )
            } else if context.principal != TrustProbes.bedrock, was == true, now != true {
                widened.append(
                    "Invariant 3: the new trust policy no longer allows \(describe(context)); only Bedrock's access may change."
                )
            }
        }
        found += widened

        // 4: flows seen keep their access.
        for flow in flows {
            if let context = lockout(flowArn: flow.flowArn, flowAccount: flow.account, before: before, after: after) {
                found.append(
                    "Invariant 4: flow \(flow.arn) could assume the role before (\(describe(context))) and no longer can."
                )
            }
        }

        guard found.count > listed else { return found }
        return Array(found.prefix(listed)) + ["… and \(found.count - listed) more violations."]
    }

    /// A request by which Bedrock could assume the role for this flow before — as the flow, an
    /// alias or an execution, with the flow's account as `aws:SourceAccount` — and cannot after;
    /// nil when the flow keeps its access (or never had it).
    public static func lockout(flowArn: String, flowAccount: String, before: PolicyDocument, after: PolicyDocument)
        -> RequestContext?
    {
        for sourceArn in [flowArn, flowArn + "/alias/FLOWROLEPROBE", flowArn + "/execution/FLOWROLEPROBE"] {
            let context = RequestContext(
                principal: TrustProbes.bedrock, action: "sts:AssumeRole",
                keys: ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [flowAccount]])
            if before.evaluate(context).isAllowed == true, after.evaluate(context).isAllowed != true { return context }
        }
        return nil
    }

    /// The same check for a tightener's result.
    public static func violations(
        of result: TrustTightener.Result, roleArn: String, roleAccount: String, flows: [TrustTightener.FlowUse]
    ) -> [String] {
        violations(roleArn: roleArn, roleAccount: roleAccount, before: result.before, after: result.after, flows: flows)
    }

    /// A statement with `bedrock.amazonaws.com` removed from an Allow's `Principal` `Service`;
    /// nil when nothing else is left (a statement about Bedrock alone).
    static func nonBedrockPart(_ json: JSONValue) -> JSONValue? {
        guard json["Effect"] == .string("Allow"), case .object(let principal)? = json["Principal"],
            case .object(var members) = json
        else { return json }
        let bedrock = JSONValue.string(BedrockTrustStatement.service)
        var remaining: [JSONMember] = []
        for member in principal {
            guard member.key == "Service" else {
                remaining.append(member)
                continue
            }
            switch member.value {
            case bedrock: continue
            case .array(let items):
                let kept = items.filter { $0 != bedrock }
                if !kept.isEmpty { remaining.append(JSONMember(member.key, .array(kept))) }
            default: remaining.append(member)
            }
        }
        if remaining.isEmpty { return nil }
        if let index = members.firstIndex(where: { $0.key == "Principal" }) {
            members[index].value = .object(remaining)
        }
        return .object(members)
    }

    static func describe(_ context: RequestContext) -> String {
        let keys = context.keys.keys.map { "\($0)=\(context.keys[$0]?.joined(separator: ",") ?? "")" }
        return "\(context.action) by \(context.principal)"
            + (keys.isEmpty ? " with no source keys" : " with \(keys.joined(separator: ", "))")
    }
}
