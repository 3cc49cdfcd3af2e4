/*
 * ft_store_pyfunc.c - the pyfunc_* tables (see ft_store_py.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_py.h"

/* A copy of column `col` of q if it is not NULL: 0 (*out NULL for a
 * NULL column) or -ENOMEM. */
static int dup_text(sqlite3_stmt *q, int col, char **out)
{
	const char *t = (const char *)sqlite3_column_text(q, col);

	*out = NULL;
	if (!t)
		return 0;
	return (*out = strdup(t)) ? 0 : -ENOMEM;
}

/* Run one prepared write of `sql` with the binds made by the caller. */
static int step_done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : FT_EDB;

	sqlite3_finalize(q);
	return rc;
}

static int prep(struct ft_store *st, const char *sql, sqlite3_stmt **q)
{
	return sqlite3_prepare_v2(st->db, sql, -1, q, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

/* The kept statements: once per test of an ingest (ft__store_prepare_kept) */
static int prep_kept(struct ft_store *st, enum ft__kept slot, const char *sql, sqlite3_stmt **q)
{
	return ft__store_prepare_kept(st, slot, q, sql) < 0 ? FT_EDB : 0;
}

static int step_kept(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : FT_EDB;

	ft__store_give_back(q);
	return rc;
}

int ft_store_run_find(struct ft_store *st, int64_t started_ns, const char *command, int64_t *run_id)
{
	sqlite3_stmt *q;
	int n = 0, rc;

	if (prep(st, "SELECT id FROM runs WHERE started_ns = ?1 AND command IS ?2", &q) < 0)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, started_ns);
	sqlite3_bind_text(q, 2, command, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*run_id = sqlite3_column_int64(q, 0);
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return FT_EDB;
	return n == 1 ? 0 : 1;  /* none or ambiguous */
}

int ft_store_pyfunc_fps_prelude(struct ft_store *st, const char *path, uint64_t value,
				char **prelude)
{
	sqlite3_stmt *q;
	int rc = 0;

	*prelude = NULL;
	if (prep(st, "SELECT prelude FROM pyfunc_fps WHERE path = ?1 AND value = ?2", &q) < 0)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	if (sqlite3_step(q) == SQLITE_ROW)
		rc = dup_text(q, 0, prelude) < 0 ? -ENOMEM : 1;
	sqlite3_finalize(q);
	return rc;
}

int ft_store_pyfunc_fps_put(struct ft_store *st, const char *path, uint64_t value,
			    const char *skeleton, const char *bodies, const char *prelude,
			    const char *names)
{
	sqlite3_stmt *q;

	if (prep(st, "INSERT OR REPLACE INTO pyfunc_fps(path, value, skeleton, bodies, prelude, names,"
		 " ck) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ft_ck('pyfunc_fps', ?1, ?2, ?3, ?4, ?5, ?6))",
		 &q) < 0)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	sqlite3_bind_text(q, 3, skeleton, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, bodies, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, prelude, -1, SQLITE_STATIC);
	if (names)
		sqlite3_bind_text(q, 6, names, -1, SQLITE_STATIC);
	return step_done(q);
}

int ft_store_pyfunc_fps_union(struct ft_store *st, const char *path, uint64_t value,
			      const char *prelude)
{
	sqlite3_stmt *q;

	if (prep(st, "UPDATE pyfunc_fps SET prelude = ?3, ck = ft_ck('pyfunc_fps', path, value,"
		 " skeleton, bodies, ?3, names) WHERE path = ?1 AND value = ?2", &q) < 0)
		return FT_EDB;
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (int64_t)value);
	sqlite3_bind_text(q, 3, prelude, -1, SQLITE_STATIC);
	return step_done(q);
}

int ft_store_pyfunc_test_put(struct ft_store *st, const char *name, int64_t run_id, int complete,
			     const char *funcs, const char *own)
{
	sqlite3_stmt *q;

	if (prep_kept(st, FT_KEPT_PYFUNC_TEST_PUT,
		      "INSERT OR REPLACE INTO pyfunc_tests(name, run_id, complete, funcs, own, ck)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ft_ck('pyfunc_tests', ?1, ?2, ?3, ?4, ?5))", &q) < 0)
		return FT_EDB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run_id);
	sqlite3_bind_int(q, 3, complete);
	sqlite3_bind_text(q, 4, funcs, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, own, -1, SQLITE_STATIC);
	return step_kept(q);
}

int ft_store_pyfunc_run_put(struct ft_store *st, int64_t run_id, const char *prelude)
{
	sqlite3_stmt *q;

	if (prep(st, "INSERT OR REPLACE INTO pyfunc_runs(run_id, prelude, ck)"
		 " VALUES (?1, ?2, ft_ck('pyfunc_runs', ?1, ?2))", &q) < 0)
		return FT_EDB;
	sqlite3_bind_int64(q, 1, run_id);
	sqlite3_bind_text(q, 2, prelude, -1, SQLITE_STATIC);
	return step_done(q);
}

int ft_store_pyfunc_lazy_put(struct ft_store *st, const char *name, int64_t run_id,
			     const char *files)
{
	sqlite3_stmt *q;

	if (prep_kept(st, FT_KEPT_PYFUNC_LAZY_PUT,
		      "INSERT OR REPLACE INTO pyfunc_lazy(name, run_id, files, ck)"
		      " VALUES (?1, ?2, ?3, ft_ck('pyfunc_lazy', ?1, ?2, ?3))", &q) < 0)
		return FT_EDB;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run_id);
	sqlite3_bind_text(q, 3, files, -1, SQLITE_STATIC);
	return step_kept(q);
}

int ft_store_pyfunc_gc(struct ft_store *st, int file_kind)
{
	sqlite3_stmt *q;
	int rc;

	if (prep(st, "DELETE FROM pyfunc_fps WHERE NOT EXISTS (SELECT 1 FROM states s"
		 " JOIN paths p ON p.id = s.path_id WHERE p.path = pyfunc_fps.path"
		 " AND s.kind = ?1 AND s.value = pyfunc_fps.value)", &q) < 0)
		return FT_EDB;
	sqlite3_bind_int(q, 1, file_kind);
	if ((rc = step_done(q)) < 0)
		return rc;
	return sqlite3_exec(st->db, "DELETE FROM pyfunc_tests WHERE name NOT IN (SELECT name FROM tests);"
			    "DELETE FROM pyfunc_lazy WHERE run_id NOT IN (SELECT t.run_id FROM tests t"
			    " WHERE t.name = pyfunc_lazy.name);"
			    "DELETE FROM pyfunc_runs WHERE run_id NOT IN (SELECT run_id FROM pyfunc_tests)"
			    " AND NOT EXISTS (SELECT 1 FROM tests t WHERE t.run_id = pyfunc_runs.run_id);",
			    NULL, NULL, NULL) == SQLITE_OK ? 0 : FT_EDB;
}

/* --- reading ------------------------------------------------------------ */

struct ft_store_pyfunc {
	struct ft_store *st;
	sqlite3_stmt *q_cand, *q_seen, *q_fps, *q_lazy, *q_run, *q_known;
	int err;  /* the first row found corrupt (FT_ECORRUPT), or 0 */
};

/* Column `col` of q says whether the row read is the one asked for, as
 * its checksum and its key (read again from the row, not from the index
 * the lookup went through: a pyfunc_fps row is its own index) say, or
 * (`why` "its index names another row") as the rows an index led to say.
 * If not, the first such row is kept in r->err and st->errmsg, and the
 * read answers "no row" (ft_store_pyfunc_error). */
static int row_ok(struct ft_store_pyfunc *r, sqlite3_stmt *q, int col, const char *table,
		  const char *key, const char *why)
{
	if (sqlite3_column_int(q, col))
		return 1;
	if (!r->err) {
		snprintf(r->st->errmsg, sizeof(r->st->errmsg), "database is corrupt: %s %.300s (%s: "
			 "SQLite's own checks cannot see it)", table, key, why);
		r->err = FT_ECORRUPT;
	}
	return 0;
}

#define CK_MISMATCH "checksum mismatch"

int ft_store_pyfunc_error(const struct ft_store_pyfunc *r)
{
	return r ? r->err : 0;
}

int ft_store_pyfunc_any(struct ft_store *st)
{
	sqlite3_stmt *q;
	int any = 1;

	if (sqlite3_prepare_v2(st->db, "SELECT EXISTS (SELECT 1 FROM pyfunc_tests)", -1, &q, NULL) !=
	    SQLITE_OK)
		return 1;
	if (sqlite3_step(q) == SQLITE_ROW)
		any = sqlite3_column_int(q, 0) != 0;
	sqlite3_finalize(q);
	return any;
}

int ft_store_pyfunc_open(struct ft_store *st, struct ft_store_pyfunc **out)
{
	struct ft_store_pyfunc *r = calloc(1, sizeof(*r));
	int has_names, ck;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->st = st;
	/* Rows of pyfunc_tests, pyfunc_fps and pyfunc_lazy are checked as
	 * they are read, not by ft_store_verify (store/ft_store_ck.c): a
	 * selection reads a few of them, and they are most of the database.
	 * The key must be read again from the row itself: SQLite takes a
	 * column the index holds from the index, so an index entry that
	 * names another row would hand over that row's data with the key
	 * asked for, and the row's own checksum intact. */
	ck = st->version >= 3; /* ck columns from schema version 3 on */
	if (prep(st, ck ? "SELECT f.funcs, f.own, f.run_id, f.run_id = t.run_id, f.complete, t.file,"
		 " (SELECT name IS ?1 AND ck IS " FT_CK_PYFUNC_TESTS " FROM pyfunc_tests"
		 " WHERE rowid = f.rowid) FROM pyfunc_tests f JOIN tests t ON t.name = f.name"
		 " WHERE f.name = ?1"
		 : "SELECT f.funcs, f.own, f.run_id, f.run_id = t.run_id, f.complete, t.file, 1"
		 " FROM pyfunc_tests f JOIN tests t ON t.name = f.name WHERE f.name = ?1",
		 &r->q_cand) < 0 ||
	    /* p and s come from the two UNIQUE indices alone: the path and
	     * the state are read again from their rows (which
	     * ft_store_verify checks through the sets that name them) */
	    prep(st, "SELECT DISTINCT t.name, s.value,"
		 " (SELECT x.path IS ?1 FROM paths x WHERE x.id = p.id) AND"
		 " (SELECT y.path_id IS p.id AND y.kind IS ?2 AND y.value IS s.value FROM states y"
		 " WHERE y.id = s.id) FROM paths p"
		 " JOIN states s ON s.path_id = p.id"
		 " JOIN depset_states ds ON ds.state_id = s.id"
		 " JOIN test_sets ts ON ts.set_id = ds.set_id"
		 " JOIN tests t ON t.id = ts.test_id"
		 " WHERE p.path = ?1 AND s.kind = ?2 ORDER BY t.name", &r->q_seen) < 0)
		goto fail;
	/* a version-1 table made before pyfunc_fps.names, read without
	 * migrating (read-only), has no such column */
	has_names = prep(st, ck ? "SELECT skeleton, bodies, prelude, names,"
			 " ck IS " FT_CK_PYFUNC_FPS " FROM pyfunc_fps WHERE path = ?1 AND value = ?2"
			 : "SELECT skeleton, bodies, prelude, names, 1 FROM pyfunc_fps"
			 " WHERE path = ?1 AND value = ?2", &r->q_fps) == 0;
	if (!has_names && prep(st, "SELECT skeleton, bodies, prelude, NULL, 1"
			       " FROM pyfunc_fps WHERE path = ?1 AND value = ?2", &r->q_fps) < 0)
		goto fail;
	/* optional in version 1: a database recorded before lazy imports */
	if (ft_store_has_table(st, "pyfunc_lazy") &&
	    prep(st, ck ? "SELECT l.files, (SELECT name IS ?1 AND run_id IS ?2 AND ck IS "
		 FT_CK_PYFUNC_LAZY " FROM pyfunc_lazy WHERE rowid = l.rowid)"
		 " FROM pyfunc_lazy l WHERE l.name = ?1 AND l.run_id = ?2"
		 : "SELECT files, 1 FROM pyfunc_lazy WHERE name = ?1 AND run_id = ?2",
		 &r->q_lazy) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	ft_store_pyfunc_close(r);
	return FT_EDB;
}

void ft_store_pyfunc_close(struct ft_store_pyfunc *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->q_cand);
	sqlite3_finalize(r->q_seen);
	sqlite3_finalize(r->q_fps);
	sqlite3_finalize(r->q_lazy);
	sqlite3_finalize(r->q_known);
	sqlite3_finalize(r->q_run);
	free(r);
}

int ft_store_pyfunc_has_lazy(const struct ft_store_pyfunc *r)
{
	return r->q_lazy != NULL;
}

static void done(sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
}

void ft_store_pyfunc_test_clear(struct ft_store_pyfunc_test *t)
{
	free(t->funcs);
	free(t->own);
	free(t->file);
	memset(t, 0, sizeof(*t));
}

int ft_store_pyfunc_test_get(struct ft_store_pyfunc *r, const char *name,
			     struct ft_store_pyfunc_test *t)
{
	sqlite3_stmt *q = r->q_cand;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW && row_ok(r, q, 6, "pyfunc_tests", name, CK_MISMATCH)) {
		t->run_id = sqlite3_column_int64(q, 2);
		t->same_run = sqlite3_column_int(q, 3);
		t->complete = sqlite3_column_int(q, 4);
		rc = 1;
		if (dup_text(q, 0, &t->funcs) < 0 || dup_text(q, 1, &t->own) < 0 ||
		    (sqlite3_column_type(q, 5) == SQLITE_TEXT && dup_text(q, 5, &t->file) < 0)) {
			ft_store_pyfunc_test_clear(t);
			rc = -ENOMEM;
		}
	}
	done(q);
	return rc;
}

int ft_store_pyfunc_run_prelude(struct ft_store_pyfunc *r, int64_t run_id, char **prelude)
{
	int rc = 0;

	*prelude = NULL;
	if (!r->q_run && prep(r->st, "SELECT prelude FROM pyfunc_runs WHERE run_id = ?1", &r->q_run) < 0)
		return 0;
	sqlite3_bind_int64(r->q_run, 1, run_id);
	if (sqlite3_step(r->q_run) == SQLITE_ROW)
		rc = dup_text(r->q_run, 0, prelude) < 0 ? -ENOMEM : 1;
	done(r->q_run);
	return rc;
}

int ft_store_pyfunc_test_known(struct ft_store_pyfunc *r, const char *name)
{
	int rc;

	if (!r->q_known && prep(r->st, "SELECT 1 FROM tests WHERE name = ?1", &r->q_known) < 0)
		return FT_EDB;
	sqlite3_bind_text(r->q_known, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(r->q_known);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : FT_EDB;
	done(r->q_known);
	return rc;
}

int ft_store_pyfunc_lazy_get(struct ft_store_pyfunc *r, const char *name, int64_t run_id,
			     char **files)
{
	sqlite3_stmt *q = r->q_lazy;
	int rc = 0;

	*files = NULL;
	if (!q)
		return 0;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run_id);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    row_ok(r, q, 1, "pyfunc_lazy", name, CK_MISMATCH) &&
	    sqlite3_column_type(q, 0) == SQLITE_TEXT)
		rc = dup_text(q, 0, files) < 0 ? -ENOMEM : 1;
	done(q);
	return rc;
}

int ft_store_pyfunc_seen(struct ft_store_pyfunc *r, const char *path, int kind,
			 int (*fn)(void *arg, const char *name, int64_t value), void *arg)
{
	sqlite3_stmt *q = r->q_seen;
	int rc, out = 0;

	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int(q, 2, kind);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (!row_ok(r, q, 2, "paths", path, "its index names another row")) {
			out = FT_ECORRUPT;
			break;
		}
		if (name && (out = fn(arg, name, sqlite3_column_int64(q, 1))) != 0)
			break;
	}
	if (!out && rc != SQLITE_DONE)
		out = FT_EDB;
	done(q);
	return out;
}

void ft_store_pyfunc_fps_clear(struct ft_store_pyfunc_fps *f)
{
	free(f->skeleton);
	free(f->bodies);
	free(f->prelude);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

int ft_store_pyfunc_fps_get(struct ft_store_pyfunc *r, const char *path, int64_t value,
			    struct ft_store_pyfunc_fps *f)
{
	sqlite3_stmt *q = r->q_fps;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	sqlite3_bind_blob(q, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, value);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    row_ok(r, q, 4, "pyfunc_fps", path, CK_MISMATCH)) {
		rc = 1;
		if (dup_text(q, 0, &f->skeleton) < 0 || dup_text(q, 1, &f->bodies) < 0 ||
		    dup_text(q, 2, &f->prelude) < 0 ||
		    (sqlite3_column_type(q, 3) == SQLITE_TEXT && dup_text(q, 3, &f->names) < 0)) {
			ft_store_pyfunc_fps_clear(f);
			rc = -ENOMEM;
		}
	}
	done(q);
	return rc;
}

int ft_store_pyfunc_suite_tests(struct ft_store_pyfunc *r,
				int (*fn)(void *arg, const struct ft_store_pyfunc_suite_test *t),
				void *arg)
{
	sqlite3_stmt *q;
	int rc = 0, step = SQLITE_DONE;

	if (prep(r->st, ft_store_has_table(r->st, "run_pytest")
			    ? "SELECT t.run_id, t.name, t.file, r.rootdir, p.run_id IS NOT NULL FROM tests t"
			      " LEFT JOIN run_pytest r ON r.run_id = t.run_id"
			      " LEFT JOIN pyfunc_runs p ON p.run_id = t.run_id WHERE t.runner = 'pytest'"
			      " ORDER BY t.run_id, t.name"
			    : "SELECT t.run_id, t.name, t.file, NULL, p.run_id IS NOT NULL FROM tests t"
			      " LEFT JOIN pyfunc_runs p ON p.run_id = t.run_id WHERE t.runner = 'pytest'"
			      " ORDER BY t.run_id, t.name",
		 &q) < 0)
		return FT_EDB;
	while (rc >= 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
		struct ft_store_pyfunc_suite_test t = {
			.run_id = sqlite3_column_int64(q, 0),
			.name = (const char *)sqlite3_column_text(q, 1),
			.file = (const char *)sqlite3_column_text(q, 2),
			.rootdir = (const char *)sqlite3_column_text(q, 3),
			.session = sqlite3_column_int(q, 4),
		};
		if (t.name)
			rc = fn(arg, &t);
	}
	if (rc >= 0 && step != SQLITE_DONE)
		rc = FT_EDB;
	sqlite3_finalize(q);
	return rc;
}
