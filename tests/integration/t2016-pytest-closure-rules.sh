#!/usr/bin/env bash
# The closure rules that a test module's own imports do not cover
# (fixtures/pytest-pkg/README.md): a plugin that pytest imports for
# pytest_plugins is in every closure; a submodule used as an attribute is in
# the closure of the module that names it; a module imported lazily inside a
# function is in the closure of every test module that reaches that function,
# and so is one that importlib.import_module loads by name;
# test packages' __init__.py files are in their modules' closures.  Checked in
# the side file written without the preload library, in both of pytest's
# usual import modes.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# Python's default: .pyc files are written, so later runs only stat sources.
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
ft_fixture pytest-pkg

for mode in prepend importlib; do
	RUN=$FT_SCRATCH/run-$mode
	mkdir "$RUN"
	out=$(env -u LD_PRELOAD -u FTRACE_TEST_ID FTRACE_RUN_DIR="$RUN" \
		PYTHONPATH="$FTRACE_SOURCE_DIR/adapters/pytest" PYTEST_PLUGINS=ftrace_pytest \
		"$FT_PYTHON" -m pytest -q -p no:cacheprovider --import-mode=$mode) ||
		ft_fail "pytest --import-mode=$mode with the plugin failed: $out"
	grep -q '^8 passed in' <<<"$out" || ft_fail "unexpected pytest output ($mode): $out"
	"$FT_PYTHON" - "$PWD" "$RUN"/adapter-pytest-*.json <<'PY' || ft_fail "closures with --import-mode=$mode"
import json, sys
root = sys.argv[1]
doc = json.load(open(sys.argv[2]))
assert not doc["broken"], doc["errors"]
every = ["conftest.py", "tests/__init__.py", "shop/__init__.py", "shop/fixtures_plugin.py"]
want = {
    "tests/test_attr.py": ["shop/util.py"],
    "tests/test_prices.py": ["shop/util.py", "shop/prices.py"],
    "tests/test_cart.py": ["shop/cart.py", "shop/tax.py"],
    "tests/test_checkout.py": ["shop/cart.py", "shop/tax.py"],
    "tests/test_plugin_fixture.py": [],
    "tests/test_catalog.py": [],
    "tests/test_loader.py": ["shop/loader.py", "shop/rules_discount.py"],
}
got = {k[len(root) + 1:]: sorted(p[len(root) + 1:] for p in v if p.endswith(".py"))
       for k, v in doc["closures"].items()}
want = {k: sorted(v + every + [k]) for k, v in want.items()}
if got != want:
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            print("%s:\n  want %s\n  got  %s" % (k, want.get(k), got.get(k)), file=sys.stderr)
    sys.exit(1)
PY
done
