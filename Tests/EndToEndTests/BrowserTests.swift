import Foundation
import Testing

// The example report (reports/example/report.html, committed and kept current by
// ReportSnapshotTests) opened in a real browser: headless Chromium (Debian's `chromium`, which
// `make test` installs), driven over the DevTools protocol by Tests/browser/cdp_driver.py. The
// assertions are made here, from the rendered DOM, against the plan.json beside the report. A
// screenshot is saved to .build/browser-test/report-example.png. The test never skips: without
// Chromium it fails and says how to install it.

@Suite("report.html in headless Chromium", .serialized)
struct BrowserTests {
    /// One driver run: the value of each eval step, and what the page logged and fetched.
    struct Run {
        var values: [JSON]
        var console: [JSON]
        var exceptions: [JSON]
        var requests: [JSON]
    }

    /// Runs the driver on `html` with `steps` (JavaScript expressions, evaluated in order).
    static func drive(_ html: URL, steps: [String], screenshot: URL? = nil) throws -> Run {
        let root = try PackageRoot.url()
        let scratch = try TemporaryDirectory(prefix: "flowrole-browser")
        let stepsJSON = try JSONSerialization.data(withJSONObject: steps.map { ["eval": $0] })
        let stepsPath = try scratch.write("steps.json", stepsJSON)
        var arguments = [
            root.appendingPathComponent("Tests/browser/cdp_driver.py").path, "--html", html.path,
            "--steps", stepsPath, "--timeout", "90",
        ]
        if let screenshot { arguments += ["--screenshot", screenshot.path] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = scratch.url.appendingPathComponent("out.json")
        let err = scratch.url.appendingPathComponent("err.txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw HarnessError(
                "the browser driver failed (exit \(process.terminationStatus)): \(stderr) — `make test` installs Debian's chromium (apt-get install chromium)"
            )
        }
        let output = try JSON(parsing: Data(contentsOf: out))
        let results = output["results"]?.array ?? []
        var values: [JSON] = []
        for (index, result) in results.enumerated() {
            if let exception = result["exception"] {
                throw HarnessError("step \(index) (\(steps[index].prefix(120))) threw: \(exception)")
            }
            values.append(result["value"] ?? .null)
        }
        return Run(
            values: values, console: output["console"]?.array ?? [], exceptions: output["exceptions"]?.array ?? [],
            requests: output["requests"]?.array ?? [])
    }

    /// The ARNs of the role rows the table shows now.
    static let visibleRows =
        "Array.from(document.querySelectorAll('#role-rows tr.role-row')).map((row) => row.dataset.arn)"

    /// Sets a filter control and fires the event the page listens to; returns the visible rows.
    static func setFilter(_ id: String, _ value: String) -> String {
        let event = id == "filter-text" ? "input" : "change"
        return
            "(() => { const control = document.getElementById('\(id)'); control.value = \(quoted(value)); control.dispatchEvent(new Event('\(event)')); return \(visibleRows); })()"
    }

    /// `text` as a JSON (and JavaScript) string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func theExampleReportRendersFiltersAndExplainsEveryRole() throws {
        let root = try PackageRoot.url()
        let folder = root.appendingPathComponent("reports/example")
        let plan = try JSON(parsing: Data(contentsOf: folder.appendingPathComponent("plan.json")))
        let roles = plan["roles"]?.array ?? []
        #expect(roles.count == 8)
        let arns = roles.compactMap { $0["arn"]?.string }
        let unchanged = roles.filter { $0["status"]?.string == "unchanged" }.compactMap { $0["arn"]?.string }
        // A role's severity is its most severe unsuppressed finding.
        func severity(_ role: JSON) -> String {
            let open = (role["findings"]?.array ?? []).filter { $0["suppressed"] != .bool(true) }
                .compactMap { $0["severity"]?.string }
            for level in ["blocker", "warning", "info"] where open.contains(level) { return level }
            return "none"
        }
        let withBlockers = roles.filter { severity($0) == "blocker" }.compactMap { $0["arn"]?.string }
        #expect(!unchanged.isEmpty && !withBlockers.isEmpty, "the example must exercise both filters")

        // A role with a trust change and added grants, opened from its row.
        let reviewed = try #require(
            roles.first {
                ($0["changes"]?.array ?? []).count == 2 && ($0["requirements"]?.array ?? []).count > 1
            })
        let reviewedArn = try #require(reviewed["arn"]?.string)
        let flows = (reviewed["flows"]?.array ?? []).compactMap { $0["arn"]?.string }
        let added = (reviewed["requirements"]?.array ?? []).filter { $0["state"]?.string == "add" }

        let screenshot = root.appendingPathComponent(".build/browser-test/report-example.png")
        try? FileManager.default.removeItem(at: screenshot)
        let run = try Self.drive(
            folder.appendingPathComponent("report.html"),
            steps: [
                Self.visibleRows,
                "document.getElementById('shown-count').textContent",
                Self.setFilter("filter-status", "unchanged"),
                Self.setFilter("filter-status", ""),
                Self.setFilter("filter-severity", "blocker"),
                Self.setFilter("filter-severity", ""),
                Self.setFilter("filter-text", "no-such-role-anywhere"),
                Self.setFilter("filter-text", ""),
                // Open the reviewed role from its row, as a reviewer clicks it.
                "(() => { document.querySelector('tr.role-row[data-arn=\(Self.quoted(reviewedArn).replacingOccurrences(of: "\"", with: "\\\""))] a.role-link').click(); const d = document.getElementById('role-detail'); return {hidden: d.hidden, text: d.innerText, added: Array.from(d.querySelectorAll('pre.diff span.add')).length, removed: Array.from(d.querySelectorAll('pre.diff span.del')).length, pinned: Array.from(d.querySelectorAll('ul.pinned li')).map((li) => li.textContent), hash: decodeURIComponent(location.hash)}; })()",
                // Every finding-code link in the page leads to an explanation.
                "Array.from(document.querySelectorAll('a[href^=\"#code-\"]')).filter((a) => !document.getElementById(a.getAttribute('href').slice(1))).length",
                "document.querySelectorAll('a[href^=\"#code-\"]').length",
            ],
            screenshot: screenshot)

        #expect(run.exceptions.isEmpty, "the page threw: \(run.exceptions)")
        let errors = run.console.filter { ["error", "assert"].contains($0["level"]?.string ?? "") }
        #expect(errors.isEmpty, "the page logged errors: \(errors)")
        #expect(run.requests.isEmpty, "the report fetched from the network: \(run.requests)")
        let values = run.values
        try #require(values.count == 11)
        #expect(values[0].array?.compactMap(\.string) == arns, "the table shows every role, in plan order")
        #expect(values[1].string == "8 of 8 roles")
        #expect(values[2].array?.compactMap(\.string) == unchanged, "status filter: unchanged")
        #expect(values[3].array?.compactMap(\.string) == arns, "clearing the status filter")
        #expect(values[4].array?.compactMap(\.string) == withBlockers, "severity filter: blocker")
        #expect(values[6].array?.isEmpty == true, "a search that matches nothing hides every row")
        #expect(values[7].array?.compactMap(\.string) == arns)

        let detail = values[8]
        #expect(detail["hidden"] == .bool(false))
        let text = detail["text"]?.string ?? ""
        for requirement in added {
            for key in ["action", "resource", "flow", "node"] {
                let value = requirement[key]?.string ?? "?"
                #expect(text.contains(value), "the detail names the requirement's \(key) \(value)")
            }
        }
        #expect((detail["added"]?.int ?? 0) > 0, "added lines are marked in the diff")
        #expect(detail["pinned"]?.array?.compactMap(\.string).sorted() == flows.sorted(), "the flows pinned")
        #expect(detail["hash"]?.string == "#role=\(reviewedArn)", "the open role is addressable")
        #expect(values[9].int == 0, "every finding-code link has its explanation")
        #expect((values[10].int ?? 0) > 0)

        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot is saved at \(screenshot.path)")
    }

    /// What the security review asked for, on the example: roles that change with a blocked grant
    /// say so in their row and at the top of their detail, the needs not added are listed with
    /// the code that blocks each, a finding-code link keeps the role and filters in the address,
    /// and at a phone's width (375px) nothing makes the page wider than the screen.
    @Test func blockedGrantsNotAddedNeedsCodeLinksAndANarrowScreen() throws {
        let root = try PackageRoot.url()
        let folder = root.appendingPathComponent("reports/example")
        let plan = try JSON(parsing: Data(contentsOf: folder.appendingPathComponent("plan.json")))
        let roles = plan["roles"]?.array ?? []
        func arn(_ name: String) throws -> String {
            try #require(roles.compactMap { $0["arn"]?.string }.first { $0.hasSuffix("/\(name)") }, "no role \(name)")
        }
        // From the plan: roles not blocked as a whole with a requirement in state blocked.
        let partlyBlocked = roles.filter { role in
            role["status"]?.string != "blocked"
                && (role["requirements"]?.array ?? []).contains { $0["state"]?.string == "blocked" }
        }.compactMap { $0["arn"]?.string }
        let finance = try arn("BedrockFlowsFinanceReportsRole")
        let review = try arn("BedrockFlowsDocumentReviewRole")
        let orders = try arn("BedrockFlowsOrderServicesRole")
        #expect(partlyBlocked.sorted() == [review, finance].sorted(), "the example must have both roles")

        func open(_ arn: String, in document: String = "document") -> String {
            "\(document).querySelector('tr.role-row[data-arn=' + JSON.stringify(\(Self.quoted(arn))) + '] a.role-link').click()"
        }
        let notAddedRows =
            "Array.from(document.querySelectorAll('#not-added-table tbody tr')).map((row) => row.innerText)"
        let narrow = """
            (async () => {
              const html = '<!doctype html>' + document.documentElement.outerHTML;
              const frame = document.createElement('iframe');
              frame.style.cssText = 'width:375px;height:700px;border:0';
              document.body.append(frame);
              await new Promise((resolve) => { frame.onload = resolve; frame.srcdoc = html; });
              const d = frame.contentDocument, w = frame.contentWindow;
              \(open(finance, in: "d"));
              await new Promise((resolve) => setTimeout(resolve, 50));
              const result = { inner: w.innerWidth, width: d.documentElement.scrollWidth,
                detail: !d.getElementById('role-detail').hidden,
                rowDisplay: w.getComputedStyle(d.querySelector('#role-rows tr.role-row')).display };
              // The measurement bites: something 600px wide does widen the page.
              const wide = d.createElement('div'); wide.style.cssText = 'width:600px;height:1px'; d.body.append(wide);
              result.widened = d.documentElement.scrollWidth;
              return result;
            })()
            """
        let run = try Self.drive(
            folder.appendingPathComponent("report.html"),
            steps: [
                "Array.from(document.querySelectorAll('#role-rows tr.role-row')).filter((row) => row.querySelector('td .badge.blocked-grants')).map((row) => [row.dataset.arn, row.dataset.status, row.dataset.blockedGrants, row.querySelector('.badge.blocked-grants').textContent])",
                "(() => { \(open(finance)); const d = document.getElementById('role-detail'); const top = d.querySelector('.consequences'); return { top: top ? top.innerText : null, firstAfterHeading: d.children[1] === top, rows: \(notAddedRows), hash: decodeURIComponent(location.hash) }; })()",
                "(() => { const link = document.querySelector('#role-detail a[href=\"#code-EXPLICIT_DENY\"]'); link.click(); const flashed = document.querySelector('.flash'); return { hash: decodeURIComponent(location.hash), flashed: flashed ? flashed.id : null, box: Math.round(document.getElementById('code-EXPLICIT_DENY').getBoundingClientRect().top), viewport: window.innerHeight }; })()",
                "(() => { \(open(orders)); return \(notAddedRows); })()",
                "document.querySelector('label[title] #filter-severity') !== null && document.getElementById('filter-severity').parentElement.textContent.trim().startsWith('Worst finding')",
                narrow,
            ])
        #expect(run.exceptions.isEmpty, "the page threw: \(run.exceptions)")
        #expect(run.requests.isEmpty, "the report fetched from the network: \(run.requests)")
        let values = run.values
        try #require(values.count == 6)

        // The rows: the status stays `change`, a second badge says a grant is blocked.
        let marked = values[0].array ?? []
        #expect(marked.compactMap { $0.array?.first?.string }.sorted() == partlyBlocked.sorted())
        for row in marked {
            #expect(row.array?[1].string == "change", "the plan status is kept: \(row)")
            #expect(row.array?[3].string == "1 grant blocked", "\(row)")
        }

        // The detail: up front, then the Not added entry naming the node and the blocking code.
        let detail = values[1]
        #expect(detail["firstAfterHeading"] == .bool(true), "the consequences come right after the role's name")
        let top = detail["top"]?.string ?? ""
        #expect(top.contains("will NOT be added"), "\(top)")
        #expect(top.contains("node ExportPayroll of flow"), "\(top)")
        #expect(top.contains("will fail as this role until"), "\(top)")
        let rows = detail["rows"]?.array?.compactMap(\.string) ?? []
        #expect(rows.contains { $0.contains("ExportPayroll") && $0.contains("EXPLICIT_DENY") }, "\(rows)")
        #expect(detail["hash"]?.string == "#role=\(finance)")

        // A code link scrolls to its explanation and leaves the address alone.
        #expect(values[2]["hash"]?.string == "#role=\(finance)", "the code link kept the role in the address")
        #expect(values[2]["flashed"]?.string == "code-EXPLICIT_DENY")
        let box = values[2]["box"]?.int ?? -1
        let viewport = values[2]["viewport"]?.int ?? 0
        #expect(box >= 0 && box < viewport, "the explanation is in view (top at \(box) of \(viewport))")

        // A flow created after the window: its need is listed, read from NEW_FLOW_MISSING_GRANT.
        let orderRows = values[3].array?.compactMap(\.string) ?? []
        #expect(
            orderRows.contains { $0.contains("OpenReturn") && $0.contains("NEW_FLOW_MISSING_GRANT") }, "\(orderRows)")
        #expect(values[4] == .bool(true), "the severity filter is labelled as the worst finding")

        // 375px: no horizontal overflow, the role rows stacked as cards.
        let phone = values[5]
        #expect(phone["inner"]?.int == 375)
        let width = phone["width"]?.int ?? .max
        #expect(width <= 376, "the page is \(width)px wide in a 375px viewport")
        #expect(phone["detail"] == .bool(true))
        #expect(phone["rowDisplay"]?.string == "block", "role rows are cards below 700px")
        #expect((phone["widened"]?.int ?? 0) >= 600, "the overflow check sees a wide element")
    }

    /// A role name that tries to end the script element, inject markup or fetch something is
    /// shown as text: the report never parses plan text as HTML.
    @Test func hostileTextInAPlanStaysText() throws {
        let scratch = try TemporaryDirectory(prefix: "flowrole-hostile")
        let scenarios = URL(fileURLWithPath: try Fixtures.path("scenarios"))
        // The EXPLICIT_DENY scenario, with a node name that is markup.
        let bundle = try String(
            contentsOf: scenarios.appendingPathComponent("EXPLICIT_DENY/flows/bundle.json"), encoding: .utf8)
        let hostile = "</script><img src=http://example.invalid/x.png onerror=alert(1)><!--"
        guard bundle.contains("\"ExportPayroll\"") else {
            throw HarnessError("the EXPLICIT_DENY bundle no longer has a node named ExportPayroll")
        }
        let edited = bundle.replacingOccurrences(of: "\"ExportPayroll\"", with: Self.quoted(hostile))
        try scratch.write("in/flows/bundle.json", edited)
        try scratch.write(
            "in/iam/authorization-details.json",
            Data(contentsOf: scenarios.appendingPathComponent("EXPLICIT_DENY/iam/authorization-details.json")))
        let result = try FlowRole.run(["plan", scratch.path("in"), "--out", scratch.path("out")])
        #expect(result.status == 0, "\(result)")
        let run = try Self.drive(
            scratch.url.appendingPathComponent("out/report.html"),
            steps: [
                "(() => { document.querySelector('tr.role-row a.role-link').click(); return document.getElementById('role-detail').innerText; })()",
                "document.querySelectorAll('img').length",
            ])
        #expect(run.exceptions.isEmpty, "\(run.exceptions)")
        #expect(run.requests.isEmpty, "\(run.requests)")
        #expect(run.values[0].string?.contains(hostile) == true, "the node name is shown as written")
        #expect(run.values[1].int == 0, "no element was made from plan text")
    }
}
