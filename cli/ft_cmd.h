/*
 * ft_cmd.h - the command layer.  Only code under cli/ prints diagnostics and
 * chooses exit statuses; everything below it returns FT_E* codes.
 *
 * Each subcommand lives in cli/cmd_<name>.c and has the signature below:
 * argv[0] is the subcommand name, the return value is the process exit
 * status.  Every subcommand accepts -h/--help.
 */
#ifndef FT_CMD_H
#define FT_CMD_H

#include <stddef.h>

/* Exit statuses shared by all subcommands (docs/usage.md lists them). */
enum ft_exit {
	FT_EXIT_OK = 0,          /* success; for `affected`: the set printed is complete */
	FT_EXIT_UNKNOWN = 2,     /* could not tell (no recording, corrupt db, ...); run everything */
	FT_EXIT_USAGE = 64,      /* bad command line (EX_USAGE) */
	FT_EXIT_SOFTWARE = 70,   /* internal error (EX_SOFTWARE) */
	FT_EXIT_CONFIG = 78,     /* .ftrace.json is invalid, or the settings file, state dir or
				  * database is another user's (EX_CONFIG); nothing was run */
	FT_EXIT_CANTEXEC = 127,  /* `run`: the command could not be started */
};

int ft_cmd_run(int argc, char **argv);
int ft_cmd_affected(int argc, char **argv);
int ft_cmd_records(int argc, char **argv);
int ft_cmd_ptexec(int argc, char **argv);   /* hidden: __ptrace-exec */
int ft_cmd_test(int argc, char **argv);
int ft_cmd_hook(int argc, char **argv);
int ft_cmd_ingest(int argc, char **argv);
int ft_cmd_flaky(int argc, char **argv);
int ft_cmd_stats(int argc, char **argv);
int ft_cmd_export(int argc, char **argv);   /* cli/cmd_export.c */
int ft_cmd_import(int argc, char **argv);   /* cli/cmd_import.c */
int ft_cmd_merge(int argc, char **argv);    /* cli/cmd_merge.c */
int ft_cmd_watch(int argc, char **argv);    /* cli/cmd_watch.c */

/* An outcome (enum ft_outcome) in words: "passed", "failed", "skipped",
 * "error", "no result" (cli/cmd_flaky.c). */
const char *ft_cmd_outcome_name(int outcome);

/* What kind of reason r is, as `affected --format json` and the reports
 * name it: the dependency kind, or "test file", "trace", "config",
 * "history", "outcome" (cli/affected_print.c). */
struct ft_reason;
const char *ft_cmd_reason_kind(const struct ft_reason *r);

/* May `cmd` use the state directory `dir` and its database (ft_trust.h)?
 * 0, or an error code after printing why and how to allow it
 * (cli/run_save.c).  A missing one is fine: there is nothing to read. */
int ft_cmd_trust_state(const char *cmd, const char *dir);

/* Options of `ftrace run`, as bits. */
enum ft_run_flags {
	FT_RUN_KEEP = 1u << 0,     /* keep the run dir's raw records */
	FT_RUN_QUIET = 1u << 1,    /* no summary line */
	FT_RUN_NO_SPLIT = 1u << 2, /* every test depends on the whole prelude */
	FT_RUN_GRANULARITY = 1u << 3, /* --granularity given: .ftrace.json's does not apply */
};

/* The command as one test's name, as `ftrace run` names a command that no
 * runner splits: its words joined by single spaces (malloc'd, or NULL).
 * `ftrace test` and `ftrace verify` look that test up by the same name
 * (cli/cmd_run.c). */
char *ft_cmd_join_argv(char **argv);

/* `ftrace run` after its options: run argv under the interposer, ingest,
 * return the status `ftrace run` documents (cli/run_launch.c). */
int ft_cmd_run_argv(char **argv, const char *name, unsigned flags);
/* The same for `ftrace test`'s narrowed command: `narrowed` holds the
 * words its narrowing put into the user's (ft_runner_argv_inserted;
 * NULL-terminated; NULL: none), which the runners' entries of the run
 * leave out (runners/ft_runner_meta.h). */
int ft_cmd_run_argv_narrowed(char **argv, const char *name, unsigned flags,
			     char *const *narrowed);

/* Save a run dir's records into <state_dir>/ftrace.db (cli/run_save.c),
 * shared by `ftrace run` and `ftrace ingest`: ingest, record functions and
 * pytest's pyproject view, print the summary (unless quiet), then remove
 * the run dir, or with `keep` mark it saved.  On failure: says so (prefixed
 * by `cmd`), naming `ftrace ingest RUN_DIR`, keeps the run dir, and
 * returns the negative code. */
struct ft_runinfo;
struct ft_cmd_save {
	const char *cmd;        /* "run", "ingest": for messages */
	const char *state_dir;
	const char *run_dir;
	const char *adapters;   /* ft_locate_adapters(), or "" */
	const struct ft_config *cfg;
	int quiet, keep;
	int caller_removes;     /* the caller removes the run dir (run: through its descriptor) */
	const char *ident_top;  /* ft_statedir_top(): the tree the database must be (adopts one without) */
	/* the database opened before the command ran (ft_cmd_save_open), or
	 * NULL: ft_cmd_save_run takes it (saves into it if ft_store_still
	 * says so, else opens the file again) and sets *held to NULL */
	struct ft_store **held;
	char *const *narrowed;  /* ft_cmd_run_argv_narrowed's, or NULL */
};
int ft_cmd_save_run(const struct ft_cmd_save *sv, const struct ft_runinfo *ri);

/* Open <state_dir>/ftrace.db as a run's save does: owner-only (its mode,
 * and those of its -wal and -shm, made private first; SQLite creates
 * those under umask 077), ft_store_open with `flags`.  ft_store_open's
 * return. */
int ft_cmd_save_open(const char *state_dir, unsigned flags, struct ft_store **st);

/* The lock wait of the stores this process opens (ft_store_lock_wait()):
 * a writer (saving a recording) waits as long as the holder is alive, a
 * reader FT_STORE_BUSY_MS; $FTRACE_LOCK_TIMEOUT (seconds) overrides both.
 * A wait of a second or more is said on stderr (cli/run_save.c). */
void ft_cmd_lock_wait(int writer);

/* The selection filters of `affected` and `test` (cli/filters.c), for
 * the pipeline's chain (selector/ft_pipeline.h): pytest's config view,
 * then the Python filter: when `funcs` (--granularity=function or auto),
 * the tests function granularity proves unaffected are removed; at any
 * granularity, the suites whose import-time code may now act on other
 * tests are added; --explain's notes go into `notes` (NULL: none).  Fills
 * out[0..FT_CMD_NFILTERS), returns how many. */
#define FT_CMD_NFILTERS 2
struct ft_select_filter;
struct ft_store;
struct ft_selection;
struct ft_pyfunc_notes;
size_t ft_cmd_filters(struct ft_select_filter *out, int funcs,
		      struct ft_pyfunc_notes *notes);

/* The pipeline's note hook: "ftrace: <cmd>: <msg>" on stderr (`cmd` is
 * the command's name, a const char *). */
void ft_cmd_note(void *cmd, const char *msg);

/* The filters themselves, as struct ft_select_filter's apply: on trouble
 * they note it and keep the set (cli/cmd_pyfunc.c, cli/cmd_pyconf.c), or
 * the Python filter, when it cannot tell whether an import-time effect
 * widens the set, marks the selection incomplete.
 * The function filter's `arg` is its struct ft_pyfunc_notes (or NULL). */
struct ft_err;
int ft_cmd_pyfunc_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			struct ft_err *note);
/* The same filter by file: it only adds (the import-time rule). */
int ft_cmd_pyimport_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			  struct ft_err *note);
int ft_cmd_pyconf_apply(void *arg, struct ft_store *st, struct ft_selection *sel,
			struct ft_err *note);

/* The Python that runs an adapter's helper at selection: $FTRACE_PYTHON,
 * else "python3" from PATH (cli/cmd_pyfunc.c).  Never a program the
 * database names: the database is input, and input never chooses what
 * ftrace executes (docs/usage.md, "Trust"). */
const char *ft_cmd_python(void);

/* Python granularity (docs/python-functions.md, "Switches").  FT_GRAN_AUTO,
 * the default: `ftrace run` records functions where the interpreter has a
 * cheap hook (CPython 3.11.4+ with the frame hook, 3.12+), and `ftrace
 * affected` filters by function, as FT_GRAN_FUNCTION does.  Function
 * granularity applies only to the tests recorded with it: every other test
 * is selected by file. */
enum { FT_GRAN_FILE = 0, FT_GRAN_FUNCTION = 1, FT_GRAN_AUTO = 2 };

/* "file", "function" or "auto" as FT_GRAN_*; -1 for anything else. */
int ft_cmd_granularity_parse(const char *s);

/* The granularity when no --granularity chose (cli/granularity.c):
 * .ftrace.json's "granularity" (`cfg_gran`, 0 when it has none); without
 * it, an exported FTRACE_GRANULARITY ("file", "function" or "auto");
 * without that, FT_GRAN_AUTO.  -1 (said on stderr) for another value of
 * FTRACE_GRANULARITY. */
int ft_cmd_granularity_default(int cfg_gran);

/* FTRACE_GRANULARITY for the command `ftrace run` starts, which the
 * pytest plugin reads: "function", "auto", or none for FT_GRAN_FILE. */
void ft_cmd_granularity_set(int gran);

/* The selection pipeline failed (selector/ft_pipeline.h): why it cannot
 * tell, in one line into `why` (returning 1), or for an internal error
 * (p->step FT_PIPE_STATE, FT_PIPE_ALWAYS_RUN) its negative code
 * (cli/cannot_tell.c).  `test` and `verify` then run everything. */
struct ft_pipeline;
int ft_cmd_cannot_tell(const struct ft_pipeline *p, char *why, size_t cap);

/* `ftrace verify` (cli/cmd_verify.c). */
int ft_cmd_verify(int argc, char **argv);

/* What a `test` or `verify` selection did, kept for `ftrace stats`
 * (cli/history.c, store/ft_store_history.h). */
struct ft_cmd_history {
	size_t known;           /* tests in the database */
	long long selected;     /* selected; -1: cannot tell, everything ran */
	char *reasons;          /* ft_cmd_history_reasons(), or NULL ("{}") */
	long long escapes;      /* verify's escapes; -1: none judged */
	long long timed;        /* known tests not selected that have a recorded
				 * duration (cli/durations.h); -1: not measured */
	long long timed_ns;     /* their recorded durations, summed; -1: not measured */
};
/* The selection's tests counted by reason, as a JSON object (malloc'd),
 * or NULL on ENOMEM. */
struct ft_selection;
char *ft_cmd_history_reasons(const struct ft_selection *sel);
/* Add h to the database `db` ("" or NULL: the state dir's, as the run
 * saved it): best effort, a failure said on stderr (prefixed by `cmd`,
 * "test" or "verify"), nothing when there is no recording. */
void ft_cmd_history_note(const char *cmd, const char *db, const struct ft_cmd_history *h);

/* "ftrace: <what>: <message>" on stderr.  printf-like. */
void ft_cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
