/*
 * test_pyfunc.c - the helpers of selector/ft_pyfunc.c that tie the pytest
 * plugin's view of a file to ingest's: CRC-32 as Python's zlib.crc32
 * computes it (the bytes the plugin parsed must be the bytes ingest
 * hashed), and the source of a cached .pyc (a .pyc change counts only
 * beside its source's).  The filter itself is covered end to end by
 * tests/integration/t9010-pyfunc-affected.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ft_pyfunc.h"

static void test_pyfunc__crc32_is_zlib(void **state)
{
	(void)state;
	/* python3 -c 'import zlib; print(zlib.crc32(b"..."))' */
	assert_int_equal(ft_pyfunc_crc32("", 0), 0u);
	assert_int_equal(ft_pyfunc_crc32("123456789", 9), 0xcbf43926u);
	assert_int_equal(ft_pyfunc_crc32("def f():\n    return 1\n", 22), 1712961381u);
}

static void test_pyfunc__pyc_source(void **state)
{
	char out[64];
	(void)state;
	assert_int_equal(ft_pyfunc_pyc_source("/p/shop/__pycache__/prices.cpython-311.pyc", out, sizeof(out)), 0);
	assert_string_equal(out, "/p/shop/prices.py");
	assert_int_equal(ft_pyfunc_pyc_source("/p/t/__pycache__/test_a.cpython-311-pytest-8.4.2.pyc",
					      out, sizeof(out)), 0);
	assert_string_equal(out, "/p/t/test_a.py");
	/* not in __pycache__, no tag, not a .pyc, too long */
	assert_int_equal(ft_pyfunc_pyc_source("/p/shop/prices.pyc", out, sizeof(out)), -1);
	assert_int_equal(ft_pyfunc_pyc_source("/p/x__pycache__/a.b.pyc", out, sizeof(out)), -1);
	assert_int_equal(ft_pyfunc_pyc_source("/p/__pycache__/.pyc", out, sizeof(out)), -1);
	assert_int_equal(ft_pyfunc_pyc_source("/p/__pycache__/a.cpython-311.py", out, sizeof(out)), -1);
	assert_int_equal(ft_pyfunc_pyc_source("/a/very/long/directory/name/that/does/not/fit/__pycache__/m.x.pyc",
					      out, 16), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyfunc__crc32_is_zlib),
		cmocka_unit_test(test_pyfunc__pyc_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
