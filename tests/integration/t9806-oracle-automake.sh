#!/usr/bin/env bash
# t9806-oracle-automake.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/automake-basic: after each real change, `make check` runs the
# whole suite with Automake's parallel harness, each test's verdict read
# from its .trs file (":test-result:"), and every test that fails or
# changed outcome must be in `ftrace affected`.  Issue 24: selections were
# checked only against sets worked out by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-automake.sh"

ft_am_fixture automake-basic cc

# the .trs of each TESTS entry: PASS, XFAIL and SKIP do not fail
oracle_suite() {
	find . -name '*.trs' -delete
	make check >/dev/null 2>&1 || true
	find . -name '*.trs' | while IFS= read -r trs; do
		id=${trs#./}
		case $(sed -n 's/^:test-result: *//p' "$trs" | head -1) in
		PASS|XFAIL) printf '%s\tpass\n' "${id%.trs}" ;;
		SKIP) printf '%s\tskip\n' "${id%.trs}" ;;
		*) printf '%s\tfail\n' "${id%.trs}" ;;
		esac
	done
}
keep() { cp -p "$1" "$FT_SCRATCH/keep.$(basename "$1")"; }
unkeep() { cp "$FT_SCRATCH/keep.$(basename "$1")" "$1"; }

# as t8050: what the build wrote an hour back, sources older still
past=@$(($(date +%s) - 3600))
find . \( -path ./.git -o -path ./.ftrace \) -prune -o -newermt "$past" \
	-exec touch -h -d "$past" {} +
ft_clock_past_ctime
"$FTRACE_BIN" run -- make check >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "ftrace run -- make check: $(cat "$FT_SCRATCH/run.out")"
oracle_baseline

oracle_scenario "a data file one test reads" \
	'keep data/beta.txt; echo bad > data/beta.txt' 'unkeep data/beta.txt'
oracle_scenario "a data file, deleted" \
	'keep data/gamma.txt; rm data/gamma.txt' 'unkeep data/gamma.txt'
oracle_scenario "a helper two test scripts source" \
	'keep tests/lib.sh; sed -i "s/= ok/= no/" tests/lib.sh' 'unkeep tests/lib.sh'
oracle_scenario "a test program's source" \
	'keep src/t_alpha.c; sed -i "s/\"ok\", 2/\"no\", 2/" src/t_alpha.c' 'unkeep src/t_alpha.c'
oracle_scenario "a test script loses its x bit" \
	'chmod a-x tests/gamma.sh' 'chmod a+x tests/gamma.sh'
oracle_scenario "a new failing TESTS entry in Makefile.am" \
	'keep Makefile.am; printf "#!/bin/sh\nexit 1\n" > tests/delta.sh; chmod +x tests/delta.sh; sed -i "s#^TESTS = .*#& tests/delta.sh#" Makefile.am' \
	'unkeep Makefile.am; rm tests/delta.sh'
oracle_finish
