import IAMPolicy
import Testing

@Suite("Proof mode")
struct ProofModeTests {
    static let account = "arn:aws:lambda:us-east-1:123456789012"

    @Test("Fixture BedrockFlowsLegacyRole: Deny with NotResource function:approved-* blocks other functions")
    func legacyNotResourceDeny() throws {
        let set = try policySet([("legacy-inline", .inline, RealPolicies.legacyInline)])
        let blocked = set.evaluate(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:invoice-normalizer")
        #expect(blocked.verdict == .denied)
        #expect(blocked.denies.map(\.reference.sid) == ["OnlyApprovedFunctions"])
        #expect(blocked.denies.first?.reference.policyID == "legacy-inline")
        #expect(blocked.denies.first?.reference.statementIndex == 1)
        #expect(blocked.denies.first?.reference.pointer == "/Statement/1")

        let approved = set.evaluate(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:approved-normalizer")
        #expect(approved.verdict == .notAllowed)
        #expect(approved.denies.isEmpty)
    }

    @Test("Fixture BedrockFlowsLegacyRole: NotAction Deny on prompt/* spares RenderPrompt, denies writes")
    func legacyNotActionDeny() throws {
        let set = try policySet([("legacy-inline", .inline, RealPolicies.legacyInline)])
        let prompt = "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q"
        #expect(set.evaluate(action: "bedrock:RenderPrompt", resource: prompt).verdict == .notAllowed)
        let invoke = set.evaluate(action: "bedrock:InvokeModel", resource: prompt)
        #expect(invoke.verdict == .allowed)  // "Bedrock:Invoke*" on "*", case-insensitive
        let update = set.evaluate(action: "bedrock:UpdatePrompt", resource: prompt)
        #expect(update.verdict == .denied)
        #expect(update.denies.map(\.reference.sid) == ["NoPromptWrites"])
        // The NotAction Deny is scoped to prompt/*: elsewhere it does not apply.
        #expect(
            set.evaluate(action: "bedrock:UpdatePrompt", resource: "arn:aws:bedrock:us-east-1:123456789012:flow/F")
                .verdict == .notAllowed)
    }

    @Test("Fixture BedrockFlowsSharedAutomationRole: lex:Recognize* on bot-alias/LEXBOT0001/* covers OPSALIAS01")
    func lexWildcard() throws {
        let set = try policySet([("SharedAutomationLogsAndLex", .inline, RealPolicies.sharedAutomationInline)])
        let result = set.evaluate(
            action: "lex:RecognizeUtterance",
            resource: "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/OPSALIAS01")
        #expect(result.verdict == .allowed)
        #expect(result.allows.map(\.reference.statementIndex) == [1])
        #expect(result.allows.first?.reference.sid == nil)
        #expect(
            set.evaluate(
                action: "lex:RecognizeUtterance",
                resource: "arn:aws:lex:us-east-1:123456789012:bot-alias/OTHERBOT01/OPSALIAS01"
            )
            .verdict == .notAllowed)
    }

    @Test("Fixture BedrockFlowsDocBatchRole: function:invoice-normalizer does NOT cover function:invoice-normalizer:7")
    func lambdaQualified() throws {
        let set = try policySet([("DocBatchAccess", .inline, RealPolicies.docBatchInline)])
        #expect(
            set.evaluate(action: "lambda:InvokeFunction", resource: "\(Self.account):function:invoice-normalizer")
                .verdict == .allowed)
        #expect(
            set.evaluate(action: "lambda:InvokeFunction", resource: "\(Self.account):function:invoice-normalizer:7")
                .verdict == .notAllowed)
    }

    @Test("Fixture BedrockFlowsSharedAccess v2: RenderPrompt on prompt/ID does not cover prompt/ID:3")
    func promptVersions() throws {
        let set = try policySet([
            ("arn:aws:iam::123456789012:policy/bedrock/BedrockFlowsSharedAccess", .managed, RealPolicies.sharedAccessV2)
        ])
        let base = "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMTK2B7WE"
        let allowed = set.evaluate(action: "bedrock:RenderPrompt", resource: base)
        #expect(allowed.verdict == .allowed)
        #expect(
            allowed.allows.first?.reference.policyID
                == "arn:aws:iam::123456789012:policy/bedrock/BedrockFlowsSharedAccess")
        #expect(allowed.allows.first?.reference.sid == "Prompts")
        #expect(set.evaluate(action: "bedrock:RenderPrompt", resource: base + ":3").verdict == .notAllowed)
    }

    // IAM UG elements_notaction, "NotAction with Allow": "NotAction": "iam:*", "Resource": "*"
    // allows every action in every service except IAM; "s3:DeleteBucket" on "arn:aws:s3:::*"
    // allows every S3 action on S3 resources except deleting a bucket.
    @Test(
        "NotAction with Allow (IAM UG elements_notaction)",
        arguments: [
            (
                #"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#, "s3:GetObject", "arn:aws:s3:::b/k",
                ProofResult.Verdict.allowed
            ),
            (
                #"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#, "iam:CreateUser",
                "arn:aws:iam::123456789012:user/u", .notAllowed
            ),
            (
                #"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#, "IAM:CreateUser",
                "arn:aws:iam::123456789012:user/u", .notAllowed
            ),
            (
                #"{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}"#, "s3:PutObject",
                "arn:aws:s3:::b/k", .allowed
            ),
            (
                #"{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}"#,
                "s3:DeleteBucket", "arn:aws:s3:::b", .notAllowed
            ),
            (
                #"{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}"#,
                "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", .notAllowed
            ),
        ] as [(String, String, String, ProofResult.Verdict)])
    func notActionAllow(statement: String, action: String, resource: String, expected: ProofResult.Verdict) throws {
        #expect(try singleStatement(statement).evaluate(action: action, resource: resource).verdict == expected)
    }

    // IAM UG elements_notaction, "NotAction with Deny": the DenyAllUsersNotUsingMFA example —
    // conditional, so it does not block but is reported; unconditional, it denies all but IAM.
    @Test("NotAction with Deny (IAM UG elements_notaction)")
    func notActionDeny() throws {
        let allowAll = #"{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}"#
        let mfa =
            #"{"Sid": "DenyAllUsersNotUsingMFA", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#
        let conditional = try singleStatement(allowAll + "," + mfa)
        let s3 = conditional.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::b/k")
        #expect(s3.verdict == .allowed)
        #expect(s3.conditionalDenies.map(\.reference.sid) == ["DenyAllUsersNotUsingMFA"])
        #expect(s3.conditionalDenies.first?.uncertainties == [.condition(operators: ["BoolIfExists"])])
        #expect(conditional.evaluate(action: "iam:ListUsers", resource: "*").conditionalDenies.isEmpty)

        let unconditional = try singleStatement(
            allowAll + #", {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#)
        #expect(unconditional.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::b/k").verdict == .denied)
        #expect(unconditional.evaluate(action: "iam:ListUsers", resource: "*").verdict == .allowed)
    }

    // DESIGN "The evaluator", the caution table, row by row.
    @Test(
        "The caution table (DESIGN, The evaluator)",
        arguments: [
            // `*` in an action or resource: wildcard both ways.
            (
                #"{"Effect": "Allow", "Action": "lambda:Invoke*", "Resource": "arn:aws:lambda:*"}"#,
                ProofResult.Verdict.allowed
            ),
            (#"{"Effect": "Deny", "Action": "lambda:Invoke*", "Resource": "arn:aws:lambda:*"}"#, .denied),
            // `?` in a resource: one character both ways.
            (
                #"{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:approve?"}"#,
                .allowed
            ),
            (
                #"{"Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:approve?"}"#,
                .denied
            ),
            (
                #"{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:approve??"}"#,
                .notAllowed
            ),
            // `?` in an action: does not prove an Allow; a wildcard when looking for a Deny.
            (#"{"Effect": "Allow", "Action": "lambda:InvokeFunctio?", "Resource": "*"}"#, .conditionallyAllowed),
            (#"{"Effect": "Deny", "Action": "lambda:InvokeFunctio?", "Resource": "*"}"#, .denied),
            // A policy variable in a 2012-10-17 document: unproven for an Allow, matches for a Deny.
            (
                #"{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:${aws:PrincipalTag/fn}"}"#,
                .conditionallyAllowed
            ),
            (
                #"{"Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:${aws:PrincipalTag/fn}"}"#,
                .denied
            ),
            // An unknown condition operator: unproven for an Allow; a conditional Deny.
            (
                #"{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": {"StringEqualsFuzzy": {"k": "v"}}}"#,
                .conditionallyAllowed
            ),
            (
                #"{"Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": {"StringEqualsFuzzy": {"k": "v"}}}"#,
                .notAllowed
            ),
        ] as [(String, ProofResult.Verdict)])
    func cautionTable(statement: String, expected: ProofResult.Verdict) throws {
        let result = try singleStatement(statement).evaluate(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:approved")
        #expect(result.verdict == expected)
        if statement.contains("StringEqualsFuzzy") {
            let match = try #require((result.conditionalAllows + result.conditionalDenies).first)
            #expect(match.uncertainties.contains(.unknownOperator("StringEqualsFuzzy")))
        }
    }

    @Test("Policy variables in a 2008-10-17 or versionless document are literal text")
    func variablesLiteralIn2008() throws {
        let statement = #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"}"#
        for version in ["2008-10-17"] {
            let set = try singleStatement(statement, version: version)
            #expect(set.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::b/alice").verdict == .notAllowed)
            #expect(
                set.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::b/${aws:username}").verdict == .allowed)
        }
        let versionless = try policySet([("v", .inline, #"{"Statement": [\#(statement)]}"#)])
        #expect(versionless.evaluate(action: "s3:GetObject", resource: "arn:aws:s3:::b/alice").verdict == .notAllowed)
    }

    @Test("A conditional Allow is not proof; an unconditional Deny wins over every Allow; several policies combine")
    func combination() throws {
        let set = try policySet([
            (
                "a", .inline,
                #"{"Version": "2012-10-17", "Statement": {"Sid": "Cond", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}}}"#
            ),
            (
                "arn:aws:iam::123456789012:policy/b", .managed,
                #"{"Version": "2012-10-17", "Statement": [{"Sid": "Plain", "Effect": "Allow", "Action": "lambda:*", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:x"}]}"#
            ),
        ])
        let onlyConditional = set.evaluate(action: "lambda:InvokeFunction", resource: "\(Self.account):function:y")
        #expect(onlyConditional.verdict == .conditionallyAllowed)
        #expect(onlyConditional.conditionalAllows.map(\.reference.sid) == ["Cond"])
        #expect(onlyConditional.decidingStatements.map(\.reference.policyID) == ["a"])

        let both = set.evaluate(action: "lambda:InvokeFunction", resource: "\(Self.account):function:x")
        #expect(both.verdict == .allowed)
        #expect(both.allows.map(\.reference.sid) == ["Plain"])
        #expect(both.conditionalAllows.map(\.reference.sid) == ["Cond"])

        let denied = PolicySet(
            set.policies + [
                NamedPolicy(
                    id: "deny", kind: .inline,
                    document: try policy(
                        #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "LAMBDA:invokefunction", "Resource": "*"}]}"#
                    ))
            ])
        #expect(
            denied.evaluate(action: "lambda:InvokeFunction", resource: "\(Self.account):function:x").verdict == .denied)
    }

    @Test("An assumed request context can prove a conditional Allow, but never dismisses a Deny")
    func assumedContext() throws {
        let set = try singleStatement(
            #"{"Sid": "S3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}},"#
                + #"{"Sid": "TLS", "Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#
        )
        let assumed = set.evaluate(
            action: "s3:GetObject", resource: "arn:aws:s3:::b/k", assuming: ["aws:resourceaccount": ["123456789012"]])
        #expect(assumed.verdict == .allowed)
        #expect(assumed.conditionalDenies.map(\.reference.sid) == ["TLS"])
        let other = set.evaluate(
            action: "s3:GetObject", resource: "arn:aws:s3:::b/k", assuming: ["aws:ResourceAccount": ["999999999999"]])
        #expect(other.verdict == .conditionallyAllowed)
        let insecure = set.evaluate(
            action: "s3:GetObject", resource: "arn:aws:s3:::b/k",
            assuming: ["aws:ResourceAccount": ["123456789012"], "aws:SecureTransport": ["false"]])
        #expect(insecure.verdict == .denied)
    }

    // IAM UG access_policies_boundaries: effective permissions = identity ∩ boundary.
    @Test("Fixture BedrockFlowsClaimsIntakeRole: the boundary allows no lambda, so identity ∩ boundary is empty")
    func boundaryIntersection() throws {
        let boundary = NamedPolicy(
            id: "arn:aws:iam::123456789012:policy/boundaries/BedrockFlowsPermissionsBoundary",
            kind: .permissionsBoundary,
            document: try policy(RealPolicies.permissionsBoundary))
        let identity = try policySet([
            ("ClaimsIntakeModels", .inline, RealPolicies.claimsIntakeInline),
            (
                "flowrole-grants", .inline,
                #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:claims-intake"}]}"#
            ),
        ])
        let lambda = EffectivePermission(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:claims-intake", identity: identity,
            boundary: boundary)
        #expect(lambda.identity.verdict == .allowed)
        #expect(lambda.boundary?.verdict == .doesNotAllow)
        #expect(lambda.boundaryBlocks)
        #expect(lambda.verdict == .notAllowed)

        let model = EffectivePermission(
            action: "bedrock:InvokeModel",
            resource: "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-70b-instruct-v1:0", identity: identity,
            boundary: boundary)
        #expect(model.boundary?.verdict == .allows)
        #expect(model.boundary?.proof.allows.first?.reference.sid == "BedrockAndS3Only")
        #expect(model.verdict == .allowed)

        let render = boundary.boundaryAllows(
            action: "bedrock:RenderPrompt", resource: "arn:aws:bedrock:us-east-1:123456789012:prompt/P")
        #expect(render.verdict == .allows)

        let conditionalBoundary = NamedPolicy(
            id: "b", kind: .permissionsBoundary,
            document: try policy(
                #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]}"#
            ))
        let conditional = EffectivePermission(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:claims-intake", identity: identity,
            boundary: conditionalBoundary)
        #expect(conditional.boundary?.verdict == .allowsOnlyUnderCondition)
        #expect(conditional.verdict == .conditionallyAllowed)
        #expect(!conditional.boundaryBlocks)

        let none = EffectivePermission(
            action: "lambda:InvokeFunction", resource: "\(Self.account):function:claims-intake", identity: identity,
            boundary: nil)
        #expect(none.verdict == .allowed)
    }

    @Test("A statement without Resource proves nothing but counts for a Deny")
    func missingResource() throws {
        let allow = try singleStatement(#"{"Effect": "Allow", "Action": "s3:*"}"#).evaluate(
            action: "s3:GetObject", resource: "arn:aws:s3:::b/k")
        #expect(allow.verdict == .conditionallyAllowed)
        #expect(allow.conditionalAllows.first?.uncertainties == [.noResourceElement])
        #expect(
            try singleStatement(#"{"Effect": "Deny", "Action": "s3:*"}"#).evaluate(
                action: "s3:GetObject", resource: "arn:aws:s3:::b/k"
            ).verdict == .denied)
    }
}
