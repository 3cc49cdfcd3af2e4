#!/usr/bin/env bash
# test.sh - build ftrace and run the whole test suite, twice:
#
#   1. build/       plain build (Ninja), ctest
#   2. build-asan/  -DFTRACE_SANITIZE=ON (ASan + UBSan for ftrace and the
#                   unit tests; the preload library is never sanitized, see
#                   CMakeLists.txt), ctest.  The integration tests then run
#                   the sanitized `ftrace`, since ctest hands them FTRACE_BIN
#                   of the build they belong to.
#   3. build-fuzz/  scripts/fuzz.sh: the libFuzzer targets (clang), each run
#                   FT_FUZZ_SECONDS (default 60) from tests/fuzz/corpus; a
#                   finding fails this step (docs/fuzzing.md).  About 8 min
#                   for its build and 6 targets.
#
# Works from a clean clone (no build directory).  Exits non-zero if any step
# fails, after running every step it can; the last line is a plain summary
# "test: N passed, N failed" counting ctest tests of both builds.
#
# Environment:
#   FT_TEST_JOBS   ctest/ninja parallelism (default 2)
#   FT_SKIP_DEPS=1 do not run scripts/install-deps.sh
#   FT_SKIP_ASAN=1 skip the sanitized build (local quick runs only)
#   FT_SKIP_FUZZ=1 skip the fuzz step (local quick runs only)
#   FT_FUZZ_SECONDS seconds per fuzz target (default 60)
#   FT_BUILD_DIR, FT_ASAN_BUILD_DIR  build directories, relative to the
#                  source tree (default build, build-asan)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${FT_TEST_JOBS:-2}
cd "$ROOT" || exit 1

total_pass=0
total_fail=0
failed_steps=()

step() { echo; echo "=== test.sh: $*"; }

if [ "${FT_SKIP_DEPS:-0}" != 1 ]; then
	step "install dependencies"
	bash "$ROOT/scripts/install-deps.sh" || { echo "test.sh: install-deps.sh failed" >&2; exit 1; }
fi

# build_and_test DIR [cmake args...]: configure, build, ctest; counts results.
build_and_test() {
	local dir=$1 log rc=0 pass fail
	shift
	step "configure $dir $*"
	if ! cmake -S "$ROOT" -B "$ROOT/$dir" -G Ninja "$@"; then
		failed_steps+=("configure $dir"); total_fail=$((total_fail + 1)); return
	fi
	step "build $dir"
	if ! cmake --build "$ROOT/$dir" -j "$JOBS"; then
		failed_steps+=("build $dir"); total_fail=$((total_fail + 1)); return
	fi
	step "ctest $dir"
	log=$(mktemp)
	ctest --test-dir "$ROOT/$dir" --output-on-failure -j "$JOBS" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# "100% tests passed, 0 tests failed out of 12"
	fail=$(sed -n 's/.* tests passed, \([0-9]*\) tests* failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
	pass=$(sed -n 's/.* tests passed, \([0-9]*\) tests* failed out of \([0-9]*\).*/\2/p' "$log" | tail -1)
	if grep -q 'No tests were found' "$log"; then
		fail=0 pass=0
	fi
	rm -f "$log"
	if [ -z "$fail" ] || [ -z "$pass" ]; then
		# ctest died before its summary: count the whole step as one failure.
		failed_steps+=("ctest $dir (no summary, exit $rc)"); total_fail=$((total_fail + 1)); return
	fi
	pass=$((pass - fail))
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	[ "$rc" -eq 0 ] || failed_steps+=("ctest $dir (exit $rc)")
}

# The first pytest run on a machine writes caches into the interpreter's
# own site-packages: pytest rewrites its plugins' modules (pytest-xdist's)
# and keeps them as __pycache__/*-pytest-*.pyc there.  A recording made by
# that run saw those files written, so an `affected` right after it selects
# its tests for them (sound: ftrace cannot tell that the file was only a
# cache), and a test that expects "nothing changed" fails on a fresh
# machine only.  So every interpreter the tests use runs pytest once here,
# as it has on any machine that ran pytest before.
warm_pytest() {
	local py dir pys=(python3 /usr/bin/python3)
	if command -v pyenv >/dev/null 2>&1; then
		for py in "$(pyenv root)"/versions/*/bin/python3; do pys+=("$py"); done
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-warm.XXXXXX") || return 0
	printf 'def test_warm():\n    pass\n' >"$dir/test_warm.py"
	for py in "${pys[@]}"; do
		[ -x "$py" ] || command -v "$py" >/dev/null 2>&1 || continue
		# (with bytecode written whatever the caller's environment says:
		# the pytest tests write it, and one that finds a plugin's .pyc
		# being written by another at the same time rightly calls it
		# "unknown at recording"; t2001 on a fresh machine whose shell
		# had PYTHONDONTWRITEBYTECODE set)
		(cd "$dir" && env -u PYTHONDONTWRITEBYTECODE -u PYTHONPYCACHEPREFIX \
			"$py" -m pytest -q -p no:cacheprovider test_warm.py >/dev/null 2>&1) || :
	done
	rm -rf "$dir"
}
step "warm pytest's caches"
warm_pytest

# Go's module cache directory ($GOPATH/pkg/mod) is made by the first go
# command that needs it.  On a fresh machine that was one Go test while
# another recorded: the recording saw $GOPATH absent, then present, and
# its tests were "unknown at recording" (t7100 beside t7101).  So it is
# made once here, as on any machine that ran go before.
for go in go /usr/local/go/bin/go /usr/lib/go/bin/go; do
	if command -v "$go" >/dev/null 2>&1; then
		gomod=$("$go" env GOMODCACHE 2>/dev/null) || gomod=
		[ -z "$gomod" ] || mkdir -p "$gomod" 2>/dev/null || :
		break
	fi
done

build_and_test "${FT_BUILD_DIR:-build}" -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ "${FT_SKIP_ASAN:-0}" != 1 ]; then
	# verify_asan_link_order=0: `ftrace __ptrace-exec` (the sanitized ftrace)
	# is started by preloaded processes with our library in LD_PRELOAD,
	# ahead of the ASan runtime (docs/ptrace.md)
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:verify_asan_link_order=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	build_and_test "${FT_ASAN_BUILD_DIR:-build-asan}" -DCMAKE_BUILD_TYPE=Debug -DFTRACE_SANITIZE=ON
fi

if [ "${FT_SKIP_FUZZ:-0}" != 1 ]; then
	step "fuzz (scripts/fuzz.sh, ${FT_FUZZ_SECONDS:-60}s per target)"
	if ! FT_FUZZ_JOBS=$JOBS bash "$ROOT/scripts/fuzz.sh"; then
		failed_steps+=("fuzz"); total_fail=$((total_fail + 1))
	fi
fi

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
	printf 'test.sh: failed step: %s\n' "${failed_steps[@]}"
fi
echo "test: $total_pass passed, $total_fail failed"
if [ ${#failed_steps[@]} -gt 0 ] || [ "$total_fail" -gt 0 ]; then
	exit 1
fi
if [ "$total_pass" -eq 0 ]; then
	echo "test.sh: no test ran" >&2
	exit 1
fi
exit 0
