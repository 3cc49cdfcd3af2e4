#!/usr/bin/env bash
# Where the map goes: $FTRACE_DIR if set, else `.ftrace` in the nearest
# ancestor directory that has `.git` or `.ftrace`.  Running from a
# subdirectory must use the repository's map, not create a second one.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial repo
mkdir -p sub/deeper

# From a subdirectory: the map is at the repository root.
(cd sub/deeper && ft_record 0 --name a -- sh -c 'cat ../../a.txt >/dev/null')
[ -f .ftrace/ftrace.db ] || ft_fail "no .ftrace/ftrace.db at the repository root"
[ ! -e sub/.ftrace ] && [ ! -e sub/deeper/.ftrace ] || ft_fail "a .ftrace was created below the root"
ft_change a.txt
(cd sub/deeper && ft_affected_is "a" "affected from a subdirectory")
ft_affected_is "a" "affected from the root"
ft_revert a.txt

# A nested .ftrace (without .git) is nearer: it wins.  (The file read is
# inside sub/: the scratch copy lives in /tmp, and outside the project that
# .ftrace marks, /tmp paths are temporary files, not dependencies.)
mkdir sub/.ftrace
echo inner >sub/inner.txt
(cd sub/deeper && ft_record 0 --name inner -- cat ../inner.txt)
[ -f sub/.ftrace/ftrace.db ] || ft_fail "the nearer sub/.ftrace was not used"
ft_change sub/inner.txt
(cd sub && ft_affected_is "inner" "affected with the nested .ftrace")
ft_affected_is "" "the root map knows nothing of 'inner'"
ft_revert sub/inner.txt

# FTRACE_DIR overrides the search.
mkdir "$FT_SCRATCH/elsewhere"
FTRACE_DIR=$FT_SCRATCH/elsewhere ft_record 0 --name other -- cat shared.txt
[ -f "$FT_SCRATCH/elsewhere/ftrace.db" ] || ft_fail "FTRACE_DIR was not used"
ft_change shared.txt
FTRACE_DIR=$FT_SCRATCH/elsewhere ft_affected_is "other" "affected with FTRACE_DIR"
ft_affected_is "" "the repository's map does not have 'other'"

# The state directory is never a dependency: the map itself changed many
# times above, and the test that ran from the root is not selected for it.
ft_revert shared.txt
ft_affected_is "" "nothing changed for 'a'"
