#!/usr/bin/env bash
# t1033-preload-rawtrap.sh - system calls a program makes without libc
# (Rust's rustix, inline assembly, a JIT's stubs).  No hook sees them; the
# kernel's syscall user dispatch traps each one (preload/rawtrap.c).  A
# file call is run for the program and recorded, in the first thread, in a
# new thread and in a fork child, so a change of the file it read selects
# its test and nothing else.  A call that cannot be run for the program (a
# raw fork) marks the process untraced, as does a program that sets up
# syscall user dispatch itself.  A program's own SIGSYS handler or SIG_IGN
# is kept and gets the SIGSYS that is not the trap's; ld.so's own calls
# (dlopen) change nothing.  Where the
# kernel has no syscall user dispatch (before 5.11, not x86-64) the raw
# reads stay unseen: the test is skipped there.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(uname -m)" = x86_64 ] || ft_skip "syscall user dispatch is decoded on x86-64 only"

BIN=$FT_SCRATCH/bin
mkdir -p "$BIN"
cat > "$BIN/raw.c" <<'C'
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long raw4(long nr, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

/* cat through raw openat, read and close; a missing file says so */
static int rawcat(const char *p)
{
	char buf[256];
	long fd = raw4(SYS_openat, AT_FDCWD, (long)p, O_RDONLY, 0), n;

	if (fd < 0) {
		printf("%s: errno %ld\n", p, -fd);
		return 0;
	}
	n = raw4(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0);
	raw4(SYS_close, fd, 0, 0, 0);
	buf[n > 0 ? n : 0] = '\0';
	fputs(buf, stdout);
	return 0;
}

static void *in_thread(void *p)
{
	rawcat(p);
	return NULL;
}

static volatile int got_sigsys;

static void on_sigsys(int sig)
{
	(void)sig;
	got_sigsys = 1;
}

int main(int argc, char **argv)
{
	const char *mode = argv[1], *path = argv[2];
	pthread_t t;
	long pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "probe")) {
		/* has the kernel syscall user dispatch?  (selector ALLOW: no trap) */
		static volatile char allow = 0;
		if (prctl(59, 1, 0UL, 0UL, &allow) != 0)
			return 1;
		return prctl(59, 0, 0UL, 0UL, 0UL) != 0;
	}
	if (!strcmp(mode, "main"))
		return rawcat(path);
	if (!strcmp(mode, "stat")) {
		char st[256];
		printf("stat %ld\n", raw4(SYS_newfstatat, AT_FDCWD, (long)path, (long)st, 0));
		return 0;
	}
	if (!strcmp(mode, "thread")) {
		pthread_create(&t, NULL, in_thread, (void *)path);
		pthread_join(t, NULL);
		return 0;
	}
	if (!strcmp(mode, "fork")) {
		if ((pid = fork()) == 0) {
			rawcat(path);
			_exit(0);
		}
		waitpid((pid_t)pid, NULL, 0);
		return 0;
	}
	if (!strcmp(mode, "rawfork")) {
		if ((pid = raw4(SYS_fork, 0, 0, 0, 0)) == 0)
			_exit(0);
		waitpid((pid_t)pid, NULL, 0);
		FILE *f = fopen(path, "r");
		return f ? 0 : 3;
	}
	if (!strcmp(mode, "sigsys")) {
		/* a crash handler for SIGSYS (LLVM's): it is kept, and gets a
		 * SIGSYS that is not the trap's */
		struct sigaction sa, old;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigsys;
		sigaction(SIGSYS, &sa, NULL);
		sigaction(SIGSYS, NULL, &old);
		rawcat(path);
		kill(getpid(), SIGSYS);
		printf("handler %s, called %d\n", old.sa_handler == on_sigsys ? "kept" : "lost", got_sigsys);
		return 0;
	}
	if (!strcmp(mode, "ign")) {
		/* a spawner resetting signals; SIG_IGN is kept */
		signal(SIGSYS, SIG_IGN);
		kill(getpid(), SIGSYS);
		printf("ignored: %s\n", signal(SIGSYS, SIG_IGN) == SIG_IGN ? "yes" : "no");
		return rawcat(path);
	}
	if (!strcmp(mode, "sud")) {
		/* a program that sets up syscall user dispatch itself */
		prctl(59, 0, 0UL, 0UL, 0UL);
		return rawcat(path);
	}
	if (!strcmp(mode, "dlopen")) {
		/* ld.so's own openat, mmap and close, outside libc */
		if (!dlopen("libm.so.6", RTLD_NOW))
			return 4;
		FILE *f = fopen(path, "r");
		return f ? 0 : 3;
	}
	return 2;
}
C
cc -O1 -pthread -o "$BIN/raw" "$BIN/raw.c" -ldl || ft_fail "cc raw failed"

ft_fixture cmd-partial
"$BIN/raw" main a.txt >/dev/null || ft_fail "raw fails without ftrace"
# without the feature the raw reads are unseen; say so instead of failing
"$BIN/raw" probe x || ft_skip "this kernel has no syscall user dispatch: raw calls are not trapped"

ft_record 0 --name main --keep-records -- "$BIN/raw" main a.txt
assert_eq "$(cat a.txt)" "$(cat "$FT_SCRATCH/run.out")" "a raw read reads the file as without ftrace"
run=$(ls -d .ftrace/runs/* | head -1)
grep -q "ACCESS open 0 r $PWD/a.txt" <<<"$(ft records "$run")" || ft_fail "main: the raw open is not recorded"
ft_record 0 --name thread -- "$BIN/raw" thread b.txt
assert_eq "$(cat b.txt)" "$(cat "$FT_SCRATCH/run.out")" "a raw read in a new thread"
ft_record 0 --name fork -- "$BIN/raw" fork shared.txt
assert_eq "$(cat shared.txt)" "$(cat "$FT_SCRATCH/run.out")" "a raw read in a fork child"
ft_record 0 --name absent -- "$BIN/raw" main gone.txt
assert_eq "gone.txt: errno 2" "$(cat "$FT_SCRATCH/run.out")" "a raw open of a missing file fails as without ftrace"
ft_record 0 --name stat -- "$BIN/raw" stat a.sh
assert_eq "stat 0" "$(cat "$FT_SCRATCH/run.out")" "a raw stat"
ft_record 0 --name rawfork -- "$BIN/raw" rawfork a.txt
ft_record 0 --name sigsys -- "$BIN/raw" sigsys shared.txt
assert_eq "$(cat shared.txt)"$'\n'"handler kept, called 1" "$(cat "$FT_SCRATCH/run.out")" \
	"the program's own SIGSYS handler: kept, called for a SIGSYS not the trap's"
ft_record 0 --name ign -- "$BIN/raw" ign b.txt
assert_eq "ignored: yes"$'\n'"$(cat b.txt)" "$(cat "$FT_SCRATCH/run.out")" "SIG_IGN kept"
ft_record 0 --name sud -- "$BIN/raw" sud a.txt
ft_record 0 --name dlopen -- "$BIN/raw" dlopen b.txt

for t in main thread fork absent stat sigsys ign dlopen; do
	[ "$(ft_untraced $t)" = 0 ] || ft_fail "$t: stored untraced"
done
for t in rawfork sud; do
	[ "$(ft_untraced $t)" = 1 ] || ft_fail "$t: not stored untraced"
done

ft_affected_is "rawfork sud" "nothing changed: the untraced ones only"
ft_change a.txt
ft_affected_is "main rawfork sud" "a.txt, read raw by main"
ft_revert a.txt
ft_record 0 --name main -- "$BIN/raw" main a.txt
ft_change b.txt
ft_affected_is "thread ign dlopen rawfork sud" "b.txt, read raw in a thread"
ft_revert b.txt
ft_record 0 --name thread -- "$BIN/raw" thread b.txt
ft_record 0 --name ign -- "$BIN/raw" ign b.txt
ft_record 0 --name dlopen -- "$BIN/raw" dlopen b.txt
ft_change shared.txt
ft_affected_is "fork sigsys rawfork sud" "shared.txt, read raw in a fork child and beside a SIGSYS handler"
ft_revert shared.txt
ft_record 0 --name fork -- "$BIN/raw" fork shared.txt
ft_record 0 --name sigsys -- "$BIN/raw" sigsys shared.txt
echo new > gone.txt
ft_affected_is "absent rawfork sud" "gone.txt, opened raw while missing, now exists"
rm gone.txt
ft_change a.sh
ft_affected_has "stat" "a.sh, stat'ed raw"
