#!/usr/bin/env bash
# The launcher's own PATH search for the first command (`ftrace run --
# tool`), with the PATH elements execvp takes from the current directory:
# an empty element (the directory itself), a relative one (bin1), one
# through ".." and one with "./".  Every candidate is recorded by its
# absolute name: a relative one cannot be observed again, so every test
# was selected for ever ("cannot be read now"); and an empty element was
# not searched at all, so a program created there, which would now run
# instead, selected nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-pathsearch
here=$(basename "$PWD")

# (exported: affected must see the PATH the run saw, or PATH is a change)
export PATH=":bin1:../$here/./bin0:./bin2:$PATH"
ft_record 0 --name launcher -- tool
grep -q 'tool from bin2' "$FT_SCRATCH/run.out" || ft_fail "fixture: bin2/tool did not run: $(cat "$FT_SCRATCH/run.out")"
ft_affected_is "" "right after recording"

for shadow in tool bin1/tool bin0/tool; do
	mkdir -p "$(dirname "$shadow")"
	printf '#!/bin/sh\necho "tool from %s"\n' "$shadow" >"$shadow"
	chmod +x "$shadow"
	ft_affected_is "launcher" "$shadow now comes first on PATH"
	rm -- "$shadow"
	ft_settle
	ft_affected_is "" "$shadow removed again"
done

ft_change bin2/tool
ft_affected_is "launcher" "the program that ran changed"
ft_revert bin2/tool

# A command named with a relative path: recorded by its absolute name.
ft_record 0 --name direct -- ./bin2/tool
ft_affected_is "" "right after recording ./bin2/tool"
ft_change bin2/tool
ft_affected_is "direct launcher" "./bin2/tool changed (launcher ran it too)"
