#!/usr/bin/env bash
# --help documents every option and exit status (and the xargs pitfall);
# bad options exit 64 with a message on stderr and nothing on stdout.
. "$(dirname "$0")/lib.sh"

help=$(ft affected --help)
for want in --format lines null json --explain --db --on-unknown=all --on-unknown=none \
	'  0 ' '  2 ' '  64 ' 'xargs -r' FTRACE_DIR; do
	grep -qe "$want" <<<"$help" || ft_fail "--help does not mention '$want'"
done
assert_eq "$help" "$(ft affected -h)" "-h and --help"

for bad in --bogus "--format=xml" "--on-unknown=maybe" "-x" "stray-arg" "--db"; do
	rc=0
	ft affected $bad >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	assert_eq 64 "$rc" "exit status of 'affected $bad'"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "'affected $bad' printed on stdout"
	grep -q '^ftrace: ' "$FT_SCRATCH/err" || ft_fail "'affected $bad': no message: $(cat "$FT_SCRATCH/err")"
done
