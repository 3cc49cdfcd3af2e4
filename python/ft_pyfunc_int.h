/*
 * ft_pyfunc_int.h - the parts of the function filter (ft_pyfunc.h), one
 * concept a file; internal to python/:
 *
 *   pyfunc_filter.c    ft_pyfunc_filter(): the steps, in order
 *   pyfunc_recs.c      the recordings read from the store: candidates,
 *                      the values each test saw, the run preludes
 *   pyfunc_tool.c      the fingerprints now: the cache, then the helper
 *   pyfunc_version.c   what a change did to one recorded version of a file
 *   pyfunc_rules.c     whether that change can affect one candidate
 *   pyfunc_reexport.c  the re-export rule (docs/python-functions.md)
 *   pyfunc_explain.c   the English of --explain, and the notes
 *   ft_pymodel.c       what the recorded keys mean (ft_pymodel.h)
 *
 * Rules (pyfunc_version.c, pyfunc_rules.c, pyfunc_reexport.c) return 1
 * only with proof that a change cannot affect a test; anything they cannot
 * read or decode answers "may affect".  Explanations are filled into
 * `why` (char **, NULL: not wanted) only while it is still NULL: the
 * first reason found is the one given.
 */
#ifndef FT_PYFUNC_INT_H
#define FT_PYFUNC_INT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "ft_pyfunc.h"
#include "ft_pyfunc_fpcache.h"
#include "ft_pymodel.h"
#include "ft_select.h"
#include "ft_select_int.h"
#include "ft_spawn.h"

/* One test that only .py content changes selected: its recording,
 * parsed (ft_pymodel.h). */
struct cand {
	size_t index;            /* in sel->tests */
	struct ft_pystrs files;  /* the changed .py paths that selected it */
	struct ft_pystrs own;    /* .py paths its own processes touched */
	const struct ft_pyfiles *prelude; /* what its run's preludes ran (borrowed
	                          * from the filter's run cache) */
	struct ft_pyfiles funcs; /* what it ran */
	struct ft_pystrs lazy;   /* .py paths its module reaches only through lazy
	                          * imports it never ran (pyfunc_lazy), if has_lazy */
	int has_lazy;
	char *file;              /* tests.file: its pytest module, or NULL */
};

/* What a change did to one recorded version (path, value) of a file: the
 * same for every test that saw that version, so computed once. */
struct fpver {
	char *path;
	int64_t value;
	int bodies_only;         /* 1: skeleton equal, no changed body ran in a
	                          * prelude of this version: the tests decide */
	struct ft_pyfp obodies;  /* the version's bodies (pyfunc_fps.bodies) */
	struct ft_pystrs changed; /* the body keys that differ now */
	cJSON *names;            /* a namespace change (ft_pyfunc_names.h): the
	                          * changed module-level names; else NULL */
	cJSON *wraps;            /* and the docstring keys its pure decorators
	                          * read at import (not skeleton: see there) */
	int tmod;                /* a test module pytest's own collector read
				  * ("@%"): docs/python-functions.md, "Test modules" */
	cJSON *marks;            /* tmod: names of the changed "mark" statements */
	cJSON *classes;          /* names of the changed "class" and "tclass" statements */
	cJSON *tnow;             /* tmod: the changed names that are test
				  * functions or test classes now (pytest
				  * collects them anew) */
	cJSON *tgone;            /* tmod: the changed names bound no more */
	struct ft_pystrs prelude; /* what its preludes ran and read (pyfunc_fps),
				  * its re-export keys among them (ft_pymodel.h) */
	char *why;               /* bodies_only 0: what changed (may be NULL) */
	int effects;             /* the change may alter what the module's import
				  * does outside its namespace
				  * (ft_pyfunc_names_effects) */
	const char *effects_why; /* effects 1: why (static text) */
	cJSON *bound;            /* effects 0: the names that statements on
				  * one side only bind (NULL: none) */
	cJSON *imports;          /* effects 0: what their imports need loaded
				  * ("pimport:" entries; NULL: none) */
	cJSON *leaves;           /* effects 0: the modules that functions
				  * changed on one side only may store into
				  * ("leaves:" entries; NULL: none) */
	cJSON *attrs;            /* tmod: the "?M.a" entries a project
				  * from-import gained or lost
				  * (ft_pyfunc_names.h), which each test's
				  * session must show M binds plainly
				  * (ft__pyfunc_attrs_unsure); NULL: none */
	const struct ft_pyfiles *attrs_pre; /* the prelude attrs_why judged */
	const char *attrs_why;   /* its answer, kept: a run's tests share
				  * their prelude */
};

/* A test function of a test module that changed or is new: pytest is asked
 * for it whole ("file::name"), if the module is not printed whole. */
struct addition {
	char *id;
	char *path;
};

/* The content values (FT_DEP_FILE) every test recorded for one path, read
 * in one query for all tests rather than one per test: name-sorted
 * (SQLite's BINARY order is strcmp's), each with how many distinct values
 * it recorded.  `failed`: the list may be short (an error while reading
 * it): no test may be judged by it. */
struct seen {
	char *name;
	int64_t value;
	int n;
};

struct seenpath {
	char *path;
	struct seen *v;
	size_t n, cap;
	int64_t *vals;           /* every distinct value, of any test */
	size_t nvals, capvals;
	int failed;
};

/* The fingerprints of one changed file now, parsed from ctx.now. */
struct fresh {
	char *path;
	int ok;                  /* 0: none, or not an object */
	struct ft_pyfp fp;
};

/* The filter's state (one selection): the prepared reads and caches
 * (pyfunc_recs.c, pyfunc_version.c), and the run of the filter itself
 * (pyfunc_filter.c). */
struct ctx {
	struct ft_store *st;
	struct ft_store_pyfunc *r; /* the prepared reads */
	struct seenpath *sp;     /* per changed path, loaded on first use */
	size_t nsp, capsp;
	struct fpver *v;
	size_t nv, capv;
	int64_t *run_ids;        /* runs whose prelude is parsed, and their preludes */
	struct ft_pyfiles **run_pre; /* NULL: none or malformed */
	size_t nr, capr;
	cJSON *now;              /* {path: fingerprints now}, as the cache and
				  * the helper gave them */
	struct fresh *fresh;     /* of which parsed, on first use */
	size_t nfresh, capfresh;
	struct ft_selection *sel;  /* the selection being filtered */
	struct addition *add;    /* test functions to add to the selection */
	size_t nadd, capadd;
	struct addition *wide;   /* tests of sessions whose import-time code
				  * changed (pyfunc_widen.c): added whole */
	size_t nwide, capwide;
	struct widen_state *ws;  /* pyfunc_widen.c's sessions, once loaded */

	struct ft_pyfunc_notes *notes; /* NULL: none wanted */
	struct ft_pyfunc_stats *stats;
	cJSON **rfiles;          /* per test of sel (n0 of them): reason_files */
	size_t n0;
	struct cand *cands;      /* the candidates, nc of them */
	size_t nc;
	unsigned char *drop;     /* per test of sel: 1 to remove it */
	cJSON *files;            /* every changed .py file of some rfiles, and
				  * every new one (newfiles) */
	cJSON *newfiles;         /* new test modules (.py): pytest imports
				  * them at collection (pyfunc_widen.c) */
	cJSON *missing;          /* of which not in the fingerprint cache */
	struct ft_spawn py;      /* the fingerprint tool, over `missing` */
	struct ft_fpcache fc;
	char *fckey;             /* the fingerprint cache's key (ft_fpcache_key) */
	int in_txn;              /* the read transaction is ours */
	int stored;              /* x.now holds the tool's output: cache it */
	int tool_state;          /* 1: the tool was started, or tried */
	int tool_rc;             /* its failure (negative), else 0: then no
				  * test is dropped, and the import-time rule
				  * judges no file it did not fingerprint */
	const struct ft_pystrs *ran_pre; /* ft__pyfunc_ran_code's last question: a
				  * run's prelude keys of ran_path (the tests
				  * of one run share them), and its answer */
	char *ran_path;
	int ran_answer;
};

/* pyfunc_recs.c */
void ft__pyfunc_ctx_release(struct ctx *x);
/* The .py files whose content changes selected test `t`, as a new JSON
 * array, or NULL if anything else selected it too (or out of memory):
 * then it is no candidate.  Reads no database. */
cJSON *ft__pyfunc_reason_files(const struct ft_selected *t);
void ft__pyfunc_cand_release(struct cand *c);
/* Is test `t`, selected by the .py files `files` only (reason_files;
 * taken over), a candidate?  Fills c->files and c->funcs if so.  If only
 * its function recording is missing, *why says so (static text). */
int ft__pyfunc_candidate(struct ctx *x, const struct ft_selected *t, cJSON *files,
			 struct cand *c, const char **why);
/* The parsed prelude of run `run_id` (NULL: none, unreadable, malformed
 * or out of memory), cached for the filter's life. */
const struct ft_pyfiles *ft__pyfunc_run_prelude(struct ctx *x, int64_t run_id);
/* The values every test recorded for `path`, or NULL when they could not
 * be read (or out of memory). */
const struct seenpath *ft__pyfunc_seen_all(struct ctx *x, const char *path);

/* pyfunc_rules.c */
/* Did a prelude whose keys of `path` are `pre` (NULL: none) run code of
 * the file beyond its import: a function's body?  A class body (a
 * qualname that is no body key, nor inside one, of any version of the
 * file a test recorded) runs in the import, as the module body does.
 * Every code key counts when the file changed now, when no test recorded
 * a version of it, or when a version's fingerprints are not stored; so
 * does a lambda's or a comprehension's (a `<` in the qualname). */
int ft__pyfunc_ran_code(struct ctx *x, const struct ft_pystrs *pre, const char *path);
/* The content value of `path` the test recorded: 0 and *value if there is
 * exactly one; 2 if it recorded none; 1 otherwise (several, or the values
 * could not be read). */
int ft__pyfunc_seen_value(struct ctx *x, const char *test, const char *path, int64_t *value);

/* pyfunc_imports.c */
/* The first of `entries` (the "pimport:" entries of an import in the file
 * `path`: ft_pyfunc_names_effects) that would run a project module the
 * session whose prelude is `pre` had not loaded, or NULL. */
const char *ft__pyfunc_unloaded(const struct ft_pyfiles *pre, const char *path, cJSON *entries);
/* The file of the prelude `pre` that is module `module` ("a.b", or
 * relative to the file `path`: ".b", "..a.b"), when exactly one is, else
 * NULL.  The path as the prelude holds it. */
const char *ft__pyfunc_module_file(const struct ft_pyfiles *pre, const char *path,
				   const char *module);
/* Why a name that version `v` of a test module's from-import of a
 * project module gained or lost (v->attrs: "?M.a" entries,
 * ft_pyfunc_names.h) may run code, fail, or be something pytest takes
 * from the test module by itself (a fixture), for a test whose run's
 * prelude is `pre`, or NULL if it cannot: M is one file the prelude
 * loaded, unchanged now and recorded in one version, whose fingerprint
 * binds `a` by one plain statement that nothing else of its top level
 * touches (docs/python-functions.md, "A from-import of a project
 * module"). */
const char *ft__pyfunc_attrs_unsure(struct ctx *x, const struct fpver *v,
				    const struct ft_pyfiles *pre);

/* pyfunc_widen.c */
/* May the import-time rule add tests: is a changed file of x->files
 * loaded by some session whose tests are current (its record holds it,
 * or cannot be read), or has some session no record?  1, 0, or -ENOMEM /
 * FT_EDB. */
int ft__pyfunc_widen_wanted(struct ctx *x);
/* After ft__pyfunc_widen_wanted: does the rule judge some file (and so
 * need the tool's fingerprints)?  A session without a record needs none:
 * it is widened for any changed file. */
int ft__pyfunc_widen_judges(struct ctx *x);
/* x->wide: every test of each such session for which a changed file's
 * import-time code may act otherwise now (docs/python-functions.md,
 * "Import-time effects"), with a note for --explain.  0, -ENOMEM or
 * FT_EDB. */
int ft__pyfunc_widen(struct ctx *x);
void ft__pyfunc_widen_release(struct ctx *x);

/* pyfunc_tool.c */
/* The fingerprints of x->files now: from the cache, and the helper
 * started over the others (ft__pyfunc_fresh_finish). */
int ft__pyfunc_fresh_start(struct ctx *x, const char *python, const char *tool);
/* Add the helper's output (if it was started) to x->now. */
int ft__pyfunc_fresh_finish(struct ctx *x);
/* The fingerprints of `path` now, or NULL if the file could not be read
 * or parsed (or out of memory): then every test it selected is kept. */
const struct ft_pyfp *ft__pyfunc_fresh(struct ctx *x, const char *path);
void ft__pyfunc_fresh_release(struct ctx *x);

/* pyfunc_version.c */
/* Which bodies of `changed` do the qualnames of `quals` count for (a
 * body of `bodies`)?  Their body keys, into `hit` (zeroed first): 0, or
 * -ENOMEM (hit empty). */
int ft__pyfunc_runs_changed(const struct ft_pystrs *quals, const struct ft_pyfp *bodies,
			    const struct ft_pystrs *changed, struct ft_pystrs *hit);
/* The first of the names `names` that `quals` (qualnames and name reads of
 * one file) read, "*" if it read the whole namespace, or NULL. */
const char *ft__pyfunc_reads_name(const struct ft_pystrs *quals, cJSON *names);
/* The first dunder of the names `names` ("" for a name that is no
 * string), or NULL: a session without FT_PYKEY_S_DUNDERS noted no read
 * of one. */
const char *ft__pyfunc_a_dunder(cJSON *names);
/* The same for the dunders FT_PYKEY_S_DUNDERS2 covers (`__all__`). */
const char *ft__pyfunc_a_dunder2(cJSON *names);
/* Remove from `hit` (keys a prelude ran or read) the docstrings of
 * `wraps` (NULL: none). */
void ft__pyfunc_unwrapped(struct ft_pystrs *hit, cJSON *wraps);
/* The changed keys of version `v` that `quals` ran or read, without
 * `wraps` (NULL: none), into `hit`: hit, or NULL when out of memory
 * (unknown: ft__pyfunc_blame() then keeps the test).  The caller
 * releases hit either way. */
const struct ft_pystrs *ft__pyfunc_ran_changed(const struct ft_pystrs *quals,
					       const struct fpver *v, cJSON *wraps,
					       struct ft_pystrs *hit);
/* What the change did to version (path, value): computed once per version
 * (NULL: out of memory).  `fresh` = the file's fingerprints now. */
struct fpver *ft__pyfunc_version(struct ctx *x, const char *path, int64_t value,
				 const struct ft_pyfp *fresh);

/* pyfunc_reexport.c */
/* Can test `test` see a changed name of a file through the re-exports
 * among `keys`?  (see there) */
int ft__pyfunc_forwards_see(struct ctx *x, const char *test, const struct cand *c,
			    const struct ft_pystrs *keys, cJSON *names,
			    const struct ft_pyfp *fresh, int depth);

/* pyfunc_rules.c */
/* 1 if the change of `path` cannot affect candidate `c`, 0 if it may. */
int ft__pyfunc_file_unaffected(struct ctx *x, const char *test, const char *path,
			       const struct cand *c, char **why);

/* pyfunc_explain.c */
/* Takes `text` (malloc'd; NULL is out of memory). */
int ft__pyfunc_note_add(struct ft_pyfunc_notes *notes, const char *test, const char *path,
			char *text);
/* `why` (may be NULL) = "function(s) `k`, ...PRE VERB POST" over the keys
 * of `keys` (unless it holds a text already), VERB being verbs[0] when
 * only bodies are named, verbs[1] when only docstrings, verbs[2] when both
 * ("ran", "read", "ran or read"); returns 1 if `keys` holds any (the test
 * may be affected), 0 if not. */
int ft__pyfunc_blame(const struct ft_pystrs *keys, char **why, const char *pre, const char *const verbs[3],
		     const char *post);
extern const char *const FT__PYFUNC_RAN[3];
extern const char *const FT__PYFUNC_TEST_RAN[3];
extern const char *const FT__PYFUNC_RUN[3];
extern const char *const FT__PYFUNC_NONE[3];
/* *why = a copy of `text`, unless it holds a text already. */
void ft__pyfunc_say(char **why, const char *text);
/* "names `a`, `b` of the module changed, and <tail>" */
void ft__pyfunc_say_names(char **why, cJSON *names, const char *tail);

#endif
