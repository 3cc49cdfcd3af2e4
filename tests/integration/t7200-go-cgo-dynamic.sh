#!/usr/bin/env bash
# t7200-go-cgo-dynamic.sh - a Go test binary that is dynamically linked is
# still traced: its Go code's own system calls are recorded.
#
# The case that broke: BurntSushi/toml's TestDecodeParallel reads
# testdata/Cargo.toml; with cgo on (gcc installed), a package whose test
# imports `net` gets a dynamic test binary.  ld.so loaded the preload,
# which opened its region file, and the tracer then stopped decoding the
# image ("the preload records it"); but the Go runtime reads with its own
# `syscall` instructions, which no hook sees.  Breaking Cargo.toml selected
# nothing, while `go test ./...` failed.  Now a call from code other than
# libc, ld.so and the preload is decoded by the tracer (docs/ptrace.md,
# "Whose calls the preload sees").
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
command -v gcc >/dev/null 2>&1 || ft_skip "no gcc: cgo is off, the test binary would be static"
ft_fixture go-cgo
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache CGO_ENABLED=1
D=example.com/gocgo/decode P=example.com/gocgo/plain

# the premise: decode's test binary is dynamic (PT_INTERP), plain's static
go test -c -o "$FT_SCRATCH/decode.test" ./decode >/dev/null
go test -c -o "$FT_SCRATCH/plain.test" ./plain >/dev/null
grep -q INTERP <<<"$(readelf -lW "$FT_SCRATCH/decode.test")" || ft_fail "decode.test is not dynamically linked"
grep -q INTERP <<<"$(readelf -lW "$FT_SCRATCH/plain.test")" && ft_fail "plain.test is dynamically linked"

ft_record 0 -- go test ./...
# decode and plain, and cmd/tool, a package without tests: a build-only test
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"

# the dynamic binary's read, through the Go runtime's raw openat
cp decode/testdata/Cargo.toml "$FT_SCRATCH/Cargo.toml"
printf '[broken\n' >decode/testdata/Cargo.toml
ft_affected_is "$D" "decode's testdata/Cargo.toml broken"
assert_status 1 go test -count=1 ./decode >/dev/null 2>&1
cp "$FT_SCRATCH/Cargo.toml" decode/testdata/Cargo.toml
ft_go_edit plain/testdata/in.txt 2
ft_affected_is "$P" "plain's testdata changed"
ft_go_ran "$P" "plain's testdata changed"
ft_revert plain/testdata/in.txt
ft_affected_is "" "everything reverted"

# the dependency itself, in the database: decode's test read the file
grep -q " ./decode/testdata/Cargo.toml$" <<<"$(ft_deps "$D")" ||
	ft_fail "decode's test has no dependency on testdata/Cargo.toml: $(ft_deps "$D")"
