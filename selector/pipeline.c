/*
 * pipeline.c - the selection pipeline (ft_pipeline.h): the open steps,
 * the run steps, and release.  The new-test step is pipeline_news.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_pipeline_int.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_trust.h"

int ft__pipeline_fail(struct ft_pipeline *p, enum ft_pipeline_step step, int code, const char *why)
{
	p->step = step;
	if (why == p->err.why) { /* a step wrote it in place */
		p->err.code = code;
		return code;
	}
	return ft_err_set(&p->err, code, "%s", why ? why : "");
}

/* A store call failed at `step`: p->err takes the store's own reason for
 * the database's failures, else the code's message (the commands read
 * p->err.why as the detail). */
static int store_fail(struct ft_pipeline *p, enum ft_pipeline_step step, int rc)
{
	ft_store_err_db(p->st, rc, &p->err);
	return ft__pipeline_fail(p, step, rc, ft_err_msg(&p->err));
}

void ft_pipeline_top(char *out, size_t cap)
{
	char dir[PATH_MAX];

	if (ft_statedir_find(dir, sizeof(dir)) >= 0 && ft_statedir_top(dir, out, cap) == 0)
		return;
	if (!getcwd(out, cap))
		snprintf(out, cap, "/");
}

/* <state dir>/ftrace.db, when it is a directory this user may trust.  A
 * state dir that is missing says nothing was recorded here: `affected`
 * never creates one. */
static int open_statedir(struct ft_pipeline *p, int found)
{
	struct ft_err *e = &p->err;
	struct stat sb;
	int rc;

	if (found < 0)
		return ft__pipeline_fail(p, FT_PIPE_STATEDIR, found, ft_strerror(found));
	if (stat(p->state_dir, &sb) < 0)
		return ft__pipeline_fail(p, FT_PIPE_NOSTATEDIR, -errno, strerror(errno));
	if (ft_statedir_notdir(p->state_dir, e))
		return ft__pipeline_fail(p, FT_PIPE_NOTDIR, -ENOTDIR, e->why);
	if ((rc = ft_trust_check(p->state_dir, "state directory", e)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_TRUST, rc, rc == FT_EUNSAFE ? e->why : ft_strerror(rc));
	snprintf(p->db, sizeof(p->db), "%s/%s", p->state_dir, FT_STORE_FILE);
	return 0;
}

/* The database must be this tree's (ft_store_repo.h), also with an
 * explicit one; one given outside any repository: the recorded tree must
 * still be itself. */
static int check_repo(struct ft_pipeline *p, int found)
{
	struct ft_err *e = &p->err;
	int rc;

	if (p->opts->db && !ft_statedir_in_repo())
		rc = ft_store_repo_check(p->st, NULL, 0, e);
	else if ((rc = found) >= 0 &&
		 (rc = ft_statedir_top(p->state_dir, p->top, sizeof(p->top))) >= 0)
		rc = ft_store_repo_check(p->st, p->top, 0, e);
	if (rc == FT_EREPO)
		return ft__pipeline_fail(p, FT_PIPE_REPO, rc, e->why);
	if (rc < 0)
		return store_fail(p, FT_PIPE_REPO, rc);
	p->trusted = 1;
	return 0;
}

int ft_pipeline_open(struct ft_pipeline *p, const struct ft_pipeline_opts *opts)
{
	int rc, found;

	p->opts = opts;
	/* a failed lookup fails only the steps that need the state dir */
	if ((found = ft_statedir_find(p->state_dir, sizeof(p->state_dir))) < 0)
		p->state_dir[0] = '\0';
	ft_pipeline_top(p->top, sizeof(p->top));
	p->here.top = p->top;
	if (opts->db)
		snprintf(p->db, sizeof(p->db), "%s", opts->db);
	else if ((rc = open_statedir(p, found)) < 0)
		return rc;
	if (opts->lock_wait)
		opts->lock_wait(0);
	if ((rc = ft_store_open(&p->st, p->db, 0)) < 0) {
		p->st = NULL;
		ft_store_err(NULL, rc, &p->err);
		return ft__pipeline_fail(p, FT_PIPE_OPEN, rc, p->err.why);
	}
	if ((rc = check_repo(p, found)) < 0)
		return rc;
	if ((rc = ft_state_new(&p->state, p->st)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_STATE, rc, ft_strerror(rc));
	return ft_err_set(&p->err, 0, NULL);
}

/* Each filter over the file-level selection, in order; a failing one
 * leaves the set as it was (its contract), so the chain goes on.  But a
 * filter that read a corrupt row (FT_ECORRUPT: rows checked as they are
 * read, store/ft_store_ck.c) fails the selection as ft_store_verify does:
 * no answer, not even every test, and nothing written. */
static int run_filters(struct ft_pipeline *p)
{
	const struct ft_pipeline_opts *o = p->opts;
	struct ft_err note;

	for (size_t i = 0; i < o->nfilters; i++) {
		int rc;
		ft_err_set(&note, 0, NULL);
		rc = o->filters[i].apply(o->filters[i].arg, p->st, p->sel, &note);
		if (rc == FT_ECORRUPT) {
			p->corrupt = 1;
			return store_fail(p, FT_PIPE_SELECT, rc);
		}
		if (note.why[0] && o->note)
			o->note(o->note_arg, note.why);
	}
	return 0;
}

int ft_pipeline_run(struct ft_pipeline *p)
{
	const struct ft_pipeline_opts *o = p->opts;
	int rc;

	if ((rc = ft_select_run_narrowed(p->st, p->state, o->narrow, &p->sel)) < 0) {
		p->corrupt = rc == FT_ECORRUPT;
		return store_fail(p, FT_PIPE_SELECT, rc);
	}
	if ((rc = run_filters(p)) < 0)
		return rc;
	if (p->sel->known == 0)
		return ft__pipeline_fail(p, FT_PIPE_NOTESTS, FT_ENORECORD, "the recording holds no tests");
	if (!p->sel->complete)
		return ft__pipeline_fail(p, FT_PIPE_INCOMPLETE, FT_EUNKNOWN, p->sel->incomplete_why);
	/* after the filters: a flaky test is selected whatever they prove */
	if (ft_config_flaky_select(o->cfg) && (rc = ft_select_add_flaky(p->sel)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_FLAKY, rc, ft_strerror(rc));
	if (o->cfg && (rc = ft_pipeline_add_always_run(p->sel, o->cfg)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_ALWAYS_RUN, rc, ft_strerror(rc));
	if (o->cmd && o->cmd_row && o->cmd_row->config && (rc = ft__pipeline_options(p)) < 0)
		return rc;
	if (o->news != FT_PIPELINE_NEWS_NONE && (rc = ft__pipeline_news(p)) < 0)
		return rc;
	if (o->want_all && !p->all && (rc = ft_select_all(p->st, &p->all)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_ALL, rc, ft_strerror(rc));
	return 0;
}

int ft_pipeline_everything(struct ft_pipeline *p, struct ft_selection **out)
{
	if (!p->st || !p->trusted || p->corrupt)
		return FT_EUNKNOWN;
	return ft_select_all(p->st, out);
}

void ft_pipeline_release(struct ft_pipeline *p)
{
	if (p->st) {
		ft_store_busy_timeout(p->st, 0);
		if (p->state && !p->corrupt)
			(void)ft_state_flush(p->state);
	}
	ft_selection_free(p->sel);
	ft_selection_free(p->all);
	ft_state_free(p->state);
	if (p->st)
		ft_store_close(p->st);
	ft_runner_names_release(&p->here.tests);
	ft_runner_names_release(&p->here.targets);
	ft_runner_names_release(&p->here.specs);
	ft_runner_names_release(&p->here.gone);
	ft_runner_names_release(&p->files);
	p->st = NULL;
	p->state = NULL;
	p->sel = p->all = NULL;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

int ft_pipeline_has(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };

	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

static const struct ft_reason always_reason = { NULL, 0, FT_CHANGE_ALWAYS_RUN, 0 };

/* sel->tests comes from calloc (ft_selection_free frees it), so it may be
 * grown with realloc. */
int ft_pipeline_add_always_run(struct ft_selection *sel, const struct ft_config *cfg)
{
	struct ft_selected *t;
	size_t n = sel->n;

	if (!cfg->nalways_run)
		return 0;
	t = realloc(sel->tests, (sel->n + cfg->nalways_run + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	sel->tests = t;
	for (size_t i = 0; i < cfg->nalways_run; i++) {
		int dup = ft_pipeline_has(sel, cfg->always_run[i]);
		for (size_t k = sel->n; k < n && !dup; k++)
			dup = !strcmp(t[k].id, cfg->always_run[i]);
		if (!dup)
			t[n++] = (struct ft_selected){ cfg->always_run[i], &always_reason, 1, 0 };
	}
	sel->n = n;
	qsort(sel->tests, sel->n, sizeof(*t), id_cmp);
	return 0;
}
