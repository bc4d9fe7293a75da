/// Context mode for many requests on the resource a policy is attached to (no `resource`: a trust
/// policy's role) that differ only in their principal, their action and the values of a few
/// condition keys — the trust invariants' probes — with each condition clause evaluated once per
/// value of its key rather than once per request.
///
/// A statement applies to a request when its `Principal` and `Action` do and its `Condition`
/// holds (``Statement/evaluate(_:substitutesVariables:)``); the first two depend on the principal
/// and action only (``requestMatches(principal:action:)``, once per pair), and each clause on the
/// values of its own key only, unless it fills policy variables from others
/// (``ConditionClause/readsOtherKeys(substitutesVariables:)``): such a clause is evaluated per
/// key set, against the whole context. Answers are memoised as they are asked for, so a grid is
/// a value each caller owns. For every request, ``statementResult(_:request:keySet:)`` is the
/// `MatchResult` the statement's `evaluate` gives, and ``isAllowed(document:request:keySet:)`` is
/// `PolicyDocument.evaluate(_:).isAllowed` (`ContextGridTests`).
public struct ContextGrid: Sendable {
    /// How a clause is memoised.
    private enum ClauseKind: Sendable {
        /// On a key of the grid, read alone: one slot per value of that key, then one for absent.
        case keyed(key: Int)
        /// On a key the grid does not set: always absent, one slot.
        case absent
        /// Reads other keys (policy variables): one slot per key set.
        case perKeySet
    }

    private static let noKeys = ContextKeys()

    /// The condition keys the grid sets, as given.
    public let keys: [String]
    /// For each key, the values a key set may give it (one value each).
    public let values: [[String]]
    /// Key set `k` gives key `i` the value `values[i][keySets[k * keys.count + i]]`, or nothing
    /// when that index is negative.
    public let keySets: [Int]
    /// The number of key sets.
    public let keySetCount: Int

    /// Every statement of every document, document by document.
    private let statements: [Statement]
    /// For each document, the index of its first statement in ``statements``; one more entry at the end.
    private let documentStarts: [Int]
    /// For each statement, its clauses' range in ``clauses``.
    private let clauseStarts: [Int]
    /// Every clause, statement by statement; how each is memoised, whether its document fills
    /// policy variables, and its first memo slot. (Kept apart so that a memo hit copies no clause.)
    private let clauses: [ConditionClause]
    private let clauseKinds: [ClauseKind]
    private let clauseSubstitutes: [Bool]
    private let clauseOffsets: [Int]
    /// Clause outcomes by slot: nil until asked for.
    private var clauseMemo: [MatchResult?]
    /// Condition outcomes by (statement, key set): nil until asked for.
    private var conditionMemo: [MatchResult?]

    /// `keySets` is flat: `keys.count` indices per key set (see ``keySets``). Keys are compared
    /// case-insensitively, as in ``ContextKeys``; they must differ in more than case.
    public init(documents: [PolicyDocument], keys: [String], values: [[String]], keySets: [Int]) {
        precondition(values.count == keys.count, "one list of values per key")
        precondition(keys.isEmpty ? keySets.isEmpty : keySets.count % keys.count == 0, "whole key sets")
        self.keys = keys
        self.values = values
        self.keySets = keySets
        let keySetCount = keys.isEmpty ? 0 : keySets.count / keys.count
        self.keySetCount = keySetCount
        let lowercasedKeys = keys.map { $0.lowercased() }

        var statements: [Statement] = []
        var documentStarts: [Int] = []
        var clauseStarts: [Int] = []
        var clauses: [ConditionClause] = []
        var clauseKinds: [ClauseKind] = []
        var clauseSubstitutes: [Bool] = []
        var clauseOffsets: [Int] = []
        var slots = 0
        for document in documents {
            documentStarts.append(statements.count)
            let substitutes = document.version.substitutesPolicyVariables
            // Appended whole, then read in place: a loop variable copied (retained) each statement.
            let first = statements.count
            statements.append(contentsOf: document.statements)
            for position in first..<statements.count {
                clauseStarts.append(clauses.count)
                for clause in statements[position].condition?.clauses ?? [] {
                    let kind: ClauseKind
                    let count: Int
                    if clause.readsOtherKeys(substitutesVariables: substitutes) {
                        kind = .perKeySet
                        count = keySetCount
                    } else if let key = lowercasedKeys.firstIndex(of: clause.lowercasedKey) {
                        kind = .keyed(key: key)
                        count = values[key].count + 1
                    } else {
                        kind = .absent
                        count = 1
                    }
                    clauses.append(clause)
                    clauseKinds.append(kind)
                    clauseSubstitutes.append(substitutes)
                    clauseOffsets.append(slots)
                    slots += count
                }
            }
        }
        documentStarts.append(statements.count)
        clauseStarts.append(clauses.count)
        self.statements = statements
        self.documentStarts = documentStarts
        self.clauseStarts = clauseStarts
        self.clauses = clauses
        self.clauseKinds = clauseKinds
        self.clauseSubstitutes = clauseSubstitutes
        self.clauseOffsets = clauseOffsets
        clauseMemo = Array(repeating: nil, count: slots)
        conditionMemo = Array(repeating: nil, count: statements.count * keySetCount)
    }

    /// The statements of document `document`, as indices for ``statementResult(_:request:keySet:)``.
    public func statementIndices(of document: Int) -> Range<Int> {
        documentStarts[document]..<documentStarts[document + 1]
    }

    /// For every statement, whether its `Principal` (when it has one) and `Action` admit the
    /// pair: the part of the answer the condition keys do not change.
    public func requestMatches(principal: RequestPrincipal, action: String) -> [MatchResult] {
        // Read in place: mapping copied (retained) every statement.
        statements.withUnsafeBufferPointer { statements in
            var results: [MatchResult] = []
            results.reserveCapacity(statements.count)
            for index in statements.indices {
                var result = MatchResult.match
                if let admitted = statements[index].principal?.match(principal) {
                    if admitted == .noMatch {
                        results.append(.noMatch)
                        continue
                    }
                    result = admitted
                }
                results.append(result.and(statements[index].action.match(action)))
            }
            return results
        }
    }

    /// Whether statement `statement` applies to the request of `request` (from
    /// ``requestMatches(principal:action:)``) with key set `keySet`.
    public mutating func statementResult(_ statement: Int, request: [MatchResult], keySet: Int) -> MatchResult {
        let admitted = request[statement]
        if admitted == .noMatch { return .noMatch }
        return admitted.and(condition(statement, keySet: keySet))
    }

    /// `PolicyDocument.evaluate(_:).isAllowed` for document `document`: `true` allowed, `false`
    /// denied or not allowed, nil unknown.
    public mutating func isAllowed(document: Int, request: [MatchResult], keySet: Int) -> Bool? {
        // As ``ContextResult``: an explicit Deny wins, then an Allow; otherwise not allowed.
        var allowed = false
        var undeterminedAllow = false
        var undeterminedDeny = false
        for index in statementIndices(of: document) where request[index] != .noMatch {
            switch statementResult(index, request: request, keySet: keySet) {
            case .noMatch:
                continue
            case .match:
                if statements[index].effect == .deny { return false }
                allowed = true
            case .unknown:
                switch statements[index].effect {
                case .allow: undeterminedAllow = true
                case .deny: undeterminedDeny = true
                }
            }
        }
        if !allowed, !undeterminedAllow { return false }
        return allowed && !undeterminedDeny ? true : nil
    }

    /// The request context of key set `keySet` (for messages, and the clauses that read other keys).
    public func contextKeys(_ keySet: Int) -> ContextKeys {
        var dictionary: [String: [String]] = [:]
        for key in keys.indices {
            let value = keySets[keySet * keys.count + key]
            if value >= 0 { dictionary[keys[key], default: []].append(values[key][value]) }
        }
        return ContextKeys(dictionary)
    }

    /// Whether the statement's `Condition` holds (`.match` without one), memoised.
    private mutating func condition(_ statement: Int, keySet: Int) -> MatchResult {
        let slot = statement * keySetCount + keySet
        if let known = conditionMemo[slot] { return known }
        // AND over the clauses, `.noMatch` winning (as ``ConditionBlock/evaluate(_:substitutesVariables:)``).
        var result = MatchResult.match
        for index in clauseStarts[statement]..<clauseStarts[statement + 1] {
            result = result.and(clause(index, keySet: keySet))
            if result == .noMatch { break }
        }
        conditionMemo[slot] = result
        return result
    }

    private mutating func clause(_ index: Int, keySet: Int) -> MatchResult {
        let kind = clauseKinds[index]
        let slot: Int
        var value = -1
        switch kind {
        case .keyed(let key):
            value = keySets[keySet * keys.count + key]
            slot = clauseOffsets[index] + (value >= 0 ? value : values[key].count)
        case .absent:
            slot = clauseOffsets[index]
        case .perKeySet:
            slot = clauseOffsets[index] + keySet
        }
        if let known = clauseMemo[slot] { return known }
        let substitutes = clauseSubstitutes[index]
        let result: MatchResult
        switch kind {
        case .keyed(let key):
            // One value, without an array for it.
            let present = value >= 0 ? CollectionOfOne(values[key][value]) : nil
            result =
                clauses[index].evaluate(present: present, context: Self.noKeys, substitutesVariables: substitutes)
                .result
        case .absent:
            result =
                clauses[index].evaluate(
                    present: [String]?.none, context: Self.noKeys, substitutesVariables: substitutes
                ).result
        case .perKeySet:
            result = clauses[index].evaluate(contextKeys(keySet), substitutesVariables: substitutes).result
        }
        clauseMemo[slot] = result
        return result
    }
}
