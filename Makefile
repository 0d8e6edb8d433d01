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
# The CLI must equal the wasm-bindgen crate version pinned in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
PUBLIC_URL ?= ./
SERVE_ADDRESS ?= 127.0.0.1
SERVE_PORT ?= 8080

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
NODE_BIN  := $(CURDIR)/e2e/node_modules/.bin
export PATH := $(NODE_BIN):$(CARGO_BIN):$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_PACK_CACHE := $(CURDIR)/.wasm-pack-cache
# Trunk must use the pinned local tools and never try a download.
export TRUNK_SKIP_VERSION_CHECK := true
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: bench help setup setup-rust setup-node setup-browser serve dist test lint test-native test-browser test-e2e clean

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

## ---- build and serve --------------------------------------------------------

dist: setup
	trunk build --release --offline --public-url $(PUBLIC_URL)

serve: setup
	trunk serve --release --offline --no-autoreload --address $(SERVE_ADDRESS) --port $(SERVE_PORT)

## ---- tests --------------------------------------------------------------------

test: setup setup-browser lint test-native test-browser dist test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test

test-browser:
	wasm-pack test --headless --chrome

test-e2e: setup-node
	cd e2e && node --test e2e.mjs

clean:
	cargo clean
	rm -rf dist e2e/out .wasm-pack-cache

## ---- benchmark ----------------------------------------------------------------

bench: setup setup-browser dist
	node bench/bench.mjs
