#!/usr/bin/env bash
# t1032-preload-rawsys.sh - io_uring in a preloaded program.  A ring's
# submissions open, stat and read files with no system call of their own,
# so no hook sees them.  A program that sets one up through syscall() keeps
# it (ftrace never changes what the program does), and its process is
# recorded untraced ("rawsys io_uring"): its test is always selected.  So
# is a process that loads liburing, which makes io_uring's system calls
# with its own instructions (its default build has no libc in between).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

BIN=$FT_SCRATCH/bin
mkdir -p "$BIN"
cat > "$BIN/ring.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>
int main(int argc, char **argv)
{
	struct io_uring_params p;
	long fd;

	if (!strcmp(argv[1], "setup")) {
		memset(&p, 0, sizeof(p));
		fd = syscall(SYS_io_uring_setup, 4, &p);
		/* kernels or sandboxes without io_uring say ENOSYS or EPERM:
		 * the program cannot know it would have worked, nor can we */
		printf("setup %s\n", fd >= 0 ? "ok" : "failed");
		if (fd >= 0)
			close((int)fd);
	} else if (!dlopen(argv[1], RTLD_NOW)) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	return f ? 0 : 3;
}
C
printf 'int ft_nothing(void) { return 0; }\n' > "$BIN/lib.c"
cc -o "$BIN/ring" "$BIN/ring.c" -ldl || ft_fail "cc ring failed"
cc -shared -fPIC -o "$BIN/liburing.so.2" "$BIN/lib.c" || ft_fail "cc lib failed"
cc -shared -fPIC -o "$BIN/libother.so.2" "$BIN/lib.c" || ft_fail "cc lib failed"

ft_fixture cmd-partial
want=$("$BIN/ring" setup a.txt) || ft_fail "ring fails without ftrace"
ft_record 0 --name ring --keep-records -- "$BIN/ring" setup a.txt
assert_eq "$want" "$(cat "$FT_SCRATCH/run.out")" "the ring is set up as without ftrace"
ft_record 0 --name uring-lib -- "$BIN/ring" "$BIN/liburing.so.2" a.txt
ft_record 0 --name other-lib -- "$BIN/ring" "$BIN/libother.so.2" a.txt
run=$(ls -d .ftrace/runs/* | head -1)
assert_eq "rawsys io_uring" "$(ft records "$run" | awk '$3 == "UNTRACED" { print $6, $NF }')" \
	"the UNTRACED record"
[ "$(ft_untraced ring)" = 1 ] || ft_fail "ring: not stored untraced"
[ "$(ft_untraced uring-lib)" = 1 ] || ft_fail "uring-lib: not stored untraced"
[ "$(ft_untraced other-lib)" = 0 ] || ft_fail "other-lib: stored untraced"
ft_affected_is "ring uring-lib" "io_uring users are always selected, nothing else"
ft_change a.txt
ft_affected_is "ring uring-lib other-lib" "a.txt changed"
