import FlowRoleJSON
import IAMPolicy
import Testing

@Suite("Policy grammar")
struct GrammarTests {
    @Test("A single-object Statement is read and remembered as an object (IAM UG elements_resource)")
    func singleObjectStatement() throws {
        let document = try policy(RealPolicies.legacyTrust)
        #expect(document.statementShape == .object)
        #expect(document.statements.count == 1)
        #expect(document.statements[0].pointer == "/Statement")
        #expect(document.json == (try JSONValue(parsing: RealPolicies.legacyTrust)))
    }

    @Test("A 2008-10-17 policy keeps its version; ${…} is literal there (IAM UG elements_version)")
    func version2008() throws {
        let document = try policy(RealPolicies.legacyTrust)
        #expect(document.version == .v2008_10_17)
        #expect(!document.version.substitutesPolicyVariables)
        let versionless = try policy(#"{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#)
        #expect(versionless.version == nil)
        #expect(!versionless.version.substitutesPolicyVariables)
        #expect(try policy(RealPolicies.consoleRoleInline).version.substitutesPolicyVariables)
    }

    @Test("NotAction and NotResource are read as negated elements")
    func notElements() throws {
        let document = try policy(RealPolicies.legacyInline)
        let onlyApproved = document.statements[1]
        #expect(onlyApproved.sid == "OnlyApprovedFunctions")
        #expect(onlyApproved.effect == .deny)
        #expect(onlyApproved.action.isNegated == false)
        #expect(onlyApproved.resource?.isNegated == true)
        #expect(
            onlyApproved.resource?.patterns.map(\.text) == ["arn:aws:lambda:us-east-1:123456789012:function:approved-*"]
        )
        let noPromptWrites = document.statements[2]
        #expect(noPromptWrites.action.isNegated)
        #expect(noPromptWrites.action.isList)
        #expect(noPromptWrites.action.patterns.count == 5)
        #expect(noPromptWrites.resource?.isNegated == false)
    }

    @Test("Every Principal form: *, AWS, Service, Federated, CanonicalUser, string or list, NotPrincipal")
    func principalForms() throws {
        let document = try policy(
            #"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"},
              {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/R"]}, "Action": "sts:AssumeRole"},
              {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "bedrock.amazonaws.com"]}, "Action": "sts:AssumeRole"},
              {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"},
              {"Effect": "Allow", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}, "Action": "s3:GetObject", "Resource": "*"},
              {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root", "Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]}
            """#)
        let principals = document.statements.compactMap(\.principal)
        #expect(principals.count == 7)
        #expect(principals[0].subjects == .everyone)
        #expect(principals[1].values(of: .aws) == ["arn:aws:iam::123456789012:root"])
        #expect(
            principals[2].subjects
                == .named([
                    PrincipalEntry(
                        type: .aws, values: ["111122223333", "arn:aws:iam::111122223333:role/R"], isList: true)
                ]))
        #expect(principals[3].namesService("bedrock.amazonaws.com"))
        #expect(principals[4].values(of: .federated) == ["cognito-identity.amazonaws.com"])
        #expect(principals[5].values(of: .canonicalUser) == ["79a59df900b949e55d96a1e698fbaced"])
        #expect(principals[6].isNegated)
        #expect(principals[6].values(of: .service) == ["bedrock.amazonaws.com"])
    }

    @Test("Condition values: strings, lists, numbers (as written) and booleans; operators and keys kept as written")
    func conditionValues() throws {
        let document = try policy(
            #"""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
              "Condition": {
                "StringEquals": {"AWS:SourceAccount": "123456789012"},
                "ArnLike": {"aws:SourceArn": ["arn:aws:bedrock:us-east-1:123456789012:flow/A", "arn:aws:bedrock:us-east-1:123456789012:flow/B"]},
                "NumericLessThanEquals": {"s3:max-keys": 10.50},
                "Bool": {"aws:SecureTransport": true},
                "SomeFutureOperator": {"k": "v"}
              }}}
            """#)
        let clauses = try #require(document.statements[0].condition).clauses
        #expect(
            clauses.map(\.operatorName) == [
                "StringEquals", "ArnLike", "NumericLessThanEquals", "Bool", "SomeFutureOperator",
            ])
        #expect(clauses[0].key == "AWS:SourceAccount")
        #expect(clauses[0].values == [.string("123456789012")])
        #expect(!clauses[0].isList)
        #expect(clauses[1].isList && clauses[1].values.count == 2)
        #expect(clauses[2].values == [.number("10.50")])
        #expect(clauses[3].values == [.bool(true)])
        #expect(clauses[3].values[0].text == "true")
        #expect(clauses[4].conditionOperator == nil)
        #expect(clauses[1].pointer == "/Statement/Condition/ArnLike/aws:SourceArn")
        #expect(document.statements[0].condition?.clauses(testing: "aws:sourcearn").count == 1)
    }

    @Test("Operator names: IfExists, set qualifiers, Null, unknown")
    func operatorNames() {
        #expect(ConditionOperator(name: "StringLikeIfExists") == ConditionOperator(base: .stringLike, ifExists: true))
        #expect(ConditionOperator(name: "ForAnyValue:StringEquals")?.qualifier == .forAnyValue)
        #expect(ConditionOperator(name: "ForAllValues:ArnLikeIfExists")?.name == "ForAllValues:ArnLikeIfExists")
        #expect(ConditionOperator(name: "Null")?.base == .null)
        #expect(ConditionOperator(name: "NullIfExists") == nil)
        #expect(ConditionOperator(name: "stringequals") == nil)
        #expect(ConditionOperator(name: "ForSomeValues:StringEquals") == nil)
        #expect(ConditionOperator(name: "ArnNotLike")?.isNegated == true)
    }

    @Test("Unknown members, member order and string-versus-list survive: json and canonical text round-trip")
    func roundTrip() throws {
        let text = #"""
            {"Statement": [{"Resource": "*", "Zeta": {"nested": [1, 2.50, null]}, "Effect": "Allow",
              "Action": ["s3:GetObject"], "Sid": "S1", "Principal": {"AWS": "123456789012"}}],
             "Id": "policy-1", "Version": "2012-10-17", "x-extra": true}
            """#
        let json = try JSONValue(parsing: text)
        let document = try PolicyDocument(json: json)
        #expect(document.json == json)
        #expect(document.statements[0].json == json["Statement"]?.arrayValue?.first)
        #expect(document.id == "policy-1")
        #expect(document.canonicalText == json.canonicalText)
        #expect(
            try PolicyDocument(json: JSONValue(parsing: document.canonicalText)).canonicalText == document.canonicalText
        )
        #expect(document.statements[0].action.isList)
        #expect(!(document.statements[0].resource?.isList ?? true))
        #expect(document.characterCount == json.canonicalCharacterCount)
    }

    @Test("Every real fixture document round-trips exactly", arguments: RealPolicies.all.keys.sorted())
    func fixturesRoundTrip(name: String) throws {
        let json = try JSONValue(parsing: try #require(RealPolicies.all[name]))
        let document = try PolicyDocument(json: json)
        #expect(document.json == json)
        #expect(try JSONValue(parsing: document.canonicalText).canonicalText == json.canonicalText)
    }

    @Test(
        "Bad documents name the pointer of the value at fault",
        arguments: [
            (#"[]"#, ""),
            (#"{"Version": "2012-10-17"}"#, ""),
            (#"{"Version": "2013-01-01", "Statement": []}"#, "/Version"),
            (#"{"Version": 2012, "Statement": []}"#, "/Version"),
            (#"{"Statement": "nope"}"#, "/Statement"),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:*"}, {"Effect": "Permit", "Action": "s3:*"}]}"#,
                "/Statement/2/Effect"
            ),
            (#"{"Statement": {"Action": "s3:*"}}"#, "/Statement"),
            (#"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#, "/Statement/0"),
            (#"{"Statement": [{"Effect": "Allow", "Action": "a:b", "NotAction": "c:d"}]}"#, "/Statement/0/NotAction"),
            (#"{"Statement": [{"Effect": "Allow", "Action": ["a:b", 3]}]}"#, "/Statement/0/Action/1"),
            (#"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Resource": {"x": 1}}]}"#, "/Statement/0/Resource"),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Principal": "bedrock"}]}"#,
                "/Statement/0/Principal"
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Principal": {"Services": "x"}}]}"#,
                "/Statement/0/Principal/Services"
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Condition": {"StringEquals": {"a/b": {"x": 1}}}}]}"#,
                "/Statement/0/Condition/StringEquals/a~1b"
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Condition": {"StringEquals": {"k": ["v", null]}}}]}"#,
                "/Statement/0/Condition/StringEquals/k/1"
            ),
            (
                #"{"Statement": [{"Effect": "Allow", "Action": "a:b", "Condition": {"StringEquals": "v"}}]}"#,
                "/Statement/0/Condition/StringEquals"
            ),
            (#"{"Statement": [{"Sid": 1, "Effect": "Allow", "Action": "a:b"}]}"#, "/Statement/0/Sid"),
        ] as [(String, String)])
    func badDocuments(text: String, pointer: String) throws {
        let error = try #require(try policyError(text))
        #expect(error.pointer == pointer)
        #expect(error.message.hasSuffix("."))
        #expect(error.message.first?.isUppercase == true)
        let input = error.inputError(
            file: "exports/iam.json", documentPointer: "/RoleDetailList/3/AssumeRolePolicyDocument")
        #expect(input.pointer == "/RoleDetailList/3/AssumeRolePolicyDocument" + pointer)
    }

    @Test("Appending and replacing statements keep everything else as read")
    func editing() throws {
        let legacy = try policy(RealPolicies.legacyTrust)
        let added: JSONValue = [
            "Sid": "New", "Effect": "Allow", "Action": "sts:TagSession",
            "Principal": ["Service": "bedrock.amazonaws.com"],
        ]
        let appended = try legacy.appending(statements: [added])
        #expect(appended.statementShape == .list)
        #expect(appended.statements.count == 2)
        #expect(appended.version == .v2008_10_17)
        #expect(appended.statements[0].json == legacy.statements[0].json)

        let replaced = try legacy.replacingStatement(at: 0, with: [added])
        #expect(replaced.statementShape == .object)
        #expect(replaced.statements[0].sid == "New")

        let shared = try policy(RealPolicies.sharedAutomationTrust)
        let split = try shared.replacingStatement(at: 0, with: [added, added])
        #expect(split.statements.map(\.sid) == ["New", "New", "BreakGlass"])
        #expect(throws: PolicyError.self) { try shared.replacingStatement(at: 5, with: [added]) }
    }
}
