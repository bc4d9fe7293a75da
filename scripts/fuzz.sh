#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/targets/*.swift) into .build-fuzz/ and runs each for N seconds
# with its committed seed corpus (fuzz/corpus/TARGET) and dictionary (fuzz/dict/). See fuzz/README.md.
#
#   scripts/fuzz.sh [TARGET...] [--seconds N] [--build-only]
#
# TARGET: json inventory-json xml policy arn (default: all, one after another — one fuzzer process
# at a time). New corpus entries go to .build-fuzz/fuzz/corpus/TARGET (never the committed
# corpus); crashes, timeouts and out-of-memory inputs to .build-fuzz/artifacts/TARGET/; logs to
# .build-fuzz/fuzz/logs/TARGET.log. Exits 1 when any target found something, 2 on a build error.
#
# Why not SwiftPM: an executable target built with -sanitize=fuzzer fails to link (SwiftPM renames
# `main`). So the library modules are compiled with swiftc straight from Sources/ (instrumented
# with -sanitize=fuzzer,address), swift-crypto (which Inventory's ContentDigest uses) is built by
# SwiftPM once, uninstrumented, and each target links against the objects of both.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(json inventory-json xml policy arn)
SECONDS_PER_TARGET=600
BUILD_ONLY=0
TARGETS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
        --seconds=*) SECONDS_PER_TARGET="${1#*=}"; shift ;;
        --build-only) BUILD_ONLY=1; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 64 ;;
        *) TARGETS+=("$1"); shift ;;
    esac
done
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL_TARGETS[@]}")
for target in "${TARGETS[@]}"; do
    [[ -f "fuzz/targets/$target.swift" ]] || { echo "fuzz.sh: no target $target (fuzz/targets/$target.swift)" >&2; exit 64; }
done

SWIFT=${SWIFT:-swift}
SWIFTC=${SWIFTC:-swiftc}
SCRATCH=.build-fuzz                 # SwiftPM's scratch path (swift-crypto only)
LIB=$SCRATCH/fuzz/lib               # instrumented flowrole modules
BIN=$SCRATCH/fuzz/bin               # one fuzzer per target
CORPUS=$SCRATCH/fuzz/corpus         # new corpus entries, per target
LOGS=$SCRATCH/fuzz/logs
ARTIFACTS=$SCRATCH/artifacts        # crash-*, timeout-*, oom-*, per target
mkdir -p "$LIB" "$BIN" "$CORPUS" "$LOGS" "$ARTIFACTS"

# The settings Package.swift applies to every target, plus the sanitizers.
SWIFT_FLAGS=(
    -O -g -parse-as-library -sanitize=fuzzer,address -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -package-name flowrole -I "$LIB"
)
read -r -a XML_CFLAGS <<<"$(pkg-config --cflags libxml-2.0)"
read -r -a XML_LIBS <<<"$(pkg-config --libs libxml-2.0)"
XML_FLAGS=(-I Sources/CFlowRoleXML)
for flag in "${XML_CFLAGS[@]}"; do XML_FLAGS+=(-Xcc "$flag"); done

# True when $1 is missing or older than any of the other paths (files or directories of sources).
stale() {
    local output="$1"; shift
    [[ -e "$output" ]] || return 0
    [[ -n "$(find "$@" -newer "$output" -print -quit 2>/dev/null)" ]]
}

build_crypto() {
    echo "== swift-crypto (SwiftPM, release, $SCRATCH)"
    "$SWIFT" build --scratch-path "$SCRATCH" -c release --target Crypto 2>&1 | tail -n 1
    CRYPTO_MODULES="$SCRATCH/release/Modules"
    CRYPTO_OBJECTS=()
    while IFS= read -r object; do CRYPTO_OBJECTS+=("$object"); done < <(
        find "$SCRATCH/release/Crypto.build" "$SCRATCH/release/CryptoBoringWrapper.build" \
            "$SCRATCH/release/CCryptoBoringSSL.build" "$SCRATCH/release/CCryptoBoringSSLShims.build" \
            -name '*.o' | sort)
}

# build_module NAME SOURCE_DIR [EXTRA FLAGS...]: one instrumented object + .swiftmodule in $LIB.
build_module() {
    local name="$1" dir="$2"; shift 2
    local object="$LIB/$name.o"
    if stale "$object" "$dir" "$LIB"/*.swiftmodule "$0"; then
        echo "== $name"
        local sources=()
        while IFS= read -r source; do sources+=("$source"); done < <(find "$dir" -name '*.swift' | sort)
        "$SWIFTC" "${SWIFT_FLAGS[@]}" "$@" -wmo -module-name "$name" \
            -emit-module -emit-module-path "$LIB/$name.swiftmodule" -c -o "$object.tmp" "${sources[@]}"
        mv "$object.tmp" "$object"
        touch "$object"  # newer than the .swiftmodule written with it
    fi
}

# The modules each target links (in dependency order).
modules_of() {
    case "$1" in
        json) echo FlowRoleJSON ;;
        arn) echo FlowRoleJSON IAMPolicy ;;
        *) echo FlowRoleJSON IAMPolicy Inventory ;;
    esac
}

build_target() {
    local target="$1" binary="$BIN/$1"
    local modules objects=() link=()
    read -r -a modules <<<"$(modules_of "$target")"
    for module in "${modules[@]}"; do objects+=("$LIB/$module.o"); done
    if [[ " ${modules[*]} " == *" Inventory "* ]]; then
        objects+=("${CRYPTO_OBJECTS[@]}")
        link+=(-I "$CRYPTO_MODULES" "${XML_FLAGS[@]}" "${XML_LIBS[@]}")
    fi
    if stale "$binary" "fuzz/targets/$target.swift" "${objects[@]:0:${#modules[@]}}" "$0"; then
        echo "== fuzz/targets/$target.swift → $binary"
        "$SWIFTC" "${SWIFT_FLAGS[@]}" "${link[@]}" -use-ld=lld -module-name "FuzzTarget" \
            "fuzz/targets/$target.swift" "${objects[@]}" -o "$binary"
    fi
}

build_all() {
    build_crypto
    build_module FlowRoleJSON Sources/FlowRoleJSON
    build_module IAMPolicy Sources/IAMPolicy
    build_module Inventory Sources/Inventory -I "$CRYPTO_MODULES" "${XML_FLAGS[@]}"
    for target in "${TARGETS[@]}"; do build_target "$target"; done
}

if ! build_all; then
    echo "fuzz.sh: build failed" >&2
    exit 2
fi
[[ $BUILD_ONLY -eq 1 ]] && exit 0

# libFuzzer's per-input limits: a slow input (-timeout, seconds) or a memory blow-up
# (-rss_limit_mb, -malloc_limit_mb) is a finding, like a crash.
max_len() {
    case "$1" in
        arn) echo 512 ;;
        policy) echo 4096 ;;
        *) echo 16384 ;;
    esac
}
dict_of() {
    case "$1" in
        xml) echo fuzz/dict/xml.dict ;;
        arn) echo fuzz/dict/arn.dict ;;
        *) echo fuzz/dict/json.dict ;;
    esac
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
# Swift's own crash backtracer would run (slowly) before libFuzzer saves the input: off.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
SUMMARY=()
FOUND=0
for target in "${TARGETS[@]}"; do
    mkdir -p "$CORPUS/$target" "$ARTIFACTS/$target"
    log="$LOGS/$target.log"
    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s (log: $log)"
    start=$(date +%s)
    status=0
    "$BIN/$target" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_len="$(max_len "$target")" -dict="$(dict_of "$target")" \
        -artifact_prefix="$ARTIFACTS/$target/" -print_final_stats=1 \
        "$CORPUS/$target" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    wall=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    corpus=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //')
    if [[ $status -ne 0 ]]; then
        FOUND=1
        finding=$(grep -m 1 -E 'ERROR: (libFuzzer|AddressSanitizer)|property violated|Fatal error' "$log" || true)
        SUMMARY+=("$target: FOUND (exit $status) after ${wall}s: ${finding:-see $log}; input(s): $(ls "$ARTIFACTS/$target" | tr '\n' ' ')")
        tail -n 40 "$log"
    else
        SUMMARY+=("$target: clean; ${runs:-?} runs in ${wall}s (${speed:-?} exec/s), corpus ${corpus:-?} entries/bytes, peak RSS ${rss:-?} MB")
    fi
done

echo
echo "== fuzz summary"
printf '%s\n' "${SUMMARY[@]}"
exit "$FOUND"
