#!/usr/bin/env bash
# Self-check for cdp_driver.py: drives example.html (filtering table) in headless Chromium,
# then checks that a throwing page lands in "exceptions" and a networked page in "requests".
# Usage: Tests/browser/selftest.sh        (exit 0 = all checks passed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
driver="$here/cdp_driver.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

run() {  # run NAME ARGS... : driver output into $tmp/NAME.json, prints the wall time
  local name="$1" start; shift
  start=$(date +%s%N)
  python3 "$driver" "$@" >"$tmp/$name.json"
  printf '%-10s %d ms\n' "$name" $(( ($(date +%s%N) - start) / 1000000 ))
}

check() {  # check NAME PYTHON-ASSERTIONS : `r` is the parsed driver output
  python3 - "$tmp/$1.json" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
try:
    exec(sys.argv[2])
except AssertionError as e:
    sys.exit(f"FAIL {sys.argv[1]}: {e}\n{json.dumps(r, indent=1)}")
EOF
}

# 1. The example page: 3 visible rows, filter to "unused", 1 visible row, console output, PNG.
cat >"$tmp/steps.json" <<'EOF'
[
 {"eval": "document.querySelectorAll('#roles tr.role-row:not([hidden])').length"},
 {"eval": "(() => { const s = document.getElementById('filter-status'); s.value = 'unused'; s.dispatchEvent(new Event('change')); return s.value; })()"},
 {"eval": "document.querySelectorAll('#roles tr.role-row:not([hidden])').length"},
 {"sleep": 50},
 {"eval": "Promise.reject(new Error('rejected on purpose'))"}
]
EOF
run example --html "$here/example.html" --steps "$tmp/steps.json" --screenshot "$tmp/shots/example.png" --timeout 60
check example '
assert [x.get("value") for x in r["results"][:3]] == [3, "unused", 1], r["results"]
assert "rejected on purpose" in r["results"][3]["exception"], r["results"][3]
assert r["exceptions"] == [], "unexpected page exceptions"
texts = [c["text"] for c in r["console"]]
assert "example ready 3 rows" in texts and "filter applied: unused" in texts, texts
assert r["requests"] == [], "example.html must not touch the network"
png = open(sys.argv[1].replace("example.json", "shots/example.png"), "rb").read(8)
assert png == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
'

# 2. A page that throws while loading.
cat >"$tmp/throws.html" <<'EOF'
<!DOCTYPE html><title>throws</title><p>boom</p>
<script>function explode() { throw new Error("boom at load"); } explode();</script>
EOF
echo '[{"eval": "document.title"}]' >"$tmp/title.json"
run throws --html "$tmp/throws.html" --steps "$tmp/title.json"
check throws '
assert r["results"] == [{"value": "throws"}], r["results"]
assert len(r["exceptions"]) == 1 and "boom at load" in r["exceptions"][0], r["exceptions"]
'

# 3. A page that fetches from the network.
cat >"$tmp/fetches.html" <<'EOF'
<!DOCTYPE html><title>fetches</title><img src="http://example.invalid/x.png" alt="">
EOF
run fetches --html "$tmp/fetches.html" --steps "$tmp/title.json"
check fetches '
assert r["requests"] == ["http://example.invalid/x.png"], r["requests"]
assert r["exceptions"] == [], r["exceptions"]
'

# 4. Failure modes: a missing Chromium and a missing page exit 2 with one line on stderr.
set +e
CHROMIUM_BIN=/nonexistent/chromium python3 "$driver" --html "$here/example.html" --steps "$tmp/title.json" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] || { echo "FAIL missing chromium: rc=$rc $(cat "$tmp/err")"; exit 1; }
set +e
python3 "$driver" --html "$tmp/nope.html" --steps "$tmp/title.json" >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "FAIL missing page: rc=$rc $(cat "$tmp/err")"; exit 1; }

echo "selftest: all checks passed"
