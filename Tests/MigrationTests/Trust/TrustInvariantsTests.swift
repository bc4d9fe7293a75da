import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

@Suite("Trust invariants")
struct TrustInvariantsTests {
    typealias F = TrustFixtures

    static let realRoles = [
        "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B", "BedrockFlowsKnowledgeAssistantRole",
        "BedrockFlowsDocBatchRole",
        "BedrockFlowsSharedAutomationRole", "BedrockFlowsClaimsIntakeRole", "BedrockFlowsLegacyRole",
    ]

    /// A tightened document, and what the checker needs to judge a change to it.
    static func tightened(
        _ roleName: String, flows: [TrustTightener.FlowUse] = [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB")]
    )
        throws -> (arn: String, before: PolicyDocument, after: PolicyDocument, flows: [TrustTightener.FlowUse])
    {
        let (arn, trust) = try F.realTrust(roleName)
        let result = F.tighten(
            trust, flows: flows, coverage: F.coverage([(F.account, "*", .flag)]), roleArn: arn,
            tightenUnconditioned: true)
        return (arn, trust, try #require(result.after), flows)
    }

    static func violations(
        _ arn: String, _ before: PolicyDocument, _ after: PolicyDocument, _ flows: [TrustTightener.FlowUse]
    ) -> [String] {
        TrustInvariants.violations(roleArn: arn, roleAccount: F.account, before: before, after: after, flows: flows)
    }

    /// `document` with its statements transformed.
    static func editing(_ document: PolicyDocument, _ edit: (inout [JSONValue]) -> Void) throws -> PolicyDocument {
        var statements = document.statements.map(\.json)
        edit(&statements)
        var members = document.json.objectMembers ?? []
        let index = try #require(members.firstIndex { $0.key == "Statement" })
        members[index].value = .array(statements)
        return try PolicyDocument(json: .object(members))
    }

    @Test(arguments: realRoles)
    func everyRealTrustPolicyTightenedKeepsTheInvariants(_ roleName: String) throws {
        // F.tighten checks the invariants; here also with the roles' real flows and no option.
        let (arn, trust) = try F.realTrust(roleName)
        let flows = [F.flow("XK7RZ2QH4M"), F.flow("9JQ2WPL0TA"), F.flow("H6PL3MV8QB")]
        _ = F.tighten(trust, flows: flows, coverage: F.coverage([(F.account, "*", .manifest)]), roleArn: arn)
        _ = F.tighten(
            trust, flows: flows, coverage: F.coverage([(F.account, "*", .manifest)]), roleArn: arn,
            tightenUnconditioned: true)
    }

    @Test func noChangeHasNoViolations() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsSharedAutomationRole")
        #expect(
            TrustInvariants.violations(roleArn: arn, roleAccount: F.account, before: trust, after: nil, flows: [])
                .isEmpty)
        #expect(Self.violations(arn, trust, trust, [F.flow("AAAAAAAAAA")]).isEmpty)
    }

    @Test(arguments: [
        #"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#,
        #"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#,
        #"{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
    ])
    func aWidenedPrincipalIsReported(_ added: String) throws {
        let (arn, before, after, flows) = try Self.tightened("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let statement = try JSONParser.parse(added)
        let broken = try Self.editing(after) { $0.append(statement) }
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.contains { $0.hasPrefix("Invariant 3") })
    }

    @Test func aWidenedSourceArnIsReported() throws {
        let (arn, before, after, flows) = try Self.tightened("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let broken = try Self.editing(after) { statements in
            statements[0] = .object(
                (statements[0].objectMembers ?? []).filter { $0.key != "Condition" }
                    + [JSONMember("Condition", ["ArnLike": ["aws:SourceArn": "arn:aws:bedrock:*:*:flow/*"]])])
        }
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.contains { $0.hasPrefix("Invariant 3") && $0.contains("FLOWROLEFOREIGN") })
    }

    @Test func aDroppedPinnedFlowIsReported() throws {
        let (arn, before, after, flows) = try Self.tightened("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let dropped = F.flowArn("AAAAAAAAAA")
        let broken = try Self.editing(after) { statements in
            let values = statements[0]["Condition"]?["ArnLike"]?["aws:SourceArn"]?.arrayValue ?? []
            let kept = values.filter { !($0.stringValue ?? "").hasPrefix(dropped) }
            var condition = statements[0]["Condition"]?.objectMembers ?? []
            condition = condition.map {
                $0.key == "ArnLike" ? JSONMember("ArnLike", ["aws:SourceArn": .array(kept)]) : $0
            }
            statements[0] = .object(
                (statements[0].objectMembers ?? []).map {
                    $0.key == "Condition" ? JSONMember("Condition", .object(condition)) : $0
                })
        }
        #expect(broken.canonicalText != after.canonicalText)
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.contains { $0.hasPrefix("Invariant 4") && $0.contains(dropped) })
        #expect(!found.contains { $0.contains("flow/BBBBBBBBBB") })
    }

    @Test func aChangedNonBedrockStatementIsReportedEvenWhenItMeansTheSame() throws {
        let (arn, before, after, flows) = try Self.tightened("BedrockFlowsSharedAutomationRole")
        let breakGlass = try #require(after.statements.firstIndex { $0.sid == "BreakGlass" })
        // Narrower: the root may no longer tag sessions.
        let narrower = try Self.editing(after) { statements in
            statements[breakGlass] = .object(
                (statements[breakGlass].objectMembers ?? []).map {
                    $0.key == "Action" ? JSONMember("Action", "sts:AssumeRole") : $0
                })
        }
        let found = Self.violations(arn, before, narrower, flows)
        #expect(found.contains { $0.contains("not about Bedrock") })
        #expect(found.contains { $0.contains("no longer allows") && $0.contains("sts:TagSession") })
        // Same meaning, other bytes: a reordered action list.
        let reordered = try Self.editing(after) { statements in
            statements[breakGlass] = .object(
                (statements[breakGlass].objectMembers ?? []).map {
                    $0.key == "Action" ? JSONMember("Action", ["sts:TagSession", "sts:AssumeRole"]) : $0
                })
        }
        #expect(Self.violations(arn, before, reordered, flows).contains { $0.contains("not about Bedrock") })
    }

    @Test func tighteningAMixedStatementInPlaceIsReported() throws {
        // A tightener that forgot to split locks Lambda out of the shared statement.
        let (arn, before) = try F.realTrust("BedrockFlowsSharedAutomationRole")
        let flows = [F.flow("AAAAAAAAAA")]
        let broken = try Self.editing(before) { statements in
            var members = statements[0].objectMembers ?? []
            let index = members.firstIndex { $0.key == "Condition" } ?? 0
            members[index].value = [
                "StringEquals": ["aws:SourceAccount": "123456789012"],
                "ArnLike": ["aws:SourceArn": .array(F.flow("AAAAAAAAAA").pinnedValues.map(JSONValue.string))],
            ]
            statements[0] = .object(members)
        }
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.contains { $0.contains("not about Bedrock") })
        #expect(found.contains { $0.contains("no longer allows") && $0.contains("lambda.amazonaws.com") })
    }

    @Test func anUnknownResultCountsAgainst() throws {
        let (arn, before, after, flows) = try Self.tightened("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let doubtful = try JSONParser.parse(
            #"{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLikeSometimes":{"aws:SourceArn":"x"}}}"#
        )
        let broken = try Self.editing(after) { $0.append(doubtful) }
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.contains { $0.contains("may allow") })
    }

    @Test func theListIsCapped() throws {
        let (arn, before, after, flows) = try Self.tightened("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let broken = try Self.editing(after) { $0.append(["Effect": "Allow", "Principal": "*", "Action": "*"]) }
        let found = Self.violations(arn, before, broken, flows)
        #expect(found.count == TrustInvariants.listed + 1)
        #expect(found.last?.hasSuffix("more violations.") == true)
    }
}
