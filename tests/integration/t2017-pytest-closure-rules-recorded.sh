#!/usr/bin/env bash
# What the closure rules of t2016 mean for `ftrace affected`: an edit of the
# pytest_plugins module selects every test; an edit of a module that one
# test imported lazily, inside a function, selects every test that reaches
# that function, including the later test that found the module already
# loaded and read nothing; an edit of a submodule used as an attribute
# selects the test module that names it; an edit of a file that a
# session-scoped fixture read selects every test, not only the first user.  Also after a second recording,
# when Python reads only .pyc files and merely stats the sources.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-pkg

ATTR=tests/test_attr.py::test_double
PRICES=tests/test_prices.py::test_price
CART=tests/test_cart.py::test_total
CHECKOUT=tests/test_checkout.py::test_checkout
FIXTURE=tests/test_plugin_fixture.py::test_currency
CATALOG="tests/test_catalog.py::test_first_user tests/test_catalog.py::test_second_user"
LOADER=tests/test_loader.py::test_discount_rule
ALL="$ATTR $PRICES $CART $CHECKOUT $FIXTURE $CATALOG $LOADER"

for round in first second; do
	record
	assert_set "" "$(affected)" "$round recording, no change"
	echo 'RATE = 21' >shop/tax.py
	assert_set "$CART $CHECKOUT" "$(affected)" "$round recording: lazily imported shop/tax.py edited"
	revert shop/tax.py
	printf '\n\n@pytest.fixture\ndef unit():\n    return "cent"\n' >>shop/fixtures_plugin.py
	assert_set "$ALL" "$(affected)" "$round recording: pytest_plugins module edited"
	revert shop/fixtures_plugin.py
	printf '\n\ndef triple(x):\n    return 3 * x\n' >>shop/util.py
	assert_set "$ATTR $PRICES" "$(affected)" "$round recording: shop/util.py edited"
	revert shop/util.py
	echo 'PERCENT = 15' >shop/rules_discount.py
	assert_set "$LOADER" "$(affected)" "$round recording: module loaded by importlib.import_module edited"
	revert shop/rules_discount.py
	# Read by a session fixture during the first user's setup: the prelude's.
	echo 'quince' >>shop/catalog.txt
	assert_set "$ALL" "$(affected)" "$round recording: data file of a session fixture edited"
	revert shop/catalog.txt
	assert_set "" "$(affected)" "$round recording: everything reverted"
done
