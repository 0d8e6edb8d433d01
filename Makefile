# Async Playground — every command a developer or CI needs.
#   make serve   install what is missing, build, serve on http://127.0.0.1:8080
#   make test    install what is missing, run every check and test
#   make dist    release build into dist/ (relative URLs: works under any sub-path;
#                PUBLIC_URL=/sub/path/ pins an absolute one)
# Installs are skipped when the right version is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION     := 0.21.14
WASM_PACK_VERSION := 0.15.1
# Site generators the e2e builds tutorial sites with (see docs/embedding.md);
# the Python ones are pinned in e2e/sites/requirements.txt.
MDBOOK_VERSION    := 0.5.4
# The CLI must equal the wasm-bindgen crate version pinned in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
PUBLIC_URL ?= ./
SERVE_ADDRESS ?= 127.0.0.1
SERVE_PORT ?= 8080

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
NODE_BIN  := $(CURDIR)/e2e/node_modules/.bin
DOCS_VENV := $(CURDIR)/.venv
export PATH := $(NODE_BIN):$(CARGO_BIN):$(DOCS_VENV)/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_PACK_CACHE := $(CURDIR)/.wasm-pack-cache
# Trunk must use the pinned local tools and never try a download.
export TRUNK_SKIP_VERSION_CHECK := true
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: bench help setup setup-rust setup-node setup-browser setup-docs serve dist test lint test-native test-browser test-budget report-budget test-e2e clean

help:
	@echo "make serve   build and serve on http://$(SERVE_ADDRESS):$(SERVE_PORT)"
	@echo "make test    run every check and test (installs what is missing)"
	@echo "make dist    release build into dist/"

## ---- setup: idempotent installs ------------------------------------------

setup: setup-rust setup-node

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes)…"; \
	  cargo install wasm-bindgen-cli --version =$(WASM_BINDGEN_VERSION) --force; \
	fi
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  echo "Installing trunk $(TRUNK_VERSION) (about 15 minutes on 2 cores)…"; \
	  cargo install --locked trunk --version =$(TRUNK_VERSION) --force; \
	fi
	@if [ "$$(wasm-pack --version 2>/dev/null)" != "wasm-pack $(WASM_PACK_VERSION)" ]; then \
	  echo "Installing wasm-pack $(WASM_PACK_VERSION) (a few minutes)…"; \
	  cargo install --locked wasm-pack --version =$(WASM_PACK_VERSION) --force; \
	fi

# wasm-opt (npm binaryen) for trunk's release build, and playwright-core.
setup-node: e2e/node_modules/.installed

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium and its matching driver, for browser and e2e tests.
setup-browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "Installing chromium and chromium-driver from apt…"; \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; \
	fi

# The site generators the e2e builds tutorials with: mdBook (crates.io),
# MkDocs + pymdown-extensions and Sphinx + MyST (PyPI, in .venv/), Hugo and
# Jekyll (Debian). Each is skipped when present at the right version.
setup-docs: $(DOCS_VENV)/.installed
	@if [ "$$(mdbook --version 2>/dev/null)" != "mdbook v$(MDBOOK_VERSION)" ]; then \
	  echo "Installing mdbook $(MDBOOK_VERSION) (about 3 minutes on 2 cores)…"; \
	  cargo install --locked mdbook --version =$(MDBOOK_VERSION) --no-default-features --features search --force; \
	fi
	@if ! command -v hugo >/dev/null || ! command -v jekyll >/dev/null; then \
	  echo "Installing hugo and jekyll from apt…"; \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends hugo jekyll; \
	fi

$(DOCS_VENV)/.installed: e2e/sites/requirements.txt
	@python3 -c 'import ensurepip' 2>/dev/null || { \
	  $(SUDO) apt-get update -q; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q python3-venv; }
	@[ -x $(DOCS_VENV)/bin/pip ] || python3 -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/pip install -q --disable-pip-version-check -r e2e/sites/requirements.txt
	@touch $@

## ---- build and serve --------------------------------------------------------

dist: setup
	trunk build --release --offline --public-url $(PUBLIC_URL)

serve: setup
	trunk serve --release --offline --no-autoreload --address $(SERVE_ADDRESS) --port $(SERVE_PORT)

## ---- tests --------------------------------------------------------------------

test: setup setup-browser setup-docs lint test-native test-browser dist test-budget test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test

# Chromium leaves its profiles and scoped dirs (~50 MB a launch) in TMPDIR:
# each run gets its own, removed when it ends, pass or fail.
test-browser:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && TMPDIR=$$tmp wasm-pack test --headless --chrome

# The first-load budget: the app's wasm + JS in dist/, gzip -9, at most 272 KiB.
test-budget: dist
	node bench/budget.mjs

# Prints the figures without failing (for a look while a change is under way);
# `make test` runs `test-budget`, which fails over the budget.
report-budget: dist
	node bench/budget.mjs || echo "warning: the first-load bundle is over its budget (make test-budget fails)"

# Every generator must be there (a missing one fails, not skips, its test).
test-e2e: setup-node setup-docs
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cd e2e && TMPDIR=$$tmp E2E_REQUIRE_GENERATORS=1 node --test e2e.mjs

clean:
	cargo clean
	rm -rf dist e2e/out .wasm-pack-cache .venv

## ---- benchmark ----------------------------------------------------------------

bench: setup setup-browser dist
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && TMPDIR=$$tmp node bench/bench.mjs
