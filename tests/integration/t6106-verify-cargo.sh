#!/usr/bin/env bash
# `ftrace verify -- cargo test --no-fail-fast`: the cases of t6100 with
# cargo, whose tests are its test targets (docs/cargo.md).  fixtures/cargo-ws
# plus an integration test `remote` that reads a file through an HTTP server
# started outside ftrace (lib-verify.sh), so that ftrace is blind to it.
# No recording: no verdict, 2.  Nothing changed: 0.  The data file of
# cfx/test/a broken: cargo's own 101, a plain failure of a selected test.
# The served file changed: 99, cfx/test/remote named, and the report
# passes its schema.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cargo-common/helpers.sh"
ft_cargo_env

ft_fixture cargo-ws
VERIFY_TOP=$PWD
mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
export BLIND_PORT
cat >cfx/tests/remote.rs <<'RS'
use std::io::{Read, Write};
use std::net::TcpStream;

#[test]
fn remote_flag() {
    let port = std::env::var("BLIND_PORT").expect("BLIND_PORT");
    let mut s = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    s.write_all(b"GET /flag HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    assert!(body.ends_with("\r\n\r\nok\n"), "{body:?}");
}
RS
cargo test --no-fail-fast >"$FT_SCRATCH/bare.out" 2>&1 ||
	ft_fail "the suite does not pass before ftrace: $(tail -20 "$FT_SCRATCH/bare.out")"

# 0. No recording: everything runs and is recorded; no verdict: 2.
fverify 2 cargo test --no-fail-fast
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
fverify 0 cargo test --no-fail-fast
verify_counts "8 known, 0 selected, 8 run, 0 failed, 0 escapes$"

# 2. A selected test broken: cargo's 101, no escape.
echo 41 >cfx/data/input.txt
fverify 101 cargo test --no-fail-fast
verify_counts "8 known, 1 selected, 8 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): cfx/test/a" "$FT_SCRATCH/verify.err" ||
	ft_fail "cfx/test/a is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
echo 42 >cfx/data/input.txt
fverify 0 cargo test --no-fail-fast

# 3. The blind dependency: an escape, 99, named.
echo broken >"$FT_SCRATCH/served/flag"
fverify 99 cargo test --no-fail-fast
verify_counts "8 known, 0 selected, 8 run, 1 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test 'cfx/test/remote' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "cfx/test/remote" "$(report_get 'r["escapes"][0]["id"]')" "report: the escape"
verify_report_valid
