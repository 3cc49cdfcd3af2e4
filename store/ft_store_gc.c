/*
 * ft_store_gc.c - a write transaction's garbage: what no test reaches any
 * more, dropped in its commit (ft_store_run_commit).
 *
 * Garbage is a set no test references, a state no set holds, a path no
 * state names (its stat-cache rows with it), and a listing whose (path,
 * value) no listing state has.  The full collection asks that of every
 * row: a pass over each table, 78 ms at 100,000 paths and 1 s in an
 * import of 100,000 tests (bench/share), paid by every commit although
 * most find nothing (issue 29: "garbage collection only when there is
 * garbage").
 *
 * So a commit asks it only of the rows that can have become garbage since
 * the last collection:
 *  - the rows made since: meta.gc_marks holds the highest set, state and
 *    path ids when the last collection ended, and every row above them is
 *    a candidate.  SQLite gives a new row an id above every row there is,
 *    and after the collection no row lies above the mark that was not
 *    checked;
 *  - the sets a test stopped referencing (ft__store_gc_note_set, from
 *    ft_store_test_put and from forgetting a test), and through them the
 *    states they held, and through those the paths and listings;
 *  - the listings written in this transaction (ft__store_gc_note_listing).
 * A candidate is dropped by the full collection's own rule, asked of that
 * row through the index: the incremental collection never drops a row the
 * full one would keep.  It could only keep one the full one drops, if a
 * reference went away by a way not noted here; such a row costs space and
 * never a selection (nothing reaches it).
 *
 * The full collection runs when meta.gc_marks is missing or is not three
 * integers (a database written before it, or a listing written outside a
 * run), or when noting failed for want of memory (st->gc_full).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_state.h"
#include "ft_store_int.h"

#define FT_GC_MARKS_KEY "gc_marks"

/* The full collection, in dependency order.  A listing's names stay while
 * a LIST, CLIST or ILIST state has its value (the kinds bound as ?1-?2). */
static const char *const ft_gc_sql[] = {
	"DELETE FROM depsets WHERE id NOT IN (SELECT set_id FROM test_sets)",
	"DELETE FROM depset_states WHERE set_id NOT IN (SELECT id FROM depsets)",
	"DELETE FROM states WHERE id NOT IN (SELECT state_id FROM depset_states)",
	"DELETE FROM listings WHERE NOT EXISTS (SELECT 1 FROM states s WHERE"
	"  s.path_id = listings.path_id AND (s.kind & ?2) = ?1 AND s.value = listings.value)",
	"DELETE FROM paths WHERE id NOT IN (SELECT path_id FROM states)",
	"DELETE FROM statcache WHERE path_id NOT IN (SELECT id FROM paths)",
};

/* A growing array of ids, or of (path id, value) pairs as two ids. */
struct idv {
	int64_t *v;
	size_t n, cap;
};

static int idv_push(struct idv *a, int64_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		int64_t *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

static int id_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

size_t ft__store_ids_unique(int64_t *v, size_t n)
{
	size_t m = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), id_cmp);
	for (size_t i = 0; i < n; i++)
		if (!m || v[m - 1] != v[i])
			v[m++] = v[i];
	return m;
}

/* Sorted, each id once. */
static void idv_unique(struct idv *a)
{
	a->n = ft__store_ids_unique(a->v, a->n);
}

void ft__store_gc_note_set(struct ft_store *st, int64_t set_id)
{
	struct idv a = { st->gc_sets, st->gc_nsets, st->gc_csets };

	if (idv_push(&a, set_id) < 0)
		st->gc_full = 1;
	st->gc_sets = a.v, st->gc_nsets = a.n, st->gc_csets = a.cap;
}

void ft__store_gc_note_listing(struct ft_store *st, int64_t path_id, int64_t value)
{
	struct idv a = { st->gc_lists, st->gc_nlists, st->gc_clists };

	if (idv_push(&a, path_id) < 0 || idv_push(&a, value) < 0) {
		st->gc_full = 1;
		a.n &= ~(size_t)1; /* no half pair */
	}
	st->gc_lists = a.v, st->gc_nlists = a.n, st->gc_clists = a.cap;
}

void ft__store_gc_reset(struct ft_store *st)
{
	free(st->gc_sets);
	free(st->gc_lists);
	st->gc_sets = st->gc_lists = NULL;
	st->gc_nsets = st->gc_csets = st->gc_nlists = st->gc_clists = 0;
	st->gc_full = 0;
}

static int gc_full(struct ft_store *st)
{
	for (size_t i = 0; i < sizeof(ft_gc_sql) / sizeof(ft_gc_sql[0]); i++) {
		sqlite3_stmt *q;
		int rc;

		if ((rc = ft__store_prepare(st, &q, ft_gc_sql[i])) < 0)
			return rc;
		if (sqlite3_bind_parameter_count(q) == 2) {
			/* a listing of any reader (ft_dep_is_listing) */
			sqlite3_bind_int(q, 1, FT_DEP_LIST);
			sqlite3_bind_int(q, 2, (1 << FT_DEP_READER_SHIFT) - 1);
		}
		rc = sqlite3_step(q);
		rc = rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
		sqlite3_finalize(q);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* meta.gc_marks as three ids: 1, or 0 when it is missing or malformed. */
static int marks_read(struct ft_store *st, int64_t mark[3])
{
	sqlite3_stmt *q;
	const unsigned char *s;
	int ok = 0, used = 0;

	if (ft__store_prepare(st, &q, "SELECT value FROM meta WHERE key = '" FT_GC_MARKS_KEY "'") < 0)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT &&
	    (s = sqlite3_column_text(q, 0)) &&
	    sscanf((const char *)s, "%" SCNd64 " %" SCNd64 " %" SCNd64 "%n", &mark[0], &mark[1],
		   &mark[2], &used) == 3 &&
	    s[used] == '\0' && mark[0] >= 0 && mark[1] >= 0 && mark[2] >= 0)
		ok = 1;
	sqlite3_finalize(q);
	return ok;
}

static int marks_write(struct ft_store *st)
{
	return ft__store_exec(st, "INSERT OR REPLACE INTO meta(key, value) SELECT '" FT_GC_MARKS_KEY "',"
			      " (SELECT coalesce(max(id), 0) FROM depsets) || ' ' ||"
			      " (SELECT coalesce(max(id), 0) FROM states) || ' ' ||"
			      " (SELECT coalesce(max(id), 0) FROM paths)");
}

int ft__store_gc_forget_marks(struct ft_store *st)
{
	return ft__store_exec(st, "DELETE FROM meta WHERE key = '" FT_GC_MARKS_KEY "'");
}

/* Step q with ?1 = a; its rows' first column pushed to out (NULL: none
 * read), their second (a path id) to paths, and to lists the (path id,
 * value) of a row whose third column, a kind, is a listing's (value: the
 * fourth).  0 or FT_E*. */
static int each(struct ft_store *st, sqlite3_stmt *q, int64_t a, struct idv *out,
		struct idv *paths, struct idv *lists)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, a);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (out && idv_push(out, sqlite3_column_int64(q, 0)) < 0)
			return -ENOMEM;
		if (paths && idv_push(paths, sqlite3_column_int64(q, 1)) < 0)
			return -ENOMEM;
		if (lists && ft_dep_is_listing(sqlite3_column_int(q, 2)) &&
		    (idv_push(lists, sqlite3_column_int64(q, 1)) < 0 ||
		     idv_push(lists, sqlite3_column_int64(q, 3)) < 0))
			return -ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

enum { Q_NEW_SETS, Q_SET_GONE, Q_MEMBERS, Q_DEL_MEMBERS, Q_DEL_SET, Q_NEW_STATES, Q_STATE_GONE,
       Q_DEL_STATE, Q_DEL_LISTING, Q_NEW_PATHS, Q_PATH_GONE, Q_DEL_PATH_LISTINGS,
       Q_DEL_PATH_STATCACHE, Q_DEL_PATH, Q__N };

static const char *const ft_gc_inc_sql[Q__N] = {
	[Q_NEW_SETS] = "SELECT id FROM depsets WHERE id > ?1"
		       " AND NOT EXISTS (SELECT 1 FROM test_sets WHERE set_id = depsets.id)",
	[Q_SET_GONE] = "SELECT id FROM depsets WHERE id = ?1"
		       " AND NOT EXISTS (SELECT 1 FROM test_sets WHERE set_id = ?1)",
	[Q_MEMBERS] = "SELECT state_id FROM depset_states WHERE set_id = ?1",
	[Q_DEL_MEMBERS] = "DELETE FROM depset_states WHERE set_id = ?1",
	[Q_DEL_SET] = "DELETE FROM depsets WHERE id = ?1",
	[Q_NEW_STATES] = "SELECT id, path_id, kind, value FROM states WHERE id > ?1"
			 " AND NOT EXISTS (SELECT 1 FROM depset_states WHERE state_id = states.id)",
	[Q_STATE_GONE] = "SELECT id, path_id, kind, value FROM states WHERE id = ?1"
			 " AND NOT EXISTS (SELECT 1 FROM depset_states WHERE state_id = ?1)",
	[Q_DEL_STATE] = "DELETE FROM states WHERE id = ?1",
	[Q_DEL_LISTING] = "DELETE FROM listings WHERE path_id = ?1 AND value = ?2 AND NOT EXISTS"
			  " (SELECT 1 FROM states s WHERE s.path_id = ?1 AND (s.kind & ?4) = ?3"
			  " AND s.value = ?2)",
	[Q_NEW_PATHS] = "SELECT id FROM paths WHERE id > ?1"
			" AND NOT EXISTS (SELECT 1 FROM states WHERE path_id = paths.id)",
	[Q_PATH_GONE] = "SELECT id FROM paths WHERE id = ?1"
			" AND NOT EXISTS (SELECT 1 FROM states WHERE path_id = ?1)",
	[Q_DEL_PATH_LISTINGS] = "DELETE FROM listings WHERE path_id = ?1",
	[Q_DEL_PATH_STATCACHE] = "DELETE FROM statcache WHERE path_id = ?1",
	[Q_DEL_PATH] = "DELETE FROM paths WHERE id = ?1",
};

/* Statement i of ft_gc_inc_sql, prepared on its first use: most commits
 * need only the three that look above the marks. */
static sqlite3_stmt *stmt(struct ft_store *st, sqlite3_stmt **q, int i, int *rc)
{
	if (!q[i] && *rc == 0)
		*rc = ft__store_prepare(st, &q[i], ft_gc_inc_sql[i]);
	return *rc == 0 ? q[i] : NULL;
}

/* each() of statement i over `ids` (those above `above` left out: a
 * look above the mark found them already), pushing as each() does. */
static int each_of(struct ft_store *st, sqlite3_stmt **q, int i, const struct idv *ids,
		   int64_t above, struct idv *out, struct idv *paths, struct idv *lists)
{
	int rc = 0;

	for (size_t k = 0; k < ids->n && rc == 0; k++)
		if (ids->v[k] <= above && stmt(st, q, i, &rc))
			rc = each(st, q[i], ids->v[k], out, paths, lists);
	return rc;
}

/* Statement i (a DELETE) once for each of ids. */
static int run_each(struct ft_store *st, sqlite3_stmt **q, int i, const struct idv *ids)
{
	return each_of(st, q, i, ids, INT64_MAX, NULL, NULL, NULL);
}

static int gc_incremental(struct ft_store *st, const int64_t mark[3])
{
	sqlite3_stmt *q[Q__N] = { 0 };
	struct idv noted = { st->gc_sets, st->gc_nsets, st->gc_csets };
	struct idv sets = { 0 }, cand = { 0 }, states = { 0 }, paths = { 0 }, lists = { 0 },
		   gone = { 0 };
	int rc = 0;

	/* the sets: new ones no test took, and those a test let go */
	if (stmt(st, q, Q_NEW_SETS, &rc))
		rc = each(st, q[Q_NEW_SETS], mark[0], &sets, NULL, NULL);
	if (rc == 0)
		rc = each_of(st, q, Q_SET_GONE, &noted, mark[0], &sets, NULL, NULL);
	if (rc < 0)
		goto out;
	idv_unique(&sets);
	if ((rc = each_of(st, q, Q_MEMBERS, &sets, INT64_MAX, &cand, NULL, NULL)) < 0 ||
	    (rc = run_each(st, q, Q_DEL_MEMBERS, &sets)) < 0 ||
	    (rc = run_each(st, q, Q_DEL_SET, &sets)) < 0)
		goto out;
	/* the states: new ones no set holds, and those of the sets dropped */
	if (stmt(st, q, Q_NEW_STATES, &rc))
		rc = each(st, q[Q_NEW_STATES], mark[1], &states, &paths, &lists);
	if (rc < 0)
		goto out;
	idv_unique(&cand);
	if ((rc = each_of(st, q, Q_STATE_GONE, &cand, mark[1], &states, &paths, &lists)) < 0 ||
	    (rc = run_each(st, q, Q_DEL_STATE, &states)) < 0)
		goto out;
	/* the listings: of the states dropped, and those written */
	for (size_t i = 0; i < st->gc_nlists; i++)
		if ((rc = idv_push(&lists, st->gc_lists[i])) < 0)
			goto out;
	for (size_t i = 0; i + 1 < lists.n; i += 2) {
		sqlite3_stmt *d = stmt(st, q, Q_DEL_LISTING, &rc);
		if (!d)
			goto out;
		sqlite3_reset(d);
		sqlite3_bind_int64(d, 1, lists.v[i]);
		sqlite3_bind_int64(d, 2, lists.v[i + 1]);
		sqlite3_bind_int(d, 3, FT_DEP_LIST);
		sqlite3_bind_int(d, 4, (1 << FT_DEP_READER_SHIFT) - 1);
		if ((rc = sqlite3_step(d)) != SQLITE_DONE) {
			rc = ft__store_fail(st, rc);
			goto out;
		}
		rc = 0;
	}
	/* the paths: new ones no state names, and those of the states dropped */
	if (stmt(st, q, Q_NEW_PATHS, &rc))
		rc = each(st, q[Q_NEW_PATHS], mark[2], &gone, NULL, NULL);
	if (rc < 0)
		goto out;
	idv_unique(&paths);
	if ((rc = each_of(st, q, Q_PATH_GONE, &paths, mark[2], &gone, NULL, NULL)) < 0 ||
	    (rc = run_each(st, q, Q_DEL_PATH_LISTINGS, &gone)) < 0 ||
	    (rc = run_each(st, q, Q_DEL_PATH_STATCACHE, &gone)) < 0)
		goto out;
	rc = run_each(st, q, Q_DEL_PATH, &gone);
out:
	for (int i = 0; i < Q__N; i++)
		sqlite3_finalize(q[i]);
	free(sets.v);
	free(cand.v);
	free(states.v);
	free(paths.v);
	free(lists.v);
	free(gone.v);
	return rc;
}

/* Is there nothing the incremental collection could find: no set let go
 * and no listing noted (this transaction's), and no set, state or path
 * made since the marks (no id above them)?  Then it would read and
 * delete nothing, and the marks stay right.  1, 0, or FT_E*. */
static int nothing_new(struct ft_store *st, const int64_t mark[3])
{
	sqlite3_stmt *q;
	int rc, none = 0;

	if (st->gc_nsets || st->gc_nlists)
		return 0;
	if ((rc = ft__store_prepare(st, &q, "SELECT (SELECT coalesce(max(id), 0) FROM depsets),"
				    " (SELECT coalesce(max(id), 0) FROM states),"
				    " (SELECT coalesce(max(id), 0) FROM paths)")) < 0)
		return rc;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		none = sqlite3_column_int64(q, 0) <= mark[0] && sqlite3_column_int64(q, 1) <= mark[1] &&
		       sqlite3_column_int64(q, 2) <= mark[2];
		rc = 0;
	} else {
		rc = ft__store_fail(st, rc);
	}
	sqlite3_finalize(q);
	return rc < 0 ? rc : none;
}

int ft__store_gc(struct ft_store *st)
{
	int64_t mark[3];
	int rc;

	/* Garbage only where there can be some: a run that recorded its
	 * tests as they were (the same sets) made none, and skips both the
	 * collection's dozen statements and the marks' rewrite. */
	if (!st->gc_full && marks_read(st, mark)) {
		if ((rc = nothing_new(st, mark)) != 0) {
			ft__store_gc_reset(st);
			return rc < 0 ? rc : 0;
		}
		rc = gc_incremental(st, mark);
	} else {
		rc = gc_full(st);
	}
	if (rc == 0)
		rc = marks_write(st);
	ft__store_gc_reset(st);
	return rc;
}

