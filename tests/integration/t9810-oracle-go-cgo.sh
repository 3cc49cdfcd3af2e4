#!/usr/bin/env bash
# t9810-oracle-go-cgo.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/go-mod, for what the Go toolchain does besides running test
# binaries.  Issue 24: a cgo-linked test binary (it imports net) read its
# testdata through raw syscalls that the preload never saw (BurntSushi/toml's
# TestDecodeParallel), so breaking that file selected nothing.  (t9811: a
# package without tests that does not compile, on the same fixture.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"
. "$(dirname "$0")/lib-oracle.sh"

ft_go_cgo_fixture
oracle_go_begin

oracle_scenario "testdata of a dynamically linked (cgo) test binary" \
	'echo broken > netpkg/testdata/want.txt' 'ft_back netpkg/testdata/want.txt'
oracle_finish
