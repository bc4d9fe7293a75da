import Migration

/// `report.html`: the Markdown report's content as a plain, self-contained page (no scripts, no
/// network). The reviewer-grade HTML comes with the reports issue.
public enum HTMLReport {
    public static func render(_ plan: Plan) -> String {
        let markdown = MarkdownReport.render(plan)
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>flowrole plan — \(escape(plan.migrationID))</title>
            <style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:80em}pre{background:#f6f8fa;padding:1em;overflow:auto}</style>
            </head><body>
            <pre>\(escape(markdown))</pre>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
