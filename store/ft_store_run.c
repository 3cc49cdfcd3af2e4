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
		      const struct ft_dep *const *v, size_t n, int64_t *set_id)
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
			int64_t path_id = 0;
			if ((rc = ft__store_path_id(st, v[i]->path, v[i]->path_len, 1, &path_id)) < 0 ||
			    (rc = ft__store_state_id(st, path_id, v[i]->kind, (int64_t)v[i]->value,
						     &ids[j])) < 0)
				goto out;
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
		rc = insert_set(st, digest.digest, v, m, set_id);
		goto out;
	}
	if ((rc = kept_exec(st, FT_KEPT_SP_OPEN, "SAVEPOINT ft_depset")) < 0)
		goto out;
	rc = insert_set(st, digest.digest, v, m, set_id);
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

int ft_store_test_put(struct ft_store *st, int64_t run_id, const struct ft_test_row *t)
{
	sqlite3_stmt *up = NULL, *del = NULL, *ins = NULL;
	int64_t test_id;
	int rc;

	if (!t->name)
		return FT_EUSAGE;
	/* a savepoint, as ft_store_depset_put's */
	if (!st->all_or_nothing && (rc = kept_exec(st, FT_KEPT_SP_TEST_OPEN, "SAVEPOINT ft_test")) < 0)
		return rc;
	if ((rc = ft__store_prepare_kept(st, FT_KEPT_TEST_UP, &up,
		"INSERT INTO tests(name, runner, file, outcome, untraced, run_id) VALUES(?,?,?,?,?,?)"
		" ON CONFLICT(name) DO UPDATE SET runner=excluded.runner, file=excluded.file,"
		" outcome=excluded.outcome, untraced=excluded.untraced, run_id=excluded.run_id"
		" RETURNING id")) < 0 ||
	    (rc = ft__store_prepare_kept(st, FT_KEPT_TEST_SETS_DEL, &del,
					 "DELETE FROM test_sets WHERE test_id = ?")) < 0 ||
	    (rc = ft__store_prepare_kept(st, FT_KEPT_TEST_SETS_INS, &ins,
					 "INSERT OR IGNORE INTO test_sets(test_id, set_id) VALUES(?,?)")) < 0)
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
	sqlite3_reset(up); /* finish the statement before the next one */
	sqlite3_bind_int64(del, 1, test_id);
	if ((rc = sqlite3_step(del)) != SQLITE_DONE) {
		rc = ft__store_fail(st, rc);
		goto out;
	}
	for (size_t i = 0; i < t->nsets; i++) {
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, test_id);
		sqlite3_bind_int64(ins, 2, t->sets[i]);
		if ((rc = sqlite3_step(ins)) != SQLITE_DONE) {
			rc = ft__store_fail(st, rc);
			goto out;
		}
	}
	rc = 0;
out:
	ft__store_give_back(up);
	ft__store_give_back(del);
	ft__store_give_back(ins);
	if (st->all_or_nothing) {
		/* no savepoint: the caller rolls back */
	} else if (rc < 0) {
		ft__store_undo(st, "ROLLBACK TO ft_test");
		ft__store_undo(st, "RELEASE ft_test");
	} else {
		rc = kept_exec(st, FT_KEPT_SP_TEST_RELEASE, "RELEASE ft_test");
	}
	return rc;
}

/* Garbage: what no test reaches any more, in dependency order.  The stat
 * cache keeps the rows of paths that remain (they make the next check fast).
 * A listing's names stay while a LIST, CLIST or ILIST state has its value
 * (the kinds bound as ?1-?3: gc()). */
static const char *const ft_gc_sql[] = {
	"DELETE FROM depsets WHERE id NOT IN (SELECT set_id FROM test_sets)",
	"DELETE FROM depset_states WHERE set_id NOT IN (SELECT id FROM depsets)",
	"DELETE FROM states WHERE id NOT IN (SELECT state_id FROM depset_states)",
	"DELETE FROM listings WHERE NOT EXISTS (SELECT 1 FROM states s WHERE"
	"  s.path_id = listings.path_id AND (s.kind & ?2) = ?1 AND s.value = listings.value)",
	"DELETE FROM paths WHERE id NOT IN (SELECT path_id FROM states)",
	"DELETE FROM statcache WHERE path_id NOT IN (SELECT id FROM paths)",
};

static int gc(struct ft_store *st)
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
	if ((rc = gc(st)) < 0 || (rc = put_tests_digest(st)) < 0 ||
	    (rc = ft__store_exec(st, "COMMIT")) < 0) {
		ft_store_run_abort(st);
		return rc;
	}
	st->in_run = 0;
	return 0;
}

void ft_store_run_abort(struct ft_store *st)
{
	if (!st->in_run)
		return;
	ft__store_undo(st, "ROLLBACK");
	st->in_run = 0;
}
