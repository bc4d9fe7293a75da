import Migration

/// `report.html`: the Markdown report's content as a plain, self-contained page (no scripts, no
/// network). The reviewer-grade HTML comes with the reports issue.
public enum HTMLReport {
    public static func render(_ plan: Plan) -> String {
        render(plan, markdown: MarkdownReport.render(plan))
    }

    /// The page around an already rendered Markdown report (render it once for both files).
    public static func render(_ plan: Plan, markdown: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>flowrole plan — \(escape(plan.migrationID))</title>
        <style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:80em}pre{background:#f6f8fa;padding:1em;overflow:auto}</style>
        </head><body>
        <pre>\(escape(markdown))</pre>
        </body></html>

        """
    }

    static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
