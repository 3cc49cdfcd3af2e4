# lib-verify.sh - sourced, after lib.sh, by the t61NN-verify-*.sh scripts.
#
# ft_blind_server DIR: serve DIR over HTTP on 127.0.0.1 from a process
# started here, before and outside any `ftrace run`: a test that reads a
# file through it reads it in a process ftrace does not trace, so ftrace
# is blind to that dependency (the escape `ftrace verify` must catch).
# Sets BLIND_PORT; the server is killed when the script exits.
ft_blind_server() {
	# (created here: the server's redirection may come after the first read)
	: >"$FT_SCRATCH/http.out"
	"$FT_PYTHON" -u -m http.server 0 --bind 127.0.0.1 --directory "$1" \
		>"$FT_SCRATCH/http.out" 2>&1 &
	BLIND_PID=$!
	trap 'ft__rc=$?; kill "$BLIND_PID" 2>/dev/null; (exit $ft__rc); ft__cleanup' EXIT
	local i
	for i in $(seq 100); do
		BLIND_PORT=$(sed -n 's/.* port \([0-9][0-9]*\) .*/\1/p' "$FT_SCRATCH/http.out" || true)
		[ -n "$BLIND_PORT" ] && return 0
		sleep 0.1
	done
	ft_fail "the HTTP server did not start: $(cat "$FT_SCRATCH/http.out")"
}

# ft_js_remote_test FILE PRELUDE CHECK: write the JavaScript test FILE,
# one test 'remote flag' that fetches the blind server's flag (after
# ft_blind_server) into `body` with node's http module and then runs
# CHECK; PRELUDE comes first (the runner's requires).  For node --test and
# jest alike (t6102, t6105).
ft_js_remote_test() {
	cat >"$1" <<JS
$2
const http = require('node:http');
test('remote flag', async () => {
	const body = await new Promise((resolve, reject) => {
		http.get('http://127.0.0.1:$BLIND_PORT/flag', (res) => {
			let s = '';
			res.on('data', (d) => { s += d; });
			res.on('end', () => resolve(s));
		}).on('error', reject);
	});
	$3;
});
JS
}

# fverify WANT_STATUS CMD...: `ftrace verify --report $FT_SCRATCH/report.json
# -- CMD...` exits WANT_STATUS; its stderr in $FT_SCRATCH/verify.err.  The
# tree at $VERIFY_TOP (default: here) is settled first (lib.sh).
fverify() {
	local want=$1 rc=0
	shift
	(cd "${VERIFY_TOP:-.}" && ft_settle)
	rm -f "$FT_SCRATCH/report.json"
	ft verify --report "$FT_SCRATCH/report.json" -- "$@" >"$FT_SCRATCH/verify.out" \
		2>"$FT_SCRATCH/verify.err" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		cat "$FT_SCRATCH/verify.out" "$FT_SCRATCH/verify.err" >&2
		ft_fail "ftrace verify -- $* exited $rc, expected $want"
	fi
}

# verify_counts "K known, S selected, R run, F failed, E escapes": the
# summary line says exactly that.
verify_counts() {
	grep -q "^ftrace: verify: $1" "$FT_SCRATCH/verify.err" ||
		ft_fail "summary is not '$1': $(cat "$FT_SCRATCH/verify.err")"
}

# report_get EXPR: a Python expression over the report (as r).
report_get() {
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/report.json" "$1" || ft_fail "the report is not JSON, or lacks $1"
}

# verify_report_valid: the report matches docs/schema/verify-report.schema.json.
verify_report_valid() {
	"$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict \
		"$FTRACE_SOURCE_DIR/docs/schema/verify-report.schema.json" "$FT_SCRATCH/report.json" ||
		ft_fail "the report does not match its schema: $(cat "$FT_SCRATCH/report.json")"
}

# ft_go_blind_remote: in a Go module (here), a package `remote` whose one
# test reads $FT_SCRATCH/served/flag (made "ok") through ft_blind_server:
# `echo broken >"$FT_SCRATCH/served/flag"` makes it fail while ftrace sees
# no change (t6103, t6104).
ft_go_blind_remote() {
	mkdir "$FT_SCRATCH/served"
	echo ok >"$FT_SCRATCH/served/flag"
	ft_blind_server "$FT_SCRATCH/served"
	mkdir remote
	cat >remote/remote_test.go <<GO
package remote

import (
	"io"
	"net/http"
	"testing"
)

func TestFlag(t *testing.T) {
	res, err := http.Get("http://127.0.0.1:$BLIND_PORT/flag")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || string(b) != "ok\n" {
		t.Fatalf("%q %v", b, err)
	}
}
GO
}
