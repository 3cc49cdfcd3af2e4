#!/usr/bin/env bash
# Paths are bytes: names with spaces, a newline, bytes that are not UTF-8,
# and a 4000-byte absolute path are recorded and compared like any other.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-oddpaths
. ./paths.sh
mkdir -p odd "$(dirname "$ODD_LONG")"
for f in "$ODD_SPACE" "$ODD_NL" "$ODD_LATIN" "$ODD_LONG"; do
	printf 'content of an odd path\n' >"$f"
done
abs="$(pwd -P)/$ODD_LONG"
[ ${#abs} -eq 4000 ] || ft_fail "fixture: long path is ${#abs} bytes, not 4000"
find . -path ./.git -prune -o -exec touch -h -d '2020-01-01 00:00:00' {} +

ft_record 0 -- ./run.sh
ft_affected_is "" "right after recording"

check() { # check TEST FILE
	ft_change "$2"
	ft_affected_is "$1" "$1's odd path changed"
	ft_revert "$2"
	ft_affected_is "" "$1's odd path reverted"
}
check space "$ODD_SPACE"
check newline "$ODD_NL"
check latin "$ODD_LATIN"
check long "$ODD_LONG"

rm -- "$ODD_LONG"
ft_affected_is "long" "the 4000-byte path removed"
