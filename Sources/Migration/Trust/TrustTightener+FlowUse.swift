import IAMPolicy
import Inventory

extension TrustTightener {
    /// A flow that uses the role — of any age, through its DRAFT or any version (DESIGN, "Flows
    /// created after the window … are kept in the tightened trust policy"). Trust tightening pins
    /// `…:flow/ID` and `…:flow/ID/*` for each.
    public struct FlowUse: Sendable, Hashable, Comparable {
        /// `arn:PARTITION:bedrock:REGION:ACCOUNT:flow/ID`.
        public var arn: String
        public var partition: String
        public var region: String
        public var account: String
        public var id: String

        public init(arn: String, partition: String, region: String, account: String, id: String) {
            self.arn = arn
            self.partition = partition
            self.region = region
            self.account = account
            self.id = id
        }

        /// Parses a flow ARN (`arn:PARTITION:bedrock:REGION:ACCOUNT:flow/ID`); nil when it is not one.
        public init?(arn text: String) {
            guard let parsed = try? ARN(parsing: text), parsed.service == "bedrock", !parsed.region.isEmpty,
                ARN.isAccountID(parsed.account), parsed.resource.hasPrefix("flow/")
            else { return nil }
            let id = String(parsed.resource.dropFirst("flow/".count))
            guard !id.isEmpty, !id.containsASCII("/"), !id.hasIAMWildcard else { return nil }
            self.init(
                arn: text, partition: parsed.partition.rawValue, region: parsed.region, account: parsed.account, id: id)
        }

        /// The flow as the inventory read it.
        public init(_ flow: Flow) {
            self.init(arn: flow.arn, partition: flow.partition, region: flow.region, account: flow.account, id: flow.id)
        }

        /// The flow ARN built from its parts (what the trust policy pins).
        public var flowArn: String { "arn:\(partition):bedrock:\(region):\(account):flow/\(id)" }

        /// The two values pinned for this flow: the flow itself and anything under it (its aliases,
        /// executions), since which of them Bedrock presents is not documented (IAM-SEMANTICS §7).
        public var pinnedValues: [String] { [flowArn, flowArn + "/*"] }

        public static func < (lhs: FlowUse, rhs: FlowUse) -> Bool {
            (lhs.flowArn, lhs.arn) < (rhs.flowArn, rhs.arn)
        }
    }
}
