#!/usr/bin/env bash
# A program with file capabilities (Debian's ping has cap_net_raw), run by
# a user other than root: the exec is in secure mode, as for a
# set-user-ID program, and ld.so ignores LD_PRELOAD.  The program ran
# unrecorded and nothing said so: an edit of a file only it read selected
# nothing.  Now the exec (by the preload, or by the launcher for the first
# command) marks its test untraced, `caps`, and it is not run under ptrace
# either (which withholds the capabilities).  Run by root, it keeps
# LD_PRELOAD (no secure mode for real root) and is recorded as any other.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(id -u)" = 0 ] || ft_skip "not root: cannot give a file capabilities or run as another user"
command -v setcap >/dev/null || ft_skip "no setcap (libcap2-bin)"
command -v setpriv >/dev/null || ft_skip "no setpriv (util-linux)"
nobody=$(id -u nobody 2>/dev/null) || ft_skip "no user nobody"
nogroup=$(id -g nobody)

chmod 755 "$FT_SCRATCH"
mk_repo() {
	mkdir "$FT_SCRATCH/$1" && cd "$FT_SCRATCH/$1" && git init -q .
	for f in first inner plain; do echo "$f" > "$f.txt"; done
	cp "$(command -v cat)" capcat
	ft_old ./*.txt capcat
	chown -R "$2" .
	# after the chown, which clears capabilities
	setcap cap_net_raw+ep capcat 2>/dev/null || ft_skip "setcap refused here (no xattrs?)"
}

mk_repo user "$nobody:$nogroup"
as_nobody() {
	setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups \
		env HOME="$FT_SCRATCH/user" PATH=/usr/bin:/bin "$@"
}
as_nobody "$FTRACE_BIN" run -q --name first -- ./capcat first.txt > /dev/null
as_nobody "$FTRACE_BIN" run -q --name inner --keep-records -- sh -c './capcat inner.txt' > /dev/null
as_nobody "$FTRACE_BIN" run -q --name plain -- cat plain.txt > /dev/null
[ "$(ft_untraced first)" = 1 ] || ft_fail "first: a first command with capabilities, not stored untraced"
[ "$(ft_untraced inner)" = 1 ] || ft_fail "inner: a program with capabilities a shell ran, not stored untraced"
[ "$(ft_untraced plain)" = 0 ] || ft_fail "plain: stored untraced"
got=$(as_nobody "$FTRACE_BIN" records "$(ls -d .ftrace/runs/* | head -1)" | awk '$3 == "UNTRACED" { print $6, $NF }')
assert_eq "caps $PWD/capcat" "$got" "the UNTRACED record says why"
out=$(as_nobody "$FTRACE_BIN" affected)
assert_set "first inner" "$out" "with nothing changed: the two tests that ran capcat"
echo changed >> plain.txt
out=$(as_nobody "$FTRACE_BIN" affected)
assert_set "first inner plain" "$out" "plain.txt selects its reader too"

# root: no secure mode, recorded as any program
mk_repo root 0:0
ft_record 0 --name rootcap -- sh -c './capcat first.txt > /dev/null'
[ "$(ft_untraced rootcap)" = 0 ] || ft_fail "rootcap: root's exec of capcat stored untraced"
ft_affected_is "" "root: nothing changed, nothing selected"
ft_change first.txt
ft_affected_is "rootcap" "root: what capcat read is its dependency"
