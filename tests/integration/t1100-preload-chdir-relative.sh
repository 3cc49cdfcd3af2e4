#!/usr/bin/env bash
# A relative chdir("sub") was recorded against the directory it moved to:
# the interposer named the path after the call, so the record said
# <dir>/sub/sub, a directory that was used but does not exist.  The test
# was "unknown", and selected on every commit for ever.  Both back ends
# must name it before the call: chdir() and syscall(SYS_chdir) from C, a
# shell's `cd sub`, and the ptrace back end (a static program) identically.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-preload.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture cmd-partial
mkdir -p sub/deeper
echo data >sub/f
echo more >sub/deeper/g
cat >cd.c <<'C'
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void)
{
	int fd;
	if (chdir("sub"))
		return 1;
	if ((fd = open("f", O_RDONLY)) < 0)
		return 2;
	close(fd);
	if (syscall(SYS_chdir, "deeper"))
		return 3;
	if ((fd = open("g", O_RDONLY)) < 0)
		return 4;
	close(fd);
	return 0;
}
C
cc -O0 -o cd-prog cd.c
echo '*-prog' >>.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm chdir
ft_old cd-prog cd.c sub sub/f sub/deeper sub/deeper/g .gitignore

# the interposer's records, directly
traced ./cd-prog || ft_fail "cd-prog failed under the interposer"
cat >"$FT_SCRATCH/want" <<EOF2
- ACCESS chdir 0 sh $PWD/sub
- ACCESS open 0 r $PWD/sub/f
- ACCESS chdir 0 sh $PWD/sub/deeper
- ACCESS open 0 r $PWD/sub/deeper/g
EOF2
expect_records "$FT_SCRATCH/want"
! grep -q "sub/sub\|deeper/deeper" <<<"$(ft records "$RUN")" || ft_fail "a chdir named after the call: $(ft records "$RUN" | grep chdir)"

# recorded runs: nothing changed, nothing selected
ft_record 0 --name c-prog -- ./cd-prog
ft_record 0 --name shell-cd -- sh -c 'cd sub && cat f >/dev/null && cd deeper && cat g >/dev/null'
ft_affected_is "" "no change after a relative chdir"
ft_change sub/deeper/g
ft_affected_is "c-prog shell-cd" "a file read after two relative chdirs changed"
ft_revert sub/deeper/g

# the ptrace back end (a static program) records the same paths
if cc -O0 -static -o cd-static-prog cd.c 2>/dev/null; then
	ft_old cd-static-prog
	rm -rf "$RUN"/*
	"$FTRACE_BIN" run --keep-records --name static -- ./cd-static-prog >/dev/null 2>&1 ||
		ft_fail "cd-static-prog failed under ftrace run"
	run=$(ls -d .ftrace/runs/*/ | tail -1)
	got=$(ft records "$run" | awk '$3 == "ACCESS" && ($4 == "chdir" || $4 == "open") && $NF ~ /\/sub/ {print $4, $NF}')
	assert_eq "chdir $PWD/sub
open $PWD/sub/f
chdir $PWD/sub/deeper
open $PWD/sub/deeper/g" "$got" "the ptrace back end names a relative chdir as the interposer does"
else
	ft_log "no static libc: the ptrace half is not run"
fi
