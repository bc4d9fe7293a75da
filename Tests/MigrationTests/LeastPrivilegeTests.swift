import FlowRoleJSON
import Foundation
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// The least-privilege migration: conditional grants judged in the context the migration declares,
/// statements per (Sid, action, condition), unneeded grants reported, and the scaffolded role.
@Suite("least privilege")
struct LeastPrivilegeTests {
    static let account = "111122223333"
    static let flowArn = "arn:aws:bedrock:us-east-1:111122223333:flow/LPFLOW0001"
    static let key = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    static func migration() throws -> MigrationDefinition {
        try MigrationCatalog.load(id: "bedrock-flows-least-privilege")
    }

    /// A flow with a Retrieval node, a Lambda node and a customer-managed key, run by `RoleLP`
    /// whose inline policy `existing` holds `statements`; read through the real readers.
    static func inventory(statements: [JSONValue], nodes: [JSONValue]? = nil) throws -> Inventory {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let roleArn = "arn:aws:iam::\(account):role/RoleLP"
        let trust: JSONValue = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Effect": "Allow", "Principal": ["Service": "bedrock.amazonaws.com"], "Action": "sts:AssumeRole",
                    "Condition": ["ArnLike": ["aws:SourceArn": .string(flowArn)]],
                ]
            ],
        ]
        var policies: [JSONValue] = []
        if !statements.isEmpty {
            policies = [
                [
                    "PolicyName": "existing",
                    "PolicyDocument": ["Version": "2012-10-17", "Statement": .array(statements)],
                ]
            ]
        }
        let iam: JSONValue = [
            "RoleDetailList": [
                [
                    "Path": "/", "RoleName": "RoleLP", "RoleId": "AROAEXAMPLELP0000001", "Arn": .string(roleArn),
                    "CreateDate": "2025-01-01T00:00:00Z", "AssumeRolePolicyDocument": trust,
                    "RolePolicyList": .array(policies), "AttachedManagedPolicies": [], "InstanceProfileList": [],
                    "Tags": [],
                ]
            ],
            "Policies": [], "UserDetailList": [], "GroupDetailList": [], "IsTruncated": false,
        ]
        let flow: JSONValue = [
            "name": "lp", "executionRoleArn": .string(roleArn), "customerEncryptionKeyArn": .string(key),
            "id": "LPFLOW0001", "arn": .string(flowArn), "status": "Prepared",
            "createdAt": "2025-02-01T00:00:00Z", "version": "DRAFT",
            "definition": [
                "nodes": .array(
                    nodes ?? [
                        [
                            "name": "Fetch", "type": "Retrieval",
                            "configuration": [
                                "retrieval": ["serviceConfiguration": ["s3": ["bucketName": "lp-inputs"]]]
                            ],
                        ],
                        [
                            "name": "Enrich", "type": "LambdaFunction",
                            "configuration": [
                                "lambdaFunction": ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:enrich"]
                            ],
                        ],
                    ]),
                "connections": [],
            ],
        ]
        let versions: JSONValue = ["flowVersionSummaries": []]
        try Data(iam.prettyBytes).write(to: folder.appendingPathComponent("iam.json"))
        try Data(flow.prettyBytes).write(to: folder.appendingPathComponent("get-flow.json"))
        try Data(versions.prettyBytes).write(to: folder.appendingPathComponent("list-flow-versions.json"))
        defer { try? FileManager.default.removeItem(at: folder) }
        return try InventoryReader.read(paths: [folder.path])
    }

    static func plan(_ inventory: Inventory, bucketOwner: String? = nil) throws -> RolePlan {
        var options = PlannerOptions()
        options.bucketOwner = bucketOwner
        let plan = Planner(migration: try migration(), options: options).plan(inventory, inputs: [])
        return try #require(plan.roles.first)
    }

    static func state(_ role: RolePlan, _ action: String) -> PlannedRequirement.State? {
        role.requirements.first { $0.requirement.action == action }?.state
    }

    static let s3Object = "arn:aws:s3:::lp-inputs/*"

    @Test func theShippedFileIsTheBuiltInOne() throws {
        let path = PackageFiles.root.appendingPathComponent("migrations/bedrock-flows-least-privilege.json").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.trimmingCharacters(in: .newlines) == MigrationCatalog.builtIn["bedrock-flows-least-privilege"])
        let migration = try MigrationDefinition.load(path: path)
        #expect(migration.scope == .all)
        #expect(migration.reportsUnneededGrants)
        #expect(migration.rules.contains { $0.nodeType == nil && $0.resolver == "kmsKey" })
        #expect(Set(migration.rules.map(\.resolver)) == Set(ResolverRegistry.standard.names))
    }

    @Test func anEmptyRoleGetsEveryGrantWithItsCondition() throws {
        let role = try Self.plan(try Self.inventory(statements: []))
        #expect(role.status == .change)
        let byAction = Dictionary(grouping: role.requirements, by: \.requirement.action)
        #expect(Set(byAction.keys) == ["s3:GetObject", "lambda:InvokeFunction", "kms:GenerateDataKey", "kms:Decrypt"])
        #expect(role.requirements.allSatisfy { $0.state == .add })
        let s3 = try #require(byAction["s3:GetObject"]?.first?.requirement)
        #expect(s3.resource == Self.s3Object)
        #expect(s3.condition == Grant.stringEquals("aws:ResourceAccount", [Self.account]))
        let kms = try #require(byAction["kms:Decrypt"]?.first?.requirement)
        #expect(kms.node == Requirement.flowLevelNode)
        #expect(kms.condition == Grant.stringEquals(KMSKeyResolver.encryptionContextKey, [Self.flowArn]))

        // One statement per (Sid, action, condition): never an action on another action's resource.
        let after = try #require(role.changes.first { $0.kind == .putRolePolicy }?.after)
        let statements = after["Statement"]?.arrayValue ?? []
        #expect(statements.count == 4)
        for statement in statements {
            #expect(statement["Action"]?.stringList?.count == 1)
            #expect(statement["Sid"]?.stringValue?.hasPrefix("Flowrole") == true)
        }
        let kmsStatement = try #require(statements.first { $0["Action"] == "kms:Decrypt" })
        #expect(kmsStatement["Condition"] == kms.condition)
        #expect(kmsStatement["Resource"] == [.string(Self.key)])
    }

    @Test func aConditionalAllowIsJudgedInTheDeclaredContext() throws {
        func s3Allow(_ condition: JSONValue) -> JSONValue {
            [
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lp-inputs/*",
                "Condition": condition,
            ]
        }
        // The flow's account owns the bucket: the existing condition holds, the grant is held.
        let owned = try Self.plan(
            try Self.inventory(statements: [s3Allow(["StringEquals": ["aws:ResourceAccount": .string(Self.account)]])]))
        #expect(Self.state(owned, "s3:GetObject") == .granted)
        #expect(owned.findings.contains { $0.code == "ALREADY_GRANTED" && $0.subject == Self.s3Object })

        // --bucket-owner says another account owns it: the same condition no longer holds.
        let elsewhere = try Self.plan(
            try Self.inventory(statements: [s3Allow(["StringEquals": ["aws:ResourceAccount": .string(Self.account)]])]),
            bucketOwner: "444455556666")
        #expect(Self.state(elsewhere, "s3:GetObject") == .add)
        #expect(
            elsewhere.requirements.first { $0.requirement.action == "s3:GetObject" }?.requirement.condition
                == Grant.stringEquals("aws:ResourceAccount", ["444455556666"]))

        // A condition on a key the migration does not declare stays unproven.
        let tagged = try Self.plan(
            try Self.inventory(statements: [s3Allow(["StringEquals": ["aws:PrincipalTag/team": "flows"]])]))
        #expect(Self.state(tagged, "s3:GetObject") == .add)
        #expect(tagged.findings.contains { $0.code == "CONDITIONAL_GRANT" && $0.subject == Self.s3Object })

        // The KMS encryption context is the flow's ARN.
        let keyAllow: JSONValue = [
            "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": .string(Self.key),
            "Condition": [
                "StringEquals": [.init(stringLiteral: KMSKeyResolver.encryptionContextKey): .string(Self.flowArn)]
            ],
        ]
        let keyed = try Self.plan(try Self.inventory(statements: [keyAllow]))
        #expect(Self.state(keyed, "kms:Decrypt") == .granted)
        #expect(Self.state(keyed, "kms:GenerateDataKey") == .granted)
        let otherFlow = try Self.plan(
            try Self.inventory(statements: [
                [
                    "Effect": "Allow", "Action": "kms:Decrypt", "Resource": .string(Self.key),
                    "Condition": [
                        "StringEquals": [
                            .init(stringLiteral: KMSKeyResolver.encryptionContextKey):
                                "arn:aws:bedrock:us-east-1:111122223333:flow/OTHERFLOW1"
                        ]
                    ],
                ]
            ]))
        #expect(Self.state(otherFlow, "kms:Decrypt") == .add)
    }

    @Test func grantsNoFlowNeedsAreReportedNeverRemoved() throws {
        let statements: [JSONValue] = [
            // Needed (covers the Lambda node) and stale (another function) in one statement.
            [
                "Sid": "Lambdas", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": [
                    "arn:aws:lambda:us-east-1:111122223333:function:enrich*",
                    "arn:aws:lambda:us-east-1:111122223333:function:removed-node",
                ],
            ],
            // A knowledge base no node queries any more.
            [
                "Sid": "OldKB", "Effect": "Allow", "Action": ["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"],
                "Resource": "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KBOLD00001",
            ],
            // Not a flow action: not judged.
            ["Sid": "Logs", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"],
        ]
        let role = try Self.plan(try Self.inventory(statements: statements))
        let unneeded = role.findings.filter { $0.code == "UNNEEDED_GRANT" }
        #expect(unneeded.count == 2)
        let lambda = try #require(unneeded.first { $0.message.contains("Sid Lambdas") })
        #expect(lambda.message.contains("function:removed-node"))
        #expect(!lambda.message.contains("function:enrich*"))
        let kb = try #require(unneeded.first { $0.message.contains("Sid OldKB") })
        #expect(kb.message.contains("bedrock:Retrieve on") && kb.message.contains("bedrock:RetrieveAndGenerate on"))
        #expect(lambda.severity == .info && lambda.subject == role.arn)
        // Never removed: the only change is the migration's own policy, and `existing` is untouched.
        #expect(role.changes.allSatisfy { $0.kind != .putRolePolicy || $0.policyName != "existing" })
        #expect(Self.state(role, "lambda:InvokeFunction") == .granted)
    }

    @Test func modelsThePromptsOrProfilesMayUseAreNotCalledUnneeded() throws {
        let model: JSONValue = [
            "Sid": "Models", "Effect": "Allow", "Action": "bedrock:InvokeModel",
            "Resource": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        ]
        let prompt: JSONValue = [
            "name": "Answer", "type": "Prompt",
            "configuration": [
                "prompt": [
                    "sourceConfiguration": [
                        "resource": ["promptArn": "arn:aws:bedrock:us-east-1:111122223333:prompt/PX4K8M2Q7Z"]
                    ]
                ]
            ],
        ]
        let withPrompt = try Self.plan(try Self.inventory(statements: [model], nodes: [prompt]))
        #expect(!withPrompt.findings.contains { $0.code == "UNNEEDED_GRANT" })
        let lambdaOnly: JSONValue = [
            "name": "Enrich", "type": "LambdaFunction",
            "configuration": ["lambdaFunction": ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:enrich"]],
        ]
        let without = try Self.plan(try Self.inventory(statements: [model], nodes: [lambdaOnly]))
        #expect(without.findings.contains { $0.code == "UNNEEDED_GRANT" && $0.message.contains("Sid Models") })
    }

    @Test func theScaffoldedRoleAllowsEveryRequirementAndNothingElse() throws {
        let inventory = try Self.inventory(statements: [])
        let scaffold = try RoleScaffold.make(
            flows: inventory.flows, migration: try Self.migration(), roleName: "RoleLP")
        let identity = PolicySet([
            NamedPolicy(
                id: scaffold.policyName, kind: .inline,
                document: try PolicyDocument(json: try #require(scaffold.identityPolicy)))
        ])
        #expect(!scaffold.requirements.isEmpty)
        for requirement in scaffold.requirements {
            let proof = identity.evaluate(
                action: requirement.action, resource: requirement.resource, assuming: requirement.assumedContext)
            #expect(proof.verdict == .allowed, "\(requirement.action) \(requirement.resource)")
        }
        // Nothing else: every flow action on every resource in sight, and foreign ones.
        let required = Set(scaffold.requirements.map { "\($0.action) \($0.resource)" })
        var resources = Set(scaffold.requirements.map(\.resource))
        resources.formUnion([
            "arn:aws:s3:::other-bucket/*", "arn:aws:lambda:us-east-1:111122223333:function:other",
            "arn:aws:kms:us-east-1:111122223333:key/other", "*",
        ])
        for action in UnneededGrants.auditedActions + ["s3:DeleteObject", "kms:Encrypt", "iam:PassRole"] {
            for resource in resources where !required.contains("\(action) \(resource)") {
                let contexts: [ContextKeys?] = [
                    nil, ["aws:ResourceAccount": [Self.account]],
                    [KMSKeyResolver.encryptionContextKey: [Self.flowArn]],
                ]
                for context in contexts {
                    let verdict = identity.evaluate(action: action, resource: resource, assuming: context).verdict
                    #expect(verdict != .allowed, "\(action) \(resource) \(String(describing: context))")
                }
            }
        }
        // A conditional grant holds only in its own context.
        let s3 = try #require(scaffold.requirements.first { $0.action == "s3:GetObject" })
        #expect(
            identity.evaluate(
                action: s3.action, resource: s3.resource, assuming: ["aws:ResourceAccount": ["444455556666"]]
            ).verdict != .allowed)

        // Trust: Bedrock, from the flow's account, as the flow (or under it); nobody else.
        let trust = try PolicyDocument(json: scaffold.trustPolicy)
        func admits(_ principal: RequestPrincipal, sourceArn: String, account: String = Self.account) -> Bool {
            trust.evaluate(
                RequestContext(
                    principal: principal, action: "sts:AssumeRole",
                    keys: ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [account]])
            ).verdict == .allowed
        }
        let bedrock = RequestPrincipal.service("bedrock.amazonaws.com")
        #expect(admits(bedrock, sourceArn: Self.flowArn))
        #expect(admits(bedrock, sourceArn: Self.flowArn + "/alias/AL3P8W2N6Z"))
        #expect(!admits(bedrock, sourceArn: "arn:aws:bedrock:us-east-1:111122223333:flow/OTHERFLOW1"))
        #expect(!admits(bedrock, sourceArn: Self.flowArn, account: "444455556666"))
        #expect(!admits(.service("lambda.amazonaws.com"), sourceArn: Self.flowArn))
        #expect(!admits(.aws("arn:aws:iam::111122223333:root"), sourceArn: Self.flowArn))
        #expect(scaffold.keyPolicyStatements.map(\.key) == [Self.key])
    }

    @Test func aScaffoldNeedsOneAccount() throws {
        var inventory = try Self.inventory(statements: [])
        var other = try #require(inventory.flows.first)
        other.account = "444455556666"
        other.arn = "arn:aws:bedrock:us-east-1:444455556666:flow/LPFLOW0002"
        inventory.flows.append(other)
        #expect(throws: RoleScaffold.Failure.self) {
            try RoleScaffold.make(flows: inventory.flows, migration: try Self.migration(), roleName: "RoleLP")
        }
        #expect(throws: RoleScaffold.Failure.self) {
            try RoleScaffold.make(flows: [other], migration: try Self.migration(), roleName: "bad name")
        }
    }

    /// Review finding: in the assumed context, a clause on a key the migration does not declare is
    /// unknown whatever its operator — an `…IfExists`, negated or `Null` clause proves nothing, and
    /// a Deny under one is conditional, not a blocker.
    @Test func undeclaredKeysProveNothingWhateverTheOperator() throws {
        for condition: JSONValue in [
            ["StringEqualsIfExists": ["aws:RequestedRegion": "eu-west-1"]],
            ["StringNotEquals": ["aws:PrincipalTag/team": "other"]],
            ["Null": ["aws:SourceVpc": "true"]],
            [
                "StringEquals": ["aws:ResourceAccount": .string(Self.account)],
                "StringEqualsIfExists": ["aws:RequestedRegion": "eu-west-1"],
            ],
        ] {
            let allow: JSONValue = [
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lp-inputs/*",
                "Condition": condition,
            ]
            let role = try Self.plan(try Self.inventory(statements: [allow]))
            #expect(Self.state(role, "s3:GetObject") == .add, "\(condition.canonicalText)")
            #expect(role.findings.contains { $0.code == "CONDITIONAL_GRANT" }, "\(condition.canonicalText)")
        }
        let perimeter: JSONValue = [
            "Effect": "Deny", "Action": "kms:*", "Resource": "*",
            "Condition": ["StringNotEquals": ["kms:ViaService": ["s3.us-east-1.amazonaws.com"]]],
        ]
        let role = try Self.plan(try Self.inventory(statements: [perimeter]))
        #expect(Self.state(role, "kms:Decrypt") == .add)
        #expect(!role.findings.contains { $0.code == "EXPLICIT_DENY" })
        #expect(role.findings.contains { $0.code == "CONDITIONAL_DENY" })
    }

    /// Review finding: where the inputs cannot tell what the role's flows use, nothing is called
    /// unneeded — versions not read, a profile in use, a policy other roles share.
    @Test func unneededIsNotClaimedWhereTheInputsCannotTell() throws {
        let stale: JSONValue = [
            "Sid": "Stale", "Effect": "Allow", "Action": "lambda:InvokeFunction",
            "Resource": "arn:aws:lambda:us-east-1:111122223333:function:removed-node",
        ]
        // The versions of the flow are not known (no list-flow-versions): FLOW_VERSIONS_INCOMPLETE.
        var inventory = try Self.inventory(statements: [stale])
        inventory.flows[0].versionsKnown = false
        let incomplete = try Self.plan(inventory)
        #expect(incomplete.findings.contains { $0.code == "FLOW_VERSIONS_INCOMPLETE" })
        #expect(!incomplete.findings.contains { $0.code == "UNNEEDED_GRANT" })

        // A flow using an inference profile may need any foundation model it routes to.
        let profileNode: JSONValue = [
            "name": "Ask", "type": "Prompt",
            "configuration": [
                "prompt": [
                    "sourceConfiguration": [
                        "inline": [
                            "templateType": "TEXT", "modelId": "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                        ]
                    ]
                ]
            ],
        ]
        let models: JSONValue = [
            "Sid": "Models", "Effect": "Allow", "Action": "bedrock:InvokeModel",
            "Resource": "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet*",
        ]
        let profiled = try Self.plan(try Self.inventory(statements: [models], nodes: [profileNode]))
        #expect(!profiled.findings.contains { $0.code == "UNNEEDED_GRANT" })
        #expect(profiled.findings.contains { $0.code == "INFERENCE_PROFILE_ROUTES_UNKNOWN" })
    }

    /// Review finding: a scaffold serves the DRAFT and the versions that run as the DRAFT's role;
    /// a version made with another role keeps that role and adds nothing here.
    @Test func aScaffoldLeavesOutVersionsOfOtherRoles() throws {
        let inventory = try Self.inventory(statements: [])
        var flow = try #require(inventory.flows.first)
        var old = FlowVersion(
            version: "1", executionRoleArn: "arn:aws:iam::111122223333:role/OldRole", createdAt: nil, status: nil,
            customerEncryptionKeyArn: nil,
            definition: FlowDefinition(nodes: [
                FlowNode(
                    name: "OldOnly", type: "LambdaFunction",
                    configuration: ["lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:old-only"],
                    configurationKind: "lambdaFunction", children: [], path: "OldOnly")
            ]), source: flow.sources[0])
        flow.versions = [old]
        let scaffold = try RoleScaffold.make(flows: [flow], migration: try Self.migration(), roleName: "RoleLP")
        #expect(!scaffold.requirements.contains { $0.resource.hasSuffix("function:old-only") })
        old.executionRoleArn = flow.executionRoleArn
        flow.versions = [old]
        let same = try RoleScaffold.make(flows: [flow], migration: try Self.migration(), roleName: "RoleLP")
        #expect(same.requirements.contains { $0.resource.hasSuffix("function:old-only") })
    }

    /// Review finding: a required resource that is a pattern is held only by a pattern covering it.
    @Test func aPatternResourceIsHeldOnlyByACoveringPattern() throws {
        func plan(_ resource: String) throws -> PlannedRequirement.State? {
            let allow: JSONValue = [
                "Effect": "Allow", "Action": "s3:GetObject", "Resource": .string(resource),
                "Condition": ["StringEquals": ["aws:ResourceAccount": .string(Self.account)]],
            ]
            return Self.state(try Self.plan(try Self.inventory(statements: [allow])), "s3:GetObject")
        }
        #expect(try plan("arn:aws:s3:::lp-inputs/?") == .add)
        #expect(try plan("arn:aws:s3:::lp-inputs/a*") == .add)
        #expect(try plan("arn:aws:s3:::lp-inputs/*") == .granted)
        #expect(try plan("arn:aws:s3:::lp-*") == .granted)
        #expect(try plan("*") == .granted)
    }

    /// Review finding: flows sharing one key and one role get one statement per action, the flows'
    /// ARNs as alternative values of the encryption context — exactly their grants, and within the
    /// inline quota however many flows there are; applied and planned again, nothing is left.
    @Test func flowsSharingAKeyShareOneStatementListingTheirARNs() throws {
        var inventory = try Self.inventory(statements: [])
        for index in 2...30 {
            var other = inventory.flows[0]
            other.id = "LPFLOW\(String(format: "%04d", index))"
            other.arn = "arn:aws:bedrock:us-east-1:111122223333:flow/" + other.id
            inventory.flows.append(other)
        }
        let migration = try Self.migration()
        let plan = Planner(migration: migration).plan(inventory, inputs: [])
        #expect(PlanInvariants.violations(plan: plan, inventory: inventory, migration: migration).isEmpty)
        let role = try #require(plan.roles.first)
        #expect(!role.findings.contains { $0.code == "QUOTA_EXCEEDED" })
        let after = try #require(role.changes.first { $0.kind == .putRolePolicy }?.after)
        let decrypt = (after["Statement"]?.arrayValue ?? []).filter { $0["Action"] == "kms:Decrypt" }
        #expect(decrypt.count == 1)
        let values = decrypt.first?["Condition"]?["StringEquals"]?[KMSKeyResolver.encryptionContextKey]?.stringList
        #expect(values == inventory.flows.map(\.arn).sorted())

        // Applied (the owned policy on the role) and planned again: every grant is held.
        var applied = inventory
        applied.roles[0].inlinePolicies.append(
            InlinePolicy(
                name: migration.policyName, document: try PolicyDocument(json: after),
                source: applied.roles[0].inlinePolicies.first?.source ?? applied.roles[0].sources[0]))
        applied.roles[0].inlinePolicyNames = applied.roles[0].inlinePolicies.map(\.name)
        let again = try #require(Planner(migration: migration).plan(applied, inputs: []).roles.first)
        #expect(again.requirements.allSatisfy { $0.state == .granted })
        #expect(!again.changes.contains { $0.kind == .putRolePolicy })
    }

    /// A scaffold for more flows than a trust policy can pin within IAM's default quota says so,
    /// and its key policy statement is the one `apply --write-to` gives key owners.
    @Test func aScaffoldChecksTheTrustQuota() throws {
        var inventory = try Self.inventory(statements: [])
        for index in 2...40 {
            var other = inventory.flows[0]
            other.id = "LPFLOW\(String(format: "%04d", index))"
            other.arn = "arn:aws:bedrock:us-east-1:111122223333:flow/" + other.id
            inventory.flows.append(other)
        }
        let scaffold = try RoleScaffold.make(
            flows: inventory.flows, migration: try Self.migration(), roleName: "RoleLP")
        let quota = scaffold.findings.filter { $0.code == "QUOTA_EXCEEDED" }
        #expect(quota.count == 1)
        #expect(quota.first?.message.contains("trust policy") == true)
        let single = try RoleScaffold.make(
            flows: [inventory.flows[0]], migration: try Self.migration(), roleName: "RoleLP")
        #expect(!single.findings.contains { $0.code == "QUOTA_EXCEEDED" })
        let statement = try #require(scaffold.keyPolicyStatements.first?.statement)
        #expect(statement["Sid"] == .string(ResourceOwnerActions.statementID(role: scaffold.roleArn)))
        #expect(statement["Principal"]?["AWS"] == .string(scaffold.roleArn))
        #expect(
            statement["Condition"]?["StringEquals"]?[KMSKeyResolver.encryptionContextKey]?.stringList
                == inventory.flows.map(\.arn).sorted())
    }
}
