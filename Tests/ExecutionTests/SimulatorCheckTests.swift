import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Execution
@testable import Migration

/// `check --live` without AWS: the simulator's JSON output read per resource (as the aws command
/// line prints IAM's SimulatePrincipalPolicyResult), paging with Marker, grouping pairs into calls,
/// the context a requirement's condition declares, and the comparison with the evaluator. (The
/// whole command runs against the simulator stub in EndToEndTests/CheckLiveTests.)
@Suite("SimulatorCheck without AWS")
struct SimulatorCheckTests {
    static let role = "arn:aws:iam::111122223333:role/service-role/FlowRole"
    static let faq = "arn:aws:lambda:us-east-1:111122223333:function:faq-search:live"
    static let digest = "arn:aws:lambda:us-east-1:111122223333:function:digest-builder:7"
    static let first = "arn:aws:lambda:us-east-1:111122223333:function:archive"

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    static func call(_ resources: [String], action: String = "lambda:InvokeFunction") -> SimulatorCheck.Call {
        SimulatorCheck.Call(roleArn: role, action: action, resources: resources, context: [])
    }

    // MARK: - Reading the simulator's answer

    /// One resource: `EvalResourceName` is the resource and `EvalDecision` the final decision, with
    /// what decided it (the shape `aws iam simulate-principal-policy --output json` prints).
    @Test func oneResourceIsReadFromTheResult() throws {
        let output = try Self.json(
            """
            {
              "EvaluationResults": [
                {
                  "EvalActionName": "lambda:InvokeFunction",
                  "EvalResourceName": "\(Self.faq)",
                  "EvalDecision": "allowed",
                  "MatchedStatements": [
                    {
                      "SourcePolicyId": "FaqBotAccess",
                      "SourcePolicyType": "role",
                      "StartPosition": {"Line": 1, "Column": 41},
                      "EndPosition": {"Line": 1, "Column": 145}
                    }
                  ],
                  "MissingContextValues": [],
                  "OrganizationsDecisionDetail": {"AllowedByOrganizations": true},
                  "PermissionsBoundaryDecisionDetail": {"AllowedByPermissionsBoundary": true},
                  "EvalDecisionDetails": {},
                  "ResourceSpecificResults": [
                    {
                      "EvalResourceName": "\(Self.faq)",
                      "EvalResourceDecision": "allowed",
                      "MatchedStatements": [
                        {
                          "SourcePolicyId": "FaqBotAccess",
                          "SourcePolicyType": "role",
                          "StartPosition": {"Line": 1, "Column": 41},
                          "EndPosition": {"Line": 1, "Column": 145}
                        }
                      ],
                      "MissingContextValues": []
                    }
                  ]
                }
              ],
              "IsTruncated": false,
              "ResponseMetadata": {"RequestId": "5dd95549-3a65-418a-8861-46f5adbc9f0c", "HTTPStatusCode": 200}
            }
            """)
        let page = try SimulatorCheck.parse(output, call: Self.call([Self.faq]))
        #expect(page.marker == nil)
        #expect(
            page.answers == [
                Self.faq: SimulatorCheck.SimulatorAnswer(
                    decision: .allowed, allowedByOrganizations: true, allowedByPermissionsBoundary: true,
                    matchedStatements: ["FaqBotAccess (role)"])
            ])
    }

    /// Several resources: one result per action whose name is an ARN template and whose decision
    /// aggregates; each resource's decision is its ResourceSpecificResults entry.
    @Test func severalResourcesAreReadPerResourceNotFromTheAggregate() throws {
        let output = try Self.json(
            """
            {"EvaluationResults": [{
              "EvalActionName": "lambda:InvokeFunction",
              "EvalResourceName": "arn:aws:lambda:${Region}:${Account}:${ResourceType}:${ResourceId}",
              "EvalDecision": "allowed",
              "MatchedStatements": [],
              "MissingContextValues": [],
              "ResourceSpecificResults": [
                {"EvalResourceName": "\(Self.faq)", "EvalResourceDecision": "allowed",
                 "MatchedStatements": [{"SourcePolicyId": "FaqBotAccess", "SourcePolicyType": "role"}],
                 "MissingContextValues": []},
                {"EvalResourceName": "\(Self.digest)", "EvalResourceDecision": "implicitDeny",
                 "MatchedStatements": [], "MissingContextValues": ["aws:ResourceAccount"]}
              ]
            }], "IsTruncated": false}
            """)
        let page = try SimulatorCheck.parse(output, call: Self.call([Self.digest, Self.faq]))
        #expect(page.answers[Self.faq]?.decision == .allowed)
        #expect(page.answers[Self.faq]?.matchedStatements == ["FaqBotAccess (role)"])
        #expect(page.answers[Self.digest]?.decision == .implicitDeny)
        #expect(page.answers[Self.digest]?.missingContextValues == ["aws:ResourceAccount"])
        #expect(page.answers.count == 2, "the ARN template is no resource")
    }

    /// An SCP ends the evaluation: with AllowedByOrganizations false no resource is allowed, even
    /// when its resource-specific entry (identity policies only) says so.
    @Test func anOrganizationDenyOverridesResourceSpecificAllows() throws {
        let output = try Self.json(
            """
            {"EvaluationResults": [{
              "EvalActionName": "lambda:InvokeFunction",
              "EvalResourceName": "arn:aws:lambda:${Region}:${Account}:${ResourceType}:${ResourceId}",
              "EvalDecision": "explicitDeny",
              "OrganizationsDecisionDetail": {"AllowedByOrganizations": false},
              "ResourceSpecificResults": [
                {"EvalResourceName": "\(Self.faq)", "EvalResourceDecision": "allowed"},
                {"EvalResourceName": "\(Self.digest)", "EvalResourceDecision": "implicitDeny"}
              ]
            }]}
            """)
        let page = try SimulatorCheck.parse(output, call: Self.call([Self.digest, Self.faq]))
        #expect(page.answers[Self.faq]?.decision == .explicitDeny)
        #expect(page.answers[Self.faq]?.allowedByOrganizations == false)
        #expect(page.answers[Self.digest]?.decision == .implicitDeny)
    }

    @Test func anAnswerThatIsNotASimulationIsAnError() throws {
        #expect(throws: AWSError.self) {
            try SimulatorCheck.parse(try Self.json(#"{"Roles": []}"#), call: Self.call([]))
        }
        #expect(throws: AWSError.self) {
            try SimulatorCheck.parse(
                try Self.json(#"{"EvaluationResults": [{"EvalActionName": "a:b", "EvalDecision": "maybe"}]}"#),
                call: Self.call([]))
        }
    }

    /// The first page is asked with --no-paginate (so IsTruncated and Marker come back); the next
    /// with --marker, until IsTruncated is false. A resource nobody answered is an error.
    @Test func pagesAreFollowedWithTheMarker() throws {
        let call = SimulatorCheck.Call(
            roleArn: Self.role, action: "lambda:InvokeFunction", resources: [Self.digest, Self.faq],
            context: [.init(key: "aws:ResourceAccount", values: ["111122223333"])])
        let pages = [
            try Self.json(
                #"{"EvaluationResults": [{"EvalActionName": "lambda:InvokeFunction", "EvalResourceName": "\#(Self.digest)", "EvalDecision": "implicitDeny"}], "IsTruncated": true, "Marker": "page-2"}"#
            ),
            try Self.json(
                #"{"EvaluationResults": [{"EvalActionName": "lambda:InvokeFunction", "EvalResourceName": "\#(Self.faq)", "EvalDecision": "allowed"}], "IsTruncated": false}"#
            ),
        ]
        let asked = Asked()
        let answers = try SimulatorCheck.simulate(call) { arguments throws(AWSError) -> JSONValue in
            asked.arguments.append(arguments)
            return pages[asked.arguments.count - 1]
        }
        #expect(answers[Self.digest]?.decision == .implicitDeny)
        #expect(answers[Self.faq]?.decision == .allowed)
        #expect(asked.arguments.count == 2)
        #expect(
            asked.arguments.first == [
                "--policy-source-arn", Self.role, "--action-names", "lambda:InvokeFunction", "--resource-arns",
                Self.digest, Self.faq, "--context-entries",
                #"[{"ContextKeyName":"aws:ResourceAccount","ContextKeyType":"string","ContextKeyValues":["111122223333"]}]"#,
                "--no-paginate",
            ])
        #expect(Array(asked.arguments.last?.suffix(2) ?? []) == ["--marker", "page-2"])

        #expect(throws: AWSError.self) {
            _ = try SimulatorCheck.simulate(call) { _ throws(AWSError) -> JSONValue in pages[1] }
        }
    }

    final class Asked: @unchecked Sendable {
        var arguments: [[String]] = []
    }

    // MARK: - Pairs and calls

    static func requirement(_ action: String, _ resource: String, node: String, condition: JSONValue? = nil)
        -> Requirement
    {
        Requirement(
            action: action, resource: resource, flow: "arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ",
            version: "DRAFT", node: node, roleArn: role, sid: "S", condition: condition)
    }

    /// One pair per (action, resource, context), however many nodes need it; one call per (action,
    /// context) with its resources sorted, split at `resourcesPerCall`.
    @Test func pairsAreGroupedIntoCallsByActionAndContext() throws {
        let owner: JSONValue = ["StringEquals": ["aws:ResourceAccount": ["111122223333"]]]
        let requirements: [PlannedRequirement] = [
            .init(requirement: Self.requirement("lambda:InvokeFunction", Self.faq, node: "A"), state: .granted),
            .init(requirement: Self.requirement("lambda:InvokeFunction", Self.faq, node: "B"), state: .granted),
            .init(requirement: Self.requirement("lambda:InvokeFunction", Self.digest, node: "C"), state: .add),
            .init(
                requirement: Self.requirement("lambda:InvokeFunction", Self.first, node: "D"),
                state: .add),
            .init(
                requirement: Self.requirement("s3:GetObject", "arn:aws:s3:::bucket/a", node: "E", condition: owner),
                state: .add),
            .init(requirement: Self.requirement("s3:GetObject", "arn:aws:s3:::bucket/b", node: "F"), state: .add),
        ]
        let role = RolePlan(
            arn: Self.role, name: "FlowRole", account: "111122223333", source: nil, basis: "b", status: .change,
            selected: true, flows: [], requirements: requirements, changes: [], findings: [])
        let pairs = SimulatorCheck.pairs(of: role)
        #expect(pairs.count == 5)
        #expect(pairs.first { $0.resource == Self.faq }?.planned == .granted)
        #expect(
            pairs.first { $0.resource == "arn:aws:s3:::bucket/a" }?.context == [
                .init(key: "aws:ResourceAccount", values: ["111122223333"])
            ])

        let calls = SimulatorCheck.calls(roleArn: Self.role, pairs: pairs, resourcesPerCall: 2)
        #expect(
            calls.map { [$0.action, $0.resources.joined(separator: " "), "\($0.context.count)"] } == [
                ["lambda:InvokeFunction", "\(Self.first) \(Self.digest)", "0"],
                ["lambda:InvokeFunction", Self.faq, "0"],
                ["s3:GetObject", "arn:aws:s3:::bucket/b", "0"],
                ["s3:GetObject", "arn:aws:s3:::bucket/a", "1"],
            ])
        #expect(calls.allSatisfy { $0.roleArn == Self.role })
        #expect(SimulatorCheck.calls(roleArn: Self.role, pairs: pairs).count == 3, "50 resources per call by default")
    }

    /// Every key of every operator, with its values; keys case-insensitive (merged), sorted.
    @Test func theConditionBlockGivesTheContextEntries() throws {
        let condition: JSONValue = [
            "StringEquals": ["aws:ResourceAccount": "111122223333", "kms:EncryptionContext:flow": ["a", "b"]],
            "ArnLike": ["AWS:resourceaccount": ["444455556666"]],
        ]
        let entries = SimulatorCheck.contextEntries(condition: condition)
        #expect(
            entries == [
                .init(key: "aws:ResourceAccount", values: ["111122223333", "444455556666"]),
                .init(key: "kms:EncryptionContext:flow", values: ["a", "b"]),
            ])
        #expect(entries.map(\.type) == ["stringList", "stringList"])
        #expect(SimulatorCheck.ContextEntry(key: "k", values: ["v"]).type == "string")
        #expect(SimulatorCheck.contextEntries(condition: nil).isEmpty)
    }

    // MARK: - The local side and the comparison

    static func policies(_ statements: JSONValue, boundary: JSONValue? = nil, complete: Bool = true) throws
        -> SimulatorCheck.LocalPolicies
    {
        let document = try PolicyDocument(json: ["Version": "2012-10-17", "Statement": statements])
        let limit = try boundary.map {
            NamedPolicy(
                id: "arn:aws:iam::111122223333:policy/b", kind: .permissionsBoundary,
                document: try PolicyDocument(json: ["Version": "2012-10-17", "Statement": $0]))
        }
        return SimulatorCheck.LocalPolicies(
            identity: PolicySet([NamedPolicy(id: "inline", kind: .inline, document: document)]), boundary: limit,
            complete: complete)
    }

    static func pair(_ resource: String, context: [SimulatorCheck.ContextEntry] = []) -> SimulatorCheck.Pair {
        SimulatorCheck.Pair(action: "s3:GetObject", resource: resource, context: context, planned: .add)
    }

    @Test func theLocalVerdictUsesTheBoundaryAndTheRequirementsContext() throws {
        let statements: JSONValue = [
            ["Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*"],
            [
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::owned/*",
                "Condition": ["StringEquals": ["aws:ResourceAccount": "111122223333"]],
            ],
            ["Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::open/secret"],
        ]
        let local = try Self.policies(statements)
        let owner = [SimulatorCheck.ContextEntry(key: "aws:ResourceAccount", values: ["111122223333"])]
        #expect(SimulatorCheck.localVerdict(local, pair: Self.pair("arn:aws:s3:::open/a")) == .allowed)
        #expect(SimulatorCheck.localVerdict(local, pair: Self.pair("arn:aws:s3:::open/secret")) == .denied)
        #expect(SimulatorCheck.localVerdict(local, pair: Self.pair("arn:aws:s3:::other/a")) == .notAllowed)
        #expect(SimulatorCheck.localVerdict(local, pair: Self.pair("arn:aws:s3:::owned/a")) == .unproven)
        #expect(SimulatorCheck.localVerdict(local, pair: Self.pair("arn:aws:s3:::owned/a", context: owner)) == .allowed)

        let bounded = try Self.policies(
            statements, boundary: [["Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::owned/*"]])
        #expect(SimulatorCheck.localVerdict(bounded, pair: Self.pair("arn:aws:s3:::open/a")) == .notAllowed)
        let incomplete = try Self.policies(statements, complete: false)
        #expect(SimulatorCheck.localVerdict(incomplete, pair: Self.pair("arn:aws:s3:::other/a")) == .unproven)
        #expect(SimulatorCheck.localVerdict(incomplete, pair: Self.pair("arn:aws:s3:::open/secret")) == .denied)
    }

    @Test func agreementIsAboutAccessAndTheExitStatusFollowsIt() throws {
        #expect(SimulatorCheck.agreement(local: .allowed, simulator: .allowed) == .agree)
        #expect(SimulatorCheck.agreement(local: .allowed, simulator: .explicitDeny) == .disagree)
        #expect(SimulatorCheck.agreement(local: .notAllowed, simulator: .explicitDeny) == .agree)
        #expect(SimulatorCheck.agreement(local: .denied, simulator: .allowed) == .disagree)
        #expect(SimulatorCheck.agreement(local: .unproven, simulator: .allowed) == .unproven)

        func result(
            _ local: SimulatorCheck.LocalVerdict, _ answer: SimulatorCheck.SimulatorAnswer?, error: String? = nil
        )
            -> SimulatorCheck.RoleResult
        {
            SimulatorCheck.RoleResult(
                arn: Self.role, name: "FlowRole", account: "111122223333",
                pairs: [
                    SimulatorCheck.PairResult(pair: Self.pair("arn:aws:s3:::a/b"), local: local, simulator: answer)
                ],
                error: error)
        }
        let scp = SimulatorCheck.SimulatorAnswer(decision: .explicitDeny, allowedByOrganizations: false)
        let agreed = [result(.allowed, .init(decision: .allowed))]
        let disagreed = [result(.allowed, scp)]
        #expect(SimulatorCheck.Summary(agreed).exitStatus == 0)
        #expect(SimulatorCheck.Summary(disagreed).exitStatus == 2)
        #expect(SimulatorCheck.Summary(disagreed + [result(.allowed, nil, error: "boom")]).exitStatus == 1)
        #expect(SimulatorCheck.Summary([result(.unproven, .init(decision: .implicitDeny))]).exitStatus == 0)

        let text = SimulatorCheck.text(disagreed)
        #expect(text.contains("explicitDeny (SCP)"))
        #expect(text.contains("DISAGREE"))
        #expect(text.contains("AllowedByOrganizations false"))
        #expect(text.hasSuffix("1 roles, 1 pairs asked: 0 agreed, 1 disagreed, 0 unproven locally.\n"))
        let json = SimulatorCheck.json(disagreed, planPath: "plan.json", planSHA256: "abc")
        #expect(json["schema"] == "flowrole.check/v1")
        let pair = json["roles"]?.arrayValue?.first?["pairs"]?.arrayValue?.first
        #expect(pair?["agree"] == .bool(false))
        #expect(pair?["organizations"] == .bool(false))
        #expect(pair?["simulator"] == "explicitDeny")
        #expect(pair?["local"] == "allowed")
    }
}
