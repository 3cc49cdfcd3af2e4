/*
 * ft_store_runmeta.h - a run's metadata: what `ftrace affected` needs, long
 * after the run, to find tests that were never recorded (new tests).  Two
 * parts, each optional:
 *
 *  - the pytest adapter's (ingest/ft_adapter.c): the rootdir, its
 *    python_files and norecursedirs, and its collector (whether only
 *    pytest's own plugins collect, the doctests, the names that make a
 *    test, the modules start-up had loaded): selector/newtests.c;
 *  - the runners' (runners/ft_runner_meta.c): for each process-per-test
 *    runner of the run, its name, the directory it ran in and its
 *    arguments, where `ftrace affected` asks it for its test list
 *    (runners/runlists.c), and the files that are its own bookkeeping
 *    (Automake's);
 *  - `ftrace import`'s mark: the machine a bundle's run was recorded on.
 *
 * Schema version 6 keeps it in tables (store/ft_schema.c): run_pytest (one
 * row per run), run_runners (one row per runner entry, pos 1, 2, ...) and
 * run_strings (the lists of both, owner 0 for run_pytest's, owner = pos
 * for a runner entry's), each row with its checksum; runs.meta_rows counts
 * the three tables' rows of the run, under the runs row's checksum, so
 * that a row deleted is seen too.  Versions 1 to 5 kept it as one JSON
 * text in runs.meta_json, whose shape is the one ft_runmeta_parse reads
 * and ft_runmeta_json writes (docs/internals.md, "The store").  A text
 * that cannot be converted (it does not parse, or a runner entry is not
 * well formed) stays in runs.meta_json and is read as versions 1 to 5 read
 * it (store/ft_schema.c, migrate_5_6, says what happens to its tests).
 *
 * Ownership: a struct ft_runmeta owns all its strings; release it with
 * ft_runmeta_release.  The structs handed to a callback are the store's,
 * valid during the call.  Errors: negative FT_E* / -errno.
 */
#ifndef FT_STORE_RUNMETA_H
#define FT_STORE_RUNMETA_H

#include <stddef.h>
#include <stdint.h>

struct ft_store;

/* A list of strings; `has`: the list was recorded at all (some rules
 * differ between "none recorded" and "recorded empty"). */
struct ft_runmeta_strv {
	char **v;
	size_t n;
	int has;
};

struct ft_runmeta_pytest {
	char *rootdir;            /* absolute */
	struct ft_runmeta_strv python_files, norecursedirs;
	int collector;            /* a "collector" was recorded */
	int plain;                /* collector.plain is true */
	int doctest_modules;      /* -1: not recorded as a boolean, else 0 or 1 */
	int pyplain;              /* -1: not recorded as a boolean, else 0 or 1 */
	char *std;                /* the standard library's identity, or NULL */
	struct ft_runmeta_strv doctest_glob, python_functions, python_classes, loaded, stdlib;
	/* what the adapter notes beyond its listings ("lookups": every import
	 * lookup's names, found or not, and a loaded module's again in the
	 * prelude: ftrace_pysite._note_lookup, lookups_flush) */
	struct ft_runmeta_strv noted;
	/* the session's options that can change what a test does
	 * (ftrace_pytest._options: "dest=repr" sorted; ["?mixed"] when the
	 * run's sessions had different ones); not recorded: not known */
	struct ft_runmeta_strv options;
	/* the command line's arguments after pytest's (its invocation
	 * arguments; ["\x1e", "mixed"] when two sessions' differed), for
	 * `ftrace test`'s "nothing affected" (runners/runner_pytest.c) */
	struct ft_runmeta_strv args;
};

struct ft_runmeta_runner {
	char *runner;             /* a row name of runners/ft_runners.h */
	char *dir;                /* absolute */
	struct ft_runmeta_strv args;      /* after argv[0]; always recorded */
	struct ft_runmeta_strv own_files; /* the runner's own bookkeeping */
};

struct ft_runmeta {
	int64_t run_id;
	struct ft_runmeta_pytest *pytest;  /* NULL: none */
	struct ft_runmeta_runner *runners;
	size_t nrunners;
	/* read from a JSON text whose "runners" is not well formed (not an
	 * array, an entry without runner or absolute dir, an argument that is
	 * not a string): the runner lists cannot be read (FT_ECORRUPT to
	 * runlists), never "no runner".  Never set by a table read. */
	int runners_bad;
	/* `ftrace import` made this run (its tests were recorded on another
	 * machine): the bundle's "<os> <machine>", "" when it names none;
	 * NULL for a run recorded here.  JSON: {FT_STORE_IMPORT_KEY:
	 * {"machine": ...}}; table: the run_strings row (owner -1, list
	 * "imported", pos 0). */
	char *imported;
};

/* The key `ftrace import` adds to the metadata text of the runs it makes
 * (store/ft_store_import.c). */
#define FT_STORE_IMPORT_KEY "ftrace_import"

#define FT_RUNMETA_INIT { 0 }

/* Parse a versions-1-to-5 JSON text into *m (released first).  Strings in
 * arrays that are not strings, keys no reader uses, and an adapter part
 * that is not pytest's with an absolute rootdir are left out: no reader
 * ever used them.  Returns 0; FT_EFORMAT when the text does not parse or
 * is not an object (m empty); with `strict`, FT_EFORMAT too where
 * runners_bad would be set.  -ENOMEM. */
int ft_runmeta_parse(const char *json, struct ft_runmeta *m, int strict);

/* The JSON text of m, in the shape ft_runmeta_parse reads (what versions
 * 1 to 5 stored, and what a bundle carries): *out malloc'd, NULL when m
 * holds nothing.  0 or -ENOMEM. */
int ft_runmeta_json(const struct ft_runmeta *m, char **out);

void ft_runmeta_release(struct ft_runmeta *m);

/*
 * Each run that still owns a test and has metadata, newest first, read
 * into a struct ft_runmeta: from the tables, or from the text in
 * runs.meta_json (a version-5 file read without migrating, or a text that
 * could not be converted; one that does not parse is skipped, as versions
 * 1 to 5 did).  A run whose tables hold fewer or more rows than
 * runs.meta_rows says is FT_ECORRUPT.  fn's non-zero return stops the
 * walk and is returned.
 */
int ft_store_runmeta_each(struct ft_store *st,
			  int (*fn)(void *arg, const struct ft_runmeta *m), void *arg);

#endif
