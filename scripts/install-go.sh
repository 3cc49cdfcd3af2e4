#!/usr/bin/env bash
# install-go.sh - make a Go toolchain available for the go test runner's
# tests (tests/integration/t71NN-go-*.sh, docs/go.md).  Called by
# install-deps.sh; idempotent and quick when Go is there.
#
# A `go` on PATH, /usr/local/go/bin/go (the upstream tarball's place) or
# /usr/lib/go/bin/go is used as it is.  Otherwise Debian's golang-go is
# installed with apt (Go 1.19 on Debian 12, enough: ftrace needs
# `go list -json=FIELDS`, Go 1.19 or later).  Runs as root, or through sudo.
set -euo pipefail

log() { echo "install-go: $*"; }

for go in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
	if [ -n "$go" ] && [ -x "$go" ] && "$go" version >/dev/null 2>&1; then
		log "present: $go ($("$go" version))"
		exit 0
	fi
done

if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
else
	echo "install-go: no Go toolchain, and not root and no sudo to install golang-go" >&2
	exit 1
fi
log "installing golang-go"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends golang-go
go version
