#!/usr/bin/env bash
# A process that takes another user, or another root.  Another user: `ftrace run` as root (a CI container),
# a test that drops to `nobody` (setpriv, runuser, subprocess.run(user=),
# a forked child's os.setuid) and then reads a file.  The run dir is root's
# alone (0700), so nobody can create no region in it, nor the lost- mark
# that says so: the read went unrecorded and an edit of the file selected
# nothing.  Now the process makes its region before the change and marks
# its test untraced after it (preload/hook_reach.c): that test is always
# selected, the others keep their own dependencies, and a change that
# keeps the run dir writable (back to root) marks nothing.  A chroot that
# moves the root marks its test too (the paths it records would name files
# of the new root); chroot("/") marks nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(id -u)" = 0 ] || ft_skip "not root: no other user to take"
command -v setpriv >/dev/null || ft_skip "no setpriv (util-linux)"
nobody=$(id -u nobody 2>/dev/null) || ft_skip "no user nobody"
nogroup=$(id -g nobody)

# nobody must reach the files: the scratch dir is mktemp's 0700
chmod 755 "$FT_SCRATCH"
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
for f in drop keep root fork sub other jail same; do echo "$f" > "$f.txt"; done
chmod 755 . && chmod 644 ./*.txt
ft_old ./*.txt

as_nobody="setpriv --reuid=$nobody --regid=$nogroup --clear-groups"
ft_record 0 --name drop -- $as_nobody cat drop.txt
ft_record 0 --name keep -- cat keep.txt
ft_record 0 --name root -- setpriv --reuid=0 --regid=0 --keep-groups cat root.txt
[ "$(ft_untraced drop)" = 1 ] || ft_fail "drop: not stored untraced"
[ "$(ft_untraced keep)" = 0 ] || ft_fail "keep: stored untraced"
[ "$(ft_untraced root)" = 0 ] || ft_fail "root: a change back to root marked untraced"
ft_affected_is "drop" "with nothing changed, only the test that took another user"

ft_change drop.txt
ft_affected_is "drop" "drop.txt, read as nobody"
ft_revert drop.txt
ft_change root.txt
ft_affected_is "drop root" "root.txt, read after a change that kept the run dir writable"
ft_revert root.txt

# the records say why
ft run -q --keep-records --name kept -- $as_nobody cat keep.txt > /dev/null
run=$(ls -d .ftrace/runs/* | head -1)
got=$(ft records "$run" | awk '$3 == "UNTRACED" { print $6, $NF }')
assert_eq "user setresuid" "$got" "the UNTRACED record names the call"

# a forked child with no region yet drops its user, then reads: the
# region it makes before the call takes the mark (no exec at all)
if "$FT_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
	cat > drop.py <<PY
import os, subprocess, sys
if sys.argv[1] == "fork":
    pid = os.fork()
    if pid == 0:
        os.setgroups([]); os.setgid($nogroup); os.setuid($nobody)
        with open("fork.txt") as f:
            os._exit(0 if f.read() == "fork\n" else 1)
    sys.exit(os.WEXITSTATUS(os.waitpid(pid, 0)[1]))
out = subprocess.run(["cat", "sub.txt"], user=$nobody, group=$nogroup, extra_groups=[],
                     capture_output=True, text=True)
sys.exit(out.stdout != "sub\n")
PY
	ft_old drop.py
	ft_record 0 --name fork -- "$FT_PYTHON" drop.py fork
	ft_record 0 --name sub -- "$FT_PYTHON" drop.py sub
	ft_record 0 --name other -- "$FT_PYTHON" -c 'open("other.txt").read()'
	[ "$(ft_untraced fork)" = 1 ] || ft_fail "fork: not stored untraced"
	[ "$(ft_untraced sub)" = 1 ] || ft_fail "sub: not stored untraced"
	ft_affected_is "drop kept fork sub" "forked and subprocess(user=) children"
	ft_change other.txt
	ft_affected_is "drop kept fork sub other" "a test that kept its user keeps its dependencies"
	ft_revert other.txt

	mkdir -p jail && echo jailed > jail/in.txt && ft_old jail jail/in.txt
	ft_record 0 --name jail -- "$FT_PYTHON" -c 'import os; os.chroot("jail"); os.chdir("/"); assert open("/in.txt").read() == "jailed\n"'
	ft_record 0 --name same -- "$FT_PYTHON" -c 'import os; os.chroot("/"); open("same.txt").read()'
	[ "$(ft_untraced jail)" = 1 ] || ft_fail "jail: a chroot that moved the root, not stored untraced"
	[ "$(ft_untraced same)" = 0 ] || ft_fail "same: chroot(\"/\") marked untraced"
	ft_change same.txt
	ft_affected_is "drop kept fork sub jail same" "chroot: the jailed test always, the other by what it read"
	ft_revert same.txt
fi
