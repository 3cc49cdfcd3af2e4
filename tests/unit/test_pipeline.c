/*
 * test_pipeline.c - the selection pipeline (selector/ft_pipeline.h) over a
 * real state directory and database in a temp dir: which step refuses
 * what, and the order of the run steps (filters, then always_run).
 *
 * Layout: <root>/proj and <root>/other are two repositories (.git); the
 * state dir is <root>/shared (FTRACE_DIR), whose database belongs to proj.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ft_config.h"
#include "ft_error.h"
#include "ft_pipeline.h"
#include "ft_record.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_flaky.h"
#include "ft_store_repo.h"

static char root[128];
static char start_cwd[PATH_MAX];

#include "treehelp.h"

/* Record test `name` as having seen the current content of file `rel`. */
static void record(struct ft_store *st, int64_t run_id, const char *name, const char *rel)
{
	struct ft_state *obs;
	struct ft_dep dep;
	char *path = P(rel);
	uint64_t v;
	int64_t set;

	(void)run_id;
	assert_int_equal(ft_state_new(&obs, NULL), 0);
	assert_int_equal(ft_state_observe(obs, path, FT_DEP_FILE, &v, NULL), 0);
	dep = (struct ft_dep){ path, (uint32_t)strlen(path), FT_DEP_FILE, v };
	assert_int_equal(ft_store_depset_put(st, &dep, 1, &set), 0);
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = FT_OUTCOME_PASSED,
				 .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	ft_state_free(obs);
}

static int setup(void **s)
{
	char cmd[1024], tmp[64], real[PATH_MAX], top[PATH_MAX];
	struct ft_err why;
	struct ft_run_info run = { .command = "test" };
	struct ft_store *st;
	int64_t run_id;

	assert_non_null(getcwd(start_cwd, sizeof(start_cwd)));
	strcpy(tmp, "/tmp/ft-test-pipeline.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	assert_non_null(realpath(tmp, real));
	assert_true(strlen(real) < sizeof(root));
	memcpy(root, real, strlen(real) + 1);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/proj/.git' '%s/other/.git' '%s/shared' '%s/empty'",
		 root, root, root, root);
	assert_int_equal(system(cmd), 0);
	chmod(P("shared"), 0700);
	chmod(P("empty"), 0700);
	write_file("proj/a.py", "A = 1\n");
	write_file("proj/b.py", "B = 1\n");
	write_file("notadir", "x");

	assert_int_equal(ft_store_open(&st, P("shared/ftrace.db"), FT_STORE_CREATE), 0);
	run.cwd = P("proj");
	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	record(st, run_id, "ta", "proj/a.py");
	record(st, run_id, "tb", "proj/b.py");
	assert_int_equal(ft_store_run_commit(st), 0);
	snprintf(top, sizeof(top), "%s", P("proj"));
	assert_int_equal(ft_store_repo_check(st, top, 1, &why), 0);
	ft_store_close(st);

	/* a database that holds no test */
	assert_int_equal(ft_store_open(&st, P("empty/ftrace.db"), FT_STORE_CREATE), 0);
	ft_store_close(st);
	return 0;
}

static int teardown(void **s)
{
	char cmd[256];

	assert_int_equal(chdir(start_cwd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* Each case starts in proj with the shared state dir. */
static int in_proj(void **s)
{
	setenv(FT_ENV_DIR, P("shared"), 1);
	write_file("proj/a.py", "A = 1\n");
	return chdir(P("proj"));
}

static const char *ids(const struct ft_selection *sel)
{
	static char out[1024];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; sel && i < sel->n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "", sel->tests[i].id);
	return out;
}

/* A filter that leaves out `arg` (an id) and records what it saw. */
static char seen[1024];

static int drop_filter(void *arg, struct ft_store *st, struct ft_selection *sel,
		       struct ft_err *note)
{
	size_t k = 0;

	snprintf(seen, sizeof(seen), "%s", ids(sel));
	for (size_t i = 0; i < sel->n; i++)
		if (strcmp(sel->tests[i].id, arg)) /* the selection owns the strings */
			sel->tests[k++] = sel->tests[i];
	sel->n = k;
	return 0;
}

/* A filter that fails, keeping the set, with a note. */
static int failing_filter(void *arg, struct ft_store *st, struct ft_selection *sel,
			  struct ft_err *note)
{
	return ft_err_set(note, FT_EINTERNAL, "no %s here", (const char *)arg);
}

static char notes[1024];

static void note(void *arg, const char *msg)
{
	size_t n = strlen(notes);

	snprintf(notes + n, sizeof(notes) - n, "%s%s: %s", n ? "; " : "", (const char *)arg, msg);
}

/* The filters run over the file-level selection, before always_run is
 * added: a filter never removes an always_run test.  A failing filter's
 * note reaches the caller, and the chain goes on. */
static void test_pipeline__filters_then_always_run(void **unused)
{
	char *always[] = { "ta", "tc", NULL };
	struct ft_config cfg = { .always_run = always, .nalways_run = 2 };
	struct ft_select_filter filters[] = {
		{ "fail", failing_filter, "python" },
		{ "drop", drop_filter, "ta" },
	};
	struct ft_pipeline_opts o = { .cfg = &cfg, .filters = filters, .nfilters = 2,
				      .note = note, .note_arg = "t", .want_all = 1 };
	struct ft_pipeline p = { 0 };

	write_file("proj/a.py", "A = 2\n");
	notes[0] = seen[0] = '\0';
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(notes, "t: no python here");
	assert_string_equal(seen, "ta");          /* file level: a.py changed */
	assert_string_equal(ids(p.sel), "ta tc"); /* dropped, then always_run */
	assert_string_equal(ids(p.all), "ta tb");
	assert_true(ft_pipeline_has(p.all, "tb"));
	assert_false(ft_pipeline_has(p.sel, "tb"));
	assert_string_equal(p.db, P("shared/ftrace.db"));
	ft_pipeline_release(&p);
	ft_pipeline_release(&p); /* twice is fine */
}

/* Record test `name` again, with the current content of `rel`, as
 * `outcome`, learning from it as ingest does. */
static void record_again(const char *name, const char *rel, int outcome)
{
	struct ft_run_info run = { .command = "test", .cwd = P("proj") };
	struct ft_store *st;
	struct ft_state *obs;
	struct ft_dep dep;
	char *path = P(rel);
	int64_t run_id, set;
	uint64_t v;

	assert_int_equal(ft_store_open(&st, P("shared/ftrace.db"), 0), 0);
	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_state_new(&obs, NULL), 0);
	assert_int_equal(ft_state_observe(obs, path, FT_DEP_FILE, &v, NULL), 0);
	ft_state_free(obs);
	dep = (struct ft_dep){ path, (uint32_t)strlen(path), FT_DEP_FILE, v };
	assert_int_equal(ft_store_depset_put(st, &dep, 1, &set), 0);
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = outcome,
				 .sets = &set, .nsets = 1 };
	struct ft_flaky_rules rules = { .decay = 5, .now_ns = 1, .run_id = run_id };
	assert_int_equal(ft_store_flaky_note(st, &t, &rules, NULL), 0);
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
	ft_store_close(st);
}

/* A known flaky test is added after the filters, with the reason flaky
 * alone (not the file-level reasons a filter ruled out), before
 * always_run; not with "flaky": {"select": false}.  (Last: it leaves tb
 * flaky in the shared database.) */
static void test_pipeline__filters_then_flaky(void **unused)
{
	struct ft_select_filter filters[] = { { "drop", drop_filter, "tb" } };
	struct ft_config cfg = { 0 };
	struct ft_pipeline_opts o = { .cfg = &cfg, .filters = filters, .nfilters = 1 };
	struct ft_pipeline p = { 0 };

	record_again("tb", "proj/b.py", FT_OUTCOME_FAILED);
	record_again("tb", "proj/b.py", FT_OUTCOME_PASSED);  /* flaky, passed last */
	write_file("proj/b.py", "B = 2\n");                 /* selects tb by file */
	seen[0] = '\0';
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(seen, "tb");
	assert_string_equal(ids(p.sel), "tb");
	assert_int_equal(p.sel->tests[0].nreasons, 1);
	assert_int_equal(p.sel->tests[0].reasons[0].change, FT_CHANGE_FLAKY);
	ft_pipeline_release(&p);

	/* not dropped by a filter: its own reason, and flaky too */
	o.nfilters = 0;
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(ids(p.sel), "tb");
	assert_int_equal(p.sel->tests[0].nreasons, 2);
	assert_int_equal(p.sel->tests[0].reasons[0].change, FT_CHANGE_CONTENT);
	assert_int_equal(p.sel->tests[0].reasons[1].change, FT_CHANGE_FLAKY);
	ft_pipeline_release(&p);

	write_file("proj/b.py", "B = 1\n");
	cfg.flaky_noselect = 1;
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(ids(p.sel), "");
	ft_pipeline_release(&p);
	cfg.flaky_noselect = 0;
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(ids(p.sel), "tb");
	ft_pipeline_release(&p);
}

static void test_pipeline__nothing_changed(void **unused)
{
	struct ft_pipeline_opts o = { 0 };
	struct ft_pipeline p = { 0 };

	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_int_equal(p.sel->n, 0);
	assert_true(p.sel->complete);
	assert_null(p.all);
	ft_pipeline_release(&p);
}

static void test_pipeline__no_state_dir(void **unused)
{
	struct ft_pipeline_opts o = { 0 };
	struct ft_pipeline p = { 0 };
	struct ft_selection *all = NULL;

	setenv(FT_ENV_DIR, P("missing"), 1);
	assert_int_equal(ft_pipeline_open(&p, &o), -ENOENT);
	assert_int_equal(p.step, FT_PIPE_NOSTATEDIR);
	assert_int_equal(p.err.code, -ENOENT);
	assert_string_equal(ft_err_msg(&p.err), strerror(ENOENT));
	assert_string_equal(p.state_dir, P("missing"));
	assert_true(ft_pipeline_everything(&p, &all) < 0);
	ft_pipeline_release(&p);
}

static void test_pipeline__state_dir_not_a_directory(void **unused)
{
	struct ft_pipeline_opts o = { 0 };
	struct ft_pipeline p = { 0 };

	setenv(FT_ENV_DIR, P("notadir"), 1);
	assert_true(ft_pipeline_open(&p, &o) < 0);
	assert_int_equal(p.step, FT_PIPE_NOTDIR);
	assert_non_null(strstr(p.err.why, "is not a directory"));
	ft_pipeline_release(&p);
}

/* Another tree's database is refused, and --on-unknown=all gets nothing
 * from it: its tests are not this tree's. */
static void test_pipeline__other_tree_refused(void **unused)
{
	struct ft_pipeline_opts o = { 0 };
	struct ft_pipeline p = { 0 };
	struct ft_selection *all = NULL;

	assert_int_equal(chdir(P("other")), 0);
	assert_int_equal(ft_pipeline_open(&p, &o), FT_EREPO);
	assert_int_equal(p.step, FT_PIPE_REPO);
	assert_int_equal(p.err.code, FT_EREPO);
	assert_non_null(strstr(p.err.why, P("proj")));
	assert_true(ft_pipeline_everything(&p, &all) < 0);
	assert_null(all);
	ft_pipeline_release(&p);
}

/* An explicit database needs no state dir. */
static void test_pipeline__explicit_db(void **unused)
{
	struct ft_pipeline_opts o = { .db = P("shared/ftrace.db") };
	struct ft_pipeline p = { 0 };

	setenv(FT_ENV_DIR, P("missing"), 1);
	write_file("proj/a.py", "A = 3\n");
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), 0);
	assert_string_equal(ids(p.sel), "ta");
	ft_pipeline_release(&p);
}

/* No tests: "cannot tell", yet the database is sound and this tree's, so
 * --on-unknown=all may list it (nothing). */
static void test_pipeline__no_tests(void **unused)
{
	struct ft_pipeline_opts o = { 0 };
	struct ft_pipeline p = { 0 };
	struct ft_selection *all = NULL;

	setenv(FT_ENV_DIR, P("empty"), 1);
	assert_int_equal(ft_pipeline_open(&p, &o), 0);
	assert_int_equal(ft_pipeline_run(&p), FT_ENORECORD);
	assert_int_equal(p.step, FT_PIPE_NOTESTS);
	assert_int_equal(p.err.code, FT_ENORECORD);
	assert_int_equal(ft_pipeline_everything(&p, &all), 0);
	assert_int_equal(all->n, 0);
	ft_selection_free(all);
	ft_pipeline_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pipeline__filters_then_always_run, in_proj),
		cmocka_unit_test_setup(test_pipeline__nothing_changed, in_proj),
		cmocka_unit_test_setup(test_pipeline__no_state_dir, in_proj),
		cmocka_unit_test_setup(test_pipeline__state_dir_not_a_directory, in_proj),
		cmocka_unit_test_setup(test_pipeline__other_tree_refused, in_proj),
		cmocka_unit_test_setup(test_pipeline__explicit_db, in_proj),
		cmocka_unit_test_setup(test_pipeline__no_tests, in_proj),
		cmocka_unit_test_setup(test_pipeline__filters_then_flaky, in_proj),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
