import FlowRoleJSON
import Foundation
import Testing

@testable import Inventory

/// The conversion rules and malformed input.
@Suite("XMLTreeReader conversion rules")
struct XMLTreeReaderConversionTests {
    // MARK: - Shapes

    @Test("member children → array in order; named children → object in document order")
    func arraysAndObjects() throws {
        let tree = try XMLTestSupport.read(
            """
            <Root>
              <Zeta>z</Zeta>
              <Alpha>
                <member>one</member>
                <member><Key>k</Key><Value>v</Value></member>
                <member/>
              </Alpha>
              <Mid>m</Mid>
            </Root>
            """)
        #expect(tree.rootName == "Root")
        #expect(tree.value == ["Zeta": "z", "Alpha": ["one", ["Key": "k", "Value": "v"], ""], "Mid": "m"])
        #expect(tree.value.objectMembers?.map(\.key) == ["Zeta", "Alpha", "Mid"])
        #expect(
            tree.lines == [
                "": 1, "/Zeta": 2, "/Alpha": 3, "/Alpha/0": 4, "/Alpha/1": 5, "/Alpha/1/Key": 5, "/Alpha/1/Value": 5,
                "/Alpha/2": 6, "/Mid": 8,
            ])
    }

    @Test("a root holding only text or nothing")
    func scalarRoots() throws {
        #expect(try XMLTestSupport.read("<a>hi</a>").value == "hi")
        #expect(try XMLTestSupport.read("<a/>").value == "")
        #expect(try XMLTestSupport.read("<a></a>").value == "")
        #expect(try XMLTestSupport.read("<a><member>x</member></a>").value == ["x"])
    }

    @Test("empty elements are \"\" whatever they stand for")
    func emptyElements() throws {
        let tree = try XMLTestSupport.read("<r><List/><Object></Object><Text/></r>")
        #expect(tree.value == ["List": "", "Object": "", "Text": ""])
    }

    @Test("text is kept exactly: no trimming, whitespace-only leaves kept, newlines kept")
    func textVerbatim() throws {
        let tree = try XMLTestSupport.read("<r><a>  padded  </a><b>   </b><c>line1\nline2\r\nline3</c><d>\t</d></r>")
        #expect(tree.value["a"] == "  padded  ")
        #expect(tree.value["b"] == "   ")
        // XML normalises CR LF to LF (XML 1.0 §2.11), so that is what the text holds.
        #expect(tree.value["c"] == "line1\nline2\nline3")
        #expect(tree.value["d"] == "\t")
    }

    @Test("whitespace between child elements is ignored, including a file's indentation and trailing newline")
    func whitespaceBetweenChildren() throws {
        let tree = try XMLTestSupport.read("\n\n  <r>\n\t<a>1</a>  \n  <b>2</b>\r\n</r>\n\n")
        #expect(tree.value == ["a": "1", "b": "2"])
        #expect(tree.lines[""] == 3)
        #expect(tree.lines["/a"] == 4)
    }

    @Test("XML escapes and character references are unescaped")
    func unescaping() throws {
        let tree = try XMLTestSupport.read(
            "<r><a>&amp;&lt;&gt;&quot;&apos;</a><b>&#65;&#x42;&#x1F600;</b><c>a &amp;amp; b</c></r>")
        #expect(tree.value["a"] == "&<>\"'")
        #expect(tree.value["b"] == "AB😀")
        #expect(tree.value["c"] == "a &amp; b")
    }

    @Test("CDATA is text, unescaped as written, and joins the text around it")
    func cdata() throws {
        let tree = try XMLTestSupport.read(
            "<r><a><![CDATA[<Statement> & \"x\" ]]]></a><b>pre<![CDATA[&amp;]]>post</b><c><![CDATA[]]></c></r>")
        #expect(tree.value["a"] == "<Statement> & \"x\" ]")
        #expect(tree.value["b"] == "pre&amp;post")
        #expect(tree.value["c"] == "")
    }

    @Test("a URL-encoded policy document survives as written")
    func urlEncodedText() throws {
        let document = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D%0A+%2B"
        #expect(try XMLTestSupport.read("<r><Doc>\(document)</Doc></r>").value["Doc"] == .string(document))
    }

    @Test("namespaces: local names are used, prefixes and declarations ignored")
    func namespaces() throws {
        let tree = try XMLTestSupport.read(
            """
            <iam:GetRoleResponse xmlns:iam="https://iam.amazonaws.com/doc/2010-05-08/" xmlns:x="urn:x">
              <iam:GetRoleResult><iam:Role x:attr="1"><iam:RoleName>R</iam:RoleName></iam:Role></iam:GetRoleResult>
              <ResponseMetadata xmlns="urn:other"><RequestId>id</RequestId></ResponseMetadata>
            </iam:GetRoleResponse>
            """)
        #expect(tree.rootName == "GetRoleResponse")
        #expect(tree.value == ["GetRoleResult": ["Role": ["RoleName": "R"]], "ResponseMetadata": ["RequestId": "id"]])
    }

    @Test("attributes, comments and processing instructions are ignored")
    func ignoredMarkup() throws {
        let tree = try XMLTestSupport.read(
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- leading comment -->
            <?pi before?>
            <r id="7">
              <!-- between children -->
              <a kind="x">va<!-- inside text -->lue</a>
              <?pi inside?>
              <b><member>1</member><!-- between members --><member>2</member></b>
            </r>
            <!-- trailing comment -->
            """)
        #expect(tree.value == ["a": "value", "b": ["1", "2"]])
    }

    @Test("non-ASCII text, and a document in ISO-8859-1, arrive as Unicode")
    func encodings() throws {
        #expect(try XMLTestSupport.read("<r>Zürich – 東京</r>").value == "Zürich – 東京")
        let latin1: [UInt8] =
            Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf".utf8) + [0xE9] + Array("</r>".utf8)
        #expect(try XMLTreeReader.read(latin1, file: "latin1.xml").value == "café")
        var utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
        utf8BOM += Array("<r>ok</r>".utf8)
        #expect(try XMLTreeReader.read(utf8BOM, file: "bom.xml").value == "ok")
    }

    @Test("long text (several parser buffers) is kept whole")
    func longText() throws {
        let long = String(repeating: "%7B%22Version%22 é ", count: 20_000)
        let tree = try XMLTestSupport.read("<r><Doc>\(long)</Doc></r>")
        #expect(tree.value["Doc"] == .string(long))
    }

    @Test("line numbers past 65535 are whole (XML_PARSE_BIG_LINES), for elements and for errors")
    func bigLines() throws {
        let padding = String(repeating: "\n", count: 70_000)
        let tree = try XMLTestSupport.read("<r>\(padding)<List>\n<member>a</member>\n</List>\n</r>")
        #expect(tree.lines["/List"] == 70_001)
        #expect(tree.lines["/List/0"] == 70_002)
        let error = try #require(XMLTestSupport.error(reading: "<r>\(padding)<a>\n</b>\n</r>"))
        #expect(error.line == 70_002)
        let shape = try #require(XMLTestSupport.error(reading: "<r>\(padding)<a/>\n<a/>\n</r>"))
        #expect(shape.line == 70_002)
        #expect(shape.message.contains("first on line 70001"))
    }

    @Test("the UnsafeRawBufferPointer entry point reads the same")
    func rawBufferEntryPoint() throws {
        let bytes = Array("<r><a>1</a></r>".utf8)
        let tree = try bytes.withUnsafeBytes { buffer throws(InputError) in
            try XMLTreeReader.read(buffer, file: "x.xml")
        }
        #expect(tree.value == ["a": "1"])
    }

    // MARK: - Shapes the rules reject

    @Test("non-whitespace text mixed with child elements is an error naming the line and the element")
    func mixedContent() throws {
        let cases: [(String, Int)] = [
            ("<r>\n<Role>\n  stray text\n  <RoleName>x</RoleName>\n</Role>\n</r>", 4),
            ("<r>\n<Role>\n  <RoleName>x</RoleName>\n  tail\n</Role>\n</r>", 5),
            ("<r>\n<List><member>a</member>oops<member>b</member></List>\n</r>", 2),
        ]
        for (xml, line) in cases {
            let error = try #require(XMLTestSupport.error(reading: xml, file: "mixed.xml"), "\(xml)")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains("mixes text"), "\(error)")
            #expect(error.message.contains(xml.contains("<List>") ? "\"List\"" : "\"Role\""), "\(error)")
            #expect(error.description.hasPrefix("mixed.xml:\(line):"))
        }
    }

    @Test("a repeated child name (other than member) is an error naming both lines and the element")
    func duplicateChildren() throws {
        let error = try #require(
            XMLTestSupport.error(
                reading: "<r>\n  <Role>\n    <RoleName>a</RoleName>\n    <RoleName>b</RoleName>\n  </Role>\n</r>"))
        #expect(error.line == 4)
        #expect(error.message.contains("\"Role\""))
        #expect(error.message.contains("\"RoleName\""))
        #expect(error.message.contains("first on line 3"))
    }

    @Test("a repeated child name is caught in wide objects too (past the linear scan)")
    func duplicateInWideObject() throws {
        let children = (0..<40).map { "<k\($0)>v</k\($0)>" }.joined(separator: "\n")
        #expect(try XMLTestSupport.read("<r>\n\(children)\n</r>").value.objectMembers?.count == 40)
        let error = try #require(XMLTestSupport.error(reading: "<r>\n\(children)\n<k3>again</k3>\n</r>"))
        #expect(error.line == 42)
        #expect(error.message.contains("\"k3\""))
        #expect(error.message.contains("first on line 5"))
    }

    @Test("member mixed with named children is an error, in either order")
    func memberMixedWithNames() throws {
        let first = try #require(
            XMLTestSupport.error(reading: "<r>\n<L>\n<member>a</member>\n<Name>b</Name>\n</L>\n</r>"))
        #expect(first.line == 4)
        #expect(first.message.contains("\"L\""))
        #expect(first.message.contains("<member>"))
        let second = try #require(
            XMLTestSupport.error(reading: "<r>\n<L>\n<Name>b</Name>\n<member>a</member>\n</L>\n</r>"))
        #expect(second.line == 4)
        #expect(second.message.contains("\"L\""))
    }

    // MARK: - Not XML, or not well-formed

    @Test("a truncated file is an error with line and column")
    func truncated() throws {
        let bytes = try XMLTestSupport.fixtureBytes("iam/query/GetAccountAuthorizationDetails.xml")
        let cut = Array(bytes[..<(bytes.count / 2)])
        let error = try #require(XMLTestSupport.error(reading: cut, file: "cut.xml"))
        let lastLine = XMLTestSupport.line(ofOffset: cut.count, in: cut)
        #expect(error.line == lastLine)
        #expect(error.column != nil)
        #expect(error.description.hasPrefix("cut.xml:\(lastLine):"))
        #expect(error.message.hasPrefix("not well-formed XML: "))
    }

    @Test("a mismatched end tag is an error with line, column and libxml2's first message")
    func mismatchedTag() throws {
        let error = try #require(
            XMLTestSupport.error(reading: "<r>\n  <Role>\n    <RoleName>x</RoleNam>\n  </Role>\n</r>", file: "bad.xml"))
        #expect(error.line == 3)
        #expect(error.column == 26)
        #expect(error.message == "not well-formed XML: Opening and ending tag mismatch: RoleName line 3 and RoleNam")
        #expect(error.description == "bad.xml:3:26: error: \(error.message)")
    }

    @Test("other malformed documents: each an error with a line")
    func otherMalformed() throws {
        let documents = [
            "<r><a>1</a></r><r2/>",  // two roots
            "<r>",  // unclosed
            "<r a=\"1\" a=\"2\"/>",  // duplicate attribute
            "<r><a></r>",  // unclosed child
            "<p:r/>",  // undeclared prefix
            "<r>\u{1}</r>",  // a character XML forbids
            "text before <r/>",
        ]
        for xml in documents {
            let error = try #require(XMLTestSupport.error(reading: xml), "\(xml)")
            #expect(error.line == 1, "\(error)")
            #expect(!error.message.isEmpty)
        }
        let invalidUTF8: [UInt8] = Array("<r>".utf8) + [0xFF, 0xFE] + Array("</r>".utf8)
        #expect(XMLTestSupport.error(reading: invalidUTF8)?.line == 1)
    }

    @Test("an empty or blank document is an error")
    func emptyDocument() throws {
        let empty = try #require(XMLTestSupport.error(reading: [UInt8](), file: "empty.xml"))
        #expect(empty.description == "empty.xml: error: the file is empty; expected an XML document")
        for blank in [" ", "\n\n", "<?xml version=\"1.0\"?>", "<!-- only a comment -->"] {
            let error = try #require(XMLTestSupport.error(reading: blank, file: "blank.xml"), "\(blank)")
            #expect(error.file == "blank.xml")
            #expect(error.line != nil, "\(error)")
        }
    }

    @Test("a non-XML file (JSON, binary) is an error with a position")
    func nonXML() throws {
        let json = try XMLTestSupport.fixtureBytes("bedrock-agent-xml/flows.export.json")
        let error = try #require(XMLTestSupport.error(reading: json, file: "flows.export.json"))
        #expect(error.line == 1)
        #expect(error.column == 1)
        #expect(error.message.hasPrefix("not well-formed XML: "))
        let binary: [UInt8] = [0x00, 0x01, 0x02, 0x89, 0x50, 0x4E, 0x47]
        #expect(XMLTestSupport.error(reading: binary) != nil)
    }
}

@Suite("XMLTreeReader sizing")
struct XMLTreeReaderSizingTests {
    @Test("the word-at-a-time `<` count equals a byte-by-byte count, at every length and alignment")
    func countOfOpeningBrackets() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("<</>ab<\u{3C}x".utf8) + [0x00, 0xFF, 0xBC, 0x3D, 0x3B]
        for length in 0..<80 {
            let bytes = (0..<(length + 3)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            for start in 0..<3 {
                let slice = Array(bytes[start..<(start + length)])
                let expected = slice.filter { $0 == UInt8(ascii: "<") }.count
                let counted = slice.withUnsafeBytes { XMLTreeReader.countOfOpeningBrackets($0) }
                #expect(counted == expected, "\(slice)")
            }
        }
    }
}
