import FlowRoleJSON
import Foundation
import IAMPolicy
import Testing

@testable import Inventory

/// Small hand-made inputs for the edge cases the real samples do not hold.
enum Make {
    static let trust =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"bedrock.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:bedrock:us-east-1:111122223333:flow/*"}}}]}"#
    static let inline =
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}}"#

    /// A RoleDetail with the given trust document text (an object, or a JSON string literal).
    static func roleDetail(
        name: String, account: String = "111122223333", path: String = "/", trust: String = Make.trust,
        inline: String = Make.inline, created: String = "2024-05-02T09:14:31Z"
    ) -> String {
        """
        {"Path": "\(path)", "RoleName": "\(name)", "RoleId": "AROAEXAMPLE\(name.count)", "Arn": "arn:aws:iam::\(account):role\(path)\(name)",
         "CreateDate": "\(created)", "AssumeRolePolicyDocument": \(trust),
         "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": \(inline)}], "AttachedManagedPolicies": [], "Tags": []}
        """
    }

    static func details(_ roles: [String], truncated: Bool = false) -> String {
        "{\"RoleDetailList\": [\(roles.joined(separator: ","))], \"Policies\": [], \"IsTruncated\": \(truncated)\(truncated ? ", \"Marker\": \"m1\"" : "")}"
    }

    static func flow(
        id: String, region: String = "us-east-1", account: String = "111122223333",
        created: String = "2024-06-14T17:32:05Z",
        role: String = "arn:aws:iam::111122223333:role/r1", nodes: String = "[]", version: String = "DRAFT"
    ) -> String {
        """
        {"name": "flow-\(id)", "executionRoleArn": "\(role)", "id": "\(id)", "arn": "arn:aws:bedrock:\(region):\(account):flow/\(id)",
         "status": "Prepared", "createdAt": "\(created)", "updatedAt": "\(created)", "version": "\(version)",
         "definition": {"nodes": \(nodes), "connections": []}}
        """
    }

    /// JSON string literal of `text`.
    static func quoted(_ text: String) -> String { JSONValue.string(text).canonicalText }

    /// RFC 3986 percent-encoding of everything but unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            let unreserved =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            return unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }
}

@Suite("Readers on hand-made inputs")
struct HandMadeInputTests {
    @Test func documentsArriveAsObjectsJSONTextOrPercentEncodedText() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        // `+` stays `+` (RFC 3986, Python's unquote); spaces arrive as %20.
        let withPlus =
            #"{"Version":"2012-10-17","Statement":[{"Sid":"a+b","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my+bucket/a b"}]}"#
        let encoded = Make.percentEncoded(withPlus).replacingOccurrences(of: "%2B", with: "+")
        try folder.write(
            "iam.json",
            Make.details([
                Make.roleDetail(name: "AsObject"),
                Make.roleDetail(
                    name: "AsJSONText", trust: Make.quoted("  " + Make.trust), inline: Make.quoted(withPlus)),
                Make.roleDetail(
                    name: "AsPercentEncoded", trust: Make.quoted(Make.percentEncoded(Make.trust)),
                    inline: Make.quoted(encoded)),
            ]))
        let inventory = try folder.read()
        let trusts = inventory.roles.compactMap { $0.trustPolicy?.json }
        #expect(trusts.count == 3)
        #expect(Set(trusts.map(\.canonicalText)).count == 1)
        let sids = inventory.roles.compactMap { $0.inlinePolicies.first?.document.statements.first?.sid }
        #expect(sids == ["a+b", "a+b"])  // AsObject's statement has no Sid
        let percent = try #require(inventory.roles.first { $0.name == "AsPercentEncoded" })
        #expect(
            percent.inlinePolicies.first?.document.json["Statement"]?.arrayValue?.first?["Resource"]
                == "arn:aws:s3:::my+bucket/a b")
        #expect(PolicyDocumentText.percentDecode("a+b%20c") == "a+b c")
        #expect(PolicyDocumentText.percentDecode("bad%2") == nil)
        #expect(PolicyDocumentText.percentDecode("%FF%FE") == nil)  // not UTF-8
    }

    @Test func aDocumentThatIsNotAPolicyNamesThePlaceInsideIt() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let bad = #"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:GetObject","Resource":"*"}]}"#
        let file = try folder.write("iam.json", Make.details([Make.roleDetail(name: "r1", inline: bad)]))
        let error = try #require(folder.errors().first)
        #expect(error.file == file)
        #expect(error.pointer == "/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0/Effect")
        #expect(error.message.contains("Maybe"))

        try folder.write("iam.json", Make.details([Make.roleDetail(name: "r1", inline: Make.quoted("%7B%ZZ"))]))
        let undecodable = try #require(folder.errors().first)
        #expect(undecodable.pointer == "/RoleDetailList/0/RolePolicyList/0/PolicyDocument")
        #expect(undecodable.message.contains("percent-encoded"))
    }

    @Test func pagesSplitAcrossFilesArraysOfPagesAndJSONLinesAllMerge() throws {
        let page1 = Make.details([Make.roleDetail(name: "r1")], truncated: true)
        let page2 = Make.details([Make.roleDetail(name: "r2")])
        for layout in ["files", "array", "lines"] {
            let folder = try InputFolder()
            defer { folder.remove() }
            switch layout {
            case "files":
                try folder.write("page-1.json", page1)
                try folder.write("page-2.json", page2)
            case "array": try folder.write("pages.json", "[\(page1),\n\(page2)]")
            default:
                try folder.write(
                    "pages.jsonl",
                    page1.replacingOccurrences(of: "\n", with: " ") + "\n"
                        + page2.replacingOccurrences(of: "\n", with: " ") + "\n")
            }
            let inventory = try folder.read()
            #expect(inventory.roles.map(\.name) == ["r1", "r2"], "\(layout)")
            #expect(!inventory.problems.contains { $0.code == .incompleteListing }, "\(layout)")
            if layout == "lines" {
                #expect(inventory.roles.map { $0.sources.first?.line } == [1, 2])
            }
            if layout == "array" {
                #expect(inventory.roles.last?.sources.first?.pointer == "/1/RoleDetailList/0")
            }
        }
        let alone = try InputFolder()
        defer { alone.remove() }
        try alone.write("page-1.json", page1)
        #expect(try alone.read().problems.contains { $0.code == .incompleteListing && $0.subject == "111122223333" })
    }

    @Test func identicalCopiesMergeAndConflictingCopiesNameBothPlaces() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("a.json", Make.details([Make.roleDetail(name: "r1", created: "2024-05-02T09:14:31Z")]))
        // Same instant written another way, documents as text: still the same role.
        try folder.write(
            "b.json",
            Make.details([
                Make.roleDetail(name: "r1", trust: Make.quoted(Make.trust), created: "2024-05-02 11:14:31.000+02:00")
            ]))
        let merged = try folder.read()
        #expect(merged.roles.count == 1)
        #expect(merged.roles.first?.sources.count == 2)

        let changedTrust = Make.trust.replacingOccurrences(of: "flow/*", with: "flow/ABCDEFGHIJ")
        let second = try folder.write("b.json", Make.details([Make.roleDetail(name: "r1", trust: changedTrust)]))
        let errors = folder.errors()
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.file == second)
        #expect(error.message.contains(folder.path("a.json")))
        #expect(error.message.contains("trust policies"))

        // Flows: a createdAt that differs as an instant is a conflict.
        try folder.write("b.json", Make.details([]))
        try folder.write("f1.json", Make.flow(id: "ABCDEFGHIJ", role: "arn:aws:iam::111122223333:role/r1"))
        try folder.write(
            "f2.json",
            Make.flow(id: "ABCDEFGHIJ", created: "2024-06-14T17:32:06Z", role: "arn:aws:iam::111122223333:role/r1"))
        #expect(folder.errors().first?.message.contains("createdAt") == true)
        try folder.write(
            "f2.json",
            Make.flow(id: "ABCDEFGHIJ", created: "2024-06-14T19:32:05+02:00", role: "arn:aws:iam::111122223333:role/r1")
        )
        #expect(try folder.read().flows.count == 1)
    }

    @Test func outputsWithoutAnOwnerNeedExactlyOneCandidate() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        let getRolePolicy = #"{"RoleName": "r1", "PolicyName": "extra", "PolicyDocument": "#.appending(Make.inline)
            .appending("}")
        try folder.write("policy.json", getRolePolicy)
        #expect(folder.errors().first?.message.contains("no input describes") == true)
        try folder.write("iam-a.json", Make.details([Make.roleDetail(name: "r1", account: "111122223333")]))
        try folder.write("iam-b.json", Make.details([Make.roleDetail(name: "R1", account: "444455556666")]))
        #expect(folder.errors().first?.message.contains("2 accounts") == true)
        try FileManager.default.removeItem(atPath: folder.path("iam-b.json"))
        let inventory = try folder.read()
        #expect(inventory.roles.first?.inlinePolicies.map(\.name) == ["extra", "p"])  // sorted by name
        // Now the role has a policy its authorization details do not list: still one role, and the
        // name list (from authorization details) says what the role has.
        #expect(inventory.roles.first?.inlinePolicyNames == ["p"])

        try folder.write("names.json", #"{"PolicyNames": ["p", "extra"]}"#)
        let errors = folder.errors()
        #expect(errors.first?.message.contains("no role in the inputs can own it") == true)
    }

    @Test func flowsJoinRolesByPartitionAccountAndNameAndReportWhatIsMissing() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write("iam.json", Make.details([Make.roleDetail(name: "Shared", path: "/team/")]))
        let lambda =
            #"[{"name": "L", "type": "LambdaFunction", "configuration": {"lambdaFunction": {"lambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:f:live"}}}, {"name": "Future", "type": "Teleport", "configuration": {"teleport": {}}}]"#
        // Empty account in the role ARN means the flow's own; another path is reported.
        try folder.write("f1.json", Make.flow(id: "AAAAAAAAAA", role: "arn:aws:iam:::role/shared", nodes: lambda))
        try folder.write(
            "f2.json",
            Make.flow(id: "BBBBBBBBBB", region: "eu-west-1", role: "arn:aws:iam::111122223333:role/team/Shared"))
        try folder.write(
            "f3.json",
            Make.flow(id: "CCCCCCCCCC", account: "444455556666", role: "arn:aws:iam::444455556666:role/Missing"))
        try folder.write(
            "aliases.json",
            #"{"flowAliasSummaries": [{"name": "prod", "id": "PRODALIAS1", "flowId": "AAAAAAAAAA", "arn": "arn:aws:bedrock:us-east-1:111122223333:flow/AAAAAAAAAA/alias/PRODALIAS1", "routingConfiguration": [{"flowVersion": "4"}], "createdAt": "2024-07-01T00:00:00Z", "updatedAt": "2024-07-01T00:00:00Z"}]}"#
        )
        let inventory = try folder.read()
        #expect(inventory.accounts == ["111122223333", "444455556666"])
        #expect(inventory.regions == ["eu-west-1", "us-east-1"])
        let f1 = try #require(inventory.flows.first { $0.id == "AAAAAAAAAA" })
        let role = inventory.role(
            forExecutionRoleArn: f1.executionRoleArn, flowPartition: f1.partition, flowAccount: f1.account)
        #expect(role?.name == "Shared")
        let codes = Dictionary(grouping: inventory.problems, by: \.code)
        #expect(codes[.roleArnPathMismatch]?.map(\.subject) == [f1.arn])
        #expect(codes[.roleNotInInputs]?.map(\.subject) == ["arn:aws:iam::444455556666:role/Missing"])
        #expect(codes[.unknownNodeType]?.first?.message.contains("Teleport") == true)
        #expect(codes[.flowVersionsIncomplete]?.first?.message.contains("alias routes to version 4") == true)
        #expect(
            f1.definition.allNodes.first?.configuration?["lambdaArn"]
                == "arn:aws:lambda:us-east-1:111122223333:function:f:live")
    }

    @Test func manifestsCoverRegionsAndRejectOtherShapes() throws {
        let folder = try InputFolder()
        defer { folder.remove() }
        try folder.write(
            "manifest.json",
            #"{"schema": "flowrole.manifest/v1", "createdAt": "2026-11-01T00:00:00Z", "tool": "flowrole 0.1.0", "exports": [{"partition": "aws", "account": "111122223333", "region": "*", "flows": "ok"}, {"partition": "aws", "account": "111122223333", "region": "ap-south-1", "flows": "failed: AccessDenied"}]}"#
        )
        let inventory = try folder.read()
        #expect(inventory.coverage == [Coverage(partition: "aws", account: "111122223333", region: "*", by: .manifest)])
        #expect(inventory.problems.map(\.code) == [.exportFailed])
        try folder.write("manifest.json", #"{"schema": "flowrole.manifest/v2", "exports": []}"#)
        #expect(folder.errors().first?.message.contains("unknown manifest schema") == true)
        try folder.write(
            "manifest.json",
            #"{"schema": "flowrole.manifest/v1", "exports": [{"partition": "aws", "account": "111122223333", "region": "us-east-1", "flows": "maybe"}]}"#
        )
        #expect(folder.errors().first?.pointer == "/exports/0/flows")
    }
}
