/*
 * ft_select_int.h - internals shared by the selector/ files only.
 */
#ifndef FT_SELECT_INT_H
#define FT_SELECT_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ft_pytest_root.h"
#include "ft_reader.h"
#include "ft_selection.h"
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
	uint8_t invalid;          /* cannot be observed: changed, whatever it was */
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
	const struct ft_select_dirty *dirty; /* set: narrowed (narrow.c), one thread;
					      * a whole answer: only its paths and
					      * the variables are loaded, no
					      * verification (meanwhile not run) */
	size_t settled;           /* items the narrowing settled */
};

/* narrow.c: settle every item outside sc->dirty whose states all hold one
 * known value, to that value (after the load, before the stat). */
struct ft_select_dirty;
void ft__scan_narrow(struct ft__scan *sc);

int ft__scan_run(struct ft__scan *sc, struct ft_store *st, int trusted,
		 int (*meanwhile)(void *arg), void *arg);
void ft__scan_release(struct ft__scan *sc);

struct ft__newtest {
	char *id;                 /* relative to the rootdir: a pytest node id */
	char *abs;
};

struct ft__newtests {
	struct ft_pytest_root *roots;
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
const struct ft_pytest_root *ft__newtests_root(const struct ft__newtests *nt, const char *path);

/* A LIST state of `path` (under `root`) changed from `recorded`.  Records the
 * new test files it gained.  Returns 1 when the listing only gained test
 * files and directories (not a change for its dependents), 0 when it is a
 * change, negative FT_E* on failure.  `reader` is the state's reader
 * (runners/ft_reader.h), or NULL for anyone's listing: then names its rule
 * calls neutral, added or removed, are no change either (pytest's
 * collector: names it ignores; Python's import system: names it cannot
 * use, also where pytest collects nothing); a reader that
 * FT_READER_COLLECTS has its added entries judged as the collector would
 * (a data file, a non-test module, a norecursedirs directory). */
int ft__newtests_listing(struct ft__newtests *nt, const struct ft_pytest_root *root, struct ft_store *st,
			 int64_t path_id, const char *path, uint64_t recorded,
			 const struct ft_reader *reader);

/* A LIST state of `path` of `reader` (NULL: 0) changed from `recorded`,
 * and every name added or removed is none to the reader, judged without
 * a pytest rootdir (the readers that hold FT_READER_EVERYWHERE): 1, not a
 * change; else 0 (also without stored names); negative FT_E*. */
int ft__newtests_reader_only(struct ft_store *st, const struct ft_reader *reader, int64_t path_id,
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
const struct ft_pytest_root *ft__select_pyroot(const struct ft_selection *sel, const char *path);

/* Can a known test of `runner` in `file` be run?  Not a pytest test whose
 * file is gone: asking pytest for it is an error ("file or directory not
 * found"), and its deletion already selects whatever depended on the
 * listing that lost it (select.c). */
int ft__select_runnable(const char *file, const char *runner);

/* Add the test `id`, selected for a content change of `path`, to a
 * complete selection (kept sorted; an id already there is left as it
 * is).  0 or -ENOMEM.  For ft_pyfunc's test-module rule. */
int ft__select_add(struct ft_selection *sel, const char *id, const char *path);
/* The same with the reason's change `change` (the path's kind stays
 * FT_DEP_FILE): FT_CHANGE_SESSION for ft_pyfunc's import-time rule. */
int ft__select_add_change(struct ft_selection *sel, const char *id, const char *path,
			  enum ft_change change);

#endif
