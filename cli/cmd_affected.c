/*
 * cmd_affected.c - `ftrace affected`: print the tests a change can affect.
 *
 * The contract with scripts is the exit status: 0 means the set printed is
 * complete (it may be empty: nothing is affected); FT_EXIT_UNKNOWN (2) means
 * ftrace cannot tell, and then stdout stays empty unless --on-unknown=all
 * asked for every known test.  An empty stdout with status 2 must never be
 * read as "nothing affected": `ftrace affected | xargs pytest` would then
 * run... everything, because xargs runs pytest once with no arguments.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "affected.h"
#include "watch_use.h"
#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_pyfunc.h"
#include "ft_pytest_args.h"
#include "ft_select.h"
#include "ft_store.h"

static int unknown(const struct opts *o, struct ft_pipeline *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "Cannot tell": the reason, then nothing or (--on-unknown=all) every
 * known test of a database that is this tree's and sound. */
static int unknown(const struct opts *o, struct ft_pipeline *p, const char *fmt, ...)
{
	struct ft_selection *all = NULL;
	va_list ap;

	fputs("ftrace: affected: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nftrace: affected: cannot tell which tests are affected: run all tests", stderr);
	if (!o->on_unknown_all)
		fputs(" (or pass --on-unknown=all to print every known test)", stderr);
	fputc('\n', stderr);
	if (o->on_unknown_all && p && ft_pipeline_everything(p, &all) == 0) {
		struct opts po = { .fmt = o->fmt, .row = o->row };
		struct ft_pytest_arg *args = NULL;
		size_t nargs = 0;
		if (o->cfg && ft_pipeline_add_always_run(all, o->cfg) < 0)
			fputs("ftrace: affected: out of memory adding always_run tests\n", stderr);
		/* whole modules where it can (their new tests too), else ids */
		char here[PATH_MAX];
		if (affected_wants_pytest_args(&po) &&
		    ft_pytest_args_from(p->st, all, getcwd(here, sizeof(here)), &args, &nargs) < 0)
			args = NULL;
		affected_print_tests(all, &po, 0, args, nargs);
		ft_pytest_args_free(args, nargs);
		ft_selection_free(all);
	} else if (o->fmt == FMT_JSON && o->on_unknown_all) {
		affected_print_json(NULL, 0, NULL, 0);
	}
	fflush(stdout);
	return FT_EXIT_UNKNOWN;
}

/* The database did not open: say what the user can do about it. */
static int open_error(const struct opts *o, const struct ft_pipeline *p)
{
	const char *db = p->db;
	char buf[640 + 3 * 4200];
	int rc = p->err.code;

	switch (rc) {
	case FT_ENORECORD:
		/* an empty file: a first run is creating it, or saved nothing */
		if (access(db, F_OK) == 0)
			return unknown(o, NULL, "%s: no recording yet: %s (%s)", db, p->err.why,
				       "let a running `ftrace run` finish, or run one");
		return unknown(o, NULL, "%s: no database: nothing was recorded here (%s)", db,
			       "run `ftrace run -- <test command>` first");
	case FT_ECORRUPT:
		/* moving aside is safe whatever the file is, deleting is not */
		snprintf(buf, sizeof(buf), "%s; move it aside (e.g. `mv %s %s.bad`) and record again "
			 "with `ftrace run`", p->err.why, db, db);
		return unknown(o, NULL, "%s: corrupt or not an ftrace database: %s", db, buf);
	case FT_ESCHEMA:
		snprintf(buf, sizeof(buf), "%s; upgrade ftrace, or move it aside and record again",
			 p->err.why);
		return unknown(o, NULL, "%s: written by a newer ftrace: %s", db, buf);
	case FT_EDB:
		return unknown(o, NULL, "%s: cannot read the database: %s", db, p->err.why);
	case FT_EUNSAFE:
		return unknown(o, NULL, "%s", p->err.why);
	default:
		return unknown(o, NULL, "%s: cannot open the database: %s%s", db, ft_strerror(rc),
			       rc == -EACCES || rc == -EPERM
			       ? " (check that you may read it; ftrace only reads it here)" : "");
	}
}

/* The pipeline failed at p->step: `affected`'s words for it, and its exit
 * status (cannot tell, or an internal error). */
static int pipeline_error(const struct opts *o, struct ft_pipeline *p)
{
	const char *db = p->db;

	switch (p->step) {
	case FT_PIPE_STATEDIR:
		return unknown(o, p, "cannot find the state directory: %s", p->err.why);
	case FT_PIPE_NOSTATEDIR:
		if (p->err.code == -ENOENT)
			return unknown(o, p, "%s: no state directory: nothing was recorded here (%s)",
				       p->state_dir, "run `ftrace run -- <test command>` first, or set FTRACE_DIR");
		return unknown(o, p, "%s: cannot read the state directory: %s", p->state_dir, p->err.why);
	case FT_PIPE_NOTDIR:
	case FT_PIPE_TRUST:
	case FT_PIPE_NEWS:
		return unknown(o, p, "%s", p->err.why);
	case FT_PIPE_OPEN:
		return open_error(o, p);
	case FT_PIPE_SELECT:
		return unknown(o, p, "%s: selection failed: %s%s", db, p->err.why,
			       p->corrupt ? "; nothing was written into it: move it away and record "
			       "again with `ftrace run`" : "");
	case FT_PIPE_NOTESTS:
		return unknown(o, p, "%s: the recording holds no tests%s", db,
			       "; run `ftrace run -- <test command>` over the whole suite");
	case FT_PIPE_INCOMPLETE:
		return unknown(o, p, "%s: %s", db, p->sel->incomplete_why);
	case FT_PIPE_STATE:
	case FT_PIPE_FLAKY:
	case FT_PIPE_ALWAYS_RUN:
		ft_cmd_error("affected: %s", ft_strerror(p->err.code));
		return FT_EXIT_SOFTWARE;
	default: /* FT_PIPE_REPO */
		return unknown(o, p, "%s: %s", db, p->err.why);
	}
}

/* .ftrace.json (its always_run: a file we cannot read must not quietly
 * drop tests from the set) and the granularity it implies.  -1 to go on,
 * else the exit status. */
static int load_config(struct opts *o, struct ft_config *cfg)
{
	struct ft_err err;
	int rc;

	if ((rc = ft_config_find_load(cfg, &err)) < 0) {
		if (rc == FT_EUNSAFE)
			return unknown(o, NULL, "%s", ft_err_msg(&err));
		ft_cmd_error("affected: %s", ft_err_msg(&err));
		return rc == FT_ECONFIG ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	o->cfg = cfg;
	/* the project's granularity, unless --granularity chose */
	if (o->funcs == -1 && (o->funcs = ft_cmd_granularity_default(cfg->granularity)) < 0)
		return FT_EXIT_USAGE;
	return -1;
}

/* Select: the pipeline with the Python filters and the new tests of the
 * runner(s) the format speaks for.  0, or the pipeline's failure.  `po`
 * and `filters` must outlive `p`. */
static int select_tests(const struct opts *o, struct ft_pipeline *p, struct ft_pipeline_opts *po,
			struct ft_select_filter *filters)
{
	int rc;

	*po = (struct ft_pipeline_opts){
		.db = o->db, .cfg = o->cfg, .filters = filters,
		.nfilters = ft_cmd_filters(filters, o->funcs,
					   o->explain ? &affected_pyfunc_notes : NULL),
		.note = ft_cmd_note, .note_arg = "affected", .lock_wait = ft_cmd_lock_wait,
		.news = o->fmt == FMT_RUNNER ? FT_PIPELINE_NEWS_ROW : FT_PIPELINE_NEWS_RECORDED,
		.row = o->row,
		.narrow = ft_cmd_watch_use(&affected_watch, p, "affected", o->no_watch),
	};
	if ((rc = ft_pipeline_open(p, po)) < 0)
		return rc;
	return ft_pipeline_run(p);
}

/* The changed conftest.py files (any change of a file state at a path
 * whose base name is conftest.py), borrowed from the selection: *out is
 * malloc'd.  0 or -ENOMEM. */
static int changed_conftests(const struct ft_selection *sel, const char ***out, size_t *n)
{
	size_t total = ft_select_nchanged(sel);

	*out = NULL;
	*n = 0;
	if (!total)
		return 0;
	if (!(*out = calloc(total, sizeof(**out))))
		return -ENOMEM;
	for (size_t i = 0; i < total; i++) {
		struct ft_reason c = ft_select_changed(sel, i);
		const char *b = c.path ? strrchr(c.path, '/') : NULL;
		int seen = 0;

		if (!b || strcmp(b + 1, "conftest.py") || ft_dep_base(c.kind) == FT_DEP_ENV)
			continue;
		for (size_t k = 0; !seen && k < *n; k++)
			seen = !strcmp((*out)[k], c.path);
		if (!seen)
			(*out)[(*n)++] = c.path;
	}
	return 0;
}

/* Print the complete selection in the chosen format, once the format can
 * say it (a runner's syntax) and pytest's modules are known. */
static int print_selection(struct opts *o, struct ft_pipeline *p)
{
	struct ft_pytest_arg *args = NULL;
	size_t nargs = 0;
	struct ft_err err;
	char *text = NULL;
	char here[PATH_MAX];   /* where pytest will start: its arguments are from there */
	int rc;

	if (o->shard_n && (rc = affected_shard(p->st, p->sel, o->shard_k, o->shard_n)) < 0) {
		ft_store_err_db(p->st, rc, &err);
		return unknown(o, p, "%s: reading the recorded costs for --shard: %s", p->db,
			       ft_err_msg(&err));
	}
	if (o->fmt == FMT_RUNNER) {
		/* can the selection be said in the runner's syntax? */
		rc = affected_runner_text(o, p->sel, &text, &err);
		free(text);
		if (rc < 0)
			return unknown(o, p, "%s", rc == FT_EFORMAT ? ft_err_msg(&err) : ft_strerror(rc));
	}
	if (affected_checks_pytest_dirs(o)) {
		const char **conftests = NULL;
		size_t nconf = 0;
		int whole = 0;

		if ((rc = changed_conftests(p->sel, &conftests, &nconf)) == 0)
			rc = ft_pytest_args_dirs(p->st, p->sel, getcwd(here, sizeof(here)), conftests,
						 nconf, &args, &nargs, &whole);
		free(conftests);
		if (rc < 0) {
			if (rc == FT_EDB)
				ft_store_err(p->st, rc, &err);
			else
				ft_err_set(&err, rc, NULL);
			return unknown(o, p, "%s: reading the recorded pytest tests: %s", p->db,
				       ft_err_msg(&err));
		}
		if (whole) {
			ft_pytest_args_free(args, nargs);
			return unknown(o, p, "%s: a conftest.py changed where every recorded test below "
				       "it is selected, at or above pytest's rootdir: it may now collect "
				       "tests that no run recorded, which cannot be named; run the whole "
				       "suite, and record it", p->db);
		}
	}
	o->here = &p->here;
	/* the note is words only: a failed read gives none, and changes
	 * nothing of the selection */
	if ((o->explain || o->fmt == FMT_JSON) && p->top[0] == '/')
		affected_elsewhere_load(p->st, p->top);
	affected_print_tests(p->sel, o, 1, args, nargs);
	affected_elsewhere_release();
	ft_pytest_args_free(args, nargs);
	return FT_EXIT_OK;
}

struct ft_cmd_watch_use affected_watch;

static int affected_main(int argc, char **argv, struct ft_config *cfg)
{
	struct opts o = { .funcs = -1 };
	struct ft_select_filter filters[FT_CMD_NFILTERS];
	struct ft_pipeline_opts po;
	struct ft_pipeline p = { 0 };
	int status;

	if ((status = affected_parse(argc, argv, &o)) >= 0)
		return status;
	if ((status = load_config(&o, cfg)) >= 0)
		return status;
	if (select_tests(&o, &p, &po, filters) < 0)
		status = pipeline_error(&o, &p);
	else
		status = print_selection(&o, &p);
	if (fflush(stdout) != 0 && status == FT_EXIT_OK) {
		ft_cmd_error("affected: writing the output failed: %s", strerror(errno));
		status = FT_EXIT_SOFTWARE;
	}
	/* Make the next call faster.  Never waits for a writer and never
	 * changes the result: a read-only or locked database keeps its cache.
	 * A corrupt one gets nothing written into it. */
	ft_pipeline_release(&p);
	ft_pyfunc_notes_release(&affected_pyfunc_notes);
	return status;
}

int ft_cmd_affected(int argc, char **argv)
{
	struct ft_config cfg = { 0 };
	int status = affected_main(argc, argv, &cfg);

	ft_config_release(&cfg);
	return status;
}
