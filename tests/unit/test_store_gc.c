/*
 * test_store_gc.c - the commit's garbage collection (store/ft_store_gc.c)
 * and the test rows' writes it relies on (ft_store_test_put writes only
 * the test_sets rows that differ).  Real database files in a temp dir.
 *
 * The property: after every commit, the full collection's rule finds no
 * garbage, and every row a test reaches is there (ft_store_verify, and
 * each test's sets are those last put), over runs that re-record, change,
 * forget and abort at random (a fixed seed, so a failure reproduces).
 * ft_store_verify also checks the tests' digest, which a commit now
 * writes from the sum its run kept up (ft__store_digest_*), not from a
 * second read of every test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_runinfo.h"
#include "ft_state.h"
#include "ft_store.h"

static char tmp[64];
static char dbp[128];

#include "dbhelp.h"

static int fresh(void **s)
{
	ft_test_tmpdir(tmp, sizeof(tmp), "storegc");
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	return 0;
}

static int teardown(void **s)
{
	return ft_test_rmtree(tmp);
}

/* What the full collection would drop (ft_store_gc.c's ft_gc_sql). */
static int64_t garbage(void)
{
	return count("SELECT (SELECT count(*) FROM depsets WHERE id NOT IN (SELECT set_id FROM test_sets))"
		     " + (SELECT count(*) FROM depset_states WHERE set_id NOT IN (SELECT id FROM depsets))"
		     " + (SELECT count(*) FROM states WHERE id NOT IN (SELECT state_id FROM depset_states))"
		     " + (SELECT count(*) FROM listings WHERE NOT EXISTS (SELECT 1 FROM states s WHERE"
		     "    s.path_id = listings.path_id AND (s.kind & 15) = 5 AND s.value = listings.value))"
		     " + (SELECT count(*) FROM paths WHERE id NOT IN (SELECT path_id FROM states))"
		     " + (SELECT count(*) FROM statcache WHERE path_id NOT IN (SELECT id FROM paths))");
}

/* Rows that something references and that are not there. */
static int64_t dangling(void)
{
	return count("SELECT (SELECT count(*) FROM test_sets WHERE set_id NOT IN (SELECT id FROM depsets))"
		     " + (SELECT count(*) FROM test_sets WHERE test_id NOT IN (SELECT id FROM tests))"
		     " + (SELECT count(*) FROM depsets d WHERE n != (SELECT count(*) FROM depset_states"
		     "    WHERE set_id = d.id))"
		     " + (SELECT count(*) FROM depset_states WHERE state_id NOT IN (SELECT id FROM states))"
		     " + (SELECT count(*) FROM states WHERE path_id NOT IN (SELECT id FROM paths))");
}

static int64_t begin(struct ft_store *st)
{
	struct ft_run_info run = { .command = "t", .cwd = "/", .meta_json = NULL };
	int64_t id;

	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	return id;
}

static void put_test(struct ft_store *st, int64_t run, const char *name, const int64_t *sets,
		     size_t n)
{
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = FT_OUTCOME_PASSED,
				 .sets = sets, .nsets = n };

	assert_int_equal(ft_store_test_put(st, run, &t), 0);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

#define NPATHS 16
#define NTESTS 10
static char paths[NPATHS][16];

/* A random set of 1-4 dependencies; a listing state has its names put. */
static int64_t random_set(struct ft_store *st)
{
	struct ft_dep d[4];
	size_t n = 1 + rnd(4);
	int64_t id;

	for (size_t i = 0; i < n; i++) {
		unsigned p = rnd(NPATHS);
		unsigned r = rnd(10);
		d[i].path = paths[p];
		d[i].path_len = (uint32_t)strlen(paths[p]);
		d[i].kind = r < 6 ? FT_DEP_FILE : r < 8 ? FT_DEP_ABSENT : FT_DEP_LIST;
		d[i].value = rnd(3);
		if (d[i].kind == FT_DEP_LIST)
			assert_int_equal(ft_store_listing_put(st, d[i].path, d[i].path_len, d[i].value,
							      "a\0b\0", 4), 0);
	}
	assert_int_equal(ft_store_depset_put(st, d, n, &id), 0);
	return id;
}

struct model {
	int64_t sets[NTESTS][3];
	size_t n[NTESTS]; /* 0: no such test */
};

static int id_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* The database's tests and their sets are the model's. */
static void check_model(const struct model *m)
{
	char sql[256];

	for (int t = 0; t < NTESTS; t++) {
		int64_t v[3];
		size_t k = 0;
		memcpy(v, m->sets[t], sizeof(v));
		qsort(v, m->n[t], sizeof(*v), id_cmp);
		for (size_t i = 0; i < m->n[t]; i++)
			if (!k || v[k - 1] != v[i])
				v[k++] = v[i];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM test_sets ts JOIN tests t ON"
			 " t.id = ts.test_id WHERE t.name = 't%d'", t);
		assert_int_equal(count(sql), (int64_t)k);
		for (size_t i = 0; i < k; i++) {
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM test_sets ts JOIN tests t ON"
				 " t.id = ts.test_id WHERE t.name = 't%d' AND ts.set_id = %lld", t,
				 (long long)v[i]);
			assert_int_equal(count(sql), 1);
		}
	}
}

static int keep_odd(const char *name, void *arg)
{
	(void)arg;
	return (name[strlen(name) - 1] - '0') % 2;
}

static void test_store_gc__random_runs_leave_no_garbage(void **unused)
{
	struct ft_store *st;
	struct model m = { 0 }, tried;
	char name[8];

	for (int p = 0; p < NPATHS; p++)
		snprintf(paths[p], sizeof(paths[p]), "/r/p%d", p);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	for (int round = 0; round < 80; round++) {
		int64_t run = begin(st);
		int k = 1 + (int)rnd(NTESTS);
		tried = m;
		for (int i = 0; i < k; i++) {
			int t = (int)rnd(NTESTS);
			size_t ns = 1 + rnd(3);
			for (size_t j = 0; j < ns; j++)
				/* the same set again now and then */
				tried.sets[t][j] = j < tried.n[t] && rnd(3) ? tried.sets[t][j] :
						   random_set(st);
			tried.n[t] = ns;
			snprintf(name, sizeof(name), "t%d", t);
			put_test(st, run, name, tried.sets[t], ns);
		}
		if (rnd(4) == 0)
			random_set(st); /* a set no test takes */
		if (rnd(8) == 0) {
			size_t gone = 0;
			assert_int_equal(ft_store_tests_forget(st, "command", NULL, keep_odd, NULL, &gone),
					 0);
			for (int t = 0; t < NTESTS; t += 2)
				tried.n[t] = 0;
		}
		if (rnd(6) == 0) {
			ft_store_run_abort(st);
		} else {
			assert_int_equal(ft_store_run_commit(st), 0);
			m = tried;
		}
		if (rnd(5) == 0) {
			/* a stat cache row for a path no state may name */
			struct ft_statcache_row row = { .path = paths[rnd(NPATHS)], .kind = FT_DEP_FILE,
							 .st = { 1, 2, 3, 4, 5, 0100644 }, .value = 1 };
			row.path_len = (uint32_t)strlen(row.path);
			assert_int_equal(ft_store_statcache_put(st, &row, 1), 0);
			run = begin(st);
			assert_int_equal(ft_store_run_commit(st), 0);
		}
		assert_int_equal(garbage(), 0);
		assert_int_equal(dangling(), 0);
		assert_int_equal(ft_store_verify(st), 0);
		check_model(&m);
	}
	/* the marks are read each commit, not kept in the connection */
	assert_int_equal(count("SELECT count(*) FROM meta WHERE key = 'gc_marks'"), 1);
	ft_store_close(st);
}

/* A test recorded again with the sets it has writes no test_sets row; a
 * set it lets go is the only row deleted.  (A trigger of the test's own,
 * in the database behind the store's back, logs the writes.) */
static void test_store_gc__same_sets_write_nothing(void **unused)
{
	struct ft_dep a = { "/x/a", 4, FT_DEP_FILE, 1 }, b = { "/x/b", 4, FT_DEP_FILE, 2 };
	struct ft_store *st;
	int64_t run, sa, sb;

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	run = begin(st);
	assert_int_equal(ft_store_depset_put(st, &a, 1, &sa), 0);
	assert_int_equal(ft_store_depset_put(st, &b, 1, &sb), 0);
	put_test(st, run, "t", (int64_t[]){ sa, sb }, 2);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	exec_sql("CREATE TABLE log(op, set_id);"
		 "CREATE TRIGGER log_del AFTER DELETE ON test_sets BEGIN"
		 " INSERT INTO log VALUES('del', old.set_id); END;"
		 "CREATE TRIGGER log_ins AFTER INSERT ON test_sets BEGIN"
		 " INSERT INTO log VALUES('ins', new.set_id); END;"
		 "CREATE TABLE marks(value);"
		 "CREATE TRIGGER log_marks AFTER INSERT ON meta WHEN new.key = 'gc_marks' BEGIN"
		 " INSERT INTO marks VALUES(new.value); END;");
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	run = begin(st);
	put_test(st, run, "t", (int64_t[]){ sb, sa, sb }, 3); /* the same, in another order */
	assert_int_equal(ft_store_run_commit(st), 0);
	assert_int_equal(count("SELECT count(*) FROM log"), 0);
	/* no garbage can be: the collection and the marks' rewrite are skipped */
	assert_int_equal(count("SELECT count(*) FROM marks"), 0);
	run = begin(st);
	put_test(st, run, "t", &sb, 1);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT count(*) FROM log"), 1);
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM log WHERE op = 'del' AND set_id = %lld",
		 (long long)sa);
	assert_int_equal(count(sql), 1);
	assert_int_equal(count("SELECT count(*) FROM depsets"), 1); /* sa went */
	assert_int_equal(count("SELECT count(*) FROM paths"), 1);   /* and /x/a */
	assert_int_equal(count("SELECT count(*) FROM marks"), 1);   /* a set let go: collected */
	/* a new set and state, no set let go: collected too (marks moved) */
	{
		struct ft_dep c = { "/x/c", 4, FT_DEP_FILE, 3 };
		int64_t sc;
		assert_int_equal(ft_store_open(&st, dbp, 0), 0);
		run = begin(st);
		assert_int_equal(ft_store_depset_put(st, &c, 1, &sc), 0);
		put_test(st, run, "u", &sc, 1);
		assert_int_equal(ft_store_run_commit(st), 0);
		ft_store_close(st);
		assert_int_equal(count("SELECT count(*) FROM marks"), 2);
		assert_int_equal(count("SELECT count(*) FROM depsets"), 2);
	}
}

/* Garbage below the marks (planted behind the store's back: no commit
 * makes it) stays while the marks stand, and goes when they are missing
 * or malformed: then the commit collects in full and writes them again. */
static void test_store_gc__full_without_marks(void **unused)
{
	struct ft_dep a = { "/x/a", 4, FT_DEP_FILE, 1 };
	struct ft_store *st;
	int64_t run, sa;
	const char *bad[] = { "DELETE FROM meta WHERE key = 'gc_marks'",
			      "UPDATE meta SET value = '1 2' WHERE key = 'gc_marks'",
			      "UPDATE meta SET value = '1 2 3 4' WHERE key = 'gc_marks'",
			      "UPDATE meta SET value = x'31' WHERE key = 'gc_marks'" };

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	run = begin(st);
	assert_int_equal(ft_store_depset_put(st, &a, 1, &sa), 0);
	put_test(st, run, "t", &sa, 1);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		exec_sql("INSERT INTO paths(id, path) VALUES(-5, CAST('/planted' AS BLOB));"
			 "INSERT INTO states(id, path_id, kind, value) VALUES(-5, -5, 1, 9)");
		assert_int_equal(ft_store_open(&st, dbp, 0), 0);
		run = begin(st);
		assert_int_equal(ft_store_run_commit(st), 0);
		assert_int_equal(count("SELECT count(*) FROM states WHERE id = -5"), 1);
		exec_sql(bad[i]);
		run = begin(st);
		assert_int_equal(ft_store_run_commit(st), 0);
		ft_store_close(st);
		assert_int_equal(count("SELECT count(*) FROM states WHERE id = -5"), 0);
		assert_int_equal(count("SELECT count(*) FROM paths WHERE id = -5"), 0);
		assert_int_equal(garbage(), 0);
		assert_int_equal(count("SELECT count(*) FROM meta WHERE key = 'gc_marks'"), 1);
	}
	/* a listing written outside a run: the next commit looks at every one */
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_listing_put(st, "/x", 2, 5, "a\0", 2), 0);
	assert_int_equal(count("SELECT count(*) FROM meta WHERE key = 'gc_marks'"), 0);
	run = begin(st);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT count(*) FROM listings"), 0);
	assert_int_equal(garbage(), 0);
	(void)run;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_gc__random_runs_leave_no_garbage, fresh,
						teardown),
		cmocka_unit_test_setup_teardown(test_store_gc__same_sets_write_nothing, fresh, teardown),
		cmocka_unit_test_setup_teardown(test_store_gc__full_without_marks, fresh, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
