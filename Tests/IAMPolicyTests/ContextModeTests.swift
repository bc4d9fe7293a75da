import IAMPolicy
import Testing

@Suite("Context mode")
struct ContextModeTests {
    static let bedrock = RequestPrincipal.service("bedrock.amazonaws.com")
    static let flow = "arn:aws:bedrock:us-east-1:123456789012:flow/9JQ2WPL0TA"

    /// Evaluates one clause `{operator: {key: values}}` against `context`.
    func clause(_ op: String, _ key: String, _ values: [String], _ context: ContextKeys) -> MatchResult {
        ConditionClause(operatorName: op, key: key, values: values.map(ConditionValue.string), isList: values.count > 1)
            .evaluate(context).result
    }

    // IAM UG elements_condition_operators, "Amazon Resource Name (ARN) condition operators".
    @Test("ArnLike matches each colon-delimited component; StringLike lets * cross colons")
    func arnLikeVersusStringLike() {
        let pattern = "arn:aws:someservice:*:111122223333:finance/*"
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        #expect(clause("StringLike", "aws:SourceArn", [pattern], ["aws:SourceArn": [value]]) == .match)
        #expect(clause("ArnLike", "aws:SourceArn", [pattern], ["aws:SourceArn": [value]]) == .noMatch)
        #expect(clause("ArnEquals", "aws:SourceArn", [pattern], ["aws:SourceArn": [value]]) == .noMatch)
        let proper = "arn:aws:someservice:us-east-2:111122223333:finance/document.txt"
        #expect(clause("ArnLike", "aws:SourceArn", [pattern], ["aws:SourceArn": [proper]]) == .match)
        #expect(clause("ArnEquals", "aws:SourceArn", [pattern], ["aws:SourceArn": [proper]]) == .match)
        #expect(clause("ArnNotLike", "aws:SourceArn", [pattern], ["aws:SourceArn": [value]]) == .match)
        // The resource component keeps its own colons: `*` inside it crosses them.
        #expect(
            clause(
                "ArnLike", "k", ["arn:aws:lambda:*:*:function:*"],
                ["k": ["arn:aws:lambda:us-east-1:123456789012:function:f:7"]]) == .match)
        // ARN operators are case-sensitive; a value that is not an ARN does not match.
        #expect(
            clause("ArnLike", "k", ["arn:aws:bedrock:*:*:flow/*"], ["k": ["arn:aws:bedrock:us-east-1:1:FLOW/x"]])
                == .noMatch)
        #expect(clause("ArnLike", "k", ["arn:aws:bedrock:*:*:flow/*"], ["k": ["not-an-arn"]]) == .noMatch)
        // A pattern without six components is unreadable, not guessed.
        #expect(clause("ArnLike", "k", ["flow/*"], ["k": [Self.flow]]) == .unknown)
    }

    @Test("String operators: case, wildcards, IgnoreCase")
    func strings() {
        #expect(clause("StringEquals", "k", ["Abc"], ["k": ["Abc"]]) == .match)
        #expect(clause("StringEquals", "k", ["Abc"], ["k": ["abc"]]) == .noMatch)
        #expect(clause("StringEquals", "k", ["a*"], ["k": ["abc"]]) == .noMatch)
        #expect(clause("StringEqualsIgnoreCase", "k", ["ABC"], ["k": ["abc"]]) == .match)
        #expect(clause("StringNotEqualsIgnoreCase", "k", ["ABC"], ["k": ["abc"]]) == .noMatch)
        #expect(clause("StringLike", "k", ["a?c*"], ["k": ["abcdef"]]) == .match)
        #expect(clause("StringLike", "k", ["A*"], ["k": ["abc"]]) == .noMatch)
        #expect(clause("StringNotLike", "k", ["x*"], ["k": ["abc"]]) == .match)
    }

    // IAM UG elements_condition: key names are case-insensitive; the Bedrock page itself writes
    // `AWS:SourceArn`. Fixture BedrockFlowsClaimsIntakeRole writes `aws:sourceArn` and `AWS:SourceAccount`.
    @Test("Condition keys are case-insensitive; values are not")
    func keyCase() throws {
        #expect(
            clause("StringEquals", "AWS:SourceAccount", ["123456789012"], ["aws:sourceaccount": ["123456789012"]])
                == .match)
        #expect(
            clause("StringEquals", "aws:PrincipalTag/Team", ["Ops"], ["AWS:principaltag/team": ["ops"]]) == .noMatch)
        let trust = try policy(RealPolicies.claimsIntakeTrust)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ["AWS:SourceArn": [Self.flow], "aws:SourceAccount": ["123456789012"]]) == true)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "STS:assumerole",
                context: ["aws:sourcearn": [Self.flow], "aws:sourceaccount": ["123456789012"]]) == true)
    }

    // IAM UG elements_condition_operators: a missing key makes the condition false, except
    // negated operators (true), `…IfExists` (true) and `Null`.
    @Test(
        "Missing key versus negated operator versus IfExists versus Null versus set qualifiers",
        arguments: [
            ("StringEquals", MatchResult.noMatch),
            ("StringLike", .noMatch),
            ("ArnLike", .noMatch),
            ("NumericLessThan", .noMatch),
            ("Bool", .noMatch),
            ("StringNotEquals", .match),
            ("StringNotLike", .match),
            ("ArnNotLike", .match),
            ("NumericNotEquals", .match),
            ("StringEqualsIfExists", .match),
            ("ArnLikeIfExists", .match),
            ("StringNotLikeIfExists", .match),
            ("ForAllValues:StringEquals", .match),
            ("ForAnyValue:StringEquals", .noMatch),
            ("ForAnyValue:StringEqualsIfExists", .match),
        ] as [(String, MatchResult)])
    func missingKey(op: String, expected: MatchResult) {
        #expect(
            clause(op, "aws:SourceArn", ["arn:aws:bedrock:us-east-1:123456789012:flow/*"], ["aws:SourceAccount": ["1"]])
                == expected)
        // An empty list is the same as an absent key.
        #expect(
            clause(
                op, "aws:SourceArn", ["arn:aws:bedrock:us-east-1:123456789012:flow/*"],
                ContextKeys(["aws:SourceArn": []])) == expected)
    }

    @Test("Null tests presence; IfExists evaluates normally when the key is present")
    func nullAndIfExists() {
        #expect(clause("Null", "aws:TokenIssueTime", ["true"], [:]) == .match)
        #expect(
            clause("Null", "aws:TokenIssueTime", ["true"], ["aws:TokenIssueTime": ["2024-01-01T00:00:00Z"]]) == .noMatch
        )
        #expect(
            clause("Null", "aws:TokenIssueTime", ["false"], ["aws:TokenIssueTime": ["2024-01-01T00:00:00Z"]]) == .match)
        #expect(clause("Null", "k", ["maybe"], [:]) == .unknown)
        #expect(clause("StringEqualsIfExists", "k", ["a"], ["k": ["b"]]) == .noMatch)
        #expect(clause("StringEqualsIfExists", "k", ["a"], ["k": ["a"]]) == .match)
    }

    // IAM UG reference_policies_multi-value-conditions: values of one key are ORed; a negated
    // operator with several values holds only when none of them matches.
    @Test("OR across values; a negated operator with several values means none matches")
    func severalValues() {
        let flows = ["arn:aws:bedrock:us-east-1:123456789012:flow/A", "arn:aws:bedrock:us-east-1:123456789012:flow/B"]
        #expect(clause("ArnLike", "aws:SourceArn", flows, ["aws:SourceArn": [flows[1]]]) == .match)
        #expect(clause("ArnNotLike", "aws:SourceArn", flows, ["aws:SourceArn": [flows[1]]]) == .noMatch)
        #expect(
            clause(
                "ArnNotLike", "aws:SourceArn", flows,
                ["aws:SourceArn": ["arn:aws:bedrock:us-east-1:123456789012:flow/C"]]) == .match)
        #expect(clause("StringNotEquals", "k", ["a", "b"], ["k": ["a"]]) == .noMatch)
        #expect(clause("StringNotEquals", "k", ["a", "b"], ["k": ["c"]]) == .match)
    }

    @Test("Set qualifiers on a multi-valued key")
    func setQualifiers() {
        let tags: ContextKeys = ["aws:TagKeys": ["team", "cost"]]
        #expect(clause("ForAllValues:StringEquals", "aws:TagKeys", ["team", "cost", "env"], tags) == .match)
        #expect(clause("ForAllValues:StringEquals", "aws:TagKeys", ["team"], tags) == .noMatch)
        #expect(clause("ForAnyValue:StringEquals", "aws:TagKeys", ["cost"], tags) == .match)
        #expect(clause("ForAnyValue:StringEquals", "aws:TagKeys", ["env"], tags) == .noMatch)
        #expect(clause("ForAnyValue:StringNotEquals", "aws:TagKeys", ["team"], tags) == .match)
        #expect(clause("ForAllValues:StringNotEquals", "aws:TagKeys", ["team"], tags) == .noMatch)
    }

    @Test("AND across operators and keys")
    func andAcrossClauses() throws {
        let trust = try policy(RealPolicies.consoleRoleTrust)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ["aws:SourceArn": [Self.flow], "aws:SourceAccount": ["123456789012"]]) == true)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ["aws:SourceArn": [Self.flow], "aws:SourceAccount": ["999999999999"]]) == false)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "sts:AssumeRole", context: ["aws:SourceAccount": ["123456789012"]])
                == false)
        #expect(
            trust.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: [
                    "aws:SourceArn": ["arn:aws:bedrock:us-west-2:123456789012:flow/X"],
                    "aws:SourceAccount": ["123456789012"],
                ]) == false)
        let result = trust.evaluate(
            RequestContext(
                principal: Self.bedrock, action: "sts:AssumeRole",
                keys: ["aws:SourceArn": [Self.flow + "/alias/ALIAS1"], "aws:SourceAccount": ["123456789012"]]),
            policyID: "trust")
        #expect(result.verdict == .allowed)
        #expect(result.allowedBy.map(\.reference.sid) == ["AmazonBedrockFlowsTrust"])
    }

    @Test("Trust fixtures: principals, pinned flows, StringLike over a region wildcard in 2008-10-17")
    func trustFixtures() throws {
        let account = ["aws:SourceAccount": ["123456789012"]]
        let pinned = try policy(RealPolicies.knowledgeAssistantTrust)
        #expect(
            pinned.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ContextKeys(account.merging(["aws:SourceArn": [Self.flow]]) { $1 })) == true)
        #expect(
            pinned.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ContextKeys(account.merging(["aws:SourceArn": [Self.flow + "/alias/A"]]) { $1 })) == false)

        let legacy = try policy(RealPolicies.legacyTrust)
        #expect(
            legacy.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ["aws:SourceArn": ["arn:aws:bedrock:eu-west-1:123456789012:flow/F/alias/A"]]) == true)
        #expect(
            legacy.allows(
                principal: Self.bedrock, action: "sts:AssumeRole",
                context: ["aws:SourceArn": ["arn:aws:bedrock:eu-west-1:999999999999:flow/F"]]) == false)
        #expect(
            legacy.allows(
                principal: .service("lambda.amazonaws.com"), action: "sts:AssumeRole",
                context: ["aws:SourceArn": ["arn:aws:bedrock:eu-west-1:123456789012:flow/F"]]) == false)

        let shared = try policy(RealPolicies.sharedAutomationTrust)
        #expect(
            shared.allows(
                principal: .service("lambda.amazonaws.com"), action: "sts:AssumeRole", context: ContextKeys(account))
                == true)
        #expect(shared.allows(principal: .service("lambda.amazonaws.com"), action: "sts:AssumeRole") == false)
        #expect(
            shared.allows(principal: .aws("arn:aws:iam::123456789012:role/Operator"), action: "sts:TagSession") == true)
        #expect(shared.allows(principal: .aws("123456789012"), action: "sts:AssumeRole") == true)
        #expect(
            shared.allows(principal: .aws("arn:aws:iam::999999999999:role/Operator"), action: "sts:AssumeRole") == false
        )
        #expect(shared.allows(principal: .anonymous, action: "sts:AssumeRole") == false)

        let open = try policy(RealPolicies.docBatchTrust)
        #expect(open.allows(principal: Self.bedrock, action: "sts:AssumeRole") == true)
        #expect(open.allows(principal: .service("bedrock.amazonaws.com.evil"), action: "sts:AssumeRole") == false)
    }

    @Test("Principal \"*\", AWS \"*\" and NotPrincipal")
    func principals() throws {
        let document = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}, {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject"}, {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/Keep"}, "Action": "s3:DeleteObject"}, {"Effect": "Allow", "Principal": "*", "Action": "s3:DeleteObject"}]}"#
        )
        #expect(document.allows(principal: .anonymous, action: "s3:GetObject") == true)
        #expect(document.allows(principal: .anonymous, action: "s3:PutObject") == false)
        #expect(document.allows(principal: .aws("arn:aws:iam::111122223333:user/u"), action: "s3:PutObject") == true)
        #expect(
            document.allows(principal: .aws("arn:aws:iam::123456789012:role/Keep"), action: "s3:DeleteObject") == true)
        #expect(
            document.evaluate(
                RequestContext(principal: .aws("arn:aws:iam::123456789012:role/Other"), action: "s3:DeleteObject")
            ).verdict == .denied)
    }

    @Test("Unknown operator: an explicit unknown, never a guess")
    func unknownOperator() throws {
        let document = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Sid": "T", "Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"ArnLikeMaybe": {"aws:SourceArn": "arn:aws:bedrock:*:*:flow/*"}}}]}"#
        )
        let result = document.evaluate(
            RequestContext(principal: Self.bedrock, action: "sts:AssumeRole", keys: ["aws:SourceArn": [Self.flow]]),
            policyID: "trust")
        #expect(result.verdict == .unknown)
        #expect(result.isAllowed == nil)
        #expect(result.undetermined.first?.uncertainties == [.unknownOperator("ArnLikeMaybe")])
        // A clause that is certainly false still decides, whatever else is unknown.
        let denied = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"ArnLikeMaybe": {"k": "v"}, "StringEquals": {"aws:SourceAccount": "1"}}}]}"#
        )
        #expect(
            denied.allows(principal: Self.bedrock, action: "sts:AssumeRole", context: ["aws:SourceAccount": ["2"]])
                == false)
        #expect(clause("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], ["aws:SourceIp": ["203.0.113.9"]]) == .unknown)
    }

    @Test("A Deny that may apply makes an Allow unknown; a certain Deny wins")
    func denyPrecedence() throws {
        let document = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}, {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"Weird": {"k": "v"}}}]}"#
        )
        #expect(
            document.evaluate(RequestContext(principal: Self.bedrock, action: "sts:AssumeRole")).verdict == .unknown)
        let certain = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}, {"Effect": "Deny", "Principal": "*", "Action": "sts:*", "Condition": {"StringNotEquals": {"aws:SourceAccount": "123456789012"}}}]}"#
        )
        #expect(
            certain.allows(
                principal: Self.bedrock, action: "sts:AssumeRole", context: ["aws:SourceAccount": ["999999999999"]])
                == false)
        #expect(
            certain.evaluate(
                RequestContext(
                    principal: Self.bedrock, action: "sts:AssumeRole", keys: ["aws:SourceAccount": ["999999999999"]])
            ).verdict == .denied)
        #expect(
            certain.allows(
                principal: Self.bedrock, action: "sts:AssumeRole", context: ["aws:SourceAccount": ["123456789012"]])
                == true)
    }

    @Test("Numeric, Date and Bool operators")
    func numericDateBool() {
        #expect(clause("NumericLessThanEquals", "s3:max-keys", ["10"], ["s3:max-keys": ["10"]]) == .match)
        #expect(clause("NumericLessThan", "s3:max-keys", ["10"], ["s3:max-keys": ["10.5"]]) == .noMatch)
        #expect(clause("NumericGreaterThan", "s3:max-keys", ["ten"], ["s3:max-keys": ["10"]]) == .unknown)
        #expect(
            clause(
                "DateGreaterThan", "aws:TokenIssueTime", ["2020-01-01T00:00:01Z"],
                ["aws:TokenIssueTime": ["2020-01-01T01:00:00+01:00"]]) == .noMatch)
        #expect(
            clause(
                "DateGreaterThan", "aws:TokenIssueTime", ["2020-01-01T00:00:01Z"],
                ["aws:TokenIssueTime": ["2020-01-01T00:00:01.5Z"]]) == .match)
        #expect(
            clause("DateLessThan", "aws:CurrentTime", ["2024-11-23"], ["aws:CurrentTime": ["2024-11-22T23:59:59Z"]])
                == .match)
        #expect(
            clause("DateEquals", "aws:EpochTime", ["1732320000"], ["aws:EpochTime": ["2024-11-23T00:00:00Z"]]) == .match
        )
        #expect(clause("DateNotEquals", "aws:EpochTime", ["someday"], ["aws:EpochTime": ["1"]]) == .unknown)
        #expect(clause("Bool", "aws:SecureTransport", ["false"], ["aws:SecureTransport": ["FALSE"]]) == .match)
        #expect(clause("Bool", "aws:SecureTransport", ["true"], ["aws:SecureTransport": ["false"]]) == .noMatch)
    }

    @Test("Policy variables in condition values are filled from the context in 2012-10-17 only")
    func variablesInConditions() throws {
        func text(_ version: String) -> String {
            #"{"Version": "\#(version)", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Subscribe", "Condition": {"StringLike": {"sns:endpoint": "https://example.com/${aws:username}/"}}}]}"#
        }
        let modern = try policy(text("2012-10-17"))
        #expect(
            modern.allows(
                principal: .anonymous, action: "sns:Subscribe",
                context: ["sns:Endpoint": ["https://example.com/alice/"], "aws:username": ["alice"]]) == true)
        #expect(
            modern.allows(
                principal: .anonymous, action: "sns:Subscribe",
                context: ["sns:Endpoint": ["https://example.com/alice/"], "aws:username": ["bob"]]) == false)
        #expect(
            modern.allows(
                principal: .anonymous, action: "sns:Subscribe",
                context: ["sns:Endpoint": ["https://example.com/alice/"]]) == nil)
        let old = try policy(text("2008-10-17"))
        #expect(
            old.allows(
                principal: .anonymous, action: "sns:Subscribe",
                context: ["sns:Endpoint": ["https://example.com/alice/"], "aws:username": ["alice"]]) == false)
        #expect(
            old.allows(
                principal: .anonymous, action: "sns:Subscribe",
                context: ["sns:Endpoint": ["https://example.com/${aws:username}/"]]) == true)
    }

    @Test("A request resource is matched when given, and variables in Resource are filled from the context")
    func resources() throws {
        let document = try policy(
            #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]}"#
        )
        let alice = RequestPrincipal.aws("arn:aws:iam::123456789012:user/alice")
        #expect(
            document.allows(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x",
                context: ["aws:username": ["alice"]]) == true)
        #expect(
            document.allows(
                principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/bob/x",
                context: ["aws:username": ["alice"]]) == false)
        #expect(
            document.allows(principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x") == nil)
    }
}
