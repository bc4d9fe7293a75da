import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

@Suite("Trust tightening")
struct TrustTightenerTests {
    typealias F = TrustFixtures
    static let consoleFlows = [F.flow("XK7RZ2QH4M"), F.flow("H6PL3MV8QB")]

    // MARK: - Operators and values

    @Test func consoleStyleArnLikeIsPinnedToTheRoleFlowsOperatorKept() throws {
        let (arn, trust) = try F.realTrust("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let result = F.tighten(trust, flows: Self.consoleFlows, roleArn: arn)
        let expected = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Sid":"AmazonBedrockFlowsTrust","Effect":"Allow",
             "Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole",
             "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},
                          "ArnLike":{"aws:SourceArn":[\(F.pinned(["H6PL3MV8QB", "XK7RZ2QH4M"]))]}}}]}
            """)
        #expect(result.after?.canonicalText == expected.canonicalText)
        #expect(result.pinnedFlows == [F.flowArn("H6PL3MV8QB"), F.flowArn("XK7RZ2QH4M")])
        #expect(result.findings.isEmpty)
        #expect(result.before == trust)
    }

    @Test(arguments: ["ArnLike", "ArnEquals", "StringLike"])
    func theOperatorStaysAsItWas(_ operatorName: String) throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"\(operatorName)":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("AAAAAAAAAA")])
        let expected = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"\(operatorName)":{"aws:SourceArn":[\(F.pinned(["AAAAAAAAAA"]))]}}}]}
            """)
        #expect(result.after?.canonicalText == expected.canonicalText)
    }

    @Test func otherValuesStayInPlaceAndOtherStatementsAreByteIdentical() throws {
        let breakGlass =
            #"{"Sid":"BreakGlass","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:TagSession"]}"#
        let agentsOnly =
            #"{"Sid":"Agents","Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:agent/*"}}}"#
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[\(breakGlass),
             {"Sid":"Flows","Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole",
              "Condition":{"ArnLike":{"aws:SourceArn":["arn:aws:bedrock:us-east-1:123456789012:agent/AGENT12345",
                                                       "arn:aws:bedrock:us-east-1:123456789012:flow/*",
                                                       "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678"]},
                           "StringEquals":{"aws:SourceAccount":"123456789012"}}},
             \(agentsOnly)]}
            """)
        let result = F.tighten(trust, flows: [F.flow("ZZZZZZZZZZ"), F.flow("BBBBBBBBBB")])
        let after = try #require(result.after)
        #expect(after.statements.count == 3)
        #expect(after.statements[0].json.canonicalText == trust.statements[0].json.canonicalText)
        #expect(after.statements[2].json.canonicalText == trust.statements[2].json.canonicalText)
        let values = after.statements[1].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
        let expected = try JSONParser.parse(
            """
            ["arn:aws:bedrock:us-east-1:123456789012:agent/AGENT12345",\(F.pinned(["BBBBBBBBBB", "ZZZZZZZZZZ"])),
             "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678"]
            """)
        #expect(values == expected)
        #expect(
            after.statements[1].json["Condition"]?["StringEquals"]
                == trust.statements[1].json["Condition"]?["StringEquals"])
        #expect(result.findings.isEmpty)
    }

    @Test func keysInAnyCaseAreTightenedAndKeptAsSpelled() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsClaimsIntakeRole")
        let result = F.tighten(trust, flows: [F.flow("Q8ZD5HR0NW")], roleArn: arn)
        let after = try #require(result.after)
        let condition = try #require(after.statements.first?.json["Condition"])
        #expect(condition["ArnLike"]?["aws:sourceArn"] == (try JSONParser.parse("[\(F.pinned(["Q8ZD5HR0NW"]))]")))
        #expect(condition["StringEquals"] == trust.statements[0].json["Condition"]?["StringEquals"])
        #expect(condition["ArnLike"]?["aws:SourceArn"] == nil)
        #expect(result.findings.isEmpty)
    }

    @Test func aStringValueStaysAStringWhenOneValueIsLeft() throws {
        // The flow's own ARN is already there: only `flow/ID/*` is new; the list keeps both.
        let trust = try F.document(
            """
            {"Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole",
             "Condition":{"ArnLike":{"aws:SourceArn":["arn:aws:bedrock:us-east-1:123456789012:flow/AAAAAAAAAA",
                                                      "arn:aws:bedrock:us-west-2:123456789012:flow/*"]}}}]}
            """)
        let result = F.tighten(
            trust, flows: [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB", region: "us-west-2")])
        let values = result.after?.statements[0].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
        #expect(
            values
                == (try JSONParser.parse(
                    #"["arn:aws:bedrock:us-east-1:123456789012:flow/AAAAAAAAAA",\#(F.pinned(["BBBBBBBBBB"], region: "us-west-2"))]"#
                )))
        #expect(result.after?.version == nil)
    }

    // MARK: - Splitting

    @Test func theRealSharedAutomationTrustIsSplitWhenAskedToTightenUnconditioned() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsSharedAutomationRole")
        let flows = [F.flow("W3NB6YT1KC")]
        // Without the option: reported, unchanged.
        let plain = F.tighten(trust, flows: flows, roleArn: arn)
        #expect(plain.after == nil)
        #expect(F.codes(plain) == ["TRUST_UNCONDITIONED"])

        let coverage = F.coverage([(F.account, "*", .flag)])
        let result = F.tighten(trust, flows: flows, coverage: coverage, roleArn: arn, tightenUnconditioned: true)
        let expected = try F.document(
            """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"ServicesMayAssume","Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":"sts:AssumeRole",
              "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},
             {"Sid":"BreakGlass","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:TagSession"]},
             {"Sid":"ServicesMayAssumeBedrock","Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole",
              "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":[\(F.pinned(["W3NB6YT1KC"]))]}}}]}
            """)
        #expect(result.after?.canonicalText == expected.canonicalText)
        #expect(result.pinnedFlows == [F.flowArn("W3NB6YT1KC")])
        #expect(F.codes(result) == ["TRUST_UNCONDITIONED"])
    }

    @Test func aMixedServiceStatementWithAFlowWildcardIsSplitWithAUniqueSid() throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[
             {"Sid":"Both","Effect":"Allow","Principal":{"Service":["bedrock.amazonaws.com","lambda.amazonaws.com"]},
              "Action":["sts:AssumeRole","sts:TagSession"],
              "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}},
             {"Sid":"BothBedrock","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"},
             {"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com","AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole",
              "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("AAAAAAAAAA")])
        let after = try #require(result.after)
        #expect(after.statements.count == 5)
        // The originals keep everything but Bedrock, byte for byte.
        #expect(
            after.statements[0].json.canonicalText
                == #"{"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"},"StringEquals":{"aws:SourceAccount":"123456789012"}},"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Sid":"Both"}"#
        )
        #expect(after.statements[1].json == trust.statements[1].json)
        #expect(
            after.statements[2].json.canonicalText
                == #"{"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}"#
        )
        // The Bedrock halves are appended: unique Sids, same actions, every condition, pinned values.
        #expect(after.statements[3].sid == "BothBedrock2")
        #expect(after.statements[3].json["Action"] == trust.statements[0].json["Action"])
        #expect(after.statements[3].json["Principal"] == ["Service": "bedrock.amazonaws.com"])
        #expect(
            after.statements[3].json["Condition"]?["StringEquals"]
                == trust.statements[0].json["Condition"]?["StringEquals"])
        #expect(
            after.statements[3].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
                == (try JSONParser.parse("[\(F.pinned(["AAAAAAAAAA"]))]")))
        #expect(after.statements[4].sid == "FlowroleBedrockTrust")
        #expect(after.statements[4].json["Principal"] == ["Service": "bedrock.amazonaws.com"])
    }

    // MARK: - Coverage

    static let twoRegions = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
         "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":[
           "arn:aws:bedrock:us-east-1:123456789012:flow/*","arn:aws:bedrock:us-west-2:123456789012:flow/*"]}}}]}
        """

    @Test func aLiteralRegionWithoutFlowsManifestOrFlagIsNotCovered() throws {
        let result = F.tighten(try F.document(Self.twoRegions), flows: [F.flow("AAAAAAAAAA")])
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_COVERAGE"])
        #expect(result.findings[0].message.contains("us-west-2"))
        #expect(result.findings[0].severity == .warning)
        #expect(result.pinnedFlows.isEmpty)
    }

    @Test(arguments: [Coverage.Basis.flows, .manifest, .flag])
    func aLiteralRegionIsCoveredByFlowsAManifestOrTheFlag(_ basis: Coverage.Basis) throws {
        // A flow of the inputs in us-west-2 (not of this role), a manifest `ok`, or --flow-regions.
        let coverage = F.coverage([(F.account, "us-west-2", basis)])
        let result = F.tighten(try F.document(Self.twoRegions), flows: [F.flow("AAAAAAAAAA")], coverage: coverage)
        let values = result.after?.statements[0].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
        #expect(values == (try JSONParser.parse("[\(F.pinned(["AAAAAAAAAA"]))]")))
        #expect(result.findings.isEmpty)
    }

    @Test func coverageFromTheInventoryIsAccepted() throws {
        let entries = [
            Coverage(partition: "aws", account: F.account, region: "us-west-2", by: .manifest),
            Coverage(partition: "aws", account: F.account, region: "*", by: .flows),
        ]
        let coverage = TrustTightener.Coverage(entries)
        #expect(coverage.covers(partition: "aws", account: F.account, region: "us-west-2"))
        #expect(!coverage.covers(partition: "aws", account: F.account, region: "*"))
        #expect(!coverage.covers(partition: "aws-cn", account: F.account, region: "us-west-2"))
        #expect(!coverage.covers(partition: "aws", account: "210987654321", region: "us-west-2"))
    }

    @Test func aWildcardRegionIsCoveredOnlyByAManifestOrTheFlag() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsLegacyRole")
        let flows = [F.flow("T2KW9XG7PE")]
        // The flow's region, and a manifest for another literal region, do not cover `*`.
        for coverage in [
            F.coverage(), F.coverage([(F.account, "eu-west-1", .manifest)]), F.coverage([(F.account, "*", .flows)]),
        ] {
            let result = F.tighten(trust, flows: flows, coverage: coverage, roleArn: arn)
            #expect(result.after == nil)
            #expect(F.codes(result) == ["TRUST_COVERAGE"])
        }
        for basis in [Coverage.Basis.manifest, .flag] {
            let result = F.tighten(trust, flows: flows, coverage: F.coverage([(F.account, "*", basis)]), roleArn: arn)
            #expect(result.after != nil)
            #expect(result.findings.isEmpty)
        }
    }

    @Test func theLegacy2008SingleObjectTrustKeepsItsVersionAndShape() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsLegacyRole")
        #expect(trust.statementShape == .object)
        let result = F.tighten(
            trust, flows: [F.flow("T2KW9XG7PE")], coverage: F.coverage([(F.account, "*", .flag)]), roleArn: arn)
        let after = try #require(result.after)
        #expect(after.version == .v2008_10_17)
        #expect(after.statementShape == .object)
        let expected = try F.document(
            """
            {"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:SourceArn":[\(F.pinned(["T2KW9XG7PE"]))]}}}}
            """)
        #expect(after.canonicalText == expected.canonicalText)
    }

    @Test func aWildcardAccountIsCoveredOnlyThroughALiteralSourceAccount() throws {
        let anyAccount = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:*:flow/*"}}}]}
            """)
        let everything = F.coverage([(F.account, "*", .flag), ("210987654321", "*", .flag)])
        let open = F.tighten(anyAccount, flows: [F.flow("AAAAAAAAAA")], coverage: everything)
        #expect(open.after == nil)
        #expect(F.codes(open) == ["TRUST_COVERAGE"])
        #expect(open.findings[0].message.contains("every account"))

        let restricted = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:*:flow/*"},
             "StringEquals":{"aws:SourceAccount":["123456789012","210987654321"]}}}]}
            """)
        let flows = [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB", account: "210987654321")]
        // Both accounts have a flow in us-east-1: covered, and both flows are pinned.
        let covered = F.tighten(restricted, flows: flows, coverage: F.coverage())
        #expect(F.codes(covered) == [])
        #expect(
            covered.after?.statements[0].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
                == (try JSONParser.parse(
                    "[\(F.pinned(["AAAAAAAAAA"])),\(F.pinned(["BBBBBBBBBB"], account: "210987654321"))]")))
        // Not covered: a third account admitted by SourceAccount, with no flow, manifest or flag.
        let third = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:*:flow/*"},
             "StringEquals":{"aws:SourceAccount":["123456789012","333333333333"]}}}]}
            """)
        let uncovered = F.tighten(third, flows: flows, coverage: F.coverage())
        #expect(uncovered.after == nil)
        #expect(F.codes(uncovered) == ["TRUST_COVERAGE"])
        #expect(uncovered.findings[0].message.contains("333333333333"))
    }

    @Test func aWildcardAccountWithCoveredSourceAccountsIsPinnedToThoseAccountsFlows() throws {
        let restricted = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:*:flow/*"},
             "StringEquals":{"aws:SourceAccount":"123456789012"}}}]}
            """)
        // A flow of another account uses the role too, but SourceAccount already shuts it out.
        let flows = [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB", account: "210987654321")]
        let result = F.tighten(restricted, flows: flows)
        let values = result.after?.statements[0].json["Condition"]?["ArnLike"]?["aws:SourceArn"]
        #expect(values == (try JSONParser.parse("[\(F.pinned(["AAAAAAAAAA"]))]")))
        #expect(result.pinnedFlows == [F.flowArn("AAAAAAAAAA")])
    }

    // MARK: - Reported and left alone

    @Test func noFlowUsingTheRoleLeavesTheWildcard() throws {
        let (arn, trust) = try F.realTrust("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let result = F.tighten(trust, flows: [], coverage: F.coverage([(F.account, F.region, .manifest)]), roleArn: arn)
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_NO_FLOWS"])
        #expect(result.findings[0].subject == arn)
    }

    @Test func aWildcardThatMatchesNoFlowOfTheRoleIsLeft() throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-west-2:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(
            trust, flows: [F.flow("AAAAAAAAAA")], coverage: F.coverage([(F.account, "us-west-2", .manifest)]))
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_NO_FLOWS"])
    }

    @Test func anUnconditionedStatementIsReportedAndLeft() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsDocBatchRole")
        let result = F.tighten(trust, flows: [F.flow("M4TQ7SLK2R")], roleArn: arn)
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_UNCONDITIONED"])
        #expect(result.findings[0].severity == .warning)
    }

    @Test func tightenUnconditionedAddsSourceAccountAndThePinnedListWhenEveryRegionIsCovered() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsDocBatchRole")
        let flows = [F.flow("M4TQ7SLK2R"), F.flow("B3VNC8E1YD")]
        // Covering only the flows' region is not enough: the statement admits every region.
        let partial = F.tighten(
            trust, flows: flows, coverage: F.coverage([(F.account, F.region, .manifest)]), roleArn: arn,
            tightenUnconditioned: true)
        #expect(partial.after == nil)
        #expect(F.codes(partial) == ["TRUST_COVERAGE", "TRUST_UNCONDITIONED"])

        let result = F.tighten(
            trust, flows: flows, coverage: F.coverage([(F.account, "*", .manifest)]), roleArn: arn,
            tightenUnconditioned: true)
        let expected = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},
             "ArnLike":{"aws:SourceArn":[\(F.pinned(["B3VNC8E1YD", "M4TQ7SLK2R"]))]}}}]}
            """)
        #expect(result.after?.canonicalText == expected.canonicalText)
        #expect(F.codes(result) == ["TRUST_UNCONDITIONED"])

        // A flow of another account uses the role: aws:SourceAccount would lock it out.
        let foreign = F.tighten(
            trust, flows: flows + [F.flow("CCCCCCCCCC", account: "210987654321")],
            coverage: F.coverage([(F.account, "*", .manifest), ("210987654321", "*", .manifest)]), roleArn: arn,
            tightenUnconditioned: true)
        #expect(foreign.after == nil)
        #expect(F.codes(foreign) == ["TRUST_COVERAGE", "TRUST_UNCONDITIONED"])
    }

    @Test(arguments: ["StringEquals", "StringEqualsIgnoreCase"])
    func aFlowWildcardUnderALiteralOperatorIsReportedAndLeft(_ operatorName: String) throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"\(operatorName)":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("AAAAAAAAAA")])
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_LITERAL_WILDCARD"])
    }

    @Test(arguments: [
        "arn:aws:bedrock:us-east-1:123456789012:flow/AB*",
        "*",
        "arn:aws:bedrock:us-east-1:123456789012:*",
        "arn:aws:bedrock:us-east-1:123456789012:flow*",
        "arn:aws:bedrock:us-east-1:1234567890*:flow/*",
        "arn:*:bedrock:us-east-1:123456789012:flow/*",
    ])
    func anotherPatternAboutFlowsIsReportedAndLeft(_ pattern: String) throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"\(pattern)"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("ABCDEFGHIJ")])
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_PATTERN_UNRECOGNISED"])
    }

    @Test func aFlowWildcardUnderAnOperatorFlowroleDoesNotRewriteIsReported() throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},
             "Action":"sts:AssumeRole","Condition":{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("ABCDEFGHIJ")])
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_PATTERN_UNRECOGNISED"])
    }

    @Test func anAlreadyPinnedTrustIsNeverWidened() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsKnowledgeAssistantRole")
        let flows = [F.flow("9JQ2WPL0TA"), F.flow("NEWFLOW001")]
        let result = F.tighten(trust, flows: flows, roleArn: arn)
        #expect(result.after == nil)
        #expect(F.codes(result) == ["TRUST_PINNED_MISSING_FLOW"])
        #expect(result.findings[0].subject == F.flowArn("NEWFLOW001"))
        // Every flow listed: nothing to say.
        let complete = F.tighten(trust, flows: [F.flow("9JQ2WPL0TA")], roleArn: arn)
        #expect(complete.after == nil)
        #expect(complete.findings.isEmpty)
    }

    // MARK: - Quota, determinism, re-running

    @Test func tooManyFlowsToPinKeepTheTrustPolicy() throws {
        let (arn, trust) = try F.realTrust("AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B")
        let flows = (0..<30).map { F.flow("FLOW" + String(100_000 + $0)) }
        let result = F.tighten(trust, flows: flows, roleArn: arn)
        #expect(result.after == nil)
        #expect(result.pinnedFlows.isEmpty)
        #expect(F.codes(result) == ["QUOTA_EXCEEDED"])
        #expect(result.findings[0].severity == .warning)

        // The limit is inclusive: exactly the size passes, one less does not.
        let few = Array(flows.prefix(3))
        let fits = F.tighten(trust, flows: few, roleArn: arn)
        let size = try #require(fits.after).characterCount
        #expect(F.tighten(trust, flows: few, roleArn: arn, maxCharacters: size).after != nil)
        #expect(F.codes(F.tighten(trust, flows: few, roleArn: arn, maxCharacters: size - 1)) == ["QUOTA_EXCEEDED"])
    }

    @Test func sameInputSameOutputWhateverTheFlowOrder() throws {
        let (arn, trust) = try F.realTrust("BedrockFlowsSharedAutomationRole")
        let flows = (0..<8).map { F.flow("FLOW" + String(100_000 + $0 * 7)) }
        let coverage = F.coverage([(F.account, "*", .flag)])
        let first = F.tighten(trust, flows: flows, coverage: coverage, roleArn: arn, tightenUnconditioned: true)
        let second = F.tighten(
            trust, flows: flows.reversed() + flows, coverage: coverage, roleArn: arn, tightenUnconditioned: true)
        #expect(first == second)
        #expect(first.after?.canonicalText == second.after?.canonicalText)
    }

    @Test func tighteningATightenedTrustChangesNothing() throws {
        for name in [
            "AmazonBedrockExecutionRoleForFlows_7PN3YQ5K2B", "BedrockFlowsSharedAutomationRole",
            "BedrockFlowsDocBatchRole", "BedrockFlowsLegacyRole",
        ] {
            let (arn, trust) = try F.realTrust(name)
            let flows = [F.flow("AAAAAAAAAA"), F.flow("BBBBBBBBBB")]
            let coverage = F.coverage([(F.account, "*", .flag)])
            let once = F.tighten(trust, flows: flows, coverage: coverage, roleArn: arn, tightenUnconditioned: true)
            let tightened = try #require(once.after, "\(name)")
            let twice = F.tighten(tightened, flows: flows, coverage: coverage, roleArn: arn, tightenUnconditioned: true)
            #expect(twice.after == nil, "\(name)")
            #expect(twice.findings.isEmpty, "\(name)")
        }
    }

    @Test func statementsNotLettingBedrockAssumeAreNotTouched() throws {
        let trust = try F.document(
            """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Deny","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole",
              "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}},
             {"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:TagSession",
              "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}},
             {"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole",
              "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:123456789012:flow/*"}}}]}
            """)
        let result = F.tighten(trust, flows: [F.flow("AAAAAAAAAA")])
        #expect(result.after == nil)
        #expect(result.findings.isEmpty)
    }
}
