#!/usr/bin/env bash
# t9811-oracle-go-build.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/go-mod, for what the Go toolchain does besides running test
# binaries.  Issue 24: a compile error in a Go package without tests fails
# `go test ./...`, yet nothing was selected (the pre-commit hook accepted a
# commit that does not build).  (t9810: a cgo-linked test binary's
# testdata, on the same fixture.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_go_cgo_fixture
oracle_go_begin

oracle_scenario "a compile error in a package without tests" \
	'ft_go_edit tools/lonely/lonely.go "func Broken() int { return \"x\" }"' \
	'ft_revert tools/lonely/lonely.go'
oracle_finish
