/*
 * test_runner_argv.c - which runner commands `ftrace test` may narrow, by
 * each runner's full option grammar (runners/ft_runner_argv.c,
 * ft_cargo_plan.c, ft_runner_automake.c, ft_runner_jest.c).
 *
 * The case that broke: `ftrace test -- cargo test -j2` ran every target on
 * every commit (only `-j 2` and `--jobs=2` were known), and `make -kC sub
 * check` or `make -fother.mk check` would have been narrowed with the
 * TESTS of ./Makefile.  A command is narrowed only when every word is
 * known; a word that is not known, or chooses tests, runs it whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ft_cargo_plan.h"
#include "ft_runner_argv.h"
#include "ft_runner_automake.h"
#include "ft_error.h"
#include "ft_runlists.h"
#include "ft_runner_jest.h"
#include "ft_runners.h"
#include "ft_selection.h"

#define V(...) ((char *const[]){ __VA_ARGS__, NULL })

static void test_runner_argv__cargo_jobs_spellings(void **state)
{
	/* from 2: after `cargo test` */
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-j2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-j", "2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--jobs=2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--jobs", "2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-j=2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-qv", "-rj2"), 2, 0), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--release", "--", "--exact"), 2, 0), 1);
	/* a value-taking option without its value: not known, whole */
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-j"), 2, 0), 0);
	/* a valueless option given a value */
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--release=yes"), 2, 0), 0);
}

static void test_runner_argv__cargo_choosers(void **state)
{
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "some_name"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-p", "a"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-pa"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-vpa"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--lib"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--features=x"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "-Fx"), 2, 0), 0);
	/* nextest's own run options, not cargo test's */
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "nextest", "run", "--retries", "2"), 3, 1), 1);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "test", "--retries", "2"), 2, 0), 0);
	assert_int_equal(ft_cargo_args_keep_tests(V("cargo", "nextest", "run", "-E", "all()"), 3, 1), 0);
}

static void test_runner_argv__go_flags(void **state)
{
	size_t at;

	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./..."), &at), 1);
	assert_int_equal(at, 2);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "-run", "TestX", "./..."), &at), 1);
	assert_int_equal(at, 4);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "-count=1", "--v", "-p", "2", "./..."), &at), 1);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./...", "-timeout", "1m"), &at), 1);
	/* flags that change which files build, or where, or run nothing */
	/* build flags: narrowed, and handed to go list as written */
	{
		char *b[8];
		size_t nb;

		assert_int_equal(ft_runner_go_narrowable_build(V("go", "test", "-tags=integration", "-v",
								 "./..."), &at, b, &nb), 1);
		assert_int_equal(nb, 1);
		assert_string_equal(b[0], "-tags=integration");
		assert_int_equal(ft_runner_go_narrowable_build(V("go", "test", "-tags", "x y", "-race",
								 "-count", "1", "./...", "-mod=vendor"),
							       &at, b, &nb), 1);
		assert_int_equal(at, 7);
		assert_int_equal(nb, 4);
		assert_string_equal(b[0], "-tags");
		assert_string_equal(b[1], "x y");
		assert_string_equal(b[2], "-race");
		assert_string_equal(b[3], "-mod=vendor");
		assert_int_equal(ft_runner_go_narrowable_build(V("go", "test", "./...", "-tags"), &at, b,
							       &nb), 0);   /* no value */
	}
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "-C=sub", "./..."), &at), 0);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "-c", "./..."), &at), 0);
	/* other packages, -args, a flag's missing value */
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./a/..."), &at), 0);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./...", "./..."), &at), 0);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./...", "-args", "-x"), &at), 0);
	assert_int_equal(ft_runner_go_narrowable(V("go", "test", "./...", "-run"), &at), 0);
	assert_int_equal(ft_runner_go_narrowable(V("go", "vet", "./..."), &at), 0);
}

static void test_runner_argv__make_grammar(void **state)
{
	assert_int_equal(ft_automake_args_narrowable(V("make", "check")), 1);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-j2", "check")), 1);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-j", "4", "check")), 1);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-j", "check")), 1);
	assert_int_equal(ft_automake_args_narrowable(V("gmake", "-sk", "V=1", "check")), 1);
	assert_int_equal(ft_automake_args_narrowable(V("make", "--jobs=2", "-I", "inc", "check")), 1);
	/* another directory or Makefile, in every spelling */
	assert_int_equal(ft_automake_args_narrowable(V("make", "-C", "sub", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-Csub", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-kC", "sub", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-fother.mk", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-sf", "other.mk", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "--directory=sub", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "--makefile", "x", "check")), 0);
	/* the tests chosen already, another goal, -e with the environment's */
	assert_int_equal(ft_automake_args_narrowable(V("make", "check", "TESTS=a")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "check", "TESTS+=a")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "check", "TEST_LOGS=a.log")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "all", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-e", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "-o", "check")), 0);
	assert_int_equal(ft_automake_args_narrowable(V("make", "all")), 0);
}

/* jest's display options may be passed on from a database to `jest
 * --listTests` (a probe's project records with `--color=true`: `ftrace
 * affected` could not tell); an option that loads code may not. */
static void test_runner_argv__jest_safe_display(void **state)
{
	static const char *const ok[][3] = {
		{ "--color", NULL }, { "--color=true", NULL }, { "--colors", NULL },
		{ "--no-color", NULL }, { "--colors=false", NULL }, { "--ci", "--color" },
	};
	static const char *const bad[][3] = {
		{ "--setupFiles", "x.js" }, { "--color", "--reporters=x" }, { "--colorize", NULL },
	};
	struct ft_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct ft_runlist r = { "jest", "/", (char **)ok[i] };
		assert_int_equal(ft_runners_may_ask(&ft_runner_jest, &r, "/", &e), 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ft_runlist r = { "jest", "/", (char **)bad[i] };
		assert_int_equal(ft_runners_may_ask(&ft_runner_jest, &r, "/", &e), FT_EFORMAT);
	}
}

/* what `ftrace test`'s narrowing put into the command, for the run's
 * runner entries (runners/ft_runner_meta.h) */
static void test_runner_argv__inserted(void **state)
{
	char **v;

	(void)state;
	v = ft_runner_argv_inserted(V("ctest"), V("ctest", "-R", "^(a)$"));
	assert_non_null(v);
	assert_string_equal(v[0], "-R");
	assert_string_equal(v[1], "^(a)$");
	assert_null(v[2]);
	free(v);
	v = ft_runner_argv_inserted(V("cargo", "test", "--", "-q"),
				    V("cargo", "test", "-p", "x", "--test", "t", "--", "-q"));
	assert_non_null(v);
	assert_string_equal(v[0], "-p");
	assert_string_equal(v[3], "t");
	assert_null(v[4]);
	free(v);
	/* not put in at one place: go's packages in place of ./... */
	assert_null(ft_runner_argv_inserted(V("go", "test", "./..."), V("go", "test", "a", "b")));
	assert_null(ft_runner_argv_inserted(V("a", "b"), V("a", "b")));
	assert_null(ft_runner_argv_inserted(V("a", "b"), V("x", "a", "y", "b", "z")));
}

static void test_runner_argv__jest_kebab_case(void **state)
{
	assert_int_equal(ft_jest_args_choose(V("--ci", "-i")), 0);
	assert_int_equal(ft_jest_args_choose(V("--onlyChanged")), 1);
	assert_int_equal(ft_jest_args_choose(V("--only-changed")), 1);
	assert_int_equal(ft_jest_args_choose(V("--watch-all")), 1);
	assert_int_equal(ft_jest_args_choose(V("--test-path-pattern=x")), 1);
	assert_int_equal(ft_jest_args_choose(V("--select-projects", "a")), 1);
	assert_int_equal(ft_jest_args_choose(V("--max-workers", "2")), 0);
	assert_int_equal(ft_jest_args_choose(V("--maxWorkers=2")), 0);
	assert_int_equal(ft_jest_args_choose(V("-t", "name")), 0);
	assert_int_equal(ft_jest_args_choose(V("src/x")), 1);
}

static void test_runner_argv__node_options(void **state)
{
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test")), 1);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--test-reporter", "spec")), 1);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--test-reporter=spec")), 1);
	assert_int_equal(ft_runner_node_narrowable(V("node", "-r", "./setup.js", "--test")), 1);
	/* files named, a script, shards, eval, an unknown option's value */
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "a.test.js")), 0);
	assert_int_equal(ft_runner_node_narrowable(V("node", "script.js", "--test")), 0);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--test-shard=1/2")), 0);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--", "x")), 0);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--some-new", "v")), 0);
	assert_int_equal(ft_runner_node_narrowable(V("node", "--test", "--test-reporter")), 0);
}

static void test_runner_argv__ctest_choosers(void **state)
{
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "--output-on-failure", "-j4")), 0);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "--test-dir", "build")), 0);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "-R", "x")), 1);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "-Rx")), 1);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "--tests-regex=x")), 1);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "-LE", "slow")), 1);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "--rerun-failed")), 1);
	assert_int_equal(ft_runner_ctest_chooses(V("ctest", "-I", "1,3")), 1);
}

/* --failed-first's order (node, Automake): the names in `first` move to
 * the front, each group in its order; none, or no `first`: unchanged. */
static void test_runner_argv__first(void **state)
{
	struct ft_selected f[] = { { .id = "tests/c.sh" }, { .id = "tests/z.sh" } };
	struct ft_selection first = { .tests = f, .n = 2 }, none = { 0 };
	const char *keep[] = { "a", "tests/b.sh", "tests/z.sh", "tests/c.sh", "d" };
	const char *want[] = { "tests/z.sh", "tests/c.sh", "a", "tests/b.sh", "d" };
	const char *same[] = { "a", "b" };

	(void)state;
	ft_runner_argv_first(keep, 5, &first);
	for (int i = 0; i < 5; i++)
		assert_string_equal(keep[i], want[i]);
	ft_runner_argv_first(same, 2, &none);
	ft_runner_argv_first(same, 2, NULL);
	ft_runner_argv_first(same, 2, &first);
	assert_string_equal(same[0], "a");
	assert_string_equal(same[1], "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_argv__cargo_jobs_spellings),
		cmocka_unit_test(test_runner_argv__first),
		cmocka_unit_test(test_runner_argv__cargo_choosers),
		cmocka_unit_test(test_runner_argv__go_flags),
		cmocka_unit_test(test_runner_argv__make_grammar),
		cmocka_unit_test(test_runner_argv__jest_kebab_case),
		cmocka_unit_test(test_runner_argv__jest_safe_display),
		cmocka_unit_test(test_runner_argv__inserted),
		cmocka_unit_test(test_runner_argv__node_options),
		cmocka_unit_test(test_runner_argv__ctest_choosers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
