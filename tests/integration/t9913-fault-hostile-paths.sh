#!/usr/bin/env bash
# t9913-fault-hostile-paths.sh - tests that read files whose names hold a
# space, a quote, a newline, bytes that are not UTF-8, and a long path
# (130 directories, about 3.5 KB, near PATH_MAX).  Issue 24 lists hostile
# paths among the inputs a trusted tool must take: each file, changed or
# deleted, must select its test (the oracle: the test fails now and is
# selected).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_fixture cmd-kinds
long=$(printf 'd%.0s/' $(seq 1 130) | sed 's#/#_long_component_name_here/#g')
long=${long}file.txt
PATHS=("with space.txt" "it's \"quoted\".txt" $'new\nline.txt' $'latin1-\xe9\xff.txt' "$long")
mkdir -p "$(dirname "$long")"
for p in "${PATHS[@]}"; do echo ok >"$p"; done
git add -A && git -c user.email=t@t -c user.name=t commit -qm paths
ft_settle

oracle_suite() {
	local i
	for i in "${!PATHS[@]}"; do
		if grep -qx ok "${PATHS[$i]}" 2>/dev/null; then
			printf 'p%s\tpass\n' "$i"
		else
			printf 'p%s\tfail\n' "$i"
		fi
	done
}

for i in "${!PATHS[@]}"; do
	"$FTRACE_BIN" run -q --name "p$i" -- grep -qx ok "${PATHS[$i]}" ||
		ft_fail "recording p$i (${PATHS[$i]}) failed"
done
oracle_baseline

for i in "${!PATHS[@]}"; do
	oracle_scenario "path $i changed" "echo broken >\"\${PATHS[$i]}\"" "echo ok >\"\${PATHS[$i]}\""
	oracle_scenario "path $i deleted" "rm \"\${PATHS[$i]}\"" "echo ok >\"\${PATHS[$i]}\""
done
oracle_finish
