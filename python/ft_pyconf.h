/*
 * ft_pyconf.h - pyproject.toml, tox.ini and setup.cfg as pytest's start-up
 * reads them (docs/pytest.md, "Shared config files").
 *
 * pytest reads these files while it starts and uses only its own part of
 * each: `[tool.pytest]`, `[pytest]`, `[tool:pytest]`.  When nothing else in
 * the prelude used the file (the start-up marker, ft_collect.h), ingest
 * records the dependency as FT_PYCONF_KIND, a FILE of pytest's config
 * reader (runners/runner_pytest_readers.c): the file's content value, of
 * which only the *view* matters
 * (adapters/pytest/ftrace_pyconf.py: that part, and whether the file
 * parses).  The views live in one optional table, created
 * on demand (no schema version bump: a database without it has no views,
 * and then every content change of such a dependency selects):
 *
 *   pyconf_views(path BLOB, value INTEGER, view TEXT)
 *       the view of one version of such a file, keyed by its content
 *       value (as pyfunc_fps, and for the same reason: a test keeps the
 *       view of the version it saw)
 *
 * Recording (python/ft_pyconf_rec.c): the start-up module writes
 * `startup-pytest-<pid>.json` into the run dir with the view, size and
 * CRC-32 of each config file it read; ft_pyconf_record() keeps the
 * views whose bytes are still the file's, under the content value.
 *
 * Selection: ft_pyconf_filter() takes a complete selection and removes
 * each reason "content changed" of an FT_PYCONF_KIND dependency whose
 * recorded view equals the view of the file now, and the tests left
 * without any reason.  Anything it cannot prove (no view recorded, no
 * Python with tomllib, no iniconfig, a tool error) removes nothing: an
 * error never shrinks the selection.
 *
 * Errors: negative FT_E* codes.  Ownership: nothing returned needs freeing.
 */
#ifndef FT_PYCONF_H
#define FT_PYCONF_H

#include <stddef.h>

#include "ft_record.h"
#include "ft_state.h"

/* The kind code of a dependency on a config file's view (above).
 * Selection gives one reason per version a test saw of it (struct
 * ft_reason.recorded): the filter judges each. */
#define FT_PYCONF_KIND ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG)

struct ft_store;
struct ft_selection;

/* meta key: the sys.executable of the newest run that recorded views
 * (ft_store_meta_get).  A note only: selection never runs it. */
#define FT_PYCONF_META_PYTHON "pyconf_python"
/* meta key: the sys.path entry that run's pytest imported iniconfig from.
 * A note only: selection never imports from it (the view tool takes
 * iniconfig from its interpreter's own site-packages). */
#define FT_PYCONF_META_INICONFIG "pyconf_iniconfig"

/* Fold the start-up side files of `run_dir` into pyconf_views.  Does
 * nothing (and creates nothing) when there are none. */
int ft_pyconf_record(struct ft_store *st, const char *run_dir);

struct ft_pyconf_stats {
	size_t files;            /* changed config files whose view was asked */
	size_t unknown;          /* ... whose view it could not tell (kept) */
	size_t reasons;          /* reasons removed */
	size_t dropped;          /* tests removed from the selection */
	int python_ran;          /* 1 if the view tool was started */
};

/* `python` runs `tooldir`/ftrace_pyconf.py once over the changed files, and
 * only if some reason is such a change with a recorded view (tooldir
 * NULL: never).  Both come from the caller (ftrace's own configuration),
 * never from the store.
 *
 * Then, whatever the views: if pytest's collection may have changed (a
 * pytest.ini, .pytest.ini, pyproject.toml, tox.ini or setup.cfg that
 * appeared, went, changed type, or whose pytest part changed or cannot
 * be told, where a pytest session read it; or $PYTEST_ADDOPTS,
 * $PYTEST_PLUGINS or $PYTEST_DISABLE_PLUGIN_AUTOLOAD changed since a session
 * read it), the selection is made incomplete
 * (`complete` 0, "cannot tell"): the tests pytest now collects may be
 * ones no run recorded (docs/pytest.md, "Shared config files"). */
int ft_pyconf_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tooldir, struct ft_pyconf_stats *stats);

#endif
