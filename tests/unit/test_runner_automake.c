/*
 * test_runner_automake.c - ft_automake_trs_passed(): whether an Automake .trs
 * file says its test passed (runners/ft_runner_automake.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ft_runner_automake.h"

/* ft_automake_trs_passed() on a .trs holding `len` bytes of `text`. */
static int passed(const char *text, size_t len)
{
	char tmpl[] = "/tmp/ft-trs.XXXXXX";
	int fd = mkstemp(tmpl), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	rc = ft_automake_trs_passed(tmpl, 0);
	unlink(tmpl);
	return rc;
}

#define PASSED(s) passed(s, sizeof(s) - 1)

static void test_runner_automake__results(void **state)
{
	(void)state;
	assert_true(PASSED(":test-result: PASS\n:global-test-result: PASS\n"));
	assert_true(PASSED(":test-result: SKIP\n"));
	assert_true(PASSED(":test-result: XFAIL"));
	assert_false(PASSED(":test-result: FAIL\n"));
	assert_false(PASSED(":test-result: PASS 1\n:test-result: ERROR 2\n"));
	assert_false(PASSED(":global-test-result: PASS\n"));
	assert_false(PASSED(""));
	assert_false(ft_automake_trs_passed("/nonexistent/t.trs", 0));
}

/* Found by tests/fuzz/fuzz_trs.c's check against a plain reading of the
 * format (corpus/trs/regress-long-line.trs): lines were read in pieces of
 * 511 bytes, so the piece of a long line that began with ":test-result:
 * PASS" counted as a result line, and a .trs with no result line at all
 * passed.  Only the start of a line is a result. */
static void test_runner_automake__long_line(void **state)
{
	char text[1024];
	int n;

	(void)state;
	memset(text, 'x', 511);
	n = 511 + snprintf(text + 511, sizeof(text) - 511, ":test-result: PASS\n");
	assert_false(passed(text, (size_t)n));
	/* a long result line is still read whole */
	n = snprintf(text, sizeof(text), ":test-result: FAIL %0700d\n", 0);
	assert_false(passed(text, (size_t)n));
	n = snprintf(text, sizeof(text), ":test-result: PASS %0700d\n", 0);
	assert_true(passed(text, (size_t)n));
}

/* A FIFO named like the .trs is no result, and reading it never blocks
 * (a hang here is a ctest timeout). */
static void test_runner_automake__fifo(void **state)
{
	char dir[] = "/tmp/ft-trs.XXXXXX", path[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.trs", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_false(ft_automake_trs_passed(path, 0));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_automake__results),
		cmocka_unit_test(test_runner_automake__long_line),
		cmocka_unit_test(test_runner_automake__fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
