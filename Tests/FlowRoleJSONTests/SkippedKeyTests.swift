import Testing

@testable import FlowRoleJSON

/// `JSONParseOptions.isSkipped` answers as `skippedKeys.contains` does (canonical equivalence),
/// for the flow reader's keys and for sets its byte table cannot serve.
@Suite("skipped keys")
struct SkippedKeyTests {
    static let flowKeys: Set<String> = [
        "connections", "inputs", "outputs", "templateConfiguration", "inferenceConfiguration",
        "additionalModelRequestFields", "code", "promptTemplate", "orchestrationConfiguration",
    ]

    /// Keys near the skipped ones: each with one character changed, cut, doubled, made non-ASCII
    /// (KELVIN SIGN is canonically K; a combining acute after a letter; an é written two ways).
    static func candidates(_ random: inout SeededRandom, near keys: Set<String>) -> [String] {
        let alphabet = Array("abcdeKkoinpt;`\u{212A}\u{301}\u{E9}e\u{301}Ω\u{2126}")
        var out: [String] = ["", "K", "\u{212A}", "name", "type", "nodes", "configuration"]
        for key in keys.sorted() {
            out.append(key)
            var characters = Array(key)
            out.append(String(characters.dropLast()))
            out.append(key + key)
            for _ in 0..<20 {
                let position = Int.random(in: 0..<characters.count, using: &random)
                characters[position] = alphabet.randomElement(using: &random) ?? "a"
                out.append(String(characters))
                characters = Array(key)
            }
        }
        return out
    }

    @Test func answersAsTheSetDoes() {
        var random = SeededRandom(seed: 5)
        let sets: [Set<String>] = [
            Self.flowKeys, [], ["K"], ["\u{212A}"], ["code", "node"], ["caf\u{E9}"], ["cafe\u{301}"], ["a;b", "x`"],
            ["Kind", "kind"],
        ]
        var checked = 0
        for keys in sets {
            let options = JSONParseOptions(skipInside: "definition", skippedKeys: keys)
            for key in Self.candidates(&random, near: keys.union(Self.flowKeys)) {
                #expect(options.isSkipped(key) == keys.contains(key), "\(key.unicodeScalars.map(\.value)) in \(keys)")
                checked += 1
            }
        }
        #expect(checked > 1_000)
        // The set can change after the options are made.
        var options = JSONParseOptions(skipInside: "definition", skippedKeys: ["code"])
        options.skippedKeys = ["inputs"]
        #expect(options.isSkipped("inputs") && !options.isSkipped("code"))
    }
}
