/*
 * test_plan.c - how `ftrace test` turns its selection into the command to
 * run (cli/cmd_test.c selects; cli/test.h has the shared state): the
 * runner's own narrowing, the smoke set when nothing is affected, one
 * test for a command no runner narrows, and --failed-first's order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "test.h"
#include "test_first.h"

static const struct ft_reason smoke_reason = { NULL, 0, FT_CHANGE_SMOKE, 0 };

static int smoke_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

/* The config's smoke ids as a selection (sorted, unique; the ids point
 * into the config).  NULL on ENOMEM. */
static struct ft_selection *smoke_selection(const struct test *t)
{
	struct ft_selection *s = calloc(1, sizeof(*s));
	size_t n = 0;

	if (!s || !(s->tests = calloc(t->cfg.nsmoke + 1, sizeof(*s->tests)))) {
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < t->cfg.nsmoke; i++)
		s->tests[n++] = (struct ft_selected){ t->cfg.smoke[i], &smoke_reason, 1, 0 };
	qsort(s->tests, n, sizeof(*s->tests), smoke_cmp);
	s->n = 0;
	for (size_t i = 0; i < n; i++) /* unique */
		if (!s->n || strcmp(s->tests[i].id, s->tests[s->n - 1].id))
			s->tests[s->n++] = s->tests[i];
	s->known = t->p.sel ? t->p.sel->known : 0;
	s->complete = 1;
	return s;
}

/* Is the command itself, as one test, selected?  A run of it that marked
 * no test (its build failed) stored it so, under the command's name
 * (ft_ingest.h, fallback_name); selected, it failed last time, or what it
 * read changed.  No runner's syntax names it, so the command runs as
 * given, and its recording of its tests replaces it.  0, 1, or -ENOMEM. */
static int whole_selected(const struct test *t)
{
	char *line = ft_cmd_join_argv(t->cmd);
	int yes;

	if (!line)
		return -ENOMEM;
	yes = ft_pipeline_has(t->p.sel, line);
	free(line);
	return yes;
}

/* cli/test.h has the contract. */
int ft_cmd_test_narrow(struct test *t)
{
	struct ft_runner_plan_out out = { 0 };
	struct ft_runner_plan_in in = { t->cmd, t->p.sel, t->p.all, t->p.top, t->p.state_dir,
					t->first_sel, t->p.st };
	size_t n;
	int rc;

	if ((rc = whole_selected(t)) != 0) {
		if (rc < 0) {
			ft_cmd_error("test: %s", ft_strerror(rc));
			return FT_EXIT_SOFTWARE;
		}
		t->decided = 1;
		t->hist.selected = -1;
		ft_cmd_error("test: running all tests: the command as a whole is selected (a run "
			     "of it that marked no test of its own: a failed build, an untraced run)");
		return -1;
	}
	rc = t->runner->narrow(&in, &out);
	if (rc == FT_RUNNER_PLAN_NOTHING && t->cfg.nsmoke && !t->smoke) {
		ft_runner_argv_free(out.argv);
		if (!(t->smoke = smoke_selection(t))) {
			ft_cmd_error("test: %s", ft_strerror(-ENOMEM));
			return FT_EXIT_SOFTWARE;
		}
		ft_cmd_error("nothing affected; running the smoke set (%zu test%s, .ftrace.json "
			     "\"smoke\")", t->smoke->n, t->smoke->n == 1 ? "" : "s");
		memset(&out, 0, sizeof(out));
		in.sel = t->smoke;
		t->hist.selected = (long long)t->smoke->n;
		free(t->hist.reasons);
		t->hist.reasons = ft_cmd_history_reasons(t->smoke);
		rc = t->runner->narrow(&in, &out);
	}
	t->narrowed = out.argv;
	if (rc < 0) {
		ft_cmd_error("test: %s", out.err.code < 0 && out.err.why[0] ? out.err.why :
			     ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	n = out.nselected;
	t->decided = 1;
	switch (rc) {
	case FT_RUNNER_PLAN_NOTHING:
		t->hist.selected = 0;
		ft_cmd_error("nothing affected");
		return FT_EXIT_OK;
	case FT_RUNNER_PLAN_DESELECTED:
		snprintf(t->deselect, sizeof(t->deselect), "%s", out.deselect);
		if (!t->quiet)
			fprintf(stderr, "ftrace: %zu affected test%s; %zu known test%s deselected\n",
				n, n == 1 ? "" : "s", out.ndeselected, out.ndeselected == 1 ? "" : "s");
		setenv(FT_ENV_DESELECT, t->deselect, 1);
		return -1;
	case FT_RUNNER_PLAN_ALL:
		t->hist.selected = -1;
		ft_cmd_error("test: running all tests: %s", out.err.why);
		break;
	default:
		if (!t->quiet)
			fprintf(stderr, "ftrace: %zu affected test%s\n", n, n == 1 ? "" : "s");
		if (out.err.why[0])
			ft_cmd_error("test: %s", out.err.why); /* a superset (cargo) */
	}
	if (t->narrowed)
		t->cmd = t->narrowed;
	return -1;
}

/* A command no runner narrows is one test: it runs unless it is known
 * and not affected.  -1 to run, else the exit status. */
int ft_cmd_test_one(struct test *t)
{
	const char *id = t->name;
	struct ft_selection one = { 0 };

	if (!id && !(id = t->cmdline = ft_cmd_join_argv(t->cmd)))
		return FT_EXIT_SOFTWARE;
	/* the history counts this one test, not the database's others */
	for (size_t i = 0; i < t->p.sel->n; i++)
		if (!strcmp(t->p.sel->tests[i].id, id))
			one = (struct ft_selection){ .tests = &t->p.sel->tests[i], .n = 1 };
	t->decided = 1;
	t->hist.known = 1;
	t->hist.selected = 1;
	free(t->hist.reasons);
	t->hist.reasons = ft_cmd_history_reasons(&one);
	if (t->have_durs)
		t->hist.timed = t->hist.timed_ns = 0;
	ft_cmd_test_report_plan(t, &one, 1, NULL);
	if (ft_pipeline_has(t->p.all, id) && !ft_pipeline_has(t->p.sel, id)) {
		const struct ft_cmd_duration *d = ft_cmd_durations_find(&t->durs, id);

		if (t->have_durs && d) {
			t->hist.timed = 1;
			t->hist.timed_ns = d->ns;
		}
		t->hist.selected = 0;
		ft_cmd_error("nothing affected");
		return FT_EXIT_OK;
	}
	if (!one.n) {
		free(t->hist.reasons); /* not known yet: a new test */
		t->hist.reasons = strdup("{\"new\":1}");
	}
	return -1;
}

/* --failed-first: where the runner lets ftrace order them, the tests
 * that failed last time run first (cli/test_first.c).  Only the order:
 * any trouble is said, and the run goes on in the runner's order. */
void ft_cmd_test_failed_first(struct test *t)
{
	char why[512];
	size_t n;
	int rc = ft_cmd_first_plan(t->runner, t->cmd, t->p.sel, t->p.state_dir, t->first,
				   sizeof(t->first), &t->first_sel, &n, why, sizeof(why));

	if (rc < 0)
		ft_cmd_error("test: --failed-first: cannot order the tests (%s): the runner's "
			     "order stands", ft_strerror(rc));
	else if (rc == FT_FIRST_OWN || rc == FT_FIRST_CANNOT)
		ft_cmd_error("test: --failed-first: %s", why);
	else if (rc == FT_FIRST_ORDERED && !t->quiet)
		fprintf(stderr, "ftrace: %zu test%s that failed last time run%s first\n", n,
			n == 1 ? "" : "s", n == 1 ? "s" : "");
}
