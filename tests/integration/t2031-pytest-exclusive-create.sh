#!/usr/bin/env bash
# A test that takes a lock file with open(O_CREAT|O_EXCL) and removes it
# (git's index.lock, when versioneer runs `git describe --dirty` at import;
# filelock's soft locks).  The exclusive create proves the name was absent
# and makes a new empty file, the test's output: what it depends on is that
# absence.  It was unknown at recording instead (read, then gone), and every
# run selected the test with nothing changed.  A stale lock where the test
# saw none must still select it, however the lock was opened (O_WRONLY
# wants nothing of what was there: the create's proof is the dependency).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# The locks go in a directory that pytest's collection does not list (a
# dot directory), so that only the lock files themselves are in question.
mkdir .locks
: >.locks/keep
cat >tests/test_lock.py <<'PY'
import os


def test_lock():
    fd = os.open(".locks/build.lock", os.O_RDWR | os.O_CREAT | os.O_EXCL)
    os.write(fd, b"1")
    os.lseek(fd, 0, 0)
    assert os.read(fd, 1) == b"1"
    os.close(fd)
    os.unlink(".locks/build.lock")


def test_wlock():
    fd = os.open(".locks/w.lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.close(fd)
    os.unlink(".locks/w.lock")


def test_keeps_lock():
    fd = os.open(".locks/kept.lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.close(fd)
PY
settle tests/test_lock.py .locks/keep
record tests/test_lock.py
# test_keeps_lock left its lock: its next run finds it and fails (EEXIST),
# so it is selected (unknown: there at ingest), until it is recorded again
assert_set "tests/test_lock.py::test_keeps_lock" "$(affected)" \
	"nothing changed: a lock the test made and removed is no input, one it left is"
ft affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q 'kept.lock: unknown dependency' "$FT_SCRATCH/explain" ||
	ft_fail "explain names the kept lock: $(cat "$FT_SCRATCH/explain")"
rm .locks/kept.lock

for lock in build w; do
	case $lock in
	build) t=tests/test_lock.py::test_lock ;;
	w) t=tests/test_lock.py::test_wlock ;;
	esac
	: >.locks/$lock.lock
	settle .locks/$lock.lock
	assert_set "$t tests/test_lock.py::test_keeps_lock" "$(affected)" "a stale $lock.lock where the test saw none"
	rm .locks/$lock.lock
	assert_set "tests/test_lock.py::test_keeps_lock" "$(affected)" "the stale $lock.lock removed again"
done
# (O_WRONLY wants nothing of what was there: before, the create's proof
# was dropped with it, and a stale w.lock, a SoftFileLock's, selected
# nothing, found by hand.)
