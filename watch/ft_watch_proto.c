/*
 * ft_watch_proto.c - the watch socket's wire format (contract in
 * ft_watch_proto.h).  Every parser here reads bytes another process
 * wrote: nothing is trusted, nothing is read past `len`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_watch_proto.h"

#define MAGIC "ftrace-watch 1 "

/* A decimal number of at most 20 digits at *p, bounded by `max`; *p moves
 * past it.  0 or FT_EFORMAT. */
static int num(const char **p, const char *end, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return FT_EFORMAT;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (s - *p >= 20 || d > max || v > (max - d) / 10)
			return FT_EFORMAT;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

static int gen_ok(const char *g, size_t n)
{
	if (!n || n >= FT_WATCH_GEN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = g[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static int word(const char **p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *p) < n || memcmp(*p, w, n))
		return 0;
	*p += n;
	return 1;
}

int ft_watch_request_parse(const char *buf, size_t len, struct ft_watch_request *out)
{
	const char *p = buf, *end;

	memset(out, 0, sizeof(*out));
	if (len < 2 || len > FT_WATCH_REQ_MAX || buf[len - 1] != '\n' || memchr(buf, '\n', len - 1))
		return FT_EFORMAT;
	end = buf + len - 1;
	if (!word(&p, end, MAGIC))
		return FT_EFORMAT;
	if (word(&p, end, "status json"))
		out->op = FT_WATCH_STATUS_JSON;
	else if (word(&p, end, "status"))
		out->op = FT_WATCH_STATUS;
	else if (word(&p, end, "stop"))
		out->op = FT_WATCH_STOP;
	else if (word(&p, end, "query ")) {
		if (num(&p, end, ULLONG_MAX, &out->dev) < 0 || !word(&p, end, " ") ||
		    num(&p, end, ULLONG_MAX, &out->ino) < 0 || !word(&p, end, " ") ||
		    !gen_ok(p, (size_t)(end - p)))
			return FT_EFORMAT;
		memcpy(out->gen, p, (size_t)(end - p));
		out->gen[end - p] = '\0';
		out->op = FT_WATCH_QUERY;
		p = end;
	} else
		return FT_EFORMAT;
	return p == end ? 0 : FT_EFORMAT;
}

int ft_watch_request_format(const struct ft_watch_request *rq, char *buf, size_t cap)
{
	int n;

	switch (rq->op) {
	case FT_WATCH_STATUS:
		n = snprintf(buf, cap, MAGIC "status\n");
		break;
	case FT_WATCH_STATUS_JSON:
		n = snprintf(buf, cap, MAGIC "status json\n");
		break;
	case FT_WATCH_STOP:
		n = snprintf(buf, cap, MAGIC "stop\n");
		break;
	case FT_WATCH_QUERY:
		if (!gen_ok(rq->gen, strlen(rq->gen)))
			return FT_EFORMAT;
		n = snprintf(buf, cap, MAGIC "query %llu %llu %s\n", rq->dev, rq->ino, rq->gen);
		break;
	default:
		return FT_EFORMAT;
	}
	return n < 0 || (size_t)n >= cap ? FT_EFORMAT : n;
}

void ft_watch_reply_release(struct ft_watch_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* The header: kind, count (ok), body size, and where the body starts. */
static int header(const char *buf, size_t len, enum ft_watch_kind *kind, int *whole,
		  unsigned long long *n, unsigned long long *bytes, size_t *body)
{
	const char *nl = memchr(buf, '\n', len < 128 ? len : 128), *p = buf;

	if (!nl)
		return len < 128 ? 0 : FT_EFORMAT;
	if (!word(&p, nl, MAGIC))
		return FT_EFORMAT;
	*n = 0;
	*whole = 0;
	if (word(&p, nl, "ok ") || (*whole = word(&p, nl, "whole "))) {
		*kind = FT_WATCH_OK;
		if (num(&p, nl, FT_WATCH_PATHS_MAX, n) < 0 || !word(&p, nl, " "))
			return FT_EFORMAT;
	} else if (word(&p, nl, "fallback ")) {
		*kind = FT_WATCH_FALLBACK;
	} else if (word(&p, nl, "text ")) {
		*kind = FT_WATCH_TEXT;
	} else
		return FT_EFORMAT;
	if (num(&p, nl, FT_WATCH_REPLY_MAX, bytes) < 0 || p != nl)
		return FT_EFORMAT;
	*body = (size_t)(nl - buf) + 1;
	return 1;
}

long long ft_watch_reply_size(const char *buf, size_t len)
{
	enum ft_watch_kind kind;
	unsigned long long n, bytes;
	size_t body;
	int whole, rc = header(buf, len, &kind, &whole, &n, &bytes, &body);

	return rc <= 0 ? rc : (long long)(body + bytes);
}

static int parse_paths(const char *b, size_t len, size_t n, struct ft_watch_reply *out)
{
	size_t off = 0;

	if (!(out->paths = calloc(n ? n : 1, sizeof(char *))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *z = off < len ? memchr(b + off, '\0', len - off) : NULL;
		size_t plen;
		if (!z)
			return FT_EFORMAT;
		plen = (size_t)(z - (b + off));
		if (plen == 0 || plen >= PATH_MAX || b[off] != '/')
			return FT_EFORMAT;
		if (i && strcmp(out->paths[i - 1], b + off) >= 0)
			return FT_EFORMAT; /* not sorted, or a duplicate */
		if (!(out->paths[i] = malloc(plen + 1)))
			return -ENOMEM;
		memcpy(out->paths[i], b + off, plen + 1);
		out->n = i + 1;
		off += plen + 1;
	}
	return off == len ? 0 : FT_EFORMAT;
}

int ft_watch_reply_parse(const char *buf, size_t len, struct ft_watch_reply *out)
{
	unsigned long long n, bytes;
	size_t body;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = header(buf, len, &out->kind, &out->whole, &n, &bytes, &body)) <= 0)
		return FT_EFORMAT;
	if (len - body != bytes)
		return FT_EFORMAT;
	if (out->kind == FT_WATCH_OK)
		rc = parse_paths(buf + body, (size_t)bytes, (size_t)n, out);
	else if (memchr(buf + body, '\0', (size_t)bytes))
		rc = FT_EFORMAT;
	else if (!(out->text = malloc((size_t)bytes + 1)))
		rc = -ENOMEM;
	else {
		memcpy(out->text, buf + body, (size_t)bytes);
		out->text[bytes] = '\0';
		rc = 0;
	}
	if (rc < 0)
		ft_watch_reply_release(out);
	return rc;
}

int ft_watch_reply_ok(char *const *paths, size_t n, int whole, char **buf, size_t *len)
{
	size_t bytes = 0, off;
	char head[96];
	int h;

	for (size_t i = 0; i < n; i++)
		bytes += strlen(paths[i]) + 1;
	if (n > FT_WATCH_PATHS_MAX || bytes > FT_WATCH_REPLY_MAX)
		return FT_EFORMAT;
	h = snprintf(head, sizeof(head), MAGIC "%s %zu %zu\n", whole ? "whole" : "ok", n, bytes);
	if (!(*buf = malloc((size_t)h + bytes)))
		return -ENOMEM;
	memcpy(*buf, head, (size_t)h);
	off = (size_t)h;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(paths[i]) + 1;
		memcpy(*buf + off, paths[i], l);
		off += l;
	}
	*len = off;
	return 0;
}

int ft_watch_reply_text(enum ft_watch_kind kind, const char *text, char **buf, size_t *len)
{
	size_t bytes = strlen(text);
	char head[96];
	int h;

	if (kind == FT_WATCH_OK || bytes > FT_WATCH_REPLY_MAX)
		return FT_EFORMAT;
	h = snprintf(head, sizeof(head), MAGIC "%s %zu\n", kind == FT_WATCH_FALLBACK ? "fallback" : "text",
		     bytes);
	if (!(*buf = malloc((size_t)h + bytes + 1)))
		return -ENOMEM;
	memcpy(*buf, head, (size_t)h);
	memcpy(*buf + h, text, bytes);
	*len = (size_t)h + bytes;
	return 0;
}
