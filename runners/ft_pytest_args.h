/*
 * ft_pytest_args.h - a selection as arguments pytest takes, for `ftrace
 * affected` (--format lines and null).  docs/selection.md, "New tests in a known pytest file".
 *
 * A pytest node id names one test, and pytest runs only what it is given.
 * A test module can hold tests the recording never saw: a test function
 * added to it, a new parameter from data read at collection.  Those can
 * only appear if something the module's collection read changed, and
 * everything its collection read (the module, what it imports, conftest
 * files, data it reads at import) is a dependency of *every* recorded
 * test of that module: so all of them are then selected.  Hence:
 *
 *  - a module whose every known pytest test (tests.runner = 'pytest',
 *    same tests.file) is selected is given as its path, the node id up
 *    to its first "::", so that pytest collects it whole, new tests
 *    included;
 *  - such a module whose file is gone is left out: it has no test left
 *    to run, and pytest given its path (or a node id in it) stops with
 *    "file or directory not found";
 *  - any other selected test is given as its id, unchanged: its module's
 *    collection read nothing that changed, so every id still names a
 *    test, and no test is new there;
 *  - but not an id that a shorter selected id covers ("f::t[1]" and
 *    "f::C::m" when "f::t" or "f::C" is selected: function granularity
 *    asks for a changed test function whole, docs/python-functions.md,
 *    "Test modules"), which pytest would otherwise run twice.
 *
 * Ids that are not pytest tests of the database (new test files the
 * selection added as paths, other runners' tests) pass through as they
 * are.  The order stays the selection's (a module at its first test).
 *
 * Returns 0 with *out a malloc'd vector of *n strings borrowed from `sel`
 * (a module's path is malloc'd: free each with ft_pytest_args_free), or
 * -ENOMEM, or FT_EDB (reading the tests table failed).
 */
#ifndef FT_PYTEST_ARGS_H
#define FT_PYTEST_ARGS_H

#include <stddef.h>

struct ft_store;
struct ft_selection;

struct ft_pytest_arg {
	const char *text;   /* what to print */
	char *own;          /* malloc'd text, or NULL when borrowed */
	int pytest;         /* a module path or a node id of a pytest test (an
			     * id of another runner, such as nextest's
			     * `crate::bin name`, is 0) */
};

int ft_pytest_args(struct ft_store *st, const struct ft_selection *sel,
		   struct ft_pytest_arg **out, size_t *n);
/* The same, with the paths of pytest's node ids and modules (and of new
 * test files) made relative to `from`, the directory pytest will be started
 * in (absolute, as getcwd gives it; NULL: as recorded): pytest reads an
 * argument's path from there, while a node id's is from its rootdir.
 * "tests/test_x.py::t" is "test_x.py::t" from tests/, and "py/tests/..."
 * from a repository top whose pytest rootdir is py/.  An id whose path part
 * is not the tail of its module's recorded path prints as it is. */
int ft_pytest_args_from(struct ft_store *st, const struct ft_selection *sel, const char *from,
			struct ft_pytest_arg **out, size_t *n);
/* The same, where `conftests` (absolute paths, `nconftests` of them) are
 * the conftest.py files whose state changed (new, gone or edited): a
 * conftest can change what pytest collects below its directory
 * (`collect_ignore`, `pytest_ignore_collect`, `pytest_collect_file`), so
 * a test file it let in is one no run recorded.  When a selected test has
 * such a conftest as a reason and every recorded module below its
 * directory is selected whole, the directory is given instead of those
 * modules (and of new test files below it), so that pytest collects it
 * whole, the newly let in included; the outermost such directory wins.
 * *whole (if not NULL) is set to 1 when such a directory is a recorded
 * test's rootdir or above it: given whole it would collect what the
 * suite's testpaths leave out, so the caller cannot print a selection
 * (docs/selection.md, "A changed conftest: whole directories"). */
int ft_pytest_args_dirs(struct ft_store *st, const struct ft_selection *sel, const char *from,
			const char *const *conftests, size_t nconftests,
			struct ft_pytest_arg **out, size_t *n, int *whole);
void ft_pytest_args_free(struct ft_pytest_arg *args, size_t n);

#endif
