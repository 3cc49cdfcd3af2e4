/*
 * ft_store_select.c - see ft_store_select.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_select.h"

int ft_store_read_begin(struct ft_store *st)
{
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return ft__store_read_err(sqlite3_errcode(st->db));
	return 0;
}

void ft_store_read_end(struct ft_store *st)
{
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

int ft_store_states_count(struct ft_store *st, size_t *n)
{
	sqlite3_stmt *q;
	int rc;

	if ((rc = ft__store_read_prepare(st, &q, "SELECT count(*) FROM states")) < 0)
		return rc;
	rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : ft__store_read_err(rc);
}

/*
 * The merge of three ordered scans.  Per row that is a cursor step
 * instead of two B-tree descents (a join), which halves the load on
 * 100,000 states.
 */
int ft_store_states_scan(struct ft_store *st, int trusted, const struct ft_store_scan_ops *ops,
			 void *arg)
{
	sqlite3_stmt *qs = NULL, *qp = NULL, *qc = NULL;
	int64_t last_path = -1, p_id = -1, c_path = -1, f_path = -1;
	int last_kind = -1, c_kind = -1, rc, rp = SQLITE_ROW, rcache = SQLITE_ROW;
	struct ft_state_hint file_hint = { 0 }; /* the FILE row of path f_path */

	if ((rc = ft__store_read_prepare(st, &qs, "SELECT id, path_id, kind, value FROM states"
					 " ORDER BY path_id, kind")) < 0 ||
	    (rc = ft__store_read_prepare(st, &qp, "SELECT id, path FROM paths ORDER BY id")) < 0 ||
	    (rc = ft__store_read_prepare(st, &qc, "SELECT path_id, kind, dev, ino, size, mtime_ns,"
					 " ctime_ns, mode, taken_ns, value FROM statcache"
					 " ORDER BY path_id, kind")) < 0)
		goto out;
	if (!trusted)
		rcache = SQLITE_DONE;
	while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
		int64_t path_id = sqlite3_column_int64(qs, 1);
		int kind = sqlite3_column_int(qs, 2);

		if (path_id != last_path || kind != last_kind) {
			struct ft_state_hint hint;
			int have;

			while (rp == SQLITE_ROW && p_id < path_id)
				if ((rp = sqlite3_step(qp)) == SQLITE_ROW)
					p_id = sqlite3_column_int64(qp, 0);
			if (rp != SQLITE_ROW && rp != SQLITE_DONE) {
				rc = ft__store_read_err(rp);
				goto out;
			}
			while (rcache == SQLITE_ROW &&
			       (c_path < path_id || (c_path == path_id && c_kind < kind))) {
				if (c_path == path_id && c_kind == FT_DEP_FILE) {
					/* passed by, for a reader's FILE code below */
					ft__statcache_cols(qc, 2, &file_hint.st, &file_hint.taken_ns,
							   &file_hint.value);
					file_hint.valid = 1;
					f_path = path_id;
				}
				if ((rcache = sqlite3_step(qc)) == SQLITE_ROW) {
					c_path = sqlite3_column_int64(qc, 0);
					c_kind = sqlite3_column_int(qc, 1);
				}
			}
			if (rcache != SQLITE_ROW && rcache != SQLITE_DONE) {
				rc = ft__store_read_err(rcache);
				goto out;
			}
			have = p_id == path_id && rp == SQLITE_ROW;
			hint.valid = rcache == SQLITE_ROW && c_path == path_id && c_kind == kind;
			if (hint.valid)
				ft__statcache_cols(qc, 2, &hint.st, &hint.taken_ns, &hint.value);
			/* a reader's FILE code shares the plain FILE's cache entry
			 * (ft_state.c: one content, one hash), which sorts before
			 * it: the loop above has just passed it */
			if (kind != FT_DEP_FILE && ft_dep_base(kind) == FT_DEP_FILE && trusted) {
				hint = file_hint;
				hint.valid = f_path == path_id && file_hint.valid;
			}
			rc = ops->item(arg, have ? sqlite3_column_blob(qp, 1) : NULL,
				       have ? sqlite3_column_bytes(qp, 1) : 0, ft__store_kind(st, kind),
				       hint.valid ? &hint : NULL);
			if (rc)
				goto out;
			last_path = path_id;
			last_kind = kind;
		}
		if (ops->row && (rc = ops->row(arg, sqlite3_column_int64(qs, 0), path_id,
				   (uint64_t)sqlite3_column_int64(qs, 3))) != 0)
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
out:
	sqlite3_finalize(qs);
	sqlite3_finalize(qp);
	sqlite3_finalize(qc);
	return rc;
}

struct ft_store_lookup {
	struct ft_store *st;
	sqlite3_stmt *sets;
	sqlite3_stmt *tests;
};

int ft_store_lookup_open(struct ft_store *st, struct ft_store_lookup **out)
{
	struct ft_store_lookup *lk = calloc(1, sizeof(*lk));
	int rc;

	*out = NULL;
	if (!lk)
		return -ENOMEM;
	lk->st = st;
	if ((rc = ft__store_read_prepare(st, &lk->sets, "SELECT set_id FROM depset_states"
					 " WHERE state_id = ?")) < 0 ||
	    (rc = ft__store_read_prepare(st, &lk->tests, "SELECT test_id FROM test_sets"
					 " WHERE set_id = ?")) < 0) {
		ft_store_lookup_close(lk);
		return rc;
	}
	*out = lk;
	return 0;
}

void ft_store_lookup_close(struct ft_store_lookup *lk)
{
	if (!lk)
		return;
	sqlite3_finalize(lk->sets);
	sqlite3_finalize(lk->tests);
	free(lk);
}

/* fn(arg, column 0) for every row of q bound to `key`. */
static int each_id(sqlite3_stmt *q, int64_t key, int (*fn)(void *arg, int64_t id), void *arg)
{
	int rc, r = 0;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, key);
	while (r == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW)
		r = fn(arg, sqlite3_column_int64(q, 0));
	if (r)
		return r;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_lookup_sets(struct ft_store_lookup *lk, int64_t state_id,
			 int (*fn)(void *arg, int64_t set_id), void *arg)
{
	return each_id(lk->sets, state_id, fn, arg);
}

int ft_store_lookup_tests(struct ft_store_lookup *lk, int64_t set_id,
			  int (*fn)(void *arg, int64_t test_id), void *arg)
{
	return each_id(lk->tests, set_id, fn, arg);
}

int ft_store_listing_get(struct ft_store *st, int64_t path_id, uint64_t value, char **names,
			 size_t *len)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*names = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT names FROM listings WHERE path_id=? AND value=?", -1, &q,
			       NULL) != SQLITE_OK)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, path_id);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)value);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(q, 0);
		*len = (size_t)sqlite3_column_bytes(q, 0);
		*names = malloc(*len + 1);
		if (*names) {
			if (*len)
				memcpy(*names, b, *len);
			(*names)[*len] = '\0';
		}
		rc = *names ? 1 : -ENOMEM;
	} else {
		rc = rc == SQLITE_DONE ? 0 : FT_EDB;
	}
	sqlite3_finalize(q);
	return rc;
}

/* What identifies the recorded states selection compares: a new run, an
 * import or a merge changes the tests' digest or the states (which are
 * only ever inserted, with growing ids, and deleted by the garbage
 * collection), so (digest, newest run, newest state, count) differs. */
int ft_store_generation(struct ft_store *st, char *buf, size_t cap)
{
	sqlite3_stmt *q;
	int rc, n;

	if ((rc = ft__store_read_prepare(st, &q,
			"SELECT (SELECT hex(value) FROM meta WHERE key = 'tests_digest'),"
			" (SELECT max(id) FROM runs), (SELECT max(id) FROM states)")) < 0)
		return rc;
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(q);
		return ft__store_read_err(rc);
	}
	n = snprintf(buf, cap, "%s.%lld.%lld",
		     sqlite3_column_type(q, 0) == SQLITE_TEXT ? (const char *)sqlite3_column_text(q, 0) : "-",
		     (long long)sqlite3_column_int64(q, 1), (long long)sqlite3_column_int64(q, 2));
	sqlite3_finalize(q);
	return n < 0 || (size_t)n >= cap ? FT_ETOOLONG : 0;
}
