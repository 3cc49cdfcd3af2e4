/*
 * test_store_import.c - the ids an import keeps in memory for its
 * transaction (store/ft_store_states.c, store/ft_store_paths.c) never
 * outlive the rows a rollback undid (issue 28: the state-id cache).
 *
 * The failing sequence each guards against: a set whose insert fails
 * halfway is rolled back to its savepoint, and the ids its states had
 * are given again (SQLite reuses a rolled-back rowid) to the next new
 * state; a cache that still held them would point the next set at a row
 * of another path, or at none, and a change to that path would select
 * nothing.  And an import that fails halfway, then a good one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ft_bundle.h"
#include "ft_error.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_int.h"
#include "ft_store_share.h"

#include "tmpdir.h"

static char tmp[64];
static char dbp[128];

static int setup(void **state)
{
	(void)state;
	ft_test_tmpdir(tmp, sizeof(tmp), "store-import");
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return ft_test_rmtree(tmp);
}

/* "path kind value;..." of the states of set `set_id` and of test
 * `test`'s sets (NULL, 0: none), sorted: what a selection compares.
 * malloc'd. */
static char *members(struct ft_store *st, const char *test, int64_t set_id)
{
	sqlite3_stmt *q;
	const unsigned char *s;
	char *out;

	assert_int_equal(sqlite3_prepare_v2(st->db,
		"SELECT ifnull(group_concat(x, ';'), '') FROM (SELECT CAST(p.path AS TEXT) || ' ' ||"
		" s.kind || ' ' || s.value AS x FROM depset_states ds"
		" JOIN states s ON s.id = ds.state_id JOIN paths p ON p.id = s.path_id"
		" WHERE ds.set_id = ?2 OR ds.set_id IN (SELECT ts.set_id FROM tests t"
		"  JOIN test_sets ts ON ts.test_id = t.id WHERE t.name = ?1) ORDER BY x)",
		-1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, test ? test : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, set_id);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	s = sqlite3_column_text(q, 0);
	out = strdup(s ? (const char *)s : "");
	sqlite3_finalize(q);
	assert_non_null(out);
	return out;
}

static void assert_members(struct ft_store *st, const char *test, int64_t set_id,
			   const char *want)
{
	char *got = members(st, test, set_id);

	assert_string_equal(got, want);
	free(got);
}

#define DEP(p, v) { p, sizeof(p) - 1, FT_DEP_FILE, v }

/* A set whose insert fails after its first states went in is rolled back
 * to its savepoint: the next set, naming those states again and a new
 * one, gets rows of its own paths.  Fails with the cache not read again
 * after the ROLLBACK TO (ft_store_depset_put). */
static void test_store_import__rolled_back_states(void **state)
{
	struct ft_store *st;
	struct ft_run_info ri = { .command = "t", .cwd = "/r" };
	struct ft_test_row row = { .name = "t::c", .outcome = 1 };
	const struct ft_dep a[] = { DEP("/r/a", 1) };
	const struct ft_dep b[] = { DEP("/r/b", 2), DEP("/r/c", 3) };
	const struct ft_dep c[] = { DEP("/r/c", 3), DEP("/r/d", 4), DEP("/r/b", 2) };
	int64_t run, sa, sb = 0, sc, sets[2];

	(void)state;
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_run_begin(st, &ri, &run), 0);
	assert_int_equal(ft__store_path_cache(st, 1), 0);
	assert_int_equal(ft__store_state_cache(st, 1), 0);
	assert_int_equal(ft_store_depset_put(st, a, 1, &sa), 0);
	/* the second member of any set after the first fails: b's states
	 * /r/b and /r/c are in when its insert fails */
	assert_int_equal(sqlite3_exec(st->db, "CREATE TEMP TRIGGER boom BEFORE INSERT ON"
				      " depset_states WHEN NEW.set_id > 1 AND EXISTS (SELECT 1"
				      " FROM depset_states WHERE set_id = NEW.set_id) BEGIN"
				      " SELECT RAISE(ABORT, 'boom'); END", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_true(ft_store_depset_put(st, b, 2, &sb) < 0);
	assert_int_equal(sqlite3_exec(st->db, "DROP TRIGGER boom", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(ft_store_depset_put(st, c, 3, &sc), 0);
	assert_members(st, NULL, sc, "/r/b 1 2;/r/c 1 3;/r/d 1 4");
	sets[0] = sa;
	sets[1] = sc;
	row.sets = sets;
	row.nsets = 2;
	assert_int_equal(ft_store_test_put(st, run, &row), 0);
	ft__store_state_cache(st, 0);
	ft__store_path_cache(st, 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	assert_members(st, "t::c", 0, "/r/a 1 1;/r/b 1 2;/r/c 1 3;/r/d 1 4");
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
}

/* A bundle of tests named t::0.. with sets of (repository path, value)
 * pairs; test `bad` (or none: -1) has an outcome no export writes. */
struct spec { const char *path; uint64_t value; };
static void make_bundle(struct ft_bundle *b, const struct spec *const *sets, const size_t *n,
			size_t ntests, long bad)
{
	memset(b, 0, sizeof(*b));
	assert_int_equal(ft_bundle_add_meta(b, FT_BUNDLE_FP_REPO, ""), 0);
	b->runs = calloc(1, sizeof(*b->runs));
	assert_non_null(b->runs);
	b->nruns = b->cruns = 1;
	b->runs[0] = (struct ft_bundle_run){ strdup("pytest"), FT_BUNDLE_NONE, 1, 2, 0, NULL, NULL };
	b->sets = calloc(ntests, sizeof(*b->sets));
	b->tests = calloc(ntests, sizeof(*b->tests));
	assert_true(b->sets && b->tests);
	b->nsets = b->csets = b->ntests = b->ctests = ntests;
	for (size_t t = 0; t < ntests; t++) {
		char name[32];
		b->sets[t].deps = calloc(n[t], sizeof(struct ft_bundle_dep));
		b->sets[t].n = (uint32_t)n[t];
		for (size_t j = 0; j < n[t]; j++) {
			uint32_t idx;
			assert_int_equal(ft_bundle_add_path(b, sets[t][j].path,
							    (uint32_t)strlen(sets[t][j].path),
							    FT_BUNDLE_REL, &idx), 0);
			b->sets[t].deps[j] = (struct ft_bundle_dep){ idx, FT_DEP_FILE, sets[t][j].value };
		}
		snprintf(name, sizeof(name), "t::%zu", t);
		b->tests[t].name = strdup(name);
		b->tests[t].file = FT_BUNDLE_NONE;
		b->tests[t].outcome = (long)t == bad ? 99 : 1;
		b->tests[t].run = 0;
		b->tests[t].sets = calloc(1, sizeof(uint32_t));
		b->tests[t].sets[0] = (uint32_t)t;
		b->tests[t].nsets = 1;
	}
}

/* An import that fails halfway (its first test's paths and states in,
 * then a test no export writes), then a good one in the same process
 * and store: the good one's sets hold exactly its own states.  Fails
 * with ids kept from the rolled-back transaction. */
static void test_store_import__failed_then_good(void **state)
{
	static const struct spec s0[] = { { "src/a.py", 11 }, { "src/b.py", 12 } };
	static const struct spec s1[] = { { "src/c.py", 13 } };
	/* src/a.py gets the path id it had, and its state the key */
	static const struct spec g0[] = { { "src/a.py", 11 }, { "src/c.py", 13 } };
	static const struct spec g1[] = { { "src/b.py", 12 }, { "src/e.py", 15 } };
	const struct spec *bad_sets[] = { s0, s1 }, *good_sets[] = { g0, g1 };
	const size_t bad_n[] = { 2, 1 }, good_n[] = { 2, 2 };
	struct ft_store_import_stats stats;
	struct ft_bundle bad, good;
	struct ft_store *st;

	(void)state;
	make_bundle(&bad, bad_sets, bad_n, 2, 1);
	make_bundle(&good, good_sets, good_n, 2, -1);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_import(st, &bad, "/r", &stats), FT_ECORRUPT);
	assert_members(st, "t::0", 0, "");
	assert_int_equal(ft_store_import(st, &good, "/r", &stats), 0);
	assert_int_equal(stats.imported, 2);
	assert_members(st, "t::0", 0, "/r/src/a.py 1 11;/r/src/c.py 1 13");
	assert_members(st, "t::1", 0, "/r/src/b.py 1 12;/r/src/e.py 1 15");
	assert_int_equal(ft_store_verify(st), 0);
	/* again, nothing newer: the same rows */
	assert_int_equal(ft_store_import(st, &good, "/r", &stats), 0);
	assert_members(st, "t::0", 0, "/r/src/a.py 1 11;/r/src/c.py 1 13");
	assert_members(st, "t::1", 0, "/r/src/b.py 1 12;/r/src/e.py 1 15");
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	ft_bundle_release(&bad);
	ft_bundle_release(&good);
}

/* A states row a hostile file holds with a value that is no integer
 * ('abc', which reads as 0) is not the state (path, kind, 0) a set
 * names: the set gets a row of its own, as the search by the states
 * index gives it.  Fails with the cache reading the row's value without
 * its type. */
static void test_store_import__hostile_state_row(void **state)
{
	struct ft_store *st;
	struct ft_run_info ri = { .command = "t", .cwd = "/r" };
	const struct ft_dep x[] = { DEP("/r/x", 0) };
	int64_t run, sx;

	(void)state;
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(sqlite3_exec(st->db, "INSERT INTO paths(id, path) VALUES(5, CAST('/r/x' AS BLOB));"
				      " INSERT INTO states(id, path_id, kind, value) VALUES(9, 5, 1, 'abc')",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(ft_store_run_begin(st, &ri, &run), 0);
	assert_int_equal(ft__store_path_cache(st, 1), 0);
	assert_int_equal(ft__store_state_cache(st, 1), 0);
	assert_int_equal(ft_store_depset_put(st, x, 1, &sx), 0);
	assert_members(st, NULL, sx, "/r/x 1 0");
	ft__store_state_cache(st, 0);
	ft__store_path_cache(st, 0);
	ft_store_run_abort(st);
	ft_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_import__rolled_back_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_import__failed_then_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_import__hostile_state_row, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
