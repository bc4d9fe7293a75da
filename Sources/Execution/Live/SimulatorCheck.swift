import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Migration

/// `check PLAN --live`: asks IAM's own policy simulator about every (action, resource) pair the
/// plan requires of a role and compares its answer with flowrole's evaluator on the same live
/// documents, so an operator sees where the two disagree before trusting either.
///
/// The simulator is `SimulatePrincipalPolicy` (IAM API Reference; `aws iam simulate-principal-policy`).
/// For a role it evaluates the role's identity policies (inline and attached managed, default
/// versions), its permissions boundary (`PermissionsBoundaryDecisionDetail`) and the service
/// control policies of the organization the account belongs to (`OrganizationsDecisionDetail`),
/// which no export holds and flowrole cannot see (`SCP_NOT_EVALUATED`). Resource-based policies
/// are evaluated only when one is passed (`--resource-policy`, for IAM users only), so a Lambda
/// function's or a Lex bot's own policy is part of neither answer. It performs no operation. The
/// caller needs `iam:SimulatePrincipalPolicy` on the role (the API reads the role's policies
/// itself; the console's principal mode also needs `iam:GetRole`, `iam:ListRolePolicies`, …), and
/// `iam:GetAccountAuthorizationDetails` for the local side (docs/permissions/check.json).
///
/// The local verdict is the evaluator's proof mode (``PolicySet/evaluate(action:resource:assuming:)``)
/// with the permissions boundary (``NamedPolicy/boundaryAllows(action:resource:assuming:)``), over
/// the documents `iam get-account-authorization-details` returns now — the account as it is, not
/// as the plan read it. A requirement's `condition` block gives both sides the same context: its
/// keys and values are the simulator's `ContextEntries` and the evaluator's assumed `ContextKeys`.
public struct SimulatorCheck: Sendable {
    public struct Options: Sendable {
        /// Only these role ARNs (`--only FILE`); by default the roles the plan selected.
        public var only: Set<String>?
        /// Simulator calls in flight per account.
        public var parallel = 4
        /// `arn:{partition}:iam::{account}:role/NAME`: credentials per account.
        public var assumeRole: String?
        public var externalID: String?
        /// Resource ARNs per simulator call (one action, one context).
        public var resourcesPerCall = 50

        public init() {}
    }

    public var plan: Plan
    public var planPath: String
    public var planSHA256: String
    public var aws: AWSCommandLine
    public var options: Options

    public init(plan: Plan, planPath: String, planSHA256: String, aws: AWSCommandLine, options: Options) {
        self.plan = plan
        self.planPath = planPath
        self.planSHA256 = planSHA256
        self.aws = aws
        self.options = options
    }

    // MARK: - Values

    /// One condition key and its values, as the simulator's `ContextEntry` takes them.
    public struct ContextEntry: Sendable, Hashable, Comparable {
        public var key: String
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }

        /// `ContextKeyType`: `string` for one value, `stringList` for several.
        public var type: String { values.count == 1 ? "string" : "stringList" }

        public static func < (lhs: ContextEntry, rhs: ContextEntry) -> Bool {
            if lhs.key.lowercased() != rhs.key.lowercased() { return lhs.key.lowercased() < rhs.key.lowercased() }
            return lhs.values.lexicographicallyPrecedes(rhs.values)
        }
    }

    /// One pair a role must be allowed, in the context its requirement declares.
    public struct Pair: Sendable, Hashable, Comparable {
        public var action: String
        public var resource: String
        public var context: [ContextEntry]
        /// The plan's state of the requirement (`add`, `granted`, `blocked`).
        public var planned: PlannedRequirement.State

        public init(action: String, resource: String, context: [ContextEntry], planned: PlannedRequirement.State) {
            self.action = action
            self.resource = resource
            self.context = context
            self.planned = planned
        }

        /// (action, resource, context): what is asked, whatever the plan decided.
        var key: String { "\(action)\u{0}\(resource)\u{0}\(SimulatorCheck.contextKey(context))" }

        public static func < (lhs: Pair, rhs: Pair) -> Bool {
            if (lhs.action, lhs.resource) != (rhs.action, rhs.resource) {
                return (lhs.action, lhs.resource) < (rhs.action, rhs.resource)
            }
            return SimulatorCheck.contextKey(lhs.context) < SimulatorCheck.contextKey(rhs.context)
        }
    }

    /// One `simulate-principal-policy` call: one role, one action, one context, several resources.
    public struct Call: Sendable, Hashable {
        public var roleArn: String
        public var action: String
        public var resources: [String]
        public var context: [ContextEntry]

        /// The command line's arguments; the first page with `--no-paginate` (so `IsTruncated` and
        /// `Marker` come back), the next with `--marker`.
        public func arguments(marker: String? = nil) -> [String] {
            var arguments = ["--policy-source-arn", roleArn, "--action-names", action, "--resource-arns"] + resources
            if !context.isEmpty {
                let entries: JSONValue = .array(
                    context.map {
                        [
                            "ContextKeyName": .string($0.key),
                            "ContextKeyValues": .array($0.values.map(JSONValue.string)),
                            "ContextKeyType": .string($0.type),
                        ]
                    })
                arguments += ["--context-entries", entries.canonicalText]
            }
            if let marker { arguments += ["--marker", marker] } else { arguments.append("--no-paginate") }
            return arguments
        }

        var key: String { "\(action)\u{0}\(SimulatorCheck.contextKey(context))" }
    }

    /// `EvalDecision` / `EvalResourceDecision`.
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        case allowed, explicitDeny, implicitDeny
    }

    /// What the simulator said about one pair.
    public struct SimulatorAnswer: Sendable, Hashable {
        public var decision: Decision
        /// `OrganizationsDecisionDetail.AllowedByOrganizations`; nil when the account is in no organization.
        public var allowedByOrganizations: Bool?
        /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`; nil without a boundary.
        public var allowedByPermissionsBoundary: Bool?
        /// `SourcePolicyId (SourcePolicyType)` of the statements that decided.
        public var matchedStatements: [String]
        /// Context keys the policies use that the call did not give.
        public var missingContextValues: [String]

        public init(
            decision: Decision, allowedByOrganizations: Bool? = nil, allowedByPermissionsBoundary: Bool? = nil,
            matchedStatements: [String] = [], missingContextValues: [String] = []
        ) {
            self.decision = decision
            self.allowedByOrganizations = allowedByOrganizations
            self.allowedByPermissionsBoundary = allowedByPermissionsBoundary
            self.matchedStatements = matchedStatements
            self.missingContextValues = missingContextValues
        }
    }

    /// flowrole's evaluator on the live documents: proof mode, with the boundary.
    public enum LocalVerdict: String, Sendable, Hashable {
        /// An unconditional Allow (and the boundary) covers it, nothing denies it.
        case allowed
        /// An unconditional Deny matches (in the policies or the boundary).
        case denied
        /// No Allow matches, or the boundary does not allow it.
        case notAllowed
        /// Allowed only under a condition the requirement's context does not settle, or a policy
        /// is missing from what IAM returned: the evaluator cannot say.
        case unproven
    }

    public enum Agreement: String, Sendable, Hashable {
        case agree, disagree, unproven
    }

    public struct PairResult: Sendable, Hashable {
        public var pair: Pair
        public var local: LocalVerdict
        /// nil when the simulator could not be asked (the role's `error` says why).
        public var simulator: SimulatorAnswer?

        /// Whether both sides say the same about access: allowed, or not.
        public var agreement: Agreement? {
            guard let simulator else { return nil }
            return SimulatorCheck.agreement(local: local, simulator: simulator.decision)
        }
    }

    public struct RoleResult: Sendable, Hashable {
        public var arn: String
        public var name: String
        public var account: String
        public var pairs: [PairResult]
        /// Why the role (or some of its pairs) could not be checked.
        public var error: String?
    }

    // MARK: - Running

    /// Checks every selected role (or those of `--only`), account by account; one result per role
    /// with requirements, sorted by ARN. AWS failures are reported per role, not thrown; only an
    /// `--only` ARN the plan does not hold is.
    public func run(progress: @Sendable (String) -> Void = { _ in }) throws(ExecutionError) -> [RoleResult] {
        var roles: [RolePlan]
        if let only = options.only {
            let known = Set(plan.roles.map(\.arn))
            if let unknown = only.subtracting(known).sorted().first {
                throw ExecutionError("\(unknown) is not a role of the plan \(planPath).")
            }
            roles = plan.roles.filter { only.contains($0.arn) }
        } else {
            roles = plan.roles.filter(\.selected)
        }
        roles.removeAll { $0.requirements.isEmpty }
        var results: [RoleResult] = []
        let accounts = Dictionary(grouping: roles, by: \.account)
        for account in accounts.keys.sorted() {
            let list = accounts[account] ?? []
            progress("account \(account): asking the policy simulator about \(list.count) roles")
            results += check(account: account, roles: list)
        }
        return results.sorted { $0.arn < $1.arn }
    }

    private func check(account: String, roles: [RolePlan]) -> [RoleResult] {
        let partition = roles.first.flatMap { try? ARN(parsing: $0.arn) }?.partition.rawValue ?? "aws"
        func failed(_ message: String) -> [RoleResult] {
            roles.map { RoleResult(arn: $0.arn, name: $0.name, account: account, pairs: [], error: message) }
        }
        let caller: AWSCommandLine
        do {
            caller = try aws.forAccount(
                account, partition: partition, assumeRole: options.assumeRole, externalID: options.externalID,
                sessionName: "flowrole-\(planSHA256.prefix(12))")
        } catch {
            return failed("cannot assume \(error.roleArn): \(error.error.description)")
        }
        let reader = AccountReader(aws: caller, parallel: options.parallel)
        let inventory: Inventory
        do {
            let identity = try reader.identity()
            guard identity.account == account, identity.partition == partition else {
                return failed(
                    "the credentials are \(identity.arn) (account \(identity.account), partition \(identity.partition)), not account \(account) in partition \(partition); give credentials of that account (--profile or --assume-role)."
                )
            }
            inventory = try LiveState.inventory(
                [("iam.json", try reader.authorizationDetails().prettyBytes)], account: account)
        } catch let error as AWSError {
            return failed(error.description)
        } catch let error as ExecutionError {
            return failed(error.description)
        } catch {
            return failed("\(error)")
        }

        let live = Dictionary(
            inventory.roles.map { ($0.arn.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = Dictionary(roles.map { ($0.arn, Self.pairs(of: $0)) }, uniquingKeysWith: { first, _ in first })
        let calls = roles.filter { live[$0.arn.lowercased()] != nil }.flatMap {
            Self.calls(roleArn: $0.arn, pairs: pairs[$0.arn] ?? [], resourcesPerCall: options.resourcesPerCall)
        }
        let answered = Concurrent.map(calls, limit: options.parallel) {
            call throws(AWSError) -> [String: SimulatorAnswer] in
            try Self.simulate(call) { arguments throws(AWSError) -> JSONValue in
                try caller.call("iam", "simulate-principal-policy", arguments).json
            }
        }
        var answers: [String: [String: SimulatorAnswer]] = [:]  // role ARN + call key → resource → answer
        var errors: [String: String] = [:]
        for (call, result) in zip(calls, answered) {
            switch result {
            case .success(let byResource):
                answers["\(call.roleArn)\u{0}\(call.key)", default: [:]].merge(byResource) { first, _ in first }
            case .failure(let error):
                if errors[call.roleArn] == nil { errors[call.roleArn] = error.description }
            }
        }

        return roles.map { role in
            let rolePairs = pairs[role.arn] ?? []
            guard let current = live[role.arn.lowercased()] else {
                return RoleResult(
                    arn: role.arn, name: role.name, account: account, pairs: [],
                    error: "the role is not in account \(account) any more.")
            }
            let policies = Self.localPolicies(of: current, in: inventory)
            let results = rolePairs.map { pair in
                let callKey = "\(role.arn)\u{0}\(pair.action)\u{0}\(Self.contextKey(pair.context))"
                return PairResult(
                    pair: pair, local: Self.localVerdict(policies, pair: pair),
                    simulator: answers[callKey]?[pair.resource])
            }
            return RoleResult(arn: role.arn, name: role.name, account: account, pairs: results, error: errors[role.arn])
        }
    }

    // MARK: - Pairs and calls

    /// The distinct (action, resource, context) pairs of a role's requirements, sorted; several
    /// flows, versions or nodes needing one grant give one pair.
    public static func pairs(of role: RolePlan) -> [Pair] {
        var seen = Set<String>()
        var pairs: [Pair] = []
        for planned in role.requirements {
            let pair = Pair(
                action: planned.requirement.action, resource: planned.requirement.resource,
                context: contextEntries(condition: planned.requirement.condition), planned: planned.state)
            if seen.insert(pair.key).inserted { pairs.append(pair) }
        }
        return pairs.sorted()
    }

    /// The context a requirement's `Condition` block declares: every key of every operator with its
    /// values (`{"StringEquals": {"aws:ResourceAccount": ["111122223333"]}}` →
    /// `aws:ResourceAccount = [111122223333]`). Keys are case-insensitive, as in IAM: the same key
    /// under two operators is one entry with the values of both. Sorted by key. The same context
    /// the evaluator assumes (``Requirement/assumedContext``).
    public static func contextEntries(condition: JSONValue?) -> [ContextEntry] {
        var entries: [String: ContextEntry] = [:]
        for clause in condition?.objectMembers ?? [] {
            for member in clause.value.objectMembers ?? [] {
                let values = member.value.stringList ?? []
                guard !values.isEmpty else { continue }
                let folded = member.key.lowercased()
                var entry = entries[folded] ?? ContextEntry(key: member.key, values: [])
                for value in values where !entry.values.contains(value) { entry.values.append(value) }
                entries[folded] = entry
            }
        }
        return entries.values.sorted()
    }

    /// One call per (action, context), with that group's resources (sorted, at most
    /// `resourcesPerCall` each): the simulator evaluates every action of a call on every resource,
    /// so grouping by action asks exactly the required pairs.
    public static func calls(roleArn: String, pairs: [Pair], resourcesPerCall: Int = 50) -> [Call] {
        var groups: [String: Call] = [:]
        var order: [String] = []
        for pair in pairs {
            let call = Call(roleArn: roleArn, action: pair.action, resources: [], context: pair.context)
            if groups[call.key] == nil {
                groups[call.key] = call
                order.append(call.key)
            }
            if groups[call.key]?.resources.contains(pair.resource) == false {
                groups[call.key]?.resources.append(pair.resource)
            }
        }
        var calls: [Call] = []
        for key in order.sorted() {
            guard let group = groups[key] else { continue }
            let resources = group.resources.sorted()
            let size = max(1, resourcesPerCall)
            for start in stride(from: 0, to: resources.count, by: size) {
                var call = group
                call.resources = Array(resources[start..<min(start + size, resources.count)])
                calls.append(call)
            }
        }
        return calls
    }

    static func contextKey(_ context: [ContextEntry]) -> String {
        context.map { "\($0.key.lowercased())=\($0.values.joined(separator: "\u{1}"))" }.joined(separator: "\u{2}")
    }

    // MARK: - Asking the simulator

    /// Asks one call, following `Marker` while `IsTruncated`, and returns an answer per resource
    /// of the call. `ask` runs `aws iam simulate-principal-policy ARGUMENTS` (tests pass pages).
    public static func simulate(
        _ call: Call, ask: (_ arguments: [String]) throws(AWSError) -> JSONValue
    ) throws(AWSError) -> [String: SimulatorAnswer] {
        var answers: [String: SimulatorAnswer] = [:]
        var marker: String?
        var markers = Set<String>()
        repeat {
            let page = try parse(try ask(call.arguments(marker: marker)), call: call)
            answers.merge(page.answers) { first, _ in first }
            marker = page.marker
            if let marker, !markers.insert(marker).inserted {
                throw unreadable("the simulator returned the marker \(marker) twice")
            }
        } while marker != nil
        if let missing = call.resources.first(where: { answers[$0] == nil }) {
            throw unreadable("the simulator gave no result for \(call.action) on \(missing)")
        }
        return answers
    }

    /// One page of the simulator's answer (`SimulatePrincipalPolicyResult` as the command line
    /// prints it), read per resource.
    ///
    /// With one resource the result's `EvalResourceName` is that resource and `EvalDecision` is
    /// the final decision. With several, IAM answers one result per action whose
    /// `EvalResourceName` may be an ARN template (`arn:aws:lambda:${Region}:${Account}:…`) and
    /// whose `EvalDecision` aggregates; the decision per resource is then in
    /// `ResourceSpecificResults` (`EvalResourceDecision`). When the organization's SCPs deny the
    /// action (`AllowedByOrganizations` false) "the simulation ends" (API Reference,
    /// EvaluationResult): no resource of that result is allowed, whatever a resource-specific
    /// result says.
    public static func parse(_ output: JSONValue, call: Call) throws(AWSError) -> (
        answers: [String: SimulatorAnswer], marker: String?
    ) {
        guard let results = output["EvaluationResults"]?.arrayValue else {
            throw unreadable("the simulator's answer has no EvaluationResults")
        }
        let asked = Set(call.resources)
        var answers: [String: SimulatorAnswer] = [:]
        for result in results {
            guard let action = result["EvalActionName"]?.stringValue,
                let decision = result["EvalDecision"]?.stringValue.flatMap(Decision.init(rawValue:))
            else {
                throw unreadable("a simulator result without EvalActionName or a known EvalDecision")
            }
            guard action.lowercased() == call.action.lowercased() else { continue }
            let organizations = boolean(result["OrganizationsDecisionDetail"]?["AllowedByOrganizations"])
            let boundary = boolean(result["PermissionsBoundaryDecisionDetail"]?["AllowedByPermissionsBoundary"])
            var decided: [String: (Decision, JSONValue)] = [:]
            for specific in result["ResourceSpecificResults"]?.arrayValue ?? [] {
                guard let resource = specific["EvalResourceName"]?.stringValue,
                    let value = specific["EvalResourceDecision"]?.stringValue.flatMap(Decision.init(rawValue:))
                else {
                    throw unreadable("a ResourceSpecificResults entry without EvalResourceName or a known decision")
                }
                decided[resource] = (value, specific)
            }
            if let resource = result["EvalResourceName"]?.stringValue, asked.contains(resource) {
                decided[resource] = (decision, result)
            }
            for (resource, (value, source)) in decided where asked.contains(resource) {
                var final = value
                if organizations == false && final == .allowed {
                    final = decision == .allowed ? .explicitDeny : decision
                }
                let matched = (source["MatchedStatements"]?.arrayValue ?? result["MatchedStatements"]?.arrayValue ?? [])
                    .map { statement in
                        let id = statement["SourcePolicyId"]?.stringValue ?? "?"
                        return statement["SourcePolicyType"]?.stringValue.map { "\(id) (\($0))" } ?? id
                    }
                let missing = (source["MissingContextValues"]?.stringList ?? [])
                answers[resource] = SimulatorAnswer(
                    decision: final, allowedByOrganizations: organizations, allowedByPermissionsBoundary: boundary,
                    matchedStatements: matched, missingContextValues: missing)
            }
        }
        let truncated = boolean(output["IsTruncated"]) == true
        return (answers, truncated ? output["Marker"]?.stringValue : nil)
    }

    /// A JSON boolean, or the text `true`/`false` (XML-shaped outputs).
    static func boolean(_ value: JSONValue?) -> Bool? {
        switch value {
        case .bool(let flag)?: flag
        case .string(let text)?: text.lowercased() == "true" ? true : text.lowercased() == "false" ? false : nil
        default: nil
        }
    }

    static func unreadable(_ message: String) -> AWSError {
        AWSError(service: "iam", operation: "simulate-principal-policy", code: "UnreadableOutput", message: message)
    }

    // MARK: - The local side

    /// A role's identity policies and boundary as IAM holds them now.
    public struct LocalPolicies: Sendable {
        public var identity: PolicySet
        public var boundary: NamedPolicy?
        /// False when an attached policy or the boundary is not in what IAM returned.
        public var complete: Bool

        public init(identity: PolicySet, boundary: NamedPolicy?, complete: Bool) {
            self.identity = identity
            self.boundary = boundary
            self.complete = complete
        }
    }

    /// Inline policies, attached managed policies (default versions) and the boundary of `role`.
    public static func localPolicies(of role: Role, in inventory: Inventory) -> LocalPolicies {
        var complete = role.inlinePoliciesComplete && role.attachedPolicies != nil
        var policies = role.inlinePolicies.map { NamedPolicy(id: $0.name, kind: .inline, document: $0.document) }
        for attached in role.attachedPolicies ?? [] {
            guard let document = inventory.managedPolicy(arn: attached.arn)?.defaultVersion?.document else {
                complete = false
                continue
            }
            policies.append(NamedPolicy(id: attached.arn, kind: .managed, document: document))
        }
        var boundary: NamedPolicy?
        if let arn = role.permissionsBoundaryArn {
            if let document = inventory.managedPolicy(arn: arn)?.defaultVersion?.document {
                boundary = NamedPolicy(id: arn, kind: .permissionsBoundary, document: document)
            } else {
                complete = false
            }
        }
        return LocalPolicies(identity: PolicySet(policies), boundary: boundary, complete: complete)
    }

    /// The evaluator's verdict for `pair`, assuming the pair's context (none: conditions unproven).
    /// With a policy missing, only a Deny is certain.
    public static func localVerdict(_ policies: LocalPolicies, pair: Pair) -> LocalVerdict {
        var context: ContextKeys?
        if !pair.context.isEmpty {
            var values: [String: [String]] = [:]
            for entry in pair.context { values[entry.key, default: []].append(contentsOf: entry.values) }
            context = ContextKeys(values)
        }
        let effective = EffectivePermission(
            action: pair.action, resource: pair.resource, identity: policies.identity, boundary: policies.boundary,
            assuming: context)
        switch effective.verdict {
        case .denied: return .denied
        case .allowed: return policies.complete ? .allowed : .unproven
        case .notAllowed: return policies.complete ? .notAllowed : .unproven
        case .conditionallyAllowed: return .unproven
        }
    }

    /// Both sides agree when they say the same about access; an unproven local verdict is neither.
    public static func agreement(local: LocalVerdict, simulator: Decision) -> Agreement {
        switch local {
        case .unproven: .unproven
        case .allowed: simulator == .allowed ? .agree : .disagree
        case .denied, .notAllowed: simulator == .allowed ? .disagree : .agree
        }
    }
}

// MARK: - The report

extension SimulatorCheck {
    /// Counts over the results.
    public struct Summary: Sendable, Hashable {
        public var roles = 0
        /// Pairs the simulator answered.
        public var pairs = 0
        public var agreed = 0
        public var disagreed = 0
        public var unproven = 0
        /// Roles that could not be checked completely.
        public var failedRoles = 0

        public init(_ results: [RoleResult]) {
            roles = results.count
            for role in results {
                if role.error != nil { failedRoles += 1 }
                for pair in role.pairs {
                    guard let agreement = pair.agreement else { continue }
                    pairs += 1
                    switch agreement {
                    case .agree: agreed += 1
                    case .disagree: disagreed += 1
                    case .unproven: unproven += 1
                    }
                }
            }
        }

        /// 0 all agree, 2 a disagreement, 1 a role that could not be checked.
        public var exitStatus: Int32 { failedRoles > 0 ? 1 : disagreed > 0 ? 2 : 0 }

        public var line: String {
            "\(roles) roles, \(pairs) pairs asked: \(agreed) agreed, \(disagreed) disagreed, \(unproven) unproven locally"
                + (failedRoles > 0 ? "; \(failedRoles) roles could not be checked." : ".")
        }
    }

    /// Each distinct error with the names of the roles it kept from being checked (an account's
    /// credentials fail every role of the account once), in order of first appearance.
    public static func failures(_ results: [RoleResult]) -> [(error: String, roles: [String])] {
        var failures: [(error: String, roles: [String])] = []
        for role in results {
            guard let error = role.error else { continue }
            if let index = failures.firstIndex(where: { $0.error == error }) {
                failures[index].roles.append(role.name)
            } else {
                failures.append((error, [role.name]))
            }
        }
        return failures
    }

    /// Why the two sides disagree, in a sentence; nil when they do not.
    public static func explanation(_ result: PairResult) -> String? {
        guard result.agreement == .disagree, let simulator = result.simulator else { return nil }
        let matched =
            simulator.matchedStatements.isEmpty ? "" : " (\(simulator.matchedStatements.joined(separator: "; ")))"
        if simulator.decision == .allowed {
            let local = result.local == .denied ? "finds an unconditional Deny" : "finds no Allow"
            return "the simulator allows it\(matched) where flowrole's evaluator \(local) in the role's live policies."
        }
        if simulator.allowedByOrganizations == false {
            return
                "the organization's service control policies deny it (AllowedByOrganizations false): the role's own policies allow it, but every request is refused."
        }
        if simulator.allowedByPermissionsBoundary == false {
            return "the simulator says the permissions boundary does not allow it; flowrole's evaluator says it does."
        }
        if simulator.decision == .explicitDeny {
            return "the simulator finds an explicit Deny\(matched) that flowrole's evaluator does not."
        }
        return "the simulator finds no Allow (implicitDeny) where flowrole's evaluator finds one."
    }

    /// `flowrole.check/v1`: the plan, the summary, and per role its pairs (keys sorted by the writer).
    public static func json(_ results: [RoleResult], planPath: String, planSHA256: String) -> JSONValue {
        let summary = Summary(results)
        let roles: [JSONValue] = results.map { role in
            var members: [JSONMember] = [
                JSONMember("arn", .string(role.arn)), JSONMember("name", .string(role.name)),
                JSONMember("account", .string(role.account)),
                JSONMember("pairs", .array(role.pairs.map(pairJSON))),
            ]
            if let error = role.error { members.append(JSONMember("error", .string(error))) }
            return .object(members)
        }
        return [
            "schema": "flowrole.check/v1", "plan": .string(planPath), "planSha256": .string(planSHA256),
            "summary": [
                "roles": .number(String(summary.roles)), "pairs": .number(String(summary.pairs)),
                "agreed": .number(String(summary.agreed)), "disagreed": .number(String(summary.disagreed)),
                "unproven": .number(String(summary.unproven)), "failedRoles": .number(String(summary.failedRoles)),
            ],
            "roles": .array(roles),
        ]
    }

    static func pairJSON(_ result: PairResult) -> JSONValue {
        func optional(_ flag: Bool?) -> JSONValue { flag.map(JSONValue.bool) ?? .null }
        var context: [JSONMember] = []
        for entry in result.pair.context {
            context.append(JSONMember(entry.key, .array(entry.values.map(JSONValue.string))))
        }
        var members: [JSONMember] = [
            JSONMember("action", .string(result.pair.action)), JSONMember("resource", .string(result.pair.resource)),
            JSONMember("planned", .string(result.pair.planned.rawValue)),
            JSONMember("local", .string(result.local.rawValue)),
            JSONMember("simulator", result.simulator.map { .string($0.decision.rawValue) } ?? .null),
            JSONMember("organizations", optional(result.simulator?.allowedByOrganizations)),
            JSONMember("permissionsBoundary", optional(result.simulator?.allowedByPermissionsBoundary)),
            JSONMember(
                "matchedStatements", .array((result.simulator?.matchedStatements ?? []).map(JSONValue.string))),
            JSONMember("agree", result.agreement.map { $0 == .unproven ? .null : .bool($0 == .agree) } ?? .null),
        ]
        if !context.isEmpty { members.append(JSONMember("context", .object(context))) }
        if let missing = result.simulator?.missingContextValues, !missing.isEmpty {
            members.append(JSONMember("missingContextValues", .array(missing.map(JSONValue.string))))
        }
        if let why = explanation(result) { members.append(JSONMember("explanation", .string(why))) }
        return .object(members)
    }

    /// A table for a terminal: a row per pair (role, action, resource with its context, the plan's
    /// state, both verdicts, agreement), then each disagreement explained, the roles that could not
    /// be checked, and the summary line.
    public static func text(_ results: [RoleResult]) -> String {
        var rows: [[String]] = [["ROLE", "ACTION", "RESOURCE", "PLANNED", "LOCAL", "SIMULATOR", "RESULT"]]
        var explained: [String] = []
        for role in results {
            for result in role.pairs {
                var resource = result.pair.resource
                if !result.pair.context.isEmpty {
                    resource +=
                        " ["
                        + result.pair.context.map { "\($0.key)=\($0.values.joined(separator: "|"))" }.joined(
                            separator: ", ") + "]"
                }
                var simulator = result.simulator?.decision.rawValue ?? "-"
                if result.simulator?.allowedByOrganizations == false { simulator += " (SCP)" }
                if result.simulator?.allowedByPermissionsBoundary == false { simulator += " (boundary)" }
                let verdict =
                    switch result.agreement {
                    case .agree?: "agree"
                    case .disagree?: "DISAGREE"
                    case .unproven?: "unproven"
                    case nil: "not asked"
                    }
                rows.append([
                    role.name, result.pair.action, resource, result.pair.planned.rawValue, result.local.rawValue,
                    simulator, verdict,
                ])
                if let why = explanation(result) {
                    explained.append("\(role.name): \(result.pair.action) on \(result.pair.resource): \(why)")
                }
            }
        }
        var text = ""
        if rows.count > 1 {
            var widths = Array(repeating: 0, count: rows[0].count)
            for row in rows {
                for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
            }
            for row in rows {
                let cells = row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }
                text += cells.joined(separator: "  ") + "\n"
            }
        } else {
            text += results.isEmpty ? "no required pairs to check.\n" : "no pair could be checked.\n"
        }
        if !explained.isEmpty {
            text += "\ndisagreements:\n" + explained.map { "  \($0)\n" }.joined()
        }
        let failed = failures(results)
        if !failed.isEmpty {
            text += "\nnot checked:\n"
            for (error, roles) in failed { text += "  \(roles.joined(separator: ", ")): \(error)\n" }
        }
        return text + "\n" + Summary(results).line + "\n"
    }
}
