#!/usr/bin/env bash
# `cmake --install` to any prefix gives a working ftrace: it finds its
# preload library under <prefix>/<libdir>/ftrace and its pytest plugin under
# <prefix>/share/ftrace/adapters, relative to its own location, with no
# environment help.  Case: a packaged ftrace that only worked from the
# build tree.
. "$(dirname "$0")/lib.sh"

prefix="$FT_SCRATCH/prefix with space"
cmake --install "$FTRACE_BUILD_DIR" --prefix "$prefix" >/dev/null
bin="$prefix/bin/ftrace"
[ -x "$bin" ] || ft_fail "no $bin after install"
ls "$prefix"/lib*/ftrace/libftrace_preload.so >/dev/null 2>&1 || ls "$prefix"/lib/*/ftrace/libftrace_preload.so >/dev/null \
	|| ft_fail "preload library not installed under $prefix/lib*/ftrace"
[ -f "$prefix/share/ftrace/adapters/pytest/ftrace_pytest.py" ] || ft_fail "pytest plugin not installed"

# The adapters' bytecode for the Python the build found
# (cmake/compile-adapters.cmake): every Python process under `ftrace run`
# imports the sitecustomize, and an install directory it cannot write to
# would have it compiled at each start.  The interpreter takes the
# installed bytecode as it is.
conf_py=$(sed -n 's/^_*Python3_EXECUTABLE:[A-Z]*=//p' "$FTRACE_BUILD_DIR/CMakeCache.txt" | head -1)
if [ -n "$conf_py" ] && [ -x "$conf_py" ]; then
	tag=$("$conf_py" -c 'import sys; print(sys.implementation.cache_tag)')
	for m in sitecustomize ftrace_pysite ftrace_pytest ftrace_pytest_funcs; do
		[ -f "$prefix/share/ftrace/adapters/pytest/__pycache__/$m.$tag.pyc" ] ||
			ft_fail "no bytecode of $m.py for $tag ($conf_py) after install"
	done
	out=$(cd "$prefix/share/ftrace/adapters/pytest" && "$conf_py" -v -c 'import ftrace_pysite' 2>&1)
	grep -q "code object from .*/__pycache__/ftrace_pysite\.$tag\.pyc" <<<"$out" ||
		ft_fail "the installed bytecode of ftrace_pysite is not used by $conf_py: $(grep ftrace_pysite <<<"$out")"
else
	ft_log "no Python found by the build: no bytecode expected"
fi

# Moved after install: still relative to itself.
mv "$prefix" "$FT_SCRATCH/moved"
bin="$FT_SCRATCH/moved/bin/ftrace"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
echo one >data.txt
touch -d '2020-01-01' data.txt
ft_clock_past_ctime
env -u FTRACE_PRELOAD_LIB -u FTRACE_ADAPTERS_DIR "$bin" run -q --name reader -- cat data.txt >/dev/null
assert_set "" "$("$bin" affected)" "nothing changed"
echo two >data.txt
assert_set "reader" "$("$bin" affected)" "data.txt changed"

# The installed plugin is injected too: pytest per test.
if "$FT_PYTHON" -m pytest --version >/dev/null 2>&1; then
	printf 'def test_a():\n    assert open("data.txt").read()\n\ndef test_b():\n    pass\n' >test_x.py
	touch -d '2020-01-01' test_x.py data.txt
	ft_clock_past_ctime
	"$bin" run -q -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null
	echo three >data.txt
	# reader (the earlier --name test) read data.txt too; test_b did not.
	assert_set "reader test_x.py::test_a" "$("$bin" affected)" "installed pytest plugin: per-test data dependency"
fi
