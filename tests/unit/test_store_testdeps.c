/*
 * test_store_testdeps.c - what `ftrace verify` reads from the store: one
 * test's recorded dependencies, the newest run (of a command, from a
 * directory), each test's run, and a snapshot of the database that still
 * says what a later run replaced.  Real database files in a temp dir.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_tests.h"

static char tmp[64], dbp[128], snap[128];

static int setup(void **s)
{
	ft_test_tmpdir(tmp, sizeof(tmp), "testdeps");
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	snprintf(snap, sizeof(snap), "%s/copy.db", tmp);
	return 0;
}

static int teardown(void **s)
{
	return ft_test_rmtree(tmp);
}

static const struct ft_dep deps_old[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	{ "/x/b.py", 7, FT_DEP_FILE, 2 },
};
static const struct ft_dep deps_new[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 5 },
};

/* One run of `command` from `cwd` recording test t1 with `deps`. */
static int64_t record(const char *command, const char *cwd, const struct ft_dep *deps, size_t n,
		      int outcome)
{
	struct ft_run_info run = { .command = command, .cwd = cwd };
	struct ft_store *st;
	int64_t id, set;

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	assert_int_equal(ft_store_depset_put(st, deps, n, &set), 0);
	struct ft_test_row t = { .name = "t1", .runner = "command", .outcome = outcome,
				 .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	return id;
}

struct seen { char text[256]; size_t n; };

static int see(void *arg, const char *path, size_t len, int kind, uint64_t value)
{
	struct seen *s = arg;
	size_t used = strlen(s->text);

	snprintf(s->text + used, sizeof(s->text) - used, "%.*s:%d:%llu;", (int)len, path, kind,
		 (unsigned long long)value);
	s->n++;
	return 0;
}

static int64_t run_of_t1;
static int outcome_of_t1;

static int each_test(void *arg, const struct ft_store_test *t)
{
	if (!strcmp(t->name, "t1")) {
		run_of_t1 = t->run_id;
		outcome_of_t1 = t->outcome;
	}
	return 0;
}

static void test_testdeps__snapshot_keeps_the_replaced_recording(void **unused)
{
	struct ft_store *st, *old;
	struct seen s = { "", 0 };
	int64_t r1, r2, last;

	r1 = record("pytest -q", "/repo", deps_old, 2, FT_OUTCOME_PASSED);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_runs_last(st, NULL, NULL, &last), 0);
	assert_int_equal(last, r1);
	assert_int_equal(ft_store_snapshot(st, snap), 0);
	ft_store_close(st);
	/* a second run replaces t1's recording */
	r2 = record("pytest -q", "/repo", deps_new, 1, FT_OUTCOME_FAILED);
	assert_true(r2 > r1);
	/* another command's run, later: not ours */
	record("ctest", "/repo", deps_new, 1, FT_OUTCOME_FAILED);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_runs_last(st, "pytest -q", "/repo", &last), 0);
	assert_int_equal(last, r2);
	assert_int_equal(ft_store_runs_last(st, "pytest -q", "/elsewhere", &last), 0);
	assert_int_equal(last, 0);
	assert_int_equal(ft_store_test_deps_each(st, "t1", see, &s), 0);
	assert_string_equal(s.text, "/x/a.py:1:5;");
	assert_int_equal(ft_store_tests_each(st, each_test, NULL), 0);
	assert_int_equal(outcome_of_t1, FT_OUTCOME_FAILED);
	assert_true(run_of_t1 > r2);   /* the ctest run recorded it last */
	s = (struct seen){ "", 0 };
	assert_int_equal(ft_store_test_deps_each(st, "no-such-test", see, &s), 0);
	assert_int_equal(s.n, 0);
	ft_store_close(st);

	/* the copy still has the first recording */
	assert_int_equal(ft_store_open(&old, snap, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_test_deps_each(old, "t1", see, &s), 0);
	assert_string_equal(s.text, "/x/a.py:1:1;/x/b.py:1:2;");
	assert_int_equal(ft_store_tests_each(old, each_test, NULL), 0);
	assert_int_equal(outcome_of_t1, FT_OUTCOME_PASSED);
	assert_int_equal(run_of_t1, r1);
	ft_store_close(old);
	/* a snapshot never overwrites a file */
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_true(ft_store_snapshot(st, snap) < 0);
	ft_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testdeps__snapshot_keeps_the_replaced_recording),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
