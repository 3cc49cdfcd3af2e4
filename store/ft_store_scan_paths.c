/*
 * ft_store_scan_paths.c - the scan of the states of some paths only
 * (ft_store_select.h, ft_store_states_scan_paths): what a selection reads
 * when a watch daemon's whole answer names the only paths that can have
 * changed (docs/watch.md, "A whole answer").
 *
 * Index lookups instead of the full merge: each named path's id through
 * paths' UNIQUE(path), the variables' ids as one range of that index
 * ("$..."), then, in path-id order, each id's states through states'
 * UNIQUE(path_id, kind, value) and its stat cache rows through statcache's
 * key.  The callbacks see exactly what ft_store_states_scan would show
 * for these paths, in the same order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_select.h"
#include "ft_vec.h"

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_push(struct ids *ids, int64_t id)
{
	int64_t *v = ft_vec_grow(ids->v, &ids->cap, ids->n, sizeof(*ids->v), 64);

	if (!v)
		return -ENOMEM;
	ids->v = v;
	ids->v[ids->n++] = id;
	return 0;
}

/* Every id the statement's rows hold in column 0 (after its binds). */
static int ids_collect(sqlite3_stmt *q, struct ids *ids)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = ids_push(ids, sqlite3_column_int64(q, 0))) < 0)
			return rc;
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

/* The states of one path id, as ft_store_states_scan shows them. */
static int one_path(const struct ft_store *st, sqlite3_stmt *qs, sqlite3_stmt *qp, sqlite3_stmt *qc,
		    int trusted, int64_t path_id, const struct ft_store_scan_ops *ops, void *arg)
{
	int last_kind = -1, have, rc;

	sqlite3_reset(qp);
	sqlite3_bind_int64(qp, 1, path_id);
	if ((rc = sqlite3_step(qp)) != SQLITE_ROW && rc != SQLITE_DONE)
		return ft__store_read_err(rc);
	have = rc == SQLITE_ROW;
	sqlite3_reset(qs);
	sqlite3_bind_int64(qs, 1, path_id);
	while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(qs, 1);

		if (kind != last_kind) {
			struct ft_state_hint hint = { 0 };
			int crc = SQLITE_DONE;

			if (trusted) {
				sqlite3_reset(qc);
				sqlite3_bind_int64(qc, 1, path_id);
				/* a reader's FILE code shares the plain FILE's entry */
				sqlite3_bind_int(qc, 2, ft_dep_base(kind) == FT_DEP_FILE ? FT_DEP_FILE : kind);
				if ((crc = sqlite3_step(qc)) != SQLITE_ROW && crc != SQLITE_DONE)
					return ft__store_read_err(crc);
			}
			hint.valid = crc == SQLITE_ROW;
			if (hint.valid)
				ft__statcache_cols(qc, 0, &hint.st, &hint.taken_ns, &hint.value);
			if ((rc = ops->item(arg, have ? sqlite3_column_blob(qp, 0) : NULL,
					    have ? sqlite3_column_bytes(qp, 0) : 0, ft__store_kind(st, kind),
					    hint.valid ? &hint : NULL)) != 0)
				return rc;
			last_kind = kind;
		}
		if (ops->row && (rc = ops->row(arg, sqlite3_column_int64(qs, 0), path_id,
				   (uint64_t)sqlite3_column_int64(qs, 2))) != 0)
			return rc;
	}
	return rc == SQLITE_DONE ? 0 : ft__store_read_err(rc);
}

int ft_store_states_scan_paths(struct ft_store *st, int trusted, char *const *paths, size_t n,
			       const struct ft_store_scan_ops *ops, void *arg)
{
	sqlite3_stmt *qid = NULL, *qenv = NULL, *qs = NULL, *qp = NULL, *qc = NULL;
	struct ids ids = { 0 };
	int rc;

	if ((rc = ft__store_read_prepare(st, &qid, "SELECT id FROM paths WHERE path = ?")) < 0 ||
	    /* "$NAME": every variable (common/ft_envdep.h); '%' is '$' + 1 */
	    (rc = ft__store_read_prepare(st, &qenv, "SELECT id FROM paths WHERE path >= CAST('$' AS BLOB)"
					 " AND path < CAST('%' AS BLOB)")) < 0 ||
	    (rc = ft__store_read_prepare(st, &qs, "SELECT id, kind, value FROM states WHERE path_id = ?"
					 " ORDER BY kind, value")) < 0 ||
	    (rc = ft__store_read_prepare(st, &qp, "SELECT path FROM paths WHERE id = ?")) < 0 ||
	    (rc = ft__store_read_prepare(st, &qc, "SELECT dev, ino, size, mtime_ns, ctime_ns, mode,"
					 " taken_ns, value FROM statcache WHERE path_id = ? AND kind = ?")) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(qid);
		sqlite3_bind_blob(qid, 1, paths[i], (int)strlen(paths[i]), SQLITE_STATIC);
		if ((rc = ids_collect(qid, &ids)) < 0)
			goto out;
	}
	if ((rc = ids_collect(qenv, &ids)) < 0)
		goto out;
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof(*ids.v), id_cmp);
	for (size_t i = 0; i < ids.n; i++) {
		if (i && ids.v[i] == ids.v[i - 1])
			continue;
		if ((rc = one_path(st, qs, qp, qc, trusted, ids.v[i], ops, arg)) != 0)
			goto out;
	}
out:
	free(ids.v);
	sqlite3_finalize(qid);
	sqlite3_finalize(qenv);
	sqlite3_finalize(qs);
	sqlite3_finalize(qp);
	sqlite3_finalize(qc);
	return rc;
}
