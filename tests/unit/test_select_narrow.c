/*
 * test_select_narrow.c - the selection's side of the watch daemon
 * (selector/narrow.c): the narrowing really skips the stat of a path the
 * daemon did not name, never skips one whose states disagree, and the
 * daemon's baseline calls a path settled exactly when the selection would
 * find it unchanged.  Over a real database and real files.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_store.h"
#include "ft_store_select.h"

static char root[64];
static char dbp[128];
static struct ft_store *st;

#include "treehelp.h"

static int setup(void **s)
{
	(void)s;
	strcpy(root, "/tmp/ft-test-narrow.XXXXXX");
	assert_non_null(mkdtemp(root));
	snprintf(dbp, sizeof(dbp), "%s/ftrace.db", root);
	assert_int_equal(ft_store_open(&st, dbp, FT_STORE_CREATE), 0);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];

	(void)s;
	ft_store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* One run: test `name` saw dependency (path, kind, value) as given. */
static void record_dep(const char *name, const char *path, int kind, uint64_t v)
{
	struct ft_run_info run = { .command = "test", .cwd = root };
	struct ft_dep dep = { path, (uint32_t)strlen(path), (uint8_t)kind, v };
	int64_t run_id, set;

	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_store_depset_put(st, &dep, 1, &set), 0);
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = FT_OUTCOME_PASSED,
				 .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
}

/* One run: test `name` saw the current content of file `rel`. */
static void record(const char *name, const char *rel)
{
	struct ft_state *obs;
	uint64_t v;
	char *path = P(rel);

	assert_int_equal(ft_state_new(&obs, NULL), 0);
	assert_int_equal(ft_state_observe(obs, path, FT_DEP_FILE, &v, NULL), 0);
	ft_state_free(obs);
	record_dep(name, path, FT_DEP_FILE, v);
}

/* The daemon's stand-in: answers with `dirty` (NULL: declines). */
struct fake {
	const char *const *dirty;
	size_t n;
	char gen[FT_STORE_GEN_MAX];
	int whole;                /* the answer is whole */
};

static int ask(void *arg, const char *gen, struct ft_select_dirty *out)
{
	struct fake *f = arg;

	snprintf(f->gen, sizeof(f->gen), "%s", gen);
	if (!f->dirty)
		return 1;
	out->paths = calloc(f->n + 1, sizeof(char *));
	for (size_t i = 0; i < f->n; i++)
		out->paths[i] = strdup(f->dirty[i]);
	out->n = f->n;
	out->whole = f->whole;
	return 0;
}

static const char *selected(struct ft_select_narrow *nw)
{
	static char out[1024];
	struct ft_state *obs;
	struct ft_selection *sel;
	size_t o = 0;

	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_run_narrowed(st, obs, nw, &sel), 0);
	out[0] = '\0';
	for (size_t i = 0; i < sel->n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "", sel->tests[i].id);
	ft_selection_free(sel);
	ft_state_free(obs);
	return out;
}

/* Both files change; the daemon names only a.txt: only A is found, which
 * proves b.txt's stat was skipped (and that a named path is checked). */
static void test_select_narrow__unnamed_path_takes_recorded_value(void **unused)
{
	const char *dirty[1];
	struct fake f = { dirty, 1, "", 0 };
	struct ft_select_narrow nw = { .ask = ask, .arg = &f };

	(void)unused;
	write_file("a.txt", "a1");
	write_file("b.txt", "b1");
	record("A", "a.txt");
	record("B", "b.txt");
	write_file("a.txt", "a2 changed");
	write_file("b.txt", "b2 changed");
	dirty[0] = P("a.txt");
	assert_string_equal(selected(&nw), "A");
	assert_int_equal(nw.used, 1);
	assert_int_equal(nw.dirty, 1);
	assert_int_equal(nw.settled, 1);
	/* declining: everything is observed */
	f.dirty = NULL;
	assert_string_equal(selected(&nw), "A B");
	assert_int_equal(nw.used, 0);
	/* no narrowing at all */
	assert_string_equal(selected(NULL), "A B");
}

/* A saw v1, B saw v2 of one file: its states disagree, so even a daemon
 * that does not name it cannot settle it. */
static void test_select_narrow__disagreeing_states_are_observed(void **unused)
{
	struct fake f = { (const char *const[]){ NULL }, 0, "", 0 };
	struct ft_select_narrow nw = { .ask = ask, .arg = &f };

	(void)unused;
	write_file("f.txt", "version 1");
	record("A", "f.txt");
	write_file("f.txt", "version 2");
	record("B", "f.txt");
	write_file("f.txt", "version 1");
	assert_string_equal(selected(&nw), "B");
	assert_int_equal(nw.used, 1);
	assert_int_equal(nw.settled, 0);
}

/* The generation the hook is given changes with a new recording. */
static void test_select_narrow__generation_follows_recordings(void **unused)
{
	struct fake f = { NULL, 0, "", 0 };
	struct ft_select_narrow nw = { .ask = ask, .arg = &f };
	char g1[FT_STORE_GEN_MAX];

	(void)unused;
	write_file("a.txt", "a1");
	record("A", "a.txt");
	selected(&nw);
	strcpy(g1, f.gen);
	assert_true(g1[0]);
	selected(&nw);
	assert_string_equal(f.gen, g1);
	record("A", "a.txt");
	selected(&nw);
	assert_string_not_equal(f.gen, g1);
}

struct seen {
	char settled[8][PATH_MAX], unsettled[8][PATH_MAX];
	int ns, nu;
};

static int on_path(void *arg, const char *path, int settled)
{
	struct seen *s = arg;

	if (settled)
		snprintf(s->settled[s->ns++], PATH_MAX, "%s", path);
	else
		snprintf(s->unsettled[s->nu++], PATH_MAX, "%s", path);
	return 0;
}

/* The daemon's baseline: changed and disagreeing paths are unsettled. */
static void test_select_narrow__baseline(void **unused)
{
	struct seen s = { 0 };
	struct ft_state *obs;
	char gen[FT_STORE_GEN_MAX];
	int whole = -1;

	(void)unused;
	write_file("a.txt", "a1");
	write_file("b.txt", "b1");
	write_file("c.txt", "c1");
	record("A", "a.txt");
	record("B", "b.txt");
	record("C", "c.txt");
	write_file("c.txt", "c2");
	record("C2", "c.txt"); /* c.txt: two states, C's is old */
	write_file("a.txt", "a2 changed");
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_baseline(st, obs, gen, &whole, on_path, &s), 0);
	ft_state_free(obs);
	assert_int_equal(s.ns, 1);
	assert_string_equal(s.settled[0], P("b.txt"));
	assert_int_equal(s.nu, 2);
	assert_true(gen[0]);
	assert_int_equal(whole, 1);
}

/* A row no answer can name (a path that is not absolute) makes the
 * baseline not whole: a whole answer would leave it out. */
static void test_select_narrow__baseline_not_whole(void **unused)
{
	struct seen s = { 0 };
	struct ft_state *obs;
	char gen[FT_STORE_GEN_MAX];
	sqlite3 *raw;
	int whole = -1;

	(void)unused;
	write_file("a.txt", "a1");
	record("A", "a.txt");
	record_dep("R", "relative/path", FT_DEP_FILE, 1);
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_baseline(st, obs, gen, &whole, on_path, &s), 0);
	ft_state_free(obs);
	assert_int_equal(whole, 0);
	/* and a database that does not verify is no baseline at all */
	assert_int_equal(sqlite3_open(dbp, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE depsets SET n = n + 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_select_baseline(st, obs, gen, &whole, on_path, &s), FT_ECORRUPT);
	ft_state_free(obs);
	assert_int_equal(whole, 0);
}

/* A whole answer: only the named paths and the variables are read.  Both
 * files and a variable change; the answer names a.txt: A (named) and V
 * (a variable, always read) are selected, B is not even loaded. */
static void test_select_narrow__whole_answer(void **unused)
{
	const char *dirty[1];
	struct fake f = { dirty, 1, "", 1 };
	struct ft_select_narrow nw = { .ask = ask, .arg = &f };

	(void)unused;
	write_file("a.txt", "a1");
	write_file("b.txt", "b1");
	record("A", "a.txt");
	record("B", "b.txt");
	setenv("FT_NARROW_VAR", "one", 1);
	record_dep("V", "$FT_NARROW_VAR", FT_DEP_ENV, ft_envdep_hash("one", 3));
	write_file("a.txt", "a2 changed");
	write_file("b.txt", "b2 changed");
	dirty[0] = P("a.txt");
	assert_string_equal(selected(&nw), "A");
	assert_int_equal(nw.used, 1);
	assert_int_equal(nw.whole, 1);
	assert_int_equal(nw.settled, 0);
	setenv("FT_NARROW_VAR", "two", 1);
	assert_string_equal(selected(&nw), "A V");
	unsetenv("FT_NARROW_VAR");
	assert_string_equal(selected(&nw), "A V");
	/* the same answer, not whole: every state is loaded, B's too, and
	 * settled to its recorded value */
	f.whole = 0;
	assert_string_equal(selected(&nw), "A V");
	assert_int_equal(nw.whole, 0);
	assert_int_equal(nw.settled, 1);
	/* no answer: B is observed */
	f.dirty = NULL;
	assert_string_equal(selected(&nw), "A B V");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_select_narrow__unnamed_path_takes_recorded_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_narrow__disagreeing_states_are_observed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_narrow__generation_follows_recordings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_narrow__baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_narrow__baseline_not_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_narrow__whole_answer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
