#!/usr/bin/env bash
# PATH lookups probe every earlier directory: a program created there later
# shadows the one the test ran, so the probed-and-absent paths are
# dependencies (DESIGN.md: "exec search along PATH").  Both a shell's own
# search and libc's execvp().
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-pathsearch

ft_record 0 -- ./run.sh
[ "$(grep -c 'tool from bin2' "$FT_SCRATCH/run.out")" -eq 2 ] || ft_fail "fixture: tool did not run twice: $(cat "$FT_SCRATCH/run.out")"
ft_affected_is "" "right after recording"

printf '#!/bin/sh\necho "tool from bin1"\n' >bin1/tool
chmod +x bin1/tool
ft_affected_is "shell execvp" "bin1/tool now shadows bin2/tool"
rm bin1/tool
ft_affected_is "" "bin1/tool removed again"

echo other >bin1/other
ft_affected_is "" "an unrelated file in bin1/"
rm bin1/other

ft_change bin2/tool
ft_affected_is "shell execvp" "the program that ran changed"
