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

struct ft_store;

#define FT_EXIT_ESCAPE 99  /* a test the selection left out changed or fails */

/* A test known before the run. */
struct verify_known {
	char *id;
	int outcome;       /* enum ft_outcome, as recorded */
	int selected;      /* in the selection */
	int64_t flaky_before; /* its flaky count before the run (0: not flaky) */
	int learned;       /* the run taught ftrace it is flaky (count went up) */
	int64_t run_id;    /* the run that recorded it */
	int pytest;        /* a pytest test: its options are compared after the
			    * run (`ftrace test`'s plugin would have run it
			    * where they differ: verify_known.c) */
	char *pyopts;      /* the pytest options its run recorded, one per
			    * line; NULL: none kept */
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

/* A test of the new run, for the comparison and the report: escapes and
 * plain failures keep `before` (the recorded outcome) and `now`; every
 * test the run ran is kept in `ran` for the report's "tests" (known: it
 * was recorded before; selected: the selection chose it). */
struct verify_outcome { char *id; int before, now, learned, known, selected; };
/* For a known pytest test left out of the selection: would `ftrace test`
 * have run it anyway, since the run that recorded it kept other pytest
 * options than the new run (f->last) did, or none?  1 yes, 0 no, or a
 * store code (verify_known.c). */
int verify_pytest_other_options(struct verify_known *k, struct ft_store *st, int64_t last,
				char **now, int *have_now);

struct verify_found {
	struct verify_outcome *esc, *fail, *ran, *unj;
	size_t nesc, nfail, nran, nunj, cesc, cfail, cran, cunj;
	int64_t last;             /* the new run's id */
	/* The tests of the new run whose failure is the run's status, not
	 * their own (the runner reports no per-test outcome: test_times has
	 * them as FT_OUTCOME_UNKNOWN, ft_store_times.h), sorted. */
	char **guessed;
	size_t nguessed, cguessed;
	size_t sel_failed;        /* selected tests that fail now */
	size_t own_failed;        /* tests whose own outcome (not the run's
				   * status) is a failure now: selected or
				   * not, new, known flaky */
	/* unj: known tests, not selected, whose failure is only the run's
	 * status while a test failed by its own outcome too (selected, new,
	 * a known flaky one, an escape): that failure explains the status,
	 * so they cannot be judged.  When no test failed by its own outcome,
	 * the run's failure came from a test left out: they are escapes
	 * instead, and by_status says so. */
	int by_status;
};

/* One verify (or, for its report, one `ftrace test`: cli/test_report.c).
 * The caller fills the first part before the run; the comparison fills
 * the rest. */
struct verify {
	/* before the run */
	const char *report;       /* --report FILE, or NULL */
	char *selection;          /* the report's "selection" object, as JSON
				   * (report_selection; owned), or NULL */
	int is_test;              /* `test`'s report: every known test that ran
				   * is judged as selected (what ran was chosen
				   * to run: no escape), and one known flaky
				   * whose outcome flipped is listed flaky */
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

/* The known tests of the recording before the run (v->known, sorted),
 * each marked selected when in `sel` (NULL: none), their flaky counts,
 * and the newest run (v->last_run).  0 or a negative code. */
struct ft_selection;
int verify_known_load(struct verify *v, struct ft_store *st, const struct ft_selection *sel);
/* Mark again which are selected: those in `sel` (sorted by id). */
void verify_known_select(struct verify *v, const struct ft_selection *sel);

/* Read the new recording in v->db: the newest run of v->command from the
 * current directory, newer than v->last_run (else FT_ENORECORD), judged
 * against v->known into *f (escapes and failures only with v->verdict);
 * fills v->run, v->failed, v->new_tests and the flaky list.  *st is left
 * open on the new database (close it), NULL on failure.  0 or a code. */
int verify_read_new(struct verify *v, struct verify_found *f, struct ft_store **st);
void verify_found_release(struct verify_found *f);

/* Read the new recording, compare with v->known, say the result on
 * stderr (and into v->report), and return the exit status `ftrace
 * verify` documents.  Never fails silently: a recording that cannot be
 * read is "no verdict". */
int verify_compare(struct verify *v);

void verify_release(struct verify *v);

/* Does outcome o (enum ft_outcome) fail: neither passed nor skipped? */
int verify_fails(int o);

/* cli/verify_escape.c: the paragraph of escape e on stderr and, when json
 * is not NULL, its object in the report: which of its dependencies in the
 * old copy (v->snapshot) read differently in `now`. */
void verify_say_escape(const struct verify *v, struct ft_store *now,
		       const struct verify_outcome *e, FILE *json);

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
