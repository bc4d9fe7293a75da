import FlowRoleJSON
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

    /// The actions probed (a text may appear twice: a required one with a wildcard, or one that
    /// two patterns both become once their wildcards are replaced, is not merged).
    private(set) var actions: [String] = []
    /// The resources probed (likewise).
    private(set) var resources: [String] = []
    /// The pairs, in the reference's order.
    private(set) var pairs: [Probe] = []
    /// Whether every text of the documents and the required pairs is ASCII: then the lists are
    /// sorted and made unique without hashing, and a required text without wildcards shares the
    /// table slot of its list entry (for ASCII, `String` equality is byte equality, so the slot
    /// holds the same bytes).
    private var textsAreASCII = false

    /// `seed` is the role's ARN; `required` the role's required (action, resource) pairs.
    init(seed: String, documents: [PolicyDocument], required: [(action: String, resource: String)]) {
        // The element patterns are the strings of `Action`/`NotAction` and `Resource`/`NotResource`
        // as written (a document has at most one of each pair, or it would not have parsed).
        var actionCount = required.count
        var resourceCount = required.count
        for document in documents {
            // By index: iterating copied (retained) every statement's fields.
            let statements = document.statements
            for index in statements.indices {
                actionCount += statements[index].action.patterns.count
                resourceCount += statements[index].resource?.patterns.count ?? 0
            }
        }
        var actionTexts: [String] = []
        var resourceTexts: [String] = []
        actionTexts.reserveCapacity(actionCount)
        resourceTexts.reserveCapacity(resourceCount)
        var ascii = true
        for document in documents {
            let statements = document.statements
            for index in statements.indices {
                for pattern in statements[index].action.patterns {
                    ascii = ascii && pattern.text.isASCII
                    actionTexts.append(pattern.text)
                }
                for pattern in statements[index].resource?.patterns ?? [] {
                    ascii = ascii && pattern.text.isASCII
                    resourceTexts.append(pattern.text)
                }
            }
        }
        for pair in required {
            ascii = ascii && pair.action.isASCII && pair.resource.isASCII
            actionTexts.append(pair.action)
            resourceTexts.append(pair.resource)
        }
        textsAreASCII = ascii
        let actionList = Self.list(actionTexts, ascii: ascii, replacingStarsWith: "flowroleprobe")
        let resourceList = Self.list(resourceTexts, ascii: ascii, replacingStarsWith: "flowrole-probe")

        pairs.reserveCapacity(required.count + 40 * 40 + 64)
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
        for pair in required {
            let probedAction: Int
            if ascii, let index = Self.position(of: pair.action, in: actionList) {
                probedAction = action(index)
            } else {
                actions.append(pair.action)
                probedAction = actions.count - 1
            }
            let probedResource: Int
            if ascii, let index = Self.position(of: pair.resource, in: resourceList) {
                probedResource = resource(index, qualified: false)
            } else {
                resources.append(pair.resource)
                probedResource = resources.count - 1
            }
            pairs.append(Probe(action: probedAction, resource: probedResource))
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

    /// The distinct texts with their wildcards replaced, sorted: the reference's list. ASCII
    /// texts are sorted and made unique by neighbours (equal ASCII texts are the same bytes, so
    /// whichever is kept reads the same); other text goes through a `Set` as the reference does,
    /// since which of two canonically equivalent spellings a set keeps decides the bytes probed.
    private static func list(_ texts: [String], ascii: Bool, replacingStarsWith star: String) -> [String] {
        guard ascii else {
            // Sized up front: growing a set rehashes every text already in it.
            var distinct = Set<String>(minimumCapacity: texts.count)
            for text in texts { distinct.insert(text) }
            return distinct.map { $0.replacingStars(with: star) }.sorted()
        }
        let sorted = texts.sorted()
        var list: [String] = []
        list.reserveCapacity(sorted.count)
        var replaced = false
        for index in sorted.indices where index == 0 || sorted[index] != sorted[index - 1] {
            if sorted[index].utf8.hasWildcard {
                replaced = true
                list.append(sorted[index].replacingStars(with: star))
            } else {
                list.append(sorted[index])
            }
        }
        // Texts without wildcards are their own replacement: the list is still sorted.
        if replaced { list.sort() }
        return list
    }

    /// Where `text` (ASCII, as is every entry) is in the sorted `list`, when it is a text of the
    /// list as such: a text with a wildcard never is (every entry has had its wildcards replaced).
    private static func position(of text: String, in list: [String]) -> Int? {
        guard !text.utf8.hasWildcard else { return nil }
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < text { low = middle + 1 } else { high = middle }
        }
        return low < list.count && list[low] == text ? low : nil
    }

    /// The pairs as text.
    var expanded: [GrantInvariants.Pair] {
        pairs.map { GrantInvariants.Pair(actions[$0.action], resources[$0.resource]) }
    }

    /// Whether every text probed is ASCII (then `String` equality is byte equality).
    var isASCII: Bool {
        textsAreASCII || (actions.allSatisfy(\.isASCII) && resources.allSatisfy(\.isASCII))
    }
}

extension String.UTF8View {
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
        guard isASCII else { return referenceReplacingStars(with: text) }
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
