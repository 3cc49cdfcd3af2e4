#!/usr/bin/env bash
# t1031-preload-foreign.sh - programs whose ld.so cannot load the preload:
# a 32-bit program (glibc's i386 loader ignores a 64-bit LD_PRELOAD entry
# and prints an error) and a musl program (musl's loader refuses to start
# the program at all: exit 127, "Error relocating").  Started by a
# preloaded shell, as a run's first command and through a "#!" line, each
# must run exactly as it does without ftrace (same output, same status,
# nothing from the loader on stderr), and be recorded untraced ("foreign":
# no interposer runs in it, so its reads are unseen): its test is then
# always selected.  Without the classifier's check, the musl program failed
# under ftrace, and the 32-bit one started by a shell read a.txt unseen.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v musl-gcc > /dev/null || ft_skip "musl-gcc missing (Debian: musl-tools)"
BIN=$FT_SCRATCH/bin
mkdir -p "$BIN"
cat > "$BIN/rd.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv)
{
	char b[256];
	FILE *f = fopen(argv[1], "r");
	size_t n = f ? fread(b, 1, sizeof(b), f) : 0;

	printf("read %zu bytes of %s\n", n, argv[1]);
	return f ? 0 : 3;
}
C
gcc -m32 -o "$BIN/rd32" "$BIN/rd.c" 2> /dev/null || ft_skip "gcc -m32 does not link (Debian: gcc-multilib)"
musl-gcc -o "$BIN/rdmusl" "$BIN/rd.c" || ft_fail "musl-gcc failed"
file_says() { od -An -tx1 -j4 -N1 "$1" | tr -d ' '; } # EI_CLASS: 01 = 32-bit
assert_eq 01 "$(file_says "$BIN/rd32")" "rd32 is a 32-bit ELF"
grep -q 'ld-musl' "$BIN/rdmusl" || ft_fail "rdmusl is not linked against musl's loader"

ft_fixture cmd-partial
for name in rd32 rdmusl; do
	prog=$BIN/$name
	want=$("$prog" a.txt 2>&1) || ft_fail "$name fails without ftrace"

	ft_record 0 --name "first-$name" -- "$prog" a.txt
	assert_eq "$want" "$(cat "$FT_SCRATCH/run.out")" "$name as the first command: its output"
	! grep -qi 'ld.so\|relocating' "$FT_SCRATCH/run.err" ||
		ft_fail "$name as the first command: the loader complained: $(cat "$FT_SCRATCH/run.err")"

	ft_record 0 --name "sh-$name" -- sh -c '"$0" a.txt' "$prog"
	assert_eq "$want" "$(cat "$FT_SCRATCH/run.out")" "$name from a preloaded shell: its output"
	! grep -qi 'ld.so\|relocating' "$FT_SCRATCH/run.err" ||
		ft_fail "$name from a shell: the loader complained: $(cat "$FT_SCRATCH/run.err")"

	# a script run by it: the program is the script's interpreter
	printf '#!%s\n' "$prog" > "$FT_SCRATCH/bang-$name"
	chmod +x "$FT_SCRATCH/bang-$name"
	want_bang=$("$FT_SCRATCH/bang-$name" 2>&1) || ft_fail "bang-$name fails without ftrace"
	ft_record 0 --name "bang-$name" -- sh -c '"$0"' "$FT_SCRATCH/bang-$name"
	assert_eq "$want_bang" "$(cat "$FT_SCRATCH/run.out")" "a script run by $name: its output"
	ft_record 0 --name "bang1-$name" -- "$FT_SCRATCH/bang-$name"
	assert_eq "$want_bang" "$(cat "$FT_SCRATCH/run.out")" "a script run by $name, first: its output"

	for t in first sh bang bang1; do
		[ "$(ft_untraced "$t-$name")" = 1 ] || ft_fail "$t-$name: not stored untraced"
	done
done

# the records say why
ft run -q --keep-records --name kept -- sh -c '"$0" a.txt; "$1" a.txt' "$BIN/rd32" "$BIN/rdmusl" > /dev/null
run=$(ls -d .ftrace/runs/* | head -1)
got=$(ft records "$run" | awk '$3 == "UNTRACED" { print $6, $NF }' | LC_ALL=C sort)
assert_eq "foreign $BIN/rd32
foreign $BIN/rdmusl" "$got" "UNTRACED records"

# a traced test beside them is not selected; the foreign ones always are
ft_record 0 --name plain -- sh -c 'cat a.txt > /dev/null'
ft_affected_is "first-rd32 sh-rd32 bang-rd32 bang1-rd32 first-rdmusl sh-rdmusl bang-rdmusl bang1-rdmusl kept" \
	"foreign programs' tests are always selected, nothing else"
