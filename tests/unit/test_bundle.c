/*
 * test_bundle.c - the bundle format (common/ft_bundle*.c): what
 * `ftrace import` trusts once ft_bundle_parse returns 0.
 *
 * A bundle comes from another machine or a CI cache: every prefix of a
 * good one, every single flipped byte, and indices out of range behind a
 * right checksum must come back FT_ECORRUPT, never a read out of bounds
 * (the fuzz target tests/fuzz/fuzz_bundle.c drives the same reader).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_bundle.h"
#include "ft_bundle_py.h"
#include "ft_error.h"

#include "bundle_hand.h"

/* two tests sharing a set, one with a file; a listing, a flaky mark; the
 * Python data of version 2: a run's prelude, one test's function lists,
 * a fingerprint row whose prelude is `fps_prelude`, a configuration view */
static void make_py(struct ft_bundle *b, const char *runner_name, int64_t finished,
		    const char *fps_prelude)
{
	uint32_t p0, p1, p2;

	memset(b, 0, sizeof(*b));
	assert_int_equal(ft_bundle_add_meta(b, FT_BUNDLE_FP_REPO, "abc"), 0);
	assert_int_equal(ft_bundle_add_path(b, "src/a.py", 8, FT_BUNDLE_REL, &p0), 0);
	assert_int_equal(ft_bundle_add_path(b, "/usr/lib/x.so", 13, 0, &p1), 0);
	assert_int_equal(ft_bundle_add_path(b, "", 0, FT_BUNDLE_REL, &p2), 0);
	b->sets = calloc(2, sizeof(*b->sets));
	b->nsets = b->csets = 2;
	b->sets[0].deps = calloc(2, sizeof(struct ft_bundle_dep));
	b->sets[0].n = 2;
	b->sets[0].deps[0] = (struct ft_bundle_dep){ p0, 1, 0x1122334455667788ULL };
	b->sets[0].deps[1] = (struct ft_bundle_dep){ p1, 1, 42 };
	b->sets[1].deps = calloc(1, sizeof(struct ft_bundle_dep));
	b->sets[1].n = 1;
	b->sets[1].deps[0] = (struct ft_bundle_dep){ p2, 5, 7 };
	b->runs = calloc(1, sizeof(*b->runs));
	b->nruns = b->cruns = 1;
	b->runs[0] = (struct ft_bundle_run){ strdup("pytest -q"), p2, 1, finished, 0,
					     strdup("{\"rootdir\":\"" FT_BUNDLE_TOP_TOKEN "\"}"),
					     strdup("{\"" FT_BUNDLE_TOP_TOKEN "/src/a.py\":[\"f\"]}") };
	b->tests = calloc(2, sizeof(*b->tests));
	b->ntests = b->ctests = 2;
	b->tests[0] = (struct ft_bundle_test){ strdup("t::one"), strdup(runner_name), p0, 1, 0, 0,
					       calloc(2, sizeof(uint32_t)), 2, 2,
					       strdup("{\"" FT_BUNDLE_TOP_TOKEN "/src/a.py\":[\"g\"]}"),
					       strdup("[]"), strdup("[\"/usr/lib/y.py\"]"),
					       calloc(1, sizeof(uint32_t)), 1 };
	b->tests[0].sets[1] = 1;
	b->tests[0].shares[0] = 1; /* it handed set 1 on (version 5) */
	b->tests[1] = (struct ft_bundle_test){ strdup("t::two"), NULL, FT_BUNDLE_NONE, 2, 1,
					       FT_BUNDLE_NONE, calloc(1, sizeof(uint32_t)), 1, 0, NULL,
					       NULL, NULL, NULL, 0 };
	b->listings = calloc(1, sizeof(*b->listings));
	b->nlistings = b->clistings = 1;
	b->listings[0] = (struct ft_bundle_listing){ p2, 7, malloc(6), 6 };
	memcpy(b->listings[0].names, "a\0src\0", 6);
	b->flaky = calloc(1, sizeof(*b->flaky));
	b->nflaky = b->cflaky = 1;
	b->flaky[0] = (struct ft_bundle_flaky){ strdup("t::two"), 3, 9, 0, 1, 2 };
	b->pyfps = calloc(1, sizeof(*b->pyfps));
	b->npyfps = b->cpyfps = 1;
	b->pyfps[0] = (struct ft_bundle_pyfps){ p0, 0x1122334455667788ULL, strdup("sk"),
						strdup("{\"g\":\"1\"}"), strdup(fps_prelude), NULL };
	b->pyconf = calloc(1, sizeof(*b->pyconf));
	b->npyconf = b->cpyconf = 1;
	b->pyconf[0] = (struct ft_bundle_pyconf){ p2, 7, strdup("{}") };
}

static void make(struct ft_bundle *b, const char *runner_name, int64_t finished)
{
	make_py(b, runner_name, finished, "[\"f\"]");
}

/* b without its version-2 data, as a version-1 bundle */
static void strip_py(struct ft_bundle *b)
{
	for (size_t i = 0; i < b->nruns; i++) {
		free(b->runs[i].py_prelude);
		b->runs[i].py_prelude = NULL;
	}
	for (size_t i = 0; i < b->ntests; i++) {
		struct ft_bundle_test *t = &b->tests[i];
		free(t->py_funcs);
		free(t->py_own);
		free(t->py_lazy);
		t->py_funcs = t->py_own = t->py_lazy = NULL;
		t->py_complete = 0;
		free(t->shares); /* version 5 */
		t->shares = NULL;
		t->nshares = 0;
	}
	for (size_t i = 0; i < b->npyfps; i++) {
		free(b->pyfps[i].skeleton);
		free(b->pyfps[i].bodies);
		free(b->pyfps[i].prelude);
	}
	free(b->pyfps[0].names);
	free(b->pyconf[0].view);
	free(b->pyfps);
	free(b->pyconf);
	b->pyfps = NULL;
	b->pyconf = NULL;
	b->npyfps = b->cpyfps = b->npyconf = b->cpyconf = 0;
}

static void test_bundle__round_trip(void **state)
{
	struct ft_bundle a, b;
	unsigned char *buf, *buf2;
	size_t len, len2;
	struct ft_err why;

	(void)state;
	make(&a, "pytest", 100);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	assert_int_equal(ft_bundle_parse(&b, buf, len, &why), 0);
	assert_int_equal(b.ntests, 2);
	assert_string_equal(b.tests[0].name, "t::one");
	assert_string_equal(b.tests[0].runner, "pytest");
	assert_null(b.tests[1].runner);
	assert_int_equal(b.tests[1].run, FT_BUNDLE_NONE);
	assert_int_equal(b.sets[0].deps[0].value, 0x1122334455667788ULL);
	assert_int_equal(b.paths[2].len, 0);
	assert_int_equal(b.listings[0].len, 6);
	assert_memory_equal(b.listings[0].names, "a\0src\0", 6);
	assert_string_equal(ft_bundle_meta(&b, FT_BUNDLE_FP_REPO), "abc");
	assert_int_equal(b.flaky[0].count, 3);
	assert_int_equal(b.version, FT_BUNDLE_VERSION);
	assert_string_equal(b.runs[0].py_prelude, a.runs[0].py_prelude);
	assert_int_equal(b.tests[0].py_complete, 2);
	assert_string_equal(b.tests[0].py_funcs, a.tests[0].py_funcs);
	assert_string_equal(b.tests[0].py_own, "[]");
	assert_string_equal(b.tests[0].py_lazy, "[\"/usr/lib/y.py\"]");
	assert_null(b.tests[1].py_funcs);
	assert_int_equal(b.tests[0].nshares, 1);
	assert_int_equal(b.tests[0].shares[0], 1);
	assert_int_equal(b.tests[1].nshares, 0);
	assert_null(b.tests[1].shares);
	assert_int_equal(b.npyfps, 1);
	assert_null(b.pyfps[0].names);
	assert_string_equal(b.pyfps[0].bodies, "{\"g\":\"1\"}");
	assert_int_equal(b.npyconf, 1);
	assert_string_equal(b.pyconf[0].view, "{}");
	/* the same bytes again */
	assert_int_equal(ft_bundle_encode(&b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf);
	free(buf2);
	ft_bundle_release(&a);
	ft_bundle_release(&b);
}

static void test_bundle__every_prefix_and_flip_refused(void **state)
{
	struct ft_bundle a, b;
	unsigned char *buf;
	size_t len;
	struct ft_err why;

	(void)state;
	make(&a, "pytest", 100);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	for (size_t n = 0; n < len; n++)
		assert_int_equal(ft_bundle_parse(&b, buf, n, &why), FT_ECORRUPT);
	for (size_t i = 0; i < len; i++) {
		int rc;
		buf[i] ^= 0x10;
		rc = ft_bundle_parse(&b, buf, len, &why);
		/* bytes 8-11 are the version: flipped, a newer one */
		if (!(rc == FT_ECORRUPT || (i >= 8 && i < 12 && rc == FT_ESCHEMA)))
			fail_msg("byte %zu flipped: %d", i, rc);
		buf[i] ^= 0x10;
	}
	free(buf);
	ft_bundle_release(&a);
}

/* Bytes with a right checksum over a payload that is wrong inside. */
static int reparse(unsigned char *buf, size_t len, struct ft_err *why)
{
	struct ft_bundle b;
	int rc;

	ft_test_bundle_seal(buf, len);
	rc = ft_bundle_parse(&b, buf, len, why);
	if (rc == 0)
		ft_bundle_release(&b);
	return rc;
}

static void test_bundle__indices_checked_behind_a_right_checksum(void **state)
{
	struct ft_bundle a;
	unsigned char *buf;
	size_t len;
	struct ft_err why;
	int refused = 0;

	(void)state;
	make(&a, "pytest", 100);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	/* every byte of the payload set to 0xff in turn (counts, indices and
	 * lengths become huge): refused or still well formed, never more */
	for (size_t i = FT_BUNDLE_HEADER; i < len; i++) {
		unsigned char old = buf[i];
		int rc;
		buf[i] = 0xff;
		rc = reparse(buf, len, &why);
		assert_true(rc == 0 || rc == FT_ECORRUPT);
		refused += rc == FT_ECORRUPT;
		buf[i] = old;
	}
	assert_true(refused > 0);
	/* the first set's first path index: the paths section is 3 paths */
	a.sets[0].deps[0].path = 3;
	free(buf);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), FT_EUSAGE);
	a.sets[0].deps[0].path = 0;
	/* a share of a set that is not there: the sets section is 2 sets */
	a.tests[0].shares[0] = 2;
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), FT_EUSAGE);
	ft_bundle_release(&a);
}

/* A version-1 bundle (ftrace before the Python tables) still reads, with
 * no Python data, and encodes back to its bytes; version-2 data cannot be
 * written into one. */
static void test_bundle__version_1_reads(void **state)
{
	struct ft_bundle a, b;
	unsigned char *buf, *buf2;
	size_t len, len2;
	struct ft_err why;

	(void)state;
	make(&a, "pytest", 100);
	/* shares (version 5) have no room in a version 4 */
	a.version = 4;
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), FT_EUSAGE);
	a.version = 1;
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), FT_EUSAGE);
	strip_py(&a);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	assert_int_equal(buf[8], 1);
	assert_int_equal(ft_bundle_parse(&b, buf, len, &why), 0);
	assert_int_equal(b.version, 1);
	assert_int_equal(b.ntests, 2);
	assert_null(b.tests[0].py_funcs);
	assert_null(b.runs[0].py_prelude);
	assert_int_equal(b.npyfps, 0);
	assert_int_equal(ft_bundle_encode(&b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf2);
	ft_bundle_release(&b);
	/* read as version 2, its bytes end too early */
	buf[8] = 2;
	assert_int_equal(reparse(buf, len, &why), FT_ECORRUPT);
	/* and a version 0 is no version */
	buf[8] = 0;
	assert_int_equal(reparse(buf, len, &why), FT_ECORRUPT);
	free(buf);
	ft_bundle_release(&a);
}

/* A test's function lists without its own files (or the reverse) is no
 * pyfunc_tests row: refused on reading, a bug on writing. */
static void test_bundle__py_row_halves_refused(void **state)
{
	struct ft_bundle a;
	unsigned char *buf;
	size_t len;

	(void)state;
	make(&a, "pytest", 100);
	free(a.tests[0].py_own);
	a.tests[0].py_own = NULL;
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), FT_EUSAGE);
	ft_bundle_release(&a);
}

static void test_bundle__merge_keeps_the_later_recording(void **state)
{
	struct ft_bundle a, b, m;
	const struct ft_bundle *in[2] = { &a, &b };

	(void)state;
	make(&a, "later", 200);
	make(&b, "earlier", 100);
	memset(&m, 0, sizeof(m));
	assert_int_equal(ft_bundle_merge(&m, in, 2), 0);
	assert_int_equal(m.ntests, 2);
	assert_string_equal(m.tests[0].runner, "later");
	/* shared paths and sets stored once */
	assert_int_equal(m.npaths, 3);
	assert_int_equal(m.nsets, 2);
	assert_int_equal(m.nlistings, 1);
	assert_int_equal(m.nflaky, 1);
	/* the Python data comes along with its test and run */
	assert_string_equal(m.tests[0].py_funcs, a.tests[0].py_funcs);
	assert_string_equal(m.runs[m.tests[0].run].py_prelude, a.runs[0].py_prelude);
	/* and its shares, as sets of the merged bundle */
	assert_int_equal(m.tests[0].nshares, 1);
	assert_int_equal(m.sets[m.tests[0].shares[0]].n, 1);
	assert_int_equal(m.sets[m.tests[0].shares[0]].deps[0].value, 7);
	assert_int_equal(m.tests[1].nshares, 0);
	assert_int_equal(m.npyfps, 1);
	assert_int_equal(m.npyconf, 1);
	ft_bundle_release(&m);
	/* a fingerprint row in two shards: the qualnames their preludes ran
	 * are united */
	ft_bundle_release(&b);
	make_py(&b, "earlier", 100, "[\"h\",\"f\"]");
	assert_int_equal(ft_bundle_merge(&m, in, 2), 0);
	assert_int_equal(m.npyfps, 1);
	assert_string_equal(m.pyfps[0].prelude, "[\"f\",\"h\"]");
	ft_bundle_release(&m);
	/* a tie: the later bundle */
	ft_bundle_release(&a);
	make(&a, "first", 100);
	assert_int_equal(ft_bundle_merge(&m, in, 2), 0);
	assert_string_equal(m.tests[0].runner, "earlier");
	ft_bundle_release(&m);
	ft_bundle_release(&a);
	ft_bundle_release(&b);
}

static void test_bundle__json_swap(void **state)
{
	char *e, *s;

	(void)state;
	s = ft_bundle_json_swap("{\"dir\":\"/r/x\",\"b\":\"/r\",\"c\":\"/rx\",\"d\":\"a/r/\"}", "/r",
				FT_BUNDLE_TOP_TOKEN);
	assert_string_equal(s, "{\"dir\":\"" FT_BUNDLE_TOP_TOKEN "/x\",\"b\":\"" FT_BUNDLE_TOP_TOKEN
			    "\",\"c\":\"/rx\",\"d\":\"a/r/\"}");
	free(s);
	e = ft_bundle_json_escape("/a \"q\"\\b\n");
	assert_string_equal(e, "/a \\\"q\\\"\\\\b\\n");
	s = ft_bundle_json_swap("[\"" FT_BUNDLE_TOP_TOKEN "/t\",\"\\\"" FT_BUNDLE_TOP_TOKEN "\"]",
				FT_BUNDLE_TOP_TOKEN, e);
	/* the second string starts with an escaped quote: not a path */
	assert_string_equal(s, "[\"/a \\\"q\\\"\\\\b\\n/t\",\"\\\"" FT_BUNDLE_TOP_TOKEN "\"]");
	free(s);
	free(e);
	/* a tab-separated key whose last part is a path (a re-export) */
	s = ft_bundle_json_swap("[\"@>n\\ta\\t/r/t.py\",\"@>n\\t/rx\",\"x\\\\t/r/y\"]", "/r",
				FT_BUNDLE_TOP_TOKEN);
	assert_string_equal(s, "[\"@>n\\ta\\t" FT_BUNDLE_TOP_TOKEN "/t.py\",\"@>n\\t/rx\","
			    "\"x\\\\t/r/y\"]");
	free(s);
}

/* A recorded path keeps its ".." parts: relative, they may not climb
 * above the top (jinja's FileSystemLoader("templates/../templates2")). */
static void test_bundle__rel_paths(void **state)
{
	(void)state;
	assert_true(ft_bundle_rel_ok("a/../b", 6));
	assert_true(ft_bundle_rel_ok("a/./b//c/", 9));
	assert_true(ft_bundle_rel_ok("", 0));
	assert_true(ft_bundle_rel_ok("a/..", 4));
	assert_false(ft_bundle_rel_ok("..", 2));
	assert_false(ft_bundle_rel_ok("a/../../x", 9));
	assert_false(ft_bundle_rel_ok("./../x", 6));
	assert_false(ft_bundle_rel_ok("/a", 2));
}

static void test_bundle__json_union(void **state)
{
	char *u;

	(void)state;
	assert_int_equal(ft_bundle_json_union("[\"a\",\"b\"]", "[\"c\",\"a\"]", &u), 0);
	assert_string_equal(u, "[\"a\",\"b\",\"c\"]");
	free(u);
	assert_int_equal(ft_bundle_json_union("[\"a\"]", "{}", &u), FT_ECORRUPT);
	assert_int_equal(ft_bundle_json_union("[\"a\"]", "[1]", &u), FT_ECORRUPT);
	assert_null(u);
}

/* A bundle cut short on disk: ft_bundle_read refuses it and its reason
 * (struct ft_err: the code and the sentence `ftrace import` prints after
 * the file's name) travels up with the code; a missing file is -ENOENT
 * with no reason of its own (the caller names the path). */
static void test_bundle__read_truncated_says_why(void **state)
{
	struct ft_bundle a, b;
	struct ft_err err;
	unsigned char *buf;
	size_t len;
	char dir[] = "/tmp/ft-bundle.XXXXXX", path[PATH_MAX];
	FILE *f;

	(void)state;
	make(&a, "pytest", 100);
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cut.ftbundle", dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(buf, 1, len - 1, f), len - 1);
	fclose(f);
	assert_int_equal(ft_bundle_read(&b, path, &err), FT_ECORRUPT);
	assert_int_equal(err.code, FT_ECORRUPT);
	if (!strstr(ft_err_msg(&err), "truncated or extended"))
		fail_msg("reason '%s' lacks the cause", ft_err_msg(&err));
	unlink(path);
	assert_int_equal(ft_bundle_read(&b, path, &err), -ENOENT);
	assert_int_equal(err.code, -ENOENT);
	assert_string_equal(err.why, "");
	rmdir(dir);
	free(buf);
	ft_bundle_release(&a);
}

/* Texts of every shape, as a test's Python rows might hold them: those of
 * the two shapes version 3 codes, and others it must keep as they are. */
static const char *const odd_texts[] = {
	"{\"" FT_BUNDLE_TOP_TOKEN "/src/a.py\":[\"f\",\"C.m\"],\"/usr/lib/b.py\":[]}",
	"[\"/usr/lib/y.py\",\"" FT_BUNDLE_TOP_TOKEN "/z.py\"]",
	"{}",
	"[]",
	"{\"a\": [\"b\"]}",                    /* formatted otherwise: kept */
	"{\"a\":1}",                           /* not lists of strings */
	"[\"a\",[\"b\"]]",
	"{\"q\\\"uo\\\\te\\n\":[\"\\u0001\",\"\xc3\xa9\"]}",  /* escapes, UTF-8 */
	"[\"a\\u0000b\"]",                     /* a NUL cJSON would cut */
	"{\"k\":[\"x\"],\"k\":[\"y\"]}",       /* a key twice */
	"{",                                    /* not JSON */
	"",
	"\"just a string\"",
	"{\"f\":\"0123abcd\",\"C.m\":\"0123abcd\"}",  /* an object of strings */
	"{\"f\":\"x\",\"g\":[\"y\"]}",            /* strings and lists mixed */
	/* version 4's trees (ft_bundle_tree.h): a fingerprint's names */
	"{\"refs\":{\"f\":[\"a\"]},\"stmts\":[[\"0123abcd\",\"other\",[],[\"x\"]],"
	"[\"ffee\",\"import:t\",[\"t\"],[]]]}",
	"[1,-1,0,2147483647,-2147483648,null,true,false]",  /* integers, literals */
	"[2147483648]",                        /* beyond an int32: kept */
	"[1.5]",                               /* not an integer: kept */
	"[1e2]",                               /* prints otherwise: kept */
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]]]]]"
	"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",  /* 65 arrays: deeper than a tree: kept */
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]]]]]"
	"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",    /* 64: a tree */
	"[\"0123abcdef\",\"0123abcdeF\",\"012\",\"\",\"abc\"]",  /* digests and near ones */
	"{\"\":{\"\":[]}}",                   /* empty keys, nested objects */
};

/* Versions 3 and 4 write each distinct string and list once; every text
 * reads back byte for byte, whatever its shape; the same bundle written
 * as version 2 is several times larger and reads back the same. */
static void py_texts_shared(uint32_t version)
{
	const size_t nodd = sizeof(odd_texts) / sizeof(odd_texts[0]), ntests = 200;
	struct ft_bundle a, b, c;
	unsigned char *buf, *buf2;
	size_t len, len2;
	struct ft_err why;

	memset(&a, 0, sizeof(a));
	a.tests = calloc(ntests, sizeof(*a.tests));
	a.ntests = a.ctests = ntests;
	for (size_t i = 0; i < ntests; i++) {
		struct ft_bundle_test *t = &a.tests[i];
		char name[32], funcs[16384];
		int n = snprintf(funcs, sizeof(funcs), "{");
		snprintf(name, sizeof(name), "t::%zu", i);
		/* ten files, each test running the same twenty keys of each */
		for (int f = 0; f < 10; f++) {
			n += snprintf(funcs + n, sizeof(funcs) - (size_t)n, "%s\"" FT_BUNDLE_TOP_TOKEN
				      "/src/module_%d.py\":[", f ? "," : "", f);
			for (int k = 0; k < 20; k++)
				n += snprintf(funcs + n, sizeof(funcs) - (size_t)n,
					      "%s\"Class%d.method_number_%d\"", k ? "," : "", f, k);
			n += snprintf(funcs + n, sizeof(funcs) - (size_t)n, "]");
		}
		snprintf(funcs + n, sizeof(funcs) - (size_t)n, "}");
		*t = (struct ft_bundle_test){ strdup(name), NULL, FT_BUNDLE_NONE, 1, 0,
					      FT_BUNDLE_NONE, NULL, 0, 1, NULL, NULL, NULL, NULL, 0 };
		if (i < nodd) {
			/* the odd ones as every field, funcs and own together */
			t->py_funcs = strdup(odd_texts[i]);
			t->py_own = strdup(odd_texts[(i + 1) % nodd]);
			t->py_lazy = strdup(odd_texts[(i + 2) % nodd]);
		} else {
			t->py_funcs = strdup(funcs);
			t->py_own = strdup("[\"" FT_BUNDLE_TOP_TOKEN "/src/module_0.py\"]");
		}
	}
	a.version = version;
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	assert_int_equal(buf[8], version);
	assert_int_equal(ft_bundle_parse(&b, buf, len, &why), 0);
	assert_int_equal(b.ntests, ntests);
	for (size_t i = 0; i < ntests; i++) {
		assert_string_equal(b.tests[i].py_funcs, a.tests[i].py_funcs);
		assert_string_equal(b.tests[i].py_own, a.tests[i].py_own);
		if (a.tests[i].py_lazy)
			assert_string_equal(b.tests[i].py_lazy, a.tests[i].py_lazy);
		else
			assert_null(b.tests[i].py_lazy);
	}
	/* written again: the same bytes */
	assert_int_equal(ft_bundle_encode(&b, &buf2, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	free(buf2);
	/* as version 2: every text at full length, read back the same */
	a.version = 2;
	assert_int_equal(ft_bundle_encode(&a, &buf2, &len2), 0);
	assert_int_equal(buf2[8], 2);
	if (len * 8 > len2)
		fail_msg("version %u is %zu bytes, version 2 %zu: not shared", version, len, len2);
	assert_int_equal(ft_bundle_parse(&c, buf2, len2, &why), 0);
	assert_int_equal(c.version, 2);
	for (size_t i = 0; i < ntests; i++)
		assert_string_equal(c.tests[i].py_funcs, a.tests[i].py_funcs);
	free(buf);
	free(buf2);
	ft_bundle_release(&a);
	ft_bundle_release(&b);
	ft_bundle_release(&c);
}

static void test_bundle__py_texts_shared(void **state)
{
	(void)state;
	py_texts_shared(3);
	py_texts_shared(4);
}

/* The texts rebuilt from the shared tables are bounded before each is
 * made: a small bundle naming one list many times cannot make more than
 * FT_BUNDLE_PY_MAX bytes. */
static void test_bundle__py_texts_bounded(void **state)
{
	struct ft_bundle_pyread rd = { 0 };
	struct ft_bundle_pylist l;
	uint32_t ids[2] = { 0, 0 }, one = 0;
	struct ft_bundle_pyval obj = { .tag = FT_BUNDLE_PY_OBJ, .n = 1, .ids = ids };
	struct ft_bundle_pyval list = { .tag = FT_BUNDLE_PY_LIST, .n = 1, .ids = &one };
	char *out;

	(void)state;
	rd.strs = calloc(1, sizeof(*rd.strs));
	rd.strs[0] = strdup("k\n");
	rd.nstrs = rd.cstrs = 1;
	l.n = 2;
	l.ids = ids;
	ft__bundle_py_bound(&rd, &l);
	assert_true(l.bound >= strlen("[\"k\\n\",\"k\\n\"]"));
	rd.lists = &l;
	rd.nlists = 1;
	assert_int_equal(ft__bundle_py_text(&rd, &obj, &out), 0);
	assert_string_equal(out, "{\"k\\n\":[\"k\\n\",\"k\\n\"]}");
	free(out);
	assert_int_equal(ft__bundle_py_text(&rd, &list, &out), 0);
	assert_string_equal(out, "[\"k\\n\",\"k\\n\"]");
	free(out);
	assert_int_equal(rd.made, strlen("{\"k\\n\":[\"k\\n\",\"k\\n\"]}[\"k\\n\",\"k\\n\"]"));
	/* near the bound: refused before it is made */
	rd.made = FT_BUNDLE_PY_MAX - 4;
	assert_int_equal(ft__bundle_py_text(&rd, &list, &out), FT_ECORRUPT);
	assert_null(out);
	free(rd.strs[0]);
	free(rd.strs);
}

/* A version-3 bundle made by hand: no meta, paths, sets or runs; the
 * string and list tables given; one test whose three Python texts are
 * `vals` (already encoded); nothing after.  Parsed: its status. */
struct hand { unsigned char b[4096]; size_t n; };

static void h_u32(struct hand *h, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		h->b[h->n++] = (unsigned char)(v >> (8 * i));
}

static void h_str(struct hand *h, const char *s)
{
	h_u32(h, (uint32_t)strlen(s));
	memcpy(h->b + h->n, s, strlen(s));
	h->n += strlen(s);
}

static int hand_parse(const char *const *strs, int nstrs, const uint32_t *lists, int nlists,
		      const struct hand *vals)
{
	struct hand h = { .n = 0 };

	memcpy(h.b, "FTBUNDLE", 8);
	h.n = 8;
	h_u32(&h, 3);
	h_u32(&h, 0);
	h.n += 16;
	for (int i = 0; i < 3; i++)
		h_u32(&h, 0);               /* meta, paths, sets */
	h_u32(&h, (uint32_t)nstrs);
	for (int i = 0; i < nstrs; i++)
		h_str(&h, strs[i]);
	h_u32(&h, (uint32_t)nlists);
	for (int i = 0, k = 0; i < nlists; i++) {
		uint32_t n = lists[k++];
		h_u32(&h, n);
		for (uint32_t j = 0; j < n; j++)
			h_u32(&h, lists[k++]);
	}
	h_u32(&h, 0);                       /* runs */
	h_u32(&h, 1);                       /* one test */
	h_str(&h, "t::x");
	h_u32(&h, FT_BUNDLE_NONE);          /* runner: none */
	h_u32(&h, FT_BUNDLE_NONE);          /* file */
	h_u32(&h, 1);                       /* outcome */
	h.b[h.n++] = 0;                     /* untraced */
	h_u32(&h, FT_BUNDLE_NONE);          /* run */
	h_u32(&h, 0);                       /* sets */
	h.b[h.n++] = 1;                     /* py_complete */
	memcpy(h.b + h.n, vals->b, vals->n);
	h.n += vals->n;
	for (int i = 0; i < 4; i++)
		h_u32(&h, 0);               /* listings, flaky, pyfps, pyconf */
	return ft_test_bundle_check(h.b, h.n, NULL);
}

/* funcs an object {strs[k]: list l}, own a list, lazy none */
static struct hand vals_obj(uint32_t k, uint32_t l, uint32_t own)
{
	struct hand v = { .n = 0 };

	v.b[v.n++] = FT_BUNDLE_PY_OBJ;
	h_u32(&v, 1);
	h_u32(&v, k);
	h_u32(&v, l);
	v.b[v.n++] = FT_BUNDLE_PY_LIST;
	h_u32(&v, own);
	v.b[v.n++] = FT_BUNDLE_PY_NONE;
	return v;
}

/* Only the canonical coding reads: strings and lists numbered by first
 * use, each once, all used, and a text kept whole only when it could not
 * be shared.  Anything else is FT_ECORRUPT (the fuzz target's oracle,
 * that what reads encodes back to its bytes, holds for what is left). */
static void test_bundle__py_texts_canonical(void **state)
{
	/* {"f.py":["a","b"]} and ["f.py"]: key f.py, then a, b, list 0;
	 * own's list 1 is [f.py] */
	const char *strs[] = { "f.py", "a", "b" };
	const uint32_t lists[] = { 2, 1, 2, 1, 0 };
	const char *swapped[] = { "a", "f.py", "b" };
	const uint32_t lists_sw[] = { 2, 0, 2, 1, 1 };
	const char *twice[] = { "f.py", "a", "b", "b" };
	const uint32_t lists_tw[] = { 2, 1, 3, 1, 0 };
	const uint32_t lists_unused[] = { 2, 1, 2, 1, 0, 1, 1 };
	struct hand v = vals_obj(0, 0, 1), raw = { .n = 0 };

	(void)state;
	assert_int_equal(hand_parse(strs, 3, lists, 2, &v), 0);
	/* a key named before it is first used */
	assert_int_equal(hand_parse(swapped, 3, lists_sw, 2, &v), FT_ECORRUPT);
	/* the same string twice (the list names both) */
	assert_int_equal(hand_parse(twice, 4, lists_tw, 2, &v), FT_ECORRUPT);
	/* a list no text names */
	assert_int_equal(hand_parse(strs, 3, lists_unused, 3, &v), FT_ECORRUPT);
	/* a list named before the one first used */
	v = vals_obj(0, 1, 0);
	assert_int_equal(hand_parse(strs, 3, lists, 2, &v), FT_ECORRUPT);
	/* a text kept whole that would be shared; and one that could not */
	raw.b[raw.n++] = FT_BUNDLE_PY_RAW;
	h_str(&raw, "[\"f.py\"]");
	raw.b[raw.n++] = FT_BUNDLE_PY_RAW;
	h_str(&raw, "[]");
	raw.b[raw.n++] = FT_BUNDLE_PY_NONE;
	assert_int_equal(hand_parse(NULL, 0, NULL, 0, &raw), FT_ECORRUPT);
	raw.n = 0;
	raw.b[raw.n++] = FT_BUNDLE_PY_RAW;
	h_str(&raw, "[\"f.py\", \"a\"]");
	raw.b[raw.n++] = FT_BUNDLE_PY_RAW;
	h_str(&raw, "{\"a\":1}");
	raw.b[raw.n++] = FT_BUNDLE_PY_NONE;
	assert_int_equal(hand_parse(NULL, 0, NULL, 0, &raw), 0);
	/* `{}` coded as an object of strings: it is tag 2's (an object of
	 * lists), so a second coding of the same text */
	raw.n = 0;
	raw.b[raw.n++] = FT_BUNDLE_PY_STRS;
	h_u32(&raw, 0);
	raw.b[raw.n++] = FT_BUNDLE_PY_LIST;
	h_u32(&raw, 0);
	raw.b[raw.n++] = FT_BUNDLE_PY_NONE;
	assert_int_equal(hand_parse(strs, 1, lists + 3, 1, &raw), FT_ECORRUPT);
	raw.b[0] = FT_BUNDLE_PY_OBJ;
	assert_int_equal(hand_parse(strs, 1, lists + 3, 1, &raw), 0);
	/* an unknown tag */
	raw.b[0] = 7;
	assert_int_equal(hand_parse(NULL, 0, NULL, 0, &raw), FT_ECORRUPT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle__round_trip),
		cmocka_unit_test(test_bundle__every_prefix_and_flip_refused),
		cmocka_unit_test(test_bundle__indices_checked_behind_a_right_checksum),
		cmocka_unit_test(test_bundle__version_1_reads),
		cmocka_unit_test(test_bundle__py_row_halves_refused),
		cmocka_unit_test(test_bundle__merge_keeps_the_later_recording),
		cmocka_unit_test(test_bundle__json_union),
		cmocka_unit_test(test_bundle__rel_paths),
		cmocka_unit_test(test_bundle__json_swap),
		cmocka_unit_test(test_bundle__read_truncated_says_why),
		cmocka_unit_test(test_bundle__py_texts_shared),
		cmocka_unit_test(test_bundle__py_texts_bounded),
		cmocka_unit_test(test_bundle__py_texts_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
