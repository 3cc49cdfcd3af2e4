/*
 * test_namecache.c - names found in files, each read and scanned once
 * (common/ft_namecache.c): a second use of a path gives what the first
 * read found even after the file changed; a missing file, one too large
 * and a program (ELF) give no names; the walk stops on its callback's
 * error.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ft_namecache.h"
#include "namelist.h"
#include "tmpdir.h"

/* the scan: every word of upper case letters; counts its calls */
static int scan_words(void *sarg, const char *text, size_t len, ft_name_fn keep, void *kept)
{
	int rc = 0;

	++*(int *)sarg;
	for (size_t i = 0; i < len && rc >= 0;) {
		size_t n = 0;
		while (i + n < len && text[i + n] >= 'A' && text[i + n] <= 'Z')
			n++;
		if (n)
			rc = keep(kept, text + i, n);
		i += n ? n : 1;
	}
	return rc;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_namecache__once_per_path(void **s)
{
	struct ft_namecache c = FT_NAMECACHE_INIT;
	struct ft_test_names g = { 0 };
	char dir[256], a[300], b[300];
	int scans = 0;
	long ia, ib;

	(void)s;
	ft_test_tmpdir(dir, sizeof(dir), "namecache");
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	write_file(a, "x AB y CD AB", 12);
	write_file(b, "EF", 2);
	assert_true((ia = ft_namecache_file(&c, a, strlen(a), 1024, NULL, scan_words, &scans)) >= 0);
	assert_int_equal(ft_namecache_each(&c, ia, ft_test_names_add, &g), 0);
	assert_string_equal(g.s, "AB;CD;AB;");
	/* a path given again is not read again: its first names stand */
	write_file(a, "GH", 2);
	assert_int_equal(ft_namecache_file(&c, a, strlen(a), 1024, NULL, scan_words, &scans), ia);
	assert_int_equal(scans, 1);
	assert_true((ib = ft_namecache_file(&c, b, strlen(b), 1024, NULL, scan_words, &scans)) >= 0);
	assert_true(ib != ia);
	assert_int_equal(scans, 2);
	memset(&g, 0, sizeof(g));
	assert_int_equal(ft_namecache_each(&c, ib, ft_test_names_add, &g), 0);
	assert_string_equal(g.s, "EF;");
	/* the walk stops on its callback's error */
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(ft_namecache_each(&c, ia, ft_test_names_add, &g), -EIO);
	assert_string_equal(g.s, "AB;");
	ft_namecache_release(&c);
	assert_int_equal(ft_test_rmtree(dir), 0);
}

static void test_namecache__no_names(void **s)
{
	struct ft_namecache c = FT_NAMECACHE_INIT;
	struct ft_test_names g = { 0 };
	char dir[256], p[300];
	int scans = 0;
	long i;

	(void)s;
	ft_test_tmpdir(dir, sizeof(dir), "namecache");
	/* missing */
	snprintf(p, sizeof(p), "%s/missing", dir);
	assert_true((i = ft_namecache_file(&c, p, strlen(p), 1024, NULL, scan_words, &scans)) >= 0);
	assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &g), 0);
	/* larger than the bound */
	snprintf(p, sizeof(p), "%s/big", dir);
	write_file(p, "ABCDEFGH", 8);
	assert_true((i = ft_namecache_file(&c, p, strlen(p), 4, NULL, scan_words, &scans)) >= 0);
	assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &g), 0);
	/* a program */
	snprintf(p, sizeof(p), "%s/prog", dir);
	write_file(p, "\177ELF AB", 7);
	assert_true((i = ft_namecache_file(&c, p, strlen(p), 1024, NULL, scan_words, &scans)) >= 0);
	assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &g), 0);
	assert_int_equal(g.calls, 0);
	assert_int_equal(scans, 0);
	/* larger than the bound, with a name for that: that name only,
	 * unscanned; a program larger than the bound still has none */
	{
		struct ft_test_names o = { 0 };
		snprintf(p, sizeof(p), "%s/big2", dir);
		write_file(p, "ABCDEFGH", 8);
		assert_true((i = ft_namecache_file(&c, p, strlen(p), 4, "=", scan_words, &scans)) >= 0);
		assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &o), 0);
		assert_int_equal(o.calls, 1);
		assert_string_equal(o.s, "=;");
		/* gone: that name too */
		snprintf(p, sizeof(p), "%s/gone", dir);
		assert_true((i = ft_namecache_file(&c, p, strlen(p), 1024, "=", scan_words, &scans)) >= 0);
		assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &o), 0);
		assert_int_equal(o.calls, 2);
		assert_string_equal(o.s, "=;=;");
		snprintf(p, sizeof(p), "%s/prog2", dir);
		write_file(p, "\177ELF ABCD", 9);
		assert_true((i = ft_namecache_file(&c, p, strlen(p), 4, "=", scan_words, &scans)) >= 0);
		assert_int_equal(ft_namecache_each(&c, i, ft_test_names_add, &o), 0);
		assert_int_equal(o.calls, 2);
		assert_int_equal(scans, 0);
	}
	/* an index it never gave */
	assert_int_equal(ft_namecache_each(&c, 999, ft_test_names_add, &g), 0);
	ft_namecache_release(&c);
	assert_int_equal(ft_test_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namecache__once_per_path),
		cmocka_unit_test(test_namecache__no_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
