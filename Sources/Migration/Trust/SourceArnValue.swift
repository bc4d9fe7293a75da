import FlowRoleJSON
import IAMPolicy

/// What one `aws:SourceArn` value of a Bedrock trust statement is about (DESIGN, "Trust
/// tightening"), judged from its text alone; the operator it sits under decides what is done.
enum SourceArnValue: Sendable, Hashable {
    /// `arn:PARTITION:bedrock:REGION:ACCOUNT:flow/*`, resource part exactly `flow/*`, region a
    /// literal or `*`, account a literal or `*`: the pattern the tightener replaces.
    case flowWildcard(partition: String, region: String, account: String)
    /// A specific flow (`…:flow/ID`, or anything under one flow such as `…:flow/ID/*`): already pinned.
    case pinnedFlow(flowArn: String)
    /// Any other pattern that can name a flow (`flow/AB*`, a bare `*`, `arn:aws:bedrock:*:*:*`,
    /// a wildcard partition or service): never rewritten, reported.
    case otherFlowPattern
    /// Not about flows (agents, knowledge bases, other services): kept as it is.
    case notAboutFlows

    init(_ text: String) {
        let parts = SourceArnValue.colonParts(text)
        if parts.count == 6, parts[0] == "arn", Partition(rawValue: parts[1]).isKnown, parts[2] == "bedrock" {
            let region = parts[3]
            let account = parts[4]
            let regionIsLiteral = SourceArnValue.isRegionLiteral(region)
            let accountIsLiteral = ARN.isAccountID(account)
            if parts[5] == "flow/*", region == "*" || regionIsLiteral, account == "*" || accountIsLiteral {
                self = .flowWildcard(partition: parts[1], region: region, account: account)
                return
            }
            if regionIsLiteral, accountIsLiteral, parts[5].hasPrefix("flow/") {
                let id = parts[5].dropFirst("flow/".count).prefix { $0 != "/" }
                if !id.isEmpty, !SourceArnValue.hasWildcard(id) {
                    self = .pinnedFlow(flowArn: "arn:\(parts[1]):bedrock:\(region):\(account):flow/\(id)")
                    return
                }
            }
        }
        self = SourceArnValue.couldNameFlow(text, parts) ? .otherFlowPattern : .notAboutFlows
    }

    var isAboutFlows: Bool { self != .notAboutFlows }

    /// `text` cut at its first five colons, as `text.split(separator: ":", maxSplits: 5,
    /// omittingEmptySubsequences: false)` cuts it (``colonPartsByCharacters(_:)``), without
    /// walking Characters when `text` is ASCII (trust policies are): there every Character is one
    /// byte (CR LF aside, and neither is a colon), so cutting at `:` bytes cuts the same. Other
    /// text goes by Characters, where a colon followed by a combining mark is not a colon.
    static func colonParts(_ text: String) -> [String] {
        text.isASCII ? ARN.parts(of: text) : colonPartsByCharacters(text)
    }

    /// The reference for ``colonParts(_:)``.
    static func colonPartsByCharacters(_ text: String) -> [String] {
        text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
    }

    /// A region name as AWS writes them: lower-case letters, digits and hyphens, not empty.
    static func isRegionLiteral(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func hasWildcard<S: StringProtocol>(_ text: S) -> Bool {
        text.hasIAMWildcard
    }

    /// Generous on purpose (only a warning depends on it): the resource part starts with `flow`
    /// in any case, or the text, read as a `StringLike` pattern, matches a flow ARN built from its
    /// own literal parts.
    private static func couldNameFlow(_ text: String, _ parts: [String]) -> Bool {
        let resource = parts.count == 6 ? parts[5] : text
        if resource.lowercased().hasPrefix("flow") { return true }
        guard hasWildcard(text) else { return false }
        func literal(_ index: Int, _ fallback: String) -> String {
            parts.count == 6 && !parts[index].isEmpty && !hasWildcard(parts[index]) ? parts[index] : fallback
        }
        let probe =
            "arn:\(literal(1, "aws")):bedrock:\(literal(3, "us-east-1")):\(literal(4, "123456789012")):flow/FLOWROLEPROBE"
        return SourceArnMatch.matches(operatorName: "StringLike", value: text, sourceArn: probe) != .noMatch
    }
}
