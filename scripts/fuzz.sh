#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and
# run each for a bounded time from its seed corpus (docs/fuzzing.md).
#
# A crash, a sanitizer report, a leak or a failed check in a target fails
# the script; the input that did it is kept in <build dir>/fuzz-artifacts/
# and named on stderr (add it to tests/fuzz/corpus/<target>/ as regress-*
# once fixed).  The repository's corpus is only read: new inputs go to a
# scratch copy, removed at the end.
#
# Usage: scripts/fuzz.sh [TARGET...]   (default: every target, e.g. reclog)
# Environment:
#   FT_FUZZ_SECONDS   seconds per target (default 60)
#   FT_FUZZ_BUILD_DIR build directory, relative to the source tree
#                     (default build-fuzz)
#   FT_FUZZ_JOBS      ninja parallelism (default 2)
#   CC                the clang to use (default clang)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=${FT_FUZZ_SECONDS:-60}
DIR=$ROOT/${FT_FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${FT_FUZZ_JOBS:-2}
CC=${CC:-clang}
case $CC in *clang*) ;; *) CC=clang ;; esac

command -v "$CC" >/dev/null || { echo "fuzz.sh: no $CC (scripts/install-deps.sh installs clang)" >&2; exit 1; }
echo "=== fuzz.sh: configure $DIR"
CC=$CC cmake -S "$ROOT" -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DFTRACE_FUZZ=ON -DFTRACE_TESTS=OFF >/dev/null || { echo "fuzz.sh: configure failed" >&2; exit 1; }
echo "=== fuzz.sh: build"
cmake --build "$DIR" --target fuzz_targets -j "$JOBS" || { echo "fuzz.sh: build failed" >&2; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$ROOT"/tests/fuzz/fuzz_*.c; do
		t=${f##*/fuzz_}
		targets+=("${t%.c}")
	done
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$DIR/fuzz-artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
	bin=$DIR/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz.sh: no target $t ($bin)" >&2; failed+=("$t"); continue; }
	mkdir -p "$scratch/$t"
	cp -r "$ROOT/tests/fuzz/corpus/$t/." "$scratch/$t/" 2>/dev/null || true
	echo "=== fuzz.sh: $t for ${SECS}s ($(ls "$scratch/$t" | wc -l) seeds)"
	# -max_len: the largest seed or 64 KiB; -timeout: an input that takes
	# 10 s is a hang (the parsers must never block on their input)
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$DIR/fuzz-artifacts/$t-" \
		"$scratch/$t" >"$scratch/$t.log" 2>&1
	rc=$?
	grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/$t.log" | tr '\n' ' '
	echo
	if [ $rc -ne 0 ]; then
		tail -60 "$scratch/$t.log" >&2
		echo "fuzz.sh: $t failed (exit $rc); input kept: $(ls -t "$DIR/fuzz-artifacts/$t-"* 2>/dev/null | head -1)" >&2
		failed+=("$t")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz.sh: failed: ${failed[*]}" >&2
	exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${SECS}s each, no finding"
