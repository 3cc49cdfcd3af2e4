#!/usr/bin/env bash
# A test that takes a lock file with open(O_CREAT|O_EXCL) and removes it
# (git's index.lock, when versioneer runs `git describe --dirty` at import;
# filelock's soft locks).  The exclusive create proves the name was absent
# and makes a new empty file, the test's output: what it depends on is that
# absence.  It was unknown at recording instead (read, then gone), and every
# run selected the test with nothing changed.  A stale lock where the test
# saw none must still select it.
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


def test_keeps_lock():
    fd = os.open(".locks/kept.lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    os.close(fd)
PY
settle tests/test_lock.py .locks/keep
record tests/test_lock.py
assert_set "" "$(affected)" "nothing changed: a lock the test made (and removed, or kept) is no input"

: >.locks/build.lock
settle .locks/build.lock
assert_set "tests/test_lock.py::test_lock" "$(affected)" "a stale lock where the test saw none"
rm .locks/build.lock
assert_set "" "$(affected)" "the stale lock removed again"

# The lock test_keeps_lock left is its output; without it the test runs as
# recorded.
rm .locks/kept.lock
assert_set "" "$(affected)" "the lock the test left removed"
