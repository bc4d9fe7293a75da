extension JSONValue {
    /// Every string value in this value, depth first, in document order (object keys are not
    /// values). Finds the ARNs a policy document names wherever they sit.
    public var allStrings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.allStrings)
        case .object(let members): members.flatMap(\.value.allStrings)
        default: []
        }
    }
}
