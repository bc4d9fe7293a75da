import Crypto
import Testing

@testable import Inventory

/// Digests are written as `referenceHex` writes them, and the known SHA-256 of "abc" reads right.
@Suite("content digest")
struct ContentDigestTests {
    @Test func hexIsTheReferences() {
        var random = SeededGenerator(seed: 3)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let digest = SHA256.hash(data: bytes)
            #expect(ContentDigest.hex(digest) == ContentDigest.referenceHex(digest))
            #expect(ContentDigest.sha256(bytes) == ContentDigest.referenceHex(digest))
        }
        #expect(
            ContentDigest.sha256(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
