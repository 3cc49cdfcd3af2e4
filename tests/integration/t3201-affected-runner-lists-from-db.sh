#!/usr/bin/env bash
# A database never chooses what ftrace runs, through the runner lists
# either (issue 24, "affected runs a program named in the database").  The
# case that broke: `ftrace affected` asks each runner the recording used
# for its new tests, in the directory and with the arguments
# runs.meta_json names.  A planted entry ran `ctest --show-only -S
# /tmp/x.cmake` (a ctest script runs any command), `jest --listTests
# --config /tmp/x.js`, or `make` in another user's directory.  Now a
# runner is asked only inside this repository and with arguments that
# only choose tests; anything else is exit 2 with a message, and the
# runner is not started.  Fake runners on PATH log every start.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
unset FTRACE_DIR

mkdir -p "$FT_SCRATCH/repo/build" "$FT_SCRATCH/repo/node_modules/.bin" "$FT_SCRATCH/bin" "$FT_SCRATCH/other"
cd "$FT_SCRATCH/repo"
git init -q .
echo data >f
for prog in "$FT_SCRATCH/bin/ctest" "$FT_SCRATCH/bin/make" "$FT_SCRATCH/repo/node_modules/.bin/jest"; do
	cat >"$prog" <<SH
#!/bin/sh
echo "\$(pwd) \$0 \$*" >>"$FT_SCRATCH/started"
exit 1
SH
	chmod +x "$prog"
done
printf 'check:\n\ttouch %s/made\n' "$FT_SCRATCH" >"$FT_SCRATCH/other/Makefile"
export PATH="$FT_SCRATCH/bin:$PATH"

ft run -q --name t -- cat f >/dev/null || ft_fail "recording failed"

# plant RUNNERS-JSON: the run's runner lists (with the row's checksum
# written again: without, the edit is corruption, t3206)
plant() {
	sqlite3 .ftrace/ftrace.db "UPDATE runs SET meta_json = json_object('runners', json('$1'))"
	"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"
}
# refused WHAT: affected exits 2, says why, and started no runner
refused() {
	local rc=0
	ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: exit $rc, expected 2 ($(cat "$FT_SCRATCH/err"))"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "$1: printed $(cat "$FT_SCRATCH/out")"
	grep -q "$2" "$FT_SCRATCH/err" || ft_fail "$1: no message: $(cat "$FT_SCRATCH/err")"
	[ ! -e "$FT_SCRATCH/started" ] || ft_fail "$1: started $(cat "$FT_SCRATCH/started")"
	[ ! -e "$FT_SCRATCH/made" ] || ft_fail "$1: ran the other directory's Makefile"
}

assert_status 0 ft affected

plant "[{\"runner\":\"ctest\",\"dir\":\"$PWD/build\",\"args\":[\"-S\",\"$FT_SCRATCH/x.cmake\"]}]"
refused "ctest -S" "argument '-S'"
plant "[{\"runner\":\"ctest\",\"dir\":\"$PWD/build\",\"args\":[\"--test-dir\",\"$FT_SCRATCH/other\"]}]"
refused "ctest --test-dir outside" "argument '--test-dir'"
plant "[{\"runner\":\"jest\",\"dir\":\"$PWD\",\"args\":[\"--config=$FT_SCRATCH/x.js\"]}]"
refused "jest --config" "argument '--config="
mkdir -p "$FT_SCRATCH/cache"
chmod o+w "$FT_SCRATCH/cache"
plant "[{\"runner\":\"jest\",\"dir\":\"$PWD\",\"args\":[\"--cacheDirectory=$FT_SCRATCH/cache\"]}]"
refused "jest cache another user can write" "argument '--cacheDirectory="
plant "[{\"runner\":\"nextest\",\"dir\":\"$PWD\",\"args\":[\"nextest\",\"run\",\"--config\",\"target.x.runner=sh\"]}]"
refused "nextest --config" "argument '--config'"
plant "[{\"runner\":\"automake\",\"dir\":\"$FT_SCRATCH/other\",\"args\":[]}]"
refused "make outside the repository" "outside this repository"
ln -s "$FT_SCRATCH/other" link
plant "[{\"runner\":\"automake\",\"dir\":\"$PWD/link\",\"args\":[]}]"
refused "a symlink out of the repository" "outside this repository"

# Arguments that only choose tests, inside the repository: the runner is
# asked (the fake fails, so: cannot tell, but it started).
plant "[{\"runner\":\"ctest\",\"dir\":\"$PWD/build\",\"args\":[\"-R\",\"^a\$\",\"-j4\",\"--output-on-failure\"]}]"
assert_status 2 ft affected
grep -q "^$PWD/build .*/ctest --show-only=json-v1 -R ^a\$ -j4 --output-on-failure$" "$FT_SCRATCH/started" ||
	ft_fail "ctest with test filters was not asked: $(cat "$FT_SCRATCH/started" 2>&1)"
