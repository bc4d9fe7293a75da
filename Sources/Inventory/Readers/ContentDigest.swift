import Crypto
import Foundation

/// SHA-256 as lower-case hex: the digest of inputs in `plan.json` and of each role's `basis`.
public enum ContentDigest {
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(SHA256.hash(data: bytes))
    }

    public static func sha256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Two lower-case hex digits per byte, written into the string's storage (a string per byte,
    /// joined, cost as much as hashing a role's basis; there are 10,000 of them in a large plan).
    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// The definition `hex` follows, kept as its reference (ContentDigestTests).
    static func referenceHex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}

/// The SHA-256 of a mapped file, computed on another thread; each hashed stretch of the file is
/// released from memory as soon as it is hashed (the file must not be read after this starts).
final class BackgroundDigest: @unchecked Sendable {  // `digest` is written once, before `done` signals
    private let done = DispatchSemaphore(value: 0)
    private var digest = ""
    private var waited = false

    init(_ file: MappedFile) {
        // Its own thread, not the shared pool: the caller waits for it from a pool thread, and a
        // pool busy with other files must not leave the hash queued behind that wait.
        Thread { [self] in
            digest = file.withBytesUnchecked { bytes in
                var hasher = SHA256()
                let stretch = 8 << 20
                var offset = 0
                while offset < bytes.count {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + stretch)])
                    hasher.update(bufferPointer: slice)
                    file.release(offset..<(offset + slice.count))
                    offset += slice.count
                }
                return ContentDigest.hex(hasher.finalize())
            }
            done.signal()
        }.start()
    }

    /// The digest in hex, waiting for it (call from one thread).
    var value: String {
        if !waited {
            done.wait()
            waited = true
        }
        return digest
    }
}
