#!/usr/bin/env bash
# t1015-preload-ignored-paths.sh - paths that are never dependencies are not
# recorded: /proc, /sys, /dev, the run dir and everything below
# FTRACE__STATE_DIR.  The match is by whole components: /devices or
# <state>-other are ordinary paths.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
STATE=$FT_SCRATCH/state
mkdir -p "$STATE"
FTRACE__STATE_DIR=$STATE traced "$P/ftp_probe" /proc/self/status /proc /sys/kernel /dev/null /dev \
	"$STATE" "$STATE/ftrace.db" "$RUN/r-1-0.rec" /devices-not-dev "$STATE-other" "$FT_SCRATCH/stat"
ft records "$RUN" | awk '$3 == "ACCESS" && $4 == "stat" { print $NF }' > "$FT_SCRATCH/got"
assert_eq "/devices-not-dev
$STATE-other
$FT_SCRATCH/stat" "$(cat "$FT_SCRATCH/got")" "recorded stat paths"

# a path longer than FT_PATH_MAX (a relative name in a 9000-byte cwd) cannot
# be written down: the process is marked untraced instead of the record
# being cut or dropped
rm -rf "$RUN"; mkdir -p "$RUN"
comp=$(printf 'd%.0s' $(seq 200))
( cd "$FT_SCRATCH" && for i in $(seq 45); do mkdir "$comp" && cd "$comp"; done &&
	traced "$FT_PROGS/ftp_probe" short-name )
ft records "$RUN" | awk '$3 == "UNTRACED" { print $6, $7 }' > "$FT_SCRATCH/got"
assert_eq "unknown short-name" "$(cat "$FT_SCRATCH/got")" "an unnameable path"
