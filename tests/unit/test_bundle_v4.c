/*
 * test_bundle_v4.c - bundle format 4 (common/ft_bundle.h, ft_bundle_rd.h,
 * ft_bundle_tree.h): its integers, front-coded strings and trees read
 * back, and only their one canonical coding reads (the fuzz target's
 * oracle, that what reads encodes back to its bytes, holds for what is
 * left).  Bundles made by hand, byte by byte, with a right checksum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_bundle.h"
#include "ft_bundle_tree.h"
#include "ft_error.h"

#include "bundle_hand.h"

struct hand { unsigned char b[8192]; size_t n; };

static void h_byte(struct hand *h, unsigned c)
{
	h->b[h->n++] = (unsigned char)c;
}

/* A u32 as version 4 codes it: the shortest LEB128 of x + 1. */
static void h_u(struct hand *h, uint32_t x)
{
	uint64_t v = (uint32_t)(x + 1u);

	do {
		unsigned c = v & 0x7f;
		v >>= 7;
		h_byte(h, v ? c | 0x80 : c);
	} while (v);
}

static void h_bytes(struct hand *h, const char *s, size_t n)
{
	memcpy(h->b + h->n, s, n);
	h->n += n;
}

/* A front-coded table string: shared, then the rest's length (doubled:
 * the string tables' low bit is the hexadecimal flag) and bytes. */
static void h_fstr(struct hand *h, uint32_t shared, const char *rest)
{
	h_u(h, shared);
	h_u(h, (uint32_t)strlen(rest) << 1);
	h_bytes(h, rest, strlen(rest));
}

/* A bundle of one test: `tables` (the pystrs and pylists sections, as
 * given), then the test, whose funcs text is `funcs` (the bytes given)
 * and own the raw text "x", checked (bundle_hand.h).  Its funcs text in
 * *text when asked for. */
static int parse4(const struct hand *tables, const struct hand *funcs, char **text)
{
	struct hand h = { .n = 0 };

	h_bytes(&h, "FTBUNDLE", 8);
	h_byte(&h, 4);
	h.n += 3 + 4 + 16;                      /* version's high bytes, flags, length, sum */
	for (int i = 0; i < 3; i++)
		h_u(&h, 0);                     /* meta, paths, sets */
	h_bytes(&h, (const char *)tables->b, tables->n);
	h_u(&h, 0);                             /* runs */
	h_u(&h, 1);                             /* one test */
	h_u(&h, 0);                             /* its name: shares nothing, 4 bytes */
	h_u(&h, 4);
	h_bytes(&h, "t::x", 4);
	h_u(&h, FT_BUNDLE_NONE);                /* runner */
	h_u(&h, FT_BUNDLE_NONE);                /* file */
	h_u(&h, 1);                             /* outcome */
	h_byte(&h, 0);                          /* untraced */
	h_u(&h, FT_BUNDLE_NONE);                /* run */
	h_u(&h, 0);                             /* sets */
	h_byte(&h, 1);                          /* py_complete */
	h_bytes(&h, (const char *)funcs->b, funcs->n);
	h_byte(&h, 1);                          /* own: raw "x" */
	h_u(&h, 1);
	h_bytes(&h, "x", 1);
	h_byte(&h, 0);                          /* lazy: none */
	for (int i = 0; i < 4; i++)
		h_u(&h, 0);                     /* listings, flaky, pyfps, pyconf */
	return ft_test_bundle_check(h.b, h.n, text);
}

/* The tables: strings given as (shared, rest) pairs, hex ones by their
 * bytes; lists as counts then members. */
static struct hand tables(int nstrs, const char *const *strs, const uint32_t *shared, int nlists,
			  const uint32_t *lists)
{
	struct hand t = { .n = 0 };

	h_u(&t, (uint32_t)nstrs);
	for (int i = 0; i < nstrs; i++)
		h_fstr(&t, shared ? shared[i] : 0, strs[i]);
	h_u(&t, (uint32_t)nlists);
	for (int i = 0, k = 0; i < nlists; i++) {
		uint32_t n = lists[k++];
		h_u(&t, n);
		for (uint32_t j = 0; j < n; j++)
			h_u(&t, lists[k++]);
	}
	return t;
}

/* {"f.py":["a","b"],"n":-7} as a tree: key f.py, list 0 of a, b; key n,
 * an integer. */
static struct hand tree_obj(void)
{
	struct hand v = { .n = 0 };

	h_byte(&v, 2 + 7);
	h_u(&v, 2);
	h_u(&v, 0);
	h_byte(&v, 5);
	h_u(&v, 0);
	h_u(&v, 3);
	h_byte(&v, 3);
	h_u(&v, 13);                            /* zigzag(-7) */
	return v;
}

static void test_bundle_v4__a_tree_reads_back(void **state)
{
	const char *strs[] = { "f.py", "a", "b", "n" };
	const uint32_t lists[] = { 2, 1, 2 };
	struct hand t = tables(4, strs, NULL, 1, lists), v = tree_obj();
	char *text = NULL;

	(void)state;
	assert_int_equal(parse4(&t, &v, &text), 0);
	assert_string_equal(text, "{\"f.py\":[\"a\",\"b\"],\"n\":-7}");
	free(text);
}

/* Integers: the one shortest form of each value, at most 32 bits. */
static void test_bundle_v4__integers_canonical(void **state)
{
	const char *strs[] = { "f.py", "a", "b", "n" };
	const uint32_t lists[] = { 2, 1, 2 };
	struct hand t = tables(4, strs, NULL, 1, lists), v = tree_obj(), bad;

	(void)state;
	/* the integer 13 (zigzag -7) padded: 0x8e 0x00 */
	bad = v;
	bad.b[bad.n - 1] = 0x8e;
	h_byte(&bad, 0x00);
	assert_int_equal(parse4(&t, &bad, NULL), FT_ECORRUPT);
	/* more than 32 bits: 0xff x4, 0x1f */
	bad = v;
	bad.n--;
	h_bytes(&bad, "\xff\xff\xff\xff\x1f", 5);
	assert_int_equal(parse4(&t, &bad, NULL), FT_ECORRUPT);
	/* six bytes */
	bad = v;
	bad.n--;
	h_bytes(&bad, "\x80\x80\x80\x80\x80\x01", 6);
	assert_int_equal(parse4(&t, &bad, NULL), FT_ECORRUPT);
	/* the extremes of an int32 read back */
	bad = v;
	bad.n--;
	h_byte(&bad, 0x00);                     /* (2^32 - 1) + 1: zigzag INT32_MIN */
	{
		char *text = NULL;
		assert_int_equal(parse4(&t, &bad, &text), 0);
		assert_string_equal(text, "{\"f.py\":[\"a\",\"b\"],\"n\":-2147483648}");
		free(text);
	}
}

/* Front coding: the whole common prefix, never more than the string
 * before has; a digest always as its bytes. */
static void test_bundle_v4__strings_canonical(void **state)
{
	const char *strs[] = { "f.py", "a", "b", "n" };
	const uint32_t lists[] = { 2, 1, 2 };
	struct hand v = tree_obj(), t;
	/* "f.py", "a", "b", "n" with "b" coded as sharing one byte of "a" */
	const uint32_t too_much[] = { 0, 0, 2, 0 };
	const char *prefix[] = { "f.py", "f.pa", "f.pb", "n" };
	const uint32_t shared[] = { 0, 3, 3, 0 };
	const uint32_t unshared[] = { 0, 0, 3, 0 };
	char *text = NULL;

	(void)state;
	t = tables(4, strs, too_much, 1, lists);
	assert_int_equal(parse4(&t, &v, NULL), FT_ECORRUPT);
	/* "f.py", then "f.pa" sharing "f.p": read as such */
	t = tables(4, (const char *const[]){ "f.py", "a", "b", "n" }, NULL, 1, lists);
	assert_int_equal(parse4(&t, &v, NULL), 0);
	{
		/* the list's strings are "f.pa" and "f.pb": stored "a" and "b"
		 * after three shared bytes */
		struct hand u = tables(4, (const char *const[]){ "f.py", "a", "b", "n" }, shared, 1,
				       lists);
		assert_int_equal(parse4(&u, &v, &text), 0);
		assert_string_equal(text, "{\"f.py\":[\"f.pa\",\"f.pb\"],\"n\":-7}");
		free(text);
	}
	/* "f.pa" written whole after "f.py": not the whole common prefix */
	t = tables(4, prefix, unshared, 1, lists);
	assert_int_equal(parse4(&t, &v, NULL), FT_ECORRUPT);
	/* a digest written as text */
	t = tables(4, (const char *const[]){ "f.py", "0a", "b", "n" }, NULL, 1, lists);
	assert_int_equal(parse4(&t, &v, NULL), FT_ECORRUPT);
	/* ... and as its byte: "0a" */
	t.n = 0;
	h_u(&t, 4);
	h_fstr(&t, 0, "f.py");
	h_u(&t, 0);
	h_u(&t, 1 << 1 | 1);
	h_byte(&t, 0x0a);
	h_fstr(&t, 0, "b");
	h_fstr(&t, 0, "n");
	h_u(&t, 1);
	h_u(&t, 2);
	h_u(&t, 1);
	h_u(&t, 2);
	assert_int_equal(parse4(&t, &v, &text), 0);
	assert_string_equal(text, "{\"f.py\":[\"0a\",\"b\"],\"n\":-7}");
	free(text);
	/* a digest may not share: the same with shared 1 */
	t.b[7] = 0x02;                          /* the digest's shared: 1 */
	assert_int_equal(parse4(&t, &v, NULL), FT_ECORRUPT);
}

/* Trees: an array of strings only as a list, kinds known, nesting bounded,
 * a whole text only when no tree codes it. */
static void test_bundle_v4__trees_canonical(void **state)
{
	const char *strs[] = { "f.py", "a", "b", "n" };
	const uint32_t lists[] = { 2, 1, 2 };
	struct hand t = tables(4, strs, NULL, 1, lists), v;
	struct hand one = tables(1, (const char *const[]){ "a" }, NULL, 1, (const uint32_t[]){ 0 });
	char *text = NULL;

	(void)state;
	/* ["a"] as an array of one string node, not a list */
	struct hand s1 = tables(1, (const char *const[]){ "a" }, NULL, 0, NULL);
	v.n = 0;
	h_byte(&v, 2 + 6);
	h_u(&v, 1);
	h_byte(&v, 4);
	h_u(&v, 0);
	assert_int_equal(parse4(&s1, &v, NULL), FT_ECORRUPT);
	/* [] as an empty array node */
	struct hand none = tables(0, NULL, NULL, 0, NULL);
	v.n = 0;
	h_byte(&v, 2 + 6);
	h_u(&v, 0);
	assert_int_equal(parse4(&none, &v, NULL), FT_ECORRUPT);
	/* [] as the empty list: read */
	v.n = 0;
	h_byte(&v, 2 + 5);
	h_u(&v, 0);
	assert_int_equal(parse4(&one, &v, &text), FT_ECORRUPT);  /* "a" unused */
	struct hand empty = tables(0, NULL, NULL, 1, (const uint32_t[]){ 0 });
	assert_int_equal(parse4(&empty, &v, &text), 0);
	assert_string_equal(text, "[]");
	free(text);
	/* an unknown kind */
	v.n = 0;
	h_byte(&v, 2 + 8);
	assert_int_equal(parse4(&none, &v, NULL), FT_ECORRUPT);
	/* a text kept whole that a tree codes: "[]", and one none does */
	v.n = 0;
	h_byte(&v, 1);
	h_u(&v, 2);
	h_bytes(&v, "[]", 2);
	assert_int_equal(parse4(&none, &v, NULL), FT_ECORRUPT);
	v.n = 0;
	h_byte(&v, 1);
	h_u(&v, 5);
	h_bytes(&v, "[1.5]", 5);
	assert_int_equal(parse4(&none, &v, &text), 0);
	assert_string_equal(text, "[1.5]");
	free(text);
	/* nesting: 63 arrays around the empty list (64 deep) read, 64 do not */
	for (int depth = 63; depth <= 64; depth++) {
		v.n = 0;
		for (int i = 0; i < depth; i++) {
			h_byte(&v, i ? 6 : 2 + 6);
			h_u(&v, 1);
		}
		h_byte(&v, 5);
		h_u(&v, 0);
		assert_int_equal(parse4(&empty, &v, NULL), depth == 63 ? 0 : FT_ECORRUPT);
	}
	/* an object's key named out of first-use order */
	v = tree_obj();
	v.b[2] = 0x04;                          /* the first key: "n" (3) */
	assert_int_equal(parse4(&t, &v, NULL), FT_ECORRUPT);
}

/* What the writer makes of texts of every kind reads back, byte for
 * byte, and the digests in them take half their length. */
static void test_bundle_v4__writer_round_trip(void **state)
{
	const char *texts[] = {
		"{\"refs\":{\"f\":[\"a\"]},\"stmts\":[[\"0123456789abcdef0123456789abcdef\",\"other\",[],"
		"[\"x\"]],[\"fedcba9876543210fedcba9876543210\",\"import:t\",[\"t\"],[]]]}",
		"[true,false,null,0,-1,2147483647]",
		"{\"a\":{\"b\":{\"c\":[]}}}",
		"[\"Ab\",\"ab\",\"abc\",\"\"]",
	};
	struct ft_bundle a = { 0 }, b;
	struct ft_err why;
	unsigned char *buf;
	size_t len;

	(void)state;
	a.tests = calloc(4, sizeof(*a.tests));
	a.ntests = a.ctests = 4;
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof(name), "tests/test_x.py::test_%d", i);
		a.tests[i] = (struct ft_bundle_test){ .name = strdup(name), .file = FT_BUNDLE_NONE,
						      .run = FT_BUNDLE_NONE, .outcome = 1,
						      .py_funcs = strdup(texts[i]),
						      .py_own = strdup("[]") };
		assert_true(ft__bundle_tree_codable(texts[i]));
	}
	a.version = 4; /* the current version codes these fields as 4 does */
	assert_int_equal(ft_bundle_encode(&a, &buf, &len), 0);
	assert_int_equal(buf[8], 4);
	/* both digests as 16 bytes: "0123..." never appears as text */
	assert_null(memmem(buf, len, "0123456789abcdef", 16));
	assert_int_equal(ft_bundle_parse(&b, buf, len, &why), 0);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(b.tests[i].name, a.tests[i].name);
		assert_string_equal(b.tests[i].py_funcs, texts[i]);
		assert_string_equal(b.tests[i].py_own, "[]");
	}
	free(buf);
	ft_bundle_release(&a);
	ft_bundle_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle_v4__a_tree_reads_back),
		cmocka_unit_test(test_bundle_v4__integers_canonical),
		cmocka_unit_test(test_bundle_v4__strings_canonical),
		cmocka_unit_test(test_bundle_v4__trees_canonical),
		cmocka_unit_test(test_bundle_v4__writer_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
