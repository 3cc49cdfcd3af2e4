#!/usr/bin/env bash
# t9803-oracle-go.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/go-mod: after each real change, the whole suite runs with
# `go test -json ./...` (each package's own pass/fail event), and every
# package that fails or changed outcome must be in `ftrace affected
# --format go`.  Issue 24: a Go test's read of testdata went unrecorded
# (BurntSushi/toml's TestDecodeParallel) and a package without tests that
# did not compile selected nothing, while `go test ./...` failed.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_need_go
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache
oracle_go_begin

oracle_scenario "a data file a test reads" \
	'ft_go_edit calc/testdata/numbers.txt -1000' 'ft_revert calc/testdata/numbers.txt'
oracle_scenario "an absent file a test probed, created" \
	'echo -1000 > calc/testdata/extra.txt' 'rm calc/testdata/extra.txt'
oracle_scenario "an embedded file" \
	'ft_go_edit report/header.txt EXTRA' 'ft_revert report/header.txt'
oracle_scenario "a constant of an imported package" \
	'ft_edit calc/limits.go "100" "1"' 'ft_back calc/limits.go'
oracle_scenario "a golden file, deleted" \
	'rm report/testdata/golden.txt' 'ft_back report/testdata/golden.txt'
oracle_scenario "a new package with a failing test" \
	'mkdir -p tools/fresh && printf "package fresh\n\nimport \"testing\"\n\nfunc TestFresh(t *testing.T) { t.Fatal(1) }\n" > tools/fresh/fresh_test.go' \
	'rm -r tools/fresh'
oracle_finish
