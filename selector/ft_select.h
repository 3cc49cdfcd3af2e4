/*
 * ft_select.h - which recorded tests a change since the recording can affect.
 *
 * Algorithm (docs/selection.md):
 *  1. Every distinct (path, kind) of the stored states is observed once, in
 *     path-id order, through ft_state (stat-first).  A state is changed when
 *     the value now differs from the value it holds, or its kind is
 *     FT_DEP_UNKNOWN.
 *  2. Changed LIST states under a pytest rootdir are diffed against their
 *     stored names: added files matching python_files are new tests; a
 *     listing that only gained such files (and directories) is not a change
 *     for its dependents (the precision rule).  Without stored names the
 *     change counts.
 *  3. Affected = tests referencing a set that contains a changed state, plus
 *     tests whose last outcome is not PASSED/SKIPPED, plus untraced tests,
 *     plus new test files (and, through ft_select_add_flaky, the known
 *     flaky tests).  pytest tests whose file no longer exists are left
 *     out: they cannot be run (the deletion selects their neighbours through
 *     the listing of their directory).
 *
 * Errors: 0 or a negative FT_E* code; on error nothing is returned and the
 * caller must not treat the result as "nothing affected".  A result with
 * `complete == 0` (a bound was hit, e.g. a huge added directory) is also
 * "cannot tell": `incomplete_why` says why; it still lists what was found.
 *
 * Ownership: the selection owns every string it points to; free it with
 * ft_selection_free().  Not thread-safe.
 */
#ifndef FT_SELECT_H
#define FT_SELECT_H

#include "ft_selection.h"

struct ft_store;
struct ft_state;

const char *ft_change_name(enum ft_change c);

/* The states whose value changed since the recording, which the
 * selection's reasons point to (every one, where a test's reasons are
 * capped at FT_SELECT_MAX_REASONS): how many, and the i-th as a reason
 * (path, kind, change, recorded value; the path is the selection's). */
size_t ft_select_nchanged(const struct ft_selection *sel);
struct ft_reason ft_select_changed(const struct ft_selection *sel, size_t i);

/* Select.  `state` observes current values (ft_state_new over the same
 * store, so its cache can be flushed afterwards).  Reads in one read
 * transaction.  Returns 0 or FT_E*. */
int ft_select_run(struct ft_store *st, struct ft_state *state, struct ft_selection **out);

/* Narrowing the stat phase with a watch daemon's answer (watch/,
 * docs/watch.md).  The daemon never decides a value: it only says which
 * paths may have changed since it found every recorded state of the other
 * paths equal to the file system, and this selection then takes, for a
 * path outside the list, the value its states hold (only where all of them
 * hold the same one; else it is observed as usual).  Everything after the
 * stat phase is today's code.
 *
 * A whole answer (docs/watch.md, "A whole answer") promises more, and the
 * selection then reads less: only the named paths' states and the
 * variables' are loaded (ft_store_states_scan_paths), and the database's
 * checksums are not verified again.  The daemon makes that promise only
 * where it holds: its baseline verified the database (ft_store_verify) at
 * this generation and saw no write to it since; every recorded row is of
 * a path it watches or of a variable (ft_select_baseline's `whole`); and
 * every path it did not call settled is named. */
struct ft_select_dirty {
	char **paths;             /* sorted (strcmp), unique, malloc'd */
	size_t n;
	int whole;                /* the answer is whole */
};
void ft_select_dirty_release(struct ft_select_dirty *d);
/* Is `path` in the sorted list? */
int ft_select_dirty_has(const struct ft_select_dirty *d, const char *path);

struct ft_select_narrow {
	/* May be NULL.  0: there is no daemon to ask (then not even the
	 * generation is read: a selection without a daemon costs nothing
	 * more); else ask() is called. */
	int (*ready)(void *arg);
	/* Called inside the selection's read transaction with the database's
	 * generation (ft_store_generation): 0 and `out` filled (the daemon's
	 * answer for exactly that generation), or nonzero: no narrowing, every
	 * path is observed.  `out` is released by the selection. */
	int (*ask)(void *arg, const char *gen, struct ft_select_dirty *out);
	void *arg;
	int used;                 /* out: the answer narrowed the stat phase */
	int whole;                /* out: it was a whole answer */
	size_t dirty;             /* out: how many paths it named */
	size_t settled;           /* out: (path, kind)s settled without a stat */
};

/* ft_select_run with a narrowing (NULL: none, as ft_select_run). */
int ft_select_run_narrowed(struct ft_store *st, struct ft_state *state, struct ft_select_narrow *nw,
			   struct ft_selection **out);

/* The daemon's baseline: verify the database (ft_store_verify: a mismatch
 * is FT_ECORRUPT) and observe every recorded (path, kind) as step 1 of
 * the selection does, in one read transaction, and call fn(arg, path,
 * settled) for each distinct one, `settled` 1 when every state of it holds
 * the value it has now and none is of an unknown kind.  `gen` gets the
 * generation read in the same transaction (FT_STORE_GEN_MAX bytes).
 * *whole gets 1 when every state row is of a path the selection can
 * observe, or of a variable (no row a selection marks changed because it
 * cannot be read: a missing path row, a NUL in a path, a path too long or
 * not absolute, an unknown kind), else 0; such a row's path is not passed
 * to fn.  A negative return of fn stops the walk and is returned; else 0
 * or FT_E*. */
int ft_select_baseline(struct ft_store *st, struct ft_state *state, char *gen, int *whole,
		       int (*fn)(void *arg, const char *path, int settled), void *arg);

/* Add to a selection of ft_select_run the known tests the flaky table
 * listed when it ran (store/ft_store_flaky.h), each with the reason
 * FT_CHANGE_FLAKY: one already selected for its own reasons gets it too;
 * a pytest test whose file is gone is not added (it cannot be run).
 * After the filters, which therefore cannot remove them.  0 or -ENOMEM. */
int ft_select_add_flaky(struct ft_selection *sel);

/* Add to a selection of ft_select_run the known tests, not selected yet,
 * for which want(arg, runner, run_id) returns 1 (run_id: the run that
 * recorded the test last, 0 for none), each with the reason
 * FT_CHANGE_OPTIONS; a pytest test whose file is gone is not added (it
 * cannot be run).  *added counts them.  0, -ENOMEM, or want's negative
 * return. */
int ft_select_add_options(struct ft_selection *sel,
			  int (*want)(void *arg, const char *runner, int64_t run_id), void *arg,
			  size_t *added);

/* Leave out of a selection of ft_select_run (new tests added or not) the
 * known tests of `runner` whose names names[0..n) lack: every test that
 * runner lists now, wherever the recordings used it.  A test its build no
 * longer has (an add_test removed: ctest no longer lists it) cannot run,
 * and a removed test whose files differ from its recording would be
 * selected for ever.  *dropped counts them, *first names one (or NULL).
 * 0 or -ENOMEM. */
int ft_select_drop_unlisted(struct ft_selection *sel, const char *runner, char *const *names,
			    size_t n, size_t *dropped, const char **first);

/* Every known test (for --on-unknown=all), sorted; no reasons. */
int ft_select_all(struct ft_store *st, struct ft_selection **out);

void ft_selection_free(struct ft_selection *sel);

#endif
