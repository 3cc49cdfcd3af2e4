#!/usr/bin/env bash
# install-node.sh - node and npm for the jest tests (t804N-jest-*), on
# Debian 12.  Idempotent: nothing happens when `node` and `npm` are on PATH
# (a newer Node from elsewhere is kept).  Otherwise Debian's nodejs and npm
# packages are installed with apt, as root or through sudo.
#
# jest itself is not installed here: each test copies fixtures/jest-basic
# and installs its package-lock.json with `npm ci` once per machine
# (tests/integration/lib-jest.sh), from the npm registry through npm's own
# cache (~/.npm).
set -euo pipefail

log() { echo "install-node: $*"; }

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	log "node $(node --version) and npm $(npm --version 2>/dev/null) present"
	exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
else
	echo "install-node: node or npm missing, and not root and no sudo" >&2
	exit 1
fi
log "installing nodejs npm"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends nodejs npm
node --version
npm --version
