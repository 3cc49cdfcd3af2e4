/*
 * ft_store_import.c - a bundle into the database: see ft_store_share.h.
 *
 * Everything goes through the writers a run uses (ft_store_depset_put,
 * ft_store_test_put, ft_store_listing_put), so the sets' digests are
 * computed over the rebased paths exactly as a local recording's would
 * be, and the commit (ft_store_run_commit) writes the tests' digest and
 * collects the garbage.  The bundle's runs become runs of this database
 * (new ids, their checksums computed here), created only when a test
 * taken from the bundle names them.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_store_carry.h"
#include "ft_store_int.h"
#include "ft_store_runmeta.h"
#include "ft_store_share.h"
#include "ft_store_share_int.h"
#include "ft_store_tests.h"

struct im {
	struct ft_store *st;
	const struct ft_bundle *b;
	const char *top;
	const char *jtop;      /* the top as JSON writes it */
	int64_t *runs;         /* local id of each bundle run (0: not yet) */
	int64_t *sets;         /* local id of each bundle set (-1: not yet) */
	int64_t norun;         /* the run of tests the bundle gives none (0: not yet) */
	char *mark;            /* "\"ftrace_import\":{...}": see mark_run() */
	char **abs;            /* each bundle path made absolute, once (abs_path()) */
	uint32_t *abs_len;
	int64_t *path_ids;     /* and its paths.id (0: not yet), valid for the
				* import's transaction: nothing in it deletes a
				* path or rolls one back but the whole of it */
	char path[PATH_MAX];
};

static int corrupt(struct im *x, const char *what)
{
	snprintf(x->st->errmsg, sizeof(x->st->errmsg), "the bundle %s", what);
	return FT_ECORRUPT;
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/*
 * A run's meta_json with FT_STORE_IMPORT_KEY first: its tests were
 * recorded on another machine, which `affected --explain` and `--format
 * json` say of a dependency outside the repository that differs here.
 * A meta_json that is not an object (no export writes one) stays as it
 * is.  malloc'd, or NULL when out of memory.
 */
static char *mark_run(const struct im *x, const char *json)
{
	const char *p = json;
	size_t n;
	char *out;

	if (!json)
		return str_printf("{%s}", x->mark);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '{')
		return strdup(json);
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	n = strlen(x->mark) + strlen(p) + 3;
	if (!(out = malloc(n)))
		return NULL;
	snprintf(out, n, "{%s%s%s", x->mark, *p == '}' ? "" : ",", p);
	return out;
}

static int local_run(struct im *x, uint32_t i, int64_t *id)
{
	const struct ft_bundle_run *r;
	struct ft_run_info ri = { 0 };
	char *json = NULL;
	int rc;

	if (i == FT_BUNDLE_NONE) {
		if (!x->norun) {
			ri.command = "ftrace import";
			ri.cwd = x->top;
			if (!(json = mark_run(x, NULL)))
				return -ENOMEM;
			ri.meta_json = json;
			rc = ft__store_run_insert(x->st, &ri, &x->norun);
			free(json);
			if (rc < 0)
				return rc;
		}
		*id = x->norun;
		return 0;
	}
	if (x->runs[i]) {
		*id = x->runs[i];
		return 0;
	}
	r = &x->b->runs[i];
	ri.command = r->command;
	if (r->cwd != FT_BUNDLE_NONE) {
		if (ft_bundle_path_abs(x->b, r->cwd, x->top, x->path, sizeof(x->path)) < 0)
			return FT_ETOOLONG;
		ri.cwd = x->path;
	}
	ri.started_ns = r->started_ns;
	ri.finished_ns = r->finished_ns;
	ri.exit_status = r->exit_status;
	if (r->meta_json && !(json = ft_bundle_json_swap(r->meta_json, FT_BUNDLE_TOP_TOKEN, x->jtop)))
		return -ENOMEM;
	ri.meta_json = mark_run(x, json);
	free(json);
	if (!(json = (char *)ri.meta_json))
		return -ENOMEM;
	rc = ft__store_run_insert(x->st, &ri, &x->runs[i]);
	free(json);
	*id = x->runs[i];
	if (rc == 0)
		rc = ft__store_import_py_run(x->st, r, *id, x->jtop);
	return rc;
}

/* Bundle path p made absolute under the top, made once for all the
 * sets that name it (a set of 20 paths made them again for each: a
 * twentieth of an import, bench/share).  0 or negative FT_E*. */
static int abs_path(struct im *x, uint32_t p, const char **path, uint32_t *len)
{
	int n;

	if (!x->abs[p]) {
		if ((n = ft_bundle_path_abs(x->b, p, x->top, x->path, sizeof(x->path))) < 0)
			return n;
		if (!(x->abs[p] = strdup(x->path)))
			return -ENOMEM;
		x->abs_len[p] = (uint32_t)n;
	}
	*path = x->abs[p];
	*len = x->abs_len[p];
	return 0;
}

static int local_set(struct im *x, uint32_t i, int64_t *id)
{
	const struct ft_bundle_set *s = &x->b->sets[i];
	struct ft_dep *deps;
	int64_t **slots = NULL;
	int rc = 0;

	if (x->sets[i] >= 0) {
		*id = x->sets[i];
		return 0;
	}
	if (!(deps = calloc(s->n ? s->n : 1, sizeof(*deps))) ||
	    !(slots = calloc(s->n ? s->n : 1, sizeof(*slots)))) {
		free(deps);
		return -ENOMEM;
	}
	for (uint32_t j = 0; j < s->n; j++) {
		int kind = ft_dep_legacy(s->deps[j].kind); /* a version-7 kind too */
		if (!ft_dep_valid(kind)) {
			rc = corrupt(x, "has a dependency of an unknown kind");
			goto out;
		}
		if ((rc = abs_path(x, s->deps[j].path, &deps[j].path, &deps[j].path_len)) < 0)
			goto out;
		slots[j] = &x->path_ids[s->deps[j].path];
		deps[j].kind = (uint8_t)kind;
		deps[j].value = s->deps[j].value;
	}
	rc = ft__store_depset_put(x->st, deps, slots, s->n, &x->sets[i]);
	*id = x->sets[i];
out:
	free(slots);
	free(deps);
	return rc;
}

/* The local recording of `name`: 1 with its run's end in *ns (INT64_MIN
 * without a run), 0 when there is none. */
static int local_test(struct im *x, sqlite3_stmt *q, const char *name, int64_t *ns)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*ns = sqlite3_column_type(q, 0) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(q, 0);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : ft__store_fail(x->st, rc);
}

static int one_test(struct im *x, const struct ft_bundle_test *t, int64_t *sets, char *file)
{
	struct ft_test_row row = { 0 };
	int64_t run_id;
	int rc;

	if (t->outcome < FT_OUTCOME_UNKNOWN || t->outcome > FT_OUTCOME_ERROR)
		return corrupt(x, "has a test with an unknown outcome");
	if ((rc = local_run(x, t->run, &run_id)) < 0)
		return rc;
	for (uint32_t j = 0; j < t->nsets; j++)
		if ((rc = local_set(x, t->sets[j], &sets[j])) < 0)
			return rc;
	row.name = t->name;
	row.runner = t->runner;
	if (t->file != FT_BUNDLE_NONE) {
		if (ft_bundle_path_abs(x->b, t->file, x->top, file, PATH_MAX) < 0)
			return FT_ETOOLONG;
		row.file = file;
	}
	row.outcome = t->outcome;
	row.untraced = t->untraced;
	row.sets = sets;
	row.nsets = t->nsets;
	if ((rc = ft_store_test_put(x->st, run_id, &row)) < 0)
		return rc;
	/* what it handed on in its run, which a later run that does not
	 * record it again carries (store/ft_store_carry.h) */
	for (uint32_t j = 0; j < t->nshares; j++) {
		int64_t set_id;
		if ((rc = local_set(x, t->shares[j], &set_id)) < 0 ||
		    (rc = ft_store_carry_put(x->st, run_id, t->name, t->runner, set_id)) < 0)
			return rc;
	}
	return ft__store_import_py_test(x->st, t, run_id, x->jtop);
}

static int tests(struct im *x, struct ft_store_import_stats *stats)
{
	sqlite3_stmt *q = NULL;
	char *file = malloc(PATH_MAX);
	int64_t *sets = NULL;
	size_t most = 1;
	int rc;

	for (size_t i = 0; i < x->b->ntests; i++)
		if (x->b->tests[i].nsets > most)
			most = x->b->tests[i].nsets;
	if (!file || !(sets = calloc(most, sizeof(*sets)))) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = ft__store_prepare(x->st, &q, "SELECT r.finished_ns FROM tests t LEFT JOIN runs r"
				    " ON r.id = t.run_id WHERE t.name = ?")) < 0)
		goto out;
	for (size_t i = 0; i < x->b->ntests; i++) {
		const struct ft_bundle_test *t = &x->b->tests[i];
		int64_t mine = INT64_MIN, theirs = t->run == FT_BUNDLE_NONE ? INT64_MIN :
				       x->b->runs[t->run].finished_ns;
		if ((rc = local_test(x, q, t->name, &mine)) < 0)
			goto out;
		if (rc == 1 && mine > theirs) {
			stats->kept++;
			continue;
		}
		if ((rc = one_test(x, t, sets, file)) < 0)
			goto out;
		stats->imported++;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	free(sets);
	free(file);
	return rc;
}

static int listings(struct im *x)
{
	for (size_t i = 0; i < x->b->nlistings; i++) {
		const struct ft_bundle_listing *l = &x->b->listings[i];
		int n = ft_bundle_path_abs(x->b, l->path, x->top, x->path, sizeof(x->path));
		int rc;

		if (n < 0)
			return n;
		if ((rc = ft_store_listing_put(x->st, x->path, (uint32_t)n, l->value, l->names,
					       l->len)) < 0)
			return rc;
	}
	return 0;
}

/* Flaky marks the database does not have yet, for tests it has: a mark
 * only ever adds a test to a selection. */
static int flaky(struct im *x)
{
	sqlite3_stmt *q;
	int rc;

	if (!x->b->nflaky)
		return 0;
	if ((rc = ft__store_prepare(x->st, &q, "INSERT OR IGNORE INTO flaky(name, count, last_ns,"
				    " last_from, last_to, clean, ck) SELECT ?1, ?2, ?3, ?4, ?5, ?6,"
				    " ft_ck('flaky', ?1, ?2, ?3, ?4, ?5, ?6)"
				    " WHERE EXISTS (SELECT 1 FROM tests WHERE name = ?1)")) < 0)
		return rc;
	for (size_t i = 0; i < x->b->nflaky; i++) {
		const struct ft_bundle_flaky *f = &x->b->flaky[i];
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, f->count);
		sqlite3_bind_int64(q, 3, f->last_ns);
		sqlite3_bind_int(q, 4, f->last_from);
		sqlite3_bind_int(q, 5, f->last_to);
		sqlite3_bind_int64(q, 6, f->clean);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			rc = ft__store_fail(x->st, rc);
			sqlite3_finalize(q);
			return rc;
		}
	}
	sqlite3_finalize(q);
	return 0;
}

/* The bundle's machine ("<os> <machine>", JSON-escaped) in x->mark. */
static int import_mark(struct im *x)
{
	const char *os = ft_bundle_meta(x->b, FT_BUNDLE_FP_OS);
	const char *machine = ft_bundle_meta(x->b, FT_BUNDLE_FP_MACHINE);
	char *both = str_printf("%s%s%s", os ? os : "", os && machine ? " " : "",
				   machine ? machine : "");
	char *esc = both ? ft_bundle_json_escape(both) : NULL;

	free(both);
	if (!esc)
		return -ENOMEM;
	x->mark = str_printf("\"" FT_STORE_IMPORT_KEY "\":{\"machine\":\"%s\"}", esc);
	free(esc);
	return x->mark ? 0 : -ENOMEM;
}

/*
 * Into a database with no set members yet (a fresh clone, a CI job): the
 * members' second index (state, set) is dropped for the import and built
 * again after it, by one sort, before the commit's garbage collection
 * reads it.  Kept up row by row, each of the import's members went into
 * it at a random place: 4.7 s of CPU against 2.9 for the table then the
 * index, for the two million members of 100,000 tests (bench/share).
 * The drop is inside the import's transaction: a failure rolls it back
 * with the rest, and no reader sees the database without the index.
 * *dropped: 1 when it was dropped.  0 or FT_E*.
 */
static int members_index_drop(struct ft_store *st, int *dropped)
{
	sqlite3_stmt *q;
	int rc, empty;

	*dropped = 0;
	if ((rc = ft__store_prepare(st, &q, "SELECT NOT EXISTS (SELECT 1 FROM depset_states)")) < 0)
		return rc;
	rc = sqlite3_step(q);
	empty = rc == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return ft__store_fail(st, rc);
	if (!empty)
		return 0;
	if ((rc = ft__store_exec(st, "DROP INDEX depset_states_by_state")) < 0)
		return rc;
	*dropped = 1;
	return 0;
}

static int members_index_build(struct ft_store *st)
{
	/* the text of ft_schema.c's, which sqlite_master keeps */
	return ft__store_exec(st, "CREATE INDEX depset_states_by_state ON depset_states(state_id, set_id)");
}

int ft_store_import(struct ft_store *st, const struct ft_bundle *b, const char *top,
		    struct ft_store_import_stats *stats)
{
	int dropped = 0;
	struct im x = { .st = st, .b = b, .top = top };
	char *jtop = NULL;
	const char *head;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (top[0] != '/' || !strcmp(top, "/"))
		return FT_EUSAGE;
	if (!(jtop = ft_bundle_json_escape(top)) ||
	    !(x.runs = calloc(b->nruns ? b->nruns : 1, sizeof(*x.runs))) ||
	    !(x.sets = malloc((b->nsets ? b->nsets : 1) * sizeof(*x.sets))) ||
	    !(x.abs = calloc(b->npaths ? b->npaths : 1, sizeof(*x.abs))) ||
	    !(x.abs_len = calloc(b->npaths ? b->npaths : 1, sizeof(*x.abs_len))) ||
	    !(x.path_ids = calloc(b->npaths ? b->npaths : 1, sizeof(*x.path_ids)))) {
		rc = -ENOMEM;
		goto out;
	}
	x.jtop = jtop;
	if ((rc = import_mark(&x)) < 0)
		goto out;
	for (size_t i = 0; i < b->nsets; i++)
		x.sets[i] = -1;
	/* A bundle's sets go in by the thousand in one transaction, each in
	 * a savepoint (ft_store_depset_put): with SQLite's default 2 MiB page
	 * cache and the savepoints' journals in temp files, a 10,000-test
	 * import spilled and rewrote pages (19 s).  The cache only grows as
	 * used; both are put back after. */
	if ((rc = ft__store_exec(st, "PRAGMA cache_size = -262144")) < 0 ||
	    (rc = ft__store_exec(st, "PRAGMA temp_store = MEMORY")) < 0 ||
	    (rc = ft__store_write_begin_run(st)) < 0)
		goto out;
	/* without them (no memory): slower, the same */
	ft__store_path_cache(st, 1);
	ft__store_state_cache(st, 1);
	st->all_or_nothing = 1; /* every failure below ends in ft_store_run_abort */
	if ((rc = members_index_drop(st, &dropped)) == 0 && (rc = tests(&x, stats)) == 0 &&
	    (rc = listings(&x)) == 0 && (rc = flaky(&x)) == 0 &&
	    (rc = ft__store_import_py_rows(st, b, top, jtop)) == 0 &&
	    (head = ft_bundle_meta(b, FT_BUNDLE_FP_HEAD)) && head[0])
		rc = ft_store_meta_set(st, "imported_head", head);
	/* the commit collects paths and states; an abort undoes inserts */
	st->all_or_nothing = 0;
	ft__store_path_cache(st, 0);
	ft__store_state_cache(st, 0);
	if (rc == 0 && dropped)
		rc = members_index_build(st);
	if (rc == 0)
		rc = ft_store_run_commit(st);
	else
		ft_store_run_abort(st);
out:
	ft__store_exec(st, "PRAGMA cache_size = -2000");
	ft__store_exec(st, "PRAGMA temp_store = DEFAULT");
	free(jtop);
	free(x.mark);
	free(x.runs);
	free(x.sets);
	for (size_t i = 0; x.abs && i < b->npaths; i++)
		free(x.abs[i]);
	free(x.abs);
	free(x.abs_len);
	free(x.path_ids);
	return rc;
}
