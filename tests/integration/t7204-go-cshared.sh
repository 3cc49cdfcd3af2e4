#!/usr/bin/env bash
# t7204-go-cshared.sh - Go code inside a program the preload runs in: a
# Go library (-buildmode=c-shared) that a C program loads with dlopen (as
# Python's ctypes does) or links against.  The program itself is an
# ordinary dynamic C program, so it is preloaded, not handed to ptrace; but
# the Go runtime in the library reads files with its own `syscall`
# instructions, which no hook sees.  Before, the test was stored with the
# program's libraries only, and an edit of the file the library read
# selected nothing.  Now the preload finds Go's note in every object ld.so
# maps (in memory, no system call) and records the process untraced
# ("rawsys"), from there on and in every test context that starts in it.
# A library without the note is caught by the raw-call trap.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
command -v gcc >/dev/null 2>&1 || ft_skip "no gcc: no c-shared build"
GO=$FT_SCRATCH/golib
mkdir -p "$GO"
cat > "$GO/go.mod" <<'M'
module example.com/golib

go 1.19
M
cat > "$GO/lib.go" <<'G'
package main

import "C"
import "os"

//export ReadIt
func ReadIt(p *C.char) C.int {
	b, err := os.ReadFile(C.GoString(p))
	if err != nil {
		return -1
	}
	return C.int(len(b))
}

func main() {}
G
cat > "$GO/host.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int ReadIt(const char *);
int main(int argc, char **argv)
{
	int (*rd)(const char *) = ReadIt;
	if (argc > 2) { /* dlopen ARGV[2] instead, RTLD_LOCAL as ctypes does */
		void *h = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
		if (!h || !(rd = (int (*)(const char *))dlsym(h, "ReadIt"))) {
			fprintf(stderr, "%s\n", dlerror());
			return 2;
		}
	}
	int n = rd(argv[1]);
	printf("%d\n", n);
	return n < 0;
}
C
(cd "$GO" && GOCACHE=$FT_SCRATCH/.gocache CGO_ENABLED=1 go build -buildmode=c-shared -o libgolib.so .) ||
	ft_fail "go build -buildmode=c-shared failed"
# linked (DT_NEEDED, found by ld.so at start) and loaded later (dlopen)
gcc -o "$GO/needed" "$GO/host.c" -L"$GO" -lgolib -Wl,-rpath,"$GO" -ldl || ft_fail "link failed"
gcc -o "$GO/dl" -Dmain=main "$GO/host.c" -Wl,--unresolved-symbols=ignore-all -ldl || ft_fail "link failed"
grep -q 'Go ' <<<"$(readelf -nW "$GO/libgolib.so")" || ft_fail "the premise: the library has Go's note"

ft_fixture cmd-partial
ft_record 0 --name needed -- "$GO/needed" a.txt
ft_record 0 --name dl -- "$GO/dl" a.txt "$GO/libgolib.so"
ft_record 0 --name plain -- sh -c 'cat b.txt > /dev/null'
for t in needed dl; do
	[ "$(ft_untraced "$t")" = 1 ] || ft_fail "$t: not stored untraced"
done
[ "$(ft_untraced plain)" = 0 ] || ft_fail "plain was stored untraced"

ft run -q --keep-records --name kept -- "$GO/dl" a.txt "$GO/libgolib.so" > /dev/null
run=$(ls -d .ftrace/runs/* | head -1)
# (the raw-call trap may mark it first: the Go runtime's own raw
# rt_sigaction, inside dlopen; the library is named all the same)
got=$(ft records "$run" | awk '$3 == "UNTRACED" { print $6, $NF }' | grep -v '^rawsys rt_sigaction$\|raw system call')
assert_eq "rawsys $GO/libgolib.so" "$got" "the UNTRACED record names the library"

# A Go library built with -ldflags=-buildid= has no Go note: the library
# walk cannot name it.  Its runtime's own system calls (rt_sigaction at
# init, inside dlopen) are trapped by the raw-call trap where the kernel
# has syscall user dispatch (preload/rawtrap.c), which marks the process.
(cd "$GO" && GOCACHE=$FT_SCRATCH/.gocache CGO_ENABLED=1 go build -buildmode=c-shared \
	-ldflags=-buildid= -o libnonote.so .) || ft_fail "go build -ldflags=-buildid= failed"
grep -q 'Go ' <<<"$(readelf -nW "$GO/libnonote.so")" && ft_fail "the premise: libnonote.so has Go's note"
printf '#include <sys/prctl.h>\nint main(void){static volatile char a=0;return prctl(59,1,0UL,0UL,&a)!=0;}\n' |
	cc -x c -o "$GO/sudprobe" - || ft_fail "cc sudprobe"
if [ "$(uname -m)" = x86_64 ] && "$GO/sudprobe"; then
	ft_record 0 --name nonote -- "$GO/dl" a.txt "$GO/libnonote.so"
	[ "$(ft_untraced nonote)" = 1 ] || ft_fail "nonote: not stored untraced"
	nonote=nonote
else
	echo "no syscall user dispatch: the library without a note is not checked" >&2
	nonote=
fi

# the file the Go code read: its tests are selected, plain's is not
ft_change a.txt
ft_affected_is "needed dl kept $nonote" "a.txt, read by Go code in a library"
