#!/usr/bin/env bash
# t9808-oracle-pytest-tmplink.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/pytest-basic with tests that reach repository files through
# paths under the temp directory.  Issue 24: ingest dropped paths under
# /tmp by their text, so a symlink in pytest's tmp_path to a project file,
# and /tmp/x/../<repo>/f, read repository files unrecorded; breaking the
# file selected nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

oracle_pytest_tmp_begin

oracle_scenario "a data file read through a symlink in tmp_path" \
	'printf "x,y\n" > tests/data/table.csv' 'ft_back tests/data/table.csv'
oracle_finish
