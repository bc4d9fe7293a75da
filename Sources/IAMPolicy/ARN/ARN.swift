/// An Amazon Resource Name: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`
/// (AWS General Reference, "Amazon Resource Names"; IAM-SEMANTICS §6).
///
/// The resource part is everything after the fifth colon and may itself contain `:` and `/`
/// (`function:name:alias`, `bot-alias/ID/ALIAS`, `prompt/ID:3`). This type holds concrete ARNs;
/// patterns with wildcards are ``ResourcePattern``s.
public struct ARN: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let partition: Partition
    public let service: String
    /// Empty for global services (IAM, S3 buckets).
    public let region: String
    /// A 12-digit account id; empty (S3 buckets, foundation models) or `aws` (AWS managed
    /// policies) where the service uses that.
    public let account: String
    /// Everything after the account, colons and slashes included.
    public let resource: String

    /// Builds an ARN from parts without checking them.
    public init(partition: Partition, service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses and checks an ARN: six colon-separated parts, a known partition, a lower-case
    /// service, a region of lower-case letters, digits and hyphens (or empty), an account that is
    /// 12 digits, `aws` or empty, and a non-empty resource.
    public init(parsing text: String) throws(ARNError) {
        // Split at `:` bytes, not Characters: a combining mark after a colon makes one grapheme
        // cluster with it, and the colon must still separate the parts.
        let parts = ARN.parts(of: text)
        guard parts.count == 6, parts[0] == "arn" else {
            throw ARNError(
                text: text,
                message: "\"\(text)\" is not an ARN: it must read arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.")
        }
        let partition = Partition(rawValue: parts[1])
        guard partition.isKnown else {
            let known = Partition.known.map(\.rawValue).joined(separator: ", ")
            throw ARNError(
                text: text, message: "The ARN \"\(text)\" names the unknown partition \"\(parts[1])\"; known: \(known)."
            )
        }
        let service = parts[2]
        guard !service.isEmpty, service.utf8.allSatisfy(ARN.isServiceByte) else {
            throw ARNError(text: text, message: "The ARN \"\(text)\" has an invalid service \"\(service)\".")
        }
        let region = parts[3]
        guard region.utf8.allSatisfy(ARN.isServiceByte) else {
            throw ARNError(text: text, message: "The ARN \"\(text)\" has an invalid region \"\(region)\".")
        }
        let account = parts[4]
        guard account.isEmpty || account == "aws" || ARN.isAccountID(account) else {
            throw ARNError(
                text: text,
                message:
                    "The ARN \"\(text)\" has an invalid account \"\(account)\"; it must be 12 digits, \"aws\" or empty."
            )
        }
        guard !parts[5].isEmpty else {
            throw ARNError(text: text, message: "The ARN \"\(text)\" has no resource part.")
        }
        self.init(partition: partition, service: service, region: region, account: account, resource: parts[5])
    }

    /// The ARN as text.
    public var text: String { "arn:\(partition.rawValue):\(service):\(region):\(account):\(resource)" }

    public var description: String { text }

    /// The resource type: the resource part up to the first `/` or `:` (`function`, `bot-alias`,
    /// `prompt`), or the whole resource part when it has neither (an S3 bucket name).
    public var resourceType: String {
        String(resource.unicodeScalars.prefix { $0 != "/" && $0 != ":" })
    }

    /// Whether `text` is a 12-digit AWS account id.
    public static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The account field of ARN-shaped UTF-8 bytes — between the fourth and fifth `:`, where
    /// ``init(parsing:)`` cuts it — when it is an account id (12 ASCII digits); nil when the
    /// bytes have fewer than five colons or the field is anything else. For fast checks that
    /// need the account without parsing (and allocating) the whole ARN.
    public static func accountIDBytes(in bytes: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>>? {
        var colons = 0
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: ":") {
            colons += 1
            if colons == 4 {
                start = index + 1
            } else if colons == 5 {
                let field = bytes[start..<index]
                guard field.count == 12, field.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else { return nil }
                return field
            }
        }
        return nil
    }

    public static func < (lhs: ARN, rhs: ARN) -> Bool { lhs.text < rhs.text }

    /// A lower-case ASCII letter, a digit or `-` (every byte of a non-ASCII character fails).
    private static func isServiceByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }

    /// The text cut at its first five `:` bytes (fewer parts when it has fewer colons).
    public static func parts(of text: String) -> [String] {
        let bytes = text.utf8
        var parts: [String] = []
        parts.reserveCapacity(6)
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex && parts.count < 5 {
            if bytes[index] == UInt8(ascii: ":") {
                parts.append(String(Substring(bytes[start..<index])))
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        parts.append(String(Substring(bytes[start...])))
        return parts
    }
}
