/*
 * verify.h - `ftrace verify`'s comparison and report, shared by
 * cli/cmd_verify.c (options, selection, the run), cli/verify_report.c
 * (what the new recording says against the old one, on stderr and as
 * JSON) and cli/verify_escape.c (an escape's paragraph).  Internal to the
 * command layer.
 */
#ifndef FT_CLI_VERIFY_H
#define FT_CLI_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FT_EXIT_ESCAPE 99  /* a test the selection left out changed or fails */

/* A test known before the run. */
struct verify_known {
	char *id;
	int outcome;       /* enum ft_outcome, as recorded */
	int selected;      /* in the selection */
	int64_t flaky_before; /* its flaky count before the run (0: not flaky) */
	int learned;       /* the run taught ftrace it is flaky (count went up) */
};

/* A flaky test of the run, for the report (cli/verify_flaky.c): known
 * flaky before, not selected, and flipped (not an escape), or learned
 * flaky by this run (an escape when it was not selected). */
struct verify_flaky {
	char *id;
	int before, now;   /* enum ft_outcome */
	int learned;       /* learned by this run */
	int escape;        /* counted as an escape */
	int excused;       /* known flaky, not selected, flipped: no escape */
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
	struct verify_flaky *flaky;
	size_t nflaky, capflaky;
	size_t excused;           /* flips of known flaky tests: not escapes */
};

/* Read the new recording, compare with v->known, say the result on
 * stderr (and into v->report), and return the exit status `ftrace
 * verify` documents.  Never fails silently: a recording that cannot be
 * read is "no verdict". */
int verify_compare(struct verify *v);

void verify_release(struct verify *v);

/* An escape or a failure of the run, kept for the report. */
struct verify_outcome { char *id; int before, now, learned; };

/* Does outcome o (enum ft_outcome) fail: neither passed nor skipped? */
int verify_fails(int o);

/* cli/verify_escape.c: the paragraph of escape e on stderr and, when json
 * is not NULL, its object in the report: which of its dependencies in the
 * old copy (v->snapshot) read differently in `now`. */
void verify_say_escape(const struct verify *v, struct ft_store *now,
		       const struct verify_outcome *e, FILE *json);

/* `len` bytes of s as a JSON string (bytes outside ASCII as \u00XX). */
void verify_json_str(FILE *f, const char *s, size_t len);

/* cli/verify_flaky.c.  Before the run: each known test's flaky count
 * (v->known sorted).  After it: which of them the run taught ftrace are
 * flaky (a count that went up).  0 or a negative code. */
struct ft_store;
int verify_flaky_before(struct verify *v, struct ft_store *old);
int verify_flaky_after(struct verify *v, struct ft_store *now);

/* Is k's change to `now` excused: k was known flaky before the run, and
 * `now` is a flip of its recorded outcome (passed <-> failed/error)? */
int verify_flaky_excused(const struct verify_known *k, int now);

/* Keep a flaky test for the report: `how` is 'x' excused, 'e' an escape
 * learned flaky, 's' selected and learned flaky.  0 or -ENOMEM. */
int verify_flaky_push(struct verify *v, const struct verify_known *k, int now, int how);

/* Say the flaky tests on stderr (json NULL), or as the report's "flaky"
 * list (the text `,"flaky":[...]` into json). */
void verify_flaky_say(const struct verify *v, FILE *json);
void verify_flaky_release(struct verify *v);

#endif
