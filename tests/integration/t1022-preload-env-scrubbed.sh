#!/usr/bin/env bash
# t1022-preload-env-scrubbed.sh - a child started with a scrubbed environment
# is still traced: execve with an empty envp, a program that unsetenv()s
# LD_PRELOAD and FTRACE_* before exec, and coreutils `env -i`.  The child
# also inherits UV_USE_IO_URING=0 (libuv would otherwise bypass libc).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
for mode in envi unsetenv; do
	rm -rf "$RUN" "$FT_SCRATCH/$mode"
	mkdir -p "$RUN" "$FT_SCRATCH/$mode"
	traced "$P/ftp_exec" "$mode" "$FT_SCRATCH/$mode" "$P/ftp_probe" > "$FT_SCRATCH/expect" ||
		ft_fail "ftp_exec $mode failed"
	expect_records "$FT_SCRATCH/expect"
	ft_log "$mode ok"
done

rm -rf "$RUN"; mkdir -p "$RUN"
traced env -i "$P/ftp_probe" "$FT_SCRATCH/env-i.probe"
echo "- ACCESS stat ENOENT s $FT_SCRATCH/env-i.probe" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"

# what the child of `env -i` sees: our variables, and nothing else
out=$(traced env -i /usr/bin/env | sed 's/=.*//' | LC_ALL=C sort | tr '\n' ' ')
assert_eq "FTRACE_RUN_DIR FTRACE__PRELOAD LD_PRELOAD UV_USE_IO_URING " "$out" "environment after env -i"
assert_eq "LD_PRELOAD=$LIB" "$(traced env -i /usr/bin/env | grep '^LD_PRELOAD=')" "re-injected LD_PRELOAD"
# a program's own LD_PRELOAD is kept, ours is appended
got=$(traced env LD_PRELOAD=/nonexistent-lib.so /usr/bin/env 2>/dev/null | grep '^LD_PRELOAD=')
assert_eq "LD_PRELOAD=/nonexistent-lib.so:$LIB" "$got" "LD_PRELOAD extended"

# with a test and a state dir, those are re-injected too (the child is a
# descendant of the test: FTRACE__OWNER names its owner)
out=$(FTRACE_TEST_ID=t-env FTRACE__STATE_DIR=$FT_SCRATCH/state traced env -i /usr/bin/env |
	sed 's/=.*//' | LC_ALL=C sort | tr '\n' ' ')
assert_eq "FTRACE_RUN_DIR FTRACE_TEST_ID FTRACE__OWNER FTRACE__PRELOAD FTRACE__STATE_DIR LD_PRELOAD UV_USE_IO_URING " \
	"$out" "environment after env -i inside a test"
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID=t-env traced env -i "$P/ftp_probe" "$FT_SCRATCH/in-test.probe"
echo "t-env ACCESS stat ENOENT s $FT_SCRATCH/in-test.probe" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
assert_eq 1 "$(ft records "$RUN" | awk '$3 == "BEGIN"' | wc -l)" "the env -i child starts no test of its own"

# without FTRACE__PRELOAD the library finds its own path (dladdr)
got=$(LD_PRELOAD=$LIB FTRACE_RUN_DIR=$RUN env -i /usr/bin/env | grep '^LD_PRELOAD=')
assert_eq "LD_PRELOAD=$LIB" "$got" "LD_PRELOAD re-injected without FTRACE__PRELOAD"
