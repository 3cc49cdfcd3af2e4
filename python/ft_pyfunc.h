/*
 * ft_pyfunc.h - Python function granularity (docs/python-functions.md).
 *
 * Recording (python/ft_pyfunc_rec.c): after a run's ingest, the pytest
 * plugin's side files that hold "functions" (ftrace run
 * --granularity=function) are folded into optional tables, created
 * on demand with CREATE TABLE IF NOT EXISTS (no schema version bump: a
 * database without them is simply one without function data):
 *
 *   pyfunc_fps(path BLOB, value INTEGER, skeleton, bodies, prelude, names)
 *       the fingerprints of one version of a project .py file, keyed by
 *       its FT_DEP_FILE content value; `prelude` = the qualnames that ran
 *       outside any test (JSON array) in some run that saw this version;
 *       `names` = the fingerprint's statement list and refs
 *       (ft_pyfunc_names.h; NULL, or no column in an older table: no
 *       namespace narrowing)
 *   pyfunc_tests(name TEXT PRIMARY KEY, run_id, complete, funcs, own)
 *       per test: the run whose recording the row describes, whether the
 *       session's recording was complete, the qualnames it ran per file
 *       (JSON object), the project .py files its own context (not the
 *       prelude) touched (JSON array)
 *   pyfunc_runs(run_id INTEGER PRIMARY KEY, prelude)
 *       what the preludes of a run's sessions ran ({file: [qualnames]})
 *   pyfunc_lazy(name TEXT PRIMARY KEY, run_id, files)
 *       per test, the .py files its module reaches only through imports
 *       on demand that the test never ran (JSON array; the plugin's
 *       "lazy_only"); counts only with the test's current run_id
 *
 * A pyfunc_tests row counts only while its run_id equals tests.run_id: a
 * later recording of the test at file granularity makes it stale without
 * touching it.  This relies on run ids never being reused (no code
 * deletes rows of `runs`; if some ever does, add AUTOINCREMENT or compare
 * runs.started_ns as well).
 *
 * Selection (python/pyfunc_filter.c and the parts ft_pyfunc_int.h lists;
 * the recordings are parsed by ft_pymodel.h): ft_pyfunc_filter() takes a complete
 * file-granularity selection and removes the tests it can prove are not
 * affected: every reason is a content change of a project .py file (or of
 * that file's .pyc when the .py changed too) whose skeleton is unchanged
 * (or changed only in module-level names no read of the test's or of a
 * prelude saw: ft_pyfunc_names.h) and none of whose changed function
 * bodies the test ran or any prelude ran.  A test's and a prelude's
 * qualnames include "@name" (a read of the module's name) and "@*" (of
 * its whole namespace); a run's prelude marks "@+"/"@-" per file.  A
 * function's docstring is a key of its own, FT_PYFUNC_DOC after the
 * qualname, in the fingerprints' bodies and in what was run: what "ran"
 * it is a read of the function's __doc__; so are its postponed
 * annotations, FT_PYFUNC_ANN, read through __annotations__.  A changed file in the
 * test's pyfunc_lazy row counts for it only if the test ran some of its
 * code, its own processes touched it, or its run's preludes ran one of
 * its functions.  Anything it cannot prove keeps the test: the result is never
 * smaller than what these rules justify, and an error removes nothing.
 *
 * Errors: negative FT_E* codes.  Ownership: nothing returned needs freeing.
 */
#ifndef FT_PYFUNC_H
#define FT_PYFUNC_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;
struct ft_selection;

/* Fold the side files of `run_dir` into the tables, for the run whose row
 * has `started_ns` and `command` (the run just ingested): function data
 * where a session has it, and for every pytest session (by file too) the
 * fingerprints of the project .py files it loaded and the run's record of
 * them (pyfunc_runs), which selection's import-time rule reads.  Does
 * nothing (and creates nothing) without a pytest side file.  A side file
 * that cannot be used records nothing for its tests: they keep file
 * granularity.  On failure, the run's record is replaced, if it can be,
 * by one no reader parses: selection then widens the run's suite for any
 * changed .py file. */
int ft_pyfunc_record(struct ft_store *st, const char *run_dir, int64_t started_ns,
		     const char *command);

/* The suffix of a docstring key (ftrace_fingerprint.DOC): "C.m#doc" is the
 * docstring of C.m, which no qualname can be. */
#define FT_PYFUNC_DOC "#doc"
/* The suffix of an annotations key (ftrace_fingerprint.ANN): "C.m#ann" is
 * the postponed annotations of C.m, which only __annotations__ reads. */
#define FT_PYFUNC_ANN "#ann"

/* pyfunc_tests.complete: 0 incomplete; FT_PYFUNC_COMPLETE_NODOCS complete,
 * but recorded before docstring reads were (its row would miss them, so it
 * counts as incomplete); FT_PYFUNC_COMPLETE complete. */
#define FT_PYFUNC_COMPLETE_NODOCS 1
#define FT_PYFUNC_COMPLETE 2
/* complete, but the test depends on more than the code it ran (the
 * plugin's "whole": a hypothesis test drawing data from every local
 * module's constants): never narrowed. */
#define FT_PYFUNC_WHOLE 3

/* meta key: the sys.executable of the newest recording that had function
 * data (the pytest plugin's "executable"; ft_store_meta_get).  A note
 * only: selection never runs it. */
#define FT_PYFUNC_META_PYTHON "pyfunc_python"

struct ft_pyfunc_stats {
	size_t candidates;       /* tests selected only by .py content changes */
	size_t dropped;          /* removed from the selection */
	size_t files;            /* .py files fingerprinted now */
	size_t cached;           /* of which from the cache (ft_pyfunc_fpcache.h) */
	int python_ran;          /* 1 if the fingerprint tool was started */
	/* The fingerprints of now came from another Python than the one a
	 * recorded session ran (their "std" differs: ftrace_fingerprint's
	 * std_identity): the versions, as "3.11.7" (the first differing
	 * file's), else "" */
	char std_now[32], std_then[32];
	/* The fingerprint tool failed (a negative error code), else 0: then
	 * no test was dropped, and every suite whose session loaded a
	 * changed .py file was added (the import-time rule could not judge
	 * the change). */
	int tool_rc;
};

/* `--explain`: why function granularity kept a test that a change of a
 * .py file selected.  `path` is the changed file, or NULL for the test as
 * a whole (it was no candidate).  `text` names what changed: "skeleton
 * changed (...)", "function `f` changed; the test ran it", ... */
struct ft_pyfunc_note {
	char *test;
	char *path;
	char *text;
};

struct ft_pyfunc_notes {
	struct ft_pyfunc_note *v;
	size_t n, cap;
};

void ft_pyfunc_notes_release(struct ft_pyfunc_notes *notes);

/* The note for (test, path) (path NULL: the whole-test note), or NULL. */
const char *ft_pyfunc_note_find(const struct ft_pyfunc_notes *notes, const char *test,
				const char *path);

/* Remove from `sel` the tests that function granularity proves unaffected
 * (only when `narrow`: selection by function), and add every test of the
 * suite of a session whose import-time code a change may have made act
 * on other modules (docs/python-functions.md, "Import-time effects"; at
 * either granularity: the file-level selection splits the prelude by
 * importer, which that case escapes).  `python` runs `tool`
 * (adapters/pytest/ftrace_fingerprint.py) once over the changed .py
 * files, and only if there is a candidate or a session loaded one of
 * them; its failure is stats->tool_rc, not an error.  On error nothing
 * has been removed or added, and the caller cannot tell (some session's
 * import-time code may act now).  `notes` (NULL: none wanted) receives
 * why each kept test with a changed .py file was kept; on error it may
 * hold some notes, which the caller releases in any case. */
int ft_pyfunc_filter(struct ft_store *st, struct ft_selection *sel, const char *python,
		     const char *tool, int narrow, struct ft_pyfunc_stats *stats,
		     struct ft_pyfunc_notes *notes);

/* The source a cached bytecode file belongs to: "d/__pycache__/m.TAG.pyc"
 * -> "d/m.py" (TAG may hold dots: cpython-311-pytest-8.4.2).  Returns 0
 * and writes `out`, or -1 if `pyc` is not of that form or does not fit. */
int ft_pyfunc_pyc_source(const char *pyc, char *out, size_t cap);

/* CRC-32 (IEEE, as zlib.crc32) of a buffer: ties the bytes the plugin
 * parsed to the bytes ingest hashed. */
uint32_t ft_pyfunc_crc32(const void *buf, size_t len);

#endif
