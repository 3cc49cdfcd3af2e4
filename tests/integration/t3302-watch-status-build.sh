#!/usr/bin/env bash
# `ftrace watch status --json` (the text status's facts as one object,
# docs/schema/watch-status.schema.json), with no daemon (exit 1) and with
# one (exit 0); and build on change (`ftrace watch start --build CMD`,
# issue 29: test binaries ready at commit time).  The build here always
# rewrites bin/tool, a recorded path inside the repository (ta runs it):
# the worst case for a loop.  After the first edit it runs once more (its
# write of bin/tool, not known yet as its own, queues one), and from then
# on exactly once per edit; an edit while a build runs queues exactly one
# more; a failing build's exit status shows.  The build's writes only mark
# paths dirty: `affected` with the daemon still equals --no-watch.  Also
# .ftrace.json's "watch": {"build": ...}, refused when another user could
# write the file.  Waits are polls with a generous bound: a build that
# loops never settles, and the script fails instead of hanging.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-watch.sh"

SCHEMA=$FTRACE_SOURCE_DIR/docs/schema/watch-status.schema.json
CHECK=("$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict "$SCHEMA")
COUNT=$FT_SCRATCH/builds
HOLD=$FT_SCRATCH/hold

# jfield FILE EXPR: a Python expression over the object `j` read from FILE
jfield() { "$FT_PYTHON" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# status_json WANT_RC: `watch status --json` into $FT_SCRATCH/st.json, its
# exit status WANT_RC, valid against the schema
status_json() {
	local rc=0
	ft watch status --json >"$FT_SCRATCH/st.json" 2>"$FT_SCRATCH/st.err" || rc=$?
	assert_eq "$1" "$rc" "watch status --json's exit status ($(cat "$FT_SCRATCH/st.err"))"
	"${CHECK[@]}" "$FT_SCRATCH/st.json" || ft_fail "status --json against its schema: $(cat "$FT_SCRATCH/st.json")"
}

builds() { local n; n=$(cat "$COUNT" 2>/dev/null || true); echo "${n:-0}"; }

# settle: wait (at most 60 s) until no build runs or is pending
settle() {
	local end=$((SECONDS + 60))
	while [ "$SECONDS" -lt "$end" ]; do
		status_json 0
		[ "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["running"] or j["build"]["pending"]')" = False ] && return 0
		sleep 0.1
	done
	ft_fail "$1: the builds never settled (a loop?): $(cat "$FT_SCRATCH/st.json"), $(builds) builds"
}

# wait_builds N WHAT: wait (at most 60 s) until N builds ran, then settle
wait_builds() {
	local end=$((SECONDS + 60))
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(builds)" -ge "$1" ] && break
		sleep 0.1
	done
	[ "$(builds)" -ge "$1" ] || ft_fail "$2: $(builds) builds, expected $1"
	settle "$2"
}

mkdir -p "$FT_SCRATCH/repo/src" "$FT_SCRATCH/repo/bin"
cd "$FT_SCRATCH/repo"
git init -q .
echo a >src/a.txt
echo b >src/b.txt
printf '#!/bin/sh\necho tool 1\n' >src/tool.in
cp src/tool.in bin/tool
chmod +x bin/tool
printf '#!/bin/sh\ncat src/a.txt\n./bin/tool\n' >ta.sh
printf '#!/bin/sh\ncat src/b.txt\n' >tb.sh
# the build: counts its runs (outside the repository), waits while $HOLD
# exists, fails while src/fail exists, and always rewrites bin/tool
cat >build.sh <<SH
#!/bin/sh
n=\$(cat "$COUNT" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$COUNT"
echo "build \$((n + 1)) in \$PWD"
while [ -e "$HOLD" ]; do sleep 0.05; done
[ -e src/fail ] && exit 3
cp src/tool.in bin/tool.new && chmod +x bin/tool.new && mv bin/tool.new bin/tool
SH
chmod +x ta.sh tb.sh build.sh
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
ft_record 0 --name ta -- ./ta.sh
ft_record 0 --name tb -- ./tb.sh

# no daemon: exit 1, {"running": false, ...}
status_json 1
assert_eq "False $PWD/.ftrace" "$(jfield "$FT_SCRATCH/st.json" 'j["running"], j["state_dir"]' | tr -d "(),'")" \
	"status --json with no daemon"
assert_status 64 ft watch status --jsn
assert_status 64 ft watch stop --json

# running, without a build: "build": null
ft_watch_start
status_json 0
assert_eq "True None $(ft_watch_pid)" "$(jfield "$FT_SCRATCH/st.json" 'j["running"], j["build"], j["pid"]' | tr -d "(),'")" \
	"status --json of a daemon without a build"
assert_eq "$(ft_watch_field paths) $(ft_watch_field generation)" \
	"$(jfield "$FT_SCRATCH/st.json" 'j["paths"], j["generation"]' | tr -d "(),'")" "json and text say the same"
ft_watch_same "no build"
ft watch stop

# with a build
FT_WATCH_DIRS+=("$PWD")
ft watch start --build ./build.sh || ft_fail "watch start --build exited $?"
status_json 0
assert_eq "./build.sh 0 None" "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["command"], j["build"]["runs"], j["build"]["last"]' | tr -d "(),'")" \
	"nothing built before a change"
assert_eq "./build.sh" "$(ft_watch_field build)" "the text status names the build"
assert_eq 0 "$(builds)" "a build at start"

echo more >>src/a.txt
wait_builds 1 "the first edit"
# its own first write of bin/tool queued exactly one more
assert_eq 2 "$(builds)" "builds after the first edit"
grep -q "^build 2 in $PWD\$" .ftrace/watch-build.log || ft_fail "the build log: $(cat .ftrace/watch-build.log)"
assert_eq "0 None" "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["last"]["exit"], j["build"]["last"]["signal"]' | tr -d "(),'")" \
	"the last build's exit status"
assert_eq "$PWD/.ftrace/watch-build.log" "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["log"]')" "the log's path"
case "$(ft_watch_field 'last build')" in *", exit 0") ;; *) ft_fail "last build: $(ft_watch_field 'last build')" ;; esac
ft_watch_same "after the builds"
assert_set "ta" "$(ft affected)" "a.txt edited, bin/tool rewritten"

# from now on, once per edit
echo more >>src/b.txt
wait_builds 3 "the second edit"
assert_eq 3 "$(builds)" "one build for the second edit"
ft_watch_same "after the second edit's build"

# an edit while a build runs queues exactly one more
touch "$HOLD"
echo more >>src/a.txt
end=$((SECONDS + 60))
while [ "$SECONDS" -lt "$end" ]; do
	status_json 0
	[ "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["running"]')" = True ] && break
	sleep 0.1
done
[ "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["running"]')" = True ] || ft_fail "no build started: $(cat "$FT_SCRATCH/st.json")"
assert_eq "None None" "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["last"]["ended"], j["build"]["last"]["exit"]' | tr -d "(),'")" \
	"a running build has not ended"
echo again >>src/a.txt
echo again >>src/b.txt
rm "$HOLD"
wait_builds 5 "edits during a build"
assert_eq 5 "$(builds)" "edits during a build: exactly one more"
ft_watch_same "after the queued build"

# a failing build: its exit status
touch src/fail
echo fail >>src/tool.in   # not recorded: no build
echo more >>src/b.txt
wait_builds 6 "a failing build"
assert_eq "3" "$(jfield "$FT_SCRATCH/st.json" 'j["build"]["last"]["exit"]')" "the failed build's exit status"
case "$(ft_watch_field 'last build')" in *", exit 3") ;; *) ft_fail "last build: $(ft_watch_field 'last build')" ;; esac
assert_eq 6 "$(builds)" "builds after the failure"
rm src/fail
ft_watch_same "after the failed build"
ft watch stop

# .ftrace.json's "watch": {"build": ...}; refused when others can write it
printf '{"watch": {"build": "./build.sh"}}\n' >.ftrace.json
ft_watch_start
assert_eq "./build.sh" "$(ft_watch_field build)" "the build from .ftrace.json"
echo more >>src/b.txt
wait_builds 7 "a build from .ftrace.json"
ft watch stop
chmod o+w .ftrace.json
rc=0
ft watch start 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 78 "$rc" "start with a settings file others can write"
[ ! -e .ftrace/watch.sock ] || ft_fail "a daemon started on an untrusted settings file"
chmod o-w .ftrace.json
printf '{"watch": {"build": ""}}\n' >.ftrace.json
assert_status 78 ft watch start
rm .ftrace.json
assert_status 64 ft watch start --build ' '
