/*
 * test_times.c - ingest's judgement of a utime's evidence (ingest/ft_times.c,
 * docs/racy-stat.md "A run's own utime"), on a real file: the evidence is
 * built as the preload's hooks build it (a stat, the content's hash, the
 * call, a stat), then bent in each way that a change the utime hid would
 * bend it.  Every case but the first must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ft_collect.h"
#include "ft_record.h"
#include "ft_times.h"

struct fix {
	char dir[64], path[128];
	struct ft_collect c;
	struct ft_times_rec rec[2];
	int64_t t0;
};

static int64_t ns(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t hash_of(const char *s)
{
	return ft_times_hash(FT_TIMES_HASH_INIT, s, strlen(s));
}

static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

/* A utime of f.txt as the hooks see it: evidence record i (t = i + 1). */
static void utime_now(struct fix *x, int i)
{
	struct ft_times *v = &x->rec[i].v;
	struct timespec ts[2];
	struct stat sb;
	char buf[256];
	int fd;
	ssize_t n;

	assert_int_equal(stat(x->path, &sb), 0);
	fd = open(x->path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	memset(v, 0, sizeof(*v));
	v->dev = sb.st_dev;
	v->ino = sb.st_ino;
	v->size = sb.st_size;
	v->mode = sb.st_mode;
	v->pre_mtime_ns = ns(sb.st_mtim);
	v->pre_ctime_ns = ns(sb.st_ctim);
	v->hashed = 1;
	v->hash = ft_times_hash(FT_TIMES_HASH_INIT, buf, (uint64_t)n);
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_nsec = (ts[0].tv_nsec / 7) * 7 + 3; /* not a coarse tick */
	ts[1] = ts[0];
	assert_int_equal(utimensat(AT_FDCWD, x->path, ts, 0), 0);
	assert_int_equal(stat(x->path, &sb), 0);
	v->post_mtime_ns = ns(sb.st_mtim);
	v->post_ctime_ns = ns(sb.st_ctim);
	x->rec[i].path = 0;
	x->rec[i].t = (uint64_t)i + 1;
	x->c.ntimes = (size_t)i + 1;
}

static int judge(struct fix *x)
{
	struct stat sb;

	assert_int_equal(stat(x->path, &sb), 0);
	return ft_times_only(&x->c, 0, x->path, &sb, x->t0);
}

static int setup(void **state)
{
	struct fix *x = calloc(1, sizeof(*x));
	struct timespec ts = { 1000000, 0 }, two[2] = { ts, ts };

	strcpy(x->dir, "/tmp/ft-test-times.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof(x->path), "%s/f.txt", x->dir);
	put(x->path, "hello\n");
	assert_int_equal(utimensat(AT_FDCWD, x->path, two, 0), 0);
	/* the run starts past the file's ctime (ft_rundir_start_clock) */
	{
		struct stat sb;
		struct timespec now;
		assert_int_equal(stat(x->path, &sb), 0);
		do {
			clock_gettime(CLOCK_REALTIME_COARSE, &now);
		} while (ns(now) <= ns(sb.st_ctim));
		x->t0 = ns(now);
	}
	x->c.times = x->rec;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fix *x = *state;

	unlink(x->path);
	rmdir(x->dir);
	free(x);
	return 0;
}

static void test_times__chain_kept(void **state)
{
	struct fix *x = *state;

	utime_now(x, 0);
	assert_int_equal(judge(x), 1);
	utime_now(x, 1);
	assert_int_equal(judge(x), 1);
}

static void test_times__no_evidence_refused(void **state)
{
	struct fix *x = *state;

	assert_int_equal(judge(x), 0);
}

/* changed during the run before the first utime: its ctime says so */
static void test_times__change_before_first_refused(void **state)
{
	struct fix *x = *state;

	put(x->path, "HELLO\n");
	utime_now(x, 0);
	assert_int_equal(judge(x), 0);
}

/* a write after the utime: the stat now is not what it left */
static void test_times__write_after_refused(void **state)
{
	struct fix *x = *state;

	utime_now(x, 0);
	put(x->path, "HELLO\n");
	assert_int_equal(judge(x), 0);
}

/* a write after it whose times were set back (touch -r) in the same
 * tick: the stats agree, the content does not */
static void test_times__hidden_write_refused(void **state)
{
	struct fix *x = *state;
	struct ft_times *v = &x->rec[0].v;

	utime_now(x, 0);
	put(x->path, "HELLO\n");
	{
		struct stat sb;
		assert_int_equal(stat(x->path, &sb), 0);
		v->post_mtime_ns = ns(sb.st_mtim) + 1;
		v->post_ctime_ns = ns(sb.st_ctim);
		struct timespec two[2] = { sb.st_mtim, sb.st_mtim };
		two[0].tv_nsec = two[1].tv_nsec = (sb.st_mtim.tv_nsec + 1) % 1000000000;
		two[0].tv_sec = two[1].tv_sec = sb.st_mtim.tv_sec + (sb.st_mtim.tv_nsec + 1) / 1000000000;
		assert_int_equal(utimensat(AT_FDCWD, x->path, two, 0), 0);
		assert_int_equal(stat(x->path, &sb), 0);
		v->post_mtime_ns = ns(sb.st_mtim);
		v->post_ctime_ns = ns(sb.st_ctim);
	}
	/* the stat chain now holds; only the content tells */
	assert_int_equal(judge(x), 0);
	v->hash = hash_of("HELLO\n");
	assert_int_equal(judge(x), 1); /* the bent evidence alone would pass */
}

/* two utimes with something between them that moved ctime */
static void test_times__gap_refused(void **state)
{
	struct fix *x = *state;

	utime_now(x, 0);
	assert_int_equal(chmod(x->path, 0600), 0);
	assert_int_equal(chmod(x->path, 0644), 0);
	utime_now(x, 1);
	x->rec[1].v.mode = x->rec[0].v.mode;
	assert_int_equal(judge(x), 0);
}

/* mtime == ctime after the call (UTIME_NOW): a write in that tick would
 * leave the same stat */
static void test_times__now_refused(void **state)
{
	struct fix *x = *state;

	utime_now(x, 0);
	x->rec[0].v.post_mtime_ns = x->rec[0].v.post_ctime_ns;
	assert_int_equal(judge(x), 0);
}

/* no hash (too big, unreadable), or two records at one time */
static void test_times__unhashed_or_tied_refused(void **state)
{
	struct fix *x = *state;

	utime_now(x, 0);
	x->rec[0].v.hashed = 0;
	assert_int_equal(judge(x), 0);
	x->rec[0].v.hashed = 1;
	assert_int_equal(judge(x), 1);
	x->rec[1] = x->rec[0];
	x->c.ntimes = 2;
	assert_int_equal(judge(x), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_times__chain_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__no_evidence_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__change_before_first_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__write_after_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__hidden_write_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__gap_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__now_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times__unhashed_or_tied_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
