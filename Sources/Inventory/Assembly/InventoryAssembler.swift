import Dispatch
import FlowRoleJSON
import IAMPolicy

/// Merges the fragments of every file into one `Inventory`. Nothing depends on the order the
/// files were given in: every kind of fragment is merged in the order of its provenance (path,
/// then pointer), outputs that name their owner attach before those that do not, and the latter
/// are attributed against the state all files give, never against what an earlier one changed.
///
/// The same object read twice (two files, or `get-role` beside authorization details) is compared
/// after normalising — canonical documents, timestamps as instants — on the fields both copies
/// carry that the planner reads; equal, they merge; different, it is bad input naming both places.
/// Outputs that do not name their owner are attributed only when exactly one role or policy in the
/// run can own them: one whose known contents agree with the output (DESIGN, "Inputs it must read").
struct InventoryAssembler {
    /// Roles and flows are kept in lists, found by key through an index: the lists are the
    /// fragments' own (moved in, not copied element by element) and become the result's as they
    /// are (moved out, not copied out of a dictionary's values). Positions never change once
    /// `addObjects` has run.
    private var roleList: [Role] = []
    /// `roleKey` → position in `roleList`.
    private var roleIndex: [String: Int] = [:]
    private var policies: [String: ManagedPolicy] = [:]
    /// Each flow's versions are filed in its `versions` while merging and sorted by `finish`.
    private var flowList: [Flow] = []
    /// ARN → position in `flowList`.
    private var flowIndex: [String: Int] = [:]
    private var manifestEntries: [ManifestEntry] = []
    private var iacOwners: [String: IaCOwner] = [:]
    private var inferenceProfiles: [String: InferenceProfileDecoder.Profile] = [:]
    private var lambdaPolicies: [String: LambdaResourcePolicy] = [:]
    private var problems: [InventoryProblem] = []
    private var errors = StepErrors()

    /// Merges every file's fragments. Roles and policies never meet flows while merging, so with
    /// `split` the two sides are merged on two threads, each by its own assembler running every
    /// step on its half of the fragments; errors are then reported step by step, and problems in
    /// the order, that one assembler gives. `split: false` runs one assembler over everything: the
    /// reference the tests compare the split against.
    static func assemble(_ files: consuming [(Fragments, InputFile)], split: Bool = true) throws(InventoryReadError)
        -> Inventory
    {
        let inputs = files.map(\.1)
        let work = MergeWork(
            profiles: files.flatMap { $0.0.inferenceProfiles }.sorted { $0.source < $1.source },
            lambdaPolicies: files.flatMap { $0.0.lambdaPolicies }.sorted { $0.source < $1.source })
        // Each file's lists are moved out of `files` as they are joined, so that the joined lists
        // hold the only references to their storage and sorting them does not copy them.
        var all = Fragments()
        for index in files.indices {
            var taken = Fragments()
            swap(&taken, &files[index].0)
            all.append(taken)
        }
        files = []
        if split {
            work.flowFragments = all.takeFlowOutputs()
            work.roleFragments = all
            all = Fragments()
            DispatchQueue.concurrentPerform(iterations: 2) { side in
                if side == 0 { work.mergeRoleSide() } else { work.mergeFlowSide() }
            }
        } else {
            work.roleFragments = all
            all = Fragments()
            work.mergeRoleSide()
        }
        let roleSide = work.roleSide ?? Merged()
        let flowSide = work.flowSide ?? Merged()
        let errors = StepErrors.reported(roleSide.errors, flowSide.errors)
        guard errors.isEmpty else { throw InventoryReadError(errors: errors) }
        return combine(inputs: inputs, roleSide, flowSide)
    }

    /// Runs every merge step, in order, over `fragments`; sorted lists out.
    fileprivate static func merge(
        _ fragments: consuming Fragments, profiles: [InferenceProfileDecoder.Profile],
        lambdaPolicies: [LambdaResourcePolicy]
    ) -> Merged {
        fragments.sortByProvenance()
        let large = fragments.roles.count + fragments.flows.count >= 1000
        var assembler = InventoryAssembler()
        assembler.addObjects(&fragments)
        assembler.addNamedAttachments(fragments)
        assembler.addUnownedAttachments(fragments)
        assembler.addListings(fragments)
        assembler.errors.step = .inferenceProfiles
        assembler.addInferenceProfiles(profiles)
        assembler.errors.step = .lambdaPolicies
        assembler.addLambdaPolicies(lambdaPolicies)
        var merged = (consume assembler).finish(releasingInBackground: large)
        // The roles are final here: the flow checks' lookup is built beside the other side's merge.
        merged.lookup = RoleLookup(roles: merged.roles)
        BackgroundRelease.release(consume fragments, inBackground: large)
        return merged
    }

    // MARK: Objects that name themselves

    /// Takes the roles and flows out of `fragments`: their lists become `roleList` and `flowList`,
    /// and a copy read again is merged into the first (in provenance order) and taken out of the
    /// list — what adding each to a dictionary by key gives, without copying a single one.
    private mutating func addObjects(_ fragments: inout Fragments) {
        errors.step = .roles
        swap(&roleList, &fragments.roles)
        roleIndex.reserveCapacity(roleList.count)
        var merged: [Int] = []
        for index in roleList.indices {
            let key = Self.roleKey(
                partition: roleList[index].partition, account: roleList[index].account, name: roleList[index].name)
            if let first = roleIndex.updateValue(index, forKey: key) {
                roleIndex[key] = first
                add(roleList[index], to: first)
                merged.append(index)
            }
        }
        if !merged.isEmpty {
            roleIndex = Self.removing(merged, from: &roleList) {
                Self.roleKey(partition: $0.partition, account: $0.account, name: $0.name)
            }
        }
        errors.step = .policies
        for policy in fragments.policies { add(policy) }
        errors.step = .flows
        swap(&flowList, &fragments.flows)
        flowIndex.reserveCapacity(flowList.count)
        merged = []
        for index in flowList.indices {
            let arn = flowList[index].arn
            if let first = flowIndex.updateValue(index, forKey: arn) {
                flowIndex[arn] = first
                add(flowList[index], to: first)
                merged.append(index)
            }
        }
        if !merged.isEmpty { flowIndex = Self.removing(merged, from: &flowList) { $0.arn } }
        manifestEntries.append(contentsOf: fragments.manifestEntries)
        for owner in fragments.iacOwners { add(owner) }
    }

    /// Removes the elements at `positions` (ascending) from `list`; the index of what is left.
    private static func removing<Element>(
        _ positions: [Int], from list: inout [Element], key: (Element) -> String
    ) -> [String: Int] {
        var kept: [Element] = []
        kept.reserveCapacity(list.count - positions.count)
        var next = 0
        for index in list.indices {
            if next < positions.count && positions[next] == index {
                next += 1
            } else {
                kept.append(list[index])
            }
        }
        list = kept
        var index: [String: Int] = [:]
        index.reserveCapacity(list.count)
        for position in list.indices { index[key(list[position])] = position }
        return index
    }

    /// The same stack or state resource of the same role read twice (an export beside a
    /// describe-stack-resources output, say) is one owner with two sources.
    private mutating func add(_ owner: IaCOwner) {
        let key = owner.identity
        guard var existing = iacOwners[key] else {
            iacOwners[key] = owner
            return
        }
        existing.sources += owner.sources
        existing.region = existing.region ?? owner.region
        iacOwners[key] = existing
    }

    private static func roleKey(partition: String, account: String, name: String) -> String {
        "\(partition)|\(account)|\(name.lowercased())"
    }

    private func conflict(_ what: String, _ one: Provenance, _ other: Provenance, _ detail: String) -> InputError {
        // Report at the later place in sorted order, naming the earlier: the same whatever the argument order.
        let (first, second) = one < other ? (one, other) : (other, one)
        return InputError(
            file: second.path, line: second.line, pointer: second.pointer,
            message:
                "\(what) is read twice with different \(detail): here and at \(first); which one is current cannot be told, so both are rejected."
        )
    }

    /// Merges a second copy of a role into the one at `position` (read first).
    private mutating func add(_ role: Role, to position: Int) {
        var existing = roleList[position]
        let here = role.sources[0]
        let there = existing.sources[0]
        let what = "role \(role.arn)"
        if existing.arn != role.arn {
            errors.append(conflict("role \(role.name)", there, here, "ARNs (\(existing.arn) and \(role.arn))"))
            return
        }
        if let left = existing.trustPolicy, let right = role.trustPolicy,
            left.json.canonicalText != right.json.canonicalText
        {
            errors.append(conflict(what, there, here, "trust policies"))
            return
        }
        if let left = existing.createDate, let right = role.createDate, left != right {
            errors.append(conflict(what, there, here, "CreateDate (\(left) and \(right))"))
            return
        }
        if existing.boundaryKnown && role.boundaryKnown
            && existing.permissionsBoundaryArn != role.permissionsBoundaryArn
        {
            errors.append(conflict(what, there, here, "permissions boundaries"))
            return
        }
        if let left = existing.tags, let right = role.tags, Set(left) != Set(right) {
            errors.append(conflict(what, there, here, "tags"))
            return
        }
        if let left = existing.inlinePolicyNames, let right = role.inlinePolicyNames, Set(left) != Set(right) {
            errors.append(conflict(what, there, here, "inline policy lists"))
            return
        }
        if let left = existing.attachedPolicies, let right = role.attachedPolicies,
            Set(left.map(\.arn)) != Set(right.map(\.arn))
        {
            errors.append(conflict(what, there, here, "attached policy lists"))
            return
        }
        existing.trustPolicy = existing.trustPolicy ?? role.trustPolicy
        existing.createDate = existing.createDate ?? role.createDate
        existing.roleId = existing.roleId ?? role.roleId
        existing.description = existing.description ?? role.description
        existing.maxSessionDuration = existing.maxSessionDuration ?? role.maxSessionDuration
        if role.boundaryKnown {
            existing.permissionsBoundaryArn = role.permissionsBoundaryArn
            existing.boundaryKnown = true
        }
        existing.tags = existing.tags ?? role.tags
        existing.inlinePolicyNames = existing.inlinePolicyNames ?? role.inlinePolicyNames
        existing.attachedPolicies = existing.attachedPolicies ?? role.attachedPolicies
        existing.sources.append(here)
        for policy in role.inlinePolicies where !addInline(policy, to: &existing) { return }
        roleList[position] = existing
    }

    /// Adds an inline policy document; false (and an error) when a different one has the name.
    private mutating func addInline(_ policy: InlinePolicy, to role: inout Role) -> Bool {
        if let existing = role.inlinePolicies.first(where: { $0.name == policy.name }) {
            if existing.document.json.canonicalText != policy.document.json.canonicalText {
                errors.append(
                    conflict(
                        "inline policy \(policy.name) of role \(role.arn)", existing.source, policy.source, "documents")
                )
                return false
            }
            return true
        }
        role.inlinePolicies.append(policy)
        return true
    }

    private mutating func add(_ policy: ManagedPolicy) {
        guard var existing = policies[policy.arn] else {
            policies[policy.arn] = policy
            return
        }
        let what = "managed policy \(policy.arn)"
        if let left = existing.defaultVersionId, let right = policy.defaultVersionId, left != right {
            errors.append(
                conflict(what, existing.sources[0], policy.sources[0], "default versions (\(left) and \(right))"))
            return
        }
        existing.name = existing.name ?? policy.name
        existing.path = existing.path ?? policy.path
        existing.policyId = existing.policyId ?? policy.policyId
        existing.defaultVersionId = existing.defaultVersionId ?? policy.defaultVersionId
        existing.attachmentCount = existing.attachmentCount ?? policy.attachmentCount
        existing.sources.append(contentsOf: policy.sources)
        for version in policy.versions where !addVersion(version, to: &existing) { return }
        policies[policy.arn] = existing
    }

    private mutating func addVersion(_ version: ManagedPolicyVersion, to policy: inout ManagedPolicy) -> Bool {
        if let index = policy.versions.firstIndex(where: { $0.versionId == version.versionId }) {
            let existing = policy.versions[index]
            if existing.document.json.canonicalText != version.document.json.canonicalText {
                errors.append(
                    conflict(
                        "version \(version.versionId) of \(policy.arn)", existing.source, version.source, "documents"))
                return false
            }
            if let left = existing.isDefaultVersion, let right = version.isDefaultVersion, left != right {
                errors.append(
                    conflict(
                        "version \(version.versionId) of \(policy.arn)", existing.source, version.source,
                        "IsDefaultVersion"))
                return false
            }
            policy.versions[index].isDefaultVersion = existing.isDefaultVersion ?? version.isDefaultVersion
            policy.versions[index].createDate = existing.createDate ?? version.createDate
            return true
        }
        policy.versions.append(version)
        policy.versions.sort { IAMDecoder.versionKey($0.versionId) < IAMDecoder.versionKey($1.versionId) }
        return true
    }

    /// Merges a second copy of a flow into the one at `position` (read first).
    private mutating func add(_ flow: Flow, to position: Int) {
        var existing = flowList[position]
        let what = "flow \(flow.arn)"
        let here = flow.sources[0]
        let there = existing.sources[0]
        if existing.executionRoleArn != flow.executionRoleArn {
            errors.append(conflict(what, there, here, "execution roles"))
            return
        }
        if existing.createdAt != flow.createdAt {
            errors.append(conflict(what, there, here, "createdAt (\(existing.createdAt) and \(flow.createdAt))"))
            return
        }
        if existing.definition != flow.definition {
            errors.append(conflict(what, there, here, "definitions"))
            return
        }
        if existing.customerEncryptionKeyArn != flow.customerEncryptionKeyArn {
            errors.append(conflict(what, there, here, "customerEncryptionKeyArn"))
            return
        }
        existing.versionsKnown = existing.versionsKnown || flow.versionsKnown
        existing.status = existing.status ?? flow.status
        existing.updatedAt = existing.updatedAt ?? flow.updatedAt
        existing.sources.append(here)
        flowList[position] = existing
    }

    /// The same inference profile read twice (a `get-inference-profile` output beside a
    /// `list-inference-profiles` page, say) is one profile when both list the same models; with
    /// different models it is bad input naming both places.
    private mutating func addInferenceProfiles(_ profiles: [InferenceProfileDecoder.Profile]) {
        for profile in profiles {
            guard let existing = inferenceProfiles[profile.arn] else {
                inferenceProfiles[profile.arn] = profile
                continue
            }
            if existing.models != profile.models {
                errors.append(
                    conflict(
                        "inference profile \(profile.arn)", existing.source, profile.source,
                        "models ([\(existing.models.joined(separator: ", "))] and [\(profile.models.joined(separator: ", "))])"
                    ))
            }
        }
    }

    /// The same function's policy read twice is one policy when the documents are canonically
    /// equal; different, it is bad input naming both places.
    private mutating func addLambdaPolicies(_ policies: [LambdaResourcePolicy]) {
        for policy in policies {
            guard let existing = lambdaPolicies[policy.functionArn] else {
                lambdaPolicies[policy.functionArn] = policy
                continue
            }
            if existing.document.canonicalText != policy.document.canonicalText {
                errors.append(
                    conflict(
                        "the policy of Lambda function \(policy.functionArn)", existing.source, policy.source,
                        "documents"))
            }
        }
    }

    // MARK: Outputs that name their owner

    private mutating func addNamedAttachments(_ fragments: Fragments) {
        errors.step = .rolePolicies
        for (roleName, policy) in fragments.rolePolicies {
            let nameKey = roleName.lowercased()
            let candidates = roleIndex.filter { roleList[$0.value].nameKey == nameKey }
            guard candidates.count == 1, let (_, position) = candidates.first else {
                errors.append(
                    InputError(
                        file: policy.source.path, line: policy.source.line, pointer: policy.source.pointer,
                        message: candidates.isEmpty
                            ? "get-role-policy output for role \(roleName), which no input describes (add its get-role or authorization details)."
                            : "get-role-policy output for role \(roleName), a name that \(candidates.count) accounts in the inputs use; it names no account, so it cannot be attributed."
                    ))
                continue
            }
            var updated = roleList[position]
            if addInline(policy, to: &updated) {
                updated.sources.append(policy.source)
                roleList[position] = updated
            }
        }
        errors.step = .flowVersions
        for (flowArn, version) in fragments.flowVersions {
            guard let at = flowIndex[flowArn] else {
                problems.append(
                    InventoryProblem(
                        code: .flowNotDetailed, subject: flowArn,
                        message:
                            "version \(version.version) of flow \(flowArn) is in the inputs, but the flow's get-flow output is not; the version is not used.",
                        source: version.source))
                continue
            }
            if let existing = flowList[at].versions.first(where: { $0.version == version.version }) {
                if existing.executionRoleArn != version.executionRoleArn || existing.definition != version.definition
                    || existing.customerEncryptionKeyArn != version.customerEncryptionKeyArn
                {
                    errors.append(
                        conflict(
                            "version \(version.version) of flow \(flowArn)", existing.source, version.source, "contents"
                        ))
                }
                continue
            }
            flowList[at].versions.append(version)
        }
    }

    // MARK: Outputs that name no owner

    /// Each output is matched against the roles, policies and flows as every named input left them
    /// — not as an earlier owner-less output changed them — so the order of files cannot decide.
    private mutating func addUnownedAttachments(_ fragments: Fragments) {
        errors.step = .inlineNameLists
        let rolesBefore = roleList
        var inlineClaims: [String: (names: [String], source: Provenance)] = [:]
        for (names, truncated, source) in fragments.inlineNameLists {
            let wanted = Set(names)
            let candidates = roleIndex.filter { _, position in
                let role = rolesBefore[position]
                if truncated { return role.inlinePolicyNames.map { wanted.isSubset(of: Set($0)) } ?? true }
                let documented = Set(role.inlinePolicies.map(\.name))
                return (role.inlinePolicyNames.map { Set($0) == wanted } ?? true) && documented.isSubset(of: wanted)
            }
            guard
                let (key, position) = attribute(
                    candidates, what: "list-role-policies output", kind: "role", source: source)
            else { continue }
            var role = roleList[position]
            if !truncated {
                if let claimed = inlineClaims[key], Set(claimed.names) != wanted {
                    errors.append(
                        conflict("the inline policy list of role \(role.arn)", claimed.source, source, "names"))
                    continue
                }
                inlineClaims[key] = (names, source)
                role.inlinePolicyNames = role.inlinePolicyNames ?? names
            }
            role.sources.append(source)
            roleList[position] = role
        }
        errors.step = .attachedLists
        var attachedClaims: [String: (arns: Set<String>, source: Provenance)] = [:]
        for (attached, truncated, source) in fragments.attachedLists {
            let wanted = Set(attached.map(\.arn))
            let candidates = roleIndex.filter { _, position in
                guard let listed = rolesBefore[position].attachedPolicies else { return true }
                return truncated ? wanted.isSubset(of: Set(listed.map(\.arn))) : Set(listed.map(\.arn)) == wanted
            }
            guard
                let (key, position) = attribute(
                    candidates, what: "list-attached-role-policies output", kind: "role", source: source)
            else { continue }
            var role = roleList[position]
            if !truncated {
                if let claimed = attachedClaims[key], claimed.arns != wanted {
                    errors.append(
                        conflict("the attached policy list of role \(role.arn)", claimed.source, source, "policies"))
                    continue
                }
                attachedClaims[key] = (wanted, source)
                role.attachedPolicies = role.attachedPolicies ?? attached
            }
            role.sources.append(source)
            roleList[position] = role
        }
        errors.step = .policyVersions
        let policiesBefore = policies
        for version in fragments.policyVersions {
            let candidates = policiesBefore.filter { _, policy in
                if let existing = policy.versions.first(where: { $0.versionId == version.versionId }) {
                    return existing.document.json.canonicalText == version.document.json.canonicalText
                }
                if version.isDefaultVersion == true, let stated = policy.defaultVersionId, stated != version.versionId {
                    return false
                }
                return true
            }
            guard
                let (key, _) = attribute(
                    candidates, what: "get-policy-version output", kind: "managed policy", source: version.source),
                var policy = policies[key]
            else { continue }
            if addVersion(version, to: &policy) {
                if version.isDefaultVersion == true {
                    policy.defaultVersionId = policy.defaultVersionId ?? version.versionId
                }
                policy.sources.append(version.source)
                policies[key] = policy
            }
        }
    }

    /// The one candidate, or nil with an error naming the count.
    private mutating func attribute<Value>(
        _ candidates: [String: Value], what: String, kind: String, source: Provenance
    ) -> (String, Value)? {
        if candidates.count == 1, let only = candidates.first { return (only.key, only.value) }
        errors.append(
            InputError(
                file: source.path, line: source.line, pointer: source.pointer,
                message: candidates.isEmpty
                    ? "\(what) names no \(kind), and no \(kind) in the inputs can own it; add the \(kind)'s own output beside it."
                    : "\(what) names no \(kind), and \(candidates.count) \(kind)s in the inputs could own it; give it alone with its \(kind), or use \(kind == "flow" ? "a flow bundle (flowrole export)" : "authorization details")."
            ))
        return nil
    }

    // MARK: Listings

    private mutating func addListings(_ fragments: Fragments) {
        // Empty pages name no flow: they are attributed against the flows as every named input
        // left them. The candidates are taken before any page changes a flow, and only when there
        // is such a page.
        let versionCandidates =
            fragments.versionListings.contains { $0.flowArn == nil }
            ? flowIndex.filter { !flowList[$0.value].versionsKnown && flowList[$0.value].versions.isEmpty } : [:]
        let aliasCandidates =
            fragments.aliasListings.contains { $0.flowArn == nil }
            ? flowIndex.filter { flowList[$0.value].aliases == nil } : [:]
        errors.step = .versionListings
        for listing in fragments.versionListings {
            var flowArn = listing.flowArn
            if flowArn == nil {
                let candidates = versionCandidates
                guard
                    let (key, _) = attribute(
                        candidates, what: "empty list-flow-versions output", kind: "flow", source: listing.source)
                else { continue }
                flowArn = key
            }
            // The flow is changed in place (`flowList[at]`): no copy of it.
            guard let flowArn, let at = flowIndex[flowArn] else {
                problems.append(
                    InventoryProblem(
                        code: .flowNotDetailed, subject: listing.flowArn ?? listing.source.path,
                        message: "list-flow-versions output for a flow whose get-flow output is not in the inputs.",
                        source: listing.source))
                continue
            }
            flowList[at].listedVersions = Array(Set((flowList[at].listedVersions ?? []) + listing.versions))
                .sorted(by: FlowVersion.versionOrder)
            if listing.truncated {
                pendingVersionPages[flowArn] = pendingVersionPages[flowArn] ?? listing.source
            } else {
                finishedVersionPages.append(flowArn)
                flowList[at].versionsKnown = true
            }
        }
        errors.step = .aliasListings
        // Read in place (`listings[index]`): a listing is not copied out to be read.
        let listings = fragments.aliasListings
        for index in listings.indices {
            var flowArn = listings[index].flowArn
            if flowArn == nil {
                let candidates = aliasCandidates
                guard
                    let (key, _) = attribute(
                        candidates, what: "empty list-flow-aliases output", kind: "flow", source: listings[index].source
                    )
                else { continue }
                flowArn = key
            }
            guard let flowArn, let at = flowIndex[flowArn] else {
                problems.append(
                    InventoryProblem(
                        code: .flowNotDetailed, subject: listings[index].flowArn ?? listings[index].source.path,
                        message: "aliases of a flow whose get-flow output is not in the inputs.",
                        source: listings[index].source
                    ))
                continue
            }
            if flowList[at].aliases == nil, Self.distinctIds(listings[index].aliases) {
                // The first list of the flow's aliases (a bundle entry's): taken as it is, not
                // copied alias by alias (what the loop below gives for it).
                flowList[at].aliases =
                    listings[index].aliases.count > 1
                    ? listings[index].aliases.sorted { $0.id < $1.id } : listings[index].aliases
            } else {
                addAliases(listings[index].aliases, at: at)
            }
            if listings[index].truncated {
                pendingAliasPages[flowArn] = pendingAliasPages[flowArn] ?? listings[index].source
            } else {
                finishedAliasPages.append(flowArn)
            }
        }
        addOtherListings(fragments)
    }

    /// Whether no two aliases share an id.
    private static func distinctIds(_ aliases: [FlowAlias]) -> Bool {
        if aliases.count <= 8 {
            for index in aliases.indices.dropFirst()
            where aliases[..<index].contains(where: { $0.id == aliases[index].id }) {
                return false
            }
            return true
        }
        return Set(aliases.map(\.id)).count == aliases.count
    }

    /// Adds a list of aliases to the flow at `at`: an alias already there (by id) is checked
    /// against it instead.
    private mutating func addAliases(_ listed: [FlowAlias], at: Int) {
        var aliases = flowList[at].aliases ?? []
        for alias in listed {
            if let existing = aliases.first(where: { $0.id == alias.id }) {
                if existing.routesTo != alias.routesTo || existing.arn != alias.arn || existing.name != alias.name {
                    errors.append(conflict("alias \(alias.arn)", existing.source, alias.source, "contents"))
                }
                continue
            }
            aliases.append(alias)
        }
        flowList[at].aliases = aliases.count > 1 ? aliases.sorted { $0.id < $1.id } : aliases
    }

    /// `list-flows` pages, authorization-details pages and stack listings: what they leave unlisted.
    private mutating func addOtherListings(_ fragments: Fragments) {
        for listing in fragments.flowListings {
            for summary in listing.flows where flowIndex[summary.arn] == nil {
                problems.append(
                    InventoryProblem(
                        code: .flowNotDetailed, subject: summary.arn,
                        message:
                            "list-flows names flow \(summary.arn), but its get-flow output is not in the inputs: its role and nodes are unknown.",
                        source: summary.source))
            }
            for scope in Set(listing.flows.map { "\($0.partition) \($0.account) \($0.region)" }) {
                if listing.truncated {
                    pendingFlowListings[scope] = pendingFlowListings[scope] ?? listing.source
                } else {
                    finishedFlowListings.insert(scope)
                }
            }
        }
        // Authorization details: an account whose every page says more follow is incomplete. A
        // final page that names no account (only AWS managed policies, say) ends the one chain
        // left open, when there is exactly one.
        var anonymousFinalPages = 0
        for page in fragments.authorizationPages {
            if page.accounts.isEmpty && !page.truncated { anonymousFinalPages += 1 }
            for account in page.accounts {
                if page.truncated {
                    pendingAuthorizationPages[account] = pendingAuthorizationPages[account] ?? page.source
                } else {
                    authorizationFinished.insert(account)
                }
            }
        }
        let open = pendingAuthorizationPages.keys.filter { !authorizationFinished.contains($0) }
        if anonymousFinalPages > 0, open.count == 1, let only = open.first { authorizationFinished.insert(only) }
        // list-stack-resources pages name no stack, so pages are matched by file: a file whose
        // every page ends with a NextToken leaves the stack's later resources unlisted.
        for listing in fragments.stackListings {
            if listing.truncated {
                pendingStackPages[listing.source.path] = pendingStackPages[listing.source.path] ?? listing.source
            } else {
                finishedStackPages.insert(listing.source.path)
            }
        }
    }

    private var pendingAuthorizationPages: [String: Provenance] = [:]
    private var authorizationFinished = Set<String>()
    private var pendingFlowListings: [String: Provenance] = [:]
    private var finishedFlowListings = Set<String>()
    private var pendingVersionPages: [String: Provenance] = [:]
    /// Flows (by ARN) with a final `list-flow-versions` page; a list, made a set only when a
    /// page says more follow (`finish`).
    private var finishedVersionPages: [String] = []
    private var pendingAliasPages: [String: Provenance] = [:]
    /// Flows with a final alias list (`finishedVersionPages`).
    private var finishedAliasPages: [String] = []
    private var pendingStackPages: [String: Provenance] = [:]
    private var finishedStackPages = Set<String>()

    // MARK: Result

    /// An INCOMPLETE_LISTING problem for every listing (by subject) with a page that says more
    /// follow and no final page.
    private static func unfinished(
        _ pending: [String: Provenance], finished: Set<String>, message: (String, Provenance) -> String
    ) -> [InventoryProblem] {
        var problems: [InventoryProblem] = []
        for (subject, source) in pending.sorted(by: { $0.key < $1.key }) where !finished.contains(subject) {
            problems.append(
                InventoryProblem(
                    code: .incompleteListing, subject: subject, message: message(subject, source), source: source))
        }
        return problems
    }

    /// The merged objects as sorted lists, with the problems and errors found. The dictionaries
    /// are freed afterwards, on another thread when `releasingInBackground`.
    private consuming func finish(releasingInBackground: Bool) -> Merged {
        var merged = Merged()
        merged.errors = errors
        merged.problems = problems
        merged.unfinished = [
            Self.unfinished(pendingAuthorizationPages, finished: authorizationFinished) { account, _ in
                "authorization details for account \(account) end with IsTruncated true and no final page is in the inputs: roles and policies on later pages are missing."
            },
            Self.unfinished(
                pendingVersionPages, finished: pendingVersionPages.isEmpty ? [] : Set(finishedVersionPages)
            ) { _, source in
                "\(source.path) is a list-flow-versions page with a nextToken and no final page for the flow is in the inputs: versions on later pages are not listed."
            },
            Self.unfinished(pendingAliasPages, finished: pendingAliasPages.isEmpty ? [] : Set(finishedAliasPages)) {
                _, source in
                "\(source.path) is a list-flow-aliases page with a nextToken and no final page for the flow is in the inputs: aliases on later pages are not listed."
            },
            Self.unfinished(pendingFlowListings, finished: finishedFlowListings) { scope, source in
                "\(source.path) is a list-flows page with a nextToken and no final page for \(scope) is in the inputs: flows on later pages are not listed (the aws CLI follows nextToken itself unless --no-paginate or --max-items is given)."
            },
            Self.unfinished(pendingStackPages, finished: finishedStackPages) { path, _ in
                "\(path) is a list-stack-resources page with a NextToken and no final page is in the same file: roles on later pages are not listed (the aws CLI follows NextToken itself unless --no-paginate or --max-items is given)."
            },
        ]
        // Nothing may depend on the order the inputs were given in (DESIGN, invariant 5): every
        // list that merging filled in reading order is sorted here. Lists of one element are not
        // sorted: the dictionaries still share them, and sorting would copy them for nothing.
        // The lists are moved out of `self` (consumed here): sorting them copies no element.
        var flowList: [Flow] = []
        swap(&flowList, &self.flowList)
        for index in flowList.indices {
            if flowList[index].versions.count > 1 {
                flowList[index].versions.sort { FlowVersion.versionOrder($0.version, $1.version) }
            }
            if flowList[index].sources.count > 1 { flowList[index].sources.sort() }
        }
        flowList.sortByKey(\.arn)
        merged.flows = flowList
        var roleList: [Role] = []
        swap(&roleList, &self.roleList)
        for index in roleList.indices {
            Self.sortLists(of: &roleList[index])
        }
        roleList.sortByKey(\.arn)
        merged.roles = roleList
        var policyList = Array(policies.values)
        for index in policyList.indices where policyList[index].sources.count > 1 {
            policyList[index].sources.sort()
        }
        policyList.sortByKey(\.arn)
        merged.managedPolicies = policyList
        merged.manifestEntries = manifestEntries.sorted()
        merged.iacOwners = iacOwners.values.map { owner in
            var owner = owner
            owner.sources.sort()
            return owner
        }.sorted()
        merged.inferenceProfiles = inferenceProfiles.mapValues(\.models)
        merged.lambdaPolicies = lambdaPolicies.values.sorted { $0.functionArn < $1.functionArn }
        BackgroundRelease.release(consume self, inBackground: releasingInBackground)
        return merged
    }

    private static func sortLists(of role: inout Role) {
        if role.sources.count > 1 { role.sources.sort() }
        if role.inlinePolicies.count > 1 { role.inlinePolicies.sort { $0.name < $1.name } }
        if (role.inlinePolicyNames?.count ?? 0) > 1 { role.inlinePolicyNames?.sort() }
        if (role.attachedPolicies?.count ?? 0) > 1 { role.attachedPolicies?.sort { $0.arn < $1.arn } }
        if (role.tags?.count ?? 0) > 1 { role.tags?.sort { ($0.key, $0.value) < ($1.key, $1.value) } }
    }

    /// The inventory of both sides' merges (one side holds everything when the merge was not split).
    private static func combine(inputs: [InputFile], _ roleSide: Merged, _ flowSide: Merged) -> Inventory {
        var problems = roleSide.problems + flowSide.problems
        for kind in roleSide.unfinished.indices {
            problems += roleSide.unfinished[kind] + flowSide.unfinished[kind]
        }
        var inventory = Inventory(
            inputs: inputs,
            roles: Merged.joined(roleSide.roles, flowSide.roles) { $0.arn < $1.arn },
            managedPolicies: Merged.joined(roleSide.managedPolicies, flowSide.managedPolicies) { $0.arn < $1.arn },
            flows: Merged.joined(roleSide.flows, flowSide.flows) { $0.arn < $1.arn },
            manifestEntries: Merged.joined(roleSide.manifestEntries, flowSide.manifestEntries, by: <),
            problems: [],
            iacOwners: Merged.joined(roleSide.iacOwners, flowSide.iacOwners, by: <),
            inferenceProfiles: roleSide.inferenceProfiles.merging(flowSide.inferenceProfiles) { first, _ in first },
            lambdaPolicies: Merged.joined(roleSide.lambdaPolicies, flowSide.lambdaPolicies) {
                $0.functionArn < $1.functionArn
            })
        // Built by the side that merged the roles, when one side holds them all (always).
        let lookup = flowSide.roles.isEmpty ? roleSide.lookup : roleSide.roles.isEmpty ? flowSide.lookup : nil
        inventory.problems = (problems + InventoryChecks.problems(of: inventory, lookup: lookup)).sorted()
        return inventory
    }
}

/// What one assembler's merge gives: the objects as sorted lists, problems found while merging,
/// INCOMPLETE_LISTING problems by kind of listing, and errors by step.
private struct Merged {
    var roles: [Role] = []
    var managedPolicies: [ManagedPolicy] = []
    var flows: [Flow] = []
    var manifestEntries: [ManifestEntry] = []
    var iacOwners: [IaCOwner] = []
    var inferenceProfiles: [String: [String]] = [:]
    var lambdaPolicies: [LambdaResourcePolicy] = []
    var problems: [InventoryProblem] = []
    /// Authorization details, flow versions, flow aliases, flows, stack resources: the order
    /// `finish` reports them in.
    var unfinished: [[InventoryProblem]] = Array(repeating: [], count: 5)
    var errors = StepErrors()
    /// `RoleLookup(roles: roles)`.
    var lookup: RoleLookup?

    /// Both sides' lists as one sorted list. A split merge gives each kind of object to one side
    /// only, so one list is empty and the other is returned as it is.
    static func joined<Element>(_ one: [Element], _ other: [Element], by less: (Element, Element) -> Bool)
        -> [Element]
    {
        if other.isEmpty { return one }
        if one.isEmpty { return other }
        return (one + other).sorted(by: less)
    }
}

/// Errors filed by the merge step that found them. One assembler runs the steps in this order;
/// two assemblers (a split merge) each run them all, and their errors are reported step by step,
/// so the list is the same either way.
private struct StepErrors {
    enum Step: Int, CaseIterable {
        case roles, policies, flows, rolePolicies, flowVersions, inlineNameLists, attachedLists, policyVersions
        case versionListings, aliasListings, inferenceProfiles, lambdaPolicies
    }

    var step = Step.roles
    private var byStep: [[InputError]] = Array(repeating: [], count: Step.allCases.count)

    mutating func append(_ error: InputError) { byStep[step.rawValue].append(error) }

    var isEmpty: Bool { byStep.allSatisfy(\.isEmpty) }

    /// Every error of both, step by step (within a step, `one`'s first).
    static func reported(_ one: StepErrors, _ other: StepErrors) -> [InputError] {
        var all: [InputError] = []
        for step in Step.allCases {
            all += one.byStep[step.rawValue] + other.byStep[step.rawValue]
        }
        return all
    }
}

/// The two sides of a split merge: each thread takes its fragments out and leaves its result.
private final class MergeWork: @unchecked Sendable {
    let profiles: [InferenceProfileDecoder.Profile]
    let lambdaPolicies: [LambdaResourcePolicy]
    var roleFragments = Fragments()
    var flowFragments = Fragments()
    var roleSide: Merged?
    var flowSide: Merged?

    init(profiles: [InferenceProfileDecoder.Profile], lambdaPolicies: [LambdaResourcePolicy]) {
        self.profiles = profiles
        self.lambdaPolicies = lambdaPolicies
    }

    /// Roles, policies and everything else but flows; inference profiles and Lambda policies too.
    func mergeRoleSide() {
        var fragments = Fragments()
        swap(&fragments, &roleFragments)
        roleSide = InventoryAssembler.merge(fragments, profiles: profiles, lambdaPolicies: lambdaPolicies)
    }

    func mergeFlowSide() {
        var fragments = Fragments()
        swap(&fragments, &flowFragments)
        flowSide = InventoryAssembler.merge(fragments, profiles: [], lambdaPolicies: [])
    }
}

/// Every bad-input error found, in input order.
public struct InventoryReadError: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]

    public init(errors: [InputError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
