#!/usr/bin/env python3
"""Drive headless Chromium over the Chrome DevTools Protocol (CDP) through a pipe.

Usage:
  cdp_driver.py --html PATH --steps STEPS.json [--screenshot OUT.png] [--timeout 60]

STEPS.json is a JSON array run in order; each step is {"eval": "<JS expression>"}
(Runtime.evaluate, returnByValue + awaitPromise) or {"sleep": <milliseconds>}.
Prints one JSON object on stdout:
  {"results":    [{"value": ...} | {"exception": "text"}, ...one per eval step],
   "console":    [{"level": ..., "text": ...}, ...],   # console.* calls and Log entries
   "exceptions": ["Uncaught Error: ...", ...],         # Runtime.exceptionThrown
   "requests":   ["http://...", ...]}                  # non file:/data:/about:/chrome: URLs
Exit 0 when the run completed (whatever the page did; the caller judges), 2 with a
one-line message on stderr when Chromium is missing, dies, the input is bad or the
timeout passes.

Why a pipe: `--remote-debugging-pipe` makes Chromium read CDP commands from its
file descriptor 3 and write responses and events to its file descriptor 4. Each
message is one JSON object terminated by a NUL byte. No port, no HTTP discovery,
no websocket client library: only the standard library (os.pipe + subprocess).
Every read is bounded by the deadline with select(), so the driver never hangs,
and Chromium runs in its own process group, killed (with its temporary profile
removed) on every exit path, including SIGTERM. If the driver itself is SIGKILLed,
the kernel closes its pipe ends and Chromium quits on the EOF (only the temporary
profile directory is left behind).
"""
import argparse, base64, fcntl, json, os, pathlib, select, shutil, signal
import subprocess, sys, tempfile, time

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--window-size=1400,1000",
         "--remote-debugging-pipe", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-breakpad", "--hide-scrollbars", "--mute-audio"]
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:", "blob:")


class DriverError(Exception):
    pass


class Browser:
    def __init__(self, deadline):
        self.deadline, self.next_id, self.buf, self.proc = deadline, 0, bytearray(), None
        self.tmp = tempfile.mkdtemp(prefix="cdp_driver.")
        self.console, self.exceptions, self.requests, self.seen = [], [], [], set()

    def start(self):
        cmd_r, self.cmd_w = os.pipe()  # we write commands, Chromium reads them on fd 3
        self.ev_r, ev_w = os.pipe()    # Chromium writes on fd 4, we read
        # Park the child ends at fds >= 10 so that dup2 onto 3/4 can't clobber them.
        child = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (cmd_r, ev_w)]
        os.close(cmd_r); os.close(ev_w)
        log = open(os.path.join(self.tmp, "chromium.log"), "wb")  # Chromium is chatty on stderr
        argv = [CHROMIUM, *FLAGS, "--user-data-dir=" + os.path.join(self.tmp, "profile"), "about:blank"]
        try:  # preexec_fn runs before close_fds, and dup2 clears CLOEXEC on 3 and 4
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         pass_fds=(3, 4), start_new_session=True,
                                         preexec_fn=lambda: (os.dup2(child[0], 3), os.dup2(child[1], 4)))
        except OSError as e:
            raise DriverError(f"cannot start Chromium ({CHROMIUM}): {e.strerror}")
        finally:
            log.close(); os.close(child[0]); os.close(child[1])
        os.set_blocking(self.cmd_w, False)

    def close(self):
        for sig in STOP_SIGNALS:  # a second signal must not interrupt the cleanup
            signal.signal(sig, signal.SIG_IGN)
        if self.proc is not None:
            try:  # polite first, so Chromium reaps its own child processes
                if self.proc.poll() is None:
                    self.send("Browser.close")
                    self.proc.wait(timeout=2)
            except (DriverError, OSError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # browser, renderers, zygotes, GPU
            except ProcessLookupError:
                pass
            self.proc.wait()
        for fd in ("cmd_w", "ev_r"):
            if hasattr(self, fd):
                os.close(getattr(self, fd))
        shutil.rmtree(self.tmp, ignore_errors=True)

    def died(self, what):
        tail = ""
        try:
            lines = open(os.path.join(self.tmp, "chromium.log"), errors="replace").read().splitlines()
            tail = next((l for l in reversed(lines) if "dbus" not in l and l.strip()), "")
        except OSError:
            pass
        code = self.proc.poll() if self.proc else None
        return DriverError(f"Chromium {what} (exit status {code}){': ' + tail.strip() if tail else ''}")

    def remaining(self, what):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DriverError(f"timeout while {what}")
        return left

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = memoryview(json.dumps(msg).encode() + b"\0")
        while data:
            select.select([], [self.cmd_w], [], self.remaining("sending " + method))
            try:
                data = data[os.write(self.cmd_w, data):]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise self.died("closed its command pipe")
        return self.next_id

    def read_message(self, what, until=None):
        """Next message (dict), or None if `until` (monotonic time) passes first."""
        while (end := self.buf.find(b"\0")) < 0:
            left = self.remaining(what)
            if until is not None:
                left = min(left, until - time.monotonic())
                if left <= 0:
                    return None
            if not select.select([self.ev_r], [], [], left)[0]:
                continue
            chunk = os.read(self.ev_r, 1 << 20)
            if not chunk:
                raise self.died("exited before answering")
            self.buf += chunk
        msg = json.loads(self.buf[:end]); del self.buf[:end + 1]
        if "method" in msg:
            self.on_event(msg["method"], msg.get("params", {}))
        return msg

    def call(self, method, params=None, session=None):
        mid = self.send(method, params, session)
        while True:
            msg = self.read_message(method)
            if msg.get("id") == mid:
                if "error" in msg:
                    raise DriverError(f"{method} failed: {msg['error'].get('message')}")
                return msg.get("result", {})

    def pump(self, seconds, what):
        until = time.monotonic() + seconds
        while self.read_message(what, until) is not None:
            pass

    def wait_event(self, method):
        while method not in self.seen:
            self.read_message("waiting for " + method)

    def on_event(self, method, p):
        self.seen.add(method)
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a["value"]) if "value" in a else a.get("description", a.get("type", ""))
                            for a in p.get("args", []))
            self.console.append({"level": p.get("type", "log"), "text": text})
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            self.console.append({"level": e.get("level", "info"), "text": e.get("text", "")})
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(describe(p.get("exceptionDetails", {})))
        elif method in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            url = p.get("request", {}).get("url") or p.get("url", "")
            if not url.startswith(LOCAL_SCHEMES):
                self.requests.append(url)


def describe(details):
    """One readable string for CDP exceptionDetails (message plus stack when present)."""
    exc = details.get("exception") or {}
    text = details.get("text", "Exception")
    if "description" in exc:
        return f"{text} {exc['description']}" if text != exc["description"] else text
    if "value" in exc:
        return f"{text} {exc['value']!r}"
    return f"{text} at {details.get('url', '')}:{details.get('lineNumber', 0) + 1}"


def run(args, b):
    steps = json.loads(pathlib.Path(args.steps).read_text())
    if not isinstance(steps, list) or not all(
            isinstance(s, dict) and len(s) == 1 and ("eval" in s or "sleep" in s) for s in steps):
        raise DriverError('steps must be a JSON array of {"eval": "js"} or {"sleep": ms} objects')
    html = pathlib.Path(args.html).resolve()
    if not html.is_file():
        raise DriverError(f"no such file: {html}")
    b.start()
    target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Page", "Network"):
        b.call(domain + ".enable", session=s)
    b.seen.discard("Page.loadEventFired")  # only the load of our page counts
    nav = b.call("Page.navigate", {"url": html.as_uri()}, session=s)
    if nav.get("errorText"):
        raise DriverError(f"navigation failed: {nav['errorText']}")
    b.wait_event("Page.loadEventFired")
    results = []
    for step in steps:
        if "sleep" in step:
            b.pump(float(step["sleep"]) / 1000, "sleeping")
            continue
        r = b.call("Runtime.evaluate", {"expression": step["eval"], "returnByValue": True,
                                        "awaitPromise": True}, session=s)
        if "exceptionDetails" in r:
            results.append({"exception": describe(r["exceptionDetails"])})
        else:
            results.append({"value": r.get("result", {}).get("value")})
    if args.screenshot:
        size = b.call("Page.getLayoutMetrics", session=s)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": max(1, min(size["width"], 4000)),
                "height": max(1, min(size["height"], 16000)), "scale": 1}
        shot = b.call("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                 "captureBeyondViewport": True}, session=s)
        out = pathlib.Path(args.screenshot)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
    if (left := b.deadline - time.monotonic()) > 0:  # events already queued behind the last reply
        b.pump(min(0.05, left), "collecting late events")
    return {"results": results, "console": b.console, "exceptions": b.exceptions, "requests": b.requests}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", required=True)
    ap.add_argument("--steps", required=True)
    ap.add_argument("--screenshot")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    for sig in STOP_SIGNALS:  # exit through the finally below, which kills Chromium
        signal.signal(sig, lambda signum, _: sys.exit(128 + signum))
    b = Browser(time.monotonic() + args.timeout)
    try:
        report = run(args, b)
    except (DriverError, OSError, ValueError) as e:
        print(f"cdp_driver: {e}", file=sys.stderr)
        return 2
    finally:
        b.close()
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
