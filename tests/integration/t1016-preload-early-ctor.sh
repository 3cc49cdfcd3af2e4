#!/usr/bin/env bash
# t1016-preload-early-ctor.sh - a shared library whose constructor runs
# before the interposer's (ld.so initializes dependencies first) opens a
# file.  The hook initializes itself lazily, without allocating (a malloc
# implementation such as jemalloc opens files during its own init), and the
# access is recorded.  In a descendant of a test, the records that follow
# still belong to the test: an explicit CONTEXT record says so.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

command -v cc > /dev/null || ft_skip "no C compiler"
cd "$FT_SCRATCH"
cat > early.c <<'EOC'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void early(void)
{
	int fd = open(getenv("EARLY_FILE"), O_RDONLY);
	if (fd >= 0)
		close(fd);
}
int early_linked(void) { return 0; }
EOC
cat > main.c <<'EOC'
#include <sys/stat.h>
int early_linked(void);
int main(int argc, char **argv)
{
	struct stat st;
	stat(argv[1], &st);
	return early_linked();
}
EOC
cc -shared -fPIC -o libearly.so early.c
cc -o early main.c -L. -learly -Wl,-rpath,"$FT_SCRATCH"

EARLY_FILE=$FT_SCRATCH/early.cfg traced ./early "$FT_SCRATCH/main.x"
cat > expect <<EOT
- ACCESS open ENOENT r $FT_SCRATCH/early.cfg
- ACCESS stat ENOENT s $FT_SCRATCH/main.x
EOT
expect_records expect

# as a descendant of test t-early (owner is some other pid)
rm -rf "$RUN"; mkdir -p "$RUN"
EARLY_FILE=$FT_SCRATCH/early.cfg FTRACE_TEST_ID=t-early FTRACE__OWNER=1:t-early traced ./early "$FT_SCRATCH/main.x"
cat > expect <<EOT
- ACCESS open ENOENT r $FT_SCRATCH/early.cfg
t-early CONTEXT - 0 - t-early
t-early ACCESS stat ENOENT s $FT_SCRATCH/main.x
EOT
expect_records expect
