import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// Measures (prints, never asserts) the reader's throughput on a large generated IAM-like export,
/// and its resident memory over many reads. Opt-in, and best run alone and optimised:
/// `FLOWROLE_XML_MEASURE=50 swift test -c release -Xswiftc -enable-testing --filter XMLTreeReaderThroughput`
/// (the value is the size of the generated export in MB).
@Suite("XMLTreeReader throughput (measurement only)", .serialized)
struct XMLTreeReaderThroughputTests {
    static let megabytes = Int(ProcessInfo.processInfo.environment["FLOWROLE_XML_MEASURE"] ?? "") ?? 0

    /// A GetAccountAuthorizationDetails response with RoleDetail members shaped like moto's, until
    /// it holds at least `targetBytes`.
    static func generatedExport(targetBytes: Int) -> (bytes: [UInt8], roles: Int) {
        var xml =
            "<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
            + "<GetAccountAuthorizationDetailsResult><UserDetailList/><GroupDetailList/><RoleDetailList>\n"
        xml.reserveCapacity(targetBytes + 4096)
        let document =
            "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%0A"
            + "%20%20%20%20%20%20%22Effect%22%3A%20%22Allow%22%2C%0A%20%20%20%20%20%20%22Action%22%3A%20%22bedrock%3A"
            + "InvokeModel%22%2C%0A%20%20%20%20%20%20%22Resource%22%3A%20%22arn%3Aaws%3Abedrock%3Aus-east-1%3A%3A"
            + "foundation-model/%2A%22%0A%20%20%20%20%7D%0A%20%20%5D%0A%7D%0A"
        var roles = 0
        while xml.utf8.count < targetBytes {
            xml +=
                "<member><Path>/service-role/</Path><RoleName>Role\(roles)</RoleName>"
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
        xml +=
            "</RoleDetailList><Policies/><IsTruncated>false</IsTruncated></GetAccountAuthorizationDetailsResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>\n"
        return (Array(xml.utf8), roles)
    }

    /// Resident memory of this process, from /proc (Linux), in KiB.
    static func residentKiB() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4 : 0
    }

    @Test(
        "no memory kept across many reads, good and rejected (a soak: prints resident memory)",
        .enabled(if: megabytes > 0))
    func soak() throws {
        let inputs: [[UInt8]] = [
            try XMLTestSupport.fixtureBytes("iam/query/GetAccountAuthorizationDetails.xml"),
            Array(XMLTreeReaderSecurityTests.billionLaughs.utf8),
            Array("<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///nonexistent\"> %p;]><r/>".utf8),
            Array("<!DOCTYPE r SYSTEM \"file:///nonexistent\"><r/>".utf8),
            Array("<r>\n<a>1</a>\n<a>2</a></r>".utf8),
            Array("<r><a>1</b></r>".utf8),
            Array("<p:r/>".utf8),
        ]
        func round(_ count: Int) {
            for _ in 0..<count {
                for input in inputs { _ = try? XMLTreeReader.read(input, file: "soak.xml") }
            }
        }
        round(2_000)  // warm up allocator and caches
        let before = Self.residentKiB()
        round(20_000)
        let after = Self.residentKiB()
        // Printed, not asserted: other tests running in parallel move resident memory too. Run alone,
        // it stays flat (±0.1 MB); leaking the stand-in document libxml2 makes for a declared
        // entity grew it by about 250 MB.
        print("XML reader soak: \(20_000 * inputs.count) reads, resident \(before) KiB → \(after) KiB")
    }

    @Test("throughput on a large generated export", .enabled(if: megabytes > 0))
    func throughput() throws {
        let (bytes, roles) = Self.generatedExport(targetBytes: Self.megabytes * 1_000_000)
        let clock = ContinuousClock()
        var tree: XMLDocumentTree?
        var times: [Duration] = []
        for _ in 0..<5 {
            tree = nil
            times.append(try clock.measure { tree = try XMLTreeReader.read(bytes, file: "generated.xml") })
        }
        times.sort()
        let best = times[0]
        let median = times[times.count / 2]
        let members = tree?.value["GetAccountAuthorizationDetailsResult"]?["RoleDetailList"]?.arrayValue?.count
        #expect(members == roles)
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        let megabytesRead = Double(bytes.count) / 1_000_000
        print(
            "XML reader: \(String(format: "%.1f", megabytesRead)) MB, \(roles) roles, \(tree?.lines.count ?? 0) elements:"
                + " best \(String(format: "%.3f", seconds(best))) s = \(String(format: "%.1f", megabytesRead / seconds(best))) MB/s,"
                + " median \(String(format: "%.3f", seconds(median))) s = \(String(format: "%.1f", megabytesRead / seconds(median))) MB/s"
        )
    }
}
