#!/usr/bin/env bash
# t7103-go-durations.sh - each go package's recorded duration (table
# test_times, source "ftrace": go's own "ok PKG 0.01s" goes to the user's
# terminal, which ftrace does not capture) is its test binary's life as
# the tracer saw it: from its first record to its end (the EXIT record
# `self`, docs/ptrace.md).  fixtures/go-mod plus a package `slow` that
# reads a file and then sleeps 2 s.  Two cases broke:
#  - the sources that ingest records for each package (r-go-deps.rec)
#    carried ingest's time, so every package's span ran until ingest: calc
#    (a few ms) was recorded longer than slow;
#  - without the end, slow's span stopped at its last file access: a few
#    ms for 2 s of work.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache
mkdir slow
cat >slow/slow_test.go <<'GO'
package slow

import (
	"os"
	"testing"
	"time"
)

func TestSlow(t *testing.T) {
	if _, err := os.ReadFile("slow_test.go"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
}
GO
ft_settle

rc=0
ft run -- go test ./... >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
[ "$rc" -eq 0 ] || ft_fail "ftrace run -- go test ./... exited $rc: $(cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err")"

# ns NAME: the package's recorded duration, and its source
ns() {
	"$FT_PYTHON" -c 'import sqlite3,sys; db=sqlite3.connect(".ftrace/ftrace.db")
r=db.execute("SELECT ns, source FROM test_times WHERE name = ?", (sys.argv[1],)).fetchall()
print(" ".join("%d %s" % x for x in r))' "example.com/gomod/$1"
}
read -r slow_ns slow_src <<<"$(ns slow)"
read -r calc_ns calc_src <<<"$(ns calc)"
assert_eq "ftrace ftrace" "$slow_src $calc_src" "durations measured by ftrace"
[ "$slow_ns" -ge 2000000000 ] || ft_fail "slow's duration is $slow_ns ns, not its 2 s sleep: its end is not its span's"
# calc starts before slow ends (go starts the binaries in import-path order),
# so a span that runs until ingest makes calc at least as long as slow
[ "$calc_ns" -lt $((slow_ns - 1000000000)) ] ||
	ft_fail "calc's duration is $calc_ns ns, slow's $slow_ns: calc's span runs past its end (until ingest?)"
