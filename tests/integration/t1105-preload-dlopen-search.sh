#!/usr/bin/env bash
# t1105-preload-dlopen-search.sh - dlopen() of a bare name searches the
# calling object's DT_RUNPATH or DT_RPATH (glibc takes the caller from the
# return address).  The preload's hook was the real dlopen's caller, so a
# program that loaded "libplug.so" from its own RUNPATH failed under ftrace
# and worked plain (a probe of a ctest project): recording changed what the
# test saw.  The hook now searches as the caller would (preload/dlsearch.c),
# and records each directory it looked in without finding the name: a
# library put into an earlier RUNPATH or LD_LIBRARY_PATH directory selects
# the test.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture cmd-absent
mkdir -p early plugdir rp ldA ldB
cat >plug.c <<'C'
int plug(void) { return PLUG; }
C
cat >load.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	void *h = dlopen(argv[1], RTLD_NOW);
	int (*f)(void);
	if (!h) {
		fprintf(stderr, "dlopen %s: %s\n", argv[1], dlerror());
		return 3;
	}
	f = (int (*)(void))dlsym(h, "plug");
	printf("%d\n", f());
	return f() == 1 ? 0 : 1;
}
C
cc -shared -fPIC -DPLUG=1 -o plugdir/libplug.so plug.c
cc -shared -fPIC -DPLUG=1 -o rp/libold.so plug.c
cc -shared -fPIC -DPLUG=1 -o ldB/libld.so plug.c
cc -shared -fPIC -DPLUG=2 -o "$FT_SCRATCH/libbad.so" plug.c
# RUNPATH (new dtags) with $ORIGIN, an earlier directory without it; and
# an RPATH (old dtags) program
cc -o runpath load.c -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/early:$ORIGIN/plugdir'
cc -o rpath load.c -ldl -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/rp'
grep -q RUNPATH <<<"$(readelf -d runpath)" || ft_fail "no RUNPATH in the program"
grep -q RPATH <<<"$(readelf -d rpath)" || ft_fail "no RPATH in the program"
printf 'early/\nplugdir/\nrp/\nldA/\nldB/\nrunpath\nrpath\n' >>.git/info/exclude
for p in "./runpath libplug.so" "./rpath libold.so"; do
	$p >/dev/null || ft_fail "plain $p failed"
done

ft_record 0 --name runpath -- ./runpath libplug.so
ft_record 0 --name rpath -- ./rpath libold.so
ft_record 0 --name ldpath -- env LD_LIBRARY_PATH="$PWD/ldA:$PWD/ldB" ./runpath libld.so
ft_affected_is "" "right after recording"

cp "$FT_SCRATCH/libbad.so" early/libplug.so
rc=0; ./runpath libplug.so >/dev/null || rc=$?
assert_eq 1 "$rc" "plain run with a library in the earlier RUNPATH directory"
ft_affected_is "runpath" "a library put into an earlier RUNPATH directory"
rm early/libplug.so

cp "$FT_SCRATCH/libbad.so" ldA/libld.so
ft_affected_is "ldpath" "a library put into an earlier LD_LIBRARY_PATH directory"
rm ldA/libld.so

cp "$FT_SCRATCH/libbad.so" plugdir/libplug.so
ft_affected_is "runpath" "the library loaded replaced"
cp "$FT_SCRATCH/libbad.so" plugdir/libplug.so
cc -shared -fPIC -DPLUG=1 -o plugdir/libplug.so plug.c

# a library of another ELF class is passed over, as ld.so does, and what
# it is counts: made one of ours, it is found first.  A file that is no
# ELF object at all fails the dlopen, under ftrace as plain.
if cc -m32 -shared -fPIC -DPLUG=2 -o early/libplug.so plug.c 2>/dev/null; then
	./runpath libplug.so >/dev/null || ft_fail "plain run with a 32-bit library in the earlier directory"
	ft_record 0 --name runpath -- ./runpath libplug.so
	ft_affected_is "" "recorded with a 32-bit library in the earlier directory"
	cp "$FT_SCRATCH/libbad.so" early/libplug.so
	ft_affected_is "runpath" "the 32-bit library in the earlier directory made one of ours"
fi
echo "not a library" >early/libplug.so
rc=0; ./runpath libplug.so >/dev/null 2>&1 || rc=$?
assert_eq 3 "$rc" "plain run with a non-library in the earlier directory"
ft_record 3 --name runpath -- ./runpath libplug.so
# (the failure is the file's: what the test read changed, no flakiness)
ft_affected_is "runpath" "after the run that failed on the non-library"
rm early/libplug.so
ft_record 0 --name runpath -- ./runpath libplug.so
ft_affected_is "" "the non-library removed, recorded again"

# ld.so's own search at start, for the program's DT_NEEDED names: the
# directories before the one that held it are absences
cat >needs.c <<'C'
int plug(void);
int main(void) { return plug() == 1 ? 0 : 1; }
C
cc -o needs needs.c -Lplugdir -lplug -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/early:$ORIGIN/plugdir'
printf 'needs\n' >>.git/info/exclude
./needs || ft_fail "plain ./needs failed"
ft_record 0 --name needs -- ./needs
ft_affected_is "" "recorded a program that needs libplug.so"
cp "$FT_SCRATCH/libbad.so" early/libplug.so
rc=0; ./needs || rc=$?
assert_eq 1 "$rc" "plain ./needs with a library in the earlier RUNPATH directory"
ft_affected_is "needs runpath" "a library put into an earlier RUNPATH directory, found first at start"
rm early/libplug.so
ft_affected_is "" "removed again"
