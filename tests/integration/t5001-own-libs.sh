#!/usr/bin/env bash
# t5001-own-libs.sh - ftrace's own libraries (SQLite, xxHash, cJSON) are
# those it was built with, whatever LD_LIBRARY_PATH says.  A user testing
# a build of cJSON of their own (LD_LIBRARY_PATH=build, as cJSON's ctest
# does) put that build into ftrace itself: a broken function of it broke
# ftrace's JSON reading, a missing one stopped ftrace with a symbol lookup
# error (a probe).  The ftrace executable carries its libraries'
# directories as DT_RPATH, which ld.so searches before LD_LIBRARY_PATH.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v cc >/dev/null || ft_skip "no C compiler"
command -v readelf >/dev/null || ft_skip "no readelf"

# stand-ins with the sonames ftrace needs, and none of their functions
fake=$FT_SCRATCH/fakelibs
mkdir -p "$fake"
echo 'int ft_t5001_nothing(void) { return 0; }' >"$FT_SCRATCH/empty.c"
names=$(readelf -d "$FTRACE_BIN" | sed -n 's/.*(NEEDED).*\[\(lib\(cjson\|sqlite3\|xxhash\)[^]]*\)\]/\1/p')
[ "$(wc -w <<<"$names")" -eq 3 ] || ft_fail "ftrace does not need the three libraries: $names"
for so in $names; do
	cc -shared -fPIC -Wl,-soname,"$so" -o "$fake/$so" "$FT_SCRATCH/empty.c"
done
rpath=$(readelf -d "$FTRACE_BIN" | sed -n 's/.*(RPATH).*\[\(.*\)\]$/\1/p')
[ -n "$rpath" ] || ft_fail "ftrace has no RPATH: $(readelf -d "$FTRACE_BIN" | grep -i path)"
# no empty entry (the working directory) and no relative one
case ":$rpath:" in *::*|*:[!/]*) ft_fail "ftrace's RPATH names the working directory: '$rpath'" ;; esac

export LD_LIBRARY_PATH=$fake
"$FTRACE_BIN" --help >"$FT_SCRATCH/help.out" 2>&1 ||
	ft_fail "ftrace --help with stand-in libraries first on LD_LIBRARY_PATH: $(cat "$FT_SCRATCH/help.out")"
ft_fixture cmd-absent
ft_record 0 --name probe -- ./probe.sh
ft_affected_is "" "recorded with stand-in libraries on LD_LIBRARY_PATH"
echo "local setting" >config.local
ft_affected_is "probe" "config.local created"
"$FTRACE_BIN" affected --format json >"$FT_SCRATCH/a.json" ||
	ft_fail "affected --format json (cJSON's output) failed"
grep -q '"probe"' "$FT_SCRATCH/a.json" || ft_fail "the JSON: $(cat "$FT_SCRATCH/a.json")"
