#!/usr/bin/env bash
# `make check` that compiles its helper during the recorded run: make first
# finds `helper` absent, then the compiler creates it, then check.sh runs it.
# make's lookup saw `helper` absent and took the branch that builds it; a
# later run finds it and runs it as it is, which this run never read: the
# test is selected once after the recording that built it (t4312), and not
# after the next one, which finds helper there (its absence is not a
# dependency for ever).  The temporary files of the compiler do not
# matter.  Changing the helper's source still selects.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-make
[ ! -e helper ] || ft_fail "fixture ships a built helper"

ft_record 0 --name check -- make -s check
[ -x helper ] || ft_fail "make check did not build helper"

ft_affected_is "check" "right after recording (helper was built by the test)"
ft_record 0 --name check -- make -s check
ft_affected_is "" "recorded again, helper there from the start"

ft_change data/numbers.txt
ft_affected_is "check" "data read by the freshly built helper changed"
ft_revert data/numbers.txt

ft_change helper.c
ft_affected_is "check" "the helper's source changed"
ft_revert helper.c
ft_affected_is "" "the helper's source reverted"
