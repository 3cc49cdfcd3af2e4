/*
 * test_reclog.c - the region reader (common/ft_reclog.c) over real files.
 *
 * Region files are built here byte by byte, the way preload/region.c lays
 * them out, then damaged on purpose: a reader that follows a bad size or
 * trusts a truncated file would lose records silently, or crash ingest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_reclog.h"

struct region_buf {
	unsigned char *mem;
	size_t size;       /* FT_REGION_SIZE by default */
	size_t off;        /* next record offset */
	int pid;
};

struct seen {
	char lines[64][256];
	int n;
};

static char tmpdir[256];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_reclog.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void region_init(struct region_buf *r, int pid, uint32_t seq)
{
	struct ft_region_hdr *h;

	r->size = FT_REGION_SIZE;
	r->mem = calloc(1, r->size);
	assert_non_null(r->mem);
	r->pid = pid;
	h = (struct ft_region_hdr *)r->mem;
	memcpy(h->magic, FT_REGION_MAGIC, 8);
	h->version = FT_REGION_VERSION;
	h->hdr_size = sizeof(*h);
	h->size = FT_REGION_SIZE;
	h->seq = seq;
	h->pid = pid;
	h->backend = FT_BACKEND_PRELOAD;
	r->off = sizeof(*h);
}

/* Append a record; returns it so a test can spoil it. */
static struct ft_record *region_add(struct region_buf *r, int type, int op, int err,
				    uint32_t flags, const char *data)
{
	size_t len = strlen(data);
	struct ft_record *rec = (struct ft_record *)(r->mem + r->off);
	struct ft_region_hdr *h = (struct ft_region_hdr *)r->mem;

	rec->size = FT_REC_SIZE(len);
	rec->type = (uint8_t)type;
	rec->op = (uint8_t)op;
	rec->err = (uint8_t)err;
	rec->flags = flags;
	rec->len = (uint32_t)len;
	memcpy(rec->data, data, len + 1);
	rec->commit = FT_COMMIT;
	r->off += rec->size;
	h->used = r->off - h->hdr_size;
	return rec;
}

static void region_write(struct region_buf *r, const char *name, size_t bytes)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r->mem, bytes), (ssize_t)bytes);
	close(fd);
	free(r->mem);
}

static int collect(void *arg, const struct ft_reclog_region *region, const struct ft_record *rec)
{
	struct seen *s = arg;

	assert_true(s->n < 64);
	snprintf(s->lines[s->n++], 256, "%d %d %d %d %u %s", region->hdr->pid, rec->type, rec->op,
		 rec->err, rec->flags, rec->data);
	return 0;
}

static void test_reclog__good_region(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	region_init(&r, 42, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_PROC, 0, 0, 0, "/bin/true");
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 2, FT_AC_STAT, "/nope");
	region_write(&r, "r-42-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.regions, 1);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.damaged, 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.lines[1], "42 6 0 0 0 /bin/true");
	assert_string_equal(s.lines[2], "42 1 4 2 32 /nope");
}

static void test_reclog__sorted_by_pid_then_seq(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	const char *names[] = { "r-100-10.rec", "r-100-2.rec", "r-9-0.rec" };
	const char *data[] = { "ten", "two", "nine" };

	for (int i = 0; i < 3; i++) {
		region_init(&r, i == 2 ? 9 : 100, 0);
		region_add(&r, FT_REC_CONTEXT, 0, 0, 0, data[i]);
		region_write(&r, names[i], FT_REGION_SIZE);
	}
	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, NULL), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.lines[0], "9 2 0 0 0 nine");
	assert_string_equal(s.lines[1], "100 2 0 0 0 two");
	assert_string_equal(s.lines[2], "100 2 0 0 0 ten");
}

static void test_reclog__truncated_file(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	/* cut inside the second record: the first survives, the region is damaged */
	region_init(&r, 7, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "t");
	region_add(&r, FT_REC_ACCESS, FT_OP_OPEN, 0, FT_AC_READ, "/a/rather/long/path/name");
	region_write(&r, "r-7-0.rec", sizeof(struct ft_region_hdr) + FT_REC_SIZE(1) + 20);
	/* and a file too short for a header */
	region_init(&r, 8, 0);
	region_write(&r, "r-8-0.rec", 10);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.regions, 2);
	assert_int_equal(st.damaged, 2);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.lines[0], "7 2 0 0 0 t");
}

/* Found by tests/fuzz/fuzz_reclog.c (corpus/reclog/regress-size-short.rec):
 * a region whose header says it is shorter than the file was read up to
 * the header's size, and the records after it were dropped without the
 * region counting as damaged, so its test kept a too-small set.  Both
 * writers make the file exactly hdr->size long; any other length is
 * damage. */
static void test_reclog__bytes_past_header_size(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;
	struct ft_region_hdr *h;

	region_init(&r, 9, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "t");
	h = (struct ft_region_hdr *)r.mem;
	h->size = (uint32_t)r.off; /* the header covers the first record only */
	region_add(&r, FT_REC_ACCESS, FT_OP_OPEN, 0, FT_AC_READ, "/read/but/hidden");
	region_write(&r, "r-9-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.regions, 1);
	assert_int_equal(st.damaged, 1);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.lines[0], "9 2 0 0 0 t");
}

static void test_reclog__bad_magic(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	region_init(&r, 5, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	memcpy(r.mem, "NOTOURS", 8);
	region_write(&r, "r-5-0.rec", FT_REGION_SIZE);
	region_init(&r, 6, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	((struct ft_region_hdr *)r.mem)->version = 99;
	region_write(&r, "r-6-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 2);
	assert_int_equal(s.n, 0);
}

static void test_reclog__uncommitted_record_skipped(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	region_init(&r, 3, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 0, FT_AC_STAT, "/half")->commit = 0;
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 0, FT_AC_STAT, "/after");
	region_write(&r, "r-3-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 1);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.lines[1], "3 1 4 0 32 /after");
}

/* A TEST_END whose outcome is none of enum ft_outcome (a record file is
 * anyone's to write): damage, never a test's result. */
static void test_reclog__bad_outcome_is_damage(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	region_init(&r, 5, 0);
	region_add(&r, FT_REC_TEST_BEGIN, 0, 0, 0, "t/a.test.js");
	region_add(&r, FT_REC_TEST_END, 0, 0, FT_OUTCOME_ERROR + 1, "t/a.test.js");
	region_add(&r, FT_REC_TEST_END, 0, 0, FT_OUTCOME_FAILED, "t/a.test.js");
	region_write(&r, "r-5-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 1);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.lines[1], "5 4 0 0 2 t/a.test.js");
}

static void test_reclog__size_past_end(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;

	region_init(&r, 4, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 0, FT_AC_STAT, "/x")->size = FT_REGION_SIZE;
	region_write(&r, "r-4-0.rec", FT_REGION_SIZE);
	/* a misaligned size is as bad: the next record cannot be found */
	region_init(&r, 5, 0);
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 0, FT_AC_STAT, "/y")->size = 27;
	region_write(&r, "r-5-0.rec", FT_REGION_SIZE);
	/* and a len that runs past its record */
	region_init(&r, 6, 0);
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 0, FT_AC_STAT, "/z")->len = 4000;
	region_write(&r, "r-6-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 3);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.lines[0], "4 2 0 0 0 ");
}

static void test_reclog__hole_before_used_is_damage(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;
	struct ft_region_hdr *h;

	/* a writer reserved 64 bytes and died before writing anything */
	region_init(&r, 11, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	h = (struct ft_region_hdr *)r.mem;
	h->used += 64;
	region_write(&r, "r-11-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 1);
	assert_int_equal(s.n, 1);
}

static void test_reclog__full_region_with_padding(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;
	struct ft_record *pad;
	struct ft_region_hdr *h;

	region_init(&r, 12, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_ACCESS, FT_OP_OPEN, 0, FT_AC_READ, "/last");
	/* the straddling writer padded the tail; later reservations ran past */
	pad = (struct ft_record *)(r.mem + r.off);
	pad->size = (uint32_t)(r.size - r.off);
	pad->commit = FT_COMMIT;
	h = (struct ft_region_hdr *)r.mem;
	h->used = r.size + 4096;
	region_write(&r, "r-12-0.rec", FT_REGION_SIZE);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.damaged, 0);
	assert_int_equal(st.records, 2);
}

static int stop_at_second(void *arg, const struct ft_reclog_region *region, const struct ft_record *rec)
{
	int *n = arg;
	return ++*n == 2 ? 99 : 0;
}

static void test_reclog__callback_stops_walk(void **state)
{
	struct region_buf r;
	int n = 0;

	region_init(&r, 13, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_PROC, 0, 0, 0, "/p");
	region_add(&r, FT_REC_PROC, 0, 0, 0, "/q");
	region_write(&r, "r-13-0.rec", FT_REGION_SIZE);
	assert_int_equal(ft_reclog_each(tmpdir, stop_at_second, &n, NULL), 99);
	assert_int_equal(n, 2);
}

static void test_reclog__missing_dir(void **state)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/nope", tmpdir);
	assert_int_equal(ft_reclog_each(path, collect, NULL, NULL), -2 /* -ENOENT */);
}

/* `mkfifo r-1-0.rec` in a run dir hung ingest for ever (the open came
 * before the regular-file check); a symlink named like a region was
 * followed.  Both are refused by name, and the good region is still read. */
static void test_reclog__fifo_and_symlink_refused(void **state)
{
	struct region_buf r;
	struct seen s = { 0 };
	struct ft_reclog_stats st;
	char path[512], target[512];

	snprintf(path, sizeof(path), "%s/r-1-0.rec", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	region_init(&r, 42, 0);
	region_add(&r, FT_REC_CONTEXT, 0, 0, 0, "");
	region_add(&r, FT_REC_ACCESS, FT_OP_STAT, 2, FT_AC_STAT, "/nope");
	region_write(&r, "r-42-0.rec", FT_REGION_SIZE);
	/* a valid region behind a link: still refused, never followed */
	snprintf(target, sizeof(target), "%s/r-42-0.rec", tmpdir);
	snprintf(path, sizeof(path), "%s/r-43-0.rec", tmpdir);
	assert_int_equal(symlink(target, path), 0);

	assert_int_equal(ft_reclog_each(tmpdir, collect, &s, &st), 0);
	assert_int_equal(st.regions, 3);
	assert_int_equal(st.refused, 2);
	assert_int_equal(st.damaged, 2);
	assert_string_equal(st.refused_name, "r-1-0.rec");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.lines[1], "42 1 4 2 32 /nope");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reclog__good_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__sorted_by_pid_then_seq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__truncated_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__bytes_past_header_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__bad_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__uncommitted_record_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__bad_outcome_is_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__size_past_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__hole_before_used_is_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__full_region_with_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__callback_stops_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclog__fifo_and_symlink_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
