#!/usr/bin/env bash
# A static program traced by ptrace is selected exactly when something it
# depends on changes: its data file, the absent file it probed (created),
# the directory it listed (a new entry), the file it checked through a
# dirfd, the program itself (rebuilt); and not when nothing changed or only
# its output or an unrelated file did.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
. ./build.sh

ft_record 0 --name s -- ./prog-static
ft_affected_is "" "no change"

# (No file is added to the top directory: the program opens "." as a
# dirfd, which both back ends record as reading the directory, a listing.)
ft_change README.md
echo "changed by the test" >out.txt
ft_affected_is "" "an unrelated file and the program's own output changed"
ft_revert README.md

ft_change data.txt
ft_affected_is "s" "data.txt changed"
ft_revert data.txt
ft_affected_is "" "data.txt reverted"

echo "x=1" >optional.cfg
ft_affected_is "s" "the absent optional.cfg created"
rm optional.cfg
ft_affected_is "" "optional.cfg removed again"

echo "b=2" >conf.d/b.conf
ft_affected_is "s" "a file added to the listed conf.d"
rm conf.d/b.conf

ft_change lib/helper.txt
ft_affected_is "s" "lib/helper.txt (checked through a dirfd) changed"
ft_revert lib/helper.txt

cp prog-static prog-static.orig
printf '\n' >>prog-static
ft_affected_is "s" "the program rebuilt"
mv prog-static.orig prog-static
ft_affected_is "" "the program restored"
exit 0
