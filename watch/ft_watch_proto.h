/*
 * ft_watch_proto.h - the wire format between `ftrace affected` (the client,
 * ft_watch_client.c) and the watch daemon (ft_watch_daemon.c), over the
 * Unix socket <state dir>/watch.sock.  One request, one reply, then the
 * daemon closes the connection.
 *
 * Requests, one line each:
 *     ftrace-watch 1 query <dev> <ino> <generation>\n
 *     ftrace-watch 1 status\n
 *     ftrace-watch 1 status json\n      (the same as one JSON object:
 *                                       docs/schema/watch-status.schema.json)
 *     ftrace-watch 1 stop\n
 * <dev> <ino>: decimal, the database file the client opened; <generation>:
 * ft_store_generation's text ([0-9A-Za-z.-], at most FT_WATCH_GEN_MAX-1).
 *
 * Replies, a header line and exactly <bytes> bytes after it:
 *     ftrace-watch 1 ok <n> <bytes>\n   then n paths, each NUL-terminated
 *     ftrace-watch 1 whole <n> <bytes>\n the same, and a promise more
 *                                       (docs/watch.md, "A whole answer"):
 *                                       the n paths are every recorded
 *                                       path that can have changed, every
 *                                       row is one a path or a variable
 *                                       names, and the daemon verified the
 *                                       database's checksums at that
 *                                       generation, with no write since
 *     ftrace-watch 1 fallback <bytes>\n then the reason (one line of text)
 *     ftrace-watch 1 text <bytes>\n     then text (status, its JSON; stop's answer)
 *
 * Both sides treat what they read as hostile: every number is bounded,
 * every byte accounted for, paths must be absolute, shorter than
 * PATH_MAX, strictly increasing (sorted and unique, so the client's
 * binary search is right) and the count must match.  Anything else is
 * FT_EFORMAT, which the client answers by stat'ing every path.
 *
 * Ownership: a parsed reply owns its strings (ft_watch_reply_release).
 * Formatters return a malloc'd buffer.  Errors: FT_EFORMAT, -ENOMEM.
 * No system calls: unit-tested (test_watch_proto.c).
 */
#ifndef FT_WATCH_PROTO_H
#define FT_WATCH_PROTO_H

#include <stddef.h>

#define FT_WATCH_GEN_MAX 96
#define FT_WATCH_REQ_MAX 256                  /* a request line, its '\n' included */
#define FT_WATCH_REPLY_MAX (256u << 20)       /* a reply's body */
#define FT_WATCH_PATHS_MAX 10000000u

enum ft_watch_op { FT_WATCH_QUERY = 1, FT_WATCH_STATUS, FT_WATCH_STOP, FT_WATCH_STATUS_JSON };

struct ft_watch_request {
	enum ft_watch_op op;
	unsigned long long dev, ino;
	char gen[FT_WATCH_GEN_MAX];
};

/* Parse one request line (`len` bytes, the '\n' included). */
int ft_watch_request_parse(const char *buf, size_t len, struct ft_watch_request *out);

/* The request as a line into buf (cap >= FT_WATCH_REQ_MAX): its length,
 * or FT_EFORMAT (a generation that is not of the allowed bytes). */
int ft_watch_request_format(const struct ft_watch_request *rq, char *buf, size_t cap);

enum ft_watch_kind { FT_WATCH_OK = 1, FT_WATCH_FALLBACK, FT_WATCH_TEXT };

struct ft_watch_reply {
	enum ft_watch_kind kind;
	char **paths;             /* OK: sorted, unique (ft_select_dirty's layout) */
	size_t n;
	int whole;                /* OK: the answer was "whole" */
	char *text;               /* FALLBACK, TEXT: NUL-terminated */
};

/* Parse a whole reply (`len` bytes: header and body, nothing after). */
int ft_watch_reply_parse(const char *buf, size_t len, struct ft_watch_reply *out);
void ft_watch_reply_release(struct ft_watch_reply *r);

/* How many bytes a complete reply starting with buf[0..len) has: 0 when
 * the header is not complete yet, FT_EFORMAT when it cannot be a header. */
long long ft_watch_reply_size(const char *buf, size_t len);

/* Format replies into *buf (malloc'd), *len bytes.  `paths` sorted,
 * unique, absolute; `whole` 1 makes it a "whole" answer. */
int ft_watch_reply_ok(char *const *paths, size_t n, int whole, char **buf, size_t *len);
int ft_watch_reply_text(enum ft_watch_kind kind, const char *text, char **buf, size_t *len);

#endif
