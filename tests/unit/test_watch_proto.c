/*
 * test_watch_proto.c - the watch socket's wire format
 * (watch/ft_watch_proto.c), whose parsers read what another process
 * wrote.  A reply that parses wrongly would hand the selection a dirty
 * list with paths missing: every malformed input must be FT_EFORMAT (the
 * client then stats every path), never a shorter list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_watch_proto.h"

static void test_watch_proto__request_round_trip(void **state)
{
	struct ft_watch_request rq = { .op = FT_WATCH_QUERY, .dev = 2049, .ino = 18446744073709551615ull }, back;
	char line[FT_WATCH_REQ_MAX];
	int n;

	(void)state;
	strcpy(rq.gen, "99D50FB9.2.39.39");
	n = ft_watch_request_format(&rq, line, sizeof(line));
	assert_true(n > 0);
	assert_int_equal(ft_watch_request_parse(line, (size_t)n, &back), 0);
	assert_int_equal(back.op, FT_WATCH_QUERY);
	assert_true(back.dev == 2049 && back.ino == rq.ino);
	assert_string_equal(back.gen, rq.gen);
	assert_int_equal(ft_watch_request_parse("ftrace-watch 1 status\n", 22, &back), 0);
	assert_int_equal(back.op, FT_WATCH_STATUS);
	assert_int_equal(ft_watch_request_parse("ftrace-watch 1 stop\n", 20, &back), 0);
	assert_int_equal(back.op, FT_WATCH_STOP);
	rq.op = FT_WATCH_STATUS_JSON;
	n = ft_watch_request_format(&rq, line, sizeof(line));
	assert_int_equal(ft_watch_request_parse(line, (size_t)n, &back), 0);
	assert_int_equal(back.op, FT_WATCH_STATUS_JSON);
}

static void test_watch_proto__hostile_requests(void **state)
{
	static const char *const bad[] = {
		"", "\n", "ftrace-watch 1 status", "ftrace-watch 2 status\n",
		"ftrace-watch 1 statusx\n", "ftrace-watch 1 status\n\n",
		"ftrace-watch 1 status jsonx\n", "ftrace-watch 1 status json \n",
		"ftrace-watch 1 status  json\n",
		"ftrace-watch 1 query 1 2\n", "ftrace-watch 1 query 1 2 \n",
		"ftrace-watch 1 query 1 2 g/en\n", "ftrace-watch 1 query -1 2 g\n",
		"ftrace-watch 1 query 18446744073709551616 2 g\n", /* 2^64 */
		"ftrace-watch 1 query 1  2 g\n", "ftrace-watch 1 query 1 2 g h\n",
		"ftrace-watch 1 query 1 2 g\nftrace-watch 1 stop\n",
	};
	struct ft_watch_request rq;
	char big[400];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ft_watch_request_parse(bad[i], strlen(bad[i]), &rq), FT_EFORMAT);
	/* an embedded NUL */
	assert_int_equal(ft_watch_request_parse("ftrace-watch 1 stop\0\n", 21, &rq), FT_EFORMAT);
	/* a generation too long */
	snprintf(big, sizeof(big), "ftrace-watch 1 query 1 2 %0200d\n", 0);
	assert_int_equal(ft_watch_request_parse(big, strlen(big), &rq), FT_EFORMAT);
}

static void test_watch_proto__reply_round_trip(void **state)
{
	char *paths[] = { "/a", "/a/b", "/b c\nd" };
	struct ft_watch_reply r;
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(ft_watch_reply_ok(paths, 3, 0, &buf, &len), 0);
	assert_int_equal(ft_watch_reply_size(buf, len), (long long)len);
	assert_int_equal(ft_watch_reply_size(buf, 5), 0); /* header not whole yet */
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), 0);
	assert_int_equal(r.kind, FT_WATCH_OK);
	assert_int_equal(r.whole, 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.paths[2], "/b c\nd");
	ft_watch_reply_release(&r);
	/* a reply one byte short or long is not a reply */
	assert_int_equal(ft_watch_reply_parse(buf, len - 1, &r), FT_EFORMAT);
	free(buf);
	assert_int_equal(ft_watch_reply_ok(paths, 0, 0, &buf, &len), 0);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), 0);
	assert_int_equal(r.n, 0);
	ft_watch_reply_release(&r);
	free(buf);
	/* a whole answer: the same paths, and the promise */
	assert_int_equal(ft_watch_reply_ok(paths, 2, 1, &buf, &len), 0);
	assert_memory_equal(buf, "ftrace-watch 1 whole 2 ", 23);
	assert_int_equal(ft_watch_reply_size(buf, len), (long long)len);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), 0);
	assert_int_equal(r.kind, FT_WATCH_OK);
	assert_int_equal(r.whole, 1);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.paths[1], "/a/b");
	ft_watch_reply_release(&r);
	free(buf);
	/* neither a prefix nor another case of the word is one */
	assert_int_equal(ft_watch_reply_parse("ftrace-watch 1 wholeX 0 0\n", 26, &r), FT_EFORMAT);
	assert_int_equal(ft_watch_reply_parse("ftrace-watch 1 Whole 0 0\n", 25, &r), FT_EFORMAT);
	assert_int_equal(ft_watch_reply_text(FT_WATCH_FALLBACK, "overflow", &buf, &len), 0);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), 0);
	assert_int_equal(r.kind, FT_WATCH_FALLBACK);
	assert_string_equal(r.text, "overflow");
	ft_watch_reply_release(&r);
	free(buf);
}

/* Build "ftrace-watch 1 ok N BYTES\n" + body. */
static size_t mk(char *out, size_t n, const char *body, size_t blen)
{
	int h = sprintf(out, "ftrace-watch 1 ok %zu %zu\n", n, blen);

	memcpy(out + h, body, blen);
	return (size_t)h + blen;
}

static void test_watch_proto__hostile_replies(void **state)
{
	struct ft_watch_reply r;
	char buf[512];
	size_t len;

	(void)state;
	/* the count says 3, two paths follow: a path must not go missing */
	len = mk(buf, 3, "/a\0/b\0", 6);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	/* the count says 1, two follow */
	len = mk(buf, 1, "/a\0/b\0", 6);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	/* not sorted: a binary search would miss one */
	len = mk(buf, 2, "/b\0/a\0", 6);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	/* a duplicate */
	len = mk(buf, 2, "/a\0/a\0", 6);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	/* relative, empty, unterminated */
	len = mk(buf, 1, "a\0", 2);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	len = mk(buf, 1, "\0", 1);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	len = mk(buf, 1, "/a", 2);
	assert_int_equal(ft_watch_reply_parse(buf, len, &r), FT_EFORMAT);
	/* huge numbers, signs, junk in the header */
	strcpy(buf, "ftrace-watch 1 ok 99999999999 0\n");
	assert_int_equal(ft_watch_reply_parse(buf, strlen(buf), &r), FT_EFORMAT);
	strcpy(buf, "ftrace-watch 1 ok 0 99999999999999999999\n");
	assert_true(ft_watch_reply_size(buf, strlen(buf)) < 0);
	strcpy(buf, "ftrace-watch 1 ok -1 0\n");
	assert_int_equal(ft_watch_reply_parse(buf, strlen(buf), &r), FT_EFORMAT);
	strcpy(buf, "ftrace-watch 1 okay 0 0\n");
	assert_int_equal(ft_watch_reply_parse(buf, strlen(buf), &r), FT_EFORMAT);
	/* a text reply with a NUL in it */
	memcpy(buf, "ftrace-watch 1 fallback 3\na\0b", 29);
	assert_int_equal(ft_watch_reply_parse(buf, 29, &r), FT_EFORMAT);
	/* a header line that never ends */
	memset(buf, 'x', 200);
	assert_true(ft_watch_reply_size(buf, 200) < 0);
	/* every truncation of a good reply fails */
	{
		char *paths[] = { "/x", "/y/z" }, *good;
		size_t glen;
		assert_int_equal(ft_watch_reply_ok(paths, 2, 0, &good, &glen), 0);
		for (size_t k = 0; k < glen; k++)
			assert_int_equal(ft_watch_reply_parse(good, k, &r), FT_EFORMAT);
		free(good);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_proto__request_round_trip),
		cmocka_unit_test(test_watch_proto__hostile_requests),
		cmocka_unit_test(test_watch_proto__reply_round_trip),
		cmocka_unit_test(test_watch_proto__hostile_replies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
