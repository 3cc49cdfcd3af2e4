#!/usr/bin/env bash
# .ftrace.json at the repository top: a wrong file stops every command with
# the file, the line and the key named (status 78), before anything runs; a
# setting silently dropped would shrink the selected set.  always_run adds
# tests to `ftrace affected`; ignore patterns are not dependencies.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
mkdir notes
echo data >data.txt
echo notes >notes/readme.md
ft_old . data.txt notes notes/readme.md
ft_record 0 --name reader -- sh -c 'cat data.txt notes/readme.md >/dev/null'
ft_affected_is "" "recorded, nothing changed"

# expect_config_error STATUS_CMD... : exit 78 and a message holding $want.
expect_config_error() {
	local rc=0
	"$FTRACE_BIN" "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 78 ] || ft_fail "'ftrace $*' exited $rc with a bad config, expected 78: $(cat "$FT_SCRATCH/err")"
	grep -qF -- "$want" "$FT_SCRATCH/err" || ft_fail "'ftrace $*': message lacks '$want': $(cat "$FT_SCRATCH/err")"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "'ftrace $*' printed on stdout with a bad config"
}

# Malformed JSON: file and line.
printf '{\n  "always_run": ["reader",\n}\n' >.ftrace.json
want="$PWD/.ftrace.json:3: malformed JSON"
expect_config_error affected
expect_config_error test -- touch ran
expect_config_error run -- touch ran
[ ! -e ran ] || ft_fail "a command ran despite the bad config"

# Unknown key: named, with its line.
printf '{\n  "command": "true",\n\n  "alwys_run": ["reader"]\n}\n' >.ftrace.json
want="$PWD/.ftrace.json:4: key \"alwys_run\": unknown key"
expect_config_error affected
expect_config_error hook install

# Wrong type.
printf '{"always_run": "reader"}\n' >.ftrace.json
want=".ftrace.json:1: key \"always_run\": must be an array of strings"
expect_config_error affected
printf '{\n"command": 42}\n' >.ftrace.json
want=".ftrace.json:2: key \"command\": must be an array of strings"
expect_config_error test

# A missing file is the defaults; {} too.
rm .ftrace.json
ft_affected_is "" "no config"
echo '{}' >.ftrace.json
ft_affected_is "" "empty config"

# always_run: selected with nothing changed, known or not, with a reason.
printf '{"always_run": ["reader", "smoke"]}\n' >.ftrace.json
ft_affected_is "reader smoke" "always_run tests with nothing changed"
grep -qF "always run (.ftrace.json)" <<<"$("$FTRACE_BIN" affected --explain)" || ft_fail "--explain gives no always_run reason"
grep -qF '"kind":"config"' <<<"$("$FTRACE_BIN" affected --format json)" || ft_fail "json gives no config reason"

# ignore: first the control (notes/readme.md is a dependency), then the
# same edit with "notes" ignored at recording time.
echo '{}' >.ftrace.json
ft_change notes/readme.md
ft_affected_is "reader" "notes/readme.md changed, not ignored"
ft_revert notes/readme.md
printf '{"ignore": ["notes", "*.log"]}\n' >.ftrace.json
ft_record 0 --name reader -- sh -c 'cat data.txt notes/readme.md >/dev/null'
ft_affected_is "" "recorded with notes ignored"
ft_change notes/readme.md
ft_affected_is "" "an ignored path changed"
ft_change data.txt
ft_affected_is "reader" "a path not ignored changed"
