/*
 * ft_runinfo.h - what a run dir needs to be ingested again later.
 *
 * `ftrace run` writes <run dir>/run.info once the command has finished and
 * before it ingests the records; when the ingest fails (a lock held too
 * long, a full disk, ftrace killed), the run dir stays, and `ftrace ingest`
 * reads run.info to save the records as `ftrace run` would have.  A run dir
 * whose records were saved but kept (--keep-records) also gets run.saved,
 * so that it is not ingested twice.
 *
 * run.info is text: the line "ftrace-run-info 1", then "key=value" lines;
 * in values, backslash and newline are written as \\ and \n.  A list
 * (`narrowed`) is one line per word, in order, its key repeated.  Reading it is
 * reading hostile input: the file must be a regular file (opened with
 * O_NOFOLLOW | O_NONBLOCK, so never a FIFO or a link), at most 1 MiB;
 * unknown keys are ignored; nothing in it is ever executed.
 *
 * A run dir in use (its `ftrace run` is still running or ingesting, or
 * another `ftrace ingest` has it) is locked with flock(2):
 * ft_runinfo_lock() takes that lock without waiting.
 *
 * Errors: negative FT_E* / -errno.  Not async-signal-safe.
 */
#ifndef FT_RUNINFO_H
#define FT_RUNINFO_H

#include <stdint.h>

#define FT_RUNINFO_FILE "run.info"
#define FT_RUNINFO_SAVED "run.saved"

struct ft_runinfo {
	int64_t t0_ns;        /* before the command started */
	int64_t finished_ns;
	int wstatus;          /* the command's wait status */
	int exit_status;      /* what `ftrace run` returned for it */
	int no_prelude_split;
	int functions;        /* recorded at function granularity */
	char *name;           /* --name / FTRACE_TEST_ID, or NULL */
	char *command;        /* argv joined */
	char *cwd;            /* where the command ran */
	char *top;            /* the repository top */
	char **narrowed;      /* the words `ftrace test`'s narrowing put into
				 the command (ingest/ft_ingest.h), NULL-ended;
				 NULL when it was not narrowed */
};

/* Write run.info into run_dir (created exclusively, mode 0600, synced). */
int ft_runinfo_write(const char *run_dir, const struct ft_runinfo *ri);

/* Read run.info: 0, -ENOENT when there is none, FT_EFORMAT when it is not
 * well formed (also: not a regular file, too big, a key missing). */
int ft_runinfo_read(const char *run_dir, struct ft_runinfo *ri);

void ft_runinfo_release(struct ft_runinfo *ri);

/* Mark run_dir's records as saved (run.saved): 0 or -errno. */
int ft_runinfo_mark_saved(const char *run_dir);

/* Does run_dir hold records still to be saved (run.info, no run.saved)? */
int ft_runinfo_pending(const char *run_dir);

/* Lock run_dir for this process without waiting: the descriptor to close
 * (which unlocks), -EWOULDBLOCK when another process has it, or -errno
 * (the run dir must be a directory, never followed as a link). */
int ft_runinfo_lock(const char *run_dir);

#endif
