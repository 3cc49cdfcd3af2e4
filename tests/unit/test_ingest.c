/*
 * test_ingest.c - from region files to stored dependency sets, end to end
 * over real files and a real SQLite database.  Regions are written with
 * ft_recwrite, the same format the interposer produces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ft_envdep.h"
#include "ft_ingest.h"
#include "ft_runners.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ft_reader.h"
#include "ft_state.h"
#include "ft_store.h"

struct fx {
	char root[256];      /* the "repository" */
	char run_dir[600];
	char state_dir[512];
	char db[600];
	struct ft_recwrite w;
	int nregions;
	const char *leaky;   /* write_side_file: the test the state guard names, or NULL */
	int no_guard;        /* write_side_file: no "leaky" list (no guard ran) */
};

static int64_t coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A run start after every fixture file was made: fixture files get a fresh
 * ctime from utimensat itself, and a run that started in the same clock
 * tick would rightly call them "modified during the run". */
static int64_t t0_after(const char *root)
{
	char cmd[600];
	FILE *p;
	long long newest = 0;

	snprintf(cmd, sizeof(cmd), "find '%s' -printf '%%C@\\n' | sort -n | tail -1", root);
	p = popen(cmd, "r");
	assert_non_null(p);
	{
		double d = 0;
		if (fscanf(p, "%lf", &d) == 1)
			newest = (long long)(d * 1e9);
	}
	pclose(p);
	/* %C@ has only microseconds; step past the whole microsecond */
	return newest + 1000 > coarse_ns() ? newest + 1000 : coarse_ns();
}

/* Create root/rel with content, with an old mtime so it is not racy. */
static void mkfile(struct fx *f, const char *rel, const char *content, int old)
{
	char p[8192];
	struct timespec t[2] = { { 1577836800, 0 }, { 1577836800, 0 } };
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", f->root, rel);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
	if (old)
		assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
}

static const char *abs_of(struct fx *f, const char *rel)
{
	static char buf[16][8192];  /* write_side_file uses 13 at once */
	static int i;
	i = (i + 1) % 16;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->root, rel);
	return buf[i];
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char cmd[700];

	snprintf(f->root, sizeof(f->root), "%s/ft-ingest-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->state_dir, sizeof(f->state_dir), "%s/.ftrace", f->root);
	snprintf(f->run_dir, sizeof(f->run_dir), "%s/runs/1", f->state_dir);
	snprintf(f->db, sizeof(f->db), "%s/ftrace.db", f->state_dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", f->run_dir);
	assert_int_equal(system(cmd), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	ft_recwrite_release(&f->w);
	free(f);
	return 0;
}

static void rec(struct fx *f, uint8_t type, uint8_t op, uint8_t err, uint32_t flags, const char *data)
{
	assert_int_equal(ft_recwrite_add(&f->w, type, op, err, flags, data, strlen(data)), 0);
}

static void ctx(struct fx *f, const char *id) { rec(f, FT_REC_CONTEXT, 0, 0, 0, id); }
/* The prelude's import window opens (1) or closes (0): .ctl/import */
static void import_window(struct fx *f, int open)
{
	rec(f, FT_REC_CONTEXT, 0, 0, open ? FT_CONTEXT_IMPORT : FT_CONTEXT_IMPORT_END, "");
}
static void begin(struct fx *f, const char *id) { rec(f, FT_REC_TEST_BEGIN, 0, 0, 0, id); }
static void end(struct fx *f, const char *id, int outcome) { rec(f, FT_REC_TEST_END, 0, 0, (uint32_t)outcome, id); }
static void acc(struct fx *f, uint8_t op, uint8_t err, uint32_t cls, const char *path)
{
	rec(f, FT_REC_ACCESS, op, err, cls, path);
}

/* Close the region being built and start another (a new process). */
static void flush_region(struct fx *f)
{
	char name[32];
	snprintf(name, sizeof(name), "%d-0", 100 + f->nregions++);
	assert_int_equal(ft_recwrite_save(&f->w, f->run_dir, name), 0);
	ft_recwrite_release(&f->w);
}

/* Start a process of its own (an exec: its region begins with a PROC
 * record), as a process-per-test runner starts each test: what it keeps
 * in memory no other test sees (ingest/ft_kept.h). */
static void own_process(struct fx *f)
{
	static int32_t next = 7000;

	if (f->w.len)
		flush_region(f);
	f->w.pid = next++;
	f->w.ppid = (int32_t)getpid();
	rec(f, FT_REC_PROC, 0, 0, 0, "/usr/bin/test-program");
}

static int ingest_ex(struct fx *f, int64_t t0, const char *name, int wstatus, int no_split);

static int ingest(struct fx *f, int64_t t0, const char *name, int wstatus)
{
	return ingest_ex(f, t0, name, wstatus, 0);
}

static int ingest_ex(struct fx *f, int64_t t0, const char *name, int wstatus, int no_split)
{
	struct ft_store *st = NULL;
	struct ft_ingest in = { 0 };
	struct ft_ingest_stats stats;
	int rc;

	if (f->w.len)
		flush_region(f);
	in.run_dir = f->run_dir;
	in.state_dir = f->state_dir;
	in.own_dir = abs_of(f, "ftrace-adapters");
	in.repo_top = f->root;
	in.t0_ns = t0;
	in.name = name;
	in.wstatus = wstatus;
	in.fallback_name = "the command";
	in.no_prelude_split = no_split;
	in.run.command = "test";
	in.run.cwd = f->root;
	in.runners = &ft_runners_ingest;
	assert_int_equal(ft_store_open(&st, f->db, FT_STORE_CREATE), 0);
	rc = ft_ingest_run(st, &in, &stats);
	ft_store_close(st);
	return rc;
}

/* "kind:relpath" lines of test `name`, sorted, joined by spaces; paths
 * outside the root are shown absolute. */
static char *deps_of(struct fx *f, const char *name)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	static char out[16384];
	size_t rl = strlen(f->root);

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT DISTINCT s.kind, p.path FROM tests t JOIN test_sets ts ON ts.test_id = t.id"
		" JOIN depset_states ds ON ds.set_id = ts.set_id JOIN states s ON s.id = ds.state_id"
		" JOIN paths p ON p.id = s.path_id WHERE t.name = ?1 AND s.kind != ?2"
		" ORDER BY p.path, s.kind",
		-1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, FT_DEP_ENV); /* env_of's */
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_blob(q, 1);
		int plen = sqlite3_column_bytes(q, 1);
		char line[8192];
		if ((size_t)plen > rl && !strncmp(p, f->root, rl))
			snprintf(line, sizeof(line), "%s%s:%.*s", out[0] ? " " : "",
				 ft_readers_kind_name(sqlite3_column_int(q, 0)),
				 plen - (int)rl - 1, p + rl + 1);
		else
			snprintf(line, sizeof(line), "%s%s:%.*s", out[0] ? " " : "",
				 ft_readers_kind_name(sqlite3_column_int(q, 0)), plen, p);
		strncat(out, line, sizeof(out) - strlen(out) - 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

/* "$NAME=v" words of test `name`'s environment dependencies whose name
 * starts with `prefix`, sorted: v is "unset", "unknown" or "h" (a hash). */
static char *env_of(struct fx *f, const char *name, const char *prefix)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	static char out[4096];

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT DISTINCT p.path, s.value FROM tests t JOIN test_sets ts ON ts.test_id = t.id"
		" JOIN depset_states ds ON ds.set_id = ts.set_id JOIN states s ON s.id = ds.state_id"
		" JOIN paths p ON p.id = s.path_id WHERE t.name = ?1 AND s.kind = ?2 ORDER BY p.path",
		-1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, FT_DEP_ENV);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_blob(q, 0);
		int plen = sqlite3_column_bytes(q, 0);
		uint64_t v = (uint64_t)sqlite3_column_int64(q, 1);
		char line[512];
		if (plen < 1 + (int)strlen(prefix) || strncmp(p + 1, prefix, strlen(prefix)))
			continue;
		snprintf(line, sizeof(line), "%s%.*s=%s", out[0] ? " " : "", plen, p,
			 v == FT_VALUE_ABSENT ? "unset" : v == FT_VALUE_UNKNOWN ? "unknown" :
			 v == ft_envdep_hash("1", 1) ? "1" : "h");
		strncat(out, line, sizeof(out) - strlen(out) - 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

static int test_int(struct fx *f, const char *name, const char *col)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	char sql[128];
	int v = -1;

	snprintf(sql, sizeof(sql), "SELECT %s FROM tests WHERE name = ?1", col);
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void test_ingest__kinds_from_accesses(void **state)
{
	struct fx *f = *state;

	mkfile(f, "read.txt", "r", 1);
	mkfile(f, "stat.txt", "s", 1);
	assert_int_equal(mkdir(abs_of(f, "sub"), 0755), 0);
	begin(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "read.txt"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "stat.txt"));
	acc(f, FT_OP_STAT, 2 /* ENOENT */, FT_AC_STAT, abs_of(f, "missing.cfg"));
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "sub"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "sub")); /* open of a dir: its listing */
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, f->root);           /* stat of a dir: its type */
	end(f, "t", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	{
		char want[1024];
		/* the root itself sorts first and is shown absolute */
		snprintf(want, sizeof(want),
			 "type:%s absent:missing.cfg file:read.txt file:stat.txt list:sub", f->root);
		assert_string_equal(deps_of(f, "t"), want);
	}
}

static void test_ingest__outputs_are_not_inputs(void **state)
{
	struct fx *f = *state;

	begin(f, "t");
	/* created, then read back: the test's own output */
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "out.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "out.txt"));
	/* probed absent, then created by the same test (a .pyc) */
	acc(f, FT_OP_OPEN, 2, FT_AC_READ, abs_of(f, "cache.pyc"));
	acc(f, FT_OP_RENAME_DST, 0, FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "cache.pyc"));
	end(f, "t", FT_OUTCOME_PASSED);
	mkfile(f, "out.txt", "o", 0);
	mkfile(f, "cache.pyc", "c", 0);
	assert_int_equal(ingest(f, coarse_ns() - 1000000000, NULL, 0), 0);
	{
		/* but the directory they were made in was there: its type
		 * ("Made by the test: its directory"), and out.txt's name was
		 * free for a file, which is one now ("Made by the test: the
		 * name"; the .pyc is a cache its writer makes as it goes) */
		char want[1024];
		snprintf(want, sizeof(want), "type:%s made-type:out.txt", f->root);
		assert_string_equal(deps_of(f, "t"), want);
	}
	assert_int_equal(test_int(f, "t", "outcome"), FT_OUTCOME_PASSED);
}

/* Order is by time across processes, not by the order regions are read:
 * a child (region read last) read in.txt before its parent (region read
 * first) truncated it, so in.txt was an input, rewritten by the test
 * itself: unknown.  A file opened "w+" (truncate and read in one call) is
 * an output. */
static void test_ingest__created_before_used_is_by_time(void **state)
{
	struct fx *f = *state;
	int64_t t0 = t0_after(f->root) - 1000000000;
	char name[32];

	mkfile(f, "in.txt", "old", 0);
	mkfile(f, "scratch.txt", "s", 0);
	/* the child, earlier in time, in a region that sorts last */
	ctx(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "in.txt"));
	snprintf(name, sizeof(name), "900-0");
	assert_int_equal(ft_recwrite_save(&f->w, f->run_dir, name), 0);
	ft_recwrite_release(&f->w);
	/* the parent, later, in a region that sorts first */
	ctx(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "in.txt"));
	acc(f, FT_OP_FOPEN, 0, FT_AC_READ | FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "scratch.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "scratch.txt"));
	snprintf(name, sizeof(name), "100-0");
	assert_int_equal(ft_recwrite_save(&f->w, f->run_dir, name), 0);
	ft_recwrite_release(&f->w);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	{
		/* (scratch.txt's directory: the type of the root; its name,
		 * free for a file: a file's type) */
		char want[1024];
		snprintf(want, sizeof(want), "type:%s unknown:in.txt made-type:scratch.txt", f->root);
		assert_string_equal(deps_of(f, "t"), want);
	}
}

/* ">>" opens O_CREAT|O_APPEND: not a creation; the test read its input and
 * then extended it (t4076). */
static void test_ingest__append_is_not_an_output(void **state)
{
	struct fx *f = *state;

	mkfile(f, "state.txt", "1\n2\n", 0);
	begin(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE, abs_of(f, "state.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "state.txt"));
	end(f, "t", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root) - 1000000000, NULL, 0), 0);
	assert_string_equal(deps_of(f, "t"), "unknown:state.txt");
}

static void test_ingest__modified_during_run_is_unknown(void **state)
{
	struct fx *f = *state;
	int64_t t0 = coarse_ns() - 1000000000;

	mkfile(f, "outside.txt", "changed while running", 0); /* mtime now >= t0, no traced write */
	mkfile(f, "own.txt", "rewritten by the test itself", 0);
	mkfile(f, "other.txt", "rewritten by another test", 0);
	begin(f, "a");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "outside.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "own.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_TRUNC, abs_of(f, "own.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "other.txt"));
	end(f, "a", FT_OUTCOME_PASSED);
	begin(f, "b");
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_TRUNC, abs_of(f, "other.txt"));
	end(f, "b", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	/* own.txt: read, then rewritten by the test itself: the version it read
	 * is gone, and the next run may behave differently (t4076).  (The
	 * prelude truncated other.txt, so the root's type is its dependency:
	 * unknown, as this harness made entries there after t0 from outside
	 * the run.) */
	{
		char want[1024];
		snprintf(want, sizeof(want),
			 "unknown:%s type:other.txt unknown:other.txt unknown:outside.txt unknown:own.txt",
			 f->root);
		assert_string_equal(deps_of(f, "a"), want);
	}
}

static void test_ingest__ignored_places(void **state)
{
	struct fx *f = *state;
	char p[700];

	mkfile(f, "in-repo.txt", "x", 1);
	snprintf(p, sizeof(p), "%s/runs/1/r-1-0.rec", f->state_dir);
	begin(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, p);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, "/proc/self/status");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, "/dev/null");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, "/var/tmp/whatever");
	/* ftrace's own plugin, even inside the repository (a build tree) */
	mkfile(f, "ftrace-adapters", "", 1);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "ftrace-adapters/pytest/__pycache__/p.pyc"));
	acc(f, FT_OP_STAT, 2, FT_AC_STAT, abs_of(f, "ftrace-adapters/pytest/x.py"));
	/* the repository itself is under TMPDIR or /tmp here: still recorded */
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "in-repo.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, "/etc/hostname");
	end(f, "t", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "t"), "file:/etc/hostname file:in-repo.txt");
}

static void test_ingest__outcomes_and_untraced(void **state)
{
	struct fx *f = *state;

	begin(f, "pass");
	end(f, "pass", FT_OUTCOME_PASSED);
	begin(f, "fail");
	end(f, "fail", FT_OUTCOME_FAILED);
	begin(f, "killed"); /* no end: it never reported */
	flush_region(f);
	ctx(f, "static");
	rec(f, FT_REC_UNTRACED, 0, 0, FT_UNTRACED_STATIC, "/bin/busybox");
	/* a second process reports "pass" as failed: the worst report wins */
	ctx(f, "pass");
	end(f, "pass", FT_OUTCOME_FAILED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_int_equal(test_int(f, "pass", "outcome"), FT_OUTCOME_FAILED);
	assert_int_equal(test_int(f, "fail", "outcome"), FT_OUTCOME_FAILED);
	assert_int_equal(test_int(f, "killed", "outcome"), FT_OUTCOME_UNKNOWN);
	assert_int_equal(test_int(f, "static", "untraced"), 1);
	assert_int_equal(test_int(f, "fail", "untraced"), 0);
}

static void test_ingest__prelude_untraced_taints_all(void **state)
{
	struct fx *f = *state;

	ctx(f, "");
	rec(f, FT_REC_UNTRACED, 0, 0, FT_UNTRACED_GO, "/usr/bin/go");
	begin(f, "a");
	end(f, "a", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_int_equal(test_int(f, "a", "untraced"), 1);
}

static void test_ingest__damaged_region_taints_all(void **state)
{
	struct fx *f = *state;
	char p[700];
	int fd;

	begin(f, "a");
	end(f, "a", FT_OUTCOME_PASSED);
	flush_region(f);
	/* a region cut short: a header that promises more than the file has */
	snprintf(p, sizeof(p), "%s/r-999-0.rec", f->run_dir);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "FTREC01\0garbage", 15), 15);
	close(fd);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_int_equal(test_int(f, "a", "untraced"), 1);
}

static void test_ingest__named_command_and_fallback(void **state)
{
	struct fx *f = *state;

	mkfile(f, "data", "d", 1);
	ctx(f, "check");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "data"));
	assert_int_equal(ingest(f, t0_after(f->root), "check", 1 << 8 /* exit 1 */), 0);
	assert_string_equal(deps_of(f, "check"), "file:data");
	assert_int_equal(test_int(f, "check", "outcome"), FT_OUTCOME_FAILED);

	/* no test marked at all: the command is the test */
	{
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -f '%s'/r-*.rec", f->run_dir);
		assert_int_equal(system(cmd), 0);
	}
	ctx(f, "");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "data"));
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "the command"), "file:data");
	assert_int_equal(test_int(f, "the command", "outcome"), FT_OUTCOME_PASSED);
	/* the earlier test is not forgotten by a run that did not run it */
	assert_string_equal(deps_of(f, "check"), "file:data");
}

static void write_side_file_ex(struct fx *f, const char *collect_stat);

static void write_side_file(struct fx *f)
{
	write_side_file_ex(f, NULL);
}

static void write_side_file_ex(struct fx *f, const char *collect_stat)
{
	char p[700];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/adapter-pytest-42.json", f->run_dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fprintf(fp,
		"{\"adapter\":\"pytest\",\"version\":1,\"pid\":42,\"broken\":false,"
		"\"rootdir\":\"%s\",\"python_files\":[\"test_*.py\"],"
		"\"project_files\":[\"%s\",\"%s\",\"%s\",\"%s\"],"
		"\"closures\":{\"%s\":[\"%s\",\"%s\"],\"%s\":[\"%s\",\"%s\"]},"
		"\"tests\":[{\"id\":\"test_a.py::t1\",\"file\":\"%s\",\"outcome\":\"passed\"},"
		"{\"id\":\"test_b.py::t2\",\"file\":\"%s\",\"outcome\":\"passed\"}],"
		"%s%s%s%s"
		"\"collect_stat_files\":[\"%s\"]}",
		f->root, abs_of(f, "a.py"), abs_of(f, "b.py"), abs_of(f, "test_a.py"), abs_of(f, "test_b.py"),
		abs_of(f, "test_a.py"), abs_of(f, "test_a.py"), abs_of(f, "a.py"),
		abs_of(f, "test_b.py"), abs_of(f, "test_b.py"), abs_of(f, "b.py"),
		abs_of(f, "test_a.py"), abs_of(f, "test_b.py"),
		f->no_guard ? "" : "\"leaky\":[", f->leaky ? "\"" : "", f->leaky ? f->leaky : "",
		f->no_guard ? "" : f->leaky ? "\"]," : "],",
		collect_stat ? abs_of(f, collect_stat) : "/nonexistent");
	fclose(fp);
}

static void test_ingest__prelude_split_by_closure(void **state)
{
	struct fx *f = *state;

	mkfile(f, "a.py", "A = 1\n", 1);
	mkfile(f, "b.py", "B = 1\n", 1);
	mkfile(f, "test_a.py", "import a\n", 1);
	mkfile(f, "test_b.py", "import b\n", 1);
	mkfile(f, "shared.cfg", "read during collection\n", 1);
	ctx(f, "");
	/* the import system's reads, in its windows (ftrace_pysite) */
	import_window(f, 1);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "test_a.py"));
	import_window(f, 0);
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "a.py"));
	import_window(f, 1);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "test_b.py"));
	import_window(f, 0);
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "b.py"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "shared.cfg"));
	acc(f, FT_OP_STAT, 2, FT_AC_STAT, abs_of(f, "a_probe.py"));
	begin(f, "test_a.py::t1");
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	begin(f, "test_b.py::t2");
	end(f, "test_b.py::t2", FT_OUTCOME_PASSED);
	write_side_file(f);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"),
		"file:a.py absent:a_probe.py file:shared.cfg file:test_a.py");
	assert_string_equal(deps_of(f, "test_b.py::t2"),
		"absent:a_probe.py file:b.py file:shared.cfg file:test_b.py");

	/* --no-prelude-split: every test depends on the whole prelude */
	assert_int_equal(ingest_ex(f, t0_after(f->root), NULL, 0, 1), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"),
		"file:a.py absent:a_probe.py file:b.py file:shared.cfg file:test_a.py file:test_b.py");
}

/* A project file whose bytes the prelude read outside the import system's
 * windows (test_b.py reading a.py's text, which it does not import) is
 * every test's, whatever the closures say; not one read after every test
 * ended (a report at the session's end). */
static void test_ingest__prelude_data_read_every_test(void **state)
{
	struct fx *f = *state;

	mkfile(f, "a.py", "A = 1\n", 1);
	mkfile(f, "b.py", "B = 1\n", 1);
	mkfile(f, "test_a.py", "import a\n", 1);
	mkfile(f, "test_b.py", "import b\n", 1);
	ctx(f, "");
	import_window(f, 1);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "test_a.py"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "a.py"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "test_b.py"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "b.py"));
	import_window(f, 0);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "a.py"));   /* test_b.py's copy */
	begin(f, "test_a.py::t1");
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	begin(f, "test_b.py::t2");
	end(f, "test_b.py::t2", FT_OUTCOME_PASSED);
	ctx(f, "");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "test_a.py"));   /* after every test */
	write_side_file(f);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"), "file:a.py file:test_a.py");
	assert_string_equal(deps_of(f, "test_b.py::t2"), "file:a.py file:b.py file:test_b.py");
}

/* A test the state guard names leaky may have kept what the test process
 * saw (a config read once into a cache): each dependency it took is every
 * test's, also one a process it started took (whose output the runner
 * may have kept: a pipe is no file).  A test that is not leaky keeps its
 * own. */
static void test_ingest__leaky_test_shares_what_it_saw(void **state)
{
	struct fx *f = *state;

	mkfile(f, "conf.json", "{}\n", 1);
	mkfile(f, "child.txt", "c\n", 1);
	mkfile(f, "own.txt", "o\n", 1);
	ctx(f, "");
	begin(f, "test_a.py::t1");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "conf.json"));
	acc(f, FT_OP_STAT, ENOENT, FT_AC_STAT, abs_of(f, "local.json"));
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	begin(f, "test_b.py::t2");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "own.txt"));
	end(f, "test_b.py::t2", FT_OUTCOME_PASSED);
	flush_region(f);
	/* a process test_a.py::t1 started: its context is inherited */
	f->w.pid = 4242;
	f->w.ppid = (int32_t)getpid();
	ctx(f, "test_a.py::t1");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "child.txt"));
	f->leaky = "test_a.py::t1";
	write_side_file(f);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"),
			    "file:child.txt file:conf.json absent:local.json");
	assert_string_equal(deps_of(f, "test_b.py::t2"),
			    "file:child.txt file:conf.json absent:local.json file:own.txt");
}

/* A side file that names no leaky tests (its guard did not run): every
 * pytest test may have kept what it saw. */
static void test_ingest__no_guard_every_test_leaky(void **state)
{
	struct fx *f = *state;

	mkfile(f, "conf.json", "{}\n", 1);
	mkfile(f, "own.txt", "o\n", 1);
	ctx(f, "");
	begin(f, "test_a.py::t1");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "conf.json"));
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	begin(f, "test_b.py::t2");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "own.txt"));
	end(f, "test_b.py::t2", FT_OUTCOME_PASSED);
	f->no_guard = 1;
	write_side_file(f);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"), "file:conf.json file:own.txt");
	assert_string_equal(deps_of(f, "test_b.py::t2"), "file:conf.json file:own.txt");
}

/* No side file, no guard: two tests that one process began (a harness
 * through ftrace.h) share what each saw there; a test alone in a process
 * of its own keeps its own (ingest/ft_kept.h). */
static void test_ingest__unguarded_harness_shares(void **state)
{
	struct fx *f = *state;

	mkfile(f, "conf.txt", "c\n", 1);
	mkfile(f, "own.txt", "o\n", 1);
	mkfile(f, "solo.txt", "s\n", 1);
	own_process(f);
	begin(f, "load");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "conf.txt"));
	end(f, "load", FT_OUTCOME_PASSED);
	begin(f, "use");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "own.txt"));
	end(f, "use", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "solo");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "solo.txt"));
	end(f, "solo", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "load"), "file:conf.txt file:own.txt");
	assert_string_equal(deps_of(f, "use"), "file:conf.txt file:own.txt");
	assert_string_equal(deps_of(f, "solo"), "file:conf.txt file:own.txt file:solo.txt");
}

/* What the prelude first touched after every test had ended (a report it
 * reads and writes again) is no test's dependency; what it touched before
 * stays every test's.  With a test whose end was never marked (killed),
 * nothing is known to be over, and it all stays. */
static void test_ingest__prelude_after_every_test(void **state)
{
	struct fx *f = *state;
	int64_t t0;

	mkfile(f, "early.txt", "e\n", 1);
	mkfile(f, "report.json", "{}\n", 1);
	mkfile(f, "late.txt", "l\n", 1);
	t0 = t0_after(f->root);
	ctx(f, "");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "early.txt"));
	begin(f, "t1");
	end(f, "t1", FT_OUTCOME_PASSED);
	begin(f, "t2");
	end(f, "t2", FT_OUTCOME_PASSED);
	ctx(f, "");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "late.txt"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "report.json"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_TRUNC, abs_of(f, "report.json"));
	acc(f, FT_OP_STAT, ENOENT, FT_AC_STAT, abs_of(f, "never.txt"));
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	assert_string_equal(deps_of(f, "t1"), "file:early.txt");
	assert_string_equal(deps_of(f, "t2"), "file:early.txt");
}

static void test_ingest__prelude_after_unended_test_kept(void **state)
{
	struct fx *f = *state;
	int64_t t0;

	mkfile(f, "late.txt", "l\n", 1);
	t0 = t0_after(f->root);
	begin(f, "t1");
	end(f, "t1", FT_OUTCOME_PASSED);
	begin(f, "t2");
	ctx(f, "");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "late.txt"));
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	assert_string_equal(deps_of(f, "t1"), "file:late.txt");
}

/* pytest's collection walk stats data files only for their type; a file it
 * did not walk keeps its content dependency. */
static void test_ingest__collection_stat_keeps_type_only(void **state)
{
	struct fx *f = *state;

	mkfile(f, "table.csv", "a,1\n", 1);
	mkfile(f, "sizes.bin", "xx", 1);
	ctx(f, "");
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "table.csv"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "sizes.bin"));
	begin(f, "test_a.py::t1");
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	write_side_file_ex(f, "table.csv");
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"), "file:sizes.bin type:table.csv");
}

/* The windows of the prelude (adapters/pytest): what pytest's collector
 * lists is a collected-list, and its stats of that directory's entries
 * collected-types; a stat in such a window of something outside a
 * directory it listed is a plain stat; what the import system lists is an
 * import-list.  The same listing outside any window is a plain list. */
static void test_ingest__prelude_windows(void **state)
{
	struct fx *f = *state;

	mkfile(f, "notes.txt", "n", 1);
	mkfile(f, "other.txt", "o", 1);
	assert_int_equal(mkdir(abs_of(f, "coll"), 0755), 0);
	mkfile(f, "coll/data.csv", "1", 1);
	assert_int_equal(mkdir(abs_of(f, "lib"), 0755), 0);
	assert_int_equal(mkdir(abs_of(f, "both"), 0755), 0);
	rec(f, FT_REC_CONTEXT, 0, 0, FT_CONTEXT_COLLECT, "");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "coll"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "coll/data.csv"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "other.txt")); /* its directory: not listed */
	rec(f, FT_REC_CONTEXT, 0, 0, FT_CONTEXT_COLLECT | FT_CONTEXT_IMPORT, "");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "lib"));
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "both"));
	rec(f, FT_REC_CONTEXT, 0, 0, FT_CONTEXT_COLLECT | FT_CONTEXT_IMPORT_END, "");
	rec(f, FT_REC_CONTEXT, 0, 0, 0, "");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "both"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "notes.txt"));
	begin(f, "t1");
	end(f, "t1", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), "t", 0), 0);
	assert_string_equal(deps_of(f, "t1"),
			    "list:both import-list:both collected-list:coll collected-type:coll/data.csv "
			    "import-list:lib file:notes.txt file:other.txt");
}

/* A directory entry created and removed within the run (pytest's
 * pytest-cache-files-* dir) leaves the listing as it was; one that stays,
 * made by another test, makes the listing unknown. */
static void test_ingest__transient_entries_leave_listing(void **state)
{
	struct fx *f = *state;
	char d[700], e[800];
	int64_t t0;

	snprintf(d, sizeof(d), "%s/dir", f->root);
	assert_int_equal(mkdir(d, 0755), 0);
	t0 = t0_after(f->root);
	/* during the run: the prelude makes and removes a temp dir in dir */
	snprintf(e, sizeof(e), "%s/tmp-xyz", d);
	assert_int_equal(mkdir(e, 0755), 0);
	assert_int_equal(rmdir(e), 0);
	ctx(f, "");
	acc(f, FT_OP_MKDIR, 0, FT_AC_CREATE, e);
	acc(f, FT_OP_RENAME_SRC, 0, FT_AC_DELETE, e);
	begin(f, "lister");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, d);
	end(f, "lister", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	/* (and the prelude's mkdir saw dir there: its type) */
	assert_string_equal(deps_of(f, "lister"), "type:dir list:dir");

	/* the same, but the entry stays: another test changed the listing */
	{
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -f '%s'/r-*.rec", f->run_dir);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(mkdir(e, 0755), 0);
	ctx(f, "");
	acc(f, FT_OP_MKDIR, 0, FT_AC_CREATE, e);
	begin(f, "lister");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, d);
	end(f, "lister", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	assert_string_equal(deps_of(f, "lister"), "type:dir unknown:dir");
}

/* An entry removed first and made again last (a test's `rm -rf logs; mkdir
 * logs` in a directory the prelude listed, Automake's tests) leaves the
 * names as they were: no change of the listing. */
static void test_ingest__entry_made_again_leaves_listing(void **state)
{
	struct fx *f = *state;
	char d[700], e[800];
	int64_t t0;

	snprintf(d, sizeof(d), "%s/dir", f->root);
	snprintf(e, sizeof(e), "%s/logs", d);
	assert_int_equal(mkdir(d, 0755), 0);
	assert_int_equal(mkdir(e, 0755), 0);
	t0 = t0_after(f->root);
	assert_int_equal(rmdir(e), 0);
	assert_int_equal(mkdir(e, 0755), 0);
	ctx(f, "");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, d);
	begin(f, "maker");
	acc(f, FT_OP_RMDIR, 0, FT_AC_DELETE, e);
	acc(f, FT_OP_MKDIR, 0, FT_AC_CREATE, e);
	end(f, "maker", FT_OUTCOME_PASSED);
	begin(f, "other");
	end(f, "other", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	/* and the prelude's rmdir saw logs empty, which it is again (a
	 * later entry there would make the rmdir fail): "Removed first" */
	assert_string_equal(deps_of(f, "other"), "list:dir list:dir/logs");
}

static void test_ingest__broken_side_file_keeps_whole_prelude(void **state)
{
	struct fx *f = *state;
	char p[700];
	FILE *fp;

	mkfile(f, "a.py", "A = 1\n", 1);
	mkfile(f, "b.py", "B = 1\n", 1);
	ctx(f, "");
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "a.py"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "b.py"));
	begin(f, "test_a.py::t1");
	end(f, "test_a.py::t1", FT_OUTCOME_PASSED);
	snprintf(p, sizeof(p), "%s/adapter-pytest-7.json", f->run_dir);
	fp = fopen(p, "w");
	fputs("{\"adapter\": \"pytest\", \"closures\": {", fp); /* cut short */
	fclose(fp);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "test_a.py::t1"), "file:a.py file:b.py");
}

static void test_ingest__odd_paths(void **state)
{
	struct fx *f = *state;
	char longname[4096] = "";
	char comp[251], dir[8192];

	/* ~3,800 bytes: 15 components of 250 (NAME_MAX is 255) */
	memset(comp, 'x', 250);
	comp[250] = '\0';
	for (int i = 0; i < 15; i++) {
		strcat(longname, comp);
		snprintf(dir, sizeof(dir), "%s/%s", f->root, longname);
		assert_int_equal(mkdir(dir, 0755), 0);
		strcat(longname, "/");
	}
	strcat(longname, "leaf");
	mkfile(f, "with space", "1", 1);
	mkfile(f, "new\nline", "2", 1);
	mkfile(f, "bad\xff\xfe", "3", 1);
	mkfile(f, longname, "4", 1);
	begin(f, "t");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "with space"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "new\nline"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "bad\xff\xfe"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, longname));
	end(f, "t", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	{
		char want[8192];
		snprintf(want, sizeof(want), "file:bad\xff\xfe file:new\nline file:with space file:%s", longname);
		assert_string_equal(deps_of(f, "t"), want);
	}
}

/* A temporary directory of our own, outside the repository (a sibling of
 * it under $TMPDIR or /tmp), as pytest's tmp_path is. */
static void mktmp(char *buf, size_t size)
{
	snprintf(buf, size, "%s/ft-scratch-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(buf));
}

static void rmtmp(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Issue 24: a symlink in pytest's tmp_path to a project fixture, a
 * symlinked directory, `/tmp/x/../repo/f`: each read a repository file,
 * and each was dropped as scratch because its text starts with /tmp.  A
 * symlink the test made in the repository itself was dropped as its output,
 * though the read went to the target.  Genuine scratch stays out. */
static void test_ingest__scratch_text_leading_into_repo(void **state)
{
	struct fx *f = *state;
	char tmp[300], p[5][1200];
	const char *top = strrchr(f->root, '/') + 1;

	mktmp(tmp, sizeof(tmp));
	mkfile(f, "fixture.txt", "v1", 1);
	mkfile(f, "dotdot.txt", "v1", 1);
	mkfile(f, "target.txt", "v1", 1);
	assert_int_equal(mkdir(abs_of(f, "data"), 0755), 0);
	mkfile(f, "data/in-dir.txt", "v1", 1);
	snprintf(p[0], sizeof(p[0]), "%s/link", tmp);
	snprintf(p[1], sizeof(p[1]), "%s/dlink", tmp);
	assert_int_equal(symlink(abs_of(f, "data"), p[1]), 0); /* made before the run */
	strcat(p[1], "/in-dir.txt");
	snprintf(p[2], sizeof(p[2]), "%s/sub", tmp);
	assert_int_equal(mkdir(p[2], 0755), 0);
	snprintf(p[2], sizeof(p[2]), "%s/sub/../../%s/dotdot.txt", tmp, top);
	snprintf(p[3], sizeof(p[3]), "%s/own.txt", tmp);
	begin(f, "t");
	/* the test links to the fixture and reads through the link */
	acc(f, FT_OP_SYMLINK_DST, 0, FT_AC_CREATE, p[0]);
	assert_int_equal(symlink(abs_of(f, "fixture.txt"), p[0]), 0);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, p[0]);
	acc(f, FT_OP_LSTAT, 0, FT_AC_STAT | FT_AC_NOFOLLOW, p[0]);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, p[1]);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, p[2]);
	/* its own scratch file: not a dependency */
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, p[3]);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, p[3]);
	/* a symlink the test made in the repository, read through */
	acc(f, FT_OP_SYMLINK_DST, 0, FT_AC_CREATE, abs_of(f, "build-link"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "build-link"));
	acc(f, FT_OP_READLINK, 0, FT_AC_LINK | FT_AC_NOFOLLOW, abs_of(f, "build-link"));
	end(f, "t", FT_OUTCOME_PASSED);
	{
		FILE *fp = fopen(p[3], "w");
		assert_non_null(fp);
		fclose(fp);
	}
	assert_int_equal(symlink("target.txt", abs_of(f, "build-link")), 0);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(deps_of(f, "t"),
			    "file:data/in-dir.txt file:dotdot.txt file:fixture.txt file:target.txt");
	rmtmp(tmp);
}

/* Issue 24: TMPDIR=/ made every path outside the repository scratch (the
 * interpreter, the standard library, /etc); TMPDIR=/etc the same for /etc.
 * A virtualenv in /tmp whose python the tests ran keeps its files. */
static void test_ingest__tmpdir_never_holds_dependencies(void **state)
{
	struct fx *f = *state;
	const char *cases[] = { "/", "/etc", "/etc/" };
	char venv[300], py[400], lib[400], old[512] = "", *env = getenv("TMPDIR");

	if (env)
		snprintf(old, sizeof(old), "%s", env);
	mktmp(venv, sizeof(venv));
	snprintf(py, sizeof(py), "%s/bin", venv);
	assert_int_equal(mkdir(py, 0755), 0);
	strcat(py, "/python");
	snprintf(lib, sizeof(lib), "%s/site.py", venv);
	{
		FILE *fp = fopen(py, "w");
		assert_non_null(fp);
		fclose(fp);
		assert_non_null(fp = fopen(lib, "w"));
		fclose(fp);
	}
	mkfile(f, "in-repo.txt", "x", 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[8];
		snprintf(name, sizeof(name), "t%zu", i);
		assert_int_equal(setenv("TMPDIR", cases[i], 1), 0);
		begin(f, name);
		acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "in-repo.txt"));
		acc(f, FT_OP_OPEN, 0, FT_AC_READ, "/etc/hostname");
		acc(f, FT_OP_EXEC, 0, FT_AC_READ | FT_AC_EXEC, py);
		acc(f, FT_OP_OPEN, 0, FT_AC_READ, lib);
		end(f, name, FT_OUTCOME_PASSED);
		{
			int64_t t0 = t0_after(venv), t1 = t0_after(f->root);
			assert_int_equal(ingest(f, t0 > t1 ? t0 : t1, NULL, 0), 0);
		}
		{
			char want[2048];
			/* sorted by the absolute path: ft-ingest-* before ft-scratch-* */
			snprintf(want, sizeof(want), "file:/etc/hostname file:in-repo.txt file:%s file:%s",
				 py, lib);
			assert_string_equal(deps_of(f, name), want);
		}
	}
	if (env)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	rmtmp(venv);
}

/* Issue 24: a test that saw build/report.json missing, while another test
 * of the same run created it later, was stored as having seen it exist;
 * the next `affected` left it out, and it failed in a full run.  The same
 * for a path an outside process created.  The test's own creation after
 * its probe (a .pyc) stays its output. */
static void test_ingest__seen_absent_then_created_is_unknown(void **state)
{
	struct fx *f = *state;
	int64_t t0;

	assert_int_equal(mkdir(abs_of(f, "build"), 0755), 0);
	t0 = t0_after(f->root);
	own_process(f);
	begin(f, "a");
	acc(f, FT_OP_STAT, 2, FT_AC_STAT, abs_of(f, "build/report.json"));
	acc(f, FT_OP_ACCESS, 2, FT_AC_STAT, abs_of(f, "outside.cfg"));
	acc(f, FT_OP_OPEN, 2, FT_AC_READ, abs_of(f, "still-missing.cfg"));
	end(f, "a", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "b");
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "build/report.json"));
	end(f, "b", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "c");
	acc(f, FT_OP_OPEN, 2, FT_AC_READ, abs_of(f, "own.log"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE, abs_of(f, "own.log"));
	end(f, "c", FT_OUTCOME_PASSED);
	mkfile(f, "build/report.json", "{}", 0);
	mkfile(f, "outside.cfg", "x", 0);
	mkfile(f, "own.log", "x", 0);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	assert_string_equal(deps_of(f, "a"),
			    "unknown:build/report.json unknown:outside.cfg absent:still-missing.cfg");
	/* (what b made: no dependency, but its directory was there, and the
	 * name was free for a file) */
	assert_string_equal(deps_of(f, "b"), "type:build made-type:build/report.json");
	/* (append-created by itself: what it saw absent it made; kept as before) */
	assert_string_equal(deps_of(f, "c"), "absent:own.log");
}

/* Removed first (docs/internals.md): a test whose first record of a path is
 * its own unlink or rmdir depends on what the removal saw (the path there,
 * as no directory), and not on what it saw of the path after, when that was
 * its own doing: the absence it made, the file it made again. */
static void test_ingest__removed_first(void **state)
{
	struct fx *f = *state;
	int64_t t0;

	assert_int_equal(mkdir(abs_of(f, "sub"), 0755), 0);
	mkfile(f, "sub/made", "old", 1);
	mkfile(f, "sub/gone", "x", 1);
	mkfile(f, "gone", "x", 1);
	mkfile(f, "now-dir", "x", 1);
	t0 = t0_after(f->root);
	own_process(f);
	begin(f, "a");
	acc(f, FT_OP_OPENDIR, 0, FT_AC_LIST, abs_of(f, "sub"));
	acc(f, FT_OP_UNLINK, 0, FT_AC_DELETE, abs_of(f, "sub/made"));
	acc(f, FT_OP_UNLINK, 0, FT_AC_DELETE, abs_of(f, "sub/gone"));
	acc(f, FT_OP_STAT, 2, FT_AC_STAT, abs_of(f, "sub/made"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE, abs_of(f, "sub/made"));
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, abs_of(f, "sub/made"));
	acc(f, FT_OP_UNLINK, 0, FT_AC_DELETE, abs_of(f, "gone"));
	acc(f, FT_OP_UNLINK, 0, FT_AC_DELETE, abs_of(f, "now-dir"));
	acc(f, FT_OP_MKDIR, 0, FT_AC_CREATE, abs_of(f, "now-dir"));
	end(f, "a", FT_OUTCOME_PASSED);
	assert_int_equal(unlink(abs_of(f, "sub/made")), 0);
	mkfile(f, "sub/made", "new", 0);
	assert_int_equal(unlink(abs_of(f, "sub/gone")), 0);
	assert_int_equal(unlink(abs_of(f, "gone")), 0);
	assert_int_equal(unlink(abs_of(f, "now-dir")), 0);
	assert_int_equal(mkdir(abs_of(f, "now-dir"), 0755), 0);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	/* made again: its lstat type, not "unknown" for the absence the test
	 * made; gone from a directory it listed: the listing holds it; gone
	 * otherwise, or there as a directory: unknown (the next unlink fails) */
	assert_string_equal(deps_of(f, "a"), "unknown:gone unknown:now-dir list:sub ltype:sub/made");
}

/* Issue 24: the type and mode a test saw, changed later in the run (chmod
 * by another test or process: ctime only), were stored as the mode left at
 * the end.  A directory that only gained entries from the run's own
 * processes (mtime == ctime) keeps its type. */
/* Does the file system give birth times (statx)?  Without them every
 * outside change of a directory stays unknown. */
static int has_btime(const char *p)
{
	struct statx stx;

	return statx(AT_FDCWD, p, 0, STATX_BTIME, &stx) == 0 && (stx.stx_mask & STATX_BTIME);
}

static void test_ingest__type_changed_during_run_is_unknown(void **state)
{
	struct fx *f = *state;
	int64_t t0;

	assert_int_equal(mkdir(abs_of(f, "modes"), 0755), 0);
	assert_int_equal(mkdir(abs_of(f, "grows"), 0755), 0);
	assert_int_equal(mkdir(abs_of(f, "outside"), 0755), 0);
	assert_int_equal(mkdir(abs_of(f, "remade"), 0755), 0);
	t0 = t0_after(f->root);
	begin(f, "a");
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "modes"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "grows"));
	acc(f, FT_OP_LSTAT, 0, FT_AC_STAT | FT_AC_NOFOLLOW, abs_of(f, "outside"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "remade"));
	end(f, "a", FT_OUTCOME_PASSED);
	begin(f, "b");
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "grows/new.txt"));
	end(f, "b", FT_OUTCOME_PASSED);
	mkfile(f, "grows/new.txt", "n", 0);
	assert_int_equal(chmod(abs_of(f, "modes"), 0555), 0);
	/* an entry added by a process outside the run, to a directory older
	 * than the run: its type and mode are what the test saw */
	mkfile(f, "outside/by-someone-else.txt", "n", 0);
	/* removed and made again during the run, with another mode: not the
	 * directory the test saw (its birth time is after t0) */
	assert_int_equal(rmdir(abs_of(f, "remade")), 0);
	assert_int_equal(mkdir(abs_of(f, "remade"), 0700), 0);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	if (has_btime(abs_of(f, "outside")))
		assert_string_equal(deps_of(f, "a"), "type:grows made-type:grows/new.txt unknown:modes "
				    "ltype:outside unknown:remade");
	else	/* no birth time: no outside change can be told harmless */
		assert_string_equal(deps_of(f, "a"), "type:grows made-type:grows/new.txt unknown:modes "
				    "unknown:outside unknown:remade");
}

/* Issue 24: `ln data/f.txt /tmp/x` in one test, a read of /tmp/x in
 * another.  The read is scratch by its text; the name was made by link()
 * in the run, so the reader depends on the source.  A name whose link()
 * came with no source before it, or while two sources waited (threads),
 * leads to an unknown source. */
static void test_ingest__hard_link_name_leads_to_source(void **state)
{
	struct fx *f = *state;
	char tmp[300], x[400], u[400], i1[400], i2[400], plain[400], want[2048];
	int64_t t0;

	mktmp(tmp, sizeof(tmp));
	mkfile(f, "src.txt", "v1", 1);
	mkfile(f, "a.txt", "a", 1);
	mkfile(f, "b.txt", "b", 1);
	snprintf(x, sizeof(x), "%s/x", tmp);
	snprintf(u, sizeof(u), "%s/u", tmp);
	snprintf(i1, sizeof(i1), "%s/i1", tmp);
	snprintf(i2, sizeof(i2), "%s/i2", tmp);
	snprintf(plain, sizeof(plain), "%s/plain", tmp);
	/* made on disk before t0: the sources' ctime is not the run's */
	assert_int_equal(link(abs_of(f, "src.txt"), x), 0);
	assert_int_equal(link(abs_of(f, "src.txt"), u), 0);
	assert_int_equal(link(abs_of(f, "a.txt"), i1), 0);
	assert_int_equal(link(abs_of(f, "b.txt"), i2), 0);
	{
		FILE *fp = fopen(plain, "w");
		assert_non_null(fp);
		fclose(fp);
	}
	t0 = t0_after(f->root);
	own_process(f);
	begin(f, "maker");
	acc(f, FT_OP_LINK_SRC, 0, FT_AC_READ, abs_of(f, "src.txt"));
	acc(f, FT_OP_LINK_DST, 0, FT_AC_CREATE, x);
	acc(f, FT_OP_LINK_DST, 0, FT_AC_CREATE, u); /* its source was not named */
	end(f, "maker", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "threads");
	acc(f, FT_OP_LINK_SRC, 0, FT_AC_READ, abs_of(f, "a.txt"));
	acc(f, FT_OP_LINK_SRC, 0, FT_AC_READ, abs_of(f, "b.txt"));
	acc(f, FT_OP_LINK_DST, 0, FT_AC_CREATE, i1);
	acc(f, FT_OP_LINK_DST, 0, FT_AC_CREATE, i2);
	end(f, "threads", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "reader");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, x);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, u);
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, plain);
	end(f, "reader", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "ireader");
	acc(f, FT_OP_OPEN, 0, FT_AC_READ, i2);
	end(f, "ireader", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	/* the maker's own new names are its output; it read the source */
	assert_string_equal(deps_of(f, "maker"), "file:src.txt");
	assert_string_equal(deps_of(f, "threads"), "file:a.txt file:b.txt");
	snprintf(want, sizeof(want), "file:src.txt unknown:%s", u);
	assert_string_equal(deps_of(f, "reader"), want);
	snprintf(want, sizeof(want), "unknown:%s", i2);
	assert_string_equal(deps_of(f, "ireader"), want);
	rmtmp(tmp);
}

/* Issue 24: the type-and-mode rule keeps a mode the run's writes explain
 * (mtime == ctime), but a chmod before the write leaves no trace in the
 * inode.  With the chmod recorded (FT_AC_ATTR), the mode is unknown, unless
 * the test changed it itself before its first use. */
static void test_ingest__recorded_chmod_makes_mode_unknown(void **state)
{
	struct fx *f = *state;
	const char *dirs[] = { "other", "own", "late", "aliased", "grows" };
	char tmp[300], alias[400];
	int64_t t0;

	mktmp(tmp, sizeof(tmp));
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(mkdir(abs_of(f, dirs[i]), 0755), 0);
	/* a symlink elsewhere to a repository directory */
	snprintf(alias, sizeof(alias), "%s/alias", tmp);
	assert_int_equal(symlink(abs_of(f, "aliased"), alias), 0);
	t0 = t0_after(f->root);
	own_process(f);
	begin(f, "a");
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "other"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "aliased"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "grows"));
	end(f, "a", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "b");
	acc(f, FT_OP_CHMOD, 0, FT_AC_ATTR, abs_of(f, "other"));
	/* the chmod names the directory through the symlink */
	acc(f, FT_OP_CHMOD, 0, FT_AC_ATTR, alias);
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "aliased/new"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "other/new"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "grows/new"));
	end(f, "b", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "own");
	acc(f, FT_OP_CHMOD, 0, FT_AC_ATTR, abs_of(f, "own"));
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "own"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "own/new"));
	end(f, "own", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "late");
	acc(f, FT_OP_STAT, 0, FT_AC_STAT, abs_of(f, "late"));
	acc(f, FT_OP_CHMOD, 0, FT_AC_ATTR, abs_of(f, "late"));
	acc(f, FT_OP_OPEN, 0, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC, abs_of(f, "late/new"));
	end(f, "late", FT_OUTCOME_PASSED);
	/* on disk as recorded: each chmod, then an entry (mtime == ctime) */
	for (size_t i = 0; i < 5; i++) {
		char rel[64];
		if (i != 4)
			assert_int_equal(chmod(abs_of(f, dirs[i]), 0700), 0);
		snprintf(rel, sizeof(rel), "%s/new", dirs[i]);
		mkfile(f, rel, "n", 0);
	}
	assert_int_equal(ingest(f, t0, NULL, 0), 0);
	assert_string_equal(deps_of(f, "a"), "unknown:aliased type:grows unknown:other");
	assert_string_equal(deps_of(f, "own"), "type:own made-type:own/new");
	assert_string_equal(deps_of(f, "late"), "unknown:late made-type:late/new");
	rmtmp(tmp);
}

/* A test depends on the environment variables it read (FT_REC_ENV), with
 * the value the root environment gave them (the run dir's snapshot); the
 * prelude's reads and what libc reads (PATH, the locale) are every
 * test's; ftrace's own are nobody's.  Without a snapshot every value is
 * unknown (selected). */
static void test_ingest__environment_reads(void **state)
{
	struct fx *f = *state;

	setenv("TENV_A", "1", 1);
	unsetenv("TENV_B");
	setenv("TENV_P", "1", 1);
	assert_int_equal(ft_envsnap_write(f->run_dir), 0);
	setenv("TENV_A", "2", 1); /* what ingest's own environment says is not asked */
	rec(f, FT_REC_ENV, 0, 0, 0, "TENV_P");
	own_process(f);
	begin(f, "t1");
	rec(f, FT_REC_ENV, 0, 0, 0, "TENV_A");
	rec(f, FT_REC_ENV, 0, 0, 0, "TENV_A");
	rec(f, FT_REC_ENV, 0, 0, 0, "FTRACE_TEST_ID");
	end(f, "t1", FT_OUTCOME_PASSED);
	own_process(f);
	begin(f, "t2");
	rec(f, FT_REC_ENV, 0, 0, 0, "TENV_B");
	end(f, "t2", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(env_of(f, "t1", "TENV_"), "$TENV_A=1 $TENV_P=1");
	assert_string_equal(env_of(f, "t2", "TENV_"), "$TENV_B=unset $TENV_P=1");
	assert_string_equal(env_of(f, "t1", "FTRACE_"), "");
	assert_string_equal(env_of(f, "t2", "PATH"), "$PATH=h");
	assert_string_equal(env_of(f, "t2", "LC_ALL"), getenv("LC_ALL") ? "$LC_ALL=h" : "$LC_ALL=unset");

	/* a run dir without the snapshot (an older ftrace's): unknown */
	assert_int_equal(unlink(abs_of(f, ".ftrace/runs/1/environ")), 0);
	own_process(f);
	begin(f, "t3");
	rec(f, FT_REC_ENV, 0, 0, 0, "TENV_A");
	end(f, "t3", FT_OUTCOME_PASSED);
	assert_int_equal(ingest(f, t0_after(f->root), NULL, 0), 0);
	assert_string_equal(env_of(f, "t3", "TENV_A"), "$TENV_A=unknown");
	unsetenv("TENV_A");
	unsetenv("TENV_P");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ingest__kinds_from_accesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__outputs_are_not_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__modified_during_run_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__created_before_used_is_by_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__append_is_not_an_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__ignored_places, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__outcomes_and_untraced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_untraced_taints_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__damaged_region_taints_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__named_command_and_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_split_by_closure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__broken_side_file_keeps_whole_prelude, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_windows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_data_read_every_test, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__leaky_test_shares_what_it_saw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__no_guard_every_test_leaky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__unguarded_harness_shares, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_after_every_test, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__prelude_after_unended_test_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__collection_stat_keeps_type_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__transient_entries_leave_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__entry_made_again_leaves_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__odd_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__scratch_text_leading_into_repo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__tmpdir_never_holds_dependencies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__seen_absent_then_created_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__removed_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__type_changed_during_run_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__hard_link_name_leads_to_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__recorded_chmod_makes_mode_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest__environment_reads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
