/*
 * ft_runners.h - the runner interface: one table row (struct
 * ft_runner_ops) per test runner ftrace knows, one file per runner
 * (runners/runner_NAME.c).  Every place that used to ask "which runner is
 * this?" loops over ft_runners[] instead; docs/adding-a-runner.md says how
 * to add one.
 *
 * A row's operations, each NULL where the runner has none:
 *
 *  recognise the command    is_image: an image's argv (at ingest, and for
 *                           `ftrace test CMD`); is_cmd: a command only
 *                           `ftrace test` sees (`npx jest`, `make check`,
 *                           `python -m pytest` behind a wrapper)
 *  its processes at ingest  name_test: the test of image i whose runner image is
 *                           r; name_self: an image that is its own runner
 *                           (Automake's driver); finish, passed, report,
 *                           after: see ft_runners_apply below
 *  the collection policy    policy: FT_POLICY_* bits (ingest/ft_ptree.h)
 *                           copied onto the runner's images
 *  what to store            meta_dir, meta_first_arg, meta_always,
 *                           meta_extra: the run's runner entries
 *                           (ft_runner_meta.h, store/ft_store_runmeta.h)
 *  list new tests           list_recorded: where a recording ran it
 *                           (default formats); list_here: where `ftrace
 *                           affected --format NAME` runs
 *  format a selection       format: `ftrace affected --format NAME` text
 *  narrow a command         narrow: `ftrace test CMD` (ft_runner_argv.h)
 *  its listings' readers    readers: what a change of a listing (or entry
 *                           stat) only one of its processes' contexts read
 *                           means (ft_reader.h), NULL-terminated
 *
 * Rows are constant; a row's per-run ingest state is a void * it allocates
 * itself (name, finish) and frees in release.  Table order matters only for
 * recognition: the first row whose is_image (then is_cmd) says yes wins.
 *
 * Errors: negative FT_E* / -errno; the "why" buffers say it in words where
 * the operation names them.  Nothing here prints.
 */
#ifndef FT_RUNNERS_H
#define FT_RUNNERS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "ft_error.h"

struct cJSON;
struct ft_ptree;
struct ft_ptree_proc;
struct ft_safe_arg;
struct ft_selection;
struct ft_store;
struct ft_runlist;
struct ft_runner_env;
struct ft_ctest_list;
struct ft_reader;

/* One runner's list of its tests (list_recorded, list_here): malloc'd
 * names, freed by ft_runner_names_release. */
struct ft_runner_names {
	char **v;
	size_t n;
};

int ft_runner_names_add(struct ft_runner_names *l, const char *prefix, const char *name);
void ft_runner_names_release(struct ft_runner_names *l);
/* Add names[0..n) under `prefix` while rc >= 0, and free them all (the
 * vector too); the last rc. */
int ft_runner_names_take(struct ft_runner_names *l, const char *prefix, char **names, size_t n,
			 int rc);

/* `ftrace affected --format NAME`: what the row found where it runs. */
struct ft_runner_here {
	const char *top;              /* the repository top (ft_pipeline_top, selector/ft_pipeline.h) */
	struct ft_runner_names tests; /* list_here: the runner's tests here */
	struct ft_runner_names targets; /* list_here: every test target that
					 * exists here, run by default or not
					 * (cargo); none: no such list */
	struct ft_runner_names specs; /* list_here: how `-p` names each member
				       * whose name is ambiguous (cargo:
				       * ft_cargo_spec.h), "NAME SPEC" */
	struct ft_runner_names gone;  /* check: selected tests that cannot run (go) */
	char why[1024];               /* why it cannot tell */
};

/* `ftrace test CMD`: a plan (enum ft_runner_plan, ft_runner_argv.h). */
struct ft_runner_plan_in {
	char *const *cmd;
	const struct ft_selection *sel;  /* complete, sorted by id */
	const struct ft_selection *all;  /* every known test, sorted by id */
	const char *top;                 /* the repository top */
	const char *state_dir;           /* where a plan may write its files */
	const struct ft_selection *first; /* run these first where the runner
					   * takes its tests in the order given
					   * (--failed-first; node, Automake); or
					   * NULL.  Sorted by id; changes the order
					   * only, never which tests run */
	struct ft_store *st;             /* the database, for a plan that reads what
					  * the recording kept (pytest: the options
					  * each test was recorded with,
					  * ft_pytest_deselect.h); NULL: none */
};

struct ft_runner_plan_out {
	char **argv;           /* NARROWED: the command to run (ft_runner_argv_free) */
	size_t nselected;
	size_t ndeselected;    /* DESELECTED: known tests left out */
	char deselect[PATH_MAX + 64]; /* DESELECTED: the file naming them (unlink it after) */
	struct ft_err err;     /* ALL: why everything runs, NARROWED: a note (code
				* 0, or an empty why); a negative return: what
				* failed (common/ft_error.h) */
};

/* Ingest's per-run context for the naming operations. */
struct ft_runner_naming {
	const struct ft_runner_env *env;
	const struct ft_ctest_list *ctest;  /* given by tests, or NULL */
};

struct ft_runner_ops {
	const char *name;     /* tests.runner, run_runners.runner, --format NAME */
	unsigned policy;      /* FT_POLICY_* for its images (ingest/ft_ptree.h) */
	const struct ft_runner_ops *shares; /* uses that row's ingest state */

	int (*is_image)(const char *exe, char *const *argv, int argc);
	/* is_image reads only the first words it needs (the program and its
	 * script), never what follows: an image whose argv was cut short
	 * (FT_PROC_ARGV_TRUNC: `ftrace test`'s narrowed jest command of many
	 * files) is still judged by its complete words (ft_runners_of_cut_image) */
	int image_prefix;
	int (*is_cmd)(char *const *cmd, int shell);

	long (*name_test)(void **state, const struct ft_runner_naming *nm, struct ft_ptree *t,
		     size_t r, size_t i);
	long (*name_self)(struct ft_ptree *t, size_t i);
	/* After name_test named test image `test` (its runner image is
	 * `runner`): 1 when the command ran only part of that test (a name
	 * filter, go's -short), which is then stored untraced: a package or
	 * target recorded in part must not answer for a whole run.  NULL:
	 * never part. */
	int (*partial)(const struct ft_ptree_proc *runner, const struct ft_ptree_proc *test);
	int (*finish)(void **state, struct ft_ptree *t, const struct ft_runner_env *env);
	int (*passed)(void *state, const struct ft_ptree *t, const size_t *runner_of, size_t k,
		      const struct ft_runner_env *env);
	int self_judged;      /* passed() alone decides, whatever the run's status */
	int judges_failures;  /* passed() == 0 means the test failed (ctest's
			       * LastTestsFailed.log), not only that it did not
			       * pass before the run stopped: its "failed" is the
			       * test's own (ft_store_flaky.h) */
	int exit_is_outcome;  /* a test it names from a process is that process:
			       * how it ended is the test's outcome, where known
			       * (ft_runner.c, own_outcome) */
	/* after judge(): the runner's own report of the run (nextest's JUnit):
	 * tests' own_ns, and outcomes it knows better; state as in finish
	 * (a row that shares another's gets that one's).  0 or -ENOMEM. */
	int (*report)(void *state, struct ft_ptree *t, const struct ft_runner_env *env);
	int (*after)(struct ft_ptree *t, const struct ft_runner_env *env, int named);
	void (*release)(void *state);
	int (*forget)(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten);

	int meta_always;      /* an entry even when the tree named none of its tests */
	void (*meta_dir)(const struct ft_ptree *t, const struct ft_ptree_proc *p,
			 const char *cwd, char *out, size_t cap);
	int (*meta_first_arg)(const struct ft_ptree_proc *p);
	int (*meta_extra)(const struct ft_ptree *t, const char *cwd, struct cJSON **runners);

	int (*list_recorded)(const struct ft_runlist *r, const char *top,
			     struct ft_runner_names *out, struct ft_err *e);
	int list_in_dir;      /* list_recorded runs in the recorded directory */
	int lists_every_test; /* list_recorded and list_here name every test the
			       * runner has there, by its id (ctest, Automake's
			       * TESTS): a recorded test of this row that no list
			       * names cannot run, and is left out of a selection
			       * (selector/pipeline_news.c) */
	const struct ft_safe_arg *safe_args; /* what a recorded command may pass on */
	int safe_positional;  /* positional words pass too */
	char **(*safe_view)(char *const *args); /* the args safe_args judges */

	int (*list_here)(struct ft_runner_here *h);
	int (*check)(const struct ft_selection *sel, struct ft_runner_here *h);
	int (*format)(const struct ft_selection *sel, const struct ft_runner_here *h, char **text,
		      struct ft_err *e);

	int (*narrow)(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out);
	/* `ftrace test CMD`: the options of a command line of this runner that
	 * can change what its tests do or whether they pass (build flags,
	 * features, the release profile), as one text that is equal for two
	 * command lines only when they agree on each of them, whatever the
	 * spelling and order.  `argv`: the runner image's arguments after
	 * argv[0], as a run's metadata keeps them (ft_runmeta_runner.args);
	 * with cmd=1, the command `ftrace test` runs (argv[0] its program).
	 * Options known to change only the output, the order or which tests
	 * run are left out; an option it does not know stays, as written.
	 * *out malloc'd; 0 or -ENOMEM.  NULL: the row has none, and its
	 * recordings answer for any of its command lines
	 * (selector/pipeline_config.c). */
	int (*config)(char *const *argv, int cmd, char **out);

	const struct ft_reader *const *readers;
};

/* The last word of a run's runner entry whose image's arguments were cut
 * short (ft_runner_meta.c) and may have lost options: the entry's
 * arguments are not known.  ft_runners_may_ask refuses it (`ftrace
 * affected` cannot ask the runner: it says so, exit 2), and a row's config
 * keeps it (no command line's options equal it). */
#define FT_RUNNER_ARGS_CUT "\x1e" "cut"

/* An option a recorded command may pass on to its runner (ft_runner_ask.c). */
struct ft_safe_arg {
	const char *name;
	int value;        /* 1: takes a value (next word, =V, or attached to a short flag) */
};

/* The table, NULL-terminated, in recognition order (at most
 * FT_RUNNERS_MAX rows). */
#define FT_RUNNERS_MAX 16

extern const struct ft_runner_ops *const ft_runners[];

/* pytest's readers (runner_pytest_readers.c). */
extern const struct ft_reader *const ft_pytest_readers[];

extern const struct ft_runner_ops ft_runner_ctest, ft_runner_node, ft_runner_jest,
	ft_runner_go, ft_runner_cargo, ft_runner_nextest, ft_runner_automake, ft_runner_pytest;

/* The row named `name` (a test's runner, --format NAME), or NULL. */
const struct ft_runner_ops *ft_runners_by_name(const char *name);

/* A row's kind: its position in ft_runners[] plus one (what a process
 * tree's images carry, ft_ptree_proc.runner; enum ft_runner_kind names the
 * first rows').  The row of kind `kind`, or NULL. */
int ft_runners_kind(const struct ft_runner_ops *row);
const struct ft_runner_ops *ft_runners_by_kind(int kind);

/* The row whose image `argv` is (exe: its executable, or NULL), or NULL. */
const struct ft_runner_ops *ft_runners_of_image(const char *exe, char *const *argv, int argc);

/* The same for an argv cut short (its last word may be part of one): only
 * rows with image_prefix, judged by the words before the last.  A row
 * whose runner it would be by other words than those is not found: the
 * image is then no runner's, as any cut argv was before (the sound side). */
const struct ft_runner_ops *ft_runners_of_cut_image(const char *exe, char *const *argv, int argc);

/* The row of the command `ftrace test` runs (shell: cmd is sh -c LINE),
 * or NULL: is_image first, then is_cmd, each in table order. */
const struct ft_runner_ops *ft_runners_of_cmd(char *const *cmd, int shell);

/* Is `name` a format some row prints?  The names, "a, b or c", in `out`. */
void ft_runners_format_names(char *out, size_t cap);

/*
 * Ingest: mark runner images (kind and policy), name their tests, inherit
 * tests down the tree, finish (cargo's dep-info), set outcomes: failed,
 * unless the row judges itself (passed) or the runner image is on top
 * (ft_runner_is_top) and the run passed, or the row's passed() says so;
 * then each row's report (nextest's JUnit: durations, its own verdicts).
 * `ctest` is a test list given by tests (NULL: ctest is asked).
 */
int ft_runners_apply(struct ft_ptree *t, const struct ft_runner_env *env,
		     const struct ft_ctest_list *ctest);

/* After ft_runners_apply: each row's `after` (go's package sources).
 * `named`: the whole command is one test (--name), which keeps every
 * source the build read. */
int ft_runners_after(struct ft_ptree *t, const struct ft_runner_env *env, int named);

/* In the run's transaction: each row's `forget`. */
int ft_runners_forget(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten);

/* The hooks ingest reaches the runners through (ingest/ft_ingest.h):
 * ft_runners_apply then ft_runners_after; ft_runner_meta; ft_runners_forget. */
struct ft_ingest_runners;
extern const struct ft_ingest_runners ft_runners_ingest;

/* May the recorded list `r` be asked (inside `rtop`, safe arguments)?  0,
 * or FT_EFORMAT / -ENOMEM with `e` (struct ft_err) saying why (ft_runner_ask.c). */
int ft_runners_may_ask(const struct ft_runner_ops *row, const struct ft_runlist *r,
		       const char *rtop, struct ft_err *e);

/* The tests of recorded list `r`, asked where the recording asked, appended
 * to `out`.  An unknown runner is FT_EFORMAT ("upgrade ftrace").
 * repo_top(buf, cap) gives the repository top as seen from the current
 * directory (the selector's ft_pipeline_top): listers that run in the recorded
 * directory (list_in_dir) get it as seen from there. */
int ft_runners_list_recorded(const struct ft_runlist *r, void (*repo_top)(char *, size_t),
			     struct ft_runner_names *out, struct ft_err *e);

#endif
