#!/usr/bin/env bash
# `ftrace verify -- make check`: the cases of t6100 with Automake's parallel
# harness, each TESTS entry one test (docs/runners.md).
# fixtures/automake-basic plus a test script `tests/remote.sh` that reads a
# file through an HTTP server started outside ftrace (lib-verify.sh), so
# that ftrace is blind to it.  No recording: no verdict, 2.  Nothing
# changed: 0.  A data file of tests/gamma.sh broken: make's own 2, a plain
# failure of a selected test.  The served file changed: 99,
# tests/remote.sh named, and the report passes its schema.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"

for tool in autoreconf automake make cc; do
	command -v $tool >/dev/null || ft_skip "$tool not installed (scripts/install-deps.sh installs it)"
done

ft_fixture automake-basic
mkdir "$FT_SCRATCH/served" "$FT_SCRATCH/nothing"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
cat >tests/remote.sh <<SH
#!/bin/sh
exec "$FT_PYTHON" -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:$BLIND_PORT/flag', timeout=30).read() != b'ok\\\\n')"
SH
chmod +x tests/remote.sh
sed -i 's#^TESTS = t_alpha tests/beta.sh tests/gamma.sh$#TESTS = t_alpha tests/beta.sh tests/gamma.sh tests/remote.sh#' Makefile.am
grep -q "tests/remote.sh" Makefile.am || ft_fail "fixture: TESTS not extended"
autoreconf -fi >/dev/null 2>&1 || ft_fail "autoreconf failed"
./configure >/dev/null || ft_fail "configure failed"
make check >/dev/null 2>&1 || ft_fail "make check failed before ftrace"

# As t8050's am_record: what the build wrote goes an hour back (make would
# rebuild what is older than the system headers), then the clock passes the
# newest ctime; fverify settles nothing ($VERIFY_TOP is an empty directory).
VERIFY_TOP=$FT_SCRATCH/nothing
am_verify() {
	local past
	past=@$(($(date +%s) - 3600))
	find . \( -path ./.git -o -path ./.ftrace \) -prune -o -newermt "$past" \
		-exec touch -h -d "$past" {} +
	ft_clock_past_ctime
	fverify "$@"
}

# 0. No recording: everything runs and is recorded; no verdict: 2.
am_verify 2 make check
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
am_verify 0 make check
verify_counts "4 known, 0 selected, 4 run, 0 failed, 0 escapes$"

# 2. A selected test broken: make's 2, no escape.
echo bad >data/gamma.txt
am_verify 2 make check
verify_counts "4 known, 1 selected, 4 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): tests/gamma.sh" "$FT_SCRATCH/verify.err" ||
	ft_fail "tests/gamma.sh is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
echo ok >data/gamma.txt
am_verify 0 make check

# 3. The blind dependency: an escape, 99, named.
echo broken >"$FT_SCRATCH/served/flag"
am_verify 99 make check
verify_counts "4 known, 0 selected, 4 run, 1 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test 'tests/remote.sh' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "tests/remote.sh" "$(report_get 'r["escapes"][0]["id"]')" "report: the escape"
verify_report_valid
