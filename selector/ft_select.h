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
 *     plus new test files.  pytest tests whose file no longer exists are left
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

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_state;

/* Why a test is selected.  ft_change_name() gives the words. */
enum ft_change {
	FT_CHANGE_CONTENT = 1,   /* content changed */
	FT_CHANGE_NOW_ABSENT,    /* now absent */
	FT_CHANGE_NOW_EXISTS,    /* now exists */
	FT_CHANGE_LISTING,       /* listing changed */
	FT_CHANGE_TYPE,          /* type changed (or mode) */
	FT_CHANGE_LINK,          /* link target changed */
	FT_CHANGE_UNREADABLE,    /* cannot be read now */
	FT_CHANGE_UNKNOWN,       /* unknown at recording */
	FT_CHANGE_FAILED,        /* failed last time (failed or error) */
	FT_CHANGE_NO_RESULT,     /* no result last time (killed, crashed) */
	FT_CHANGE_NEW,           /* new test */
	FT_CHANGE_UNTRACED,      /* untraced */
	FT_CHANGE_ALWAYS_RUN,    /* listed in .ftrace.json's always_run (cli adds it) */
};

const char *ft_change_name(enum ft_change c);

struct ft_reason {
	const char *path;        /* NULL for failed/no-result/untraced */
	int kind;                /* enum ft_dep_kind, 0 when path is NULL */
	enum ft_change change;
	uint64_t recorded;       /* the value the test saw (FT_DEP_PYCONF: one reason
				  * per value, ft_pyconf.h needs each) */
};

#define FT_SELECT_MAX_REASONS 64 /* per test; the rest are counted */

struct ft_selected {
	const char *id;          /* test id as the runner takes it */
	const struct ft_reason *reasons;
	size_t nreasons;
	size_t omitted;          /* reasons beyond FT_SELECT_MAX_REASONS */
};

struct ft_selection {
	struct ft_selected *tests;   /* sorted by id (bytewise), unique */
	size_t n;
	size_t known;                /* tests in the database */
	size_t states;               /* distinct (path, kind) observed */
	int complete;                /* 0: cannot tell, see incomplete_why */
	const char *incomplete_why;
	void *priv;
};

/* Select.  `state` observes current values (ft_state_new over the same
 * store, so its cache can be flushed afterwards).  Reads in one read
 * transaction.  Returns 0 or FT_E*. */
int ft_select_run(struct ft_store *st, struct ft_state *state, struct ft_selection **out);

/* Every known test (for --on-unknown=all), sorted; no reasons. */
int ft_select_all(struct ft_store *st, struct ft_selection **out);

void ft_selection_free(struct ft_selection *sel);

#endif
