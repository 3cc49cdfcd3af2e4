#!/usr/bin/env bash
# t4340-run-repo-in-dev-shm.sh - a repository on /dev/shm (a CI job on a
# RAM disk).  Both back ends and ingest dropped every path under /dev as a
# device, by its text, /dev/shm included: a test there was stored with its
# libraries only, and an edit of the file it read selected nothing
# (`ftrace affected` exited 0, empty).  /dev/shm is a tmpfs of real files
# (common/ft_pseudo.h): paths there are judged as in any temporary
# directory, where the repository is an anchor and kept, and a test's own
# scratch file beside it stays scratch.
[ -d /dev/shm ] && [ -w /dev/shm ] || { echo "SKIP: no writable /dev/shm" >&2; exit 77; }
TMPDIR=/dev/shm . "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
case $FT_SCRATCH in /dev/shm/*) ;; *) ft_fail "the scratch dir is not on /dev/shm: $FT_SCRATCH" ;; esac

ft_fixture cmd-partial
scratch=$FT_SCRATCH/scratch-file
ft_record 0 --name preload -- sh -c 'cat a.txt > /dev/null; echo x > "$0"; cat "$0" > /dev/null' "$scratch"
if printf 'int main(void) { return 0; }\n' | cc -static -x c -o "$FT_SCRATCH/static-true" - 2> /dev/null; then
	# a static program runs under ptrace: its reads are the tracer's
	cat > "$FT_SCRATCH/rd.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv) { FILE *f = fopen(argv[1], "r"); return f ? 0 : 3; }
C
	cc -static -o "$FT_SCRATCH/rd" "$FT_SCRATCH/rd.c" || ft_fail "cc -static failed"
	ft_record 0 --name ptrace -- "$FT_SCRATCH/rd" b.txt
	ptrace=ptrace
else
	ft_log "no static libc: the ptrace half is not run"
	ptrace=
fi
[ "$(ft_untraced preload)" = 0 ] || ft_fail "preload: stored untraced"

deps=$(sqlite3 .ftrace/ftrace.db "SELECT p.path FROM paths p" | grep -c "^$PWD/" || true)
[ "$deps" -ge 1 ] || ft_fail "no path of the repository was stored: $(sqlite3 .ftrace/ftrace.db 'SELECT path FROM paths')"
ft_affected_is "" "right after recording (the scratch file is no dependency)"
ft_change a.txt
ft_affected_is "preload" "a.txt, read by the preloaded test, changed"
ft_revert a.txt
if [ -n "$ptrace" ]; then
	ft_change b.txt
	ft_affected_is "ptrace" "b.txt, read by the static program, changed"
fi
