#!/usr/bin/env bash
# Changes that are not edits: a symlink (to a file, or on the directory
# part of the path) pointed elsewhere, a file deleted or replaced by a
# directory, the execute bit flipped.  Each selects the test that read the
# file, and undoing it selects nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-kinds

ft_record 0 -- ./run.sh
ft_affected_is "" "right after recording"

ln -sfn target2.txt link.txt
ft_affected_is "link" "link.txt now points to a file with other content"
ln -sfn target1.txt link.txt
ft_affected_is "" "link.txt points back"

ln -sfn dir2 ld
ft_affected_is "linkdir" "ld now points to another directory"
ln -sfn dir1 ld
ft_affected_is "" "ld points back"

mv del.txt "$FT_SCRATCH/del.txt"
ft_affected_is "del" "del.txt deleted"
mkdir del.txt
ft_affected_is "del" "del.txt is a directory now"
rmdir del.txt
mv "$FT_SCRATCH/del.txt" del.txt
ft_affected_is "" "del.txt back"

chmod +x mode.txt
ft_affected_is "mode" "mode.txt became executable"
chmod -x mode.txt
ft_affected_is "" "mode.txt not executable again"
