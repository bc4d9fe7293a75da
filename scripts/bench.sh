#!/usr/bin/env bash
# Benchmark `flowrole inventory` and `flowrole plan` against CPython's json.load on the same synthetic export.
#
# Usage: scripts/bench.sh BINARY [--roles N]... [--flows-per-role K] [--accounts A] [--seed S]
#                                [--runs R] [--bench-dir DIR]
#
#   BINARY             the flowrole executable (e.g. .build/release/flowrole)
#   --roles N          export size; repeat for several sizes (default: 1000)
#   --flows-per-role, --accounts, --seed   passed to scripts/gen_bench.py (defaults 2, 1, 7)
#   --runs R           measured rounds after one warm-up round (default 3)
#   --bench-dir DIR    where exports live (default: <repo>/.build/bench)
#
# For each size the export is generated into DIR/roles-N by scripts/gen_bench.py, unless it
# already exists with the same parameters (recorded beside it in DIR/roles-N.params, never
# inside the input directory). Then the commands run in rounds under /usr/bin/time -v, one
# after the other in each round — a first round to warm the page cache, then R measured ones:
#   inventory: BINARY inventory DIR/roles-N --json > /dev/null
#   plan:      BINARY plan DIR/roles-N --out TMP
#   python:    python3 -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' FILES
# and the median wall time and median peak RSS of each are reported. Interleaved, a shared
# machine's load that drifts over the minutes of a run weighs on flowrole and python alike (run
# in blocks, one command could meet a busy minute the other did not). Wall time is taken with
# bash's EPOCHREALTIME around the /usr/bin/time run (time -v itself rounds to 10 ms).
# MB = 10^6 bytes.
# Needs only bash, python3 (stdlib) and /usr/bin/time.
set -euo pipefail

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "bench.sh: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { usage >&2; exit 64; }
case "$1" in -h|--help) usage; exit 0 ;; esac
BINARY=$1; shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
GEN="$here/gen_bench.py"

sizes=() fpr=2 accounts=1 seed=7 runs=3 bench_dir="$repo/.build/bench"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --roles) sizes+=("${2:?--roles needs a value}"); shift 2 ;;
        --roles=*) sizes+=("${1#*=}"); shift ;;
        --flows-per-role) fpr=${2:?}; shift 2 ;;
        --flows-per-role=*) fpr=${1#*=}; shift ;;
        --accounts) accounts=${2:?}; shift 2 ;;
        --accounts=*) accounts=${1#*=}; shift ;;
        --seed) seed=${2:?}; shift 2 ;;
        --seed=*) seed=${1#*=}; shift ;;
        --runs) runs=${2:?}; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --bench-dir) bench_dir=${2:?}; shift 2 ;;
        --bench-dir=*) bench_dir=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 64 ;;
    esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000)
for n in "${sizes[@]}" "$fpr" "$accounts" "$seed" "$runs"; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "bench.sh: not a number: $n" >&2; exit 64; }
done
[[ $runs -ge 1 ]] || { echo "bench.sh: --runs must be at least 1" >&2; exit 64; }

# Resolve BINARY the way the shell would run it, and make it absolute.
if [[ $BINARY == */* ]]; then
    [[ -x $BINARY && ! -d $BINARY ]] || die "not an executable file: $BINARY"
    BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
else
    BINARY=$(command -v "$BINARY") || die "not found in PATH: $1"
fi
[[ -x /usr/bin/time ]] || die "/usr/bin/time is required (apt-get install time)"
command -v python3 >/dev/null || die "python3 is required"

mkdir -p "$bench_dir"
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/flowrole-bench.XXXXXX")
trap 'rm -rf "$log_dir"' EXIT

gen_hash=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$GEN")

# ensure_export N -> prints the export directory on stdout
ensure_export() {
    local n=$1 dir="$bench_dir/roles-$1" stamp="$bench_dir/roles-$1.params" want
    want="roles=$n flows-per-role=$fpr accounts=$accounts seed=$seed generator-sha256=$gen_hash"
    if [[ -d $dir && -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
        echo "bench: reusing $dir" >&2
    else
        echo "bench: generating $dir ($want)" >&2
        rm -rf "$dir" "$dir.tmp" "$stamp"
        python3 "$GEN" "$dir.tmp" --roles "$n" --flows-per-role "$fpr" --accounts "$accounts" --seed "$seed" >&2
        mv "$dir.tmp" "$dir"
        printf '%s\n' "$want" > "$stamp"
    fi
    echo "$dir"
}

# run_once KEY LABEL WARM CMD... -> runs CMD once; unless WARM is 1, appends "WALL_SECONDS RSS_KB"
# to $log_dir/KEY.samples
run_once() {
    local key=$1 label=$2 warm=$3; shift 3
    local t0 t1 tv="$log_dir/time.txt" err="$log_dir/stderr.txt" status rss wall
    t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$err" || true
    t1=$EPOCHREALTIME
    status=$(sed -n 's/^[[:space:]]*Exit status: //p' "$tv")
    if [[ $status != 0 ]]; then
        echo "bench: $label failed (exit status ${status:-unknown}): $*" >&2
        tail -n 20 "$err" >&2
        grep -i 'command terminated' "$tv" >&2 || true
        return 1
    fi
    [[ $warm == 1 ]] && return 0
    rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tv")
    wall=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.6f}")' "$t0" "$t1")
    printf '%s %s\n' "$wall" "$rss" >> "$log_dir/$key.samples"
}

# medians KEY -> prints "WALL_SECONDS RSS_KB", the medians of KEY's samples
medians() {
    python3 - "$log_dir/$1.samples" <<'PY'
import statistics, sys
samples = [line.split() for line in open(sys.argv[1]).read().splitlines()]
walls = [float(wall) for wall, _ in samples]
rss = [int(kb) for _, kb in samples]
print(f"{statistics.median(walls):.6f} {statistics.median(rss):.0f}")
PY
}

results="$log_dir/results.tsv"
: > "$results"
for n in "${sizes[@]}"; do
    dir=$(ensure_export "$n")
    mapfile -d '' files < <(find "$dir" -type f -print0 | sort -z)
    [[ ${#files[@]} -gt 0 ]] || die "no files in $dir"
    bytes=$(python3 -c 'import os,sys; print(sum(os.path.getsize(p) for p in sys.argv[1:]))' "${files[@]}")
    : > "$log_dir/inventory.samples"; : > "$log_dir/plan.samples"; : > "$log_dir/python.samples"
    for ((i = 0; i <= runs; i++)); do
        warm=$(( i == 0 ? 1 : 0 ))
        echo "bench: roles=$n: ${#files[@]} files, $bytes bytes; round $i of $runs$([[ $warm == 1 ]] && echo " (warm-up)"): inventory, plan, python3 json.load ..." >&2
        run_once inventory "flowrole inventory" "$warm" "$BINARY" inventory "$dir" --json || exit 1
        run_once plan "flowrole plan" "$warm" "$BINARY" plan "$dir" --out "$log_dir/plan-$n" || exit 1
        run_once python "python" "$warm" \
            python3 -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' "${files[@]}" || exit 1
    done
    read -r fw fr < <(medians inventory)
    read -r lw lr < <(medians plan)
    read -r pw pr < <(medians python)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$bytes" "$fw" "$fr" "$lw" "$lr" "$pw" "$pr" >> "$results"
done

python3 - "$results" "$BINARY" "$runs" "$fpr" "$accounts" "$seed" <<'PY'
import sys
path, binary, runs, fpr, accounts, seed = sys.argv[1:]
rows = [line.split("\t") for line in open(path).read().splitlines()]
print(f"flowrole bench: {binary}")
print(f"median of {runs} interleaved rounds after 1 warm-up round (warm cache); flows-per-role={fpr} accounts={accounts} seed={seed}; MB = 10^6 bytes")
print("(a) BINARY inventory DIR --json > /dev/null   (b) BINARY plan DIR --out TMP   (c) python3 json.load of the same files")
head = ["roles", "input MB", "tool", "wall s", "MB/s", "peak RSS MB", "flowrole/python"]
table = []
for n, size, fw, fr, lw, lr, pw, pr in rows:
    mb = int(size) / 1e6
    fw, lw, pw = float(fw), float(lw), float(pw)
    mbps = lambda w: f"{mb / w:.1f}" if w > 0 else "inf"
    ratio = lambda w: f"{w / pw:.3f}" if pw > 0 else "n/a"
    table.append([n, f"{mb:.1f}", "inventory", f"{fw:.3f}", mbps(fw), f"{int(fr) * 1024 / 1e6:.1f}", ratio(fw)])
    table.append(["", "", "plan", f"{lw:.3f}", mbps(lw), f"{int(lr) * 1024 / 1e6:.1f}", ratio(lw)])
    table.append(["", "", "python", f"{pw:.3f}", mbps(pw), f"{int(pr) * 1024 / 1e6:.1f}", ""])
widths = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
left = {2}
fmt = lambda r: "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
print(fmt(head))
print("  ".join("-" * w for w in widths))
for r in table:
    print(fmt(r))
PY
