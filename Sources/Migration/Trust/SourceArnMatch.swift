import IAMPolicy

/// Matching one `aws:SourceArn` value against a concrete source ARN with the evaluator's own
/// condition semantics (ArnLike per component, StringLike across colons, …).
enum SourceArnMatch {
    static func matches(operatorName: String, value: String, sourceArn: String) -> MatchResult {
        let clause = ConditionClause(
            operatorName: operatorName, key: "aws:SourceArn", values: [.string(value)], isList: false)
        return clause.evaluate(["aws:SourceArn": [sourceArn]], substitutesVariables: false).result
    }
}
