# flowrole — the two commands a fresh machine needs: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_BIN := .build/release/flowrole

.PHONY: deps browser pydeps awsdeps build release demo test bench bench-apply fuzz format lint clean

# System packages the build needs: libxml2's headers (and pkg-config to find them).
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libxml-2.0; then \
		echo "installing libxml2-dev and pkg-config (apt-get)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq libxml2-dev pkg-config >/dev/null; \
	fi

# Python's jsonschema, which the SARIF test validates findings.sarif with (the official schema).
pydeps:
	@if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then \
		echo "installing jsonschema (pip) for the SARIF schema test"; \
		python3 -m pip install --quiet jsonschema; \
	fi

# What the live end-to-end tests use (Tests/aws): moto's server, boto3 and the aws CLI (pip, in
# one run so their botocore pins are resolved together), and jq (apply.sh needs it).
awsdeps:
	@if ! python3 -c 'import moto.server, flask, flask_cors, boto3' >/dev/null 2>&1 \
		|| ! command -v aws >/dev/null 2>&1; then \
		echo "installing moto[server], boto3 and awscli (pip) for the loopback AWS"; \
		python3 -m pip install --quiet 'moto[server]>=5.1,<6' boto3 awscli; \
	fi
	@if ! command -v jq >/dev/null 2>&1; then \
		echo "installing jq (apt-get)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq jq >/dev/null; \
	fi

# The browser the HTML report test runs (headless Chromium, Debian's package).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium (apt-get) for the report's browser test"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product flowrole

# The main job on the bundled example account: what was read, then the plan (written to reports/example).
demo: release
	$(RELEASE_BIN) inventory examples/
	$(RELEASE_BIN) plan examples/ --format md,html,csv,sarif,json --out reports/example

# The whole suite: unit, property, hostile-input and end-to-end tests (the latter run the built
# binary; the report test runs headless Chromium). RECORD_SNAPSHOTS=1 re-records the golden reports.
test: deps browser pydeps awsdeps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Reader throughput against python3's json.load on generated exports (never part of `make test`).
# Five measured rounds: the 1,000-role plan takes a quarter of a second, and with three rounds one
# quick or slow round on this shared host moved its median (and the growth figure) by ±15%.
bench: release
	scripts/bench.sh $(RELEASE_BIN) --roles 1000 --roles 10000 --runs 5

# Live apply throughput against moto (roles/s with --parallel 1 and 8; slow: every call is an aws CLI process).
bench-apply: release awsdeps
	scripts/bench_apply.py $(RELEASE_BIN) --roles $${ROLES:-100}

# libFuzzer targets (fuzz/README.md): each for FUZZ_SECONDS, one after another; findings in
# .build-fuzz/artifacts/. libFuzzer and ASan ship with the Swift toolchain: nothing to install.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
fuzz: deps
	scripts/fuzz.sh $(FUZZ_TARGETS) --seconds $(FUZZ_SECONDS)

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build reports/tmp*
