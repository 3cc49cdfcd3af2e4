#!/usr/bin/env bash
# The test scripts run under `set -o pipefail` (lib.sh).  A pipeline whose
# last stage leaves early (grep -q, grep -m) fails now and then on a loaded
# machine: grep exits at its first match, the writer's next write gets
# SIGPIPE, and pipefail turns a found line into a failure (CI's t4040 did,
# on `printf '%s\n' "$out" | grep -qxF`).  Such a search is written
# `grep -q PATTERN <<<"$(command)"`.  This script finds the pipe form in the
# scripts and the helpers they source; a pipe inside `$(...)` (a message
# that only logs) is left alone.
. "$(dirname "$0")/lib.sh"

# lint_file FILE: prints FILE:LINE: TEXT for every offending line.
lint_file() {
	awk -v f="$1" '
		/^[ \t]*#/ { next }
		{
			i = match($0, /(^|[^|])\|[ \t]*grep[ \t]+-[a-zA-Z]*[qm]/)
			if (i == 0) next
			before = substr($0, 1, i)
			if (index(before, "$(") > 0) next
			printf "%s:%d: %s\n", f, NR, $0
		}' "$1"
}

# The lint must catch the form it is about, and leave the right one alone.
printf '%s\n' 'out=x' 'printf "%s\n" "$out" | grep -qxF -- x || exit 1' >"$FT_SCRATCH/bad.sh"
printf '%s\n' 'grep -qxF -- x <<<"$out" || exit 1' '# a | grep -q in a comment' \
	'[ -s f ] || grep -q . f' \
	'ft_log "seen: $(ft affected | grep -m1 x)"' >"$FT_SCRATCH/good.sh"
[ -n "$(lint_file "$FT_SCRATCH/bad.sh")" ] || ft_fail "the lint misses a pipe into grep -q"
[ -z "$(lint_file "$FT_SCRATCH/good.sh")" ] || ft_fail "the lint flags a here-string: $(lint_file "$FT_SCRATCH/good.sh")"

found=
for f in "$FTRACE_SOURCE_DIR"/tests/integration/*.sh "$FTRACE_SOURCE_DIR"/fixtures/*/helpers.sh; do
	[ -f "$f" ] && [ "$(basename "$f")" != "$(basename "$0")" ] || continue
	found+=$(lint_file "$f")$'\n'
done
found=$(printf '%s' "$found" | sed '/^$/d')
[ -z "$found" ] || ft_fail "a pipe into an early-exiting grep under pipefail (write grep -q PAT <<<\"\$(cmd)\"):
$found"
