#!/usr/bin/env bash
# t7201-ptrace-raw-syscalls.sh - programs that make file system calls
# without libc are never recorded as if the preload had seen everything.
#
# Cases that broke (each selected nothing after its file changed):
# - a dynamic C program reading a repository file with an inline-assembly
#   `syscall`, started inside a ptrace'd tree (a static first command):
#   once its preload opened its region, the tracer stopped decoding it;
# - a dynamic Go test binary without a Go note (`-ldflags=-buildid=`,
#   `-linkmode=external`, as reproducible builds do), as the first command
#   and started by `sh -c`: both classifiers (tracer/ft_elf.c,
#   preload/elf.c) took it for a C program and left it to the preload.
# docs/ptrace.md: "Whose calls the preload sees", "When it is used".
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

[ "$(uname -m)" = x86_64 ] || ft_skip "the fixture's inline assembly is x86-64"
ft_fixture rawsys-c
printf 'rawread\nspawn\n*.test\n.gocache/\n.ftrace/\n' >.gitignore
cc -O2 -o rawread rawread.c || ft_fail "cc rawread.c"
cc -O2 -static -o spawn spawn.c 2>/dev/null || ft_skip "cc -static does not work here (no static libc)"
grep -q INTERP <<<"$(readelf -lW rawread)" || ft_fail "rawread is not dynamic"
assert_eq data "$(./rawread data.txt)" "rawread prints data.txt"

# a raw read in a dynamic program inside a ptrace'd tree
ft_record 0 --name raw -- ./spawn ./rawread data.txt
ft_affected_is "" "right after recording"
ft_change data.txt
ft_affected_is "raw" "data.txt, read with a raw openat, changed"
ft_revert data.txt
ft_affected_is "" "data.txt reverted"

# a dynamic Go binary with no Go note: its .go.buildinfo section says Go
ft_need_go
command -v gcc >/dev/null 2>&1 || ft_skip "no gcc: no cgo"
cp -a "$FTRACE_SOURCE_DIR/fixtures/go-cgo" gomod
find gomod -exec touch -h -d '2020-01-01 00:00:00' {} +
export GOCACHE=$PWD/.gocache CGO_ENABLED=1
(cd gomod && go test -c -ldflags='-buildid= -linkmode=external' -o ../nonote.test ./decode) ||
	ft_fail "go test -c"
grep -q INTERP <<<"$(readelf -lW nonote.test)" || ft_fail "nonote.test is not dynamic"
grep -q "Go " <<<"$(readelf -nW nonote.test)" && ft_fail "nonote.test has a Go note"
git add -A gomod && git -c user.email=t@t -c user.name=t commit -qm gomod
# (a static program reads every variable, and this part exported GOCACHE
# and CGO_ENABLED since "raw" was recorded: a recording of its own)
rm -rf .ftrace
cd gomod/decode
ft_record 0 --name first -- ../../nonote.test -test.run Decode
ft_record 0 --name viash -- sh -c '../../nonote.test -test.run Decode'
cd ../..
ft_affected_is "" "right after recording the Go binary"
cp gomod/decode/testdata/Cargo.toml "$FT_SCRATCH/Cargo.toml"
printf '[broken\n' >gomod/decode/testdata/Cargo.toml
ft_affected_is "first viash" "Cargo.toml, read by a note-less dynamic Go binary, broken"
cp "$FT_SCRATCH/Cargo.toml" gomod/decode/testdata/Cargo.toml
