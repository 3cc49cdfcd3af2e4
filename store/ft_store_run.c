/*
 * ft_store_run.c - writing one run: dependency sets, tests, garbage.
 *
 * Sets are content addressed: the digest is xxh3-128 over the canonical
 * (sorted, unique) triples, each encoded as
 *   u32 path_len (LE) | path bytes | u8 kind | u64 value (LE)
 * so the same dependencies in any order, with duplicates, give one set, and
 * 3,000 tests sharing a session prelude share one row set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_error.h"
#include "ft_store_int.h"
#include "ft_store_runmeta.h"

/* The runs row and its metadata's rows (version 6: ft_store_runmeta.h).
 * Metadata that cannot be converted into its tables (ft_runmeta_parse)
 * is kept as it came, in meta_json, where it is read as versions 1 to 5
 * read it. */
int ft__store_run_insert(struct ft_store *st, const struct ft_run_info *run, int64_t *run_id)
{
	struct ft_runmeta m = FT_RUNMETA_INIT;
	sqlite3_stmt *q = NULL;
	int64_t rows = 0;
	char sql[320], nrows[24];
	int rc, conv = 0;

	if (run->meta_json) {
		if ((rc = ft_runmeta_parse(run->meta_json, &m, 1)) < 0 && rc != FT_EFORMAT)
			return rc;
		conv = rc == 0;
	}
	rc = ft__store_prepare(st, &q, "INSERT INTO runs(command, cwd, started_ns, finished_ns,"
			       " exit_status, meta_json) VALUES(?,?,?,?,?,?)");
	if (rc < 0)
		goto out;
	sqlite3_bind_text(q, 1, run->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, run->cwd, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, run->started_ns);
	sqlite3_bind_int64(q, 4, run->finished_ns);
	sqlite3_bind_int(q, 5, run->exit_status);
	sqlite3_bind_text(q, 6, conv ? NULL : run->meta_json, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		rc = ft__store_fail(st, rc);
		goto out;
	}
	*run_id = sqlite3_last_insert_rowid(st->db);
	if (conv && (rc = ft__store_runmeta_put(st, *run_id, &m, &rows)) < 0)
		goto out;
	/* the row's checksum covers its id, known once it is inserted */
	/* (two statements: an UPDATE's expressions read the old row) */
	snprintf(nrows, sizeof(nrows), rows ? "%lld" : "NULL", (long long)rows);
	snprintf(sql, sizeof(sql), "UPDATE runs SET meta_rows = %s WHERE id = %lld", nrows,
		 (long long)*run_id);
	if ((rc = ft__store_exec(st, sql)) < 0)
		goto out;
	snprintf(sql, sizeof(sql), "UPDATE runs SET ck = " FT_CK_RUNS_6 " WHERE id = %lld",
		 (long long)*run_id);
	rc = ft__store_exec(st, sql);
out:
	ft_runmeta_release(&m);
	return rc;
}

int ft__store_write_begin_run(struct ft_store *st)
{
	int rc;

	if (st->in_run)
		return FT_EUSAGE;
	if ((rc = ft__store_exec(st, "BEGIN IMMEDIATE")) < 0)
		return rc;
	/* The commit writes meta.tests_digest anew over every test's rows:
	 * rows already corrupt (a flipped set reference) would pass every
	 * later check.  So a run into such a database saves nothing (its
	 * records are kept for `ftrace ingest`). */
	if ((rc = ft__store_verify_tests(st)) < 0) {
		ft__store_undo(st, "ROLLBACK");
		return rc;
	}
	st->in_run = 1;
	return 0;
}

int ft_store_run_begin(struct ft_store *st, const struct ft_run_info *run, int64_t *run_id)
{
	int rc;

	if ((rc = ft__store_write_begin_run(st)) < 0)
		return rc;
	if ((rc = ft__store_run_insert(st, run, run_id)) < 0)
		ft_store_run_abort(st);
	return rc;
}

static int dep_cmp(const void *pa, const void *pb)
{
	const struct ft_dep *a = *(const struct ft_dep *const *)pa, *b = *(const struct ft_dep *const *)pb;
	uint32_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
	int c = memcmp(a->path, b->path, n);

	if (c)
		return c;
	if (a->path_len != b->path_len)
		return a->path_len < b->path_len ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return 0;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

#define FT_MEMBERS_AT_ONCE 8 /* the placeholders ?2..?9 below */

/* Insert the set's rows.  Inside a savepoint opened by the caller. */
static int insert_set(struct ft_store *st, const unsigned char digest[16],
		      const struct ft_dep *const *v, const struct ft_dep *deps, int64_t *const *slots,
		      size_t n, int64_t *set_id)
{
	sqlite3_stmt *ins_set = NULL, *ins_member = NULL, *ins_many = NULL;
	int rc;

	if ((rc = ft__store_prepare_kept(st, FT_KEPT_SET_INS, &ins_set,
					 "INSERT INTO depsets(digest, n) VALUES(?, ?)")) < 0 ||
	    (rc = ft__store_prepare_kept(st, FT_KEPT_MEMBER_INS, &ins_member,
					 "INSERT OR IGNORE INTO depset_states(set_id, state_id) VALUES(?,?)")) < 0)
		goto out;
	sqlite3_bind_blob(ins_set, 1, digest, 16, SQLITE_STATIC);
	sqlite3_bind_int64(ins_set, 2, (sqlite3_int64)n);
	if ((rc = sqlite3_step(ins_set)) != SQLITE_DONE) {
		rc = ft__store_fail(st, rc);
		goto out;
	}
	*set_id = sqlite3_last_insert_rowid(st->db);
	/* the members FT_MEMBERS_AT_ONCE rows a statement, the rest one by
	 * one: a statement's step costs about what a row's insert does */
	for (size_t i = 0; i < n;) {
		int64_t ids[FT_MEMBERS_AT_ONCE];
		size_t k = n - i >= FT_MEMBERS_AT_ONCE ? FT_MEMBERS_AT_ONCE : 1;
		sqlite3_stmt *q = ins_member;

		for (size_t j = 0; j < k; j++, i++) {
			int64_t *slot = slots ? slots[v[i] - deps] : NULL, path_id = slot ? *slot : 0;
			if ((!path_id &&
			     (rc = ft__store_path_id(st, v[i]->path, v[i]->path_len, 1, &path_id)) < 0) ||
			    (rc = ft__store_state_id(st, path_id, v[i]->kind, (int64_t)v[i]->value,
						     &ids[j])) < 0)
				goto out;
			if (slot)
				*slot = path_id;
		}
		if (k > 1 && !ins_many &&
		    (rc = ft__store_prepare_kept(st, FT_KEPT_MEMBER_INS_MANY, &ins_many,
						 "INSERT OR IGNORE INTO depset_states(set_id, state_id) VALUES"
						 "(?1,?2),(?1,?3),(?1,?4),(?1,?5),(?1,?6),(?1,?7),(?1,?8),(?1,?9)")) < 0)
			goto out;
		if (k > 1)
			q = ins_many;
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, *set_id);
		for (size_t j = 0; j < k; j++)
			sqlite3_bind_int64(q, (int)j + 2, ids[j]);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			rc = ft__store_fail(st, rc);
			goto out;
		}
	}
	rc = 0;
out:
	ft__store_give_back(ins_set);
	ft__store_give_back(ins_member);
	ft__store_give_back(ins_many);
	return rc;
}

static int kept_exec(struct ft_store *st, enum ft__kept slot, const char *sql)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = ft__store_prepare_kept(st, slot, &q, sql)) < 0)
		return rc;
	rc = sqlite3_step(q);
	ft__store_give_back(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

int ft_store_depset_put(struct ft_store *st, const struct ft_dep *deps, size_t n, int64_t *set_id)
{
	return ft__store_depset_put(st, deps, NULL, n, set_id);
}

int ft__store_depset_put(struct ft_store *st, const struct ft_dep *deps, int64_t *const *slots,
			 size_t n, int64_t *set_id)
{
	const struct ft_dep **v = malloc((n ? n : 1) * sizeof(*v));
	XXH3_state_t hs;
	XXH128_canonical_t digest;
	sqlite3_stmt *q = NULL;
	size_t m = 0;
	int rc;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!ft_dep_valid(deps[i].kind)) {
			free(v);
			return FT_EUSAGE;
		}
		v[i] = &deps[i];
	}
	qsort(v, n, sizeof(*v), dep_cmp);
	XXH3_128bits_reset(&hs);
	for (size_t i = 0; i < n; i++) {
		unsigned char b[9];
		if (m && dep_cmp(&v[m - 1], &v[i]) == 0)
			continue;
		v[m++] = v[i];
		put_le(b, v[i]->path_len, 4);
		XXH3_128bits_update(&hs, b, 4);
		XXH3_128bits_update(&hs, v[i]->path, v[i]->path_len);
		b[0] = v[i]->kind;
		put_le(b + 1, v[i]->value, 8);
		XXH3_128bits_update(&hs, b, 9);
	}
	XXH128_canonicalFromHash(&digest, XXH3_128bits_digest(&hs));

	if ((rc = ft__store_prepare_kept(st, FT_KEPT_SET_BY_DIGEST, &q,
					 "SELECT id FROM depsets WHERE digest = ?")) < 0)
		goto out;
	sqlite3_bind_blob(q, 1, digest.digest, 16, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*set_id = sqlite3_column_int64(q, 0);
	ft__store_give_back(q); /* its read ends before the inserts */
	q = NULL;
	if (rc == SQLITE_ROW) {
		rc = 0;
		goto out;
	}
	if (rc != SQLITE_DONE) {
		rc = ft__store_fail(st, rc);
		goto out;
	}
	/* A set's rows all go in, or none: its own savepoint, kept prepared
	 * (one per set, thousands in an import).  A writer that rolls its
	 * whole transaction back on any failure needs none, and a savepoint
	 * costs it: SQLite copies each page a savepoint's statements first
	 * touch into its journal, for a set of 20 paths some 20 pages of the
	 * states index, at random (a tenth of an import, bench/share). */
	if (st->all_or_nothing) {
		rc = insert_set(st, digest.digest, v, deps, slots, m, set_id);
		goto out;
	}
	if ((rc = kept_exec(st, FT_KEPT_SP_OPEN, "SAVEPOINT ft_depset")) < 0)
		goto out;
	rc = insert_set(st, digest.digest, v, deps, slots, m, set_id);
	if (rc < 0) {
		ft__store_undo(st, "ROLLBACK TO ft_depset");
		ft__store_undo(st, "RELEASE ft_depset");
		/* ids of paths and states rolled back: read again */
		if (st->pcache)
			ft__store_path_cache(st, 1);
		if (st->scache)
			ft__store_state_cache(st, 1);
	} else {
		rc = kept_exec(st, FT_KEPT_SP_RELEASE, "RELEASE ft_depset");
	}
out:
	ft__store_give_back(q);
	free(v);
	return rc;
}

/* The test's set ids as test_sets holds them into *v (malloc'd, n in
 * *n).  0 or FT_E*. */
static int old_sets(struct ft_store *st, int64_t test_id, int64_t **v, size_t *n)
{
	sqlite3_stmt *q = NULL;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_TEST_SETS_SEL, &q,
					 "SELECT set_id FROM test_sets WHERE test_id = ?")) < 0)
		return rc;
	sqlite3_bind_int64(q, 1, test_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *g = realloc(*v, (cap = cap ? cap * 2 : 8) * sizeof(*g));
			if (!g) {
				ft__store_give_back(q);
				return -ENOMEM;
			}
			*v = g;
		}
		(*v)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	ft__store_give_back(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

static int step_pair(struct ft_store *st, sqlite3_stmt *q, int64_t a, int64_t b)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	rc = sqlite3_step(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

/*
 * The test's test_sets rows made those of `sets`: only the rows that
 * differ are written.  A test recorded again with the sets it had (most
 * tests of a run) writes none, and a set it let go is noted for the
 * commit's garbage collection (ft_store_gc.c).
 */
static int put_sets(struct ft_store *st, int64_t test_id, const int64_t *sets, size_t nsets)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
	int64_t *old = NULL, *nw = NULL;
	size_t nold, nnew, i = 0, j = 0;
	int rc;

	if ((rc = old_sets(st, test_id, &old, &nold)) < 0)
		return rc;
	if (!(nw = malloc((nsets ? nsets : 1) * sizeof(*nw)))) {
		rc = -ENOMEM;
		goto out;
	}
	if (nsets)
		memcpy(nw, sets, nsets * sizeof(*nw));
	nnew = ft__store_ids_unique(nw, nsets);
	nold = ft__store_ids_unique(old, nold); /* the index's order already; a hostile file's made so */
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_TEST_SETS_DEL, &del,
					 "DELETE FROM test_sets WHERE test_id = ? AND set_id = ?")) < 0 ||
	    (rc = ft__store_prepare_kept(st, FT_KEPT_TEST_SETS_INS, &ins,
					 "INSERT OR IGNORE INTO test_sets(test_id, set_id) VALUES(?,?)")) < 0)
		goto out;
	while (rc == 0 && (i < nold || j < nnew)) {
		if (j == nnew || (i < nold && old[i] < nw[j])) {
			if ((rc = step_pair(st, del, test_id, old[i])) == 0) {
				ft__store_gc_note_set(st, old[i]);
				if (sqlite3_changes(st->db) == 1)
					ft__store_digest_ref(st, old[i], test_id, -1);
				else
					st->tsum_ok = 0;
			}
			i++;
		} else if (i == nold || nw[j] < old[i]) {
			if ((rc = step_pair(st, ins, test_id, nw[j])) == 0) {
				if (sqlite3_changes(st->db) == 1)
					ft__store_digest_ref(st, nw[j], test_id, 1);
				else
					st->tsum_ok = 0;
			}
			j++;
		} else {
			i++, j++;
		}
	}
out:
	ft__store_give_back(del);
	ft__store_give_back(ins);
	free(old);
	free(nw);
	return rc;
}

/* The test's row as it was, out of the kept digest (when one is kept). */
static int digest_out(struct ft_store *st, const char *name)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (!st->tsum_ok)
		return 0;
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_TEST_ROW, &q,
					 "SELECT id, name, runner, file, outcome, untraced, run_id"
					 " FROM tests WHERE name = ?")) < 0)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		ft__store_digest_row(st, q, -1);
	ft__store_give_back(q);
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

int ft_store_test_put(struct ft_store *st, int64_t run_id, const struct ft_test_row *t)
{
	sqlite3_stmt *up = NULL;
	int64_t test_id;
	int rc;

	if (!t->name)
		return FT_EUSAGE;
	/* a savepoint, as ft_store_depset_put's */
	if (!st->all_or_nothing && (rc = kept_exec(st, FT_KEPT_SP_TEST_OPEN, "SAVEPOINT ft_test")) < 0)
		return rc;
	if ((rc = digest_out(st, t->name)) < 0 ||
	    (rc = ft__store_prepare_kept(st, FT_KEPT_TEST_UP, &up,
		"INSERT INTO tests(name, runner, file, outcome, untraced, run_id) VALUES(?,?,?,?,?,?)"
		" ON CONFLICT(name) DO UPDATE SET runner=excluded.runner, file=excluded.file,"
		" outcome=excluded.outcome, untraced=excluded.untraced, run_id=excluded.run_id"
		" RETURNING id, name, runner, file, outcome, untraced, run_id")) < 0)
		goto out;
	sqlite3_bind_text(up, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(up, 2, t->runner, -1, SQLITE_STATIC);
	sqlite3_bind_text(up, 3, t->file, -1, SQLITE_STATIC);
	sqlite3_bind_int(up, 4, t->outcome);
	sqlite3_bind_int(up, 5, t->untraced ? 1 : 0);
	sqlite3_bind_int64(up, 6, run_id);
	if ((rc = sqlite3_step(up)) != SQLITE_ROW) {
		rc = ft__store_fail(st, rc);
		goto out;
	}
	test_id = sqlite3_column_int64(up, 0);
	ft__store_digest_row(st, up, 1); /* the row as it now is */
	ft__store_give_back(up); /* finish the statement before the next one */
	up = NULL;
	rc = put_sets(st, test_id, t->sets, t->nsets);
out:
	ft__store_give_back(up);
	if (st->all_or_nothing) {
		/* no savepoint: the caller rolls back */
	} else if (rc < 0) {
		ft__store_undo(st, "ROLLBACK TO ft_test");
		ft__store_undo(st, "RELEASE ft_test");
		st->tsum_ok = 0; /* the kept digest counted rows rolled back */
	} else {
		rc = kept_exec(st, FT_KEPT_SP_TEST_RELEASE, "RELEASE ft_test");
	}
	return rc;
}

/* meta.tests_digest: what ft_store_verify checks the tests against, and
 * meta.tests_digest_run: the newest run it covers (a later run by an
 * older ftrace leaves the digest stale, and verify then skips it). */
static int put_tests_digest(struct ft_store *st)
{
	unsigned char d[16];
	sqlite3_stmt *q = NULL;
	int rc;

	if ((rc = ft_store_tests_digest(st, d)) < 0 ||
	    (rc = ft__store_prepare(st, &q, "INSERT OR REPLACE INTO meta(key, value) "
				    "VALUES('tests_digest', ?)")) < 0)
		return rc;
	sqlite3_bind_blob(q, 1, d, 16, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return ft__store_fail(st, rc);
	return ft__store_exec(st, "INSERT OR REPLACE INTO meta(key, value) SELECT "
			      "'tests_digest_run', max(id) FROM runs");
}

int ft_store_run_commit(struct ft_store *st)
{
	int rc;

	if (!st->in_run)
		return FT_EUSAGE;
	if ((rc = ft__store_gc(st)) < 0 || (rc = put_tests_digest(st)) < 0 ||
	    (rc = ft__store_exec(st, "COMMIT")) < 0) {
		ft_store_run_abort(st);
		return rc;
	}
	st->in_run = 0;
	st->tsum_ok = 0;
	return 0;
}

void ft_store_run_abort(struct ft_store *st)
{
	if (!st->in_run)
		return;
	ft__store_undo(st, "ROLLBACK");
	ft__store_gc_reset(st);
	st->in_run = 0;
	st->tsum_ok = 0;
}
