/// An AWS partition: the second component of every ARN (IAM-SEMANTICS §6, from botocore's
/// partitions data). Always taken from the ARN found, never written as a literal `aws`.
public struct Partition: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let aws = Partition(rawValue: "aws")
    public static let awsCN = Partition(rawValue: "aws-cn")
    public static let awsUSGov = Partition(rawValue: "aws-us-gov")
    public static let awsEUSC = Partition(rawValue: "aws-eusc")
    public static let awsISO = Partition(rawValue: "aws-iso")
    public static let awsISOB = Partition(rawValue: "aws-iso-b")
    public static let awsISOE = Partition(rawValue: "aws-iso-e")
    public static let awsISOF = Partition(rawValue: "aws-iso-f")

    /// Every partition botocore knows (IAM-SEMANTICS §6).
    public static let known: [Partition] = [.aws, .awsCN, .awsUSGov, .awsEUSC, .awsISO, .awsISOB, .awsISOE, .awsISOF]

    public var isKnown: Bool { Partition.known.contains(self) }

    public var description: String { rawValue }

    public static func < (lhs: Partition, rhs: Partition) -> Bool { lhs.rawValue < rhs.rawValue }
}
