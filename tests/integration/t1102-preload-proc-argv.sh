#!/usr/bin/env bash
# t1102-preload-proc-argv.sh - a process image's FT_REC_PROC: its program,
# its command line as /proc/self/cmdline has it (cut at FT_ARGV_MAX, 4096
# bytes, and flagged "cut" past that), its cwd, and the exec of its own
# program right after.  The constructor takes the command line from the
# argv glibc passes it and reads /proc/self/exe once for both records
# (issue 29: four system calls fewer per process started); these are the
# records that must come out as they did when both were read from /proc.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

echo_bin=$(realpath /bin/echo)
cd "$FT_SCRATCH"

# records: `ftrace records $RUN` without the pid column
records() { ft records "$RUN" | cut -d" " -f2-; }
# proc_lines: the PROC, ARGV, CWD lines and the exec of the program itself
proc_lines() { grep -E '^- (PROC|ARGV|CWD) |^- ACCESS exec ' <<<"$(records)"; }

# arguments with a space, an empty one and a tab, escaped as ever
rm -rf "$RUN"; mkdir -p "$RUN"
traced /bin/echo 'a b' '' $'t\tx' >/dev/null
assert_eq "- PROC - 0 - $echo_bin
- ARGV - 0 - [/bin/echo a\\x20b  t\\tx]
- CWD - 0 - $FT_SCRATCH
- ACCESS exec 0 rx $echo_bin" "$(proc_lines)" "a process's PROC, argv, cwd and program"

# long: "/bin/echo" NUL, then an argument of n bytes and its NUL; exactly
# 4096 bytes in all is whole, one more is cut (its last byte a NUL)
for n in 4085 4086 5000; do
	arg=$(head -c "$n" /dev/zero | tr '\0' a)
	rm -rf "$RUN"; mkdir -p "$RUN"
	traced /bin/echo "$arg" >/dev/null
	if [ "$n" = 4085 ]; then
		assert_eq "- ARGV - 0 - [/bin/echo $arg]" "$(grep '^- ARGV ' <<<"$(records)")" \
			"a command line of exactly 4096 bytes"
	else
		cut=$(head -c 4085 /dev/zero | tr '\0' a)
		assert_eq "- ARGV - 0 cut [/bin/echo $cut]" "$(grep '^- ARGV ' <<<"$(records)")" \
			"a command line of $((n + 11)) bytes, cut"
	fi
	grep -qxF -- "- ACCESS exec 0 rx $echo_bin" <<<"$(records)" || ft_fail "no exec of the program ($n)"
done

# no argv at all (execve with an empty argv): the kernel gives the
# program one empty argument, so its command line is one NUL, as
# /proc/self/cmdline has it
if command -v cc >/dev/null; then
	cat >noargv.c <<'C'
#include <unistd.h>
int main(int argc, char **argv)
{
	char *none[] = { NULL };
	(void)argc;
	execve(argv[1], none, (char *[]){ NULL });
	return 1;
}
C
	cc -o noargv noargv.c 2>/dev/null || ft_skip "cc cannot build a program"
	true_bin=$(realpath /bin/true)
	rm -rf "$RUN"; mkdir -p "$RUN"
	# the environment goes: LD_PRELOAD is re-injected (env.c)
	traced ./noargv "$true_bin" || ft_fail "noargv failed"
	got=$(records)
	grep -qxF -- "- PROC - 0 - $true_bin" <<<"$got" || ft_fail "no PROC of the program without argv: $got"
	grep -qxF -- "- ARGV - 0 - []" <<<"$got" || ft_fail "no empty ARGV: $got"
	assert_eq 2 "$(grep -c "^- CWD - 0 - $FT_SCRATCH\$" <<<"$got" || true)" "a CWD line for both images"
	assert_eq 2 "$(grep -c "^- ACCESS exec 0 rx $true_bin\$" <<<"$got" || true)" \
		"the exec of the program: by the exec hook and by its own image"
fi
exit 0
