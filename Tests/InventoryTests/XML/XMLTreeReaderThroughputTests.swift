import FlowRoleJSON
import Foundation
@testable import Inventory
import Testing

/// Measures (prints, never asserts) the reader's throughput on a large generated IAM-like export.
/// Opt-in, as it takes a while in debug builds:
/// `FLOWROLE_XML_MEASURE=50 swift test -c release --filter XMLTreeReaderThroughput` (size in MB).
@Suite("XMLTreeReader throughput (measurement only)")
struct XMLTreeReaderThroughputTests {
    static let megabytes = Int(ProcessInfo.processInfo.environment["FLOWROLE_XML_MEASURE"] ?? "") ?? 0

    /// A GetAccountAuthorizationDetails response with RoleDetail members shaped like moto's, until
    /// it holds at least `targetBytes`.
    static func generatedExport(targetBytes: Int) -> (bytes: [UInt8], roles: Int) {
        var xml = "<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            + "<GetAccountAuthorizationDetailsResult><UserDetailList/><GroupDetailList/><RoleDetailList>\n"
        xml.reserveCapacity(targetBytes + 4096)
        let document =
            "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%0A"
            + "%20%20%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%20%20%22Action%22%3A%20%22bedrock%3A"
            + "InvokeModel%22%2C%0A%20%20%20%20%20%20%22Resource%22%3A%20%22arn%3Aaws%3Abedrock%3Aus-east-1%3A%3A"
            + "foundation-model/%2A%22%0A%20%20%20%20%7D%0A%20%20%5D%0A%7D%0A"
        var roles = 0
        while xml.utf8.count < targetBytes {
            xml += "<member><Path>/service-role/</Path><RoleName>Role\(roles)</RoleName>"
                + "<RoleId>AROA\(roles)</RoleId><Arn>arn:aws:iam::123456789012:role/service-role/Role\(roles)</Arn>"
                + "<CreateDate>2026-11-29T08:50:04.119321Z</CreateDate>"
                + "<AssumeRolePolicyDocument>{&quot;Version&quot;:&quot;2012-10-17&quot;,&quot;Statement&quot;:[]}"
                + "</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList>"
                + "<member><PolicyName>Inline\(roles)a</PolicyName><PolicyDocument>\(document)</PolicyDocument></member>"
                + "<member><PolicyName>Inline\(roles)b</PolicyName><PolicyDocument>\(document)</PolicyDocument></member>"
                + "</RolePolicyList><AttachedManagedPolicies><member><PolicyName>Shared</PolicyName>"
                + "<PolicyArn>arn:aws:iam::123456789012:policy/Shared</PolicyArn></member></AttachedManagedPolicies>"
                + "<Tags><member><Key>team</Key><Value>t\(roles % 7)</Value></member></Tags><RoleLastUsed/></member>\n"
            roles += 1
        }
        xml += "</RoleDetailList><Policies/><IsTruncated>false</IsTruncated></GetAccountAuthorizationDetailsResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>\n"
        return (Array(xml.utf8), roles)
    }

    @Test("throughput on a large generated export", .enabled(if: megabytes > 0))
    func throughput() throws {
        let (bytes, roles) = Self.generatedExport(targetBytes: Self.megabytes * 1_000_000)
        let clock = ContinuousClock()
        var tree: XMLDocumentTree?
        // Best of three, so a cold first run does not dominate.
        var best: Duration = .seconds(1_000_000)
        for _ in 0..<3 {
            tree = nil
            let elapsed = try clock.measure { tree = try XMLTreeReader.read(bytes, file: "generated.xml") }
            best = min(best, elapsed)
        }
        let members = tree?.value["GetAccountAuthorizationDetailsResult"]?["RoleDetailList"]?.arrayValue?.count
        #expect(members == roles)
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let megabytesRead = Double(bytes.count) / 1_000_000
        print(
            "XML reader: \(String(format: "%.1f", megabytesRead)) MB, \(roles) roles, \(tree?.lines.count ?? 0) elements"
                + " in \(String(format: "%.3f", seconds)) s = \(String(format: "%.1f", megabytesRead / seconds)) MB/s")
    }
}
