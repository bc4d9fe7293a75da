extension JSONValue {
    /// Every string value in this value, depth first, in document order (object keys are not
    /// values). Finds the ARNs a policy document names wherever they sit.
    public var allStrings: [String] {
        var strings: [String] = []
        collectStrings(into: &strings)
        return strings
    }

    private func collectStrings(into strings: inout [String]) {
        switch self {
        case .string(let text): strings.append(text)
        case .array(let items): for item in items { item.collectStrings(into: &strings) }
        case .object(let members): for member in members { member.value.collectStrings(into: &strings) }
        default: break
        }
    }
}
