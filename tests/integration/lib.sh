# lib.sh - sourced by every tests/integration/tNNNN-*.sh script.
#
# Environment (set by ctest; defaults let a script run by hand from the
# source tree after `cmake -S . -B build && cmake --build build`):
#   FTRACE_BIN        the ftrace binary under test
#   FTRACE_BUILD_DIR  the build tree (preload helper programs live there)
#   FTRACE_SOURCE_DIR the source tree (fixtures/)
#
# Conventions: a script exits 0 on success, non-zero on failure, 77 to skip.
# Each script works in its own scratch directory, removed on success and
# kept (and named on stderr) on failure.  Mtimes are set with touch -d, never
# waited for.

set -euo pipefail

FTRACE_SOURCE_DIR=${FTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FTRACE_BUILD_DIR=${FTRACE_BUILD_DIR:-$FTRACE_SOURCE_DIR/build}
FTRACE_BIN=${FTRACE_BIN:-$FTRACE_BUILD_DIR/ftrace}
FT_PROGS=$FTRACE_BUILD_DIR/tests/preload
export FTRACE_SOURCE_DIR FTRACE_BUILD_DIR FTRACE_BIN
# The caller's own ftrace settings (FTRACE_DIR, FTRACE_GRANULARITY,
# FTRACE_PYTHON, ... from a developer's shell) are not a test's: each
# script sets what it means.  A FTRACE_DIR left set recorded every test
# into one foreign state directory ("belongs to the repository at ...").
while read -r ft__v; do
	case $ft__v in
	FTRACE_SOURCE_DIR | FTRACE_BUILD_DIR | FTRACE_BIN) ;;
	FTRACE_*) unset "$ft__v" ;;
	esac
done < <(compgen -e)
unset ft__v

# No bytecode, whatever the caller's environment says: ft_edit and
# ft_settle give an edited file its old mtime back, and a same-size edit
# of a module whose .pyc was written then runs the stale .pyc (t9800's
# "a constant every importer sees" changed no outcome on a machine whose
# shell did not set this).  The scripts that check bytecode's own rules
# unset it (lib-pytest.sh, t2000, ...).
export PYTHONDONTWRITEBYTECODE=1

# The interpreter the tests mean: the first python3 on PATH, which is where
# the suite's pytest is installed (scripts/install-deps.sh).
FT_PYTHON=${FT_PYTHON:-$(command -v python3)}

FT_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-test.XXXXXX")
ft__cleanup() {
	local rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
		rm -rf "$FT_SCRATCH"
	else
		ft__explain_failure
		echo "FAILED ($rc); scratch kept in $FT_SCRATCH" >&2
	fi
}

# On a failure in a directory with a recording: what `ftrace affected`
# selects now and why (its json reasons), and the run directories left, so
# that a failure seen only on another machine (CI) can be read from its log.
ft__explain_failure() {
	[ -d .ftrace ] || return 0
	{
		echo "--- ftrace affected --format json (why each test is selected now):"
		"$FTRACE_BIN" affected --format json 2>&1 | head -c 6000
		echo
		echo "--- .ftrace/runs:"
		ls -la .ftrace/runs 2>&1 | head -20
	} >&2 || true
}
trap ft__cleanup EXIT

ft_skip() { echo "SKIP: $*" >&2; exit 77; }
ft_fail() { echo "FAIL: $*" >&2; exit 1; }
ft_log() { echo "# $*" >&2; }

# ftrace with the test's arguments.
ft() { "$FTRACE_BIN" "$@"; }

# Copy fixtures/<name> into the scratch dir as a fresh git repository and cd
# there.  The copy's files all get one old mtime, so that nothing is racy.
ft_fixture() {
	local name=$1 dest=$FT_SCRATCH/${2:-$1}
	cp -a "$FTRACE_SOURCE_DIR/fixtures/$name" "$dest"
	find "$dest" -name __pycache__ -prune -exec rm -rf {} +
	find "$dest" -exec touch -h -d '2020-01-01 00:00:00' {} +
	(cd "$dest" && git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture)
	cd "$dest"
}

# ft_bad_file KIND PATH: put a broken or hostile thing of KIND at PATH, as
# a cache ftrace keeps might be found: garbage (cut-off JSON), empty, fifo,
# symlink (to $FT_SCRATCH/elsewhere.json, which holds "{}"), dir.
ft_bad_file() {
	rm -rf "$2"
	case $1 in
	garbage) printf '{"key": [1, 2' >"$2" ;;
	empty) : >"$2" ;;
	fifo) mkfifo "$2" ;;
	symlink) printf '{}' >"$FT_SCRATCH/elsewhere.json" && ln -s "$FT_SCRATCH/elsewhere.json" "$2" ;;
	dir) mkdir "$2" ;;
	*) ft_fail "ft_bad_file: no kind $1" ;;
	esac
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	if [ "$1" != "$2" ]; then
		printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$3" "$1" "$2" >&2
		exit 1
	fi
}

# assert_set "a b c" "$(command printing one item per line)" WHAT
# Compares as sorted sets, so order does not matter.
assert_set() {
	local want got
	want=$(printf '%s\n' $1 | sed '/^$/d' | LC_ALL=C sort -u)
	got=$(printf '%s\n' "$2" | sed '/^$/d' | LC_ALL=C sort -u)
	assert_eq "$want" "$got" "$3"
}

# assert_status EXPECTED CMD...  runs CMD, compares its exit status.
assert_status() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	[ "$rc" -eq "$want" ] || ft_fail "'$*' exited $rc, expected $want"
}

# ft_clock_past_ctime [PATH...]: wait until the clock is 20 ms past the
# newest ctime of PATHs (default: the whole tree below ., without .git and
# .ftrace).  touch can set an mtime but never a ctime, and a file whose
# ctime falls in the clock tick a recording starts in has, as far as ftrace
# can tell, changed during the run: it is rightly recorded as "unknown" and
# its test selected again.  A test that edits and then records must not
# depend on being slow.  This waits for a condition (a few milliseconds at
# most), never for a fixed time.
ft_clock_past_ctime() {
	local newest sec frac end
	if [ $# -gt 0 ]; then
		newest=$(find "$@" -maxdepth 0 -printf '%C@\n' | LC_ALL=C sort -n | tail -1)
	else
		newest=$(find . \( -path ./.git -o -path ./.ftrace \) -prune -o -printf '%C@\n' |
			LC_ALL=C sort -n | tail -1)
	fi
	[ -n "$newest" ] || return 0
	sec=${newest%.*} frac=${newest#*.}000000000
	end=$(( sec * 1000000000 + 10#${frac:0:9} + 20000000 ))
	while [ "$(date +%s%N)" -lt "$end" ]; do :; done
}

# ft_settle: every path of the tree edited since ft_fixture gets the
# fixture's old mtime back, then ft_clock_past_ctime.
ft_settle() {
	find . \( -path ./.git -o -path ./.ftrace \) -prune -o \
		-newermt '2020-01-01 00:00:01' -exec touch -h -d '2020-01-01 00:00:00' {} +
	ft_clock_past_ctime
}

# ft_edit FILE OLD NEW: replace OLD (which must occur exactly once) by NEW
# in FILE, then settle the tree.  ft_back FILE...: git's version again.
ft_edit() {
	"$FT_PYTHON" - "$@" <<'PY' || ft_fail "edit $*"
import sys
f, old, new = sys.argv[1:4]
s = open(f, encoding="utf-8").read()
assert s.count(old) == 1, (f, old)
open(f, "w", encoding="utf-8").write(s.replace(old, new))
PY
	ft_settle
}
# ft_pyedit FILE EXPR: rewrite FILE with the Python expression EXPR over
# its text `s` (it must change it), then wait past the edit's ctime.
ft_pyedit() {
	"$FT_PYTHON" - "$1" "$2" <<-'PY' || ft_fail "pyedit $*"
	import sys
	path, expr = sys.argv[1], sys.argv[2]
	s = open(path).read()
	t = eval(expr)
	assert t != s, "no change"
	open(path, "w").write(t)
	PY
	ft_clock_past_ctime
}
# (The files are removed first: ft_settle leaves every mtime at one value,
# and git without nanosecond ctimes takes a same-size edit made within the
# second of its last index refresh for clean, and would not restore it.)
ft_back() { rm -f -- "$@" && git checkout -q -- "$@"; ft_settle; }

# ft_counting_python NAME...: $FT_SCRATCH/NAME, a wrapper of $FT_PYTHON
# that appends its arguments to $FT_SCRATCH/python.log (FT_PYLOG) before
# it runs, so that a script counts the interpreter's starts (ft_pystarts).
FT_PYLOG=$FT_SCRATCH/python.log
ft_counting_python() {
	local w
	for w in "$@"; do
		cat >"$FT_SCRATCH/$w" <<SH
#!/bin/sh
printf '%s\n' "\$*" >>"$FT_PYLOG"
exec "$FT_PYTHON" "\$@"
SH
		chmod +x "$FT_SCRATCH/$w"
	done
}
ft_pystarts() { if [ -f "$FT_PYLOG" ]; then wc -l <"$FT_PYLOG"; else echo 0; fi; }

# ft_each_python FN: FN INDEX once per interpreter of 3.11 or later that
# has pytest ($FT_PYTHON, Debian's, pyenv's, those in FT_EXTRA_PYTHONS,
# e.g. venvs), each installation once, with PY set to it and its
# directory first on PATH (`ftrace affected` fingerprints with the
# recording's interpreter found there, as in an activated venv).  Skips
# the script when there is none.
# ft_pythons311: each distinct CPython 3.11 or later found ($FT_PYTHON,
# Debian's, pyenv's), by the real path of its executable, one a line;
# pytest not needed (ft_each_python wants it)
ft_pythons311() {
	local p r seen=" "
	for p in "$FT_PYTHON" /usr/bin/python3.1[1-9] "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-9]*/bin/python3; do
		[ -x "$p" ] || continue
		"$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || continue
		r=$("$p" -c 'import os, sys; print(os.path.realpath(sys.executable))') || continue
		case $seen in *" $r "*) continue ;; esac
		seen="$seen$r "
		printf '%s\n' "$p"
	done
}

ft_each_python() {
	local fn=$1 p r found=0 seen=" " path0=$PATH
	for p in "$FT_PYTHON" /usr/bin/python3.1[1-9] "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-9]*/bin/python3 \
		${FT_EXTRA_PYTHONS:-}; do
		[ -x "$p" ] || continue
		"$p" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || continue
		r=$("$p" -c 'import sys; print(sys.prefix, sys.version)') || continue
		case $seen in *" $r "*) continue ;; esac
		seen="$seen$r "
		PY=$p
		PATH=$(dirname "$p"):$path0
		"$fn" "$found"
		found=$((found + 1))
	done
	PATH=$path0
	[ "$found" -gt 0 ] || ft_skip "no Python 3.11 or later with pytest"
}

# ft_cheap_hook: true when the pytest plugin records functions for
# $FT_PYTHON at the default granularity (auto): CPython 3.12+ (its
# sys.monitoring), or 3.11 with the frame hook this build made for it
# and no FTRACE_PYFUNC_HOOK forcing a slower one (docs/python-functions.md).
ft_cheap_hook() {
	FTRACE_ADAPTERS=$FTRACE_BUILD_DIR/adapters/pytest "$FT_PYTHON" - <<'PY'
import os, sys, sysconfig
ok = sys.implementation.name == "cpython" and (
    sys.version_info >= (3, 12) or
    (sys.version_info >= (3, 11) and not os.environ.get("FTRACE_PYFUNC_HOOK") and
     os.path.exists(os.path.join(os.environ["FTRACE_ADAPTERS"],
                                 "_ftrace_fframe" + sysconfig.get_config_var("EXT_SUFFIX")))))
sys.exit(0 if ok else 1)
PY
}

# ft_db_lock DB: the sqlite3 CLI (a coprocess) holds DB's write lock, inside
# BEGIN IMMEDIATE, as a concurrent saving run would; ft_db_unlock rolls it
# back and waits for the CLI to exit.  (bash unsets LOCK_PID once the
# coprocess has exited: FT_LOCK_PID keeps it, for set -u.)
ft_db_lock() {
	local reply
	coproc LOCK { sqlite3 "$1"; }
	FT_LOCK_PID=$LOCK_PID
	printf "BEGIN IMMEDIATE;\nINSERT INTO meta VALUES('lock-test', 1);\nSELECT 'locked';\n" >&"${LOCK[1]}"
	read -r reply <&"${LOCK[0]}"
	assert_eq locked "$reply" "writer holds the lock"
}
ft_db_unlock() {
	printf "ROLLBACK;\n.quit\n" >&"${LOCK[1]}"
	wait "$FT_LOCK_PID" || true
}
