/// Which way caution runs (DESIGN, "The evaluator"; IAM-SEMANTICS §4 "direction of caution").
///
/// | case | proving an Allow | looking for a Deny |
/// |---|---|---|
/// | `*` in an action or resource | wildcard | wildcard |
/// | `?` in a resource | one character | one character |
/// | `?` in an action (not documented for actions) | does not prove | wildcard |
/// | a policy variable `${…}` in a 2012-10-17 document | conditional (unproven) | matches |
/// | an unknown condition operator | conditional (unproven) | conditional Deny |
///
/// In a `NotAction`/`NotResource` element the doubt is resolved the way that makes the Deny
/// apply (the pattern is taken as *not* matching), so "generous" holds for the complement too.
public enum Caution: Sendable, Hashable {
    /// Strict: only what is certain counts (deciding "already granted").
    case provingAllow
    /// Generous: whatever may match counts (deciding "something denies it").
    case seekingDeny
}
