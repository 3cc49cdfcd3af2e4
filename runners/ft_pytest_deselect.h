/*
 * ft_pytest_deselect.h - the file `ftrace test -- pytest` hands the pytest
 * plugin (FTRACE_DESELECT_FILE): the known tests that are not affected,
 * which the plugin deselects (adapters/pytest/ftrace_pytest.py,
 * _read_deselect).
 *
 * A recording answers only for a session with the options it was made
 * with (docs/hooks.md, "Options": `--runslow`, `-W error`, `-p`), and only
 * the plugin knows the session's options.  So the ids come in groups, each
 * after a line "\x1e" + the options its tests' run recorded (a JSON list
 * of the plugin's "dest=repr" strings, store/ft_store_runmeta.h, the
 * pytest list `options`); the plugin deselects a group's ids only where
 * that list equals its own.  A run that kept no options (recorded before
 * they were kept, or the plugin could not read them) has the group line
 * "\x1e?", which equals none: its tests run, and are recorded with them.
 * Without a database (st NULL: `ftrace test --rerun` runs one test alone)
 * there is one group, "\x1e*", which the plugin takes whatever its
 * options.
 *
 * An id holding a newline, or starting with "\x1e", is left out (it runs).
 * The file is created in the state dir, never through a link planted at
 * its name, never into a FIFO.  Returns 0 with the ids written in *n, or
 * -errno, FT_ENOTREG, -ENOMEM, or a store code (FT_EDB, FT_ECORRUPT).
 */
#ifndef FT_PYTEST_DESELECT_H
#define FT_PYTEST_DESELECT_H

#include <stddef.h>

struct ft_selection;
struct ft_store;

int ft_pytest_deselect_write(struct ft_store *st, const struct ft_selection *sel,
			     const struct ft_selection *all, const char *path, size_t *n);

/* Were all known pytest tests recorded by a pytest command line with the
 * arguments `args` (NULL-terminated: those after pytest's own word), but
 * for options that only change the output, the pace or which tests run
 * (-q, -v, -x, --tb, -n: a subset of the plugin's neutral ones)?  1 yes;
 * 0 when one was recorded with others, or with none kept (then only the
 * plugin can tell whether its options differ: pytest must start).
 * Or a store code, -ENOMEM. */
int ft_pytest_deselect_same(struct ft_store *st, char *const *args);

#endif
