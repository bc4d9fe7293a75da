import FlowRoleJSON
import Foundation
import Synchronization
import Testing

/// A parse that gives passed pages of a file mapping back to the kernel reads the same values as
/// one that keeps them: released pages of a private file mapping read the file again.
@Suite("JSON parser releasing passed pages of a mapped file")
struct ReleasedPagesTests {
    @Test func theValuesAreThoseOfAParseThatKeepsThePages() throws {
        // A 40 MB array of small objects, mostly indentation (skipped bytes build nothing, so this
        // test process stays small: children it spawns start from its high-water mark): large
        // enough to be split across two threads and to pass several 16 MB stretches on each.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("released-\(UUID().uuidString).json")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try FileHandle(forWritingTo: url)
        let padding = String(repeating: " ", count: 640)
        var count = 0
        var chunk = "{\n  \"flows\": [\n"
        for index in 0..<60_000 {
            if index > 0 { chunk += ",\n" }
            chunk += "    {\"id\": \"F\(index)\",\(padding)\"note\": \"é-x\\n😀\", \"n\": \(index)}"
            if chunk.utf8.count > 1 << 20 || index == 59_999 {
                if index == 59_999 { chunk += "\n  ]\n}\n" }
                count += chunk.utf8.count
                try writer.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try writer.close()

        let descriptor = open(url.path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let mapped = try #require(mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, count) }
        let bytes = UnsafeRawBufferPointer(start: mapped, count: count)

        var releasing = JSONParseOptions(parallel: true)
        releasing.releasesPassedPages = true
        let splits = JSONParser.parallelSplits.load(ordering: .relaxed)
        let released = try JSONParser.parseAll(bytes, file: url.path, options: releasing).map(\.value)
        #expect(JSONParser.parallelSplits.load(ordering: .relaxed) > splits, "the array was not split")
        let kept = try JSONParser.parseAll(bytes, file: url.path, options: JSONParseOptions(parallel: true)).map(
            \.value)
        #expect(released == kept)
        #expect(released.first?["flows"]?.arrayValue?.count == 60_000)
        #expect(released.first?["flows"]?.arrayValue?.last?["id"]?.stringValue == "F59999")
        #expect(released.first?["flows"]?.arrayValue?.first?["note"]?.stringValue == "é-x\n😀")
    }
}
