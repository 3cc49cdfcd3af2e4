/*
 * fuzz_watchproto.c - the watch daemon's wire format (watch/ft_watch_proto.h)
 * as both sides read it: the client parses the daemon's reply, the daemon
 * the client's request.  Either side may be hostile.
 *
 * The first byte chooses the side (even: a reply, odd: a request); the
 * rest is the bytes read.  Checks, beyond the sanitizers:
 *  - a reply that parses as "ok" or "whole" holds exactly its count of
 *    paths, each absolute, shorter than PATH_MAX, strictly increasing
 *    (the client's binary search relies on it), and formats back to the
 *    very bytes it came from (so there is one reading of each answer);
 *  - ft_watch_reply_size agrees with the parse: the whole input's length
 *    for a reply that parses;
 *  - a request that parses formats back to a line that parses the same.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ft_watch_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reply(const char *buf, size_t len)
{
	struct ft_watch_reply r;
	char *again;
	size_t alen;

	if (ft_watch_reply_parse(buf, len, &r) != 0)
		return;
	if (ft_watch_reply_size(buf, len) != (long long)len)
		abort();
	if (r.kind == FT_WATCH_OK) {
		for (size_t i = 0; i < r.n; i++) {
			size_t l = strlen(r.paths[i]);
			if (r.paths[i][0] != '/' || l == 0 || l >= PATH_MAX)
				abort();
			if (i && strcmp(r.paths[i - 1], r.paths[i]) >= 0)
				abort();
		}
		if (ft_watch_reply_ok(r.paths, r.n, r.whole, &again, &alen) != 0)
			abort();
	} else {
		if (!r.text || ft_watch_reply_text(r.kind, r.text, &again, &alen) != 0)
			abort();
	}
	/* the one reading: formatted back, the same bytes (a number written
	 * with leading zeros is the one input that may differ: compare what
	 * the two parses hold instead) */
	if (alen != len || memcmp(again, buf, len)) {
		struct ft_watch_reply r2;
		if (ft_watch_reply_parse(again, alen, &r2) != 0 || r2.kind != r.kind || r2.n != r.n ||
		    r2.whole != r.whole)
			abort();
		for (size_t i = 0; i < r.n; i++)
			if (strcmp(r.paths[i], r2.paths[i]))
				abort();
		if ((r.text || r2.text) && (!r.text || !r2.text || strcmp(r.text, r2.text)))
			abort();
		ft_watch_reply_release(&r2);
	}
	free(again);
	ft_watch_reply_release(&r);
}

static void check_request(const char *buf, size_t len)
{
	struct ft_watch_request rq, rq2;
	char line[FT_WATCH_REQ_MAX];
	int n;

	if (ft_watch_request_parse(buf, len, &rq) != 0)
		return;
	if ((n = ft_watch_request_format(&rq, line, sizeof(line))) < 0)
		abort();
	if (ft_watch_request_parse(line, (size_t)n, &rq2) != 0 || rq2.op != rq.op)
		abort();
	if (rq.op == FT_WATCH_QUERY &&
	    (rq2.dev != rq.dev || rq2.ino != rq.ino || strcmp(rq2.gen, rq.gen)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;

	if (size < 1)
		return 0;
	/* a copy of exactly the bytes: an overread is ASan's to see */
	if (!(buf = malloc(size - 1 ? size - 1 : 1)))
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1)
		check_request(buf, size - 1);
	else
		check_reply(buf, size - 1);
	free(buf);
	return 0;
}
