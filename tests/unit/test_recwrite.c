/*
 * test_recwrite.c - ft_recwrite_save (common/ft_recwrite.c) over real files.
 *
 * The case that broke: the launcher and the ptrace back end wrote their
 * region through a temporary name in the run dir opened O_TRUNC without
 * O_NOFOLLOW.  The traced command shares that dir: a link it put at
 * `.tmp-<name>` made ftrace truncate and overwrite the link's target.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_reclog.h"
#include "ft_recwrite.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_recwrite.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void test_recwrite__planted_link_not_followed(void **state)
{
	struct ft_recwrite w = FT_RECWRITE_INIT;
	char victim[512], tmp[512], dst[512], buf[16];
	struct stat sb;
	int fd;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	snprintf(tmp, sizeof(tmp), "%s/.tmp-launcher", tmpdir);
	snprintf(dst, sizeof(dst), "%s/r-launcher.rec", tmpdir);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious", 8), 8);
	close(fd);
	assert_int_equal(symlink(victim, tmp), 0);

	assert_int_equal(ft_recwrite_add(&w, FT_REC_CONTEXT, 0, 0, 0, "", 0), 0);
	assert_int_equal(ft_recwrite_save(&w, tmpdir, "launcher"), 0);
	ft_recwrite_release(&w);

	/* the target is as it was */
	fd = open(victim, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 8);
	close(fd);
	assert_memory_equal(buf, "precious", 8);
	/* the region is a file of its own, owner-only, and the link is gone */
	assert_int_equal(lstat(dst, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(lstat(tmp, &sb), -1);
}

static int count(void *arg, const struct ft_reclog_region *region, const struct ft_record *rec)
{
	(void)region;
	(void)rec;
	(*(int *)arg)++;
	return 0;
}

static void save(const char *name)
{
	struct ft_recwrite w = FT_RECWRITE_INIT;

	assert_int_equal(ft_recwrite_add(&w, FT_REC_CONTEXT, 0, 0, 0, "", 0), 0);
	assert_int_equal(ft_recwrite_save(&w, tmpdir, name), 0);
	ft_recwrite_release(&w);
}

static void append(const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/" FT_LEDGER_NAME, tmpdir);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct ft_reclog_stats walk(void)
{
	struct ft_reclog_stats st;
	int n = 0;

	assert_int_equal(ft_reclog_each(tmpdir, count, &n, &st), 0);
	return st;
}

/* The ledger (ft_record.h): every saved region is listed once it is in
 * place; a listed region that is gone, and a line that names no region
 * (garbage, a path, a line cut short), are counted; no ledger, no list. */
static void test_recwrite__ledger(void **state)
{
	struct ft_reclog_stats st;
	char path[512];

	(void)state;
	save("before"); /* no ledger yet: listed nowhere, and no error */
	st = walk();
	assert_int_equal(st.ledger, 0);
	assert_int_equal(ft_recwrite_ledger_create(tmpdir), 0);
	assert_int_equal(ft_recwrite_ledger_create(tmpdir), -EEXIST); /* exclusive */
	save("launcher");
	save("7-0");
	st = walk();
	assert_int_equal(st.regions, 3);
	assert_int_equal(st.ledger, 1);
	assert_int_equal(st.ledger_gone, 0);
	assert_int_equal(st.unlisted_bad, 0);

	snprintf(path, sizeof(path), "%s/r-7-0.rec", tmpdir);
	assert_int_equal(unlink(path), 0);
	st = walk();
	assert_int_equal(st.ledger_gone, 1);
	assert_string_equal(st.gone_name, "r-7-0.rec");

	save("7-0");
	append("garbage\n../r-1-0.rec\nr-x/y.rec\n");
	st = walk();
	assert_int_equal(st.ledger_gone, 0);
	assert_int_equal(st.unlisted_bad, 3);
	append("r-8-0.rec"); /* cut short: no newline */
	st = walk();
	assert_int_equal(st.unlisted_bad, 4);
}

/* A ledger that is no regular file is not read (never blocks): no list. */
static void test_recwrite__ledger_fifo(void **state)
{
	struct ft_reclog_stats st;
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/" FT_LEDGER_NAME, tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	save("launcher"); /* the append does not block either */
	st = walk();
	assert_int_equal(st.ledger, 0);
	assert_int_equal(st.regions, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recwrite__planted_link_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recwrite__ledger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recwrite__ledger_fifo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
