/*
 * pipeline_news.c - the pipeline's new-test step (ft_pipeline.h,
 * enum ft_pipeline_news): the tests a runner has that the database does
 * not hold yet join the selection.
 *
 * For a format that names one runner (`affected --format NAME`) that
 * runner is asked where the command runs (its row's list_here); otherwise
 * every runner the recording used is asked where the recording used it
 * (the runs' runner lists, runners/ft_runlists.h, each row's
 * list_recorded; docs/runners.md lists how each runner is asked).  A
 * runner that cannot be asked is "cannot tell" (FT_PIPE_NEWS, the reason
 * in p->err.why), never a smaller set: a new test has no dependencies, so no
 * changed file could select it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_pipeline_int.h"
#include "ft_runlists.h"
#include "ft_select.h"
#include "ft_store.h"

/* The news step's messages keep the 1 KiB bound they always had (struct
 * ft_runner_here's why). */
#define NEWS_WHY 1024

/* The names the lists of one runner that lists every test gave
 * (ft_runner_ops.lists_every_test): pointers into p->files or p->here. */
struct listed {
	const char *runner;
	char **v;
	size_t n;
};

struct every {
	struct listed *v;
	size_t n;
};

static int every_add(struct every *ev, const char *runner, char *const *names, size_t n)
{
	struct listed *l = NULL;
	char **v;

	for (size_t i = 0; i < ev->n && !l; i++)
		if (!strcmp(ev->v[i].runner, runner))
			l = &ev->v[i];
	if (!l) {
		if (!(l = realloc(ev->v, (ev->n + 1) * sizeof(*l))))
			return -ENOMEM;
		ev->v = l;
		l = &ev->v[ev->n++];
		*l = (struct listed){ runner, NULL, 0 };
	}
	if (!n)
		return 0;
	if (!(v = realloc(l->v, (l->n + n) * sizeof(*v))))
		return -ENOMEM;
	memcpy(v + l->n, names, n * sizeof(*v));
	l->v = v;
	l->n += n;
	return 0;
}

static void every_free(struct every *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		free(ev->v[i].v);
	free(ev->v);
}

/* The tests of every runner the recordings used, into p->files; those of
 * a runner that lists every test also into ev. */
static int news_recorded(struct ft_pipeline *p, struct every *ev)
{
	struct ft_runlist *v;
	size_t nv;
	int rc;

	if ((rc = ft_runlists_load(p->st, &v, &nv)) < 0) {
		struct ft_err se;

		ft_store_err_db(p->st, rc, &se);
		snprintf(p->err.why, NEWS_WHY, "cannot read which runners recorded the tests: %s",
			 ft_err_msg(&se));
		return rc;
	}
	for (size_t i = 0; i < nv && rc >= 0; i++) {
		const struct ft_runner_ops *row = ft_runners_by_name(v[i].runner);
		size_t from = p->files.n;

		rc = ft_runners_list_recorded(&v[i], ft_pipeline_top, &p->files, &p->err);
		if (rc >= 0 && row && row->lists_every_test &&
		    (rc = every_add(ev, row->name, p->files.v + from, p->files.n - from)) < 0)
			snprintf(p->err.why, NEWS_WHY, "cannot list the %s tests: %s", row->name,
				 ft_strerror(rc));
	}
	p->err.why[NEWS_WHY - 1] = '\0';
	ft_runlists_free(v, nv);
	return rc;
}

/* The tests the runner has: the row's list here, else those of every
 * runner the recording used.  (names, n) point into `p`, and so do ev's. */
static int runner_tests(struct ft_pipeline *p, char ***names, size_t *nn, struct every *ev)
{
	const struct ft_runner_ops *row = p->opts->row;
	int rc;

	if (p->opts->news == FT_PIPELINE_NEWS_ROW) {
		if ((rc = row->list_here(&p->here)) < 0) {
			snprintf(p->err.why, NEWS_WHY, "%s", p->here.why);
			return rc;
		}
		*names = p->here.tests.v;
		*nn = p->here.tests.n;
		if (row->lists_every_test && (rc = every_add(ev, row->name, *names, *nn)) < 0)
			snprintf(p->err.why, NEWS_WHY, "cannot list the %s tests: %s", row->name,
				 ft_strerror(rc));
		return rc;
	}
	if ((rc = news_recorded(p, ev)) < 0)
		return rc;
	*names = p->files.v;
	*nn = p->files.n;
	return 0;
}

/* A recorded test of a runner that lists every test, which its lists name
 * nowhere now (a ctest add_test removed, an entry gone from Automake's
 * TESTS), cannot run, and its files differ from its recording (the
 * CTestTestfile.cmake, the Makefile at least): left out, with a note. */
static int drop_removed(struct ft_pipeline *p, const struct listed *l)
{
	const char *first;
	size_t dropped;
	char msg[600];
	int rc = ft_select_drop_unlisted(p->sel, l->runner, l->v, l->n, &dropped, &first);

	if (rc < 0) {
		snprintf(p->err.why, NEWS_WHY, "cannot leave out removed %s tests: %s", l->runner,
			 ft_strerror(rc));
		return rc;
	}
	if (dropped && p->opts->note) {
		snprintf(msg, sizeof(msg), "left out %zu recorded %s test%s that %s does not "
			 "list (removed from the build): %.300s%s", dropped, l->runner,
			 dropped == 1 ? "" : "s", l->runner, first, dropped > 1 ? " and others" : "");
		p->opts->note(p->opts->note_arg, msg);
	}
	return 0;
}

/* Add the runner's tests the database does not hold to p->sel (new), and
 * let the row check the selection against its list (go: packages only,
 * removed ones left out); leave out the removed tests of runners that
 * list every test. */
static int add_new_tests(struct ft_pipeline *p)
{
	const struct ft_runner_ops *row = p->opts->news == FT_PIPELINE_NEWS_ROW ? p->opts->row : NULL;
	struct every ev = { 0 };
	char **names = NULL;
	size_t nn = 0;
	int rc;

	if ((rc = runner_tests(p, &names, &nn, &ev)) < 0 || (!row && !nn)) {
		every_free(&ev);
		return rc;
	}
	rc = ft_select_all(p->st, &p->all);
	if (rc >= 0)
		rc = ft_format_add_new(p->sel, p->all, names, nn);
	if (rc < 0)
		snprintf(p->err.why, NEWS_WHY, "cannot add new tests: %s", ft_strerror(rc));
	if (rc >= 0 && row && row->check && (rc = row->check(p->sel, &p->here)) < 0)
		snprintf(p->err.why, NEWS_WHY, "%s", p->here.why);
	for (size_t i = 0; i < ev.n && rc >= 0; i++)
		rc = drop_removed(p, &ev.v[i]);
	every_free(&ev);
	return rc;
}

int ft__pipeline_news(struct ft_pipeline *p)
{
	int rc = add_new_tests(p);

	if (rc < 0) {
		p->step = FT_PIPE_NEWS;
		p->err.code = rc;
	}
	return rc;
}
