/*
 * test_kept.c - ft_kept_unguarded (ingest/ft_kept.h): which tests, begun
 * in a process that ran other tests too and watched by no state guard,
 * count as leaky.  Trees are built by hand (ft_ptree_add), contexts by
 * ft_collect_ctx, the pytest side file is a real file in a scratch run dir.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_adapter.h"
#include "ft_collect.h"
#include "ft_kept.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "tmpdir.h"

struct fx {
	struct ft_ptree t;
	struct ft_collect c;
	struct ft_adapter a;
	uint8_t leaky[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->a = (struct ft_adapter)FT_ADAPTER_INIT;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ft_ptree_release(&f->t);
	ft_collect_release(&f->c);
	ft_adapter_release(&f->a);
	free(f);
	return 0;
}

/* an image: exe NULL means no PROC record (a fork child, a region continued) */
static size_t img(struct fx *f, const char *file, int pid, int ppid, uint64_t start, const char *exe)
{
	long i = ft_ptree_add(&f->t, file, pid, ppid, 0, start, FT_BACKEND_PRELOAD, exe,
			      exe ? exe : NULL, exe ? strlen(exe) + 1 : 0, 0);
	assert_true(i >= 0);
	return (size_t)i;
}

/* Test `id` begun by pid in the image of region `file` (NULL: not known). */
static void begun(struct fx *f, const char *id, int pid, const char *file)
{
	uint32_t x;
	const struct ft_ptree_proc *p = file ? ft_ptree_proc_of(&f->t, file) : NULL;

	assert_true(ft_collect_ctx(&f->c, id, strlen(id), &x) >= 0);
	f->c.ctx[x].begin_pid = pid;
	f->c.ctx[x].begin_img = p ? (size_t)(p - f->t.procs) : FT_PTREE_NONE;
}

static int leaky(struct fx *f, const char *id)
{
	uint32_t x;

	assert_true(ft_map_get(&f->c.ctx_ids, id, strlen(id), &x));
	return f->leaky[x];
}

static void run(struct fx *f)
{
	assert_true(f->c.ctx_ids.count <= sizeof(f->leaky));
	memset(f->leaky, 0, sizeof(f->leaky));
	assert_int_equal(ft_kept_unguarded(&f->c, &f->t, &f->a, f->leaky), 0);
}

/* Two tests of one image share its memory; a test alone in its image
 * (FTRACE_TEST_ID at exec) does not. */
static void one_image_many_tests(void **state)
{
	struct fx *f = *state;

	img(f, "sh", 10, 1, 1, "/bin/sh");
	img(f, "h", 11, 10, 2, "/t/harness");
	img(f, "s", 12, 10, 3, "/t/solo");
	ft_ptree_link(&f->t);
	begun(f, "a", 11, "h");
	begun(f, "b", 11, "h");
	begun(f, "solo", 12, "s");
	run(f);
	assert_true(leaky(f, "a"));
	assert_true(leaky(f, "b"));
	assert_false(leaky(f, "solo"));
}

/* A fork child (no PROC) shares its parent's memory: the parent's one test
 * and the child's are a group.  A child that exec'd has memory of its own. */
static void fork_joins_exec_splits(void **state)
{
	struct fx *f = *state;

	img(f, "p", 20, 1, 1, "/t/harness");
	img(f, "p-fork", 21, 20, 2, NULL);
	img(f, "q", 30, 1, 3, "/t/runner");
	img(f, "q-fork", 31, 30, 4, NULL);
	img(f, "q-exec", 31, 30, 5, "/t/child");
	ft_ptree_link(&f->t);
	begun(f, "parent", 20, "p");
	begun(f, "child", 21, "p-fork");
	begun(f, "runner", 30, "q");
	begun(f, "execd", 31, "q-exec");
	run(f);
	assert_true(leaky(f, "parent"));
	assert_true(leaky(f, "child"));
	assert_false(leaky(f, "runner"));
	assert_false(leaky(f, "execd"));
}

/* A runner that isolates its tests (jest), in its own image (-i) and in
 * the worker it started through a fork child, keeps nothing between them;
 * a harness that the worker's test started does. */
static void isolating_runner(void **state)
{
	struct fx *f = *state;
	size_t j = 0;

	img(f, "jest", 40, 1, 1, "/usr/bin/node");
	img(f, "jest-fork", 41, 40, 2, NULL);
	img(f, "worker", 41, 40, 3, "/usr/bin/node");
	img(f, "h-fork", 42, 41, 4, NULL);
	img(f, "h", 42, 41, 5, "/t/harness");
	ft_ptree_link(&f->t);
	for (size_t i = 0; i < f->t.n; i++)
		if (f->t.procs[i].pid == 40)
			j = i;
	f->t.procs[j].policy = FT_POLICY_ISOLATES;
	begun(f, "i1.test.js", 40, "jest");
	begun(f, "i2.test.js", 40, "jest");
	begun(f, "w1.test.js", 41, "worker");
	begun(f, "w2.test.js", 41, "worker");
	begun(f, "h1", 42, "h");
	begun(f, "h2", 42, "h");
	run(f);
	assert_false(leaky(f, "i1.test.js"));
	assert_false(leaky(f, "i2.test.js"));
	assert_false(leaky(f, "w1.test.js"));
	assert_false(leaky(f, "w2.test.js"));
	assert_true(leaky(f, "h1"));
	assert_true(leaky(f, "h2"));
}

/* A begin whose image is not known groups by its pid. */
static void unknown_image_by_pid(void **state)
{
	struct fx *f = *state;

	ft_ptree_link(&f->t);
	begun(f, "x1", 50, NULL);
	begun(f, "x2", 50, NULL);
	begun(f, "y", 51, NULL);
	run(f);
	assert_true(leaky(f, "x1"));
	assert_true(leaky(f, "x2"));
	assert_false(leaky(f, "y"));
}

/* A test that a pytest side file names is its guard's to judge. */
static void side_file_test_is_the_guards(void **state)
{
	struct fx *f = *state;
	char dir[256], path[512];
	FILE *fp;

	ft_test_tmpdir(dir, sizeof(dir), "kept");
	snprintf(path, sizeof(path), "%s/adapter-pytest-60.json", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("{\"closures\":{},\"project_files\":[],\"leaky\":[],"
	      "\"tests\":[{\"id\":\"t.py::g\"}]}", fp);
	fclose(fp);
	assert_int_equal(ft_adapter_load(&f->a, dir), 0);
	img(f, "py", 60, 1, 1, "/usr/bin/python3");
	ft_ptree_link(&f->t);
	begun(f, "t.py::g", 60, "py");
	begun(f, "t.py::other", 60, "py");
	run(f);
	assert_false(leaky(f, "t.py::g"));
	assert_true(leaky(f, "t.py::other"));
	assert_int_equal(ft_test_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_image_many_tests, setup, teardown),
		cmocka_unit_test_setup_teardown(fork_joins_exec_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(isolating_runner, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_image_by_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(side_file_test_is_the_guards, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
