#!/usr/bin/env bash
# t8013-records-argv.sh - FT_REC_PROC carries the process's argv (what the
# runner rules match on): `ftrace records` prints it on an ARGV line after
# PROC, each argument escaped; an argv longer than 4096 bytes is cut and
# flagged "cut" (ingest never matches on it).  The PROC line is unchanged.
. "$(dirname "$0")/lib.sh"

mkdir -p "$FT_SCRATCH/repo/.ftrace" && cd "$FT_SCRATCH/repo"
true_bin=$(readlink -f "$(type -P true)")
long=$(printf 'x%.0s' $(seq 5000))

ft run -q --keep-records --name short -- "$true_bin" a 'b c' || ft_fail "ftrace run failed"
ft run -q --keep-records --name long -- "$true_bin" "$long" || ft_fail "ftrace run failed"
runs=$(ls -d .ftrace/runs/* | LC_ALL=C sort)
[ "$(printf '%s\n' "$runs" | wc -l)" -eq 2 ] || ft_fail "expected 2 kept runs: $runs"

out=$(ft records "$(printf '%s\n' "$runs" | head -1)")$'\n'$(ft records "$(printf '%s\n' "$runs" | tail -1)")
grep -qxE "[0-9]+ short PROC - 0 - $true_bin" <<<"$out" || ft_fail "PROC line changed: $out"
grep -qxE "[0-9]+ short ARGV - 0 - \[$true_bin a b\\\\x20c\]" <<<"$out" ||
	ft_fail "ARGV line missing or wrong: $(printf '%s\n' "$out" | grep ARGV)"
cut=$(printf '%s\n' "$out" | grep " long ARGV ") || ft_fail "no ARGV line for the long argv"
case $cut in
*" long ARGV - 0 cut [$true_bin xxx"*"]") ;;
*) ft_fail "long argv not flagged cut: ${cut:0:200}" ;;
esac
# bounded: the program name, one space and at most 4096 bytes of cmdline
[ "${#cut}" -lt 4300 ] || ft_fail "ARGV line not bounded: ${#cut} bytes"
