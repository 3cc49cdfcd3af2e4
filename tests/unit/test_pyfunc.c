/*
 * test_pyfunc.c - the helpers of python/pyfunc_paths.c that tie the pytest
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
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ft_pyfunc.h"
#include "ft_vec.h"

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

/* ft_vec_grow (common/ft_vec.h), which the filter's caches grow with. */
static void test_pyfunc__vec_grow(void **state)
{
	size_t cap = 0, n = 0;
	int *v = NULL, *nv;

	(void)state;
	for (int i = 0; i < 100; i++) {
		nv = ft_vec_grow(v, &cap, n, sizeof(*v), 4);
		assert_non_null(nv);
		assert_true(cap > n);
		assert_true(n < 4 ? cap == 4 : cap <= 2 * (n + 1));
		v = nv;
		v[n++] = i;
	}
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);   /* kept across every move */
	nv = ft_vec_grow(v, &cap, n - 1, sizeof(*v), 4);
	assert_ptr_equal(nv, v);      /* room already: the same array */
	/* a size that cannot be had: NULL, and the array untouched */
	cap = (size_t)-1 / 2 + 1;
	assert_null(ft_vec_grow(v, &cap, cap, sizeof(*v), 4));
	assert_int_equal(cap, (size_t)-1 / 2 + 1);
	assert_int_equal(v[99], 99);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pyfunc__crc32_is_zlib),
		cmocka_unit_test(test_pyfunc__vec_grow),
		cmocka_unit_test(test_pyfunc__pyc_source),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
