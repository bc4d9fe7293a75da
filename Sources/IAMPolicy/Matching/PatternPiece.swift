/// One element of a pattern after reading `*`, `?` and `${…}`.
enum PatternPiece: Sendable, Hashable {
    case literal(Unicode.Scalar)
    /// `*`: any run of characters (possibly empty).
    case anyRun
    /// `?`: exactly one character.
    case anyOne
    case variable(PolicyVariable)
}
