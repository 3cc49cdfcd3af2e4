/*
 * ft_adapter.h - what an in-process adapter reported about its session.
 *
 * The pytest plugin (adapters/pytest/ftrace_pytest.py, docs/pytest.md)
 * writes `adapter-pytest-<pid>.json` into the run dir at session end:
 * rootdir, python_files, the project module files loaded, and per test
 * module the files of its import closure (conftests included).  Ingest uses
 * it to split the session prelude: a prelude dependency on a project module
 * file goes only to the tests whose module's closure holds it.  Several
 * files (pytest-xdist workers) are merged.  If any file is unreadable or says
 * "broken", the split is off and every test gets the whole prelude.
 *
 * "collected" names, per test file that the session collected whole, every
 * test id the file holds now; ingest forgets the file's other recorded
 * tests (ft_adapter_collected; docs/pytest.md, "Forgetting tests").  Like
 * the split, it is used only if every side file was usable.
 *
 * Ownership: struct ft_adapter owns all it holds.  Errors: -ENOMEM only;
 * a malformed side file is not an error (it turns the split off).
 */
#ifndef FT_ADAPTER_H
#define FT_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "ft_map.h"

struct ft_adapter_list {
	uint32_t *v;
	size_t n, cap;
};

/* Append v to l (growing it).  0 or -ENOMEM. */
int ft_adapter_list_push(struct ft_adapter_list *l, uint32_t v);

struct ft_adapter {
	int present;              /* at least one side file was found */
	int split;                /* the prelude may be split */
	char *meta_json;          /* {"adapter":"pytest","rootdir":..,"python_files":[..]} or NULL */
	char *rootdir;            /* pytest's rootdir, or NULL */
	char *bookkeeping;        /* <cache_dir>/v/cache: pytest's own lastfailed,
				   * nodeids, stepwise; or NULL */
	struct ft_map project;    /* project module files (set) */
	struct ft_map collect_stat; /* files pytest's collection walk only looked at (set) */
	struct ft_map leaky;      /* tests the state guard found leaving state behind
				   * (the side files' "leaky"; set) */
	int leaky_unknown;        /* a side file names none (no guard ran): every
				   * pytest test counts as leaky */
	struct ft_map leaky_scoped; /* leaky tests whose side file shares what they
				   * saw with some tests only ("leaky_scoped"; set) */
	struct ft_map leaky_wide;   /* leaky tests some side file did not scope (set) */
	struct ft_map leaky_users;  /* pairs (L, U), each an index into pair_ids as
				   * two uint32 in host order: test U gets what
				   * scoped L saw (set; ft_adapter_user_add) */
	struct ft_map pair_ids;   /* the test ids those pairs name */
	int leaky_files;          /* side files with a "leaky" list: more than one
				   * (xdist's workers) scopes none */
	int leaky_any;            /* a side file could not be read: every test may be leaky */
	struct ft_map leaky_process; /* leaky tests with a change every test reaches
				   * without importing a project module ("leaky_process"; set) */
	int leaky_process_unknown;/* a side file does not list them: every leaky test */
	struct ft_map collect_leaky; /* test module files whose collection changed
				   * state that other modules hold ("collect_leaky"'s
				   * keys; set) */
	struct ft_map leaky_env;  /* "L\0NAME": leaky test L's change was in os.environ
				   * only, NAME one of the variables ("leaky_env"; set) */
	struct ft_map env_pending;/* those L, until ft_adapter_env_scope places them (set) */
	struct ft_map env_importers; /* tests that read such a variable while a module
				   * was being imported (set) */
	int env_importers_unknown;/* a side file with "leaky_env" does not list them */
	struct ft_map code_tests; /* test id -> index into `code` ("code_files") */
	struct ft_map code_paths; /* the files those name */
	struct ft_adapter_list *code; /* per test: indices into code_paths */
	size_t code_cap;
	struct ft_map coverage_data; /* coverage.py's data files (absolute; set) */
	struct ft_map rewritten;  /* "PREFIX\0SUFFIX" of the side files'
				   * "rewritten_caches" (set) */
	struct ft_map stores;     /* the side files' "library_stores": absolute
				   * directories (set) */
	struct ft_map outputs;    /* the side files' "runner_outputs": absolute
				   * files (set) */
	struct ft_map scratch;    /* the side files' "scratch_dirs": absolute
				   * directories (set) */
	struct ft_map modules;    /* test module file -> module index */
	struct ft_map cpaths;     /* closure member path -> index into `owners` */
	struct ft_adapter_list *owners; /* per closure member path: module indices */
	size_t owners_cap;
	struct ft_map collected;  /* test file collected whole (set) */
	struct ft_map collected_ids; /* "<file>\0<id>" of its tests (set) */
	struct ft_map tests;      /* test id -> index into test_module */
	uint32_t *test_module;    /* module index, or UINT32_MAX if its file has no closure */
	char **test_file;         /* absolute test file, or NULL */
	int64_t *test_ns;         /* pytest's own duration of the test (its setup,
				   * call and teardown reports), -1: none */
	size_t tests_cap;
};

#define FT_ADAPTER_INIT { 0 }

int ft_adapter_load(struct ft_adapter *a, const char *run_dir);

struct dirent;
/* scandir filter: is this an adapter side file (adapter-pytest-*.json)? */
int ft_adapter_side_file(const struct dirent *d);

/* The JSON document in the file `name` of `run_dir` (a side file), or NULL
 * when it cannot be read or parsed.  The caller frees it (cJSON_Delete). */
struct cJSON *ft_adapter_read_doc(const char *run_dir, const char *name);

/* Is `path` a project module file (source or cached bytecode)? */
int ft_adapter_is_project(const struct ft_adapter *a, const char *path, size_t len);

/* Did pytest's collection walk pass `path` to pytest_collect_file (a
 * file it stat'ed to learn its type, not code it imports)? */
int ft_adapter_is_collect_stat(const struct ft_adapter *a, const char *path, size_t len);

/* Did the state guard find test `id` leaving the project's state changed
 * (docs/python-functions.md, "State a test leaves behind")?  A pytest
 * test of a session whose side file names no leaky tests (the guard did
 * not run: it failed, the session was killed) is: when in doubt, share. */
int ft_adapter_is_leaky(const struct ft_adapter *a, const char *id, size_t len);

/* Does what leaky test `id` saw go to some tests only (1), not to every
 * test (0)?  Only where every side file that names it leaky scoped it
 * (its "leaky_scoped": the function recorder found its change in
 * lru_cache wrappers only, docs/python-functions.md, "An lru_cache a
 * test filled"), no side file lacks the list, and only one side file has
 * one: tests run in several processes (xdist) may meet in other ones in
 * the next run. */
int ft_adapter_leaky_scoped(const struct ft_adapter *a, const char *id, size_t len);

/* The leaky part of side files' documents `roots` (NULL: one that could
 * not be read) as ft_adapter_load takes it: for a reader of the documents
 * that needs no more (python/ft_pyfunc_rec.c).  0 or -ENOMEM. */
int ft_adapter_load_leaky(struct ft_adapter *a, struct cJSON *const *roots, int n);

struct ft_collect;
/* Place the leaky tests whose change was in environment variables only
 * (the side file's "leaky_env"; docs/python-functions.md, "A variable a
 * test set"), after ft_adapter_load or ft_adapter_load_leaky: such a test
 * L is scoped (ft_adapter_leaky_scoped), its users the other tests of `c`
 * that read one of its variables, read the whole environment or started a
 * program; or it is wide (every test's) when a context that is no test
 * read one, started a program or read them all, when a user is leaky
 * itself (but an lru_cache filler, whose users become L's) or read one
 * while a module was being imported, or when L is a user
 * of another scoped test.  0 or -ENOMEM. */
int ft_adapter_env_scope(struct ft_adapter *a, const struct ft_collect *c);

/* "L\0U" (id, NUL, user) in buf, *klen its length; NULL when it does not
 * fit: the key of leaky_env's pairs and of ft_adapter_env_scope's own
 * (leaky_users keys its pairs by index: ft_adapter_user_add). */
const char *ft_adapter_pair_key(char *buf, size_t size, const char *id, size_t len,
				const char *user, size_t ulen, size_t *klen);

/* Did leaky test `id` change what every test reaches without importing a
 * project module (the environment, sys.path, the standard library's
 * state; the side file's "leaky_process"), or can that not be told?
 * Then what it ran is in files that a later test need not import. */
int ft_adapter_leaky_process(const struct ft_adapter *a, const char *id, size_t len);

/* Did collecting test module `file` (absolute) change state that other
 * modules hold (a side file's "collect_leaky")?  Its closure's part of the
 * prelude reaches tests of other modules then, in that session. */
int ft_adapter_collect_leaky(const struct ft_adapter *a, const char *file);

/* The project files whose code test `id` ran outside its module's
 * closure (every file whose code it ran, for a leaky test; the side
 * file's "code_files"), as indices into a->code_paths (ft_map_key); NULL
 * and *n = 0 if none. */
const uint32_t *ft_adapter_code_files(const struct ft_adapter *a, const char *id, size_t len, size_t *n);

/* Is test `user` one that gets what scoped leaky test `id` saw? */
int ft_adapter_leaky_user(const struct ft_adapter *a, const char *id, size_t len,
			  const char *user, size_t ulen);

/* The same by index: *ix gets the index of test `id` among the tests
 * the pairs name (1), or 0 when it is in none (a user of no test). */
int ft_adapter_pair_index(const struct ft_adapter *a, const char *id, size_t len, uint32_t *ix);
int ft_adapter_leaky_user_ix(const struct ft_adapter *a, uint32_t id_ix, uint32_t user_ix);

/* Test `user` gets what scoped leaky test `id` saw.  0 or -ENOMEM. */
int ft_adapter_user_add(struct ft_adapter *a, const char *id, size_t len,
			const char *user, size_t ulen);

/* Pair `n` of leaky_users (n < its count): the leaky test's id and the
 * user's, as ft_map_key gives them (valid while the adapter lives). */
void ft_adapter_user_pair(const struct ft_adapter *a, uint32_t n, const char **id, size_t *len,
			  const char **user, size_t *ulen);

/* Is `path` coverage.py's own (a side file's "coverage_data" D): D, D-journal,
 * D-wal, D-shm, or D.<suffix> (a parallel data file, no '/' in <suffix>),
 * and those with -journal?  Coverage removes D at the start and writes them
 * at the end; no test reads them (docs/pytest.md, "Coverage"). */
int ft_adapter_is_coverage_data(const struct ft_adapter *a, const char *path, size_t len);

/* Is `path` a file that a library of the session reads and then, in the
 * same call, writes again with what it used (a side file's
 * "rewritten_caches" [PREFIX, SUFFIX]: PREFIX + a name with no '/' +
 * SUFFIX; the adapter names one only where the library's code is the text
 * it was checked against: docs/pytest.md, "Caches written again")?  The
 * state the run left then stands for what its reader saw, when that
 * reader alone wrote it (ingest, run_change_is_benign). */
int ft_adapter_is_rewritten_cache(const struct ft_adapter *a, const char *path, size_t len);

/* Is `path` a library's store, or under one: a directory where a library
 * of the session keeps files that it makes when it looks for them and
 * finds none (a side file's "library_stores": Hypothesis's storage
 * directory, its example database and caches; docs/pytest.md, "Library
 * stores")?  Ingest keeps for them the rule it had before a path found
 * absent and then made by the test became its dependency: such a path is
 * the test's output. */
int ft_adapter_is_library_store(const struct ft_adapter *a, const char *path, size_t len);

/* Is `path` a file the runner writes that the session looked up only to
 * ask whether it is a directory (a side file's "runner_outputs": the value
 * of pytest's --junitxml, whose argument check is the text the adapter
 * checked; docs/pytest.md, "Reports the session writes")?  Found absent
 * and then made, it is the session's output, as a library store's file:
 * absent or a file, the check answered the same. */
int ft_adapter_is_runner_output(const struct ft_adapter *a, const char *path, size_t len);

/* Is `path` a directory the session emptied before its first use of it,
 * or under one (a side file's "scratch_dirs": pytest's --basetemp, which
 * the first tmp_path of the session removes and makes again;
 * docs/pytest.md, "A base temporary directory in the checkout")?  Ingest
 * counts it as scratch, as the default base in the temporary directory.
 * An entry that is `top` (the repository's) or above it counts for
 * nothing: a side file that says so is not believed. */
int ft_adapter_is_scratch_dir(const struct ft_adapter *a, const char *path, size_t len, const char *top);

/* Module indices whose closure holds `path`; NULL and *n = 0 if none. */
const uint32_t *ft_adapter_owners(const struct ft_adapter *a, const char *path, size_t len, size_t *n);

/* The module index and file of test `id`: returns 1 if the adapter knows
 * the test, 0 otherwise; *module is UINT32_MAX if its file has no closure. */
int ft_adapter_test(const struct ft_adapter *a, const char *id, size_t len,
		    uint32_t *module, const char **file);

/* pytest's own duration of test `id` in ns, as the plugin reported it
 * (the sum of its phases' report durations); -1 when it reported none. */
int64_t ft_adapter_test_ns(const struct ft_adapter *a, const char *id, size_t len);

/* Test files collected whole: *n of them, each by ft_adapter_collected_file
 * (0 when a side file was unusable). */
size_t ft_adapter_collected_count(const struct ft_adapter *a);
const char *ft_adapter_collected_file(const struct ft_adapter *a, size_t i);

/* Does collected test file `file` hold the test `id` now? */
int ft_adapter_collected(const struct ft_adapter *a, const char *file, const char *id);

void ft_adapter_release(struct ft_adapter *a);

#endif
