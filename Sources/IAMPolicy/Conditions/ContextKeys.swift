/// The condition keys of a request and their values. Keys are case-insensitive (IAM UG,
/// reference_policies_elements_condition: `aws:SourceArn` ≡ `AWS:sourcearn`); values are kept
/// as given and compared as each operator says. A key with an empty list is absent.
public struct ContextKeys: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var storage: [String: [String]]

    /// Keys that differ only in case are merged (values appended in key order).
    public init(_ values: [String: [String]] = [:]) {
        storage = [:]
        for key in values.keys.sorted() {
            guard let list = values[key], !list.isEmpty else { continue }
            storage[key.lowercased(), default: []].append(contentsOf: list)
        }
    }

    public init(dictionaryLiteral elements: (String, [String])...) {
        if let direct = Self.distinctKeys(elements) {
            self.init(storage: direct)
            return
        }
        var values: [String: [String]] = [:]
        for (key, list) in elements { values[key, default: []].append(contentsOf: list) }
        self.init(values)
    }

    private init(storage: [String: [String]]) {
        self.storage = storage
    }

    /// When the keys with values are distinct in every case (the usual literal): each list under
    /// its key lower-cased, which is what merging gives then (empty lists add nothing); else nil.
    private static func distinctKeys(_ elements: [(String, [String])]) -> [String: [String]]? {
        var storage: [String: [String]] = Dictionary(minimumCapacity: elements.count)
        for (key, list) in elements where !list.isEmpty {
            guard storage.updateValue(list, forKey: key.lowercased()) == nil else { return nil }
        }
        return storage
    }

    /// The values of `key` (any case), or nil when the key is absent.
    public subscript(key: String) -> [String]? {
        storage[key.lowercased()]
    }

    /// The values of `key`, already lower-cased, or nil when the key is absent.
    subscript(lowercased key: String) -> [String]? {
        storage[key]
    }

    /// Returns a copy with `key` set to `values` (an empty list removes it).
    public func setting(_ key: String, to values: [String]) -> ContextKeys {
        var copy = self
        copy.storage[key.lowercased()] = values.isEmpty ? nil : values
        return copy
    }

    /// The keys present, lower-cased, sorted.
    public var keys: [String] { storage.keys.sorted() }
}
