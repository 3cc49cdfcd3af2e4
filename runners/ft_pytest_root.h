/*
 * ft_pytest_root.h - what pytest's runs said of one rootdir (its
 * collection options and its runs' collector), and the rules of pytest's
 * collection over it: which file names are tests, which directories it
 * skips, which names its collector ignores.  The selector builds one per
 * rootdir from the runs' metadata (store/ft_store_runmeta.h,
 * selector/newtests.c); pytest's readers (runner_pytest_readers.c) and
 * the function filter (python/) judge with it.
 *
 * The strings belong to whoever built the struct.  Nothing here
 * allocates except where said, prints or keeps state.
 */
#ifndef FT_PYTEST_ROOT_H
#define FT_PYTEST_ROOT_H

#include <stddef.h>

struct ft_pytest_root {
	char *rootdir;
	size_t rootlen;
	char **patterns;          /* python_files */
	size_t npat;
	char **norecurse;         /* norecursedirs (pytest's default if absent) */
	size_t nnorecurse;
	/* The runs' "collector" (every run with this rootdir): */
	int plain;                /* only pytest's own collection hooks, in all */
	int doctest_modules;      /* --doctest-modules in one of them */
	char **doctest_glob;      /* --doctest-glob patterns, all runs' */
	size_t ndglob;
	int has_pyfuncs;          /* every run said its python_functions */
	char **pyfuncs;           /* python_functions, all runs' */
	size_t npyfuncs;
	int has_pyclasses;        /* every run said its python_classes */
	char **pyclasses;         /* python_classes, all runs' */
	size_t npyclasses;
	int has_loaded;           /* every run said what it had loaded */
	char **loaded;            /* top-level modules every run had loaded */
	size_t nloaded;           /* at its start-up */
	int has_stdlib;           /* every run said which of those were */
	char **stdlib;            /* the standard library's own modules (not */
	size_t nstdlib;           /* a project file of the same name) */
	int lookups;              /* every run's adapter noted every import
				   * lookup ("noted": "lookups"), so a module's
				   * name in an import-list is its lookups'
				   * (runner_pytest_readers.c, import_neutral) */
	char *std;                /* the standard library every run had
				   * ("std"), or NULL if any run had another or
				   * did not say */
};

/* Does `name` match one of `opts` (pytest's python_functions and
 * python_classes rules: a prefix, or a glob with * ? [)? */
int ft_pytest_root_matches(char *const *opts, size_t n, const char *name);

/* Is `name` (absolute path `abs`) a test file by python_files? */
int ft_pytest_root_is_test_file(const struct ft_pytest_root *r, const char *abs, const char *name);

/* A regular file (by its name) that pytest's collection does nothing with:
 * no test file, no conftest.py or __init__.py, no doctest the runs would
 * collect, and only pytest's own collection hooks to ask (r->plain).  A
 * malloc failure answers 0 (when in doubt, it matters). */
int ft_pytest_root_ignores(const struct ft_pytest_root *r, const char *abs, const char *name);

/* Would the runs collect doctests from the regular file `name` (absolute
 * path `abs`): a module under --doctest-modules (pytest's doctest plugin
 * leaves out setup.py and __main__.py), or a file matching a
 * --doctest-glob?  Such a file, added, is a new test: pytest given its
 * path collects it (docs/selection.md, "New test files"). */
int ft_pytest_root_doctest_file(const struct ft_pytest_root *r, const char *abs, const char *name);

/* Does collection skip a directory named `name` (norecursedirs,
 * __pycache__)? */
int ft_pytest_root_skip_dir(const struct ft_pytest_root *r, const char *name);

#endif
