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

/* Select.  `state` observes current values (ft_state_new over the same
 * store, so its cache can be flushed afterwards).  Reads in one read
 * transaction.  Returns 0 or FT_E*. */
int ft_select_run(struct ft_store *st, struct ft_state *state, struct ft_selection **out);

/* Add to a selection of ft_select_run the known tests the flaky table
 * listed when it ran (store/ft_store_flaky.h), each with the reason
 * FT_CHANGE_FLAKY: one already selected for its own reasons gets it too;
 * a pytest test whose file is gone is not added (it cannot be run).
 * After the filters, which therefore cannot remove them.  0 or -ENOMEM. */
int ft_select_add_flaky(struct ft_selection *sel);

/* Every known test (for --on-unknown=all), sorted; no reasons. */
int ft_select_all(struct ft_store *st, struct ft_selection **out);

void ft_selection_free(struct ft_selection *sel);

#endif
