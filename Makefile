# hanpay — every target is idempotent and installs what it needs when missing.
# A newcomer needs two commands: `make demo` and `make test`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium
PORT ?= 8080
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium chromium-driver binaryen
# The other two engines (issue #16 item 3): Firefox ESR, and WebKitGTK's WebKitWebDriver (which
# starts the MiniBrowser of libwebkit2gtk-4.1). WebKitGTK 2.50's MiniBrowser has no headless mode,
# so it runs on an Xvfb display.
APT_PACKAGES += firefox-esr webkit2gtk-driver xvfb
# geckodriver from crates.io, pinned; it drives Debian's firefox-esr.
GECKODRIVER_VERSION := 0.36.0
# Not exported: wasm-bindgen-test-runner takes the first of GECKODRIVER, SAFARIDRIVER,
# CHROMEDRIVER set in its environment, so each browser target sets only its own.
GECKODRIVER_BIN ?= $(HOME)/.cargo/bin/geckodriver
WEBKITWEBDRIVER ?= /usr/bin/WebKitWebDriver
# wasm-bindgen-cli must match the wasm-bindgen crate exactly; Cargo.lock is the source of truth.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
SANDBOX := target/debug/hanpay-sandbox

.PHONY: help setup setup-rust setup-apt setup-npm setup-geckodriver pkg sandbox-bin demo \
        test test-native test-browser test-browser-firefox test-browser-webkit \
        test-e2e test-e2e-firefox test-e2e-webkit test-e2e-engines test-types test-bridge test-node lint \
        pkg-node package test-package test-consumers \
        setup-fuzz fuzz size size-check bench deps

help:
	@echo "make demo   build the wasm package and serve the demo checkout on http://127.0.0.1:$(PORT)"
	@echo "make test   native tests, browser tests and E2E in Chromium, Firefox ESR and WebKitGTK against the sandbox"

## ---- setup ---------------------------------------------------------------

setup: setup-rust setup-apt setup-npm setup-geckodriver

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@command -v wasm-pack >/dev/null || cargo install wasm-pack --locked
	@want="wasm-bindgen $(WASM_BINDGEN_VERSION)"; have="$$(wasm-bindgen --version 2>/dev/null || true)"; \
	if [ "$$have" != "$$want" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (have: $${have:-none})"; \
	  cargo install wasm-bindgen-cli --version "$(WASM_BINDGEN_VERSION)" --force; \
	fi

setup-apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

setup-npm: node_modules/.package-lock.json

setup-geckodriver: setup-rust
	@have="$$($(GECKODRIVER_BIN) --version 2>/dev/null | head -1 || true)"; \
	case "$$have" in "geckodriver $(GECKODRIVER_VERSION)"*) ;; *) \
	  echo "installing geckodriver $(GECKODRIVER_VERSION) (have: $${have:-none})"; \
	  cargo install geckodriver --version "$(GECKODRIVER_VERSION)" --locked --force ;; \
	esac

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

## ---- build ---------------------------------------------------------------

# The browser package: wasm-pack output in pkg/ (generated, git-ignored).
# `-p hanpay` keeps the native-only workspace members (CLI, sandbox) out of the wasm build.
WASM_OPT := node_modules/.bin/wasm-opt
# --converge repeats -Oz until the module stops shrinking; --strip-producers drops the toolchain
# metadata section, --strip-target-features the `target_features` section (tool metadata the
# engine ignores). --skip-pass=memory-packing keeps the data segments whole: the pass splits them
# around runs of zeros (memory starts zeroed, so the content is the same) and the many small
# segments compress worse than the zeros. Together about 0.6 KB gzip (issue 8 size budget;
# measured in docs/size.md).
WASM_OPT_FLAGS := -Oz --converge --strip-producers --strip-target-features --skip-pass=memory-packing --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext --enable-mutable-globals

# opt-level z for the browser package only (issue 8 size budget: 5 KB gzip less than "s");
# native release builds keep Cargo.toml's "s". The package is the browser crate
# crates/hanpay-web alone; `browser-pkg` builds it without std (its src/lib.rs). finalize-pkg
# names the package `hanpay`, adds the npm entry, shortens the wasm import names and minifies
# the JavaScript (docs/size.md).
pkg: setup-rust setup-npm
	rm -rf pkg/snippets  # wasm-pack leaves an older build's snippet folders behind
	CARGO_PROFILE_RELEASE_OPT_LEVEL=z wasm-pack build --mode no-install --target web --release --out-dir $(CURDIR)/pkg --out-name hanpay crates/hanpay-web -- -p hanpay-web --features browser-pkg
	$(WASM_OPT) $(WASM_OPT_FLAGS) pkg/hanpay_bg.wasm -o pkg/hanpay_bg.wasm
	node js/finalize-pkg.mjs

sandbox-bin:
	cargo build -p hanpay-sandbox

# The npm package as published: the browser package plus the Node entry as `hanpay/server`
# (pkg/server/), packed into pkg/hanpay-<version>.tgz. `make size` still measures only the
# browser files (scripts/size.sh never reads pkg/server/).
package: pkg pkg-node
	node js/finalize-pkg.mjs --server
	rm -f pkg/hanpay-*.tgz
	cd pkg && npm pack --silent

# Publishability: the packed npm package installs and resolves as a user's project sees it
# (tests/package/), and the published crates package and build from their .crate files (`cargo
# package`, which verifies each against the just-packaged others). Published: the layer crates
# `hanpay-text`, `hanpay-apps`, `hanpay-policy` and the PG core `hanpay-pg`, `hanpay`, `hanpay-client` (the transport) and `hanpay-cli`; the sandbox and the FFI bridge are `publish = false` (a test stand-in, and the
# mobile bridge built from source by the sample apps). --allow-dirty: `make test` runs on
# uncommitted trees too.
test-package: package
	node --test tests/package/
	# The verification builds the workspace's crates as registry packages (the just-packaged
	# .crate files, unpacked under CARGO_HOME's registry/src/-<hash>/), and cargo trusts an
	# unpacked or built registry package of an unchanged version: without these two lines a
	# second run would verify against the first run's sources and builds of them.
	rm -rf "$${CARGO_HOME:-$$HOME/.cargo}"/registry/src/-*/hanpay-*
	cargo clean --profile dev -p hanpay-text -p hanpay-apps -p hanpay-policy -p hanpay-pg -p hanpay-web -p hanpay -p hanpay-client
	cargo package -p hanpay-text -p hanpay-apps -p hanpay-policy -p hanpay-pg -p hanpay-web -p hanpay -p hanpay-client -p hanpay-cli --allow-dirty --locked

## ---- demo ----------------------------------------------------------------

# The demo merchant's SQLite order store (sandbox/src/merchant/store.rs); tests use a temp file each.
SANDBOX_DB ?= target/sandbox-orders.sqlite

demo: pkg sandbox-bin
	@echo "hanpay demo: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop; orders kept in $(SANDBOX_DB))"
	PORT=$(PORT) HANPAY_SANDBOX_DB=$(SANDBOX_DB) $(SANDBOX)

## ---- tests ---------------------------------------------------------------

test: setup lint test-native test-browser test-browser-firefox test-browser-webkit test-e2e test-e2e-engines test-types test-bridge test-node test-package test-consumers size-check

# cli/tests/call.rs runs the sandbox binary.
test-native: sandbox-bin
	cargo test --workspace

# `--features server`: the signing, verification and server-call code the Node entry runs on
# wasm32 (serde_json is gated off the browser package; issue #16 item 5) is tested in the
# browsers' wasm engines too. The browser package itself never has the feature.
WASM_TEST_FEATURES := --features server

test-browser: setup-rust setup-apt
	env -u GECKODRIVER -u SAFARIDRIVER wasm-pack test --mode no-install --headless --chrome . $(WASM_TEST_FEATURES)

# The same wasm-bindgen tests in Firefox ESR (geckodriver adds -headless) and in WebKitGTK:
# wasm-bindgen-test-runner speaks W3C WebDriver to WebKitWebDriver through its Safari driver
# (SAFARIDRIVER, set by --safaridriver), which starts MiniBrowser on the Xvfb display.
# WASM_BINDGEN_TEST_WEBDRIVER_JSON points at an empty capabilities file: webdriver.json is Chromium's.
test-browser-firefox: setup-rust setup-apt setup-geckodriver
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=e2e/engines/webdriver-none.json \
	  wasm-pack test --mode no-install --headless --firefox --geckodriver $(GECKODRIVER_BIN) . $(WASM_TEST_FEATURES)

test-browser-webkit: setup-rust setup-apt
	env -u GECKODRIVER -u CHROMEDRIVER xvfb-run -a wasm-pack test --mode no-install --headless --safari --safaridriver $(WEBKITWEBDRIVER) . $(WASM_TEST_FEATURES)

test-e2e: setup-npm pkg sandbox-bin
	node --test --test-concurrency=1 e2e/

# The core E2E subset (popup, popup blocker, iframe layer, redirect, relay, bfcache cancel, one
# desktop flow per PG) in Firefox ESR and WebKitGTK through W3C WebDriver (e2e/webdriver.mjs).
test-e2e-engines: test-e2e-firefox test-e2e-webkit

test-e2e-firefox: setup-npm setup-apt setup-geckodriver pkg sandbox-bin
	HANPAY_ENGINE=firefox GECKODRIVER=$(GECKODRIVER_BIN) node --test --test-concurrency=1 e2e/engines/subset.mjs

test-e2e-webkit: setup-npm setup-apt pkg sandbox-bin
	HANPAY_ENGINE=webkit WEBKITWEBDRIVER=$(WEBKITWEBDRIVER) node --test --test-concurrency=1 e2e/engines/subset.mjs

# The package's TypeScript surface: e2e/types/example.ts must compile, misuse must not.
test-types: setup-npm pkg pkg-node
	node_modules/.bin/tsc -p e2e/types/tsconfig.json
	@echo "types: e2e/types/example.ts type-checks against pkg/index.d.ts"
	node_modules/.bin/tsc --noEmit --strict pkg-node/hanpay.d.ts pkg-node/server.d.ts
	@echo "types: the Node entry's generated .d.ts and hanpay/server's server.d.ts type-check"

# The Node entry (signing/verification for merchant servers in Node) over tests/data/pg-vectors.json,
# and classifyUrl (with its options) over tests/data/classify.json.
# tests/node/ also loads the browser package in Node (initSync), so it needs pkg/ too.
# The Node entry: wasm-pack's nodejs build in pkg-node/ (signing/verification for merchant servers).
# pkg-node/ also carries the server-only entry (js/server.mjs + js/server.d.ts as
# pkg-node/server.mjs, server.d.ts): the merchant-server calls sent with fetch. Its tests run
# against the sandbox binary.
pkg-node: setup-rust
	rm -rf pkg-node/snippets  # wasm-pack leaves an older build's snippet folders behind
	wasm-pack build --mode no-install --target nodejs --release --out-dir $(CURDIR)/pkg-node --out-name hanpay node -- -p hanpay-node
	cp js/server.mjs pkg-node/server.mjs
	cp js/server.d.ts pkg-node/server.d.ts

test-node: pkg-node pkg sandbox-bin
	node --test tests/node/

# The native bridge (issue 7): the C ABI from a gcc-built program and the JNI bridge in a
# plain JVM, both over tests/data/classify.json and user-agents.json.
test-bridge:
	bash ffi/tests/run-bridge-tests.sh

# Clippy for the host and for the wasm32 builds: the browser package (crates/hanpay-web, no_std,
# `browser-pkg`), the std build the browser tests use, and the Node entry. The browser package's
# size rules (no `format!`, no `str` char searchers: crates/clippy.toml) bind the crates under
# crates/ (clippy finds the file from each crate's directory upward; hanpay-pg has its own
# defaults file), and, through CLIPPY_CONF_DIR, every workspace crate the browser build compiles:
# hanpay-pg's `form.rs` and `error.rs` follow them there, its PG modules say why they are exempt
# (src/pg/mod.rs). The umbrella, the Node entry and the server-side crates keep clippy's defaults.
lint: setup-rust
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p hanpay-text -p hanpay-apps -p hanpay-policy -p hanpay-web --target wasm32-unknown-unknown -- -D warnings
	CLIPPY_CONF_DIR=$(CURDIR)/crates cargo clippy -p hanpay-web --target wasm32-unknown-unknown --features browser-pkg -- -D warnings
	cargo clippy -p hanpay-node --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p hanpay --target wasm32-unknown-unknown --features server --all-targets -- -D warnings

# Consumer apps (issue 16, tests/consumers/): Vite 8 and 7 (build and dev server), webpack 5,
# Next.js 16, Parcel 2 and esbuild (esm, iife) each build the packed tarball as their users do and
# run init/version/currentEnvironment/classifyUrl/open in Chromium against the sandbox. One
# node_modules for all (tests/consumers/package-lock.json), installed once; the tarball goes in
# with --no-save (its integrity changes with every build, so it is not in the lockfile). Builds
# run two at a time, offline.
CONSUMERS := tests/consumers

$(CONSUMERS)/node_modules/.package-lock.json: $(CONSUMERS)/package-lock.json $(CONSUMERS)/package.json
	cd $(CONSUMERS) && npm ci --no-audit --no-fund
	@touch $@

test-consumers: package sandbox-bin setup-npm $(CONSUMERS)/node_modules/.package-lock.json
	cd $(CONSUMERS) && npm install --no-save --offline --no-audit --no-fund ../../pkg/hanpay-*.tgz
	node --test --test-timeout=900000 $(CONSUMERS)/

## ---- hardening (issue 8) -------------------------------------------------

# Fuzzing (docs/fuzzing.md): not part of `make test`. FUZZ_SECONDS per target; the default
# reaches >= 10 million executions per target on the 2-core reference machine.
FUZZ_SECONDS ?= 900
export FUZZ_SECONDS

setup-fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

fuzz: setup-fuzz setup-npm
	fuzz/run.sh

# Browser package size (wasm + JS glue, gzip -9); the total is the last line. Budget: 50 KB
# (51,200 bytes), enforced by `make test` through size-check (docs/size.md "Where it stands").
SIZE_BUDGET := 51200

size: pkg
	@scripts/size.sh

size-check: pkg
	@BUDGET=$(SIZE_BUDGET) scripts/size.sh

# Latency medians in headless Chromium (www/bench.html); a measurement, not a test.
bench: setup-npm pkg sandbox-bin
	node e2e/bench.mjs

# What ships to browsers: the dependency tree of the wasm build (docs/dependencies.md).
deps:
	cargo tree -p hanpay --target wasm32-unknown-unknown -e normal
