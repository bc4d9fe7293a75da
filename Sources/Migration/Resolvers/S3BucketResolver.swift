import FlowRoleJSON
import IAMPolicy
import Inventory

/// The bucket of a Retrieval node → `s3:GetObject`, of a Storage node → `s3:PutObject`, on the
/// bucket's objects `arn:P:s3:::BUCKET/*`, under `{"StringEquals": {"aws:ResourceAccount": OWNER}}`.
///
/// The node names only `serviceConfiguration.s3.bucketName` [botocore: AWS-FORMATS §4.6]; S3 ARNs
/// have no Region or account, and the partition is the flow's [SAR; IAM-SEMANTICS §6]. The flows
/// service-role template grants GetObject / PutObject on the bucket's objects and pins the owner
/// with `aws:ResourceAccount` [Bedrock UG flows-permissions], so a bucket of the same name in
/// another account is not covered; the owner is `ResolverContext.bucketAccount` (`--bucket-owner`,
/// else the flow's account).
///
/// The name is checked against the S3 naming rules [S3 UG bucketnamingrules]: 3–63 characters of
/// lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit, no two
/// adjacent periods, and not an IPv4 address.
public struct S3BucketResolver: Resolver {
    public let name = "s3Bucket"

    public init() {}

    public func resolve(_ node: FlowNode, in context: ResolverContext) -> Resolution {
        let action: String
        switch node.type {
        case "Retrieval": action = "s3:GetObject"
        case "Storage": action = "s3:PutObject"
        default: return .nothing
        }
        guard case .string(let bucket)? = node.configuration?["serviceConfiguration"]?["s3"]?["bucketName"] else {
            return .invalid("\(node.type) node \(node.path) has no serviceConfiguration.s3.bucketName.")
        }
        guard Self.isBucketName(bucket) else {
            return .invalid(
                "\(node.type) node \(node.path) names bucket \"\(bucket)\", which is not an S3 bucket name (3–63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)."
            )
        }
        let objects = ARN(
            partition: Partition(rawValue: context.partition), service: "s3", region: "", account: "",
            resource: bucket + "/*")
        return .grants([
            Grant(
                action: action, resource: objects.text,
                condition: Grant.stringEquals("aws:ResourceAccount", [context.bucketAccount]))
        ])
    }

    /// Whether `name` follows the S3 general-purpose bucket naming rules [S3 UG bucketnamingrules].
    static func isBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func isLowerOrDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard bytes.allSatisfy({ isLowerOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
            let first = bytes.first, let last = bytes.last, isLowerOrDigit(first), isLowerOrDigit(last),
            !name.contains("..")
        else { return false }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        let isIPv4 = octets.count == 4 && octets.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        return !isIPv4
    }
}
