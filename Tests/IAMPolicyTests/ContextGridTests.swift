import FlowRoleJSON
import Testing

@testable import IAMPolicy

/// ``ContextGrid`` answers many context-mode requests with each clause evaluated once per value
/// of its key (a speed-up for the trust invariants of `plan`); every answer must be exactly the
/// request-by-request evaluator's, ``PolicyDocument/evaluate(_:policyID:)`` and
/// ``Statement/evaluate(_:substitutesVariables:)``.
@Suite("context grid agrees with context mode")
struct ContextGridTests {
    static let principals: [JSONValue] = [
        "*", ["Service": "bedrock.amazonaws.com"], ["Service": ["bedrock.amazonaws.com", "lambda.amazonaws.com"]],
        ["AWS": "111122223333"], ["AWS": "arn:aws:iam::111122223333:root"], ["AWS": "*"],
        ["AWS": "arn:aws:iam::444455556666:role/Caller"], ["Federated": "cognito-identity.amazonaws.com"],
    ]
    static let actions: [JSONValue] = [
        "sts:AssumeRole", ["sts:AssumeRole", "sts:TagSession"], "sts:*", "sts:Assume?ole",
    ]
    static let operators = [
        "ArnLike", "ArnEquals", "StringLike", "StringEquals", "ArnNotLike", "StringNotEquals", "StringEqualsIfExists",
        "ForAnyValue:StringLike", "ForAllValues:ArnLike", "Null", "StringEqualsIgnoreCase", "StringNotLikeIfExists",
        "NumericLessThan", "Unknown", "Bool",
    ]
    /// The grid's keys in other cases, and keys it does not set.
    static let clauseKeys = [
        "aws:SourceArn", "AWS:SOURCEARN", "aws:SourceAccount", "aws:sourceaccount", "aws:PrincipalTag/x",
        "aws:username",
    ]
    static let values = [
        "arn:aws:bedrock:us-east-1:111122223333:flow/*", "arn:aws:bedrock:*:*:flow/*",
        "arn:aws:bedrock:us-east-1:111122223333:flow/F1", "arn:aws:bedrock:us-east-1:111122223333:flow/F1/*",
        "arn:aws:bedrock:us-east-1:${aws:SourceAccount}:flow/*", "${aws:SourceArn}", "${aws:username, 'x'}",
        "arn:aws:bedrock:us-east-1:111122223333:flow/é*", "111122223333", "444455556666", "true", "false", "*", "x:y",
        "1",
    ]
    static let arns = [
        "arn:aws:bedrock:us-east-1:111122223333:flow/F1", "arn:aws:bedrock:us-east-1:111122223333:flow/F1/alias/A",
        "arn:aws:bedrock:us-west-2:444455556666:flow/F2", "arn:aws:bedrock:us-east-1:111122223333:flow/e\u{301}",
        "arn:aws:bedrock:us-east-1:111122223333:flow/é", "x", "arn:aws:bedrock:us-east-1:${aws:SourceAccount}:flow/*",
    ]
    static let accounts = ["111122223333", "444455556666", "x"]
    static let requestPrincipals: [RequestPrincipal] = [
        .service("bedrock.amazonaws.com"), .service("lambda.amazonaws.com"), .aws("arn:aws:iam::111122223333:role/R"),
        .aws("arn:aws:iam::444455556666:role/Caller"), .federated("cognito-identity.amazonaws.com"), .anonymous,
    ]
    static let requestActions = ["sts:AssumeRole", "sts:TagSession", "sts:AssumeXole", "s3:GetObject"]

    static func statement(_ random: inout SeededRandom) -> JSONValue {
        var members: [JSONMember] = [JSONMember("Effect", random.chance(80) ? "Allow" : "Deny")]
        if random.chance(90) {
            members.append(JSONMember(random.chance(85) ? "Principal" : "NotPrincipal", random.pick(principals)))
        }
        members.append(JSONMember(random.chance(90) ? "Action" : "NotAction", random.pick(actions)))
        if random.chance(80) {
            var operatorMembers: [JSONMember] = []
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let name = random.pick(operators)
                guard !operatorMembers.contains(where: { $0.key == name }) else { continue }
                var keyMembers: [JSONMember] = []
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let key = random.pick(clauseKeys)
                    guard !keyMembers.contains(where: { $0.key == key }) else { continue }
                    let texts = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                        JSONValue.string(random.pick(values))
                    }
                    keyMembers.append(JSONMember(key, texts.count == 1 && random.chance(50) ? texts[0] : .array(texts)))
                }
                operatorMembers.append(JSONMember(name, .object(keyMembers)))
            }
            members.append(JSONMember("Condition", .object(operatorMembers)))
        }
        return .object(members)
    }

    static func document(_ random: inout SeededRandom) throws -> PolicyDocument {
        var members: [JSONMember] = []
        switch Int.random(in: 0..<3, using: &random) {
        case 0: break
        case 1: members.append(JSONMember("Version", "2008-10-17"))
        default: members.append(JSONMember("Version", "2012-10-17"))
        }
        let statements = (0..<Int.random(in: 0...3, using: &random)).map { _ in statement(&random) }
        members.append(JSONMember("Statement", .array(statements)))
        return try PolicyDocument(json: .object(members))
    }

    @Test(arguments: 0..<6)
    func everyRequestGetsContextModesAnswer(_ seed: Int) throws {
        var random = SeededRandom(seed: seed)
        var verdicts = Set<Bool?>()
        for _ in 0..<60 {
            let documents = [try Self.document(&random), try Self.document(&random)]
            // Every (arn, account) pair, absent included, plus some repeated.
            var keySets: [Int] = []
            for arn in -1..<Self.arns.count {
                for account in -1..<Self.accounts.count { keySets += [arn, account] }
            }
            keySets += [0, 0, 0, 0]
            var grid = ContextGrid(
                documents: documents, keys: ["aws:SourceArn", "aws:SourceAccount"], values: [Self.arns, Self.accounts],
                keySets: keySets)
            for principal in Self.requestPrincipals {
                for action in Self.requestActions {
                    let request = grid.requestMatches(principal: principal, action: action)
                    for keySet in 0..<grid.keySetCount {
                        let keys = grid.contextKeys(keySet)
                        let context = RequestContext(principal: principal, action: action, keys: keys)
                        for (index, document) in documents.enumerated() {
                            let expected = document.evaluate(context).isAllowed
                            #expect(grid.isAllowed(document: index, request: request, keySet: keySet) == expected)
                            verdicts.insert(expected)
                            let substitutes = document.version.substitutesPolicyVariables
                            for (offset, statement) in document.statements.enumerated() {
                                #expect(
                                    grid.statementResult(
                                        grid.statementIndices(of: index).lowerBound + offset, request: request,
                                        keySet: keySet)
                                        == statement.evaluate(context, substitutesVariables: substitutes).result,
                                    "\(statement.json.canonicalText) \(context)")
                            }
                        }
                    }
                }
            }
        }
        #expect(verdicts == [true, false, nil])
    }

    @Test func keySetsAreTheContextsGiven() {
        let grid = ContextGrid(
            documents: [], keys: ["aws:SourceArn", "aws:SourceAccount"], values: [["a"], ["1", "2"]],
            keySets: [-1, -1, 0, -1, -1, 1, 0, 0])
        #expect(grid.keySetCount == 4)
        #expect(grid.contextKeys(0) == ContextKeys())
        #expect(grid.contextKeys(1) == ["aws:SourceArn": ["a"]])
        #expect(grid.contextKeys(2) == ["aws:SourceAccount": ["2"]])
        #expect(grid.contextKeys(3) == ["aws:SourceArn": ["a"], "aws:SourceAccount": ["1"]])
    }
}
