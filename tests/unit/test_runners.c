/*
 * test_runners.c - the runner table (runners/ft_runners.h): each row where
 * the rest of ftrace looks for it, by name, by kind and by command.
 *
 * The case it guards: a kind is a row's position in the table, and the
 * enum ft_runner_kind names the first rows' positions; a row moved in the
 * table would silently give another runner's rules to its images.  And
 * `ftrace test` must still pick pytest for any command that runs pytest,
 * before the runners that recognise images.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"

#define V(...) ((char *const[]){ __VA_ARGS__, NULL })

static void test_runners__kinds_are_positions(void **state)
{
	static const struct { int kind; const char *name; } want[] = {
		{ FT_RUNNER_CTEST, "ctest" }, { FT_RUNNER_NODE, "node" }, { FT_RUNNER_JEST, "jest" },
		{ FT_RUNNER_AUTOMAKE, "automake" }, { FT_RUNNER_GO, "go" },
		{ FT_RUNNER_CARGO, "cargo" }, { FT_RUNNER_NEXTEST, "nextest" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ft_runner_ops *row = ft_runners_by_kind(want[i].kind);
		assert_non_null(row);
		assert_string_equal(row->name, want[i].name);
		assert_ptr_equal(ft_runners_by_name(want[i].name), row);
		assert_int_equal(ft_runners_kind(row), want[i].kind);
	}
	assert_null(ft_runners_by_kind(0));
	assert_null(ft_runners_by_name("make"));
}

static void test_runners__format_names(void **state)
{
	char names[256];

	(void)state;
	ft_runners_format_names(names, sizeof(names));
	assert_string_equal(names, "ctest, node, jest, go, cargo or nextest");
}

static void test_runners__commands(void **state)
{
	(void)state;
	assert_ptr_equal(ft_runners_of_cmd(V("pytest", "-q"), 0), &ft_runner_pytest);
	assert_ptr_equal(ft_runners_of_cmd(V("uv", "run", "python", "-m", "pytest"), 0), &ft_runner_pytest);
	assert_ptr_equal(ft_runners_of_cmd(V("sh", "-c", "cd x && pytest -x"), 1), &ft_runner_pytest);
	assert_null(ft_runners_of_cmd(V("sh", "-c", "ctest"), 1));
	assert_ptr_equal(ft_runners_of_cmd(V("ctest", "-j2"), 0), &ft_runner_ctest);
	assert_ptr_equal(ft_runners_of_cmd(V("node", "--test"), 0), &ft_runner_node);
	assert_ptr_equal(ft_runners_of_cmd(V("jest", "--ci"), 0), &ft_runner_jest);
	assert_ptr_equal(ft_runners_of_cmd(V("go", "test", "./..."), 0), &ft_runner_go);
	assert_ptr_equal(ft_runners_of_cmd(V("cargo", "test"), 0), &ft_runner_cargo);
	assert_ptr_equal(ft_runners_of_cmd(V("cargo", "nextest", "run"), 0), &ft_runner_nextest);
	assert_null(ft_runners_of_cmd(V("make", "all"), 0));
	assert_int_equal(ft_runner_cmd_kind(V("pytest")), 0);
	assert_int_equal(ft_runner_cmd_kind(V("go", "test", "./...")), FT_RUNNER_GO);
}

static void test_runners__images(void **state)
{
	(void)state;
	/* jest's argv[0] wins over node's --test, and go over a node exe */
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("jest", "--test"), 2), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "--test"), 2), FT_RUNNER_NODE);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("go", "test", "--test"), 3), FT_RUNNER_GO);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "/x/jest", "--ci"), 3), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", V("node", "/x/jest", "--test"), 3), FT_RUNNER_NODE);
	assert_int_equal(ft_runner_kind_of(NULL, V("make", "check"), 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runners__kinds_are_positions),
		cmocka_unit_test(test_runners__format_names),
		cmocka_unit_test(test_runners__commands),
		cmocka_unit_test(test_runners__images),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
