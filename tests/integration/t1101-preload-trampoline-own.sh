#!/usr/bin/env bash
# A static program a test runs is traced through `ftrace __ptrace-exec
# PROG -- ARGV` (preload/hook_exec.c): the trampoline is ftrace's own
# binary, preloaded like any dynamic program.  Its image and libraries
# were recorded as the test's dependencies, so every test of a session
# that ran one static program (Python's ctypes.util.find_library runs
# /sbin/ldconfig: jinja's whole suite) depended on ftrace's build, and a
# new ftrace, or an imported recording made with ftrace at another path,
# selected all of them.  The trampoline's own image is not recorded; the
# program it traces and what that program read are; and a test that runs
# ftrace itself still depends on it (its exec, by the parent's hook).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture cmd-partial
echo data >data.txt
cat >st.c <<'C'
#include <fcntl.h>
#include <unistd.h>
int main(void)
{
	char b[16];
	int fd = open("data.txt", O_RDONLY);
	if (fd < 0 || read(fd, b, sizeof(b)) < 0)
		return 1;
	return close(fd);
}
C
cc -static -O0 -o st-prog st.c 2>/dev/null || ft_skip "no static C library (cc -static)"
echo '*-prog' >>.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm static
ft_settle

# paths NAME: the paths test NAME depends on, one per line
paths() {
	"$FT_PYTHON" - .ftrace/ftrace.db "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = """SELECT DISTINCT p.path FROM tests t JOIN test_sets ts ON ts.test_id = t.id
       JOIN depset_states ds ON ds.set_id = ts.set_id JOIN states s ON s.id = ds.state_id
       JOIN paths p ON p.id = s.path_id WHERE t.name = ?"""
for (p,) in db.execute(q, (sys.argv[2],)):
    sys.stdout.buffer.write((p if isinstance(p, bytes) else p.encode()) + b"\n")
PY
}

self=$(realpath "$FTRACE_BIN")
ft run -q --name static -- sh -c './st-prog' || ft_fail "the static program failed under ftrace"
got=$(paths static)
grep -qx "$PWD/st-prog" <<<"$got" || ft_fail "the static program is no dependency: $got"
grep -qx "$PWD/data.txt" <<<"$got" || ft_fail "what it read is no dependency: $got"
grep -qx -e "$FTRACE_BIN" -e "$self" <<<"$got" && ft_fail "ftrace's own binary is a dependency of the test"
grep -q "libsqlite3\|libxxhash\|libcjson" <<<"$got" && ft_fail "ftrace's own libraries are dependencies: $(grep "libsqlite3\|libxxhash\|libcjson" <<<"$got")"

# a test that runs ftrace itself depends on it
ft run -q --name self -- sh -c "'$FTRACE_BIN' --version >/dev/null" || ft_fail "ftrace --version failed"
got=$(paths self)
grep -qx -e "$FTRACE_BIN" -e "$self" <<<"$got" || ft_fail "a test that runs ftrace does not depend on it: $got"

# and the static program's test is selected when what it read changes
assert_set "" "$(ft affected --format ids)" "nothing changed"
echo other >data.txt && ft_settle
assert_set "static" "$(ft affected --format ids)" "data.txt changed"
