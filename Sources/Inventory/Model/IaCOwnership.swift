/// Which roles in the inputs each infrastructure-as-code owner owns: same partition (when the
/// owner says), same account and role name compared case-insensitively (IAM role names are unique
/// per account regardless of case). An owner that names no account (`list-stack-resources`
/// output, a Terraform resource without an `arn`) owns the role of that name when exactly one role
/// in the inputs has it; when several accounts have one, it owns none of them, and says so.
public struct IaCOwnership: Sendable {
    public enum Match: Sendable, Hashable {
        /// The role the owner owns; empty when the inputs hold no such role.
        case roles([Role])
        /// The owner names no account, and these roles (of several accounts) have its name.
        case ambiguous([Role])
    }

    private var byName: [String: [Role]] = [:]

    public init(roles: [Role]) {
        for role in roles { byName[role.nameKey, default: []].append(role) }
    }

    public func match(_ owner: IaCOwner) -> Match {
        let named = (byName[owner.nameKey] ?? []).filter { owner.partition == nil || owner.partition == $0.partition }
        if let account = owner.account { return .roles(named.filter { $0.account == account }) }
        return named.count > 1 ? .ambiguous(named.sorted { $0.arn < $1.arn }) : .roles(named)
    }
}
