import IAMPolicy
import Inventory

/// Lambda function policy statements that the migration leaves without a user: before the
/// 2024-11-22 change Bedrock invoked a flow's Lambda functions as the service principal
/// `bedrock.amazonaws.com`, so function policies often hold a statement allowing it (Principal
/// Service, `lambda:InvokeFunction`, a condition on `aws:SourceArn` and/or `aws:SourceAccount`);
/// after it, flows invoke them with their service role [Bedrock UG flows-permissions].
///
/// A statement is reported (`OBSOLETE_SERVICE_PRINCIPAL_GRANT`, info) — never removed — when:
/// - it allows exactly the service principal `bedrock.amazonaws.com` an action covering
///   `lambda:InvokeFunction`, and has a Sid (what `remove-permission` takes);
/// - at least one flow in the inputs invokes the policy's function, by exactly that ARN (Lambda
///   checks a call against the policy of the ARN it names, qualified or not: IAM-SEMANTICS §6.1);
/// - every such flow version runs as a role that holds `lambda:InvokeFunction` on it once the plan
///   is applied: `granted`, or `add` in a role whose grants the plan writes. A blocked
///   requirement, a role outside the selection or not in the inputs, or a flow after the window
///   whose role lacks the grant keeps the statement;
/// - its `aws:SourceArn` values, under a positive string or ARN operator, are flow ARNs (or alias
///   ARNs of flows) among those flows. A value with a wildcard is reported with a warning that
///   flows outside the inputs may rely on it; so is a statement with no `aws:SourceArn` at all
///   (agents may rely on it too). A value naming anything else (another flow, an agent), or a
///   negated or unknown operator on the key, keeps the statement unreported.
public enum ObsoleteServicePrincipalGrants {
    public static let servicePrincipal = "bedrock.amazonaws.com"
    static let invoke = "lambda:InvokeFunction"

    /// The findings for every statement of `inventory.lambdaPolicies` that the plan's `roles` make
    /// obsolete. `deriver` must be the planner's: every flow's requirements are derived again to
    /// find the flows that invoke each function, including flows whose role is not in the inputs.
    public static func findings(inventory: Inventory, roles: [RolePlan], deriver: RequirementDeriver) -> [Finding] {
        guard !inventory.lambdaPolicies.isEmpty else { return [] }
        let functions = Set(inventory.lambdaPolicies.map(\.functionArn))
        var uses: [String: [(requirement: Requirement, flow: Flow)]] = [:]
        for flow in inventory.flows {
            for requirement in deriver.derive(flow).requirements
            where requirement.action == invoke && functions.contains(requirement.resource) {
                uses[requirement.resource, default: []].append((requirement, flow))
            }
        }
        let lookup = RoleLookup(roles: inventory.roles)
        let plans = Dictionary(roles.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [Finding] = []
        for policy in inventory.lambdaPolicies {
            let users = (uses[policy.functionArn] ?? []).sorted { $0.requirement < $1.requirement }
            guard !users.isEmpty else { continue }
            var holders: [String] = []
            var kept = false
            for use in users {
                guard
                    let role = lookup.role(
                        forExecutionRoleArn: use.requirement.roleArn, flowPartition: use.flow.partition,
                        flowAccount: use.flow.account),
                    let plan = plans[role.arn], holds(plan, use.requirement)
                else {
                    kept = true
                    break
                }
                if !holders.contains(plan.arn) { holders.append(plan.arn) }
            }
            guard !kept else { continue }
            let flows = Set(users.map(\.flow.arn))
            for statement in policy.document.statements {
                guard let sid = statement.sid, allowsBedrockToInvoke(statement),
                    let scope = sourceArnScope(statement, flows: flows)
                else { continue }
                found.append(
                    finding(
                        function: policy.functionArn, sid: sid, flows: flows.sorted(), roles: holders.sorted(),
                        scope: scope))
            }
        }
        return found.sorted()
    }

    /// Whether the role will hold the requirement once the plan is applied.
    static func holds(_ role: RolePlan, _ requirement: Requirement) -> Bool {
        func same(_ other: Requirement) -> Bool {
            (other.action, other.resource, other.flow, other.version, other.node)
                == (requirement.action, requirement.resource, requirement.flow, requirement.version, requirement.node)
        }
        if let planned = role.requirements.first(where: { same($0.requirement) }) {
            switch planned.state {
            case .granted: return true
            case .add: return role.selected && role.changes.contains { $0.kind == .putRolePolicy }
            case .blocked: return false
            }
        }
        // A flow after the window is checked, not migrated: what it lacks is in `notMigrated`, so
        // a requirement absent from it is one the role already grants.
        if role.notMigrated.contains(where: same) { return false }
        return role.flows.contains { $0.arn == requirement.flow && !$0.legacy }
    }

    /// Allow, exactly the service principal, an action covering `lambda:InvokeFunction`.
    static func allowsBedrockToInvoke(_ statement: Statement) -> Bool {
        guard statement.effect == .allow, let principal = statement.principal, !principal.isNegated,
            case .named(let entries) = principal.subjects,
            entries.allSatisfy({ $0.type == .service }), Set(entries.flatMap(\.values)) == [servicePrincipal]
        else { return false }
        return statement.action.match(invoke) == .match
    }

    /// What the statement's `aws:SourceArn` admits, or nil when it admits something the inputs'
    /// users of the function are not.
    enum Scope: Equatable {
        /// Only flows among `flows`.
        case usersOnly
        /// Wildcard values (listed): flows outside the inputs may match.
        case wildcard([String])
        /// No `aws:SourceArn` condition.
        case unconditioned
    }

    static func sourceArnScope(_ statement: Statement, flows: Set<String>) -> Scope? {
        let clauses = statement.condition?.clauses(testing: "aws:SourceArn") ?? []
        guard !clauses.isEmpty else { return .unconditioned }
        var wildcards: [String] = []
        for clause in clauses {
            guard let condition = clause.conditionOperator, !condition.base.isNegated,
                [.stringEquals, .stringLike, .arnEquals, .arnLike].contains(condition.base)
            else { return nil }
            for value in clause.values.map(\.text) {
                if value.hasIAMWildcard {
                    // Only a wildcard over flows: one over agents (an action group's
                    // `…:agent/*`) or any other resource keeps the statement needed.
                    guard let arn = try? ARN(parsing: value), arn.service == "bedrock",
                        arn.resource.hasPrefix("flow/")
                    else { return nil }
                    wildcards.append(value)
                    continue
                }
                guard let flow = flowArn(value), flows.contains(flow) else { return nil }
            }
        }
        return wildcards.isEmpty ? .usersOnly : .wildcard(wildcards)
    }

    /// `arn:P:bedrock:R:A:flow/ID` for a flow ARN or anything under it (`…/alias/ALIAS`); nil for
    /// any other ARN.
    static func flowArn(_ text: String) -> String? {
        guard let arn = try? ARN(parsing: text), arn.service == "bedrock", arn.resource.hasPrefix("flow/") else {
            return nil
        }
        let id = arn.resource.dropFirst("flow/".count).prefix { $0 != "/" }
        guard !id.isEmpty else { return nil }
        return ARN(
            partition: arn.partition, service: arn.service, region: arn.region, account: arn.account,
            resource: "flow/" + id
        ).text
    }

    static func finding(function: String, sid: String, flows: [String], roles: [String], scope: Scope) -> Finding {
        let region = (try? ARN(parsing: function))?.region ?? ""
        let removal =
            "aws lambda remove-permission --function-name \(Shell.quote(function)) --statement-id \(Shell.quote(sid)) --region \(Shell.quote(region))"
        // A statement that names no flow may serve agents and others: no command is offered.
        let next =
            scope == .unconditioned
            ? "No removal command is offered: without an aws:SourceArn condition the statement may serve agents or other Bedrock callers."
            : "After applying the plan, the function's owner may run: \(removal)."
        let caveat: String
        switch scope {
        case .usersOnly:
            caveat = "its aws:SourceArn condition names only these flows"
        case .wildcard(let values):
            caveat =
                "its aws:SourceArn condition is a wildcard (\(values.joined(separator: ", "))): flows outside the inputs (or other Bedrock resources it matches) may rely on it, so check them first"
        case .unconditioned:
            caveat =
                "it has no aws:SourceArn condition: flows outside the inputs, and agents, may rely on it, so check them first"
        }
        return Finding(
            severity: .info, code: "OBSOLETE_SERVICE_PRINCIPAL_GRANT",
            message:
                "statement \"\(sid)\" of \(function)'s function policy lets \(servicePrincipal) invoke it, as flows did before the 2024-11-22 change; every flow in the inputs that invokes it (\(flows.joined(separator: ", "))) does so with its own service role, which holds \(invoke) on it once the plan is applied (\(roles.joined(separator: ", "))), and \(caveat). \(next) Reported, never removed.",
            subject: function)
    }
}
