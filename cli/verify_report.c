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
#include "report.h"
#include "verify.h"

#define MAX_DEPS_SHOWN 20

struct dep { char *path; size_t len; int kind; uint64_t value; };
struct deps { struct dep *d; size_t n, cap; };


#define outcome_name ft_cmd_outcome_name

static int fails(int o)
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

struct walk { struct verify *v; struct verify_found *f; };

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
	const struct verify_known *k;
	int rc;

	if (t->run_id != f->last)
		return 0; /* not run now: gone from the suite, or not in CMD */
	v->run++;
	v->failed += fails(t->outcome);
	k = v->known ? bsearch(t->name, v->known, v->nknown, sizeof(*k), cmp_id) : NULL;
	if ((rc = push_ran(f, t->name, k, t->outcome)) < 0)
		return rc;
	if (!v->verdict)
		return 0;
	if (!k) {
		v->new_tests++;
		return 0;
	}
	if (k->selected || v->is_test) {
		/* `test`'s report: a known flaky test that flipped again */
		if (v->is_test && verify_flaky_excused(k, t->outcome)) {
			v->excused++;
			if ((rc = verify_flaky_push(v, k, t->outcome, 'x')) < 0)
				return rc;
		} else if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 's')) < 0) {
			return rc;
		}
		return fails(t->outcome) ? push(&f->fail, &f->nfail, &f->cfail, t->name, k->outcome, t->outcome) : 0;
	}
	if (!fails(t->outcome) && t->outcome == k->outcome)
		return 0;
	/* known flaky, and it flipped: its history explains it (verify_flaky.c) */
	if (verify_flaky_excused(k, t->outcome)) {
		v->excused++;
		return verify_flaky_push(v, k, t->outcome, 'x');
	}
	if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 'e')) < 0)
		return rc;
	return push(&f->esc, &f->nesc, &f->cesc, t->name, k->outcome, t->outcome);
}

static int add_dep(void *arg, const char *path, size_t len, int kind, uint64_t value)
{
	struct deps *ds = arg;
	struct dep *d;

	if (ds->n == ds->cap) {
		d = realloc(ds->d, (ds->cap = ds->cap ? ds->cap * 2 : 64) * sizeof(*d));
		if (!d)
			return -ENOMEM;
		ds->d = d;
	}
	d = &ds->d[ds->n];
	if (!(d->path = malloc(len + 1)))
		return -ENOMEM;
	memcpy(d->path, path, len);
	d->path[len] = '\0';
	d->len = len;
	d->kind = kind;
	d->value = value;
	ds->n++;
	return 0;
}

static void deps_free(struct deps *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		free(ds->d[i].path);
	free(ds->d);
	*ds = (struct deps){ 0 };
}

static int dep_cmp(const struct dep *a, const struct dep *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->path, b->path, m);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->kind - b->kind;
}

static int dep_qcmp(const void *a, const void *b)
{
	return dep_cmp(a, b);
}

/* One recorded dependency of a test whose value differs in the new
 * recording. */
typedef void (*diff_fn)(void *arg, const struct dep *o, const struct dep *n);

/* Walk the (path, kind) pairs both recordings have with different values
 * (both sorted by dep_cmp).  Returns how many.  A pair only one side has
 * is counted, not walked: *added (only the new run read it: a failing
 * test reads more, e.g. its traceback's modules) and *dropped (the new
 * run did not read it): neither says that what the test read changed. */
static size_t diff(const struct deps *o, const struct deps *n, diff_fn fn, void *arg,
		   size_t *added, size_t *dropped)
{
	size_t i = 0, j = 0, count = 0;

	*added = *dropped = 0;
	while (i < o->n || j < n->n) {
		int c = i == o->n ? 1 : j == n->n ? -1 : dep_cmp(&o->d[i], &n->d[j]);

		if (c > 0) {
			++*added, j++;
		} else if (c < 0) {
			++*dropped, i++;
		} else {
			if (o->d[i].value != n->d[j].value && ++count)
				fn(arg, &o->d[i], &n->d[j]);
			i++, j++;
		}
	}
	return count;
}

struct say { FILE *f; size_t shown; int json; };

static void say_dep(void *arg, const struct dep *o, const struct dep *n)
{
	struct say *s = arg;
	const struct dep *d = o;

	if (s->shown++ >= MAX_DEPS_SHOWN && !s->json)
		return;
	if (s->json) {
		fprintf(s->f, "%s{\"path\":", s->shown > 1 ? "," : "");
		report_json_str(s->f, d->path, d->len);
		fprintf(s->f, ",\"kind\":\"%s\",\"recorded\":\"%016llx\",\"now\":",
			ft_dep_kind_name(d->kind), (unsigned long long)o->value);
		fprintf(s->f, "\"%016llx\"}", (unsigned long long)n->value);
		return;
	}
	fprintf(s->f, "    %s %.*s: ", ft_dep_kind_name(d->kind), (int)d->len, d->path);
	fprintf(s->f, "recorded %016llx, now %016llx\n", (unsigned long long)o->value,
		(unsigned long long)n->value);
}

/* A test's dependencies in the old copy and the new database, sorted.
 * 0, or a negative code (then nothing can be said about them). */
static int load_deps(const struct verify *v, struct ft_store *now, const char *id,
		     struct deps *o, struct deps *n)
{
	struct ft_store *old = NULL;
	int rc;

	if (!v->snapshot[0] || !now)
		return -ENOENT;
	if ((rc = ft_store_open(&old, v->snapshot, FT_STORE_RDONLY)) < 0)
		return rc;
	rc = ft_store_test_deps_each(old, id, add_dep, o);
	ft_store_close(old);
	if (rc < 0 || (rc = ft_store_test_deps_each(now, id, add_dep, n)) < 0)
		return rc;
	qsort(o->d, o->n, sizeof(*o->d), dep_qcmp);
	qsort(n->d, n->n, sizeof(*n->d), dep_qcmp);
	return 0;
}

/* The paragraph a user pastes into a bug report. */
static void say_escape(const struct verify *v, struct ft_store *now, const struct verify_outcome *e,
		       FILE *json)
{
	struct deps o = { 0 }, n = { 0 };
	struct say s = { stderr, 0, 0 };
	int rc = load_deps(v, now, e->id, &o, &n);
	size_t count = 0, added = 0, dropped = 0;

	fprintf(stderr, "\nftrace: verify: ESCAPE: test '%s' was not selected, but %s "
		"(recorded: %s, now: %s)\n", e->id, fails(e->now) ? "it fails now" :
		"its outcome changed", outcome_name(e->before), outcome_name(e->now));
	fprintf(stderr, "  ftrace %s; command: %s\n", FT_VERSION, v->command ? v->command : "?");
	if (e->learned)
		fprintf(stderr, "  ftrace learned it flaky in this run (its outcome changed, nothing it had "
			"read did); still an escape: no earlier run showed it flaky, and a dependency "
			"ftrace cannot see looks the same.  If it is flakiness, the next verify says "
			"so instead\n");
	if (rc < 0) {
		fprintf(stderr, "  its dependencies could not be compared: %s\n", ft_strerror(rc));
	} else {
		fprintf(stderr, "  recorded dependencies (%zu) that differ in this run:\n", o.n);
		if (!(count = diff(&o, &n, say_dep, &s, &added, &dropped)))
			fprintf(stderr, "    none: no recorded dependency changed: ftrace did not see "
				"what this test read\n");
		else if (count > MAX_DEPS_SHOWN)
			fprintf(stderr, "    ... and %zu more\n", count - MAX_DEPS_SHOWN);
		/* why it was not selected: the selection saw none of them changed */
		if (count)
			fprintf(stderr, "  why not selected: when verify selected, ftrace saw no change "
				"to what it had recorded (or function granularity ruled the change "
				"out); these changed during the run, or the check missed them\n");
		else
			fprintf(stderr, "  why not selected: what it read did not reach ftrace's "
				"recording (a process ftrace does not trace, such as a server started "
				"outside ftrace, the network, the clock)\n");
		if (added || dropped)
			fprintf(stderr, "  (this run read %zu path%s it had not read when recorded, and "
				"did not read %zu it had)\n", added, added == 1 ? "" : "s", dropped);
	}
	if (json) {
		fputs("{\"id\":", json);
		report_json_str(json, e->id, strlen(e->id));
		fprintf(json, ",\"recorded\":\"%s\",\"now\":\"%s\",\"changed_dependencies\":",
			outcome_name(e->before), outcome_name(e->now));
		if (rc < 0) {
			fputs("null", json);
		} else {
			struct say js = { json, 0, 1 };
			fputc('[', json);
			diff(&o, &n, say_dep, &js, &added, &dropped);
			fprintf(json, "],\"newly_read\":%zu,\"not_read\":%zu", added, dropped);
		}
		fputc('}', json);
	}
	deps_free(&o);
	deps_free(&n);
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
	struct walk w = { v, f };
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
	if ((rc = ft_store_tests_each(*st, judge, &w)) < 0)
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
	char excused[64];
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
		say_escape(v, st, &f.esc[i], json);
	}
	for (size_t i = 0; i < f.nfail; i++)
		fprintf(stderr, "ftrace: verify: failed (selected): %s\n", f.fail[i].id);
	verify_flaky_say(v, NULL);
	status = exit_status(v);
	snprintf(excused, sizeof(excused), ", %zu flaky (not escapes)", v->excused);
	if (v->verdict)
		fprintf(stderr, "ftrace: verify: %zu known, %zu selected, %zu run, %zu failed, "
			"%zu escape%s%s%s\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
			v->escapes == 1 ? "" : "s", v->excused ? excused : "",
			v->escapes ? ": exit 99" : "");
	else
		fprintf(stderr, "ftrace: verify: no verdict: %s\n", v->why);
	if (json) {
		fputc(']', json);
		report_rest(json, v, &f, st, status);
		report_close(json, v->report, "verify");
	}
	if (st)
		ft_store_close(st);
	verify_found_release(&f);
	return status;
}

void verify_found_release(struct verify_found *f)
{
	struct verify_outcome *lists[] = { f->esc, f->fail, f->ran };
	size_t ns[] = { f->nesc, f->nfail, f->nran };

	for (size_t l = 0; l < 3; l++) {
		for (size_t i = 0; i < ns[l]; i++)
			free(lists[l][i].id);
		free(lists[l]);
	}
	*f = (struct verify_found){ 0 };
}

void verify_release(struct verify *v)
{
	verify_flaky_release(v);
	free(v->selection);
	v->selection = NULL;
	for (size_t i = 0; i < v->nknown; i++)
		free(v->known[i].id);
	free(v->known);
	v->known = NULL;
	v->nknown = 0;
}
