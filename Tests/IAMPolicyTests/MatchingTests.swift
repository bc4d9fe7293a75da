import IAMPolicy
import Testing

@Suite("Matching")
struct MatchingTests {
    @Test("Actions are case-insensitive (IAM UG elements_action: iam:ListAccessKeys ≡ IAM:listaccesskeys)")
    func actionCase() {
        #expect(ActionPattern("iam:ListAccessKeys").match("IAM:listaccesskeys") == .match)
        #expect(ActionPattern("IAM:listaccesskeys").match("iam:ListAccessKeys") == .match)
        #expect(ActionPattern("Bedrock:Invoke*").match("bedrock:InvokeModel") == .match)
        #expect(ActionPattern("iam:*AccessKey*").match("iam:CreateAccessKey") == .match)
        #expect(ActionPattern("iam:*AccessKey*").match("iam:ListUsers") == .noMatch)
        #expect(ActionPattern("*").match("lambda:InvokeFunction") == .match)
        #expect(ActionPattern("lambda:*").match("lambdax:InvokeFunction") == .noMatch)
    }

    // DESIGN "The evaluator", caution table: `?` in an action does not prove an Allow, but is a
    // wildcard when looking for a Deny.
    // A `?` followed by a combining mark is one Swift Character that is not `?`, but the matcher
    // reads scalars and takes the `?` as a wildcard: the pattern must still say it has one.
    @Test("? before a combining mark is still a question mark (bytes, not Characters)")
    func questionMarkBeforeCombiningMark() {
        let pattern = ActionPattern("lambda:InvokeFunctio?\u{301}")
        #expect(pattern.hasQuestionMark)
        #expect(pattern.match("lambda:InvokeFunction\u{301}") == .unknown)
        #expect("a?\u{301}".hasIAMWildcard)
        #expect("arn:aws:s3:::b/*\u{301}".hasIAMWildcard)
        #expect(!"arn:aws:s3:::b/key".hasIAMWildcard)
        #expect("x/\u{301}".containsASCII("/"))
        #expect(!"x\u{301}".containsASCII("/"))
    }

    @Test("? in an action: unknown; resolved as a wildcard only when seeking a Deny")
    func questionMarkInAction() {
        let pattern = ActionPattern("lambda:InvokeFunctio?")
        #expect(pattern.match("lambda:InvokeFunction") == .unknown)
        #expect(pattern.match("lambda:InvokeFunctions") == .noMatch)
        let element = ActionElement(isNegated: false, patterns: [pattern], isList: false)
        #expect(element.match("lambda:InvokeFunction", caution: .provingAllow) == .unknown)
        #expect(element.match("lambda:InvokeFunction", caution: .seekingDeny) == .match)
        let negated = ActionElement(isNegated: true, patterns: [pattern], isList: false)
        #expect(negated.match("lambda:InvokeFunction", caution: .provingAllow) == .unknown)
        #expect(negated.match("lambda:InvokeFunction", caution: .seekingDeny) == .match)
    }

    // IAM UG elements_resource: case-sensitive; `*` any run, `?` one character; IAM-SEMANTICS §3:
    // `*` crosses `:` and `/`.
    @Test(
        "Resources: case-sensitive globs where * crosses : and / and ? is one character",
        arguments: [
            ("*", "arn:aws:lambda:us-east-1:123456789012:function:f", MatchResult.match),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:F", "arn:aws:lambda:us-east-1:123456789012:function:f",
                .noMatch
            ),
            (
                "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/*",
                "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/OPSALIAS01", .match
            ),
            (
                "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/*",
                "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0002/OPSALIAS01", .noMatch
            ),
            ("arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:us-west-2::foundation-model/a.b:0", .match),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", .match),
            ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/a", .match),
            ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/ab", .noMatch),
            ("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/", .noMatch),
            (
                "arn:aws:bedrock:us-east-1:123456789012:prompt/P", "arn:aws:bedrock:us-east-1:123456789012:prompt/P:3",
                .noMatch
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:prompt/*", "arn:aws:bedrock:us-east-1:123456789012:prompt/P:3",
                .match
            ),
        ] as [(String, String, MatchResult)])
    func resources(pattern: String, resource: String, expected: MatchResult) {
        #expect(ResourcePattern(pattern).match(resource) == expected)
    }

    // IAM UG reference_policies_variables; DESIGN caution table: a variable in a 2012-10-17
    // document is unproven for an Allow and matches for a Deny; in 2008-10-17 it is literal text.
    @Test("Policy variables: unknown in 2012-10-17, filled from a context, literal in 2008-10-17")
    func policyVariables() {
        let pattern = ResourcePattern("arn:aws:s3:::bucket/home/${aws:username}/*")
        #expect(pattern.hasPolicyVariable)
        #expect(pattern.match("arn:aws:s3:::bucket/home/alice/doc") == .unknown)
        #expect(pattern.match("arn:aws:s3:::other/home/alice/doc") == .noMatch)
        #expect(
            pattern.match("arn:aws:s3:::bucket/home/alice/doc", variables: .context(["AWS:UserName": ["alice"]]))
                == .match)
        #expect(
            pattern.match("arn:aws:s3:::bucket/home/alice/doc", variables: .context(["aws:username": ["bob"]]))
                == .noMatch)
        #expect(pattern.match("arn:aws:s3:::bucket/home/alice/doc", variables: .context([:])) == .unknown)

        let element = ResourceElement(isNegated: false, patterns: [pattern], isList: false)
        #expect(element.match("arn:aws:s3:::bucket/home/alice/doc", caution: .provingAllow) == .unknown)
        #expect(element.match("arn:aws:s3:::bucket/home/alice/doc", caution: .seekingDeny) == .match)

        let literal = ResourcePattern("arn:aws:s3:::bucket/${aws:username}", substitutesVariables: false)
        #expect(!literal.hasPolicyVariable)
        #expect(literal.match("arn:aws:s3:::bucket/${aws:username}") == .match)
        #expect(literal.match("arn:aws:s3:::bucket/alice") == .noMatch)

        let defaulted = ResourcePattern("arn:aws:s3:::bucket/${aws:userid, 'anonymous'}")
        #expect(defaulted.match("arn:aws:s3:::bucket/anonymous", variables: .context([:])) == .match)
    }

    @Test("${*}, ${?} and ${$} are the literal characters (IAM UG reference_policies_variables, Special characters)")
    func specialCharacters() {
        let pattern = ResourcePattern("arn:aws:s3:::bucket/a${*}b${?}${$}")
        #expect(!pattern.hasPolicyVariable)
        #expect(pattern.match("arn:aws:s3:::bucket/a*b?$") == .match)
        #expect(pattern.match("arn:aws:s3:::bucket/axxbc$") == .noMatch)
    }

    // Lambda DG "Function resource names": unqualified vs :1 vs :* vs NAME*.
    @Test(
        "The Lambda qualified-ARN table",
        arguments: [
            ("function:my-function", "function:my-function", MatchResult.match),
            ("function:my-function", "function:my-function:1", .noMatch),
            ("function:my-function", "function:my-function:live", .noMatch),
            ("function:my-function:1", "function:my-function:1", .match),
            ("function:my-function:1", "function:my-function", .noMatch),
            ("function:my-function:1", "function:my-function:2", .noMatch),
            ("function:my-function:*", "function:my-function:1", .match),
            ("function:my-function:*", "function:my-function:live", .match),
            ("function:my-function:*", "function:my-function", .noMatch),
            ("function:my-function*", "function:my-function", .match),
            ("function:my-function*", "function:my-function:1", .match),
            ("function:my-function*", "function:my-function2", .match),
        ] as [(String, String, MatchResult)])
    func lambdaQualifiedARNs(pattern: String, resource: String, expected: MatchResult) {
        let prefix = "arn:aws:lambda:us-east-1:123456789012:"
        #expect(ResourcePattern(prefix + pattern).match(prefix + resource) == expected)
    }

    @Test("Three-valued logic")
    func threeValued() {
        #expect(MatchResult.unknown.negated == .unknown)
        #expect(MatchResult.match.and(.unknown) == .unknown)
        #expect(MatchResult.noMatch.and(.unknown) == .noMatch)
        #expect(MatchResult.match.or(.unknown) == .match)
        #expect(MatchResult.noMatch.or(.unknown) == .unknown)
    }
}
