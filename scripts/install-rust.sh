#!/usr/bin/env bash
# install-rust.sh - the Rust toolchain and cargo-nextest for the cargo tests
# (tests/integration/t802*-cargo-*.sh, t803*-nextest-*.sh).
#
# Idempotent, and quick when everything is present:
#   - cargo and rustc: from $CARGO_HOME/bin (default ~/.cargo/bin) or PATH;
#     else rustup's official installer (minimal profile, stable).
#   - cargo-nextest: from crates.io with `cargo install cargo-nextest
#     --locked` (several minutes on two cores: once per machine), skipped
#     when `cargo nextest --version` works.  If another `cargo install
#     cargo-nextest` is already running, this waits for it instead of
#     compiling a second copy.
# FT_SKIP_NEXTEST=1 skips cargo-nextest (its tests then skip).
set -euo pipefail

log() { echo "install-rust: $*"; }

CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
export PATH="$CARGO_BIN:$PATH"

if command -v cargo >/dev/null 2>&1 && command -v rustc >/dev/null 2>&1; then
	log "cargo present: $(cargo --version)"
else
	log "installing the Rust toolchain with rustup (stable, minimal profile)"
	command -v curl >/dev/null 2>&1 || { echo "install-rust: curl is needed" >&2; exit 1; }
	curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
		sh -s -- -y --profile minimal --default-toolchain stable --no-modify-path
	cargo --version
fi

[ "${FT_SKIP_NEXTEST:-0}" = 1 ] && { log "cargo-nextest skipped (FT_SKIP_NEXTEST=1)"; exit 0; }

# another install of it in progress (say, started by hand): wait for it
while pgrep -f 'cargo install cargo-nextest' >/dev/null 2>&1; do
	log "waiting for a running 'cargo install cargo-nextest'"
	sleep 20
done
if cargo nextest --version >/dev/null 2>&1; then
	log "cargo-nextest present: $(cargo nextest --version | head -1)"
else
	log "installing cargo-nextest from crates.io (this compiles for several minutes)"
	cargo install cargo-nextest --locked
	cargo nextest --version | head -1
fi
