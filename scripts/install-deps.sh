#!/usr/bin/env bash
# install-deps.sh - install what ftrace needs to build and test, on Debian 12.
#
# Idempotent and quick when everything is present: the apt part is skipped
# entirely (no `apt-get update`) when dpkg-query reports every package
# installed.  Then pytest is made available to the python3 first on PATH,
# which is the interpreter the test suite uses (tests/integration/lib.sh).
#
# Runs as root, or through sudo otherwise.  Prints what it installs.
#
# FT_DEPS=core installs only what building ftrace and recording a pytest
# project need (scripts/demo.sh): no autotools, strace or clang, and none of
# node, Go, Rust and cargo-nextest, which only the runners' tests use (a
# fresh machine compiled cargo-nextest for minutes before a 10-second demo).
# The default, FT_DEPS=all, is what the whole test suite needs.
set -euo pipefail

FT_DEPS=${FT_DEPS:-all}
case $FT_DEPS in
core|all) ;;
*) echo "install-deps: FT_DEPS must be core or all, not '$FT_DEPS'" >&2; exit 64 ;;
esac

PACKAGES=(
	build-essential cmake ninja-build pkg-config
	libsqlite3-dev libxxhash-dev libcjson-dev libcmocka-dev
	sqlite3 git python3 python3-pip
)
if [ "$FT_DEPS" = all ]; then
	# gcc-multilib and musl-tools build the 32-bit and musl programs that
	# the preload cannot load into (t1040); libcap2-bin's setcap gives a
	# program file capabilities (t4343); perl, tcl and a JDK are programs
	# that read the environment from memory (t4068)
	PACKAGES+=(autoconf automake strace clang libclang-rt-14-dev gcc-multilib musl-tools libcap2-bin
		perl tcl openjdk-17-jdk-headless)
fi

log() { echo "install-deps: $*"; }

if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
else
	SUDO=()
fi

# A package counts as present only in state "install ok installed".
missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	log "all Debian packages present"
else
	if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
		echo "install-deps: missing ${missing[*]}, and not root and no sudo" >&2
		exit 1
	fi
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update -q
	"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# pytest and pytest-xdist (t2022 records xdist workers) for the python3 first
# on PATH (which may be pyenv's, not Debian's): only what is missing.
PY=$(command -v python3)
pip_missing=()
"$PY" -m pytest --version >/dev/null 2>&1 || pip_missing+=(pytest)
"$PY" -c 'import xdist' >/dev/null 2>&1 || pip_missing+=(pytest-xdist)
if [ ${#pip_missing[@]} -eq 0 ]; then
	log "pytest and pytest-xdist present for $PY"
else
	log "installing ${pip_missing[*]} for $PY"
	export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
	pip_args=(-m pip install -q "${pip_missing[@]}")
	# Debian's own interpreter is "externally managed" (PEP 668); only there
	# do we override that, every other python3 gets a plain install.
	real=$(readlink -f "$PY")
	if [ "$real" = "$(readlink -f /usr/bin/python3)" ]; then
		pip_args+=(--break-system-packages)
		"${SUDO[@]}" "$PY" "${pip_args[@]}"
	else
		"$PY" "${pip_args[@]}"
	fi
	"$PY" -m pytest --version
fi

[ "$FT_DEPS" = core ] && exit 0

# pytest for every other CPython 3.11 or later that pyenv holds: the
# function recorder's tests run under each one they find with pytest
# (tests/integration/lib.sh, ft_each_python), and 3.12's sys.monitoring
# hook is another recorder than 3.11's frame hook.
if command -v pyenv >/dev/null 2>&1; then
	for py in "$(pyenv root)"/versions/3.1[1-9]*/bin/python3; do
		[ -x "$py" ] || continue
		"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || continue
		"$py" -c 'import pytest, xdist' >/dev/null 2>&1 && continue
		log "installing pytest and pytest-xdist for $py"
		PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 \
			"$py" -m pip install -q pytest pytest-xdist || log "no pytest for $py (its tests skip it)"
	done
fi

# node and npm, for the jest tests (jest itself comes from the npm registry
# per fixture: tests/integration/lib-jest.sh).
bash "$(dirname "${BASH_SOURCE[0]}")/install-node.sh"
# Go, for the go test runner's tests (docs/go.md).
bash "$(dirname "${BASH_SOURCE[0]}")/install-go.sh"
# Rust and cargo-nextest for the cargo tests (scripts/install-rust.sh).
bash "$(dirname "${BASH_SOURCE[0]}")/install-rust.sh"
