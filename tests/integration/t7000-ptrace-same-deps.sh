#!/usr/bin/env bash
# Issue 3: a statically linked program ignores LD_PRELOAD, so until the
# ptrace back end existed `ftrace run --name s -- ./prog-static` recorded s
# as untraced (always selected).  Now ptrace traces it, and the same program
# built dynamically (traced by the preload) must leave the SAME dependencies
# on its own files: a read file, a probed absent one, a listed directory, a
# dirfd-relative access, and an output that is not an input (but whose
# name must stay free for a file).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"

ft_fixture static-c
. ./build.sh

ft_record 0 --name s -- ./prog-static
grep -q '^data: version 1$' "$FT_SCRATCH/run.out" || ft_fail "prog-static did not run: $(cat "$FT_SCRATCH/run.out")"
grep -q 'warning' "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
ft_record 0 --name d -- ./prog-dynamic

assert_eq 0 "$(ft_untraced s)" "the static test is traced, not untraced"
assert_eq 0 "$(ft_untraced d)" "the dynamic test is traced"

static=$(ft_deps s)
dynamic=$(ft_deps d)
ft_log "static deps:"$'\n'"$static"
assert_eq "$dynamic" "$static" "static and dynamic builds: same dependencies on the program's own files"

# And they are the ones the program has: not an empty set that happens to match.
for want in "./data.txt" "./optional.cfg" "./conf.d" "./lib/helper.txt" "./PROG"; do
	grep -q " $want\$" <<<"$static" || ft_fail "static deps lack $want"
done
# out.txt is an output: not its content, only its name's type (free for
# a file: the made-type, kind code 2 | 5 << 4; docs/internals.md, "Made
# by the test: the name"), the same under both back ends
assert_eq "82 ./out.txt" "$(grep ' ./out.txt$' <<<"$static")" "out.txt: an output, its name's type only"

# The absent file is an absence dependency in both, not a content one.
assert_eq "$(printf '%s\n' "$dynamic" | grep ' ./optional.cfg$')" \
	"$(printf '%s\n' "$static" | grep ' ./optional.cfg$')" "optional.cfg: same kind"
exit 0
