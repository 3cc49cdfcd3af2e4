#!/usr/bin/env bash
# t1104-preload-libc-files.sh - files glibc opens with its own internal
# calls, which no open hook sees: the time zone that localtime() and the
# other local-time conversions read (TZ's file, /etc/localtime, a zone of
# $TZDIR), the user and group databases (getpwuid: `id -un`) and host
# names (getaddrinfo, gethostbyname: `getent hosts`).  A test that printed
# a local time depended on no zone file: replacing it changed the output
# and selected nothing (a probe of jq's date tests; preload/hook_libcfiles.c).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v zic >/dev/null || ft_skip "no zic (libc-bin) to make zone files"

ft_fixture cmd-absent
mkdir zones
# zone files of our own (zic, from glibc's libc-bin), not the system's
cat >zones.src <<'ZIC'
Zone My/Zone 9:00 - JST
Zone Other/Zone 1:00 - CET
ZIC
zic -d zones zones.src
[ -f zones/My/Zone ] || ft_fail "zic made no zone file"
cp zones/My/Zone zones/Abs
export TZDIR=$PWD/zones
printf 'zones.src\n' >>.git/info/exclude

# `date` prints the local time: TZ's file, absolute, by name under
# $TZDIR, or a POSIX rule that names no file
ft_record 0 --name abs -- env TZ="$PWD/zones/Abs" date
ft_record 0 --name named -- env TZ=My/Zone date
ft_record 0 --name colon -- env TZ=:My/Zone date
ft_record 0 --name rule -- env TZ=XYZ-3ABC date
ft_record 0 --name plainrule -- env TZ=XYZ-3 date
ft_record 0 --name utc -- date -u +%s
ft_affected_is "" "right after recording"

cp zones/Other/Zone zones/Abs
ft_affected_is "abs" "the zone file TZ names by its path replaced"
cp zones/My/Zone zones/Abs
ft_affected_is "" "the zone file put back"

cp zones/My/Zone "$FT_SCRATCH/my.zone"
cp zones/Other/Zone zones/My/Zone
ft_affected_is "colon named" "the zone \$TZDIR/My/Zone replaced"
cp "$FT_SCRATCH/my.zone" zones/My/Zone

cp zones/My/Zone zones/XYZ-3ABC
ft_affected_is "rule" "a zone file named as TZ's POSIX rule created"
rm zones/XYZ-3ABC
cp zones/My/Zone zones/XYZ-3
ft_affected_is "plainrule" "a zone file named as the other rule created"
rm zones/XYZ-3
# a rule with a daylight-saving zone and no rules for it takes them from
# posixrules; one without (XYZ-3, date -u's UTC0) reads no posixrules
cp zones/My/Zone zones/posixrules
ft_affected_is "rule" "posixrules created (the rule's missing DST rules)"
rm zones/posixrules
ft_affected_is "" "both removed again"

# the databases: what the run recorded (the files are the system's, which
# a test must not change)
ft_record 0 --keep-records --name db -- sh -c 'id -un >/dev/null; getent hosts localhost >/dev/null || true'
recs=$(for d in .ftrace/runs/*/; do "$FTRACE_BIN" records "$d"; done)
for f in /etc/nsswitch.conf /etc/passwd /etc/hosts /etc/resolv.conf; do
	grep -q "ACCESS open [0-9A-Z]* r $f\$" <<<"$recs" || ft_fail "no read of $f recorded: $(grep -c . <<<"$recs") records"
done
