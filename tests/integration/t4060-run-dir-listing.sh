#!/usr/bin/env bash
# `ls dir` depends on the directory's entries: a new or removed entry
# selects the test; a content change of an entry it never opened does not,
# and neither does a new entry for a test that only opened one file in it.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-listing

ft_record 0 -- ./run.sh
ft_affected_is "" "right after recording"

echo new >plugins/new.plugin
ft_affected_is "list" "file added to the listed directory"
rm plugins/new.plugin
ft_affected_is "" "added file removed"

mv plugins/b.plugin plugins/c.plugin
ft_affected_is "list" "file renamed in the listed directory"
mv plugins/c.plugin plugins/b.plugin
ft_affected_is "" "rename undone"

ft_change plugins/b.plugin
ft_affected_is "" "content of an entry nobody opened"
ft_revert plugins/b.plugin

ft_change plugins/a.plugin
ft_affected_is "read" "content of the file 'read' opened"
ft_revert plugins/a.plugin

touch -d '2022-02-02' plugins
ft_affected_is "" "mtime of the listed directory only"
