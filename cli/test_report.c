/*
 * test_report.c - `ftrace test --report FILE.json` (cli/report.h for the
 * shape, shared with `ftrace verify --report`; docs/usage.md, "Reports").
 *
 * Before the run, the known tests and their recorded outcomes and flaky
 * counts (as verify remembers them); after it, the run's tests read back
 * from the new recording (verify_read_new: the newest run of the command
 * as run, from here), each with its outcome and duration.  A `test` runs
 * only what it selected, so the tests it left out are never judged: its
 * "escapes" are always empty (`ftrace verify` is the audit).  Its "flaky"
 * lists the selected tests known flaky whose outcome flipped, and those
 * this run taught ftrace are flaky.  When nothing ran (nothing affected),
 * the report has the selection and no test.
 *
 * Best effort: a report that cannot be made is said on stderr and changes
 * nothing of the run or its exit status.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "report.h"
#include "test.h"
#include "verify.h"

void ft_cmd_test_report_known(struct test *t)
{
	int rc;

	if (!t->report)
		return;
	snprintf(t->v.db, sizeof(t->v.db), "%s", t->p.db);
	t->v.is_test = 1;
	if ((rc = verify_known_load(&t->v, t->p.st, t->p.sel)) < 0) {
		ft_cmd_error("test: --report: the recorded tests cannot be read (%s): the report "
			     "will not say their recorded outcomes", ft_strerror(rc));
		verify_release(&t->v);
		return;
	}
	t->v.verdict = 1;
}

void ft_cmd_test_report_plan(struct test *t, const struct ft_selection *ran, int complete,
			     const char *why)
{
	if (!t->report)
		return;
	free(t->v.selection);
	t->v.selection = report_selection(ran, t->hist.known, complete, why);
	if (t->v.known)
		verify_known_select(&t->v, ran);
	if (!complete) /* everything ran: nothing to compare the outcomes with */
		t->v.verdict = 0;
}

void ft_cmd_test_report_write(struct test *t, int ran, int cmd_status, int status)
{
	struct verify_found f = { 0 };
	struct ft_store *st = NULL;
	FILE *json;
	int rc;

	if (!t->report)
		return;
	if (!t->v.db[0]) { /* it could not tell: the database the run saved to */
		char dir[PATH_MAX];

		if (ft_statedir_find(dir, sizeof(dir)) >= 0)
			snprintf(t->v.db, sizeof(t->v.db), "%s/%s", dir, FT_STORE_FILE);
	}
	t->v.command = t->cmdline_run = ft_cmd_join_argv(t->cmd);
	t->v.cmd_status = cmd_status;
	if (ran && t->v.command && (rc = verify_read_new(&t->v, &f, &st)) < 0)
		ft_cmd_error("test: --report: the run's tests cannot be read from %s: %s", t->v.db,
			     rc == FT_ENORECORD ? "it was not saved" : ft_strerror(rc));
	if (t->hist.selected >= 0)
		t->v.nselected = (size_t)t->hist.selected;
	if ((json = report_open("test", t->report))) {
		report_head(json, "test", t->v.command, t->v.selection);
		fputs(",\"escapes\":[]", json);
		report_rest(json, "test", &t->v, &f, st, status);
		report_close(json, t->report, "test");
	}
	if (st)
		ft_store_close(st);
	verify_found_release(&f);
}
