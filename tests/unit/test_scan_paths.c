/*
 * test_scan_paths.c - ft_store_states_scan_paths (store/ft_store_scan_paths.c),
 * the load of a watch daemon's whole answer, against the full scan it
 * stands for: for any set of named paths, it shows exactly the items and
 * rows the full scan shows for those paths and for every variable, in the
 * same order, with the same stat-cache hints (a reader's FILE code takes
 * the plain FILE's row, as the observer keys it).  Over a real database:
 * files of several kinds, a reader's FILE and LIST codes, variables, a
 * path with two states, and a name that is not recorded.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ft_envdep.h"
#include "ft_record.h"
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
	strcpy(root, "/tmp/ft-test-scanpaths.XXXXXX");
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

/* One callback, as text: "item <path> <kind> hint=<valid>:<value>" or
 * "row <state> <path id> <value>". */
struct seen {
	char lines[256][PATH_MAX + 96];
	char owner[256][PATH_MAX];   /* the item's path, for the rows too */
	int n;
	char cur[PATH_MAX];
};

static int on_item(void *arg, const void *path, int len, int kind, const struct ft_state_hint *hint)
{
	struct seen *s = arg;

	assert_true(s->n < 256);
	snprintf(s->cur, sizeof(s->cur), "%.*s", len, path ? (const char *)path : "");
	snprintf(s->lines[s->n], sizeof(s->lines[0]), "item %s %d hint=%d:%llx", s->cur, kind,
		 hint ? hint->valid : 0, hint ? (unsigned long long)hint->value : 0ULL);
	strcpy(s->owner[s->n++], s->cur);
	return 0;
}

static int on_row(void *arg, int64_t state_id, int64_t path_id, uint64_t recorded)
{
	struct seen *s = arg;

	assert_true(s->n < 256);
	snprintf(s->lines[s->n], sizeof(s->lines[0]), "row %lld %lld %llx", (long long)state_id,
		 (long long)path_id, (unsigned long long)recorded);
	strcpy(s->owner[s->n++], s->cur);
	return 0;
}

static const struct ft_store_scan_ops ops = { on_item, on_row };

static void put(const char *name, struct ft_dep *deps, size_t n)
{
	struct ft_run_info run = { .command = "test", .cwd = root };
	int64_t run_id, set;

	assert_int_equal(ft_store_run_begin(st, &run, &run_id), 0);
	assert_int_equal(ft_store_depset_put(st, deps, n, &set), 0);
	struct ft_test_row t = { .name = name, .runner = "command", .outcome = FT_OUTCOME_PASSED,
				 .sets = &set, .nsets = 1 };
	assert_int_equal(ft_store_test_put(st, run_id, &t), 0);
	assert_int_equal(ft_store_run_commit(st), 0);
}

static int named(const char *path, char *const *names, size_t n)
{
	if (path[0] == '$')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(path, names[i]))
			return 1;
	return 0;
}

static void compare(char *const *names, size_t n)
{
	static struct seen full, part;
	int k = 0;

	memset(&full, 0, sizeof(full));
	memset(&part, 0, sizeof(part));
	assert_int_equal(ft_store_read_begin(st), 0);
	assert_int_equal(ft_store_states_scan(st, 1, &ops, &full), 0);
	assert_int_equal(ft_store_states_scan_paths(st, 1, names, n, &ops, &part), 0);
	ft_store_read_end(st);
	for (int i = 0; i < full.n; i++) {
		if (!named(full.owner[i], names, n))
			continue;
		assert_true(k < part.n);
		assert_string_equal(part.lines[k], full.lines[i]);
		k++;
	}
	assert_int_equal(k, part.n);
}

static void test_scan_paths__same_as_the_full_scan(void **unused)
{
	char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], d[PATH_MAX], gone[PATH_MAX];
	struct ft_state *obs;
	uint64_t va, vb, vd, vl;

	(void)unused;
	write_file("a.txt", "a1");
	write_file("b.txt", "b1");
	write_file("c.txt", "c1");
	assert_int_equal(mkdir(P("d"), 0700), 0);
	snprintf(a, sizeof(a), "%s", P("a.txt"));
	snprintf(b, sizeof(b), "%s", P("b.txt"));
	snprintf(c, sizeof(c), "%s", P("c.txt"));
	snprintf(d, sizeof(d), "%s", P("d"));
	snprintf(gone, sizeof(gone), "%s", P("never-recorded"));
	/* values as the observer sees them, and its stat cache written */
	assert_int_equal(ft_state_new(&obs, st), 0);
	assert_int_equal(ft_state_observe(obs, a, FT_DEP_FILE, &va, NULL), 0);
	assert_int_equal(ft_state_observe(obs, b, FT_DEP_FILE, &vb, NULL), 0);
	assert_int_equal(ft_state_observe(obs, d, FT_DEP_LIST, &vl, NULL), 0);
	assert_int_equal(ft_state_observe(obs, d, ft_dep_code(FT_DEP_LIST, 1), &vd, NULL), 0);
	assert_int_equal(ft_state_flush(obs), 0);
	ft_state_free(obs);

	struct ft_dep one[] = {
		{ a, (uint32_t)strlen(a), FT_DEP_FILE, va },
		{ a, (uint32_t)strlen(a), (uint8_t)ft_dep_code(FT_DEP_FILE, 1), va },
		{ b, (uint32_t)strlen(b), (uint8_t)ft_dep_code(FT_DEP_FILE, 3), vb },
		{ c, (uint32_t)strlen(c), FT_DEP_TYPE, 0100644 },
		{ d, (uint32_t)strlen(d), FT_DEP_LIST, vl },
		{ d, (uint32_t)strlen(d), (uint8_t)ft_dep_code(FT_DEP_LIST, 1), vd },
		{ "$FT_SCAN_ONE", 12, FT_DEP_ENV, ft_envdep_hash("1", 1) },
		{ "$=", 2, FT_DEP_ENV, 7 },
	};
	put("T1", one, sizeof(one) / sizeof(one[0]));
	/* a second state of a.txt, and a second variable */
	struct ft_dep two[] = {
		{ a, (uint32_t)strlen(a), FT_DEP_FILE, va ^ 1 },
		{ "$FT_SCAN_TWO", 12, FT_DEP_ENV, FT_ENVDEP_UNSET },
	};
	put("T2", two, sizeof(two) / sizeof(two[0]));

	char *s1[] = { a, b, d };
	compare(s1, 3);
	char *s2[] = { b, gone };
	compare(s2, 2);
	compare(NULL, 0);       /* only the variables */
	char *s3[] = { a, b, c, d };
	compare(s3, 4);         /* everything */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_paths__same_as_the_full_scan, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
