/*
 * test_schema_v8.c - store/ft_schema.c's migrate_8_9: version 8 stored a
 * dependency on the part of a config file pytest's start-up reads as a
 * kind of its own, 8 (pytest-config); version 9 stores it as a FILE of
 * pytest's config reader (code 0x31, store/ft_state.h).
 *
 * No fixture recorded by version 8 holds such a state (fixtures/store-v7
 * has none, and a version-8 ftrace cannot run in CI), so each case makes
 * its version-8 file the way version 8 wrote one: a recording through the
 * store API (version 9), the same rows with kind 8 in place of 0x31, the
 * sets' digests computed over the stored kind byte as every version does
 * (ft__store_rehash_sets), and meta.schema_version 8.  The untouched
 * version-9 recording is kept beside it: after the migration, the states,
 * the sets' digests and the selection of every change must be exactly the
 * fresh recording's.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_int.h"
#include "ft_store_py.h"

static char root[64];
static char dbp[128];          /* the file made version 8, then migrated */
static char fresh[128];        /* the same recording, left at version 9 */

#include "treehelp.h"
#include "dbhelp.h"

#define CONFIG ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG)

static int setup(void **s)
{
	ft_test_tmpdir(root, sizeof(root), "schema-v8");
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", root);
	snprintf(fresh, sizeof(fresh), "%s/fresh.db", root);
	return 0;
}

static int teardown(void **s)
{
	return ft_test_rmtree(root);
}

static uint64_t observed(const char *rel, int kind)
{
	struct ft_state *obs;
	uint64_t v;

	assert_int_equal(ft_state_new(&obs, NULL), 0);
	assert_int_equal(ft_state_observe(obs, P(rel), (enum ft_dep_kind)kind, &v, NULL), 0);
	ft_state_free(obs);
	return v;
}

static uint64_t value_of(const char *rel)
{
	return observed(rel, FT_DEP_FILE);
}

static struct ft_dep dep(const char *rel, int kind, uint64_t value)
{
	const char *p = strdup(P(rel));

	assert_non_null(p);
	return (struct ft_dep){ p, (uint32_t)strlen(p), (uint8_t)kind, value };
}

static int64_t put_set(struct ft_store *st, struct ft_dep *d, size_t n)
{
	int64_t id;

	assert_int_equal(ft_store_depset_put(st, d, n, &id), 0);
	for (size_t i = 0; i < n; i++)
		free((char *)d[i].path);
	return id;
}

static void put_test(struct ft_store *st, int64_t run, const char *name, const int64_t *sets,
		     size_t n)
{
	struct ft_test_row t = { .name = name, .runner = "pytest", .file = P("test_a.py"),
				 .outcome = FT_OUTCOME_PASSED, .sets = sets, .nsets = n };

	assert_int_equal(ft_store_test_put(st, run, &t), 0);
}

/*
 * The recording, at version 9 (into `fresh`, copied to dbp):
 *   prelude   pyproject.toml as pytest-config (version 1), tox.ini as
 *             pytest-config and as collected-type, conftest.py
 *   t_old     the prelude
 *   t_both    the prelude and a set of pyproject.toml's version 2 as
 *             pytest-config (a partial run that saw the edit)
 *   t_plain   pyproject.toml's version 2 as anyone's FILE, test_a.py
 * with a view of each version of pyproject.toml in pyconf_views, and the
 * stat cache filled by an observation.
 */
static void record(void)
{
	struct ft_run_info run = { .command = "pytest", .cwd = root };
	struct ft_store *st;
	struct ft_state *obs;
	struct ft_dep d[4];
	int64_t run_id, prelude, v2, plain, both[2];
	uint64_t p1, p2, v;

	write_file("pyproject.toml", "[tool.pytest.ini_options]\n");
	write_file("tox.ini", "[pytest]\n");
	write_file("conftest.py", "X = 1\n");
	write_file("test_a.py", "def test_a(): pass\n");
	p1 = value_of("pyproject.toml");
	write_file("pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-q\"\n");
	p2 = value_of("pyproject.toml");

	unlink(fresh);
	assert_int_equal(ft_store_open(&st, fresh, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	d[0] = dep("pyproject.toml", CONFIG, p1);
	d[1] = dep("tox.ini", CONFIG, value_of("tox.ini"));
	d[2] = dep("tox.ini", ft_dep_code(FT_DEP_TYPE, FT_READER_COLLECT),
		   observed("tox.ini", FT_DEP_TYPE));
	d[3] = dep("conftest.py", FT_DEP_FILE, value_of("conftest.py"));
	prelude = put_set(st, d, 4);
	d[0] = dep("pyproject.toml", CONFIG, p2);
	v2 = put_set(st, d, 1);
	d[0] = dep("pyproject.toml", FT_DEP_FILE, p2);
	d[1] = dep("test_a.py", FT_DEP_FILE, value_of("test_a.py"));
	plain = put_set(st, d, 2);
	put_test(st, run_id, "t_old", &prelude, 1);
	both[0] = prelude;
	both[1] = v2;
	put_test(st, run_id, "t_both", both, 2);
	put_test(st, run_id, "t_plain", &plain, 1);
	assert_int_equal(ft_store_pyconf_put(st, P("pyproject.toml"), p1, "v1:{}"), 0);
	assert_int_equal(ft_store_pyconf_put(st, P("pyproject.toml"), p2, "v1:{\"addopts\":\"-q\"}"), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	/* the stat cache: pytest-config values are cached as the FILE's */
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_state_observe(obs, P("pyproject.toml"), (enum ft_dep_kind)CONFIG, &v, NULL), 0);
	assert_int_equal(v, p2);
	assert_int_equal(ft_state_flush(obs), 0);
	ft_state_free(obs);
	ft_store_close(st);
}

/* dbp := fresh, as version 8 wrote it (the file comment). */
static void make_v8(void)
{
	char cmd[512];
	struct ft_store *st;

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", fresh, dbp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft__store_exec(st, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(ft__store_exec(st, "UPDATE states SET kind = 8 WHERE kind = 49"), 0);
	assert_int_equal(ft__store_rehash_sets(st), 0);
	assert_int_equal(ft__store_exec(st, "UPDATE meta SET value = 8 WHERE key = 'schema_version'"), 0);
	assert_int_equal(ft__store_exec(st, "COMMIT"), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key = 'schema_version'"), 8);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 8"), 3);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 49"), 0);
}

/* Every set's (id, digest, n) and every state's (id, path_id, kind, value)
 * of database `path`, as one text. */
static char *rows_text(const char *path)
{
	static const char sql[] =
		"SELECT group_concat(r, ';') FROM (SELECT id || ':' || hex(digest) || ':' || n AS r"
		" FROM depsets UNION ALL SELECT 's' || id || ':' || path_id || ':' || kind || ':' ||"
		" value FROM states ORDER BY 1)";
	sqlite3 *db;
	sqlite3_stmt *q;
	char *t;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	t = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_non_null(t);
	return t;
}

/* The selection of database `path` now, as text: each test's id, then
 * each reason's path (relative), kind code, change and recorded value. */
static char *selection_text(const char *path, int flags)
{
	struct ft_store *st;
	struct ft_state *obs;
	struct ft_selection *sel;
	size_t cap = 8192, o = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(ft_store_open(&st, path, flags), 0);
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run(st, obs, &sel), 0);
	assert_true(sel->complete);
	out[0] = '\0';
	for (size_t i = 0; i < sel->n; i++) {
		o += (size_t)snprintf(out + o, cap - o, "%s[", sel->tests[i].id);
		for (size_t k = 0; k < sel->tests[i].nreasons; k++) {
			const struct ft_reason *r = &sel->tests[i].reasons[k];
			o += (size_t)snprintf(out + o, cap - o, " %s %#x %d %016llx",
					      r->path ? r->path + strlen(root) : "-", r->kind,
					      (int)r->change, (unsigned long long)r->recorded);
		}
		o += (size_t)snprintf(out + o, cap - o, " ] ");
		assert_true(o < cap);
	}
	ft_selection_free(sel);
	ft_state_free(obs);
	ft_store_close(st);
	return out;
}

/* The selections of the migrated file and of the fresh one are the same
 * text, which holds `want` (a part of it); frees nothing it did not make. */
static void assert_selects_as_fresh(const char *want)
{
	char *a = selection_text(dbp, 0), *b = selection_text(fresh, 0);

	assert_string_equal(a, b);
	assert_non_null(strstr(a, want));
	free(a);
	free(b);
}

/* 8 -> 9: kind 8 becomes the config reader's FILE, every set's digest is
 * the fresh version-9 recording's again, the tests digest and the views
 * stay, the file verifies; it selects as the fresh recording does before
 * any edit, after an edit of the config file (one reason per version each
 * test saw, pytest-config) and after one of a file anyone read. */
static void test_schema_v8__migrates_config(void **unused)
{
	struct ft_store *st;
	unsigned char d1[16], d2[16];
	char *want, *got;
	int64_t views;

	record();
	want = rows_text(fresh);
	make_v8();
	views = count("SELECT count(*) FROM pyconf_views");
	assert_int_equal(views, 2);
	got = rows_text(dbp);
	assert_string_not_equal(got, want); /* the kind and the digests differ */
	free(got);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_tests_digest(st, d1), 0);
	ft_store_close(st);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0); /* migrates */
	assert_int_equal(ft_store_verify(st), 0);
	assert_int_equal(ft_store_tests_digest(st, d2), 0);
	ft_store_close(st);
	assert_memory_equal(d1, d2, 16);

	assert_int_equal(count("SELECT value FROM meta WHERE key = 'schema_version'"), FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 8"), 0);
	assert_int_equal(count("SELECT count(*) FROM pyconf_views"), views);
	got = rows_text(dbp);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* the file is at its version 2: the tests that saw version 1 have
	 * that reason (python/ft_pyconf.c's filter would compare its view),
	 * the one that saw only version 2 none */
	assert_selects_as_fresh("t_old[ /pyproject.toml 0x31 1 ");
	got = selection_text(dbp, 0);
	assert_null(strstr(got, "t_plain"));
	free(got);
	write_file("pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-x\"\n");
	assert_selects_as_fresh("t_both[ /pyproject.toml 0x31 1 ");
	got = selection_text(dbp, 0);
	/* t_both saw two versions: a reason for each */
	assert_non_null(strstr(got, "t_both[ /pyproject.toml 0x31 1 "));
	assert_non_null(strstr(strstr(got, "t_both[ /pyproject.toml 0x31 1 ") + 1, "/pyproject.toml 0x31 1 "));
	assert_non_null(strstr(got, "t_plain[ /pyproject.toml 0x1 1 "));
	free(got);
	write_file("conftest.py", "X = 2\n");
	assert_selects_as_fresh("t_old[");
}

/* A reader that cannot migrate (read-only) reads version 8's kind 8 as the
 * config reader's FILE: the same selection, and the file unchanged. */
static void test_schema_v8__read_only(void **unused)
{
	char *a, *b;

	record();
	make_v8();
	write_file("tox.ini", "[pytest]\naddopts = -q\n");
	a = selection_text(dbp, FT_STORE_RDONLY);
	b = selection_text(fresh, FT_STORE_RDONLY);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "/tox.ini 0x31 1 "));
	free(a);
	free(b);
	assert_int_equal(count("SELECT value FROM meta WHERE key = 'schema_version'"), 8);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 8"), 3);
}

/* A set corrupt before migrate_8_9 stays corrupt: verified as version 8
 * computes it before the kinds change, never rehashed over a bad member;
 * the migration fails and the file keeps its version and its kinds. */
static void test_schema_v8__corrupt_set_not_laundered(void **unused)
{
	struct ft_store *st;

	record();
	make_v8();
	exec_sql("UPDATE states SET value = value + 1 WHERE id = (SELECT min(id) FROM states"
		 " WHERE kind = 8)");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), FT_ECORRUPT);
	assert_int_equal(count("SELECT value FROM meta WHERE key = 'schema_version'"), 8);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 8"), 3);
	assert_int_equal(count("SELECT count(*) FROM states WHERE kind = 49"), 0);
}

/* A stat cache row of kind 8 (no version wrote one: a pytest-config value
 * was cached as the FILE's) goes with the migration; the others stay. */
static void test_schema_v8__stray_cache_row_goes(void **unused)
{
	struct ft_store *st, fake = { 0 };
	int64_t cached;

	record();
	make_v8();
	cached = count("SELECT count(*) FROM statcache");
	assert_true(cached > 0);
	assert_int_equal(count("SELECT count(*) FROM statcache WHERE kind = 8"), 0);
	/* a copy of a FILE row under kind 8, its checksum right (ft_ck
	 * registered as the store's writers have it) */
	assert_int_equal(sqlite3_open(dbp, &fake.db), SQLITE_OK);
	assert_int_equal(ft__store_ck_register(&fake), 0);
	assert_int_equal(sqlite3_exec(fake.db, "INSERT INTO statcache SELECT path_id, 8, dev, ino,"
				      " size, mtime_ns, ctime_ns, mode, taken_ns, value, ft_ck('statcache',"
				      " path_id, 8, dev, ino, size, mtime_ns, ctime_ns, mode, taken_ns, value)"
				      " FROM statcache WHERE kind = 1 LIMIT 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(fake.db);
	assert_int_equal(count("SELECT count(*) FROM statcache WHERE kind = 8"), 1);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0); /* migrates */
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	assert_int_equal(count("SELECT value FROM meta WHERE key = 'schema_version'"), FT_STORE_SCHEMA_VERSION);
	assert_int_equal(count("SELECT count(*) FROM statcache WHERE kind = 8"), 0);
	assert_int_equal(count("SELECT count(*) FROM statcache"), cached);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_v8__migrates_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_v8__read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_v8__corrupt_set_not_laundered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_v8__stray_cache_row_goes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
