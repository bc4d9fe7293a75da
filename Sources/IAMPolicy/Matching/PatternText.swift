/// Reads pattern text into pieces and matches them: the glob engine behind actions, resources
/// and the string/ARN condition operators.
enum PatternText {
    /// Splits `text` into pieces. With `wildcards` off, `*` and `?` are literal; with `variables`
    /// off, `${…}` is literal text (2008-10-17 and versionless documents).
    static func pieces(_ text: String, wildcards: Bool, variables: Bool) -> [PatternPiece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [PatternPiece] = []
        pieces.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if variables, scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
                let close = scalars[(index + 2)...].firstIndex(of: "}")
            {
                let inner = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                switch inner {
                case "*": pieces.append(.literal("*"))
                case "?": pieces.append(.literal("?"))
                case "$": pieces.append(.literal("$"))
                default: pieces.append(.variable(variable(inner)))
                }
                index = close + 1
                continue
            }
            if wildcards, scalar == "*" {
                pieces.append(.anyRun)
            } else if wildcards, scalar == "?" {
                pieces.append(.anyOne)
            } else {
                pieces.append(.literal(scalar))
            }
            index += 1
        }
        return pieces
    }

    /// `key` or `key, 'default'`.
    private static func variable(_ inner: String) -> PolicyVariable {
        guard let comma = inner.firstIndex(of: ",") else {
            return PolicyVariable(key: inner.trimmingSpaces())
        }
        let key = String(inner[..<comma]).trimmingSpaces()
        var rest = String(inner[inner.index(after: comma)...]).trimmingSpaces()
        if rest.count >= 2, rest.hasPrefix("'"), rest.hasSuffix("'") {
            rest = String(rest.dropFirst().dropLast())
        }
        return PolicyVariable(key: key, defaultValue: rest)
    }

    /// Replaces variables: with their values from `values`, or nil when one cannot be filled.
    static func substitute(_ pieces: [PatternPiece], values: PolicyVariableValues) -> [PatternPiece]? {
        guard pieces.contains(where: { if case .variable = $0 { true } else { false } }) else { return pieces }
        guard case .context(let keys) = values else { return nil }
        var out: [PatternPiece] = []
        for piece in pieces {
            guard case .variable(let variable) = piece else {
                out.append(piece)
                continue
            }
            let text: String
            if let found = keys[variable.key] {
                guard found.count == 1 else { return nil }
                text = found[0]
            } else if let fallback = variable.defaultValue {
                text = fallback
            } else {
                return nil
            }
            out.append(contentsOf: text.unicodeScalars.map(PatternPiece.literal))
        }
        return out
    }

    /// Every variable taken as `*`: a pattern that matches at least whatever any value would.
    static func widened(_ pieces: [PatternPiece]) -> [PatternPiece] {
        pieces.map { if case .variable = $0 { .anyRun } else { $0 } }
    }

    static func hasVariables(_ pieces: [PatternPiece]) -> Bool {
        pieces.contains { if case .variable = $0 { true } else { false } }
    }

    /// Glob match of the whole of `scalars` (variables, if any are left, count as `*`).
    static func matches(_ pieces: [PatternPiece], _ scalars: [Unicode.Scalar]) -> Bool {
        var pattern = 0
        var subject = 0
        var starPattern = -1
        var starSubject = 0
        while subject < scalars.count {
            if pattern < pieces.count {
                switch pieces[pattern] {
                case .literal(let scalar) where scalar == scalars[subject]:
                    pattern += 1
                    subject += 1
                    continue
                case .anyOne:
                    pattern += 1
                    subject += 1
                    continue
                case .anyRun, .variable:
                    starPattern = pattern
                    starSubject = subject
                    pattern += 1
                    continue
                case .literal:
                    break
                }
            }
            guard starPattern >= 0 else { return false }
            pattern = starPattern + 1
            starSubject += 1
            subject = starSubject
        }
        while pattern < pieces.count {
            switch pieces[pattern] {
            case .anyRun, .variable: pattern += 1
            default: return false
            }
        }
        return true
    }

    static func matches(_ pieces: [PatternPiece], _ text: String) -> Bool {
        matches(pieces, Array(text.unicodeScalars))
    }

    /// Three-valued match allowing for variables: certain when there are none (or all were
    /// filled); otherwise `.noMatch` if even `*` in their place fails, else `.unknown`.
    static func match(_ pieces: [PatternPiece], _ text: String, values: PolicyVariableValues) -> MatchResult {
        if let concrete = substitute(pieces, values: values) {
            return MatchResult(matches(concrete, text))
        }
        return matches(widened(pieces), text) ? .unknown : .noMatch
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " }),
            let last = scalars.lastIndex(where: { $0 != " " })
        else { return "" }
        return String(scalars[first...last])
    }
}
