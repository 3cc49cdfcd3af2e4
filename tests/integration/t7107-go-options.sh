#!/usr/bin/env bash
# t7107-go-options.sh - a recording answers only for `go test` options like
# its own (selector/pipeline_options.c, docs/hooks.md "Options").  Build
# flags (-tags, -race, -cover, -gcflags, ...) build other code from the
# same files: recorded with `go test ./...`, `ftrace test -- go test -tags
# extra ./...` said "nothing affected" and exited 0, while plain `go test
# -tags extra ./...` fails.  Now the packages recorded with other options
# run (with a line on stderr), and once recorded with these, they narrow
# again.  Flags that change only the output or the pace change nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_go_mod_fixture
export RAN_LOG=$FT_SCRATCH/ran.log

# a test that builds, and fails, only with the tag
cat >calc/extra_test.go <<'GO'
//go:build extra

package calc

import "testing"

func TestExtra(t *testing.T) { t.Fatal("fails only with -tags extra") }
GO
git add calc/extra_test.go && git commit -qm "a tagged test"

# gtest STATUS "packages" WHAT [go test args]: ftrace test -- go test ARGS
gtest() {
	local want=$1 pkgs=$2 what=$3 rc=0
	shift 3
	ft_settle
	rm -f "$RAN_LOG"
	ft test -- go test "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] ||
		ft_fail "$what: ftrace test -- go test $* exited $rc, expected $want: $(cat "$FT_SCRATCH/err")"
	assert_set "$pkgs" "$(cat "$RAN_LOG" 2>/dev/null)" "$what: packages go test ran"
}
said_other() {
	grep -q "recorded with other go options runs\? too (recorded: $1; this command: $2)" \
		"$FT_SCRATCH/err" || ft_fail "$3: the options not said: $(cat "$FT_SCRATCH/err")"
}

go test -tags extra ./calc >/dev/null 2>&1 && ft_fail "the tagged test passes: this test would prove nothing"
ft_record 0 -- go test ./...
gtest 0 "" "same options" ./...

gtest 1 "calc report" "recorded without the tag" -tags extra ./...
said_other none "-tags=extra" "-tags extra"
grep -q "fails only with -tags extra" "$FT_SCRATCH/out" || ft_fail "the tagged test did not run"
# calc passed before and fails now, and nothing it read changed: the
# options explain the flip, so it is not learned flaky
! grep -q "flaky" "$FT_SCRATCH/err" || ft_fail "the options' flip was learned flaky: $(cat "$FT_SCRATCH/err")"
[ -z "$(ft flaky)" ] || ft_fail "ftrace flaky lists: $(ft flaky)"
# recorded with the tag now: only the failed package, in any spelling
gtest 1 "calc" "recorded with the tag" -tags=extra -v ./...
! grep -q "other go options" "$FT_SCRATCH/err" || ft_fail "-tags=extra -v called other options"
# and back: every package recorded with the tag runs without it
gtest 0 "calc report" "recorded with the tag, run without" ./...
said_other "-tags=extra" none "no tag"
gtest 0 "" "recorded without the tag again" ./...

# output and pace: no other options
gtest 0 "" "-count, -timeout, -p, -v, -json" -count=1 -timeout 5m -p 2 -v -json ./...
# -coverprofile builds with coverage, as -cover does
gtest 0 "calc report" "-coverprofile" -coverprofile="$FT_SCRATCH/c.out" ./...
said_other none "-cover=true" "-coverprofile"
gtest 0 "" "-cover, after -coverprofile" -cover ./...
gtest 0 "calc report" "-cover=false is no -cover" -cover=false ./...

# a package recorded under `go test` inside another command is compared by
# that go command's options too (the run's runner entries)
ft_record 0 -- sh -c 'go test ./...'
gtest 0 "" "recorded through sh" ./...
gtest 0 "calc report" "recorded through sh, -gcflags now" -gcflags=-N ./...
said_other none "-gcflags=-N" "-gcflags"

# `ftrace affected` has no command to compare: it answers as before
ft_affected_is "" "affected"

# `ftrace verify` judges the selection `ftrace test` would make: a package
# recorded with other options is selected, so its failure is no escape
gtest 0 "" "recorded with -gcflags=-N" -gcflags=-N ./...
rc=0
ft verify -- go test -tags extra ./... >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 1 ] || ft_fail "verify with -tags extra exited $rc, expected 1: $(cat "$FT_SCRATCH/err")"
! grep -q "ESCAPE" "$FT_SCRATCH/err" || ft_fail "verify called the options' failure an escape: $(cat "$FT_SCRATCH/err")"
grep -q "failed (selected): $C" "$FT_SCRATCH/err" || ft_fail "verify: calc not selected: $(cat "$FT_SCRATCH/err")"
