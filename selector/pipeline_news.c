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

/* The tests of every runner the recordings used, into p->files; those of
 * ctest at ctest[0..*nctest) (pointers into p->files, malloc'd). */
static int news_recorded(struct ft_pipeline *p, char ***ctest, size_t *nctest)
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
		size_t from = p->files.n;
		char **c;

		rc = ft_runners_list_recorded(&v[i], ft_pipeline_top, &p->files, &p->err);
		if (rc < 0 || strcmp(v[i].runner, "ctest") || p->files.n == from)
			continue;
		if (!(c = realloc(*ctest, (*nctest + p->files.n - from) * sizeof(*c)))) {
			rc = -ENOMEM;
			snprintf(p->err.why, NEWS_WHY, "cannot list the ctest tests: %s", ft_strerror(rc));
			break;
		}
		*ctest = c;
		for (size_t j = from; j < p->files.n; j++)
			c[(*nctest)++] = p->files.v[j];
	}
	p->err.why[NEWS_WHY - 1] = '\0';
	ft_runlists_free(v, nv);
	return rc;
}

/* The tests the runner has: the row's list here, else those of every
 * runner the recording used.  (names, n) point into `p`; (*ctest,
 * *nctest), malloc'd, to the names of ctest's lists among them, with
 * *ctest_listed set when ctest was asked. */
static int runner_tests(struct ft_pipeline *p, char ***names, size_t *nn, char ***ctest,
			size_t *nctest, int *ctest_listed)
{
	int rc;

	if (p->opts->news == FT_PIPELINE_NEWS_ROW) {
		if ((rc = p->opts->row->list_here(&p->here)) < 0) {
			snprintf(p->err.why, NEWS_WHY, "%s", p->here.why);
			return rc;
		}
		*names = p->here.tests.v;
		*nn = p->here.tests.n;
		if (!strcmp(p->opts->row->name, "ctest") && *nn) {
			if (!(*ctest = malloc(*nn * sizeof(**ctest))))
				return -ENOMEM;
			memcpy(*ctest, *names, *nn * sizeof(**ctest));
			*nctest = *nn;
			*ctest_listed = 1;
		}
		return 0;
	}
	if ((rc = news_recorded(p, ctest, nctest)) < 0)
		return rc;
	*ctest_listed = *nctest > 0;
	*names = p->files.v;
	*nn = p->files.n;
	return 0;
}

/* A recorded ctest test that ctest lists nowhere now (its add_test
 * removed) cannot run, and its files differ from its recording (the
 * CTestTestfile.cmake at least): left out, with a note. */
static int drop_removed_ctest(struct ft_pipeline *p, char **ctest, size_t nctest)
{
	const char *first;
	size_t dropped;
	char msg[600];
	int rc = ft_select_drop_unlisted(p->sel, "ctest", ctest, nctest, &dropped, &first);

	if (rc < 0) {
		snprintf(p->err.why, NEWS_WHY, "cannot leave out removed ctest tests: %s", ft_strerror(rc));
		return rc;
	}
	if (dropped && p->opts->note) {
		snprintf(msg, sizeof(msg), "left out %zu recorded ctest test%s that ctest no longer "
			 "lists (removed from the build): %.300s%s", dropped, dropped == 1 ? "" : "s",
			 first, dropped > 1 ? " and others" : "");
		p->opts->note(p->opts->note_arg, msg);
	}
	return 0;
}

/* Add the runner's tests the database does not hold to p->sel (new), and
 * let the row check the selection against its list (go: packages only,
 * removed ones left out). */
static int add_new_tests(struct ft_pipeline *p)
{
	const struct ft_runner_ops *row = p->opts->news == FT_PIPELINE_NEWS_ROW ? p->opts->row : NULL;
	char **names = NULL, **ctest = NULL;
	size_t nn = 0, nctest = 0;
	int ctest_listed = 0, rc;

	if ((rc = runner_tests(p, &names, &nn, &ctest, &nctest, &ctest_listed)) < 0) {
		free(ctest);
		return rc;
	}
	if (!row && !nn)
		return 0;
	rc = ft_select_all(p->st, &p->all);
	if (rc >= 0)
		rc = ft_format_add_new(p->sel, p->all, names, nn);
	if (rc < 0)
		snprintf(p->err.why, NEWS_WHY, "cannot add new tests: %s", ft_strerror(rc));
	if (rc >= 0 && row && row->check && (rc = row->check(p->sel, &p->here)) < 0)
		snprintf(p->err.why, NEWS_WHY, "%s", p->here.why);
	if (rc >= 0 && ctest_listed)
		rc = drop_removed_ctest(p, ctest, nctest);
	free(ctest);
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
