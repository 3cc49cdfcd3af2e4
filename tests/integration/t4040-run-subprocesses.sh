#!/usr/bin/env bash
# Reads done by subprocesses count for the test that started them: through
# `env -i` (which drops LD_PRELOAD and FTRACE_* from the environment), `sh -c`,
# every stage of a pipeline, and exec of a #!/bin/sh script.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-subproc

ft_record 0 -- ./run.sh
ft_affected_is "" "right after recording"

check() { # check TEST FILE
	ft_change "$2"
	ft_affected_is "$1" "$2 changed (read by a subprocess of $1)"
	ft_revert "$2"
}
check envi data/envi.txt
check envi data/envi2.txt
check shc data/shc.txt
check pipe data/pipe.txt
check pipe data/pattern.txt
check pipe data/sortin.txt
check shexec data/sub.txt
check shexec sub.sh
# The test scripts themselves are exec'd by the runner before their test
# starts (see t4030): selected, perhaps with the others.
for t in envi shc pipe shexec; do
	ft_change $t.sh
	ft_affected_has "$t" "$t.sh changed"
	ft_revert $t.sh
done
ft_affected_is "" "everything reverted"
