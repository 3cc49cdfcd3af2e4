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
#include "verify.h"

#define MAX_DEPS_SHOWN 20

struct dep { char *path; size_t len; int kind; uint64_t value; };
struct deps { struct dep *d; size_t n, cap; };

/* The run's escapes and failures, kept for the report. */
struct outcome { char *id; int before, now, learned; };
struct found { struct outcome *esc, *fail; size_t nesc, nfail, cesc, cfail; int64_t last; };

#define outcome_name ft_cmd_outcome_name

static int fails(int o)
{
	return o != FT_OUTCOME_PASSED && o != FT_OUTCOME_SKIPPED;
}

static int push(struct outcome **a, size_t *n, size_t *cap, const char *id, int before, int now)
{
	if (*n == *cap) {
		struct outcome *na = realloc(*a, (*cap = *cap ? *cap * 2 : 8) * sizeof(*na));
		if (!na)
			return -ENOMEM;
		*a = na;
	}
	if (!((*a)[*n].id = strdup(id)))
		return -ENOMEM;
	(*a)[*n].before = before;
	(*a)[*n].learned = 0;
	(*a)[(*n)++].now = now;
	return 0;
}

struct walk { struct verify *v; struct found *f; };

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
	struct found *f = w->f;
	const struct verify_known *k;
	int rc;

	if (t->run_id != f->last)
		return 0; /* not run now: gone from the suite, or not in CMD */
	v->run++;
	v->failed += fails(t->outcome);
	if (!v->verdict)
		return 0;
	if (!(k = bsearch(t->name, v->known, v->nknown, sizeof(*k), cmp_id))) {
		v->new_tests++;
		return 0;
	}
	if (k->selected) {
		if (k->learned && (rc = verify_flaky_push(v, k, t->outcome, 's')) < 0)
			return rc;
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

void verify_json_str(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);  /* bytes as code points: lossless for ASCII */
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void say_dep(void *arg, const struct dep *o, const struct dep *n)
{
	struct say *s = arg;
	const struct dep *d = o;

	if (s->shown++ >= MAX_DEPS_SHOWN && !s->json)
		return;
	if (s->json) {
		fprintf(s->f, "%s{\"path\":", s->shown > 1 ? "," : "");
		verify_json_str(s->f, d->path, d->len);
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
static void say_escape(const struct verify *v, struct ft_store *now, const struct outcome *e,
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
		verify_json_str(json, e->id, strlen(e->id));
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

static int read_new(struct verify *v, struct found *f, struct ft_store **st)
{
	struct walk w = { v, f };
	char cwd[4096];
	int rc;

	if ((rc = ft_store_open(st, v->db, FT_STORE_RDONLY)) < 0)
		return rc;
	/* ours: the newest run of this command from here, after the last
	 * run before ours (another `ftrace run` may have saved meanwhile) */
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	if ((rc = ft_store_runs_last(*st, v->command, cwd, &f->last)) < 0)
		return rc;
	if (f->last <= v->last_run)
		return FT_ENORECORD;
	if ((rc = verify_flaky_after(v, *st)) < 0)
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

static void say_list(FILE *json, const char *key, const struct outcome *a, size_t n)
{
	fprintf(json, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		fprintf(json, "%s{\"id\":", i ? "," : "");
		verify_json_str(json, a[i].id, strlen(a[i].id));
		fprintf(json, ",\"recorded\":\"%s\",\"now\":\"%s\"}", outcome_name(a[i].before),
			outcome_name(a[i].now));
	}
	fputc(']', json);
}

int verify_compare(struct verify *v)
{
	struct found f = { 0 };
	struct ft_store *st = NULL;
	FILE *json = NULL;
	char excused[64];
	int rc = 0, status;

	if (v->verdict && (rc = read_new(v, &f, &st)) < 0) {
		v->verdict = 0;
		snprintf(v->why, sizeof(v->why), "cannot read the new recording in %s: %s", v->db,
			 rc == FT_ENORECORD ? "it was not saved" : ft_strerror(rc));
	}
	v->escapes = f.nesc;
	if (v->report && !(json = fopen(v->report, "w")))
		ft_cmd_error("verify: cannot write the report %s: %s", v->report, strerror(errno));
	if (json) {
		fprintf(json, "{\"ftrace_version\":\"%s\",\"command\":", FT_VERSION);
		verify_json_str(json, v->command ? v->command : "", v->command ? strlen(v->command) : 0);
		fprintf(json, ",\"verdict\":%s,\"why_no_verdict\":", v->verdict ? "true" : "false");
		if (v->verdict)
			fputs("null", json);
		else
			verify_json_str(json, v->why, strlen(v->why));
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
		say_list(json, "failures", f.fail, f.nfail);
		verify_flaky_say(v, json);
		fprintf(json, ",\"counts\":{\"known\":%zu,\"selected\":%zu,\"run\":%zu,\"failed\":%zu,"
			"\"escapes\":%zu,\"flaky\":%zu,\"new\":%zu},\"command_status\":%d,"
			"\"exit_status\":%d}\n", v->nknown, v->nselected, v->run, v->failed, v->escapes,
			v->excused, v->new_tests, v->cmd_status, status);
		if (fclose(json) != 0)
			ft_cmd_error("verify: writing the report %s failed", v->report);
	}
	if (st)
		ft_store_close(st);
	for (size_t i = 0; i < f.nesc; i++)
		free(f.esc[i].id);
	for (size_t i = 0; i < f.nfail; i++)
		free(f.fail[i].id);
	free(f.esc);
	free(f.fail);
	return status;
}

void verify_release(struct verify *v)
{
	verify_flaky_release(v);
	for (size_t i = 0; i < v->nknown; i++)
		free(v->known[i].id);
	free(v->known);
	v->known = NULL;
	v->nknown = 0;
}
