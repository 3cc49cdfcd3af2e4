/*
 * test_ptree_exit.c - how each process of a run ended (FT_REC_EXIT, tied to
 * the tree by ingest/ft_ptree_exit.c), and the outcome a node test takes
 * from its own process (runners/ft_runner.c, own_outcome).
 *
 * Trees are built by hand as the regions of real runs look: `node --test`
 * (pid 1) forks one child per test file, reaps each with waitpid, and its
 * preload writes a reaped record for each; the ptrace back end writes a
 * record of each tracee's own end in its last region.
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
#include <sys/wait.h>

#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_runner.h"

#define EXITED(n) ((n) << 8)

static char dir[PATH_MAX], files[3][PATH_MAX + 16];

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-ptree-exit.XXXXXX", *d = mkdtemp(tmpl);

	if (!d || !realpath(d, dir))
		return -1;
	for (int i = 0; i < 3; i++) {
		FILE *f;
		snprintf(files[i], sizeof(files[i]), "%s/%c.test.js", dir, 'a' + i);
		if (!(f = fopen(files[i], "w")))
			return -1;
		fclose(f);
	}
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < 3; i++)
		unlink(files[i]);
	rmdir(dir);
	return 0;
}

/* An image whose first record is at `first` (argv "a b c", no quoting). */
static void add(struct ft_ptree *t, const char *file, int pid, int ppid, uint64_t first,
		const char *exe, const char *args)
{
	char buf[4096];
	size_t n = 0;
	long i;

	if (args) {
		n = strlen(args) + 1;
		memcpy(buf, args, n);
		for (size_t k = 0; k < n; k++)
			if (buf[k] == ' ')
				buf[k] = '\0';
	}
	i = ft_ptree_add(t, file, pid, ppid, 0, first, FT_BACKEND_PRELOAD, exe, args ? buf : NULL, n, 0);
	assert_true(i >= 0);
	t->procs[i].first_ns = first;
}

static size_t at(const struct ft_ptree *t, const char *file)
{
	const struct ft_ptree_proc *p = ft_ptree_proc_of(t, file);
	assert_non_null(p);
	return (size_t)(p - t->procs);
}

/* The status of the process of region `file`: -1 when not known. */
static int status(const struct ft_ptree *t, const char *file)
{
	int st;
	return ft_ptree_exit_of(t, at(t, file), &st) ? st : -1;
}

static void test_ptree_exit__reaped(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	add(&t, "r-1", 1, 0, 10, "/bin/sh", "sh");
	add(&t, "r-2", 2, 1, 20, "/bin/true", "true");          /* fork child, then exec */
	add(&t, "r-2b", 2, 1, 25, "/bin/false", "false");
	add(&t, "r-3", 3, 1, 30, "/bin/kill", "kill");
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(1), 40), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 3, SIGKILL, 50), 0);
	ft_ptree_link(&t);
	/* the process, whichever of its images */
	assert_int_equal(status(&t, "r-2"), EXITED(1));
	assert_int_equal(status(&t, "r-2b"), EXITED(1));
	assert_int_equal(status(&t, "r-3"), SIGKILL);
	assert_int_equal(status(&t, "r-1"), -1); /* nobody recorded its end */
	ft_ptree_release(&t);
}

static void test_ptree_exit__self(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	add(&t, "r-ptrace-5-0", 5, 1, 10, NULL, NULL);           /* go's fork child */
	add(&t, "r-ptrace-5-1", 5, 1, 20, "/tmp/b/p.test", "p.test");
	assert_int_equal(ft_ptree_add_exit(&t, "r-ptrace-5-1", FT_EXIT_SELF, 5, EXITED(0), 30), 0);
	/* a self record that names another pid names nothing */
	add(&t, "r-ptrace-6-2", 6, 1, 22, "/tmp/b/q.test", "q.test");
	assert_int_equal(ft_ptree_add_exit(&t, "r-ptrace-6-2", FT_EXIT_SELF, 7, EXITED(0), 31), 0);
	ft_ptree_link(&t);
	assert_int_equal(status(&t, "r-ptrace-5-0"), EXITED(0));
	assert_int_equal(status(&t, "r-ptrace-5-1"), EXITED(0));
	assert_int_equal(status(&t, "r-ptrace-6-2"), -1);
	ft_ptree_release(&t);
}

/* A pid is not a process: pid 2 twice, each reaped in turn.  The tree
 * takes the second holder for an exec of the first (same pid and ppid:
 * ft_ptree.h), so the two reaps land on one process; they disagree, so
 * neither is known (never the first's 0 for the second). */
static void test_ptree_exit__pid_reused(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	add(&t, "r-1", 1, 0, 10, "/bin/sh", "sh");
	add(&t, "r-2", 2, 1, 20, "/bin/true", "true");
	add(&t, "r-2c", 2, 1, 60, "/bin/false", "false");
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(0), 50), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(1), 70), 0);
	ft_ptree_link(&t);
	assert_int_equal(status(&t, "r-2"), -1);
	assert_int_equal(status(&t, "r-2c"), -1);
	ft_ptree_release(&t);
}

/* The second holder of pid 2 wrote no region (a fork child that only
 * exited): its reap is not the first holder's, which was reaped before. */
static void test_ptree_exit__pid_reused_without_region(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	add(&t, "r-1", 1, 0, 10, "/bin/sh", "sh");
	add(&t, "r-2", 2, 1, 20, "/bin/false", "false");
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(1), 50), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(0), 70), 0);
	ft_ptree_link(&t);
	assert_int_equal(status(&t, "r-2"), EXITED(1));
	ft_ptree_release(&t);
}

/* A reap before the child's first record, by another parent, or two
 * views that disagree: no status. */
static void test_ptree_exit__unknown(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;

	add(&t, "r-1", 1, 0, 10, "/bin/sh", "sh");
	add(&t, "r-9", 9, 0, 11, "/bin/sh", "sh");
	add(&t, "r-2", 2, 1, 20, "/bin/true", "true");
	add(&t, "r-3", 3, 1, 30, "/bin/true", "true");
	add(&t, "r-4", 4, 1, 40, "/bin/true", "true");
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(0), 15), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-9", FT_EXIT_REAPED, 3, EXITED(0), 35), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 4, EXITED(0), 45), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-4", FT_EXIT_SELF, 4, SIGSEGV, 44), 0);
	/* a region nobody has: ignored */
	assert_int_equal(ft_ptree_add_exit(&t, "r-none", FT_EXIT_SELF, 8, 0, 44), 0);
	assert_int_equal(t.nexits, 4);
	ft_ptree_link(&t);
	assert_int_equal(status(&t, "r-2"), -1);
	assert_int_equal(status(&t, "r-3"), -1);
	assert_int_equal(status(&t, "r-4"), -1);
	ft_ptree_release(&t);
}

/* node --test failed (status 1): a.test.js's process exited 0, b's 1,
 * and c's status is not known.  a passed and b failed, both their own
 * outcomes; c keeps the run's status, guessed. */
static void test_ptree_exit__node_outcomes(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, EXITED(1), 0, NULL };
	char a[PATH_MAX + 32], b[PATH_MAX + 32], c[PATH_MAX + 32];

	snprintf(a, sizeof(a), "/usr/bin/node %s", files[0]);
	snprintf(b, sizeof(b), "/usr/bin/node %s", files[1]);
	snprintf(c, sizeof(c), "/usr/bin/node %s", files[2]);
	add(&t, "r-1", 1, 0, 10, "/usr/bin/node", "node --test");
	add(&t, "r-2", 2, 1, 20, "/usr/bin/node", a);
	add(&t, "r-3", 3, 2, 25, "/bin/cat", "cat x");           /* a's own child */
	add(&t, "r-4", 4, 1, 30, "/usr/bin/node", b);
	add(&t, "r-5", 5, 1, 40, "/usr/bin/node", c);
	assert_int_equal(ft_ptree_add_exit(&t, "r-2", FT_EXIT_REAPED, 3, EXITED(2), 27), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, EXITED(0), 50), 0);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 4, EXITED(1), 51), 0);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(t.ntests, 3);
	for (size_t k = 0; k < t.ntests; k++) {
		const struct ft_ptree_test *x = &t.tests[k];
		if (!strcmp(x->id, "a.test.js")) {
			/* its child's failure is not its own end */
			assert_int_equal(x->outcome, FT_OUTCOME_PASSED);
			assert_int_equal(x->guessed, 0);
		} else if (!strcmp(x->id, "b.test.js")) {
			assert_int_equal(x->outcome, FT_OUTCOME_FAILED);
			assert_int_equal(x->guessed, 0);
		} else {
			assert_string_equal(x->id, "c.test.js");
			assert_int_equal(x->outcome, FT_OUTCOME_FAILED);
			assert_int_equal(x->guessed, 1);
		}
	}
	ft_ptree_release(&t);
}

/* A runner whose verdict is not its processes' status (ctest: WILL_FAIL,
 * PASS_REGULAR_EXPRESSION) is not judged by them. */
static void test_ptree_exit__not_every_runner(void **state)
{
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, EXITED(0), 0, NULL };
	char a[PATH_MAX + 32];

	snprintf(a, sizeof(a), "/usr/bin/node %s", files[0]);
	/* a run that passed: a node file whose process failed is failed all
	 * the same (its own end is evidence, the run's is the runner's) */
	add(&t, "r-1", 1, 0, 10, "/usr/bin/node", "node --test");
	add(&t, "r-2", 2, 1, 20, "/usr/bin/node", a);
	assert_int_equal(ft_ptree_add_exit(&t, "r-1", FT_EXIT_REAPED, 2, SIGKILL, 50), 0);
	ft_ptree_link(&t);
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);
	assert_int_equal(t.ntests, 1);
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_FAILED);
	assert_int_equal(t.tests[0].guessed, 0);
	ft_ptree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptree_exit__reaped),
		cmocka_unit_test(test_ptree_exit__self),
		cmocka_unit_test(test_ptree_exit__pid_reused),
		cmocka_unit_test(test_ptree_exit__pid_reused_without_region),
		cmocka_unit_test(test_ptree_exit__unknown),
		cmocka_unit_test(test_ptree_exit__node_outcomes),
		cmocka_unit_test(test_ptree_exit__not_every_runner),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
