/*
 * test_rundir.c - the state directory and the run directory
 * (common/ft_statedir.h, common/ft_rundir.h) on a real scratch tree:
 *  - one repository top, resolved, for every command (a state dir named
 *    through a symlink gives the real top);
 *  - a run dir is made by us alone: `runs` as a link is refused, and a run
 *    dir swapped for a link during the run is never emptied (the case that
 *    broke: ftrace unlinked every file in the link's target).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ft_error.h"
#include "ft_rundir.h"
#include "ft_statedir.h"

static char scratch[PATH_MAX];

static void path_of(char *out, size_t cap, const char *rel)
{
	assert_true((size_t)snprintf(out, cap, "%s/%s", scratch, rel) < cap);
}

static void mkdir_in(const char *rel)
{
	char p[PATH_MAX];

	path_of(p, sizeof(p), rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

static void touch_in(const char *rel)
{
	char p[PATH_MAX];
	int fd;

	path_of(p, sizeof(p), rel);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static int exists_in(const char *rel)
{
	char p[PATH_MAX];
	struct stat sb;

	path_of(p, sizeof(p), rel);
	return lstat(p, &sb) == 0;
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-rundir.XXXXXX";

	if (!mkdtemp(tmpl) || !realpath(tmpl, scratch))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

/* <top>/.ftrace through a symlink to the checkout: the resolved top. */
static void test_statedir__top_is_resolved(void **state)
{
	char link[PATH_MAX], sd[PATH_MAX + 16], real[PATH_MAX], top[PATH_MAX];

	mkdir_in("real");
	path_of(real, sizeof(real), "real");
	path_of(link, sizeof(link), "link");
	assert_int_equal(symlink("real", link), 0);
	snprintf(sd, sizeof(sd), "%s/.ftrace", link);
	assert_int_equal(ft_statedir_top(sd, top, sizeof(top)), 0);
	assert_string_equal(top, real);
}

/* FTRACE_DIR elsewhere: the nearest ancestor of the current directory
 * with .git, else the current directory. */
static void test_statedir__top_without_dot_ftrace(void **state)
{
	char repo[PATH_MAX], sub[PATH_MAX], top[PATH_MAX], old[PATH_MAX];

	assert_non_null(getcwd(old, sizeof(old)));
	mkdir_in("repo");
	mkdir_in("repo/.git");
	mkdir_in("repo/a");
	mkdir_in("repo/a/b");
	path_of(repo, sizeof(repo), "repo");
	path_of(sub, sizeof(sub), "repo/a/b");
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(ft_statedir_top("/elsewhere/state", top, sizeof(top)), 0);
	assert_string_equal(top, repo);
	assert_int_equal(ft_statedir_in_repo(), 1);
	assert_int_equal(chdir(old), 0);
}

/* Too small a buffer is an error, never a cut path. */
static void test_statedir__top_too_long(void **state)
{
	char sd[PATH_MAX], top[4];

	mkdir_in("short");
	path_of(sd, sizeof(sd), "short/.ftrace");
	assert_int_equal(ft_statedir_top(sd, top, sizeof(top)), FT_ETOOLONG);
}

/* Made 0700 with a .gitignore of "*"; an existing one is left alone. */
static void test_statedir__make(void **state)
{
	char sd[PATH_MAX], gi[PATH_MAX + 16], buf[8] = "";
	struct stat sb;
	int fd;

	path_of(sd, sizeof(sd), "made/deep/.ftrace");
	assert_int_equal(ft_statedir_make(sd), 0);
	assert_int_equal(stat(sd, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(gi, sizeof(gi), "%s/.gitignore", sd);
	fd = open(gi, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 2);
	close(fd);
	assert_string_equal(buf, "*\n");
	assert_int_equal(ft_statedir_make(sd), 0);
}

static void state_dir(char *sd, size_t cap, const char *name)
{
	mkdir_in(name);
	path_of(sd, cap, name);
}

/* A fresh run dir: owner-only, under runs/, removed with its files. */
static void test_rundir__create_and_remove(void **state)
{
	struct ft_rundir r = FT_RUNDIR_INIT;
	char sd[PATH_MAX], path[PATH_MAX + 80], f[PATH_MAX + 100];
	struct stat sb;
	int fd;

	state_dir(sd, sizeof(sd), "s1");
	assert_int_equal(ft_rundir_create(&r, sd), 0);
	snprintf(path, sizeof(path), "%s/runs/%s", sd, r.name);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(f, sizeof(f), "%s/r-1-0.rec", path);
	fd = open(f, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_true(ft_rundir_intact(&r, path));
	ft_rundir_remove(&r, path);
	assert_int_equal(r.fd, -1);
	assert_int_equal(lstat(path, &sb), -1);
	assert_int_equal(errno, ENOENT);
}

/* `runs` as a symlink is refused, never followed. */
static void test_rundir__runs_link_refused(void **state)
{
	struct ft_rundir r = FT_RUNDIR_INIT;
	char sd[PATH_MAX], runs[PATH_MAX + 8];

	state_dir(sd, sizeof(sd), "s2");
	mkdir_in("victim");
	snprintf(runs, sizeof(runs), "%s/runs", sd);
	assert_int_equal(symlink("../victim", runs), 0);
	assert_int_equal(ft_rundir_create(&r, sd), -ENOTDIR);
	assert_int_equal(r.fd, -1);
	assert_int_equal(r.runs_fd, -1);
}

/* The run dir swapped for a link to another directory during the run:
 * not intact, and removing it deletes nothing there. */
static void test_rundir__swapped_dir_is_never_emptied(void **state)
{
	struct ft_rundir r = FT_RUNDIR_INIT;
	char sd[PATH_MAX], path[PATH_MAX + 80], moved[PATH_MAX + 96], victim[PATH_MAX];
	char kept[PATH_MAX + 128];

	state_dir(sd, sizeof(sd), "s3");
	mkdir_in("victim3");
	touch_in("victim3/precious");
	path_of(victim, sizeof(victim), "victim3");
	assert_int_equal(ft_rundir_create(&r, sd), 0);
	snprintf(path, sizeof(path), "%s/runs/%s", sd, r.name);
	snprintf(kept, sizeof(kept), "%s/r-1-0.rec", path);
	assert_int_equal(close(open(kept, O_WRONLY | O_CREAT, 0600)), 0);
	snprintf(moved, sizeof(moved), "%s.moved", path);
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_false(ft_rundir_intact(&r, path));
	ft_rundir_remove(&r, path);
	assert_true(exists_in("victim3/precious"));
	/* nothing deleted at all: not even the records in the moved dir */
	snprintf(kept, sizeof(kept), "%s/r-1-0.rec", moved);
	assert_int_equal(access(kept, F_OK), 0);
	assert_int_equal(r.fd, -1);
}

/* By path (`ftrace ingest`): a link named as the run dir is not removed
 * through, and a real run dir of ours is. */
static void test_rundir__remove_path(void **state)
{
	struct ft_rundir r = FT_RUNDIR_INIT;
	char sd[PATH_MAX], path[PATH_MAX + 80], lnk[PATH_MAX + 16], victim[PATH_MAX];
	struct stat sb;

	state_dir(sd, sizeof(sd), "s4");
	mkdir_in("victim4");
	touch_in("victim4/precious");
	path_of(victim, sizeof(victim), "victim4");
	assert_int_equal(mkdir(strcat(strcpy(lnk, sd), "/runs"), 0700), 0);
	strcat(lnk, "/1-1");
	assert_int_equal(symlink(victim, lnk), 0);
	ft_rundir_remove_path(lnk);
	assert_true(exists_in("victim4/precious"));

	assert_int_equal(ft_rundir_create(&r, sd), 0);
	snprintf(path, sizeof(path), "%s/runs/%s", sd, r.name);
	ft_rundir_release(&r);
	ft_rundir_remove_path(path);
	assert_int_equal(lstat(path, &sb), -1);
}

/* t0 comes after the ctime of what ftrace just changed. */
static void test_rundir__start_clock_after_ctimes(void **state)
{
	char p[PATH_MAX];
	const char *paths[1];
	struct stat sb;
	int64_t t0, c;

	mkdir_in("clock");
	path_of(p, sizeof(p), "clock");
	paths[0] = p;
	t0 = ft_rundir_start_clock(paths, 1);
	assert_int_equal(stat(p, &sb), 0);
	c = (int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
	assert_true(t0 > c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statedir__top_is_resolved),
		cmocka_unit_test(test_statedir__top_without_dot_ftrace),
		cmocka_unit_test(test_statedir__top_too_long),
		cmocka_unit_test(test_statedir__make),
		cmocka_unit_test(test_rundir__create_and_remove),
		cmocka_unit_test(test_rundir__runs_link_refused),
		cmocka_unit_test(test_rundir__swapped_dir_is_never_emptied),
		cmocka_unit_test(test_rundir__remove_path),
		cmocka_unit_test(test_rundir__start_clock_after_ctimes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
