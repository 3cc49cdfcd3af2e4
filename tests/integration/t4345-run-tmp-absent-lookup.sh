#!/usr/bin/env bash
# t4345-run-tmp-absent-lookup.sh - a name looked up in a temporary
# directory and not found is a dependency (its absence) when the run did
# not make the directory: a config file's walk up from a scratch directory
# reaches /tmp/.env (python-dotenv's find_dotenv, found on a probe:
# creating /tmp/.env failed two tests and selected none), /tmp/pytest.ini,
# /tmp/.git.  A file found directly in a temporary directory that is older
# than the run is one too.  Names in directories the run made (pytest's
# numbered directories, mktemp -d) and names the run made stay scratch
# (docs/internals.md, "Not dependencies").
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-absent
export TMPDIR=$FT_SCRATCH/tmp
mkdir -p "$TMPDIR/old"
touch -d '2020-01-01 00:00:00' "$TMPDIR/old"
# a name in /tmp itself, unique to this script's run
ROOTNAME=/tmp/.ftrace-t4345-$$-probe
trap 'rm -rf "$ROOTNAME"' EXIT
cat >lookups.sh <<EOS
#!/bin/sh
test -e "\$TMPDIR/.probe.env" && cat "\$TMPDIR/.probe.env" >/dev/null
test -e "\$TMPDIR/.cfgdir/config.toml"
test -e "\$TMPDIR/old/.probe.env"
test -e "$ROOTNAME"
d=\$(mktemp -d "\$TMPDIR/run.XXXXXX")
test -e "\$d/.probe.env"
echo "\$d" >made-dir.txt
test -e "\$TMPDIR/made" || : >"\$TMPDIR/made"
exit 0
EOS
chmod +x lookups.sh
git add lookups.sh && git -c user.email=t@t -c user.name=t commit -qm lookups
echo made-dir.txt >>.gitignore

ft_record 0 --name probe -- ./lookups.sh
ft_affected_is "" "right after recording"

: >"$TMPDIR/.probe.env"
ft_affected_is "probe" "\$TMPDIR/.probe.env created"
rm "$TMPDIR/.probe.env"
ft_affected_is "" "\$TMPDIR/.probe.env removed again"

mkdir "$TMPDIR/.cfgdir"
ft_affected_is "" "\$TMPDIR/.cfgdir made, empty"
: >"$TMPDIR/.cfgdir/config.toml"
ft_affected_is "probe" "\$TMPDIR/.cfgdir/config.toml created"
rm -r "$TMPDIR/.cfgdir"

: >"$TMPDIR/old/.probe.env"
ft_affected_is "probe" "a name created in a directory older than the run"
rm "$TMPDIR/old/.probe.env"

: >"$ROOTNAME"
ft_affected_is "probe" "a name created in /tmp"
rm "$ROOTNAME"
ft_affected_is "" "the name in /tmp removed again"

# scratch: the directory the run made, and the file it made
d=$(cat made-dir.txt)
[ -d "$d" ] || ft_fail "the run's directory is gone: $d"
: >"$d/.probe.env"
ft_affected_is "" "a name created in a directory the run made"
rm "$TMPDIR/made"
ft_affected_is "" "the file the run made removed"

# a file found directly in $TMPDIR, older than the run: its content
echo A=1 >"$TMPDIR/.probe.env"
touch -d '2020-01-01 00:00:00' "$TMPDIR/.probe.env"
ft_record 0 --name probe -- ./lookups.sh
ft_affected_is "" "recorded with \$TMPDIR/.probe.env there"
echo A=2 >"$TMPDIR/.probe.env"
ft_affected_is "probe" "\$TMPDIR/.probe.env edited"
rm "$TMPDIR/.probe.env"
ft_affected_is "probe" "\$TMPDIR/.probe.env removed"
# ... but one deeper down stays scratch (a tool's cache below /tmp)
echo A=1 >"$TMPDIR/old/.probe.env"
touch -d '2020-01-01 00:00:00' "$TMPDIR/old/.probe.env" "$TMPDIR/old"
ft_record 0 --name probe -- ./lookups.sh
echo A=2 >"$TMPDIR/old/.probe.env"
ft_affected_is "" "a file in a directory below \$TMPDIR edited"
