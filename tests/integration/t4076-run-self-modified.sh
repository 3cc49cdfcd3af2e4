#!/usr/bin/env bash
# A test that reads a file and then modifies it itself (read-modify-write:
# a counter, a cache, a snapshot it updates).  The version it read is gone
# when the run ends; its next run reads another one and may behave
# differently.  DESIGN.md: "A file modified during the recording run is
# unknown.  A test that depends on it is affected next time."  Only a path
# the test created or truncated *before* reading it is an output.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-during

ft_record 0 -- ./selfmod.sh
ft_affected_is "selfmod" "state.txt read by selfmod, then appended to by selfmod"
ft_record 0 -- ./selfmod.sh
ft_affected_is "selfmod" "and again after a second run"
