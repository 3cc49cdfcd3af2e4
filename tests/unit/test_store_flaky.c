/*
 * test_store_flaky.c - store/ft_store_flaky.c: which recordings make a
 * test flaky (an outcome flip with every path both recordings saw in the
 * same states, ft_store_flaky_path_same's rule, neither recording
 * untraced, no unknown state), the clean runs that decay the
 * mark, and the row checksum that selection and `ftrace flaky` verify.
 * Real database files in a temp dir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_times.h"
#include "storewhy.h"

static char tmp[64], dbp[128];

static int setup(void **s)
{
	strcpy(tmp, "/tmp/ft-test-flaky.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", tmp);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static const struct ft_dep deps_a[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	{ "/x/b.py", 7, FT_DEP_ABSENT, 0 },
};
static const struct ft_dep deps_b[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 2 },
	{ "/x/b.py", 7, FT_DEP_ABSENT, 0 },
};
/* deps_a and more: what a failing test (and pytest's report after it)
 * reads besides */
static const struct ft_dep deps_more[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	{ "/x/traceback.py", 15, FT_DEP_FILE, 9 },
};
/* /x/b.py exists now: another kind of the same path */
static const struct ft_dep deps_b_exists[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	{ "/x/b.py", 7, FT_DEP_FILE, 3 },
};
static const struct ft_dep deps_unknown[] = {
	{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	{ "/x/c.py", 7, FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN },
};

/* Which runner, command line and outcome source a recording has. */
struct how {
	const char *runner, *command;
	int guessed;
	int (*guesses)(const char *runner);
	int times;            /* a test_times row too, as ingest writes */
	int (*same_options)(void *arg, const char *runner, int64_t old_run);
};
static const struct how plain = { "command", "c", 0, NULL, 0, NULL };

/* One run recording test t1 with deps[0..n) (split in two sets, the last
 * one alone in the second, shared, as a prelude is) and `outcome`, as `h`
 * says; the event it made. */
static enum ft_flaky_event record_n(const struct ft_dep *deps, size_t n, int outcome, int untraced,
				    unsigned decay, const struct how *h)
{
	struct ft_run_info run = { .command = h->command, .cwd = "/x" };
	struct ft_store *st;
	enum ft_flaky_event ev = 99;
	int64_t id, sets[2];

	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	assert_int_equal(ft_store_depset_put(st, deps, n - 1, &sets[0]), 0);
	assert_int_equal(ft_store_depset_put(st, deps + n - 1, 1, &sets[1]), 0);
	struct ft_test_row t = { .name = "t1", .runner = h->runner, .outcome = outcome,
				 .untraced = untraced, .guessed = h->guessed, .sets = sets, .nsets = 2 };
	struct ft_flaky_rules rules = { .decay = decay, .now_ns = 1234 + id, .run_id = id,
					.guesses = h->guesses, .same_options = h->same_options,
					.options_arg = (void *)h };
	assert_int_equal(ft_store_flaky_note(st, &t, &rules, &ev), 0);
	assert_int_equal(ft_store_test_put(st, id, &t), 0);
	if (h->times) {
		/* as ingest's put_time: a failure that is the run's is unknown */
		struct ft_store_time tt = { "t1", id, h->guessed ? FT_OUTCOME_UNKNOWN : outcome, -1,
					    FT_TIME_FTRACE };
		assert_int_equal(ft_store_time_put(st, &tt), 0);
	}
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	return ev;
}

static enum ft_flaky_event record_as(const struct ft_dep *deps, int outcome, int untraced,
				     unsigned decay, const struct how *h)
{
	return record_n(deps, 2, outcome, untraced, decay, h);
}

static enum ft_flaky_event record(const struct ft_dep *deps, int outcome, int untraced,
				  unsigned decay)
{
	return record_as(deps, outcome, untraced, decay, &plain);
}

struct rows { char text[512]; size_t n; };

static int see(void *arg, const struct ft_store_flaky *f)
{
	struct rows *r = arg;
	size_t used = strlen(r->text);

	snprintf(r->text + used, sizeof(r->text) - used, "%s count=%lld from=%d to=%d clean=%lld;",
		 f->name, (long long)f->count, f->last_from, f->last_to, (long long)f->clean);
	r->n++;
	return 0;
}

static const char *rows(void)
{
	static struct rows r;
	struct ft_store *st;

	memset(&r, 0, sizeof(r));
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_flaky_each(st, see, &r), 0);
	assert_int_equal(ft_store_verify(st), 0);
	ft_store_close(st);
	return r.text;
}

/* passed -> failed with the same sets: learned, with both outcomes; the
 * first recording of a test learns nothing. */
static void test_store_flaky__same_deps_flip_is_flaky(void **unused)
{
	assert_int_equal(record(deps_a, FT_OUTCOME_PASSED, 0, 5), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_LEARNED);
	assert_string_equal(rows(), "t1 count=1 from=1 to=2 clean=0;");
	assert_int_equal(record(deps_a, FT_OUTCOME_ERROR, 0, 5), FT_FLAKY_CLEAN);
	assert_int_equal(record(deps_a, FT_OUTCOME_PASSED, 0, 5), FT_FLAKY_LEARNED);
	assert_string_equal(rows(), "t1 count=2 from=4 to=1 clean=0;");
}

/* A flip between recordings made with other options of the runner
 * (`go test` and `go test -race`) is the options' doing: not learned, and
 * the old run asked about is the stored test's. */
static int64_t asked_run;
static int other_options(void *arg, const char *runner, int64_t old_run)
{
	(void)arg;
	assert_string_equal(runner, "go");
	asked_run = old_run;
	return 0;
}
static int same_options(void *arg, const char *runner, int64_t old_run)
{
	(void)arg;
	(void)runner;
	asked_run = old_run;
	return 1;
}

static void test_store_flaky__other_options_flip_is_not(void **unused)
{
	static const struct how other = { "go", "go test", 0, NULL, 0, other_options };
	static const struct how same = { "go", "go test", 0, NULL, 0, same_options };

	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &other), FT_FLAKY_NONE);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_FAILED, 0, 5, &other), FT_FLAKY_NONE);
	assert_int_equal(asked_run, 1);
	assert_string_equal(rows(), "");
	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &same), FT_FLAKY_LEARNED);
	assert_int_equal(asked_run, 2);
	assert_string_equal(rows(), "t1 count=1 from=2 to=1 clean=0;");
}

/* A flip whose dependencies changed is no flakiness: the file's content
 * made it. */
static void test_store_flaky__changed_deps_flip_is_not(void **unused)
{
	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	assert_int_equal(record(deps_b, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
}

/* Paths only one recording saw are no difference (read after the
 * outcomes parted); a path both saw in another kind of state is. */
static void test_store_flaky__paths_read_by_one_side(void **unused)
{
	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	assert_int_equal(record(deps_more, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_LEARNED);
	assert_int_equal(record(deps_a, FT_OUTCOME_PASSED, 0, 5), FT_FLAKY_LEARNED);
	assert_int_equal(record(deps_b_exists, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_NONE);
	assert_string_equal(rows(), "t1 count=2 from=2 to=1 clean=0;");
}

/* Untraced (either recording) and unknown states say nothing. */
static void test_store_flaky__untraced_or_unknown_is_not(void **unused)
{
	record(deps_a, FT_OUTCOME_PASSED, 1, 5);
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_NONE);
	assert_int_equal(record(deps_a, FT_OUTCOME_PASSED, 1, 5), FT_FLAKY_NONE);
	record(deps_unknown, FT_OUTCOME_FAILED, 0, 5);
	assert_int_equal(record(deps_unknown, FT_OUTCOME_PASSED, 0, 5), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
}

/* The rule for one path both recordings saw (ft_store_flaky_path_same),
 * both ways round. */
static int path_same(const struct ft_flaky_obs *a, size_t na, const struct ft_flaky_obs *b,
		     size_t nb)
{
	int ab = ft_store_flaky_path_same(a, na, b, nb);

	assert_int_equal(ab, ft_store_flaky_path_same(b, nb, a, na));
	return ab;
}
#define SAME(a, b) path_same(a, sizeof(a) / sizeof(a[0]), b, sizeof(b) / sizeof(b[0]))

/* A content or a listing only one side has is no difference when both saw
 * the path as the same TYPE (a cold go build reads what a warm one only
 * stats: issue 27); every other kind only one side has is, and so is a
 * kind both have with other values, or an unknown state. */
static void test_store_flaky__path_rule(void **unused)
{
	const int reg = 0100644, dir = 040755;
	const struct ft_flaky_obs cold[] = { { FT_DEP_FILE, 5 }, { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs warm[] = { { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs warm_chmod[] = { { FT_DEP_TYPE, 0100755 } };
	const struct ft_flaky_obs cold_edit[] = { { FT_DEP_FILE, 6 }, { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs two_contents[] = { { FT_DEP_FILE, 5 }, { FT_DEP_FILE, 6 },
						     { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs file_only[] = { { FT_DEP_FILE, 5 } };
	const struct ft_flaky_obs ltype_only[] = { { FT_DEP_LTYPE, reg } };
	const struct ft_flaky_obs absent[] = { { FT_DEP_ABSENT, 0 } };
	const struct ft_flaky_obs listed[] = { { FT_DEP_LIST, 9 }, { FT_DEP_TYPE, dir } };
	const struct ft_flaky_obs stated_dir[] = { { FT_DEP_TYPE, dir } };
	const struct ft_flaky_obs linked[] = { { FT_DEP_LINK, 3 }, { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs lstated[] = { { FT_DEP_LTYPE, reg }, { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs absent_too[] = { { FT_DEP_ABSENT, 0 }, { FT_DEP_TYPE, reg } };
	const struct ft_flaky_obs unknown[] = { { FT_DEP_UNKNOWN, FT_VALUE_UNKNOWN },
						{ FT_DEP_TYPE, reg } };
	/* readers: a FILE of pytest's config reader; a TYPE of its collector */
	const struct ft_flaky_obs config[] = { { ft_dep_code(FT_DEP_FILE, FT_READER_CONFIG), 5 },
					       { ft_dep_code(FT_DEP_TYPE, FT_READER_COLLECT), reg } };
	const struct ft_flaky_obs ctype[] = { { ft_dep_code(FT_DEP_TYPE, FT_READER_COLLECT), reg } };
	/* a runner's walk (the go command's own stats): a TYPE as any */
	const struct ft_flaky_obs scanned[] = { { ft_dep_code(FT_DEP_TYPE, FT_READER_SCAN), reg } };
	const struct ft_flaky_obs scanned_chmod[] = { { ft_dep_code(FT_DEP_TYPE, FT_READER_SCAN),
							0100755 } };

	assert_true(SAME(cold, cold));
	assert_true(SAME(cold, warm));
	assert_true(SAME(listed, stated_dir));
	assert_true(SAME(config, ctype));
	assert_false(SAME(cold, warm_chmod)); /* the TYPE both saw changed */
	assert_false(SAME(cold, cold_edit)); /* the content both read changed */
	assert_false(SAME(two_contents, cold)); /* values compared as sets */
	assert_false(SAME(file_only, ltype_only)); /* no TYPE both saw */
	assert_false(SAME(file_only, warm)); /* the same: one side has no TYPE */
	assert_false(SAME(file_only, stated_dir));
	assert_false(SAME(absent, warm)); /* it appeared */
	assert_false(SAME(absent, file_only));
	assert_false(SAME(absent_too, warm)); /* an ABSENT one side lacks */
	assert_false(SAME(linked, warm)); /* a LINK one side lacks */
	assert_false(SAME(lstated, warm)); /* an LTYPE one side lacks */
	assert_false(SAME(config, warm)); /* TYPEs of other readers: no TYPE both saw */
	assert_true(SAME(cold, scanned)); /* the walk's TYPE anchors the content */
	assert_true(SAME(warm, scanned));
	assert_false(SAME(cold, scanned_chmod));
	assert_false(SAME(config, scanned)); /* the collector's is no plain TYPE */
	assert_false(SAME(unknown, unknown));
	assert_false(SAME(unknown, warm));
}

/* Through the store: a test whose recordings saw g.go as content and type
 * (cold), then as type alone (warm), is learned flaky; not when the type
 * changed too (a chmod between them). */
static void test_store_flaky__content_one_side_read(void **unused)
{
	static const struct ft_dep cold[] = {
		{ "/g/g.go", 7, FT_DEP_FILE, 5 },
		{ "/g/g.go", 7, FT_DEP_TYPE, 0100644 },
		{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	};
	static const struct ft_dep warm[] = {
		{ "/g/g.go", 7, FT_DEP_TYPE, 0100644 },
		{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	};
	static const struct ft_dep warm_chmod[] = {
		{ "/g/g.go", 7, FT_DEP_TYPE, 0100755 },
		{ "/x/a.py", 7, FT_DEP_FILE, 1 },
	};

	record_n(cold, 3, FT_OUTCOME_PASSED, 0, 5, &plain);
	assert_int_equal(record_n(warm, 2, FT_OUTCOME_FAILED, 0, 5, &plain), FT_FLAKY_LEARNED);
	assert_int_equal(record_n(cold, 3, FT_OUTCOME_PASSED, 0, 5, &plain), FT_FLAKY_LEARNED);
	assert_string_equal(rows(), "t1 count=2 from=2 to=1 clean=0;");
	assert_int_equal(record_n(warm_chmod, 2, FT_OUTCOME_FAILED, 0, 5, &plain), FT_FLAKY_NONE);
	assert_string_equal(rows(), "t1 count=2 from=2 to=1 clean=0;");
}

static int node_guesses(const char *runner)
{
	return !strcmp(runner, "node");
}

/* A "failed" that is the run's (a runner that cannot tell which test
 * failed), now or stored, is neither a flip nor a clean run; a test whose
 * definition is its command line flips flaky only under the same one. */
static void test_store_flaky__guessed_outcomes_and_commands(void **unused)
{
	const struct how node = { "node", "node --test", 0, node_guesses, 0, NULL };
	const struct how node_guess = { "node", "node --test", 1, node_guesses, 0, NULL };
	const struct how other_cmd = { "command", "sh -c 'exit 1'", 0, NULL, 0, NULL };

	record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &node);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_FAILED, 0, 5, &node_guess), FT_FLAKY_NONE);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &node), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_FAILED, 0, 5, &other_cmd), FT_FLAKY_NONE);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &other_cmd), FT_FLAKY_LEARNED);
	assert_string_equal(rows(), "t1 count=1 from=2 to=1 clean=0;");
}

/* A runner that says which of its tests failed (ctest) but was not its
 * run's top process (`sh -c 'ctest; true'`) marks every test failed, as
 * the run's: test_times keeps that as unknown.  The next recording that
 * passes is no flip, though the runner is not one that guesses; with the
 * test's own failure kept, it is. */
static void test_store_flaky__run_failure_of_a_judging_runner(void **unused)
{
	const struct how ctest = { "ctest", "ctest", 0, node_guesses, 1, NULL };
	const struct how ctest_run = { "ctest", "ctest", 1, node_guesses, 1, NULL };

	record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &ctest);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_FAILED, 0, 5, &ctest_run), FT_FLAKY_NONE);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &ctest), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
	assert_int_equal(record_as(deps_a, FT_OUTCOME_FAILED, 0, 5, &ctest), FT_FLAKY_LEARNED);
	assert_int_equal(record_as(deps_a, FT_OUTCOME_PASSED, 0, 5, &ctest), FT_FLAKY_LEARNED);
	assert_string_equal(rows(), "t1 count=2 from=2 to=1 clean=0;");
}

/* Skipped and no result are neither a flip nor a clean run. */
static void test_store_flaky__skipped_counts_for_nothing(void **unused)
{
	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	assert_int_equal(record(deps_a, FT_OUTCOME_SKIPPED, 0, 5), FT_FLAKY_NONE);
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 5), FT_FLAKY_NONE);
	assert_string_equal(rows(), "");
	assert_int_equal(record(deps_a, FT_OUTCOME_PASSED, 0, 5), FT_FLAKY_LEARNED);
	assert_int_equal(record(deps_a, FT_OUTCOME_UNKNOWN, 0, 2), FT_FLAKY_NONE);
	assert_int_equal(record(deps_a, FT_OUTCOME_SKIPPED, 0, 2), FT_FLAKY_NONE);
	assert_string_equal(rows(), "t1 count=1 from=2 to=1 clean=0;");
}

/* The mark decays after `decay` clean runs in a row; a flip whose
 * dependencies changed starts the count again; 0 never decays. */
static void test_store_flaky__decay(void **unused)
{
	record(deps_a, FT_OUTCOME_PASSED, 0, 3);
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 3), FT_FLAKY_LEARNED);
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 3), FT_FLAKY_CLEAN);
	assert_int_equal(record(deps_a, FT_OUTCOME_FAILED, 0, 3), FT_FLAKY_CLEAN);
	assert_string_equal(rows(), "t1 count=1 from=1 to=2 clean=2;");
	assert_int_equal(record(deps_b, FT_OUTCOME_PASSED, 0, 3), FT_FLAKY_RESET);
	assert_string_equal(rows(), "t1 count=1 from=1 to=2 clean=0;");
	assert_int_equal(record(deps_b, FT_OUTCOME_PASSED, 0, 3), FT_FLAKY_CLEAN);
	assert_int_equal(record(deps_b, FT_OUTCOME_PASSED, 0, 3), FT_FLAKY_CLEAN);
	assert_int_equal(record(deps_b, FT_OUTCOME_PASSED, 0, 3), FT_FLAKY_DECAYED);
	assert_string_equal(rows(), "");
	assert_int_equal(record(deps_b, FT_OUTCOME_FAILED, 0, 0), FT_FLAKY_LEARNED);
	for (int i = 0; i < 10; i++)
		assert_int_equal(record(deps_b, FT_OUTCOME_FAILED, 0, 0), FT_FLAKY_CLEAN);
	assert_string_equal(rows(), "t1 count=1 from=1 to=2 clean=10;");
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* An edited row is corrupt where it is read, named with its table, and a
 * run into the database does not write a fresh checksum over it. */
static void test_store_flaky__corrupt_row(void **unused)
{
	struct rows r = { 0 };
	struct ft_store *st;

	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	record(deps_a, FT_OUTCOME_FAILED, 0, 5);
	exec_sql("UPDATE flaky SET count = 7");
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_RDONLY), 0);
	assert_int_equal(ft_store_flaky_each(st, see, &r), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: flaky t1 (checksum mismatch"));
	assert_int_equal(ft_store_verify(st), FT_ECORRUPT);
	assert_non_null(strstr(store_why(st, FT_ECORRUPT), "database is corrupt: flaky t1 (checksum mismatch"));
	ft_store_close(st);

	struct ft_run_info run = { .command = "c", .cwd = "/x" };
	int64_t id, set;
	enum ft_flaky_event ev;
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	assert_int_equal(ft_store_depset_put(st, deps_a, 2, &set), 0);
	struct ft_test_row t = { .name = "t1", .outcome = FT_OUTCOME_FAILED, .sets = &set, .nsets = 1 };
	struct ft_flaky_rules rules = { .decay = 5, .now_ns = 1, .run_id = id };
	assert_int_equal(ft_store_flaky_note(st, &t, &rules, &ev), FT_ECORRUPT);
	ft_store_run_abort(st);
	ft_store_close(st);
}

static int keep_none(const char *name, void *arg)
{
	return 0;
}

/* A test forgotten (gone from its file) takes its flaky row along. */
static void test_store_flaky__forgotten_test(void **unused)
{
	struct ft_run_info run = { .command = "c", .cwd = "/x" };
	struct ft_store *st;
	int64_t id;
	size_t n;

	record(deps_a, FT_OUTCOME_PASSED, 0, 5);
	record(deps_a, FT_OUTCOME_FAILED, 0, 5);
	assert_int_not_equal(rows()[0], '\0');
	assert_int_equal(ft_store_open(&st, dbp, 0), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &id), 0);
	assert_int_equal(ft_store_tests_forget(st, "command", NULL, keep_none, NULL, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
	assert_string_equal(rows(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_flaky__same_deps_flip_is_flaky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__changed_deps_flip_is_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__other_options_flip_is_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__paths_read_by_one_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__untraced_or_unknown_is_not, setup, teardown),
		cmocka_unit_test(test_store_flaky__path_rule),
		cmocka_unit_test_setup_teardown(test_store_flaky__content_one_side_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__skipped_counts_for_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__guessed_outcomes_and_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__run_failure_of_a_judging_runner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__decay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__corrupt_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_flaky__forgotten_test, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
