extension PrincipalElement {
    /// Whether the element admits `principal` (`NotPrincipal`: everyone except those named).
    ///
    /// * `"*"` admits everyone; `{"AWS": "*"}` every AWS principal.
    /// * An AWS value that is an account id or `arn:PARTITION:iam::ACCOUNT:root` admits every AWS
    ///   principal of that account (the account delegates to its own identity policies).
    /// * Other values are compared exactly (IAM rejects wildcards in them).
    public func match(_ principal: RequestPrincipal) -> MatchResult {
        let named: Bool
        switch subjects {
        case .everyone:
            named = true
        case .named(let entries):
            named = entries.contains { entry in
                entry.values.contains { PrincipalElement.admits(entry.type, $0, principal) }
            }
        }
        return MatchResult(isNegated ? !named : named)
    }

    private static func admits(_ type: PrincipalType, _ value: String, _ principal: RequestPrincipal) -> Bool {
        switch (type, principal) {
        case (.service, .service(let name)), (.federated, .federated(let name)),
            (.canonicalUser, .canonicalUser(let name)):
            return value == name
        case (.aws, .aws(let name)):
            if value == "*" || value == name { return true }
            guard let (partition, account) = accountOf(value, rootOnly: true) else { return false }
            guard let (requestPartition, requestAccount) = accountOf(name, rootOnly: false) else { return false }
            return account == requestAccount
                && (partition == nil || requestPartition == nil || partition == requestPartition)
        default:
            return false
        }
    }

    /// The account (and partition) an AWS principal value names: an account id, or an IAM/STS
    /// ARN; with `rootOnly`, only an account id or a `:root` ARN.
    private static func accountOf(_ value: String, rootOnly: Bool) -> (Partition?, String)? {
        if ARN.isAccountID(value) { return (nil, value) }
        guard let arn = try? ARN(parsing: value), arn.service == "iam" || arn.service == "sts",
            ARN.isAccountID(arn.account)
        else { return nil }
        if rootOnly, arn.resource != "root" { return nil }
        return (arn.partition, arn.account)
    }
}
