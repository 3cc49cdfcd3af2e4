/*
 * test_ptree.c - the process tree rebuilt at ingest (ingest/ft_ptree.c),
 * the runner rules over it (runners/ft_runner.c), and the runner formats
 * (runners/ft_format.c).
 *
 * Trees are built by hand, as the regions of real runs look: ctest forks
 * (a region of the child's pid before the exec), the child execs the test
 * program (a new region, same pid and ppid), and the test may fork more.
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
#include <sys/stat.h>
#include <sys/wait.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_runner.h"
#include "ft_select.h"

static char dir[PATH_MAX], prog[PATH_MAX + 16], prog2[PATH_MAX + 16], jsfile[PATH_MAX + 16],
	inner[PATH_MAX + 16];

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-ptree.XXXXXX", *d = mkdtemp(tmpl);
	FILE *f;

	if (!d || !realpath(d, dir))
		return -1;
	snprintf(prog, sizeof(prog), "%s/t_a", dir);
	snprintf(prog2, sizeof(prog2), "%s/t_b", dir);
	snprintf(jsfile, sizeof(jsfile), "%s/a.test.js", dir);
	snprintf(inner, sizeof(inner), "%s/ctest", dir);
	for (const char *p = prog; p;
	     p = p == prog ? prog2 : p == prog2 ? jsfile : p == jsfile ? inner : NULL) {
		if (!(f = fopen(p, "w")))
			return -1;
		fclose(f);
	}
	return 0;
}

static int teardown(void **state)
{
	unlink(prog);
	unlink(prog2);
	unlink(jsfile);
	unlink(inner);
	rmdir(dir);
	return 0;
}

/* argv from "a b c" (no quoting: test paths have no spaces) */
static long add(struct ft_ptree *t, const char *file, int pid, int ppid, uint64_t start,
		const char *exe, const char *args, uint32_t backend)
{
	char buf[4096];
	size_t n = 0;

	if (args) {
		n = strlen(args) + 1;
		memcpy(buf, args, n);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == ' ')
				buf[i] = '\0';
	}
	return ft_ptree_add(t, file, pid, ppid, 0, start, backend, exe, args ? buf : NULL, n, 0);
}

static const struct ft_ptree_proc *proc(const struct ft_ptree *t, const char *file)
{
	const struct ft_ptree_proc *p = ft_ptree_proc_of(t, file);
	assert_non_null(p);
	return p;
}

static const char *test_of(const struct ft_ptree *t, const char *file)
{
	const struct ft_ptree_test *x = ft_ptree_test_of(t, file);
	return x ? x->id : NULL;
}

static struct ft_ctest_list two_tests(void)
{
	char json[2 * PATH_MAX + 512];
	struct ft_ctest_list l;

	snprintf(json, sizeof(json),
		 "{\"kind\":\"ctestInfo\",\"tests\":["
		 "{\"name\":\"alpha\",\"command\":[\"%s\",\"x.txt\"]},"
		 "{\"name\":\"beta\",\"command\":[\"%s\",\"y.txt\"],\"properties\":"
		 "[{\"name\":\"WORKING_DIRECTORY\",\"value\":\"/w\"}]},"
		 "{\"name\":\"nocmd\"}]}", prog, prog2);
	assert_int_equal(ft_ctest_list_parse(&l, json, strlen(json)), 0);
	return l;
}

/* ftrace (launcher) -> ctest -> fork child -> exec t_a; t_a forks a helper */
static void ctest_tree(struct ft_ptree *t, const char *beta_args)
{
	char a[PATH_MAX + 64], b[PATH_MAX + 64];

	snprintf(a, sizeof(a), "%s x.txt", prog);
	snprintf(b, sizeof(b), "%s %s", prog2, beta_args);
	add(t, "r-10-0", 10, 1, 100, NULL, NULL, FT_BACKEND_LAUNCHER);
	add(t, "r-11-0", 11, 10, 200, "/usr/bin/ctest", "ctest -j2", FT_BACKEND_PRELOAD);
	add(t, "r-12-0", 12, 11, 300, NULL, NULL, FT_BACKEND_PRELOAD);       /* fork child */
	add(t, "r-12-1", 12, 11, 400, prog, a, FT_BACKEND_PRELOAD);          /* exec'd test */
	add(t, "r-13-0", 13, 12, 500, "/bin/cat", "cat x.txt", FT_BACKEND_PRELOAD); /* its child */
	add(t, "r-14-0", 14, 11, 600, prog2, b, FT_BACKEND_PRELOAD);
	ft_ptree_link(t);
}

static void test_ptree__exec_and_fork_parents(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	ctest_tree(&t, "y.txt");
	assert_null(proc(&t, "r-10-0")->exe);
	/* exec: same pid and ppid -> the earlier image; fork: the ppid's image */
	assert_string_equal(t.procs[proc(&t, "r-12-1")->parent].file, "r-12-0");
	assert_string_equal(t.procs[proc(&t, "r-12-0")->parent].file, "r-11-0");
	assert_string_equal(t.procs[proc(&t, "r-13-0")->parent].file, "r-12-1");
	assert_string_equal(t.procs[proc(&t, "r-11-0")->parent].file, "r-10-0");
	assert_int_equal(proc(&t, "r-10-0")->parent, FT_PTREE_NONE);
	assert_string_equal(t.procs[ft_ptree_proc_head(&t, (size_t)(proc(&t, "r-12-1") - t.procs))].file,
			    "r-12-0");
	ft_ptree_release(&t);
}

static void test_ptree__reused_pid_is_not_an_exec(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	/* pid 20 exits; a later, unrelated process gets pid 20 with another ppid */
	add(&t, "r-1", 1, 0, 10, NULL, "sh", 1);
	add(&t, "r-2", 2, 0, 11, NULL, "sh", 1);
	add(&t, "r-20a", 20, 1, 20, NULL, "a", 1);
	add(&t, "r-20b", 20, 2, 30, NULL, "b", 1);
	ft_ptree_link(&t);
	assert_string_equal(t.procs[proc(&t, "r-20b")->parent].file, "r-2");
	ft_ptree_release(&t);
}

static void test_ptree__ctest_children_are_tests(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	struct ft_runner_env env = { "/nowhere", 0 /* exited 0 */, 0, NULL };

	ctest_tree(&t, "y.txt");
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_int_equal(t.ntests, 2);
	assert_null(test_of(&t, "r-10-0"));
	assert_null(test_of(&t, "r-11-0"));             /* ctest itself: prelude */
	assert_string_equal(test_of(&t, "r-12-0"), "alpha"); /* its fork child exec'd it */
	assert_string_equal(test_of(&t, "r-12-1"), "alpha");
	assert_string_equal(test_of(&t, "r-13-0"), "alpha"); /* descendants */
	assert_string_equal(test_of(&t, "r-14-0"), "beta");
	assert_int_equal(proc(&t, "r-11-0")->runner, FT_RUNNER_CTEST);
	for (size_t i = 0; i < t.ntests; i++) {
		assert_int_equal(t.tests[i].outcome, FT_OUTCOME_PASSED);
		assert_string_equal(t.tests[i].runner, "ctest");
	}
	assert_non_null(t.bookkeeping[FT_BK_CTEST]);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__ctest_args_must_match(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };

	ctest_tree(&t, "z.txt");  /* not beta's argument */
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_null(test_of(&t, "r-14-0"));
	assert_int_equal(t.ntests, 1);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__failed_run_fails_every_test(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	/* exit 8, and no LastTestsFailed.log in "." written after t0 */
	struct ft_runner_env env = { "/nowhere", 8 << 8, INT64_MAX, NULL };

	ctest_tree(&t, "y.txt");
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	for (size_t i = 0; i < t.ntests; i++)
		assert_int_equal(t.tests[i].outcome, FT_OUTCOME_FAILED);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__runner_not_on_top_fails(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char a[PATH_MAX + 64];

	/* `sh -c 'ctest; true'`: the run's 0 is not ctest's */
	snprintf(a, sizeof(a), "%s x.txt", prog);
	add(&t, "r-1", 1, 0, 10, "/bin/dash", "sh -c ctest;true", FT_BACKEND_PRELOAD);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, prog, a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_string_equal(test_of(&t, "r-3"), "alpha");
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_FAILED);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__npm_script_passes_status_on(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, 0, 0, NULL };
	char a[PATH_MAX + 64];

	/* ftrace run -- npm test: env execs node npm-cli, which runs
	 * `sh -c 'node --test'`: a failure would have reached the run */
	snprintf(a, sizeof(a), "/usr/bin/node %s", jsfile);
	add(&t, "r-1", 1, 0, 10, NULL, NULL, FT_BACKEND_LAUNCHER);
	add(&t, "r-2a", 2, 1, 20, "/usr/bin/env", "/usr/bin/env node /usr/bin/npm test", FT_BACKEND_PRELOAD);
	add(&t, "r-2b", 2, 1, 30, "/usr/bin/node", "node /usr/bin/npm test", FT_BACKEND_PRELOAD);
	assert_true(ft_ptree_add(&t, "r-3", 3, 2, 0, 40, FT_BACKEND_PRELOAD, "/usr/bin/dash",
				 "sh\0-c\0node --test", sizeof("sh\0-c\0node --test"), 0) >= 0);
	add(&t, "r-4", 4, 3, 50, "/usr/bin/node", "node --test", FT_BACKEND_PRELOAD);
	add(&t, "r-5", 5, 4, 60, "/usr/bin/node", a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_string_equal(test_of(&t, "r-5"), "a.test.js");
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_PASSED);
	assert_non_null(t.bookkeeping[FT_BK_NPM]);  /* npm's logs */
	ft_ptree_release(&t);

	/* the same under `npm exec` (not known to pass failures on): failed */
	t = (struct ft_ptree)FT_PTREE_INIT;
	add(&t, "r-1", 1, 0, 10, NULL, NULL, FT_BACKEND_LAUNCHER);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/node", "node /usr/bin/npm exec foo", FT_BACKEND_PRELOAD);
	add(&t, "r-4", 4, 2, 50, "/usr/bin/node", "node --test", FT_BACKEND_PRELOAD);
	add(&t, "r-5", 5, 4, 60, "/usr/bin/node", a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_FAILED);
	ft_ptree_release(&t);

	/* a shell that forks the runner, then execs something else: failed */
	t = (struct ft_ptree)FT_PTREE_INIT;
	add(&t, "r-1", 1, 0, 10, NULL, NULL, FT_BACKEND_LAUNCHER);
	assert_true(ft_ptree_add(&t, "r-3", 3, 1, 0, 40, FT_BACKEND_PRELOAD, "/usr/bin/dash",
				 "sh\0-c\0node --test", sizeof("sh\0-c\0node --test"), 0) >= 0);
	add(&t, "r-4", 4, 3, 50, "/usr/bin/node", "node --test", FT_BACKEND_PRELOAD);
	add(&t, "r-5", 5, 4, 60, "/usr/bin/node", a, FT_BACKEND_PRELOAD);
	add(&t, "r-3b", 3, 1, 70, "/bin/true", "true", FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_FAILED);
	ft_ptree_release(&t);
}

/* Regions start small and a busy image fills several (preload/region.c):
 * a continued region has no FT_REC_PROC and is the same image, not an exec.
 * The case that broke: `ftrace run -- npm test`, where npm's node filled
 * three regions before it forked `sh -c 'node --test'`; the shell's parent
 * was taken to be the argv-less continuation, npm's status no longer
 * reached the run, and every passing test file was stored failed. */
static void test_ptree__continued_region_is_not_an_exec(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, 0, 0, NULL };
	char a[PATH_MAX + 64];

	snprintf(a, sizeof(a), "/usr/bin/node %s", jsfile);
	add(&t, "r-1", 1, 0, 10, NULL, NULL, FT_BACKEND_LAUNCHER);
	add(&t, "r-2-0", 2, 1, 20, "/usr/bin/env", "/usr/bin/env node /usr/bin/npm test", FT_BACKEND_PRELOAD);
	assert_true(ft_ptree_add(&t, "r-2-1", 2, 1, 1, 30, FT_BACKEND_PRELOAD, "/usr/bin/node",
				 "node\0/usr/bin/npm\0test", sizeof("node\0/usr/bin/npm\0test"), 0) >= 0);
	assert_true(ft_ptree_add(&t, "r-2-2", 2, 1, 2, 33, FT_BACKEND_PRELOAD, NULL, NULL, 0, 0) >= 0);
	assert_true(ft_ptree_add(&t, "r-3", 3, 2, 0, 40, FT_BACKEND_PRELOAD, "/usr/bin/dash",
				 "sh\0-c\0node --test", sizeof("sh\0-c\0node --test"), 0) >= 0);
	assert_true(ft_ptree_add(&t, "r-2-3", 2, 1, 3, 45, FT_BACKEND_PRELOAD, NULL, NULL, 0, 0) >= 0);
	add(&t, "r-4", 4, 3, 50, "/usr/bin/node", "node --test", FT_BACKEND_PRELOAD);
	add(&t, "r-5", 5, 4, 60, "/usr/bin/node", a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_string_equal(test_of(&t, "r-5"), "a.test.js");
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_PASSED);
	/* a continued region's records are its image's (exe, argv, test) */
	assert_ptr_equal(ft_ptree_proc_of(&t, "r-2-2"), ft_ptree_proc_of(&t, "r-2-1"));
	assert_ptr_equal(ft_ptree_proc_of(&t, "r-2-3"), ft_ptree_proc_of(&t, "r-2-1"));
	assert_string_equal(ft_ptree_proc_of(&t, "r-2-3")->exe, "/usr/bin/node");
	ft_ptree_release(&t);
}

static void test_ptree__a_test_that_is_a_runner(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l;
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char json[PATH_MAX + 256], a[PATH_MAX + 64];

	/* add_test(NAME nested COMMAND ctest --build-and-test ...) */
	snprintf(json, sizeof(json), "{\"tests\":[{\"name\":\"nested\",\"command\":"
		 "[\"%s\",\"--build-and-test\"]}]}", inner);
	assert_int_equal(ft_ctest_list_parse(&l, json, strlen(json)), 0);
	snprintf(a, sizeof(a), "%s --build-and-test", inner);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, inner, a, FT_BACKEND_PRELOAD);
	add(&t, "r-4", 4, 3, 40, "/usr/bin/cc", "cc -c x.c", FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_int_equal(proc(&t, "r-3")->runner, FT_RUNNER_CTEST);
	assert_string_equal(test_of(&t, "r-3"), "nested");
	assert_string_equal(test_of(&t, "r-4"), "nested");
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__same_command_twice_untold(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l;
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char json[2 * PATH_MAX + 256], a[PATH_MAX + 64];

	snprintf(json, sizeof(json), "{\"tests\":[{\"name\":\"one\",\"command\":[\"%s\",\"x.txt\"]},"
		 "{\"name\":\"two\",\"command\":[\"%s\",\"x.txt\"]}]}", prog, prog);
	assert_int_equal(ft_ctest_list_parse(&l, json, strlen(json)), 0);
	snprintf(a, sizeof(a), "%s x.txt", prog);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, prog, a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_null(test_of(&t, "r-3"));
	/* both made, untold: stored untraced, whichever ran it */
	assert_int_equal(t.ntests, 2);
	for (size_t k = 0; k < t.ntests; k++)
		assert_int_equal(t.tests[k].untold, 1);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

/* One program by two names (symlinks, as json-c's test scripts): the
 * name it was started by tells. */
static void test_ptree__same_file_told_by_name(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l;
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char json[4 * PATH_MAX + 256], a[2 * PATH_MAX], b[2 * PATH_MAX], la[PATH_MAX + 16], lb[PATH_MAX + 16];

	snprintf(la, sizeof(la), "%s/alias-a", dir);
	snprintf(lb, sizeof(lb), "%s/alias-b", dir);
	assert_int_equal(symlink(prog, la), 0);
	assert_int_equal(symlink(prog, lb), 0);
	snprintf(json, sizeof(json), "{\"tests\":[{\"name\":\"one\",\"command\":[\"%s\",\"x.txt\"]},"
		 "{\"name\":\"two\",\"command\":[\"%s\",\"x.txt\"]}]}", la, lb);
	assert_int_equal(ft_ctest_list_parse(&l, json, strlen(json)), 0);
	snprintf(a, sizeof(a), "%s x.txt", la);
	snprintf(b, sizeof(b), "%s x.txt", lb);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, prog, b, FT_BACKEND_PRELOAD);
	add(&t, "r-4", 4, 2, 40, prog, a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_string_equal(test_of(&t, "r-3"), "two");
	assert_string_equal(test_of(&t, "r-4"), "one");
	for (size_t k = 0; k < t.ntests; k++)
		assert_int_equal(t.tests[k].untold, 0);
	unlink(la);
	unlink(lb);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

/* The same command in two WORKING_DIRECTORYs: the cwd at exec tells. */
static void test_ptree__same_command_told_by_cwd(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l;
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char json[2 * PATH_MAX + 512], a[PATH_MAX + 64];

	snprintf(json, sizeof(json), "{\"tests\":[{\"name\":\"one\",\"command\":[\"%s\",\"x.txt\"],"
		 "\"properties\":[{\"name\":\"WORKING_DIRECTORY\",\"value\":\"/\"}]},"
		 "{\"name\":\"two\",\"command\":[\"%s\",\"x.txt\"],"
		 "\"properties\":[{\"name\":\"WORKING_DIRECTORY\",\"value\":\"/usr\"}]}]}",
		 prog, prog);
	assert_int_equal(ft_ctest_list_parse(&l, json, strlen(json)), 0);
	snprintf(a, sizeof(a), "%s x.txt", prog);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, prog, a, FT_BACKEND_PRELOAD);
	add(&t, "r-4", 4, 2, 40, prog, a, FT_BACKEND_PRELOAD);
	add(&t, "r-5", 5, 2, 50, prog, a, FT_BACKEND_PRELOAD);
	assert_non_null(((struct ft_ptree_proc *)proc(&t, "r-3"))->cwd = strdup("/usr"));
	assert_non_null(((struct ft_ptree_proc *)proc(&t, "r-4"))->cwd = strdup("/"));
	assert_non_null(((struct ft_ptree_proc *)proc(&t, "r-5"))->cwd = strdup("/etc")); /* neither's */
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_string_equal(test_of(&t, "r-3"), "two");
	assert_string_equal(test_of(&t, "r-4"), "one");
	/* a process in neither directory: both untold */
	assert_null(test_of(&t, "r-5"));
	for (size_t k = 0; k < t.ntests; k++)
		assert_int_equal(t.tests[k].untold, 1);
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__cut_argv_never_matches(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char a[PATH_MAX + 64];

	snprintf(a, sizeof(a), "%s%cx.txt", prog, '\0');
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	assert_true(ft_ptree_add(&t, "r-3", 3, 2, 0, 30, FT_BACKEND_PRELOAD, prog, a,
				 strlen(prog) + 7, 1 /* cut */) >= 0);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_null(test_of(&t, "r-3"));
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__script_run_by_its_interpreter(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_ctest_list l = two_tests();
	struct ft_runner_env env = { "/nowhere", 0, 0, NULL };
	char a[PATH_MAX + 64];

	/* a #! script: the kernel runs "interpreter script args" */
	snprintf(a, sizeof(a), "/bin/sh %s x.txt", prog);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/ctest", "ctest", FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, "/usr/bin/dash", a, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, &l), 0);
	assert_string_equal(test_of(&t, "r-3"), "alpha");
	ft_ptree_release(&t);
	ft_ctest_list_release(&l);
}

static void test_ptree__node_test_files(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, 0, 0, NULL };
	char a[PATH_MAX + 64], b[PATH_MAX + 64];

	snprintf(a, sizeof(a), "/usr/bin/node %s", jsfile);
	snprintf(b, sizeof(b), "/usr/bin/node %s/missing.test.js", dir);
	add(&t, "r-1", 1, 0, 10, "/usr/bin/node", "node --test", FT_BACKEND_PRELOAD);
	add(&t, "r-2", 2, 1, 20, "/usr/bin/node", a, FT_BACKEND_PRELOAD);
	add(&t, "r-3", 3, 2, 30, "/bin/cat", "cat x", FT_BACKEND_PRELOAD);
	add(&t, "r-4", 4, 1, 40, "/usr/bin/node", b, FT_BACKEND_PRELOAD);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(proc(&t, "r-1")->runner, FT_RUNNER_NODE);
	assert_string_equal(test_of(&t, "r-2"), "a.test.js"); /* relative to the top */
	assert_string_equal(test_of(&t, "r-3"), "a.test.js");
	assert_null(test_of(&t, "r-4"));                       /* not a file */
	assert_null(test_of(&t, "r-1"));
	assert_string_equal(t.tests[0].runner, "node");
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_PASSED);
	ft_ptree_release(&t);
}

static void test_ptree__runner_kinds(void **state)
{
	char *ctest[] = { "/usr/local/bin/ctest", "-R", "x", NULL };
	char *node[] = { "node", "--test", NULL };
	char *node_plain[] = { "node", "x.js", NULL };
	char *node_only[] = { "node", "--test-only", NULL };

	assert_int_equal(ft_runner_kind_of(NULL, ctest, 3), FT_RUNNER_CTEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", node, 2), FT_RUNNER_NODE);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", node_plain, 2), 0);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", node_only, 2), 0);
}

static void test_ptree__jest_kinds(void **state)
{
	char *bin[] = { "node", "/r/node_modules/.bin/jest", "-i", NULL };
	char *cli[] = { "node", "/r/node_modules/jest-cli/bin/jest.js", NULL };
	char *plain[] = { "/usr/local/bin/jest", NULL };
	char *worker[] = { "node", "/r/node_modules/jest-worker/build/workers/processChild.js", NULL };
	char *env[] = { "/usr/bin/env", "node", "/r/node_modules/.bin/jest", NULL };

	assert_int_equal(ft_runner_kind_of("/usr/bin/node", bin, 3), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", cli, 2), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of(NULL, plain, 1), FT_RUNNER_JEST);
	assert_int_equal(ft_runner_kind_of("/usr/bin/node", worker, 2), 0);
	/* env execs node: that next image is the runner */
	assert_int_equal(ft_runner_kind_of("/usr/bin/env", env, 3), 0);
}

/* jest -w 2: jest (whose records fill a second region: no PROC there) and
 * its workers, which are no tests (the adapter marks the test files) */
static void test_ptree__jest_image_continued(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, 0, 0, NULL };

	add(&t, "r-1-0", 1, 0, 10, "/usr/bin/node", "node /r/node_modules/.bin/jest -w 2",
	    FT_BACKEND_PRELOAD);
	add(&t, "r-1-1", 1, 0, 20, NULL, NULL, FT_BACKEND_PRELOAD);   /* continued */
	add(&t, "r-2-0", 2, 1, 30, "/usr/bin/node",
	    "/usr/bin/node /r/node_modules/jest-worker/build/workers/processChild.js",
	    FT_BACKEND_PRELOAD);
	add(&t, "r-2-1", 2, 1, 40, NULL, NULL, FT_BACKEND_PRELOAD);   /* worker, continued */
	add(&t, "r-3-0", 3, 0, 50, NULL, NULL, FT_BACKEND_PRELOAD);   /* another pid's first */
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(proc(&t, "r-1-0")->runner, FT_RUNNER_JEST);
	assert_int_equal(proc(&t, "r-1-1")->runner, FT_RUNNER_JEST);
	assert_int_equal(proc(&t, "r-2-0")->runner, 0);
	assert_int_equal(proc(&t, "r-2-1")->runner, 0);
	assert_int_equal(proc(&t, "r-3-0")->runner, 0);
	assert_int_equal((int)t.ntests, 0);
	assert_null(test_of(&t, "r-2-0"));
	ft_ptree_release(&t);
}

static void test_ptree__ctest_list_malformed(void **state)
{
	struct ft_ctest_list l;

	assert_int_equal(ft_ctest_list_parse(&l, "{", 1), FT_EFORMAT);
	assert_int_equal(ft_ctest_list_parse(&l, "{\"tests\":3}", 11), FT_EFORMAT);
	assert_int_equal(ft_ctest_list_parse(&l, "{\"tests\":[{\"command\":[]}]}", 26), FT_EFORMAT);
}

static void test_ptree__ctest_regex(void **state)
{
	const char *ids[] = { "a", "b.c", "x(1)|y*", "back\\slash" };
	char *re;

	assert_int_equal(ft_format_ctest_regex(ids, 0, &re), 0);
	assert_null(re);  /* never '' : ctest -R '' runs everything */
	assert_int_equal(ft_format_ctest_regex(ids, 4, &re), 0);
	assert_string_equal(re, "^(a|b\\.c|x\\(1\\)\\|y\\*|back\\\\slash)$");
	free(re);
}

static void test_ptree__node_default_patterns(void **state)
{
	assert_true(ft_format_is_node_test("test/a.test.js"));
	assert_true(ft_format_is_node_test("x-test.mjs"));
	assert_true(ft_format_is_node_test("test-x.cjs"));
	assert_true(ft_format_is_node_test("test/helper.js"));
	assert_true(ft_format_is_node_test("a/test/b/c.js"));
	assert_false(ft_format_is_node_test("lib/shared.js"));
	assert_false(ft_format_is_node_test("test/data.txt"));
	assert_false(ft_format_is_node_test("contest/x.js"));
}

static void test_ptree__new_tests_added_once(void **state)
{
	struct ft_selection sel = { 0 }, known = { 0 };
	struct ft_selected k[] = { { .id = "alpha" }, { .id = "beta" } };
	char *names[] = { "alpha", "delta", "beta", "delta", "gamma" };

	sel.tests = calloc(1, sizeof(*sel.tests));
	known.tests = k;
	known.n = 2;
	assert_int_equal(ft_format_add_new(&sel, &known, names, 5), 0);
	assert_int_equal(sel.n, 2);
	assert_string_equal(sel.tests[0].id, "delta");
	assert_string_equal(sel.tests[1].id, "gamma");
	assert_int_equal(sel.tests[0].reasons[0].change, FT_CHANGE_NEW);
	free(sel.tests);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptree__exec_and_fork_parents),
		cmocka_unit_test(test_ptree__reused_pid_is_not_an_exec),
		cmocka_unit_test(test_ptree__ctest_children_are_tests),
		cmocka_unit_test(test_ptree__ctest_args_must_match),
		cmocka_unit_test(test_ptree__failed_run_fails_every_test),
		cmocka_unit_test(test_ptree__runner_not_on_top_fails),
		cmocka_unit_test(test_ptree__npm_script_passes_status_on),
		cmocka_unit_test(test_ptree__continued_region_is_not_an_exec),
		cmocka_unit_test(test_ptree__a_test_that_is_a_runner),
		cmocka_unit_test(test_ptree__same_command_twice_untold),
		cmocka_unit_test(test_ptree__same_command_told_by_cwd),
		cmocka_unit_test(test_ptree__same_file_told_by_name),
		cmocka_unit_test(test_ptree__cut_argv_never_matches),
		cmocka_unit_test(test_ptree__script_run_by_its_interpreter),
		cmocka_unit_test(test_ptree__node_test_files),
		cmocka_unit_test(test_ptree__runner_kinds),
		cmocka_unit_test(test_ptree__jest_kinds),
		cmocka_unit_test(test_ptree__jest_image_continued),
		cmocka_unit_test(test_ptree__ctest_list_malformed),
		cmocka_unit_test(test_ptree__ctest_regex),
		cmocka_unit_test(test_ptree__node_default_patterns),
		cmocka_unit_test(test_ptree__new_tests_added_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
