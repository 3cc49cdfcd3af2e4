#!/usr/bin/env bash
# Files outside the repository are dependencies too (a toolchain, a shared
# config, /etc/...): changing one must select the tests that read it.  The
# outside directory lives in the build tree (not under a temporary
# directory, whose files ftrace counts as outputs).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

OUT=$(cd "$FTRACE_BUILD_DIR" && pwd -P)/t4105-outside.$$
case $OUT in /tmp/*|/var/tmp/*|/dev/shm/*) ft_skip "the build tree is under a temporary directory" ;; esac
mkdir -p "$OUT/bin"
trap 'ft__rc=$?; rm -rf "$OUT"; (exit $ft__rc); ft__cleanup' EXIT
printf 'setting=1\n' >"$OUT/tool.conf"
printf '#!/bin/sh\ngrep -q setting "%s/tool.conf"\n' "$OUT" >"$OUT/bin/tool"
chmod +x "$OUT/bin/tool"
touch -d '2020-01-01 00:00:00' "$OUT" "$OUT/bin" "$OUT/tool.conf" "$OUT/bin/tool"

ft_fixture cmd-partial
ft_settle
ft_clock_past_ctime "$OUT" "$OUT/bin" "$OUT/tool.conf" "$OUT/bin/tool"

ft_record 0 --name uses-tool -- "$OUT/bin/tool"
ft_record 0 --name plain -- ./a.sh
ft_affected_is "" "right after recording"

printf 'setting=2\n' >"$OUT/tool.conf"
ft_affected_is "uses-tool" "a config file outside the repository changed"
printf 'setting=1\n' >"$OUT/tool.conf"
ft_affected_is "" "config back"

printf '\n# upgraded\n' >>"$OUT/bin/tool"
ft_affected_is "uses-tool" "a program outside the repository changed"
