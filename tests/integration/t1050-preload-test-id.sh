#!/usr/bin/env bash
# t1050-preload-test-id.sh - FTRACE_TEST_ID starts a test in the process that
# sees it first: TEST_BEGIN, its records in the test's context, TEST_END with
# passed/failed from the exit status.  Its descendants (fork, spawn) belong
# to the test without starting it again, a fork child's exit does not end
# it, and the owner that execs stays the owner (one BEGIN, one END).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
events() { ft records "$RUN" | awk '$3 == "BEGIN" || $3 == "END" { print $3, $6, $7 }' | tr '\n' ';'; }

FTRACE_TEST_ID=t-pass traced "$P/ftp_probe" "$FT_SCRATCH/pass.x"
assert_eq "BEGIN - t-pass;END passed t-pass;" "$(events)" "passing test"
echo "t-pass ACCESS stat ENOENT s $FT_SCRATCH/pass.x" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"

rm -rf "$RUN"; mkdir -p "$RUN"
rc=0
FTRACE_TEST_ID=t-fail traced "$P/ftp_probe" "$FT_SCRATCH/fail.x" --exit 3 || rc=$?
assert_eq 3 "$rc" "exit status passed through"
assert_eq "BEGIN - t-fail;END failed t-fail;" "$(events)" "failing test"

# the owner execs: still one test
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID=t-exec traced "$P/ftp_exec" execve "$FT_SCRATCH" "$P/ftp_probe" > /dev/null
assert_eq "BEGIN - t-exec;END passed t-exec;" "$(events)" "owner after exec"
echo "t-exec ACCESS stat ENOENT s $FT_SCRATCH/execve.probe" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"

# descendants: a spawned child and a forked child belong to the test
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID=t-tree traced "$P/ftp_exec" posix_spawn "$FT_SCRATCH" "$P/ftp_probe" > "$FT_SCRATCH/expect"
sed -i 's/^- /t-tree /' "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
assert_eq "BEGIN - t-tree;END passed t-tree;" "$(events)" "spawned child starts no test"

rm -rf "$RUN"; mkdir -p "$RUN"
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
FTRACE_TEST_ID=t-fork traced "$P/ftp_hooks" fork "$FT_SCRATCH/base" > "$FT_SCRATCH/expect"
assert_eq "BEGIN - t-fork;END passed t-fork;" "$(events)" "fork child neither begins nor ends the test"

# a runner that sets another FTRACE_TEST_ID for a child starts a second test
# (regions print by pid, so the shell's records come first.  The shell must
# not exec its last command here: an owner that execs into another test
# leaves its own test without END, i.e. outcome "unknown", always selected)
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID=t-outer traced sh -c "FTRACE_TEST_ID=t-inner '$P/ftp_probe' '$FT_SCRATCH/inner.x'; exit 0"
assert_eq "BEGIN - t-outer;END passed t-outer;BEGIN - t-inner;END passed t-inner;" "$(events)" "nested runner"
echo "t-inner ACCESS stat ENOENT s $FT_SCRATCH/inner.x" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
