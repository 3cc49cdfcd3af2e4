/*
 * verify_escape.c - the paragraph `ftrace verify` says of one escape (a
 * test left out of the selection whose outcome changed): which of its
 * recorded dependencies read differently in the new run, on stderr and in
 * the JSON report.  The dependencies of both recordings are sorted and
 * walked side by side.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_reader.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "report.h"
#include "verify.h"

#define MAX_DEPS_SHOWN 20

#define outcome_name ft_cmd_outcome_name

struct dep { char *path; size_t len; int kind; uint64_t value; };
struct deps { struct dep *d; size_t n, cap; };

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
			ft_readers_kind_name(d->kind), (unsigned long long)o->value);
		fprintf(s->f, "\"%016llx\"}", (unsigned long long)n->value);
		return;
	}
	fprintf(s->f, "    %s %.*s: ", ft_readers_kind_name(d->kind), (int)d->len, d->path);
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
void verify_say_escape(const struct verify *v, struct ft_store *now, const struct verify_outcome *e,
		       FILE *json)
{
	struct deps o = { 0 }, n = { 0 };
	struct say s = { stderr, 0, 0 };
	int rc = load_deps(v, now, e->id, &o, &n);
	size_t count = 0, added = 0, dropped = 0;

	fprintf(stderr, "\nftrace: verify: ESCAPE: test '%s' was not selected, but %s "
		"(recorded: %s, now: %s)\n", e->id, verify_fails(e->now) ? "it fails now" :
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
				"outside ftrace, the network, the clock), or it ran in one process "
				"with tests that ran before it (pytest) and one of those, selected, "
				"now leaves state behind that it did not when recorded\n");
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
