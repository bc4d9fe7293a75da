import FlowRoleJSON
import IAMPolicy
import Inventory

/// Tightens a role's trust policy from `…:flow/*` to the flows that use the role (DESIGN, "Trust
/// tightening" and "Never lock out a flow the tool has not seen"). Pure: a document, the flows
/// and the coverage in; the new document, the pinned flows and findings out.
///
/// * Only statements that let `bedrock.amazonaws.com` assume the role are touched (Allow, an
///   action covering `sts:AssumeRole`, `Principal` `Service` naming Bedrock as a string or in a
///   list). In them, each `aws:SourceArn` value (key in any case) under `ArnLike`, `ArnEquals`
///   or `StringLike` whose resource part is exactly `flow/*` (region and account literal or `*`)
///   is replaced, at its position, by `…:flow/ID` and `…:flow/ID/*` of every flow using the role
///   that it matches, sorted. The operator, the other values, keys and operators stay as found.
/// * A statement whose principal names anyone besides Bedrock is split: it keeps everything but
///   Bedrock, and a new statement (new unique Sid) for Bedrock alone keeps its actions and every
///   condition, with the tightened values. New statements are appended.
/// * Coverage: a literal region is covered by a flow there, a manifest `ok` or the flag; a `*`
///   region only by a manifest or the flag (`*` entry). A `*` account names accounts nobody can
///   list, so it is covered only when the same statement also requires `StringEquals`
///   `aws:SourceAccount` with literal account ids (Bedrock sets it to the flow's account) and
///   each of those accounts is covered for the region; otherwise `TRUST_COVERAGE`.
/// * With `tightenUnconditioned`, a Bedrock statement with no `aws:SourceArn` condition is read
///   as `arn:PARTITION:bedrock:*:ACCOUNT:flow/*`, ACCOUNT being its `StringEquals`
///   `aws:SourceAccount` accounts or else the role's (then added): it is tightened only when
///   every such account is covered for every region (`*`), and, when the role's account is
///   added, no flow of another account uses the role.
public struct TrustTightener: Sendable {
    /// The trust policy quota in canonical characters (`--trust-policy-max-chars`).
    public var maxCharacters: Int
    /// `--tighten-unconditioned`.
    public var tightenUnconditioned: Bool

    public init(maxCharacters: Int = PolicySize.defaultTrustPolicyQuota, tightenUnconditioned: Bool = false) {
        self.maxCharacters = maxCharacters
        self.tightenUnconditioned = tightenUnconditioned
    }

    /// Tightens one role's trust policy. `flows` are every flow (any age) whose DRAFT or any
    /// version uses the role; selection filters must not shrink it.
    public func tighten(
        roleArn: String, roleAccount: String, trust: PolicyDocument, flows: [FlowUse], coverage: Coverage
    ) -> Result {
        var run = TrustTighteningRun(
            roleArn: roleArn, roleAccount: roleAccount, trust: trust, flows: flows, coverage: coverage,
            tightenUnconditioned: tightenUnconditioned)
        for (index, statement) in trust.statements.enumerated()
        where BedrockTrustStatement.letsBedrockAssume(statement) {
            run.visit(statement, at: index)
        }
        run.reportMissingPinnedFlows()
        return run.result(maxCharacters: maxCharacters)
    }
}
