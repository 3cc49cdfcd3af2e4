#!/usr/bin/env bash
# A file the test makes before any use is its output, no dependency; but
# making it saw its directory there.  tinyxml2's test writes
# resources/out/pretty.xml (fopen "w") and crashed once resources/out
# was moved away, and that selected nothing (a probe, 2026-11-29).  The
# directory's type is now the test's dependency (docs/internals.md, "Made
# by the test: its directory"), unless the test used the directory itself
# (`mkdir -p`: judged on its own) or the prelude made and removed it.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir -p resources/out && echo '<a/>' >resources/in.xml
ft_old resources resources/out resources/in.xml .

tests='
	FTRACE_TEST_ID=writer sh -ec "cat resources/in.xml >resources/out/pretty.xml"
	FTRACE_TEST_ID=maker sh -ec "mkdir -p made; cat resources/in.xml >made/copy.xml"
	mkdir -p session
	FTRACE_TEST_ID=user sh -ec "echo x >session/log.txt"
	rm -rf session'
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "nothing changed"

mv resources/out resources/out.moved
ft_affected_is "writer" "the directory writer writes into moved away"
mv resources/out.moved resources/out
ft_affected_is "" "moved back"
chmod a-w resources/out
ft_affected_is "writer" "the directory made read-only"
chmod u+w resources/out && ft_old resources/out

rm -rf made
ft_affected_is "" "made/ removed: maker makes it again"
ft_record 0 -- sh -ec "$tests"
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "recorded again"
