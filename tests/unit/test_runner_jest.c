/*
 * test_runner_jest.c - which commands run jest, and where the selection
 * goes (runners/ft_runner_jest.c, docs/jest.md).  npm's script is read from
 * package.json in the current directory: each case writes one in a
 * scratch directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_runner_jest.h"

static char dir[PATH_MAX], old[PATH_MAX];

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-jest.XXXXXX", *d = mkdtemp(tmpl);

	if (!d || !realpath(d, dir) || !getcwd(old, sizeof(old)) || chdir(dir) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	unlink("package.json");
	if (chdir(old) < 0)
		return -1;
	rmdir(dir);
	return 0;
}

static void script(const char *test)
{
	FILE *f = fopen("package.json", "w");

	assert_non_null(f);
	fprintf(f, "{\"name\":\"x\",\"scripts\":{\"test\":\"%s\",\"unit\":\"jest --ci\"}}\n", test);
	fclose(f);
}

/* "a b c" of jc->args */
static const char *joined(const struct ft_jest_cmd *jc)
{
	static char buf[1024];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; jc->args && jc->args[i]; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", jc->args[i]);
	return buf;
}

static int parse(struct ft_jest_cmd *jc, char **cmd)
{
	return ft_jest_cmd_parse(cmd, jc);
}

static void test_runner_jest__direct_forms(void **state)
{
	char *jest[] = { "jest", "-i", NULL };
	char *node[] = { "node", "node_modules/.bin/jest", "-w", "2", NULL };
	char *npx[] = { "npx", "--no-install", "jest", "--ci", NULL };
	char *npx_pkg[] = { "npx", "-p", "jest", "jest", NULL };
	char *npx_other[] = { "npx", "vitest", NULL };
	char *pytest[] = { "pytest", NULL };
	struct ft_jest_cmd jc;

	assert_int_equal(parse(&jc, jest), 1);
	assert_string_equal(joined(&jc), "-i");
	assert_int_equal(jc.npm, 0);
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, node), 1);
	assert_string_equal(joined(&jc), "-w 2");
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, npx), 1);
	assert_string_equal(joined(&jc), "--ci");
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, npx_pkg), 0);
	assert_int_equal(parse(&jc, npx_other), 0);
	assert_int_equal(parse(&jc, pytest), 0);
}

static void test_runner_jest__npm_scripts(void **state)
{
	char *test[] = { "npm", "test", NULL };
	char *test_args[] = { "npm", "--silent", "t", "--", "-i", "--ci", NULL };
	char *run[] = { "npm", "run", "unit", NULL };
	char *run_missing[] = { "npm", "run", "lint", NULL };
	char *exec[] = { "npm", "exec", "jest", NULL };
	struct ft_jest_cmd jc;

	script("jest --cacheDirectory=/tmp/c");
	assert_int_equal(parse(&jc, test), 1);
	assert_string_equal(joined(&jc), "--cacheDirectory=/tmp/c");
	assert_int_equal(jc.npm, 1);
	assert_int_equal(jc.has_dashdash, 0);
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, test_args), 1);
	assert_string_equal(joined(&jc), "--cacheDirectory=/tmp/c -i --ci");
	assert_int_equal(jc.has_dashdash, 1);
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, run), 1);
	assert_string_equal(joined(&jc), "--ci");
	ft_jest_cmd_release(&jc);
	assert_int_equal(parse(&jc, run_missing), 0);
	assert_int_equal(parse(&jc, exec), 0);

	/* not known to be jest alone: a shell line, another runner, env */
	script("jest && eslint .");
	assert_int_equal(parse(&jc, test), 0);
	script("node --test");
	assert_int_equal(parse(&jc, test), 0);
	script("CI=1 jest");
	assert_int_equal(parse(&jc, test), 0);
	script("node_modules/.bin/jest");
	assert_int_equal(parse(&jc, test), 1);
	ft_jest_cmd_release(&jc);
}

static void test_runner_jest__args_that_choose(void **state)
{
	char *none[] = { NULL };
	char *workers[] = { "-w", "2", "-i", "--ci", "--cacheDirectory", "/tmp/c", NULL };
	char *name[] = { "-t", "adds", "--config=jest.config.js", NULL };
	char *pattern[] = { "-i", "test/a", NULL };
	char *bypath[] = { "--runTestsByPath", "a.test.js", NULL };
	char *changed[] = { "-o", NULL };
	char *since[] = { "--changedSince=main", NULL };
	char *watch[] = { "--watch", NULL };
	char *unknown_valued[] = { "--bail", "2", NULL }; /* "2" could be a pattern */

	assert_int_equal(ft_jest_args_choose(none), 0);
	assert_int_equal(ft_jest_args_choose(workers), 0);
	assert_int_equal(ft_jest_args_choose(name), 0);
	assert_int_equal(ft_jest_args_choose(pattern), 1);
	assert_int_equal(ft_jest_args_choose(bypath), 1);
	assert_int_equal(ft_jest_args_choose(changed), 1);
	assert_int_equal(ft_jest_args_choose(since), 1);
	assert_int_equal(ft_jest_args_choose(watch), 1);
	assert_int_equal(ft_jest_args_choose(unknown_valued), 1);
}

static void test_runner_jest__no_jest_here(void **state)
{
	struct ft_jest_list l;

	/* no node_modules/.bin/jest from /tmp/ft-jest.X upward */
	assert_true(ft_jest_list_load(&l, NULL, dir) < 0);
	assert_int_equal((int)l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_runner_jest__direct_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_jest__npm_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_jest__args_that_choose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runner_jest__no_jest_here, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
