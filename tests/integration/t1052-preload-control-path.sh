#!/usr/bin/env bash
# t1052-preload-control-path.sh - the control path (preload/control.c):
# code that cannot call ftrace.h (the jest adapter's JavaScript) names
# <run dir>/.ctl/begin/<id>, .../end/<outcome>[.<ms>]/<id>, .../context/<id>,
# .../startup-end, .../collect and .../collect-end in a call the interposer
# hooks anyway.  The context switches, a child started
# meanwhile belongs to the test, malformed control paths change nothing,
# and no control path is ever recorded.  An end may carry the runner's own
# duration in ms (the jest adapter's perfStats: TEST_END's aux, shown by
# `ftrace records` as "failed,1234ms"); a malformed one is no end.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

D=$FT_SCRATCH/d
mkdir -p "$D"
for f in pre a a-child after bad ctx; do echo "$f" > "$D/$f"; done
mkdir -p "$D/listed" "$D/listed-after" "$D/listed-in-test"
C=$RUN/.ctl
# bash's [ -e ] is a stat(), its globs list in-process; cat runs as a child
# (env re-injection)
traced bash -c '
	C=$1 D=$2
	cat "$D/pre" >/dev/null
	[ -e "$C/startup-end" ]
	[ -e "$C/collect-end" ]
	[ -e "$C/collect" ]
	: "$D"/listed/*
	[ -e "$C/collect-end" ]
	: "$D"/listed-after/*
	[ -e "$C/begin/t/a b.test.js" ]
	[ -e "$C/collect" ]
	: "$D"/listed-in-test/*
	[ -e "$C/collect-end" ]
	[ -e "$C/startup-end" ]
	read -r x < "$D/a"
	cat "$D/a-child" >/dev/null
	[ -e "$C/end/2.1234/t/a b.test.js" ]
	read -r x < "$D/after"
	[ -e "$C/bogus/x" ]; [ -e "$C/end/9/x" ]; [ -e "$C/begin/" ]; [ -e "$C/end/1x" ]
	[ -e "$C/end/1./x" ]; [ -e "$C/end/1.12x/x" ]; [ -e "$C/end/1.1234567890/x" ]; [ -e "$C/end/1.5/" ]
	read -r x < "$D/bad"
	[ -e "$C/context/fixture" ]
	read -r x < "$D/ctx"
	[ -e "$C/context" ]
	[ -e "$C/begin//abs/x.test.js" ]
	[ -e "$C/end/1//abs/x.test.js" ]
	true' _ "$C" "$D" || ft_fail "traced bash failed"

cat > "$FT_SCRATCH/expect" <<EOT
- CONTEXT - 0 startup-end 
- CONTEXT - 0 collect 
- ACCESS opendir 0 l $D/listed/
- CONTEXT - 0 - 
- ACCESS opendir 0 l $D/listed-after/
t/a\\x20b.test.js BEGIN - 0 - t/a b.test.js
t/a\\x20b.test.js ACCESS opendir 0 l $D/listed-in-test/
t/a\\x20b.test.js ACCESS open 0 r $D/a
t/a\\x20b.test.js ACCESS open 0 r $D/a-child
t/a\\x20b.test.js END - 0 failed,1234ms t/a b.test.js
- CONTEXT - 0 - 
- ACCESS open 0 r $D/after
- ACCESS open 0 r $D/bad
fixture CONTEXT - 0 - fixture
fixture ACCESS open 0 r $D/ctx
/abs/x.test.js BEGIN - 0 - /abs/x.test.js
/abs/x.test.js END - 0 passed /abs/x.test.js
EOT
expect_records "$FT_SCRATCH/expect"
ft records "$RUN" > "$FT_SCRATCH/all"
# the child is cat: its own region starts in the test, and starts no test
assert_eq 2 "$(awk '$3 == "BEGIN"' "$FT_SCRATCH/all" | wc -l)" "TEST_BEGIN records"
# startup-end is a marker in the prelude, ignored inside a test, never kept
assert_eq 1 "$(grep -c ' CONTEXT - 0 startup-end' "$FT_SCRATCH/all")" "startup-end markers"
# collect and collect-end: only in the prelude; an end without a collect, or
# inside a test, switches nothing
assert_eq 1 "$(grep -c ' CONTEXT - 0 collect' "$FT_SCRATCH/all")" "collect switches"
assert_eq "- CONTEXT - 0 collect " "$(grep -A1 ' CONTEXT - 0 startup-end' "$FT_SCRATCH/all" | tail -1 | cut -d' ' -f2-)" \
	"the record after the collect-end that had no collect"
assert_eq 2 "$(awk '$3 == "END"' "$FT_SCRATCH/all" | wc -l)" "TEST_END records"
assert_eq 0 "$(grep -v ' ARGV ' "$FT_SCRATCH/all" | grep -c '/\.ctl' || true)" "control paths recorded"
# the prelude read before the begin stays in the prelude
grep -qx "[0-9]* - ACCESS open 0 r $D/pre" "$FT_SCRATCH/all" || ft_fail "prelude read not in the prelude"
# the last switch, the end of /abs/x.test.js, is back to the prelude
assert_eq "- CONTEXT - 0 - " "$(awk '$3 != "PROC" && $3 != "ARGV"' "$FT_SCRATCH/all" | grep "^$(awk '$3 == "BEGIN" {print $1; exit}' "$FT_SCRATCH/all") " | tail -1 | cut -d' ' -f2-)" "last record of bash"
