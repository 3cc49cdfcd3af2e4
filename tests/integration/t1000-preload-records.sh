#!/usr/bin/env bash
# t1000-preload-records.sh - `ftrace records`: its help, usage errors, the
# line format (prelude "-", errno names, class letters, escaped bytes), and
# the exit status 2 when a region is damaged (records may be missing).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
grep -q '<pid> <context> <TYPE> <op> <err> <flags> <data>' <<<"$(ft records --help)" || ft_fail "--help lacks the format"
assert_status 64 ft records
assert_status 64 ft records --bogus "$RUN"
assert_status 64 ft records "$RUN" "$RUN"
assert_status 70 ft records "$FT_SCRATCH/no-such-dir"
assert_eq "" "$(ft records "$RUN")" "an empty run dir"

# a path with a newline, a tab, a backslash and a non-ASCII byte
odd=$FT_SCRATCH/$'odd\nname\twith\\back\xffslash'
traced "$P/ftp_probe" "$odd"
pid=$(ls "$RUN" | sed -n 's/^r-\([0-9]*\)-0\.rec$/\1/p')
want="$pid - ACCESS stat ENOENT s $FT_SCRATCH/odd\\nname\\twith\\\\back\\xffslash"
ft records "$RUN" > "$FT_SCRATCH/records"
grep -qxF -- "$want" "$FT_SCRATCH/records" || ft_fail "escaped line missing: $want"
assert_eq "$pid - CONTEXT - 0 - " "$(head -1 "$FT_SCRATCH/records")" "first record: the prelude context"

# a context with a space is escaped, so the columns stay columns
rm -rf "$RUN"; mkdir -p "$RUN"
FTRACE_TEST_ID='a test' traced "$P/ftp_probe" "$FT_SCRATCH/x"
ft records "$RUN" > "$FT_SCRATCH/records"
grep -qF -- " a\\x20test ACCESS stat ENOENT s $FT_SCRATCH/x" "$FT_SCRATCH/records" ||
	ft_fail "context with a space not escaped"

# damage: cut a region short in the middle of its records
cp "$RUN"/r-*.rec "$FT_SCRATCH/copy"
head -c 300 "$FT_SCRATCH/copy" > "$(ls "$RUN"/r-*.rec | head -1)"
rc=0
ft records "$RUN" > /dev/null 2> "$FT_SCRATCH/stderr" || rc=$?
assert_eq 2 "$rc" "exit status for a damaged region"
grep -q 'damaged' "$FT_SCRATCH/stderr" || ft_fail "no message about the damaged region"
