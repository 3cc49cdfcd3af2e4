/*
 * ft_select_int.h - internals shared by the selector/ files only.
 */
#ifndef FT_SELECT_INT_H
#define FT_SELECT_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ft_state.h"

struct ft_store;

/* ---- step 1, the load-and-stat scan (scan.c) ---------------------------
 * One item per distinct (path, kind) of the recorded states, and one row
 * per state pointing at its item.  ft__scan_run() fills a zeroed struct:
 * after it returns, every item's value is final where `done` is set (a
 * stat decided it); the caller observes the others (ft_state_observe_
 * hinted).  Paths stay valid until ft__scan_release().  Returns 0, or a
 * negative FT_E* / -errno code from the store (then the workers stopped
 * early).  Release in every case.
 *
 * `meanwhile` (may be NULL) runs on the calling thread once the load is
 * over, while the worker threads stat: work on the same store connection
 * that the stat need not wait for (the selection's verification).  It runs
 * whether or not the load failed, and a negative return from it is the
 * result (its error first, the load's second); items are then not all
 * done. */
struct ft__item {
	const char *path;         /* NUL-terminated, in an arena block */
	uint32_t dir_len;         /* bytes before the last '/' */
	uint8_t kind;
	uint8_t done;             /* value is final */
	uint16_t dir_key;         /* hash of the directory: dirfd cache slot */
	uint64_t value;
	struct ft_state_hint hint;
};

struct ft__row {
	int64_t state_id, path_id;
	uint64_t recorded;
	size_t item;
};

struct ft__scan {
	struct ft__item *items;   /* capacity fixed before any worker starts */
	size_t nitems, capitems;
	struct ft__row *rows;
	size_t nrows, caprows;
	char **blocks;            /* arena blocks: stable addresses */
	size_t nblocks, block_used, block_cap;
	_Atomic size_t published; /* items[0..published) are complete */
	_Atomic int loaded;       /* no more items will be published */
	_Atomic size_t next;      /* first item not yet claimed by a worker */
	size_t dirfd_slots;       /* each thread's directory descriptor cache */
	const struct ft_select_dirty *dirty; /* set: narrowed (narrow.c), one thread */
	size_t settled;           /* items the narrowing settled */
};

/* narrow.c: settle every item outside sc->dirty whose states all hold one
 * known value, to that value (after the load, before the stat). */
struct ft_select_dirty;
void ft__scan_narrow(struct ft__scan *sc);

int ft__scan_run(struct ft__scan *sc, struct ft_store *st, int trusted,
		 int (*meanwhile)(void *arg), void *arg);
void ft__scan_release(struct ft__scan *sc);

/* One pytest rootdir from the runs' metadata (store/ft_store_runmeta.h). */
struct ft__pyroot {
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
	char *std;                /* the standard library every run had
				   * ("std"), or NULL if any run had another or
				   * did not say */
};

struct ft__newtest {
	char *id;                 /* relative to the rootdir: a pytest node id */
	char *abs;
};

struct ft__newtests {
	struct ft__pyroot *roots;
	size_t nroots;
	char **known_files;       /* tests.file, sorted */
	size_t nknown;
	char **list_dirs;         /* paths with a LIST state, sorted */
	size_t nlist;
	struct ft__newtest *found;
	size_t nfound, capfound;
	size_t budget;            /* directory entries the walks may still read */
	const char *why;          /* set when a bound was hit */
	char **own;               /* runners' own files ("own_files" of the
				   * runs' "runners" entries), sorted */
	size_t nown;
};

/* Read pytest metadata of the runs that tests still reference. */
int ft__newtests_init(struct ft__newtests *nt, struct ft_store *st);
void ft__newtests_release(struct ft__newtests *nt);

/* The rootdir that `path` is in or under, or NULL. */
const struct ft__pyroot *ft__newtests_root(const struct ft__newtests *nt, const char *path);

/* A LIST state of `path` (under `root`) changed from `recorded`.  Records the
 * new test files it gained.  Returns 1 when the listing only gained test
 * files and directories (not a change for its dependents), 0 when it is a
 * change, negative FT_E* on failure.  `kind` is the state's:
 * FT_DEP_CLIST, read by pytest's collector alone: then names the collector
 * ignores (root->plain: a data file, a non-test module, a norecursedirs
 * directory), added or removed, are no change either; FT_DEP_ILIST, read
 * by Python's import system alone: then names it cannot use
 * (ft__newtests_importable) are none, also where pytest collects nothing
 * (ft__newtests_import_only). */
int ft__newtests_listing(struct ft__newtests *nt, const struct ft__pyroot *root, struct ft_store *st,
			 int64_t path_id, const char *path, uint64_t recorded, int kind);

/* May Python's import system make anything of a directory entry named
 * `name`?  FileFinder looks up `<module>` (a package, a namespace portion)
 * and `<module><suffix>`, where <module> holds no dot and the suffixes are
 * .py, .pyc and the extension modules' .so ones (the adapter opens no
 * import window for a finder with other suffixes); importlib.metadata's
 * search looks at *.dist-info and *.egg-info, and at "egg-info" inside an
 * *.egg directory.  So 1 for a name without a dot or with one of those
 * endings (or .egg), in any case; 0 for every other name, such as
 * "pre-commit.yaml" or ".gitignore". */
int ft__newtests_importable(const char *name);

/* An FT_DEP_ILIST state of `path` (under no rootdir, or where pytest
 * collects nothing) changed from `recorded`, and no name added or removed
 * is one the import system can use: 1, not a change; else 0 (also without
 * stored names); negative FT_E*. */
int ft__newtests_import_only(const struct ft__newtests *nt, struct ft_store *st, int64_t path_id,
			     const char *path, uint64_t recorded);

/* A LIST state of `path` changed from `recorded`, and every name added or
 * removed is one of the runners' own files (Automake's .log and .trs,
 * which the harness deletes and writes back in every `make check`): 1, not
 * a change; else 0 (also without stored names); negative FT_E*. */
int ft__newtests_own_only(const struct ft__newtests *nt, struct ft_store *st, int64_t path_id,
			  const char *path, uint64_t recorded);

/* The rootdir of the selection's pytest runs that `path` is in or under,
 * or NULL (select.c). */
struct ft_selection;
const struct ft__pyroot *ft__select_pyroot(const struct ft_selection *sel, const char *path);

/* Add the test `id`, selected for a content change of `path`, to a
 * complete selection (kept sorted; an id already there is left as it
 * is).  0 or -ENOMEM.  For ft_pyfunc's test-module rule. */
int ft__select_add(struct ft_selection *sel, const char *id, const char *path);

/* Does `name` match one of the `n` options `opts` as pytest matches
 * python_functions and python_classes (a prefix, or a glob if it holds
 * one of "*?[")? */
int ft__pyroot_matches(char *const *opts, size_t n, const char *name);

#endif
