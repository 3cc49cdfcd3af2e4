/*
 * pipeline_options.c - the pipeline's options step (ft_pipeline.h,
 * opts.cmd): for `ftrace test CMD`, the known tests of CMD's runner that
 * a command line with other options recorded join the selection.
 *
 * A recording answers for the command that made it.  `go test -race`,
 * `-tags integration`, `cargo test --release` or `--features x` build
 * other code from the same files: a test can fail under them and pass
 * without, and nothing that a file's state says would select it.  So each
 * known test of the row is compared by the options of the command lines
 * that recorded it (the run's runner entries, store/ft_store_runmeta.h,
 * through the row's config, runners/ft_runners.h) with CMD's:
 *  - a run whose every entry of the row has CMD's options answers for it;
 *  - a run with an entry whose options differ, or with no entry of the row
 *    at all (its options are not known), does not: its tests are selected,
 *    with the reason FT_CHANGE_OPTIONS.
 * Once they have run, they are recorded with CMD's options, and the next
 * `ftrace test` with the same options narrows again.  Alternating between
 * two sets of options runs everything each time: one state directory per
 * configuration avoids that (docs/hooks.md, "Options").
 *
 * jest's files are tests of runner "env" (its adapter names them through
 * FTRACE_TEST_ID): such a test is the row's when its run has an entry of
 * the row.
 *
 * A shell line (.ftrace.json's command as a string) is not read: its
 * runner does not narrow it, so everything runs anyway.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_pipeline_int.h"
#include "ft_runners.h"
#include "ft_select.h"
#include "ft_store.h"
#include "ft_store_runmeta.h"

struct run_opts {
	int64_t run_id;
	int differs;
};

struct opts_walk {
	const struct ft_runner_ops *row;
	const char *now;
	struct run_opts *v;
	size_t n, cap;
	char *example;        /* the first recorded options that differ */
};

static int each_run(void *arg, const struct ft_runmeta *m)
{
	struct opts_walk *w = arg;
	int seen = 0, differs = 0, rc = 0;

	for (size_t i = 0; i < m->nrunners && rc >= 0; i++) {
		const struct ft_runmeta_runner *r = &m->runners[i];
		char **argv, *cfg = NULL;

		if (!r->runner || strcmp(r->runner, w->row->name))
			continue;
		if (!(argv = calloc(r->args.n + 1, sizeof(*argv))))
			return -ENOMEM;
		for (size_t k = 0; k < r->args.n; k++)
			argv[k] = r->args.v[k];
		rc = w->row->config(argv, 0, &cfg);
		free(argv);
		if (rc < 0)
			return rc;
		seen = 1;
		if (strcmp(cfg, w->now)) {
			differs = 1;
			if (!w->example) {
				w->example = cfg;
				cfg = NULL;
			}
		}
		free(cfg);
	}
	if (!seen)
		return 0;
	if (w->n == w->cap) {
		struct run_opts *nv = realloc(w->v, (w->cap = w->cap ? 2 * w->cap : 16) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		w->v = nv;
	}
	w->v[w->n++] = (struct run_opts){ m->run_id, differs };
	return 0;
}

static int run_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct run_opts *)a)->run_id, y = ((const struct run_opts *)b)->run_id;

	return (x > y) - (x < y);
}

/* A test of the row (its runner is the row's name; jest's adapter names
 * its files through FTRACE_TEST_ID, runner "env": such a test of a run
 * with an entry of the row is the row's too). */
static int want(void *arg, const char *runner, int64_t run_id)
{
	const struct opts_walk *w = arg;
	struct run_opts key = { run_id, 0 }, *r;

	r = w->n ? bsearch(&key, w->v, w->n, sizeof(*w->v), run_cmp) : NULL;
	if (!strcmp(runner, w->row->name))
		return !r || r->differs; /* no entry: its options are not known */
	return !strcmp(runner, "env") && r && r->differs;
}

/* options text (one per line) as one line: "-race=true -tags=x", or "none" */
static void one_line(const char *text, char *out, size_t cap)
{
	snprintf(out, cap, "%s", text && *text ? text : "none");
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = c[1] ? ' ' : '\0';
}

int ft__pipeline_options(struct ft_pipeline *p)
{
	const struct ft_pipeline_opts *o = p->opts;
	struct opts_walk w = { o->cmd_row, NULL, NULL, 0, 0, NULL };
	char *now = NULL, was[256], is[256], msg[700];
	size_t added = 0;
	int rc;

	if (o->cmd_shell)
		return 0;
	if ((rc = o->cmd_row->config(o->cmd, 1, &now)) < 0)
		return ft__pipeline_fail(p, FT_PIPE_OPTIONS, rc, ft_strerror(rc));
	w.now = now;
	if (!strcmp(now, "?")) {
		free(now); /* not a command line the row reads: it runs as given */
		return 0;
	}
	if ((rc = ft_store_runmeta_each(p->st, each_run, &w)) >= 0) {
		qsort(w.v, w.n, sizeof(*w.v), run_cmp);
		rc = ft_select_add_options(p->sel, want, &w, &added);
	}
	if (rc >= 0 && added && o->note) {
		one_line(w.example, was, sizeof(was));
		one_line(now, is, sizeof(is));
		snprintf(msg, sizeof(msg), "%zu test%s recorded with other %s options run%s too "
			 "(recorded: %s; this command: %s)", added, added == 1 ? "" : "s",
			 o->cmd_row->name, added == 1 ? "s" : "", w.example ? was : "not known", is);
		o->note(o->note_arg, msg);
	}
	free(now);
	free(w.example);
	free(w.v);
	if (rc < 0) {
		struct ft_err se;

		p->corrupt = rc == FT_ECORRUPT;
		ft_store_err_db(p->st, rc, &se);
		snprintf(msg, sizeof(msg), "cannot read the options the tests were recorded with: %s",
			 ft_err_msg(&se));
		return ft__pipeline_fail(p, FT_PIPE_OPTIONS, rc, msg);
	}
	return 0;
}
