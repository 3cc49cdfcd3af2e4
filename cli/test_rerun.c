/*
 * test_rerun.c - `ftrace test --rerun-flaky N` (and .ftrace.json's "flaky":
 * {"rerun": N}): a run that failed only by tests ftrace knew were flaky
 * before it reruns each of them alone, up to N times, through its runner;
 * when every one passes on a rerun, the command's status is 0 and stderr
 * says which tests were rerun (docs/usage.md, "Flaky tests").
 *
 * What "failed only by known flaky tests" means, from the recording the
 * run saved (never from the runner's words): the run saved a new run, at
 * least one of the tests it recorded failed (failed, error, no result),
 * and every such test was in the flaky table before the run.  A test not
 * known flaky that fails is never rerun, and then nothing is: its failure
 * is the status.  A run that failed without a failing test (a collection
 * error, a crash of the runner) keeps its status.  A rerun passes when the
 * rerun command exits 0 and saves the test as passed.
 *
 * Each rerun is narrowed to that one test by the runner's own narrow
 * (runners/ft_runners.h: pytest deselects every other known test, ctest
 * gets -R '^(ID)$', ...), over every test known after the first run; a
 * runner that cannot narrow to it (its plan is "run all", "nothing") is
 * not rerun.  A command no runner splits is one test: it runs again as it
 * is.  Each rerun records, as `ftrace run` does: a flaky test that passes
 * on its rerun is a flip, so the flaky table counts it again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_select.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_select.h"
#include "ft_store_tests.h"
#include "test_rerun.h"

#define FT_ENV_DESELECT "FTRACE_DESELECT_FILE"

static int add_flaky(void *arg, const struct ft_store_flaky *f)
{
	struct ft_runner_names *l = arg;

	return ft_runner_names_add(l, "", f->name);
}

int ft_cmd_rerun_before(struct ft_cmd_rerun *r, struct ft_store *st)
{
	int rc, began;

	if (!r->times)
		return 0;
	if ((rc = ft_store_read_begin_unless(st, &began)) < 0)
		return rc;
	if ((rc = ft_store_flaky_each(st, add_flaky, &r->flaky)) == 0)
		rc = ft_store_runs_last(st, NULL, NULL, &r->run_before);
	if (began)
		ft_store_write_commit(st);
	return rc;
}

static int known_flaky(const struct ft_cmd_rerun *r, const char *id)
{
	for (size_t i = 0; i < r->flaky.n; i++)
		if (!strcmp(r->flaky.v[i], id))
			return 1;
	return 0;
}

static int is_failure(int outcome)
{
	return outcome == FT_OUTCOME_FAILED || outcome == FT_OUTCOME_ERROR ||
	       outcome == FT_OUTCOME_UNKNOWN;
}

/* What one look at the saved recording found. */
struct look {
	int64_t run;                 /* the newest run */
	const char *id;              /* the test asked about, or NULL: */
	int outcome;                 /* its outcome, when run `run` saved it, else -1 */
	struct ft_runner_names failed; /* NULL id: the tests of `run` that failed */
};

static int look_test(void *arg, const struct ft_store_test *t)
{
	struct look *l = arg;

	if (t->run_id != l->run)
		return 0;
	if (l->id) {
		if (!strcmp(t->name, l->id))
			l->outcome = t->outcome;
		return 0;
	}
	return is_failure(t->outcome) ? ft_runner_names_add(&l->failed, "", t->name) : 0;
}

/* Open the database and look (all: every known test into *all too). */
static int look_db(const char *db, struct look *l, struct ft_selection **all)
{
	struct ft_store *st;
	int rc;

	l->outcome = -1;
	ft_cmd_lock_wait(0);
	if ((rc = ft_store_open(&st, db, FT_STORE_RDONLY)) < 0)
		return rc;
	if ((rc = ft_store_read_begin(st)) == 0) {
		if ((rc = ft_store_runs_last(st, NULL, NULL, &l->run)) == 0)
			rc = ft_store_tests_each(st, look_test, l);
		if (rc == 0 && all)
			rc = ft_select_all(st, all);
		ft_store_read_end(st);
	}
	ft_store_close(st);
	return rc;
}

/* Run test `id` alone once.  1 passed, 0 failed, or a negative code
 * (cannot narrow to it: not rerun). */
static int rerun_one(struct ft_cmd_rerun *r, const char *id, const struct ft_selection *all)
{
	static const struct ft_reason why = { NULL, 0, FT_CHANGE_FLAKY, 0 };
	struct ft_selected one = { id, &why, 1, 0 };
	struct ft_selection sel = { &one, 1, all->known, 0, 1, NULL, NULL };
	struct ft_runner_plan_out out = { 0 };
	struct ft_runner_plan_in in = { r->cmd, &sel, all, r->top, r->state_dir, NULL, NULL };
	struct look l = { .id = id };
	char **argv = r->cmd;
	int64_t before;
	int rc, status;

	if (r->runner && r->runner->narrow) {
		rc = r->runner->narrow(&in, &out);
		if (rc == FT_RUNNER_PLAN_DESELECTED) {
			setenv(FT_ENV_DESELECT, out.deselect, 1);
		} else if (rc == FT_RUNNER_PLAN_NARROWED && out.argv) {
			argv = out.argv;
		} else {
			ft_cmd_error("test: %s: not rerun: %s", id, rc < 0 && out.err.code < 0 &&
				     out.err.why[0] ? out.err.why : rc == FT_RUNNER_PLAN_ALL ?
				     out.err.why : "the runner cannot run it alone");
			ft_runner_argv_free(out.argv);
			return rc < 0 ? rc : FT_EUNKNOWN;
		}
	}
	if ((rc = look_db(r->db, &l, NULL)) < 0)
		return rc;
	before = l.run;
	char **put = ft_runner_argv_inserted(r->cmd, argv);

	status = ft_cmd_run_argv_narrowed(argv, r->name, r->run_flags, put);
	free(put);
	if (out.deselect[0]) {
		unlink(out.deselect);
		unsetenv(FT_ENV_DESELECT);
	}
	ft_runner_argv_free(out.argv);
	if ((rc = look_db(r->db, &l, NULL)) < 0)
		return rc;
	return status == 0 && l.run != before && l.outcome == FT_OUTCOME_PASSED;
}

int ft_cmd_rerun_flaky(struct ft_cmd_rerun *r, int status)
{
	struct ft_selection *all = NULL;
	struct look l = { 0 };
	size_t passed = 0;
	int rc;

	if (!r->times || status == 0 || !r->flaky.n)
		return status;
	if ((rc = look_db(r->db, &l, &all)) < 0 || l.run == r->run_before || !l.failed.n)
		goto out; /* not saved, or no test failed: the status is the run's */
	for (size_t i = 0; i < l.failed.n; i++)
		if (!known_flaky(r, l.failed.v[i])) {
			ft_cmd_error("test: %s failed and is not known flaky: no test is rerun",
				     l.failed.v[i]);
			goto out;
		}
	for (size_t i = 0; i < l.failed.n; i++) {
		const char *id = l.failed.v[i];
		int ok = 0;

		for (unsigned k = 1; !ok && k <= r->times; k++) {
			ft_cmd_error("test: %s failed and is known flaky: rerun %u of %u", id, k,
				     r->times);
			if ((ok = rerun_one(r, id, all)) < 0) {
				if (ok != FT_EUNKNOWN) /* FT_EUNKNOWN: said why already */
					rc = ok;
				goto out;
			}
			ft_cmd_error("test: %s %s on rerun %u", id, ok ? "passed" : "failed", k);
		}
		if (!ok) {
			ft_cmd_error("test: %s failed %u rerun%s too: the status is the run's (%d)", id,
				     r->times, r->times == 1 ? "" : "s", status);
			goto out;
		}
		passed++;
	}
	ft_cmd_error("test: the run failed only by known flaky tests, each passed when rerun "
		     "(%zu rerun%s): status 0, was %d", passed, passed == 1 ? "" : "s", status);
	status = 0;
out:
	if (rc < 0)
		ft_cmd_error("test: the failed flaky tests are not rerun: %s", ft_strerror(rc));
	ft_selection_free(all);
	ft_runner_names_release(&l.failed);
	return status;
}

void ft_cmd_rerun_release(struct ft_cmd_rerun *r)
{
	ft_runner_names_release(&r->flaky);
}
