/*
 * verify_report.c - `ftrace verify`'s verdict: the new recording's
 * outcomes against the old ones, said on stderr and, with --report, as
 * JSON (docs/usage.md, "ftrace verify").
 *
 * The tests of the new run are those of the newest run of our command
 * line from our directory, when that run is newer than the newest run
 * before ours: otherwise the recording was not saved and there is no
 * verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "ft_store_times.h"
#include "report.h"
#include "verify.h"



#define outcome_name ft_cmd_outcome_name

int verify_fails(int o)
{
	return o != FT_OUTCOME_PASSED && o != FT_OUTCOME_SKIPPED;
}

static int push(struct verify_outcome **a, size_t *n, size_t *cap, const char *id, int before, int now)
{
	if (*n == *cap) {
		struct verify_outcome *na = realloc(*a, (*cap = *cap ? *cap * 2 : 8) * sizeof(*na));
		if (!na)
			return -ENOMEM;
		*a = na;
	}
	if (!((*a)[*n].id = strdup(id)))
		return -ENOMEM;
	(*a)[*n] = (struct verify_outcome){ (*a)[*n].id, before, now, 0, 0, 0 };
	(*n)++;
	return 0;
}

/* Every test the run ran, for the report's "tests". */
static int push_ran(struct verify_found *f, const char *id, const struct verify_known *k, int now)
{
	int rc = push(&f->ran, &f->nran, &f->cran, id, k ? k->outcome : FT_OUTCOME_UNKNOWN, now);

	if (rc == 0 && k) {
		f->ran[f->nran - 1].known = 1;
		f->ran[f->nran - 1].selected = k->selected;
	}
	return rc;
}

struct walk {
	struct verify *v;
	struct verify_found *f;
	struct ft_store *st;
	char *pyopts;         /* the new run's pytest options (have_pyopts) */
	int have_pyopts;
};

/* A test of the new run whose own outcome its runner did not report. */
static int add_guessed(void *arg, const struct ft_store_time *t)
{
	struct verify_found *f = arg;

	if (t->outcome != FT_OUTCOME_UNKNOWN)
		return 0;
	if (f->nguessed == f->cguessed) {
		size_t cap = f->cguessed ? 2 * f->cguessed : 16;
		char **v = realloc(f->guessed, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->guessed = v;
		f->cguessed = cap;
	}
	if (!(f->guessed[f->nguessed] = strdup(t->name)))
		return -ENOMEM;
	f->nguessed++;
	return 0;
}

static int cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

static int is_guessed(const struct verify_found *f, const char *name)
{
	return f->nguessed && bsearch(name, f->guessed, f->nguessed, sizeof(*f->guessed), cmp_str);
}

/*
 * After the walk: the known tests left out whose failure is only the run's
 * status.  If a selected test failed, or any test whose own outcome is a
 * failure (a new test, a known flaky one, an escape judged by its own
 * outcome), that failure may be the run's, and nothing says these failed:
 * they cannot be judged (the exit status is the command's or, with an
 * escape, 99 already).  If none did, the run's failure came from a test
 * that was left out: an escape among them, so all of them count as
 * escapes (when in doubt, flag), and the verdict says why.
 */
static int judge_by_status(struct verify_found *f)
{
	int rc;

	if (!f->nunj || f->sel_failed || f->own_failed)
		return 0;
	for (size_t i = 0; i < f->nunj; i++) {
		rc = push(&f->esc, &f->nesc, &f->cesc, f->unj[i].id, f->unj[i].before, f->unj[i].now);
		free(f->unj[i].id);
		if (rc < 0)
			return rc;
	}
	f->nunj = 0;
	f->by_status = 1;
	return 0;
}

static int cmp_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct verify_known *)elem)->id);
}

/* One test of the new recording: counted when this run ran it; an escape
 * when it was known, not selected, and fails now or changed outcome. */
static int judge(void *arg, const struct ft_store_test *t)
{
	struct walk *w = arg;
	struct verify *v = w->v;
	struct verify_found *f = w->f;
	struct verify_known *k;
	int rc, sel;

	if (t->run_id != f->last)
		return 0; /* not run now: gone from the suite, or not in CMD */
	v->run++;
	v->failed += verify_fails(t->outcome);
	if (verify_fails(t->outcome) && !is_guessed(f, t->name))
		f->own_failed++;
	k = v->known ? bsearch(t->name, v->known, v->nknown, sizeof(*k), cmp_id) : NULL;
	if ((rc = push_ran(f, t->name, k, t->outcome)) < 0)
		return rc;
	if (!v->verdict)
		return 0;
	if (!k) {
		v->new_tests++;
		return 0;
	}
	sel = k->selected;
	/* a pytest test that `ftrace test` would have run for its options */
	if (!sel && k->pytest && !v->is_test &&
	    (sel = verify_pytest_other_options(k, w->st, f->last, &w->pyopts, &w->have_pyopts)) < 0)
		return sel;
	if (sel || v->is_test) {
		/* `test`'s report: a known flaky test that flipped again */
		if (v->is_test && verify_flaky_excused(k, t->outcome)) {
			v->excused++;
			if ((rc = verify_flaky_push(v, k, t->outcome, 'x')) < 0)
				return rc;
		} else if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 's')) < 0) {
			return rc;
		}
		if (!verify_fails(t->outcome))
			return 0;
		f->sel_failed++;
		return push(&f->fail, &f->nfail, &f->cfail, t->name, k->outcome, t->outcome);
	}
	if (!verify_fails(t->outcome) && t->outcome == k->outcome)
		return 0;
	/* failed only as far as the run's status says: judged after the walk */
	if (verify_fails(t->outcome) && is_guessed(f, t->name))
		return push(&f->unj, &f->nunj, &f->cunj, t->name, k->outcome, t->outcome);
	/* known flaky, and it flipped: its history explains it (verify_flaky.c) */
	if (verify_flaky_excused(k, t->outcome)) {
		v->excused++;
		return verify_flaky_push(v, k, t->outcome, 'x');
	}
	if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 'e')) < 0)
		return rc;
	return push(&f->esc, &f->nesc, &f->cesc, t->name, k->outcome, t->outcome);
}


/* The exit status from the findings (docs/usage.md). */
static int exit_status(const struct verify *v)
{
	if (v->escapes)
		return FT_EXIT_ESCAPE; /* each was judged against a selection */
	if (v->cmd_status)
		return v->cmd_status;
	return v->verdict ? FT_EXIT_OK : FT_EXIT_UNKNOWN;
}

int verify_read_new(struct verify *v, struct verify_found *f, struct ft_store **st)
{
	struct walk w = { v, f, NULL, NULL, 0 };
	char cwd[4096];
	int rc;

	if ((rc = ft_store_open(st, v->db, FT_STORE_RDONLY)) < 0) {
		*st = NULL;
		return rc;
	}
	/* ours: the newest run of this command from here, after the last
	 * run before ours (another `ftrace run` may have saved meanwhile) */
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if ((rc = ft_store_runs_last(*st, v->command, cwd, &f->last)) < 0)
		return rc;
	if (f->last <= v->last_run)
		return FT_ENORECORD;
	if (v->known && (rc = verify_flaky_after(v, *st)) < 0)
		return rc;
	/* the store walks them by name, bytewise: f->guessed is sorted */
	w.st = *st;
	rc = ft_store_times_run_each(*st, f->last, add_guessed, f);
	if (rc >= 0)
		rc = ft_store_tests_each(*st, judge, &w);
	free(w.pyopts);
	if (rc < 0 || (rc = judge_by_status(f)) < 0)
		return rc;
	/* which escapes the run taught ftrace are flaky, for their paragraph */
	for (size_t i = 0; i < f->nesc; i++) {
		const struct verify_known *k = bsearch(f->esc[i].id, v->known, v->nknown,
						       sizeof(*k), cmp_id);
		f->esc[i].learned = k && k->learned;
	}
	return 0;
}

int verify_compare(struct verify *v)
{
	struct verify_found f = { 0 };
	struct ft_store *st = NULL;
	FILE *json = NULL;
	char excused[64], unjudged[64];
	int rc = 0, status;

	if (v->verdict && (rc = verify_read_new(v, &f, &st)) < 0) {
		v->verdict = 0;
		snprintf(v->why, sizeof(v->why), "cannot read the new recording in %s: %s", v->db,
			 rc == FT_ENORECORD ? "it was not saved" : ft_strerror(rc));
	}
	v->escapes = f.nesc;
	if (v->report && (json = report_open("verify", v->report))) {
		report_head(json, "verify", v->command, v->selection);
		fprintf(json, ",\"verdict\":%s,\"why_no_verdict\":", v->verdict ? "true" : "false");
		if (v->verdict)
			fputs("null", json);
		else
			report_json_str(json, v->why, strlen(v->why));
		fputs(",\"escapes\":[", json);
	}
	for (size_t i = 0; i < f.nesc; i++) {
		if (json && i)
			fputc(',', json);
		verify_say_escape(v, st, &f.esc[i], json);
	}
	for (size_t i = 0; i < f.nfail; i++)
		fprintf(stderr, "ftrace: verify: failed (selected): %s\n", f.fail[i].id);
	if (f.by_status)
		fprintf(stderr, "ftrace: verify: the run failed, no test failed by its own outcome, and the "
			"runner reports only the run's status: the failure is among the %zu escapes "
			"above, which cannot be told apart\n", f.nesc);
	for (size_t i = 0; i < f.nunj; i++)
		fprintf(stderr, "ftrace: verify: cannot judge (not selected): %s: its runner reports "
			"only the run's status, and another test's own failure explains it\n", f.unj[i].id);
	verify_flaky_say(v, NULL);
	status = exit_status(v);
	snprintf(excused, sizeof(excused), ", %zu flaky (not escapes)", v->excused);
	snprintf(unjudged, sizeof(unjudged), ", %zu cannot be judged", f.nunj);
	if (v->verdict)
		fprintf(stderr, "ftrace: verify: %zu known, %zu selected, %zu run, %zu failed, "
			"%zu escape%s%s%s%s\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
			v->escapes == 1 ? "" : "s", v->excused ? excused : "",
			f.nunj ? unjudged : "", v->escapes ? ": exit 99" : "");
	else
		fprintf(stderr, "ftrace: verify: no verdict: %s\n", v->why);
	/* a runner that stops at the first failure (cargo test at a target
	 * that fails) runs no later test: those are neither escapes nor
	 * passes, and the count above does not say so */
	if (v->verdict && v->cmd_status != 0 && v->run - v->new_tests < v->nknown) {
		size_t n = v->nknown - (v->run - v->new_tests);
		fprintf(stderr, "ftrace: verify: %zu known %s not run (removed, or the command "
			"stopped before %s, as cargo test stops at the first target that fails): "
			"nothing is judged of %s\n", n, n == 1 ? "test did" : "tests did",
			n == 1 ? "it" : "them", n == 1 ? "it" : "them");
	}
	if (json) {
		fputc(']', json);
		report_rest(json, "verify", v, &f, st, status);
		report_close(json, v->report, "verify");
	}
	if (st)
		ft_store_close(st);
	verify_found_release(&f);
	return status;
}

void verify_found_release(struct verify_found *f)
{
	struct verify_outcome *lists[] = { f->esc, f->fail, f->ran, f->unj };
	size_t ns[] = { f->nesc, f->nfail, f->nran, f->nunj };

	for (size_t l = 0; l < 4; l++) {
		for (size_t i = 0; i < ns[l]; i++)
			free(lists[l][i].id);
		free(lists[l]);
	}
	for (size_t i = 0; i < f->nguessed; i++)
		free(f->guessed[i]);
	free(f->guessed);
	*f = (struct verify_found){ 0 };
}

void verify_release(struct verify *v)
{
	verify_flaky_release(v);
	free(v->selection);
	v->selection = NULL;
	for (size_t i = 0; i < v->nknown; i++) {
		free(v->known[i].id);
		free(v->known[i].pyopts);
	}
	free(v->known);
	v->known = NULL;
	v->nknown = 0;
}
