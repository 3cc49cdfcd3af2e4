#!/usr/bin/env bash
# A command that probes for an optional file (`[ -e config.local ]`) depends
# on its absence: creating the file changes what it does, so it selects the
# test.  Also when a whole directory on the path is missing (ENOENT from a
# missing parent).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-absent

ft_record 0 --name probe -- ./probe.sh
ft_affected_is "" "right after recording"

echo "local setting" >config.local
ft_affected_is "probe" "config.local created"
rm config.local
ft_affected_is "" "config.local removed again"

mkdir conf.d
echo "extra" >conf.d/extra.conf
ft_affected_is "probe" "conf.d/extra.conf created"
rm -r conf.d
ft_affected_is "" "conf.d removed again"

# An empty directory called config.local also exists: [ -e ] is true.
mkdir config.local
ft_affected_is "probe" "config.local created as a directory"
rmdir config.local

echo "unrelated" >other.local
ft_affected_is "" "an unprobed file created"
