/*
 * ft_store_verify.c - the checksums selection verifies (ft_store.h,
 * ft_store_verify).
 *
 * The case: single-bit flips in data pages gave `ftrace affected` exit 0
 * with 31-39 of 40 tests in about 1% of trials, although SQLite's own
 * checks passed.  Selection reads: every state and path, the sets of each
 * changed state (through depset_states_by_state), the tests of each set
 * (through test_sets_by_set) and the tests' rows.  So:
 *  - every set's digest (xxh3-128 over its canonical members, as
 *    ft_store_depset_put computed it) and size are recomputed from the
 *    members read through the index selection uses, and the paths and
 *    states they name;
 *  - the tests' rows and their set references (read through
 *    test_sets_by_set) hash to meta.tests_digest, which each run's commit
 *    writes (a database written before it has none: that part is skipped);
 *  - the rows of the other tables selection reads (runs, the Python
 *    tables, listings, statcache) against their own checksums
 *    (ft_store_ck.c).
 * A mismatch is FT_ECORRUPT with what differs in st->errmsg.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_error.h"
#include "ft_store_int.h"

struct vpath { int64_t id; const void *bytes; int len; int64_t rank; };
struct vstate { int64_t id; int64_t path_id; int kind; int64_t value; const struct vpath *path; };
/* The sort keys are copied in: the sort compares them without chasing
 * the state and path pointers. */
struct vmember { int64_t set_id; int64_t rank; uint64_t value; int kind; const struct vstate *s; };

static int corrupt(struct ft_store *st, const char *what, long long id)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: %s %lld (checksum mismatch: "
		 "SQLite's own checks cannot see it)", what, id);
	return FT_ECORRUPT;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The element of `v` (n of `size` bytes, each starting with its int64 id,
 * sorted by id) with this id, or NULL.  Ids are usually dense (SQLite's
 * rowids, never deleted): the element at id - first is tried first, and
 * taken only if its id is this one. */
static void *by_id(int64_t id, void *v, size_t n, size_t size)
{
	if (n) {
		int64_t first = *(const int64_t *)v;
		if (id >= first && (uint64_t)(id - first) < n) {
			void *e = (char *)v + (size_t)(id - first) * size;
			if (*(const int64_t *)e == id)
				return e;
		}
	}
	return bsearch(&id, v, n, size, id_cmp);
}

/* ft_store_depset_put's order of paths: bytes, then length */
static int path_cmp(const void *pa, const void *pb)
{
	const struct vpath *x = *(const struct vpath *const *)pa, *y = *(const struct vpath *const *)pb;
	int n = x->len < y->len ? x->len : y->len, c;

	if ((c = memcmp(x->bytes, y->bytes, (size_t)n)))
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Members in ft_store_depset_put's canonical order within each set; a
 * path's rank in path_cmp's order stands for its bytes. */
static int member_cmp(const void *pa, const void *pb)
{
	const struct vmember *a = pa, *b = pb;

	if (a->set_id != b->set_id)
		return a->set_id < b->set_id ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
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

/* Grow *v (elements of `size`) to hold n + 1. */
static int grow(void *pv, size_t *cap, size_t n, size_t size)
{
	void **v = pv, *nv;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 1024;
	if (!(nv = realloc(*v, *cap * size)))
		return -ENOMEM;
	*v = nv;
	return 0;
}

static int step_err(struct ft_store *st, int rc)
{
	return rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
}

/* The tests row's columns the digest covers: version 3 adds run_id (the
 * runner lists read are those of the runs the tests name; migrate_2_3
 * writes the digest again). */
static int digest_cols(const struct ft_store *st)
{
	return st->version >= 3 ? 7 : 6;
}

static void sum_add(uint64_t sum[2], XXH128_hash_t h, int sign)
{
	if (sign >= 0) {
		sum[0] += h.low64;
		sum[1] += h.high64;
	} else {
		sum[0] -= h.low64;
		sum[1] -= h.high64;
	}
}

/* A tests row, its columns id, name, runner, file, outcome, untraced and
 * (version 3) run_id first in q, into the sum (sign < 0: out of it). */
static void sum_row(uint64_t sum[2], sqlite3_stmt *q, int ncols, int sign)
{
	XXH3_state_t hs;
	unsigned char b[8];

	XXH3_128bits_reset(&hs);
	XXH3_128bits_update(&hs, "T", 1);
	for (int c = 0; c < ncols; c++) {
		if (sqlite3_column_type(q, c) == SQLITE_INTEGER) {
			put_le(b, (uint64_t)sqlite3_column_int64(q, c), 8);
			XXH3_128bits_update(&hs, "i", 1);
			XXH3_128bits_update(&hs, b, 8);
		} else if (sqlite3_column_type(q, c) == SQLITE_NULL) {
			XXH3_128bits_update(&hs, "n", 1);
		} else {
			const void *t = sqlite3_column_blob(q, c);
			int n = sqlite3_column_bytes(q, c);
			put_le(b, (uint64_t)n, 4);
			XXH3_128bits_update(&hs, "s", 1);
			XXH3_128bits_update(&hs, b, 4);
			XXH3_128bits_update(&hs, t, (size_t)n);
		}
	}
	sum_add(sum, XXH3_128bits_digest(&hs), sign);
}

/* A test_sets row into the sum (sign < 0: out of it). */
static void sum_ref(uint64_t sum[2], int64_t set_id, int64_t test_id, int sign)
{
	unsigned char b[17];

	b[0] = 'R';
	put_le(b + 1, (uint64_t)set_id, 8);
	put_le(b + 9, (uint64_t)test_id, 8);
	sum_add(sum, XXH3_128bits(b, sizeof(b)), sign);
}

/* order-independent: the sum of each row's hash, so that the rows can be
 * read in the order of the index selection uses */
static int tests_sum(struct ft_store *st, uint64_t sum[2])
{
	sqlite3_stmt *q = NULL;
	int rc, ncols = digest_cols(st);

	sum[0] = sum[1] = 0;
	if ((rc = ft__store_prepare(st, &q, ncols == 7 ?
				    "SELECT id, name, runner, file, outcome, untraced, run_id FROM tests" :
				    "SELECT id, name, runner, file, outcome, untraced FROM tests")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		sum_row(sum, q, ncols, 1);
	sqlite3_finalize(q);
	if ((rc = step_err(st, rc)) < 0)
		return rc;
	if ((rc = ft__store_prepare(st, &q, "SELECT set_id, test_id FROM test_sets "
				    "INDEXED BY test_sets_by_set")) < 0)
		return rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		sum_ref(sum, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), 1);
	sqlite3_finalize(q);
	return step_err(st, rc);
}

static void sum_bytes(const uint64_t sum[2], unsigned char out[16])
{
	put_le(out, sum[0], 8);
	put_le(out + 8, sum[1], 8);
}

int ft_store_tests_digest(struct ft_store *st, unsigned char out[16])
{
	uint64_t sum[2];
	int rc;

	/* the one a run kept up since its check (ft__store_digest_*) */
	if (st->in_run && st->tsum_ok) {
		sum_bytes(st->tsum, out);
		return 0;
	}
	if ((rc = tests_sum(st, sum)) < 0)
		return rc;
	sum_bytes(sum, out);
	return 0;
}

void ft__store_digest_row(struct ft_store *st, sqlite3_stmt *q, int sign)
{
	if (st->tsum_ok)
		sum_row(st->tsum, q, digest_cols(st), sign);
}

void ft__store_digest_ref(struct ft_store *st, int64_t set_id, int64_t test_id, int sign)
{
	if (st->tsum_ok)
		sum_ref(st->tsum, set_id, test_id, sign);
}

int ft__store_verify_tests(struct ft_store *st)
{
	sqlite3_stmt *q = NULL;
	unsigned char now[16];
	uint64_t sum[2];
	int rc, have = 0, same = 0;

	st->tsum_ok = 0;
	/* a digest older than the newest run (an older ftrace recorded since)
	 * says nothing: skipped, as in a database written before it */
	if ((rc = ft__store_prepare(st, &q, "SELECT d.value FROM meta d, meta r WHERE "
				    "d.key = 'tests_digest' AND r.key = 'tests_digest_run' AND "
				    "r.value IS (SELECT max(id) FROM runs)")) < 0)
		return rc;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		have = 1;
		if (sqlite3_column_type(q, 0) == SQLITE_BLOB && sqlite3_column_bytes(q, 0) == 16 &&
		    tests_sum(st, sum) == 0) {
			sum_bytes(sum, now);
			same = !memcmp(now, sqlite3_column_blob(q, 0), 16);
		}
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	if ((rc = step_err(st, rc)) < 0)
		return rc;
	if (have && !same) {
		snprintf(st->errmsg, sizeof(st->errmsg), "database is corrupt: the tests and their set "
			 "references do not match meta.tests_digest (SQLite's own checks cannot see it)");
		return FT_ECORRUPT;
	}
	if (have) {
		/* the rows as they are: a run keeps it up (ft_store_tests_digest) */
		memcpy(st->tsum, sum, sizeof(sum));
		st->tsum_ok = 1;
	}
	return 0;
}

/* A set whose digest rehash_sets writes again. */
struct vdigest { int64_t id; unsigned char d[16]; };

static int write_digests(struct ft_store *st, const struct vdigest *v, size_t n)
{
	sqlite3_stmt *q;
	int rc = ft__store_prepare(st, &q, "UPDATE depsets SET digest = ?1 WHERE id = ?2");

	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_bind_blob(q, 1, v[i].d, 16, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, v[i].id);
		rc = sqlite3_step(q);
		rc = rc == SQLITE_DONE ? 0 : ft__store_fail(st, rc);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

/*
 * Every set's digest and size against its members (the file comment).
 * With `rehash`, a digest that differs is written again instead (the
 * sizes must still hold): a migration that changed what the digest covers
 * (ft__store_rehash_sets).
 */
static int verify_sets(struct ft_store *st, int rehash)
{
	struct vpath *paths = NULL;
	struct vstate *states = NULL;
	struct vmember *m = NULL;
	size_t np = 0, cp = 0, ns = 0, cs = 0, nm = 0, cm = 0, i = 0;
	sqlite3_stmt *q = NULL;
	char *pool = NULL;
	size_t pool_used = 0, pool_cap = 0, nd = 0, cd = 0;
	struct vdigest *dv = NULL;
	int rc;

	sqlite3_stmt *qp = NULL, *qs = NULL;
	if ((rc = ft__store_prepare(st, &qp, "SELECT id, path FROM paths ORDER BY id")) < 0)
		goto out;
	while ((rc = sqlite3_step(qp)) == SQLITE_ROW) {
		if ((rc = grow(&paths, &cp, np, sizeof(*paths))) < 0)
			goto out;
		paths[np].id = sqlite3_column_int64(qp, 0);
		paths[np].len = sqlite3_column_bytes(qp, 1);
		/* copied: a stepped statement's column memory does not last.
		 * Into one pool, its offset kept until the pool stops moving. */
		if (pool_used + (size_t)paths[np].len + 1 > pool_cap) {
			size_t cap = pool_cap ? pool_cap : 1u << 20;
			char *n;
			while (cap < pool_used + (size_t)paths[np].len + 1)
				cap *= 2;
			if (!(n = realloc(pool, cap))) {
				rc = -ENOMEM;
				goto out;
			}
			pool = n;
			pool_cap = cap;
		}
		if (paths[np].len)
			memcpy(pool + pool_used, sqlite3_column_blob(qp, 1), (size_t)paths[np].len);
		paths[np].bytes = (const void *)(uintptr_t)pool_used;
		pool_used += (size_t)paths[np].len + 1;
		np++;
	}
	if ((rc = step_err(st, rc)) < 0)
		goto out;
	for (size_t k = 0; k < np; k++)
		paths[k].bytes = pool + (uintptr_t)paths[k].bytes;
	if (np) {
		struct vpath **by = malloc(np * sizeof(*by));
		if (!by) {
			rc = -ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < np; k++)
			by[k] = &paths[k];
		qsort(by, np, sizeof(*by), path_cmp);
		for (size_t k = 0; k < np; k++)
			by[k]->rank = (int64_t)k;
		free(by);
	}
	if ((rc = ft__store_prepare(st, &qs, "SELECT id, path_id, kind, value FROM states ORDER BY id")) < 0)
		goto out;
	while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
		struct vpath *p;
		int64_t pid = sqlite3_column_int64(qs, 1);
		if ((rc = grow(&states, &cs, ns, sizeof(*states))) < 0)
			goto out;
		p = by_id(pid, paths, np, sizeof(*paths));
		states[ns] = (struct vstate){ sqlite3_column_int64(qs, 0), pid,
					      sqlite3_column_int(qs, 2), sqlite3_column_int64(qs, 3), p };
		if (!p) {
			rc = corrupt(st, "a state names a missing path: state", (long long)states[ns].id);
			goto out;
		}
		ns++;
	}
	if ((rc = step_err(st, rc)) < 0)
		goto out;
	/* the members, through the index selection reads them with */
	if ((rc = ft__store_prepare(st, &q, "SELECT set_id, state_id FROM depset_states "
				    "INDEXED BY depset_states_by_state")) < 0)
		goto out;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(q, 1);
		struct vstate *s = by_id(sid, states, ns, sizeof(*states));
		if (!s) {
			rc = corrupt(st, "a set names a missing state: set",
				     (long long)sqlite3_column_int64(q, 0));
			goto out;
		}
		if ((rc = grow(&m, &cm, nm, sizeof(*m))) < 0)
			goto out;
		m[nm++] = (struct vmember){ sqlite3_column_int64(q, 0), s->path->rank,
					    (uint64_t)s->value, s->kind, s };
	}
	if ((rc = step_err(st, rc)) < 0)
		goto out;
	sqlite3_finalize(q);
	q = NULL;
	if (nm > 1)
		qsort(m, nm, sizeof(*m), member_cmp);
	if ((rc = ft__store_prepare(st, &q, "SELECT id, digest, n FROM depsets ORDER BY id")) < 0)
		goto out;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0), n = 0;
		XXH3_state_t hs;
		XXH128_canonical_t d;

		if (i < nm && m[i].set_id < id) {
			rc = corrupt(st, "members of a missing set: set", (long long)m[i].set_id);
			goto out;
		}
		XXH3_128bits_reset(&hs);
		for (; i < nm && m[i].set_id == id; i++, n++) {
			unsigned char b[9];
			put_le(b, (uint64_t)m[i].s->path->len, 4);
			XXH3_128bits_update(&hs, b, 4);
			XXH3_128bits_update(&hs, m[i].s->path->bytes, (size_t)m[i].s->path->len);
			b[0] = (unsigned char)m[i].s->kind;
			put_le(b + 1, (uint64_t)m[i].s->value, 8);
			XXH3_128bits_update(&hs, b, 9);
		}
		XXH128_canonicalFromHash(&d, XXH3_128bits_digest(&hs));
		if (rehash && sqlite3_column_int64(q, 2) == n &&
		    (sqlite3_column_bytes(q, 1) != 16 || memcmp(sqlite3_column_blob(q, 1), d.digest, 16))) {
			/* written after the read: the statement reads depsets */
			if ((rc = grow(&dv, &cd, nd, sizeof(*dv))) < 0)
				goto out;
			dv[nd].id = id;
			memcpy(dv[nd++].d, d.digest, 16);
		} else if (sqlite3_column_bytes(q, 1) != 16 ||
			   memcmp(sqlite3_column_blob(q, 1), d.digest, 16) ||
			   sqlite3_column_int64(q, 2) != n) {
			rc = corrupt(st, "stored set", (long long)id);
			goto out;
		}
	}
	if ((rc = step_err(st, rc)) < 0)
		goto out;
	if (i < nm) {
		rc = corrupt(st, "members of a missing set: set", (long long)m[i].set_id);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	rc = write_digests(st, dv, nd);
out:
	free(dv);
	sqlite3_finalize(q);
	sqlite3_finalize(qp);
	sqlite3_finalize(qs);
	free(pool);
	free(paths);
	free(states);
	free(m);
	return rc;
}

static int verify(struct ft_store *st, int whole)
{
	int rc = verify_sets(st, 0);

	if (rc >= 0 && (rc = ft__store_verify_tests(st)) >= 0)
		rc = ft__store_verify_rows(st, whole);
	return rc;
}

int ft_store_verify(struct ft_store *st)
{
	return verify(st, 0);
}

int ft_store_verify_whole(struct ft_store *st)
{
	return verify(st, 1);
}

int ft__store_rehash_sets(struct ft_store *st)
{
	return verify_sets(st, 1);
}
