#!/usr/bin/env bash
# t7104-go-env.sh - the environment variables Go tests read (docs/go.md,
# "Environment variables").  Go reads its environment from memory, so no
# hook sees os.Getenv; `ftrace run` gives go test -exec=ftrace-goexec,
# which runs each test binary with -test.testlogfile, where the testing
# package logs each variable the tests read, and the tracer makes those
# the package's dependencies; reads before the tests start come from the
# variable names in the module's sources.  fixtures/go-env: `envy` reads
# four variables, `quiet` none, `whole` them all.  Exact sets for: a variable read, newly
# set, changed and unset; one read by a package-level variable, one by
# TestMain before m.Run through a constant; os.Environ (`whole`: the whole
# environment, selected on any change); a variable no test names; the go command's own
# (CGO_ENABLED, GOFLAGS) and the runtime's (GODEBUG), which are every
# package's; then an -exec of the user's (on the command line, in GOFLAGS)
# where there is no test log, a package's reads are unknown and any change
# of the environment selects it (a log that is not whole: unit
# test_goexec).  And ftrace-goexec itself:
# the flag goes right after a test binary, nothing is added to any other
# program or without a run dir.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-env
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache
E=example.com/goenv/envy Q=example.com/goenv/quiet W=example.com/goenv/whole
unset GOENV_FIXTURE_FLAG GOENV_FIXTURE_UNRELATED CGO_ENABLED GODEBUG
export GOENV_FIXTURE_OTHER=a

ft_record 0 -- go test ./...
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "nothing changed"
GOENV_FIXTURE_FLAG=1 ft_affected_is "$E $W" "a variable envy reads (os.Getenv), newly set"
GOENV_FIXTURE_OTHER=b ft_affected_is "$E $W" "a variable envy reads (os.LookupEnv), changed"
(unset GOENV_FIXTURE_OTHER && ft_affected_is "$E $W" "a variable envy reads, unset") || exit 1
# (whole, which reads the whole environment with os.Environ, every time)
GOENV_FIXTURE_UNRELATED=1 ft_affected_is "$W" "a variable no test names, newly set"
# read before the tests start (no test log): found in the module's sources
GOENV_FIXTURE_INIT=1 ft_affected_is "$E $W" "a package-level variable's read"
GOENV_FIXTURE_MAIN=1 ft_affected_is "$E $W" "TestMain's read before m.Run, through a constant"
CGO_ENABLED=0 ft_affected_is "$E $Q $W" "CGO_ENABLED (the go command's)"
GOFLAGS=-tags=x ft_affected_is "$E $Q $W" "GOFLAGS (the go command's)"
GODEBUG=panicnil=1 ft_affected_is "$E $Q $W" "GODEBUG (the runtime's)"
out=$(GOENV_FIXTURE_FLAG=1 "$FTRACE_BIN" affected --explain 2>&1)
grep -q 'GOENV_FIXTURE_FLAG: env dependency: environment variable now set' <<<"$out" ||
	ft_fail "--explain should name the variable: $out"
# the run dir holds no test log any more (each was read, then removed)
[ -z "$(find .ftrace -name 'gotestlog-*' 2>/dev/null)" ] || ft_fail "a test log was left behind"

# The user's -exec: no test log, so every package depends on the whole
# environment.
ft_record 0 -- go test -exec=env ./...
ft_affected_is "" "-exec on the command line: nothing changed"
GOENV_FIXTURE_UNRELATED=1 ft_affected_is "$E $Q $W" "-exec on the command line: any new variable"
GOFLAGS=-exec=env ft_record 0 -- go test ./...
GOFLAGS=-exec=env ft_affected_is "" "-exec in GOFLAGS: nothing changed"
GOFLAGS=-exec=env GOENV_FIXTURE_UNRELATED=1 ft_affected_is "$E $Q $W" "-exec in GOFLAGS: any new variable"

# Recorded again with the test log: narrow again.
ft_record 0 -- go test ./...
GOENV_FIXTURE_UNRELATED=1 ft_affected_is "$W" "recorded again with the test log"

# ftrace-goexec alone
GX=$(dirname "$FTRACE_BIN")/ftrace-goexec
[ -x "$GX" ] || ft_fail "no $GX"
cat >"$FT_SCRATCH/show.test" <<'SH'
#!/bin/sh
printf '%s\n' "$@"
SH
cp "$FT_SCRATCH/show.test" "$FT_SCRATCH/show"
chmod +x "$FT_SCRATCH/show.test" "$FT_SCRATCH/show"
got=$(FTRACE_RUN_DIR=/rd "$GX" "$FT_SCRATCH/show.test" -test.v a | tr '\n' ' ')
case $got in
"-test.testlogfile=/rd/gotestlog-"[0-9]*" -test.v a ") ;;
*) ft_fail "ftrace-goexec should put the log flag right after a test binary: $got" ;;
esac
assert_eq "-test.v a " "$(FTRACE_RUN_DIR=/rd "$GX" "$FT_SCRATCH/show" -test.v a | tr '\n' ' ')" \
	"ftrace-goexec: another program runs as given"
assert_eq "-test.v a " "$(env -u FTRACE_RUN_DIR "$GX" "$FT_SCRATCH/show.test" -test.v a | tr '\n' ' ')" \
	"ftrace-goexec: no run dir, nothing added"
assert_status 127 "$GX" "$FT_SCRATCH/absent.test"
assert_status 2 "$GX"
grep -q "usage: ftrace-goexec" <<<"$("$GX" --help)" || ft_fail "ftrace-goexec --help"

