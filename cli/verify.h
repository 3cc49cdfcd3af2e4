/*
 * verify.h - `ftrace verify`'s comparison and report, shared by
 * cli/cmd_verify.c (options, selection, the run) and cli/verify_report.c
 * (what the new recording says against the old one, on stderr and as
 * JSON).  Internal to the command layer.
 */
#ifndef FT_CLI_VERIFY_H
#define FT_CLI_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#define FT_EXIT_ESCAPE 99  /* a test the selection left out changed or fails */

/* A test known before the run. */
struct verify_known {
	char *id;
	int outcome;       /* enum ft_outcome, as recorded */
	int selected;      /* in the selection */
};

/* One verify.  The caller fills the first part before the run; the
 * comparison fills the rest. */
struct verify {
	/* before the run */
	const char *report;       /* --report FILE, or NULL */
	const char *command;      /* the command, as one line (for the report) */
	int verdict;              /* the selection was computed: escapes can be judged */
	char why[12288];          /* !verdict: why not */
	struct verify_known *known; /* sorted by id */
	size_t nknown, nselected;
	int64_t last_run;         /* the newest run before ours */
	char db[4200];            /* the database the run saves into */
	char snapshot[4200];      /* the old database's copy ("": none) */
	/* after the run */
	int cmd_status;           /* ftrace run's status */
	size_t run, failed, escapes, new_tests;
};

/* Read the new recording, compare with v->known, say the result on
 * stderr (and into v->report), and return the exit status `ftrace
 * verify` documents.  Never fails silently: a recording that cannot be
 * read is "no verdict". */
int verify_compare(struct verify *v);

void verify_release(struct verify *v);

#endif
