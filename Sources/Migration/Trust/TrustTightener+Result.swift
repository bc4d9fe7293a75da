import IAMPolicy

extension TrustTightener {
    /// What tightening decided for one role's trust policy.
    public struct Result: Sendable, Hashable {
        /// The trust policy as found.
        public var before: PolicyDocument
        /// The tightened trust policy, or nil when it does not change.
        public var after: PolicyDocument?
        /// ARNs of the flows pinned by this change, sorted.
        public var pinnedFlows: [String]
        /// Findings, sorted by (severity, code, subject).
        public var findings: [Finding]

        public init(before: PolicyDocument, after: PolicyDocument?, pinnedFlows: [String], findings: [Finding]) {
            self.before = before
            self.after = after
            self.pinnedFlows = pinnedFlows
            self.findings = findings
        }

        /// The document in force after the plan: ``after`` or, when nothing changes, ``before``.
        public var effective: PolicyDocument { after ?? before }
    }
}
