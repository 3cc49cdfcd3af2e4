# bench/affected/real.sh - sourced by bench/affected/run.sh and
# bench/watch/run.sh: a real library, recorded once.
#
# real_setup REPO KIND: clone REPO (a git directory with a pytest suite)
# into bench/out/KIND-real-<name>-<stamp>/work (at BENCH_REAL_AT when it
# is set, a commit of the clone; else its HEAD) (not under /tmp: ftrace
# treats temporary directories as outputs), give it its own venv there
# (pytest and BENCH_REAL_PIP from PyPI, the clone as an editable
# install), date its files back, and record it once with `ftrace run --
# python -m pytest` into FTRACE_DIR=<out>/state (exported).  Leaves the
# shell in the clone, with `real_out` and `real_name` set, and prints one
# line: files tracked, tests recorded.  Needs `src`, `py` and `ftrace`.
real_setup() {
	real_name=${BENCH_REAL_NAME:-$(basename "$1")}
	real_out=$src/bench/out/$2-real-$real_name-$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$real_out"
	git clone -q "$1" "$real_out/work"
	if [ -n "${BENCH_REAL_AT:-}" ]; then
		git -C "$real_out/work" checkout -q "$BENCH_REAL_AT"
	fi
	"$py" -m venv "$real_out/venv"
	"$real_out/venv/bin/python" -m pip install -q --disable-pip-version-check pytest ${BENCH_REAL_PIP:-} >&2
	"$real_out/venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$real_out/work" >&2
	cd "$real_out/work"
	# A file written within the racy window of the recording is recorded
	# as unknown and selects its tests (docs/racy-stat.md); the clone is
	# seconds old, so date its files back as a real checkout's are.
	find . -path ./.git -prune -o -exec touch -h -d '2020-01-01' {} +
	export FTRACE_DIR=$real_out/state
	# a failing test is still a recorded test: the status is not ours to judge
	"$ftrace" run -q -- "$real_out/venv/bin/python" -m pytest -q -p no:cacheprovider \
		>"$real_out/record.log" 2>&1 || true
	local n
	n=$("$py" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM tests").fetchone()[0])' \
		"$FTRACE_DIR/ftrace.db")
	printf 'real (%s at %s): %d files tracked, %d tests recorded (%s)\n' "$real_name" \
		"$(git rev-parse --short HEAD)" "$(git ls-files | wc -l)" "$n" "$(tail -1 "$real_out/record.log")"
}
