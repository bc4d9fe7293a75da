import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// Hostile XML: nothing an entity or DTD could bring in may be read, expanded or returned.
@Suite("XMLTreeReader rejects hostile XML")
struct XMLTreeReaderSecurityTests {
    /// A file with unique random content that the hostile documents name; the content must never
    /// appear in anything the reader returns or reports.
    struct Canary {
        let url: URL
        let content: String

        init(in directory: URL) throws {
            content = "flowrole-canary-\(UUID().uuidString)-\(UInt64.random(in: .min ... .max))"
            url = directory.appendingPathComponent("canary.txt")
            try Data(content.utf8).write(to: url)
            // The test would prove nothing if the file could not be read.
            #expect(try String(contentsOf: url, encoding: .utf8) == content)
        }

        /// The canary's content is nowhere in `error` (any of its fields).
        func expectAbsent(from error: InputError?, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let error else { return }
            #expect(!error.description.contains(content), sourceLocation: sourceLocation)
            #expect(!error.message.contains(content), sourceLocation: sourceLocation)
            #expect(!error.file.contains(content), sourceLocation: sourceLocation)
            #expect(!(error.pointer ?? "").contains(content), sourceLocation: sourceLocation)
        }
    }

    static let entityRejection = "AWS exports never declare entities, so it is rejected (hostile or not an export)"

    @Test("an external entity naming a real file is rejected at its declaration; the file's content goes nowhere")
    func externalEntity() throws {
        try XMLTestSupport.withTemporaryDirectory { directory in
            let canary = try Canary(in: directory)
            let xml = """
                <?xml version="1.0"?>
                <!DOCTYPE GetRoleResponse [
                  <!ENTITY leak SYSTEM "\(canary.url.absoluteString)">
                ]>
                <GetRoleResponse><GetRoleResult><Role><RoleName>&leak;</RoleName></Role></GetRoleResult></GetRoleResponse>
                """
            var returned: XMLDocumentTree?
            var failure: InputError?
            do throws(InputError) {
                returned = try XMLTestSupport.read(xml, file: "hostile/xxe.xml")
            } catch {
                failure = error
            }
            #expect(returned == nil)
            if let returned {
                #expect(!XMLTestSupport.allStrings(in: returned.value).contains { $0.contains(canary.content) })
            }
            let error = try #require(failure)
            canary.expectAbsent(from: error)
            #expect(error.file == "hostile/xxe.xml")
            #expect(error.line == 3)
            #expect(error.column != nil)
            #expect(
                error.description.hasPrefix(
                    "hostile/xxe.xml:3:\(error.column ?? 0): error: the document declares the entity \"leak\"; "))
            #expect(error.description.hasSuffix(Self.entityRejection))
        }
    }

    @Test("the same external entity in an attribute value or in a second document is rejected too")
    func externalEntityElsewhere() throws {
        try XMLTestSupport.withTemporaryDirectory { directory in
            let canary = try Canary(in: directory)
            let documents = [
                "<!DOCTYPE r [<!ENTITY leak SYSTEM \"\(canary.url.absoluteString)\">]><r a=\"&leak;\"/>",
                "<!DOCTYPE r [<!ENTITY leak SYSTEM \"\(canary.url.path)\">]><r>&leak;</r>",
                "<!DOCTYPE r [<!ENTITY leak PUBLIC \"-//x//y\" \"\(canary.url.absoluteString)\">]><r>&leak;</r>",
                "<!DOCTYPE r [<!NOTATION n SYSTEM \"x\"><!ENTITY leak SYSTEM \"\(canary.url.absoluteString)\" NDATA n>]><r/>",
            ]
            for xml in documents {
                let error = XMLTestSupport.error(reading: xml)
                #expect(error?.message.contains("declares the entity \"leak\"") == true, "\(xml)")
                canary.expectAbsent(from: error)
            }
        }
    }

    @Test("a parameter entity is rejected at its declaration, before it is referenced")
    func parameterEntity() throws {
        let xml = """
            <!DOCTYPE r [
              <!ENTITY % p "<!ENTITY inner 'expanded'>">
              %p;
            ]>
            <r>&inner;</r>
            """
        let error = try #require(XMLTestSupport.error(reading: xml))
        #expect(error.line == 2)
        #expect(error.message.hasPrefix("the document declares the entity \"%p\""))
        #expect(!error.description.contains("expanded"))
    }

    @Test("an external parameter entity naming a real file is rejected; the file's content goes nowhere")
    func externalParameterEntity() throws {
        try XMLTestSupport.withTemporaryDirectory { directory in
            let canary = try Canary(in: directory)
            // The canary file holds a declaration, as a real attack's DTD would.
            try Data("<!ENTITY inner \"\(canary.content)\">".utf8).write(to: canary.url)
            let xml = """
                <!DOCTYPE r [
                  <!ENTITY % remote SYSTEM "\(canary.url.absoluteString)">
                  %remote;
                ]>
                <r>&inner;</r>
                """
            let error = try #require(XMLTestSupport.error(reading: xml))
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("the document declares the entity \"%remote\""))
            canary.expectAbsent(from: error)
        }
    }

    /// 10 levels of 10 references each: `&lol10;` would expand to 10^10 copies of "lol".
    static let billionLaughs: String = {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol0 \"lol\">\n"
        for level in 1...10 {
            xml += "  <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        xml += "]>\n<lolz>&lol10;</lolz>\n"
        return xml
    }()

    @Test("a billion-laughs bomb (10 levels × 10) is rejected at once")
    func billionLaughs() throws {
        let clock = ContinuousClock()
        var error: InputError?
        let elapsed = clock.measure { error = XMLTestSupport.error(reading: Self.billionLaughs, file: "bomb.xml") }
        let rejection = try #require(error)
        #expect(rejection.message.hasPrefix("the document declares the entity \"lol0\""))
        #expect(rejection.line == 3)
        #expect(elapsed < .seconds(5), "hang guard, not a performance assertion: \(elapsed)")
        print("XML reader: billion-laughs bomb rejected in \(elapsed)")
    }

    @Test("a DOCTYPE naming an external DTD is rejected (SYSTEM and PUBLIC), even with nothing else in it")
    func externalDTD() throws {
        try XMLTestSupport.withTemporaryDirectory { directory in
            let canary = try Canary(in: directory)
            let documents = [
                "<!DOCTYPE r SYSTEM \"\(canary.url.absoluteString)\"><r/>",
                "<!DOCTYPE r PUBLIC \"-//flowrole//test//EN\" \"\(canary.url.absoluteString)\"><r/>",
                "<!DOCTYPE r SYSTEM \"\(canary.url.absoluteString)\" [<!ELEMENT r EMPTY>]><r/>",
                "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/never-fetched.dtd\"><r/>",
            ]
            for xml in documents {
                let error = XMLTestSupport.error(reading: xml, file: "dtd.xml")
                #expect(error?.message.contains("names an external DTD") == true, "\(xml)")
                #expect(error?.line == 1)
                canary.expectAbsent(from: error)
            }
        }
    }

    @Test("an internal DTD subset without entities is harmless and allowed")
    func internalSubsetWithoutEntities() throws {
        let tree = try XMLTestSupport.read("<!DOCTYPE r [<!ELEMENT r (#PCDATA)><!ATTLIST r a CDATA \"d\">]><r>text</r>")
        #expect(tree.value == "text")
    }

    @Test("a reference to an undeclared entity is an error, with or without a DOCTYPE")
    func undeclaredEntity() throws {
        for xml in ["<r>&nope;</r>", "<!DOCTYPE r []><r>&nope;</r>", "<r a='&nope;'/>"] {
            let error = try #require(XMLTestSupport.error(reading: xml))
            #expect(error.message.contains("nope"), "\(error)")
            #expect(error.line == 1)
        }
    }

    @Test("reads on many threads at once give the serial results and the right errors")
    func concurrentReads() async throws {
        let names = XMLTreeReaderFixtureTests.iamQueryFiles
        var expected: [String: XMLDocumentTree] = [:]
        var inputs: [String: [UInt8]] = [:]
        for name in names {
            let bytes = try XMLTestSupport.fixtureBytes("iam/query/\(name)")
            inputs[name] = bytes
            expected[name] = try XMLTreeReader.read(bytes, file: name)
        }
        let jobs = (0..<64).map { index in (index, names[index % names.count]) }
        let outcomes = await withTaskGroup(of: (Int, String, Bool).self) { group in
            for (index, name) in jobs {
                let bytes = inputs[name] ?? []
                let want = expected[name]
                group.addTask {
                    if index % 4 == 3 {
                        // Interleave hostile and broken documents with good ones.
                        let error = XMLTestSupport.error(reading: Self.billionLaughs, file: "bomb\(index).xml")
                        return (index, name, error?.file == "bomb\(index).xml" && error?.line == 3)
                    }
                    let tree = try? XMLTreeReader.read(bytes, file: name)
                    return (index, name, tree == want)
                }
            }
            var all: [(Int, String, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.count == jobs.count)
        for outcome in outcomes { #expect(outcome.2, "job \(outcome.0) (\(outcome.1))") }
    }
}
