/*
 * test_watch_set.c - the watch daemon's dirty-set bookkeeping
 * (watch/ft_watch_set.c): which recorded paths an inotify event marks.
 *
 * Each case is a shell sequence that must reach the client as "this path
 * may have changed"; a path left out here is a test left out of the
 * selection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "ft_watch_set.h"

/* A path resolved through dirs "/", "/repo", "/repo/src" to a file. */
struct fx {
	struct ft_watch_set ws;
	uint32_t root, repo, src, a, b, srcpath, absent;
};

static void add_dir(struct ft_watch_set *ws, const char *dir, int wd, uint32_t *idx)
{
	int added;

	assert_int_equal(ft_watch_set_dir(ws, dir, idx, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(ft_watch_set_wd(ws, *idx, wd), 0);
}

/* keys of a walk of /repo/src/<name> for path p */
static void walk(struct fx *f, const char *name, uint32_t p)
{
	assert_in_range(ft_watch_set_key(&f->ws, f->root, "repo", p), 0, 1000);
	assert_in_range(ft_watch_set_key(&f->ws, f->repo, "src", p), 0, 1000);
	if (name)
		assert_in_range(ft_watch_set_key(&f->ws, f->src, name, p), 0, 1000);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	add_dir(&f->ws, "/", 1, &f->root);
	add_dir(&f->ws, "/repo", 2, &f->repo);
	add_dir(&f->ws, "/repo/src", 3, &f->src);
	assert_int_equal(ft_watch_set_path(&f->ws, "/repo/src/a.py", &f->a), 0);
	assert_int_equal(ft_watch_set_path(&f->ws, "/repo/src/b.py", &f->b), 0);
	assert_int_equal(ft_watch_set_path(&f->ws, "/repo/src", &f->srcpath), 0);
	/* /repo/conf/x.cfg: absent, "conf" missing in /repo */
	assert_int_equal(ft_watch_set_path(&f->ws, "/repo/conf/x.cfg", &f->absent), 0);
	walk(f, "a.py", f->a);
	walk(f, "b.py", f->b);
	walk(f, NULL, f->srcpath);
	assert_int_equal(ft_watch_set_inside(&f->ws, f->src, f->srcpath), 0);
	assert_in_range(ft_watch_set_key(&f->ws, f->root, "repo", f->absent), 0, 1000);
	assert_in_range(ft_watch_set_key(&f->ws, f->repo, "conf", f->absent), 0, 1000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ft_watch_set_release(&f->ws);
	free(f);
	return 0;
}

/* The dirty list as one string "p1|p2|...". */
static void expect(struct ft_watch_set *ws, const char *want)
{
	char **v, buf[4096] = "";
	size_t n;

	assert_int_equal(ft_watch_set_list(ws, &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, v[i]);
		free(v[i]);
	}
	free(v);
	assert_string_equal(buf, want);
}

/* echo x >> src/a.py: a.py, and src's listing owner */
static void test_watch_set__write_marks_file_and_listing(void **state)
{
	struct fx *f = *state;

	expect(&f->ws, "");
	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_MODIFY, "a.py"), 0);
	expect(&f->ws, "/repo/src|/repo/src/a.py");
}

/* an event in a directory for an entry nobody depends on: only the
 * directory's listing owner */
static void test_watch_set__unrelated_entry(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 2, IN_CREATE, "README"), 0);
	expect(&f->ws, "");
	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_CREATE, "new.py"), 0);
	expect(&f->ws, "/repo/src");
}

/* mv /repo/src /repo/old: every path resolved through "src" */
static void test_watch_set__rename_of_ancestor(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 2, IN_MOVED_FROM, "src"), 0);
	expect(&f->ws, "/repo/src|/repo/src/a.py|/repo/src/b.py");
}

/* mv /repo /elsewhere: seen only by the watch of "/" */
static void test_watch_set__rename_of_top(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 1, IN_MOVED_FROM, "repo"), 0);
	expect(&f->ws, "/repo/conf/x.cfg|/repo/src|/repo/src/a.py|/repo/src/b.py");
}

/* mkdir /repo/conf: the absent path below it may now exist */
static void test_watch_set__absent_parent_created(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 2, IN_CREATE | IN_ISDIR, "conf"), 0);
	expect(&f->ws, "/repo/conf/x.cfg");
}

/* a lost watch (the directory deleted, unmounted): all that depends on it */
static void test_watch_set__lost_watch(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_IGNORED, NULL), 0);
	expect(&f->ws, "/repo/src|/repo/src/a.py|/repo/src/b.py");
}

/* IN_Q_OVERFLOW: everything, and the caller must rebuild */
static void test_watch_set__overflow_marks_all(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, -1, IN_Q_OVERFLOW, NULL), 1);
	expect(&f->ws, "/repo/conf/x.cfg|/repo/src|/repo/src/a.py|/repo/src/b.py");
}

/* an unknown wd (a watch from an older baseline) changes nothing */
static void test_watch_set__unknown_wd_ignored(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ft_watch_set_event(&f->ws, 99, IN_MODIFY, "a.py"), 0);
	assert_int_equal(ft_watch_set_event(&f->ws, 100000, IN_MODIFY, "a.py"), 0);
	expect(&f->ws, "");
}

/* dirty is monotonic, stuck counts once, and marks are counted once */
static void test_watch_set__monotonic_and_stuck(void **state)
{
	struct fx *f = *state;

	ft_watch_set_mark(&f->ws, f->b, 1);
	ft_watch_set_mark(&f->ws, f->b, 0);
	ft_watch_set_mark(&f->ws, f->b, 1);
	assert_int_equal(f->ws.ndirty, 1);
	assert_int_equal(f->ws.nstuck, 1);
	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_MODIFY, "a.py"), 0);
	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_MODIFY, "a.py"), 0);
	assert_int_equal(f->ws.ndirty, 3);
	expect(&f->ws, "/repo/src|/repo/src/a.py|/repo/src/b.py");
}

/* one directory under two names (a symlink to it) gets one wd from
 * inotify: an event in it reaches the paths of both names */
static void test_watch_set__shared_wd(void **state)
{
	struct fx *f = *state;
	uint32_t link, p;

	add_dir(&f->ws, "/repo/lnk", 3, &link); /* same wd as /repo/src */
	assert_int_equal(ft_watch_set_path(&f->ws, "/repo/lnk/c.py", &p), 0);
	assert_in_range(ft_watch_set_key(&f->ws, link, "c.py", p), 0, 1000);
	assert_int_equal(ft_watch_set_event(&f->ws, 3, IN_CLOSE_WRITE, "c.py"), 0);
	expect(&f->ws, "/repo/lnk/c.py|/repo/src");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_watch_set__write_marks_file_and_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__unrelated_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__rename_of_ancestor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__rename_of_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__absent_parent_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__lost_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__overflow_marks_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__unknown_wd_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__monotonic_and_stuck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_set__shared_wd, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
