import Testing

@testable import Reporting

@Suite("Renderers")
struct RendererTests {
    @Test func aUnifiedDiffHasHunksWithContextAndCorrectRanges() {
        let before = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...12).map { "line \($0)" }
        lines[1] = "line two"  // a change near the top
        lines.insert("added", at: 11)  // and one near the bottom, far enough for a second hunk
        let after = lines.joined(separator: "\n") + "\n"
        let diff = UnifiedDiff.render(before: before, after: after, fromName: "before", toName: "after")
        #expect(
            diff == """
                --- before
                +++ after
                @@ -1,5 +1,5 @@
                 line 1
                -line 2
                +line two
                 line 3
                 line 4
                 line 5
                @@ -9,4 +9,5 @@
                 line 9
                 line 10
                 line 11
                +added
                 line 12

                """)
        #expect(UnifiedDiff.render(before: before, after: before, fromName: "a", toName: "b") == "")
        #expect(
            UnifiedDiff.render(before: "", after: "x\n", fromName: "/dev/null", toName: "after")
                == "--- /dev/null\n+++ after\n@@ -0,0 +1,1 @@\n+x\n")
    }

    @Test func csvFieldsAreQuotedAsRFC4180Says() {
        #expect(SummaryCSV.field("plain") == "plain")
        #expect(SummaryCSV.field("a,b") == "\"a,b\"")
        #expect(SummaryCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(SummaryCSV.field("two\nlines") == "\"two\nlines\"")
        // CR LF is one Swift character, equal to neither CR nor LF; a comma with a combining mark
        // after it is another character than a comma. Both still need quotes.
        #expect(SummaryCSV.field("two\r\nlines") == "\"two\r\nlines\"")
        #expect(SummaryCSV.field("a,\u{301}b") == "\"a,\u{301}b\"")
    }

    @Test func htmlEscapesMarkup() {
        #expect(HTMLReport.escape("<b>\"x\" & y</b>") == "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;")
    }
}
