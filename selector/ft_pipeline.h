/*
 * ft_pipeline.h - the selection pipeline of `ftrace affected` and `ftrace
 * test`, once: from a state directory to a complete selection.
 *
 * The steps, in order (each names the step that failed in p->step):
 *
 *   open:  find the state dir, check it is a directory this user may
 *          trust (ft_trust.h), open its database read-only (or opts->db),
 *          check the database is this tree's (ft_store_repo.h), and start
 *          observing the tree (ft_state_new);
 *   run:   select by file (ft_select_run); run the filter chain
 *          (opts->filters, below); check the recording holds tests and the
 *          selection is complete; add the known flaky tests (unless
 *          .ftrace.json's "flaky" "select" is false: ft_select_add_flaky)
 *          and .ftrace.json's always_run tests; then
 *          the runners' new tests (opts->news) and/or every known test
 *          (opts->want_all).
 *
 * The one promise (shared/DESIGN.md): an error never shrinks the set.
 * Every failure is a negative FT_E* / -errno code from open or run, with
 * the step in p->step and the code and human detail in p->err (struct
 * ft_err, ft_error.h; see each step below); the caller then runs
 * everything ("cannot tell") or stops.  The pipeline never prints and
 * never exits: the wording around p->err.why, the exit status and
 * --on-unknown are the command's (cli/).
 *
 * Filters (the seam between file-level selection and finer rules, e.g.
 * Python function granularity, which cli/ registers): each runs over the
 * file-level selection while the database is open, in the order given.  A
 * filter may only remove what it proves unaffected; on any trouble it
 * leaves the set as it is (a superset is always sound).  It returns 0 or
 * a negative code, and fills `note` (ft_err_set) when the user should
 * know why it gave up: the pipeline hands each note's text, as it arises,
 * to opts->note and goes on with the set the filter left.
 *
 * Ownership: struct ft_pipeline is the caller's (zero it, or declare it
 * `= { 0 }`); everything it points to is the pipeline's until
 * ft_pipeline_release(), which is safe after any failure and twice.
 * opts, and the config and filters it points to, must outlive the
 * pipeline.  Not thread-safe.
 */
#ifndef FT_PIPELINE_H
#define FT_PIPELINE_H

#include <limits.h>
#include <stddef.h>

#include "ft_error.h"
#include "ft_runners.h"

struct ft_config;
struct ft_selection;
struct ft_state;
struct ft_store;
struct ft_select_narrow;

/* A filter over the file-level selection: on failure it leaves `sel` a
 * superset of its answer (or incomplete) and says why in `note`; the
 * pipeline goes on, except on FT_ECORRUPT (a database row it read is
 * corrupt: st's errmsg says which), which fails the selection. */
struct ft_select_filter {
	const char *name;
	int (*apply)(void *arg, struct ft_store *st, struct ft_selection *sel, struct ft_err *note);
	void *arg;
};

/* Which new tests (tests the runner has and the database does not) to
 * add to the selection: a new test has no dependencies, so no changed file
 * can select it; only its runner knows it exists. */
enum ft_pipeline_news {
	FT_PIPELINE_NEWS_NONE,      /* none (`ftrace test`: the runner's narrow adds them) */
	FT_PIPELINE_NEWS_RECORDED,  /* every runner the recording used, asked where it
				     * was used (ft_runners_list_recorded) */
	FT_PIPELINE_NEWS_ROW,       /* opts->row, asked here (its list_here), and its
				     * check over the result (go: gone packages) */
};

struct ft_pipeline_opts {
	const char *db;                 /* this database, not <state dir>/ftrace.db: the
					 * state dir is then neither checked nor needed */
	const struct ft_config *cfg;    /* always_run, flaky; NULL: none, the defaults */
	const struct ft_select_filter *filters;
	size_t nfilters;
	void (*note)(void *arg, const char *msg); /* a filter's note; NULL: dropped */
	void *note_arg;
	void (*lock_wait)(int writer);  /* sets the store's lock wait just before it
					 * opens (ft_store_lock_wait); NULL: as it is */
	enum ft_pipeline_news news;
	const struct ft_runner_ops *row; /* FT_PIPELINE_NEWS_ROW */
	int want_all;                   /* p->all: every known test */
	struct ft_select_narrow *narrow; /* a watch daemon's answer (ft_select.h);
					  * NULL: stat every path */
	char *const *cmd;               /* `ftrace test`'s command (cmd_shell: a
					 * shell line), run by cmd_row: the known
					 * tests of that row that a command line
					 * with other options recorded join the
					 * selection (selector/pipeline_options.c);
					 * NULL: none (`ftrace affected`) */
	int cmd_shell;
	const struct ft_runner_ops *cmd_row;
};

/* The step that failed, for the command's wording (p->err: the code and
 * the detail, "why" below). */
enum ft_pipeline_step {
	FT_PIPE_OK,
	FT_PIPE_STATEDIR,    /* ft_statedir_find failed */
	FT_PIPE_NOSTATEDIR,  /* the state dir cannot be stat'ed (-errno; -ENOENT:
			      * nothing was recorded here) */
	FT_PIPE_NOTDIR,      /* it is not a directory (why: the message) */
	FT_PIPE_TRUST,       /* it is not trusted (FT_EUNSAFE: why says whose and how) */
	FT_PIPE_OPEN,        /* the store did not open (why: ft_store_err(NULL)) */
	FT_PIPE_REPO,        /* another tree's database (FT_EREPO: why), or the check
			      * failed (FT_EDB, FT_ECORRUPT: why; else ft_strerror) */
	FT_PIPE_STATE,       /* ft_state_new failed (internal) */
	FT_PIPE_SELECT,      /* ft_select_run failed (why; p->corrupt for FT_ECORRUPT) */
	FT_PIPE_NOTESTS,     /* the recording holds no tests (FT_ENORECORD) */
	FT_PIPE_INCOMPLETE,  /* the selection is incomplete (FT_EUNKNOWN;
			      * p->sel->incomplete_why says why) */
	FT_PIPE_FLAKY,       /* adding the flaky tests failed (internal, -ENOMEM) */
	FT_PIPE_ALWAYS_RUN,  /* adding always_run failed (internal, -ENOMEM) */
	FT_PIPE_NEWS,        /* a runner's new tests could not be asked (why) */
	FT_PIPE_ALL,         /* every known test could not be listed */
	FT_PIPE_OPTIONS,     /* the recorded command lines could not be read (why) */
};

struct ft_pipeline {
	const struct ft_pipeline_opts *opts;
	char state_dir[PATH_MAX];       /* "" when it could not be found */
	char db[PATH_MAX + 32];         /* the database's path */
	char top[PATH_MAX];             /* the repository top, as ft_pipeline_top() */
	struct ft_store *st;
	struct ft_state *state;
	struct ft_selection *sel;       /* run: complete, filtered, always_run and news added */
	struct ft_selection *all;       /* run: every known test (want_all, or with news) */
	struct ft_runner_here here;     /* NEWS_ROW: what the row found here */
	struct ft_runner_names files;   /* NEWS_RECORDED: the recorded runners' tests */
	enum ft_pipeline_step step;
	struct ft_err err;              /* the failure: code and why */
	int corrupt;                    /* the selection found the database corrupt:
					 * nothing is written into it, nothing listed */
	int trusted;                    /* the database passed the repository check */
};

/* The open steps.  0, or a negative code with p->step and p->err. */
int ft_pipeline_open(struct ft_pipeline *p, const struct ft_pipeline_opts *opts);

/* The run steps, after a successful open.  0 with p->sel (and p->all, the
 * news as asked), or a negative code with p->step and p->err. */
int ft_pipeline_run(struct ft_pipeline *p);

/* Every known test, for "cannot tell: run all" (--on-unknown=all): only
 * from a database that passed the repository check and is not corrupt
 * (another tree's tests are not this tree's).  0 with *out
 * (ft_selection_free), else a negative code. */
int ft_pipeline_everything(struct ft_pipeline *p, struct ft_selection **out);

/* Keep the stat cache for the next call (never waiting for a writer, and
 * never into a corrupt database), then free everything. */
void ft_pipeline_release(struct ft_pipeline *p);

/* Add the config's always_run ids that `sel` lacks, each with the reason
 * FT_CHANGE_ALWAYS_RUN.  The ids point into the config, which must outlive
 * the selection's use.  0 or -ENOMEM. */
int ft_pipeline_add_always_run(struct ft_selection *sel, const struct ft_config *cfg);

/* Is `id` in `sel` (sorted by id)? */
int ft_pipeline_has(const struct ft_selection *sel, const char *id);

/* The repository top as `ftrace run` names node ids relative to it, seen
 * from the current directory: ft_statedir_top() of the state dir, else the
 * current directory, else "/".  (For ft_runners_list_recorded, which asks
 * it again from where a recorded lister runs.) */
void ft_pipeline_top(char *out, size_t cap);

#endif
