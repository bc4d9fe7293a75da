import IAMPolicy

/// The probes of invariant 1 (DESIGN, "Safety invariants"): every literal action and resource of
/// the documents and the required pairs, probed together — the required pairs first, then the
/// first 40 × 40 literals (wildcards replaced by a concrete instance, sorted), then 64 seeded
/// random pairs, some resources with a `:7` qualifier.
///
/// Each pair is kept as indices into tables of the distinct texts probed, so a policy set can be
/// matched against each text once (``ProofGrid``). ``expanded`` is exactly
/// ``GrantInvariants/referenceProbes(seed:documents:required:)``, in the same order.
struct GrantProbes {
    struct Probe: Hashable {
        var action: Int
        var resource: Int
    }

    /// The actions probed (a text may appear twice: the required ones are not merged).
    private(set) var actions: [String] = []
    /// The resources probed (likewise).
    private(set) var resources: [String] = []
    /// The pairs, in the reference's order.
    private(set) var pairs: [Probe] = []

    /// `seed` is the role's ARN; `required` the role's required (action, resource) pairs.
    init(seed: String, documents: [PolicyDocument], required: [(action: String, resource: String)]) {
        // The element patterns are the strings of `Action`/`NotAction` and `Resource`/`NotResource`
        // as written (a document has at most one of each pair, or it would not have parsed).
        // Sized up front: growing a set rehashes every text already in it.
        var actionCount = required.count
        var resourceCount = required.count
        for document in documents {
            for statement in document.statements {
                actionCount += statement.action.patterns.count
                resourceCount += statement.resource?.patterns.count ?? 0
            }
        }
        var actionTexts = Set<String>(minimumCapacity: actionCount)
        var resourceTexts = Set<String>(minimumCapacity: resourceCount)
        for document in documents {
            for statement in document.statements {
                for pattern in statement.action.patterns { actionTexts.insert(pattern.text) }
                for pattern in statement.resource?.patterns ?? [] { resourceTexts.insert(pattern.text) }
            }
        }
        for pair in required {
            actionTexts.insert(pair.action)
            resourceTexts.insert(pair.resource)
        }
        let actionList = actionTexts.map { $0.replacingStars(with: "flowroleprobe") }.sorted()
        let resourceList = resourceTexts.map { $0.replacingStars(with: "flowrole-probe") }.sorted()

        pairs.reserveCapacity(required.count + 40 * 40 + 64)
        for pair in required {
            actions.append(pair.action)
            resources.append(pair.resource)
            pairs.append(Probe(action: actions.count - 1, resource: resources.count - 1))
        }
        // Table slots of the list entries, filled when first probed: a resource's plain form at
        // 2·i, its `:7` form at 2·i + 1.
        var actionSlots = [Int](repeating: -1, count: actionList.count)
        var resourceSlots = [Int](repeating: -1, count: resourceList.count * 2)
        func action(_ index: Int) -> Int {
            if actionSlots[index] < 0 {
                actionSlots[index] = actions.count
                actions.append(actionList[index])
            }
            return actionSlots[index]
        }
        func resource(_ index: Int, qualified: Bool) -> Int {
            let slot = index * 2 + (qualified ? 1 : 0)
            if resourceSlots[slot] < 0 {
                resourceSlots[slot] = resources.count
                resources.append(qualified ? resourceList[index] + ":7" : resourceList[index])
            }
            return resourceSlots[slot]
        }
        for actionIndex in 0..<min(actionList.count, 40) {
            let probed = action(actionIndex)
            for resourceIndex in 0..<min(resourceList.count, 40) {
                pairs.append(Probe(action: probed, resource: resource(resourceIndex, qualified: false)))
            }
        }
        var random = SplitMix(arn: seed)
        for _ in 0..<64 where !actionList.isEmpty && !resourceList.isEmpty {
            // The reference's order of draws: action, resource, qualifier.
            let actionIndex = Int(random.next() % UInt64(actionList.count))
            let resourceIndex = Int(random.next() % UInt64(resourceList.count))
            let qualified = random.next() % 2 != 0
            pairs.append(Probe(action: action(actionIndex), resource: resource(resourceIndex, qualified: qualified)))
        }
    }

    /// The pairs as text.
    var expanded: [GrantInvariants.Pair] {
        pairs.map { GrantInvariants.Pair(actions[$0.action], resources[$0.resource]) }
    }

    /// Whether every text probed is ASCII (then `String` equality is byte equality).
    var isASCII: Bool {
        actions.allSatisfy(\.utf8.isASCII) && resources.allSatisfy(\.utf8.isASCII)
    }
}

extension String.UTF8View {
    fileprivate var isASCII: Bool {
        withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } } ?? allSatisfy { $0 < 0x80 }
    }

    /// Whether the text has a `*` or `?` byte.
    fileprivate var hasWildcard: Bool {
        func wildcard(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") }
        return withContiguousStorageIfAvailable { bytes in bytes.contains(where: wildcard) }
            ?? contains(where: wildcard)
    }
}

extension String {
    /// ``referenceReplacingStars(with:)``, byte by byte when the text is ASCII (no `*` or `?` can
    /// then carry a combining mark) and unchanged when it has neither.
    fileprivate func replacingStars(with text: String) -> String {
        guard utf8.hasWildcard else { return self }
        guard utf8.isASCII else { return referenceReplacingStars(with: text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + text.utf8.count)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "*"): bytes.append(contentsOf: text.utf8)
            case UInt8(ascii: "?"): bytes.append(UInt8(ascii: "x"))
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
