/*
 * ft_junit.c - a bounded, non-recursive JUnit XML reader (ft_junit.h).
 *
 * One pass over the buffer: markup is a PI (<?...?>), a comment, CDATA,
 * an end tag or a start tag; anything between is text, entity-checked and
 * otherwise ignored.  Open elements live on a fixed stack (name slice and
 * kind), so a deeply nested or endless file costs no recursion and is
 * refused past FT_JUNIT_MAX_DEPTH.  Strict where being lax could hand out
 * a wrong value: `<testcase time="1e400">` or `&#0;` refuses the whole
 * report, never a guess.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_junit.h"
#include "ft_record.h"

enum kind { K_OTHER, K_SUITES, K_SUITE, K_CASE, K_RESULT, K_RETRY };

struct elem {
	const char *name;
	size_t len;
	enum kind kind;
};

struct px {
	const char *b;
	size_t len, i;
	char *why;
	size_t cap;
	struct elem st[FT_JUNIT_MAX_DEPTH];
	int depth, had_root;
	char *suite;              /* the open testsuite's name */
	struct ft_junit_case cur; /* the open testcase */
	struct ft_junit *j;
};

/* the attributes an element may carry that the reader uses */
struct attrs {
	const char *name, *classname, *time; /* raw (undecoded) values, or NULL */
	size_t name_len, classname_len, time_len;
};

static int fail(struct px *p, const char *fmt, ...)
{
	size_t line = 1;
	va_list ap;
	int off;

	for (size_t k = 0; k < p->i && k < p->len; k++)
		line += p->b[k] == '\n';
	off = snprintf(p->why, p->cap, "line %zu: ", line);
	if (off >= 0 && (size_t)off < p->cap) {
		va_start(ap, fmt);
		vsnprintf(p->why + off, p->cap - (size_t)off, fmt, ap);
		va_end(ap);
	}
	return FT_EFORMAT;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int name_char(unsigned char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       c >= 0x80 || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

/* Decode one reference at s[0] == '&' within s[0..n): its length through
 * ';' (0: malformed), and its code point in *cp. */
static size_t entity(const char *s, size_t n, unsigned long *cp)
{
	static const struct { const char *name; char c; } named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	size_t k = 1;
	int hex;

	for (size_t e = 0; e < sizeof(named) / sizeof(named[0]); e++) {
		size_t l = strlen(named[e].name);
		if (n >= 1 + l && !memcmp(s + 1, named[e].name, l)) {
			*cp = (unsigned char)named[e].c;
			return 1 + l;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	hex = s[2] == 'x';
	k = hex ? 3 : 2;
	*cp = 0;
	for (size_t start = k; k < n && s[k] != ';'; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : !hex ? -1 : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0 || k - start > 8)
			return 0;
		*cp = *cp * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (k >= n || k == (size_t)(hex ? 3 : 2))
		return 0;
	/* XML's Char: no NUL, no surrogate, nothing past U+10FFFF */
	if (*cp == 0 || (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF ||
	    *cp == 0xFFFE || *cp == 0xFFFF)
		return 0;
	return k + 1;
}

static size_t utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Check (out NULL) or decode s[0..n) into a malloc'd string (*out).  A
 * reference never decodes to more bytes than it takes (&#x10FFFF; is 10
 * bytes for 4), so n + 1 bytes always suffice. */
static int decode(struct px *p, const char *s, size_t n, char **out)
{
	char *d = NULL;
	size_t o = 0;

	if (out && !(d = malloc(n + 1)))
		return -ENOMEM;
	for (size_t k = 0; k < n;) {
		unsigned long cp;
		size_t l;

		if (s[k] == '\0' || s[k] == '<') {
			free(d);
			return fail(p, s[k] ? "'<' in a value" : "a NUL byte");
		}
		if (s[k] != '&') {
			if (d)
				d[o++] = s[k];
			k++;
			continue;
		}
		if (!(l = entity(s + k, n - k, &cp))) {
			free(d);
			return fail(p, "a malformed or unknown entity reference");
		}
		if (d)
			o += utf8(cp, d + o);
		k += l;
	}
	if (d) {
		d[o] = '\0';
		*out = d;
	}
	return 0;
}

/* "SECONDS[.FRACTION]" (at most 9 fraction digits), below 1e9 s, in ns */
static int parse_time(struct px *p, const char *s, size_t n, int64_t *ns)
{
	int64_t secs = 0, frac = 0;
	size_t k = 0, digits = 0;

	for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
		if (++digits > 9)
			return fail(p, "a testcase time of 1e9 seconds or more");
		secs = secs * 10 + (s[k] - '0');
	}
	if (!digits)
		return fail(p, "a testcase time that is not a number of seconds");
	if (k < n && s[k] == '.') {
		size_t f = 0;
		for (k++; k < n && s[k] >= '0' && s[k] <= '9'; k++, f++)
			if (f < 9)
				frac = frac * 10 + (s[k] - '0');
			else if (f >= 64)
				return fail(p, "a testcase time with too many digits");
		if (!f)
			return fail(p, "a testcase time that is not a number of seconds");
		for (; f < 9; f++)
			frac *= 10;
	}
	if (k != n)
		return fail(p, "a testcase time that is not a number of seconds");
	*ns = secs * 1000000000 + frac;
	return 0;
}

static enum kind kind_of(const char *name, size_t len, enum kind parent, int depth)
{
	static const struct { const char *name; enum kind kind, parent; } tab[] = {
		{ "testsuites", K_SUITES, K_OTHER }, { "testsuite", K_SUITE, K_SUITES },
		{ "testcase", K_CASE, K_SUITE }, { "failure", K_RESULT, K_CASE },
		{ "error", K_RESULT, K_CASE }, { "skipped", K_RESULT, K_CASE },
		{ "flakyFailure", K_RETRY, K_CASE }, { "flakyError", K_RETRY, K_CASE },
		{ "rerunFailure", K_RETRY, K_CASE }, { "rerunError", K_RETRY, K_CASE },
	};
	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++)
		if (strlen(tab[k].name) == len && !memcmp(tab[k].name, name, len)) {
			if (tab[k].kind == K_SUITES)
				return depth == 0 ? K_SUITES : K_OTHER;
			if (tab[k].kind == K_SUITE && depth == 0)
				return K_SUITE;
			return parent == tab[k].parent ? tab[k].kind : K_OTHER;
		}
	return K_OTHER;
}

static int add_case(struct px *p)
{
	struct ft_junit *j = p->j;

	if (j->n == j->cap) {
		size_t nc = j->cap ? 2 * j->cap : 64;
		void *nv = realloc(j->v, nc * sizeof(*j->v));
		if (!nv)
			return -ENOMEM;
		j->v = nv;
		j->cap = nc;
	}
	j->v[j->n++] = p->cur;
	memset(&p->cur, 0, sizeof(p->cur));
	return 0;
}

/* Element `name` of kind k opened with attributes a. */
static int open_elem(struct px *p, enum kind k, const struct attrs *a, const char *name)
{
	int rc = 0;

	if (k == K_SUITE) {
		free(p->suite);
		p->suite = NULL;
		return a->name ? decode(p, a->name, a->name_len, &p->suite) : 0;
	}
	if (k == K_CASE) {
		char *n = NULL, *cls = NULL;
		if (!a->name)
			return fail(p, "a testcase without a name");
		if ((rc = decode(p, a->name, a->name_len, &n)) < 0)
			return rc;
		if (a->classname)
			rc = decode(p, a->classname, a->classname_len, &cls);
		if (rc >= 0 && asprintf(&p->cur.id, "%s %s", cls ? cls : p->suite ? p->suite : "", n) < 0) {
			p->cur.id = NULL;
			rc = -ENOMEM;
		}
		free(n);
		free(cls);
		p->cur.ns = -1;
		p->cur.outcome = FT_OUTCOME_PASSED;
		if (rc >= 0 && a->time)
			rc = parse_time(p, a->time, a->time_len, &p->cur.ns);
		return rc;
	}
	if (k == K_RESULT) {
		/* the worst one counts: error, then failure, then skipped */
		int o = name[0] == 'e' ? FT_OUTCOME_ERROR : name[0] == 'f' ? FT_OUTCOME_FAILED
			: FT_OUTCOME_SKIPPED;
		int rank_o = o == FT_OUTCOME_ERROR ? 3 : o == FT_OUTCOME_FAILED ? 2 : 1;
		int cur = p->cur.outcome, rank_c = cur == FT_OUTCOME_ERROR ? 3 : cur == FT_OUTCOME_FAILED ? 2
			: cur == FT_OUTCOME_SKIPPED ? 1 : 0;
		if (rank_o > rank_c)
			p->cur.outcome = o;
		return 0;
	}
	if (k == K_RETRY && a->time) {
		int64_t ns;
		if ((rc = parse_time(p, a->time, a->time_len, &ns)) < 0)
			return rc;
		/* a sum of at most len/10 times below 1e18 ns each: a file
		 * of 92 GB would be needed to overflow, still checked */
		if (p->cur.ns < 0)
			p->cur.ns = 0;
		if (p->cur.ns > INT64_MAX - ns)
			return fail(p, "retry times that overflow");
		p->cur.ns += ns;
	}
	return 0;
}

static int close_elem(struct px *p, enum kind k)
{
	if (k == K_CASE)
		return add_case(p);
	return 0;
}

/* index of `pat` at or after p->i, or p->len */
static size_t find(const struct px *p, const char *pat)
{
	size_t l = strlen(pat);

	for (size_t k = p->i; k + l <= p->len; k++)
		if (p->b[k] == pat[0] && !memcmp(p->b + k, pat, l))
			return k;
	return p->len;
}

static int skip_to(struct px *p, const char *end, const char *what)
{
	size_t k = find(p, end);

	if (k == p->len)
		return fail(p, "an unterminated %s", what);
	for (size_t c = p->i; c < k; c++)
		if (!p->b[c])
			return fail(p, "a NUL byte");
	p->i = k + strlen(end);
	return 0;
}

static size_t scan_name(const struct px *p, size_t k)
{
	size_t s = k;

	while (k < p->len && name_char((unsigned char)p->b[k], k == s))
		k++;
	return k - s;
}

static void skip_space(struct px *p)
{
	while (p->i < p->len && is_space(p->b[p->i]))
		p->i++;
}

static int end_tag(struct px *p)
{
	size_t nl;
	struct elem *e;
	int rc;

	p->i += 2;
	nl = scan_name(p, p->i);
	if (!nl)
		return fail(p, "an end tag without a name");
	if (!p->depth)
		return fail(p, "an end tag with no element open");
	e = &p->st[p->depth - 1];
	if (e->len != nl || memcmp(e->name, p->b + p->i, nl))
		return fail(p, "</%.*s> closes <%.*s>", (int)(nl > 64 ? 64 : nl), p->b + p->i,
			    (int)(e->len > 64 ? 64 : e->len), e->name);
	p->i += nl;
	skip_space(p);
	if (p->i >= p->len || p->b[p->i] != '>')
		return fail(p, "a malformed end tag");
	p->i++;
	p->depth--;
	if ((rc = close_elem(p, e->kind)) < 0)
		return rc;
	return 0;
}

/* one attribute at p->i: name = "value" */
static int attribute(struct px *p, struct attrs *a, const char **seen, size_t *seen_len,
		     size_t *nseen)
{
	size_t nl = scan_name(p, p->i), vs, ve;
	const char *an = p->b + p->i;
	char q;
	int rc;

	if (!nl)
		return fail(p, "a malformed attribute");
	for (size_t s = 0; s < *nseen; s++)
		if (seen_len[s] == nl && !memcmp(seen[s], an, nl))
			return fail(p, "an attribute given twice");
	if (*nseen == 64)
		return fail(p, "more than 64 attributes");
	seen[*nseen] = an;
	seen_len[(*nseen)++] = nl;
	p->i += nl;
	skip_space(p);
	if (p->i >= p->len || p->b[p->i] != '=')
		return fail(p, "an attribute without a value");
	p->i++;
	skip_space(p);
	if (p->i >= p->len || (p->b[p->i] != '"' && p->b[p->i] != '\''))
		return fail(p, "an unquoted attribute value");
	q = p->b[p->i++];
	vs = p->i;
	ve = vs;
	while (ve < p->len && p->b[ve] != q)
		ve++;
	if (ve >= p->len)
		return fail(p, "an unterminated attribute value");
	if ((rc = decode(p, p->b + vs, ve - vs, NULL)) < 0)
		return rc;
	p->i = ve + 1;
#define ATTR(field) \
	if (nl == strlen(#field) && !memcmp(an, #field, nl)) { \
		a->field = p->b + vs; \
		a->field##_len = ve - vs; \
	}
	ATTR(name)
	ATTR(classname)
	ATTR(time)
#undef ATTR
	return 0;
}

static int start_tag(struct px *p)
{
	const char *seen[64], *name = p->b + p->i + 1;
	size_t seen_len[64], nseen = 0, nl = scan_name(p, p->i + 1);
	struct attrs a = { 0 };
	enum kind parent = p->depth ? p->st[p->depth - 1].kind : K_OTHER, k;
	int self_closing = 0, rc;

	if (!nl)
		return fail(p, "a '<' that starts no element");
	if (!p->depth && p->had_root)
		return fail(p, "a second root element");
	p->i += 1 + nl;
	for (;;) {
		size_t before = p->i;
		skip_space(p);
		if (p->i >= p->len)
			return fail(p, "an unterminated start tag");
		if (p->b[p->i] == '>') {
			p->i++;
			break;
		}
		if (p->b[p->i] == '/' && p->i + 1 < p->len && p->b[p->i + 1] == '>') {
			p->i += 2;
			self_closing = 1;
			break;
		}
		if (p->i == before)
			return fail(p, "attributes not separated by blanks");
		if ((rc = attribute(p, &a, seen, seen_len, &nseen)) < 0)
			return rc;
	}
	k = kind_of(name, nl, parent, p->depth);
	if (!p->depth) {
		if (k != K_SUITES && k != K_SUITE)
			return fail(p, "the root element is not <testsuites> or <testsuite>");
		p->had_root = 1;
	}
	if (nl == 8 && !memcmp(name, "testcase", 8) && k != K_CASE)
		return fail(p, "a testcase outside a testsuite");
	if ((rc = open_elem(p, k, &a, name)) < 0)
		return rc;
	if (self_closing)
		return close_elem(p, k);
	if (p->depth == FT_JUNIT_MAX_DEPTH)
		return fail(p, "elements nested deeper than %d", FT_JUNIT_MAX_DEPTH);
	p->st[p->depth].name = name;
	p->st[p->depth].len = nl;
	p->st[p->depth++].kind = k;
	return 0;
}

static int text(struct px *p)
{
	size_t s = p->i;
	const char *lt = memchr(p->b + s, '<', p->len - s);
	size_t e = lt ? (size_t)(lt - p->b) : p->len;

	if (!p->depth)
		for (size_t k = s; k < e; k++)
			if (!is_space(p->b[k]))
				return fail(p, "text outside the root element");
	p->i = e;
	return decode(p, p->b + s, e - s, NULL);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct ft_junit_case *)a)->id, ((const struct ft_junit_case *)b)->id);
}

static int parse(struct px *p)
{
	int rc = 0;

	while (rc >= 0 && p->i < p->len) {
		const char *s = p->b + p->i;
		size_t left = p->len - p->i;

		if (s[0] != '<')
			rc = text(p);
		else if (left >= 2 && s[1] == '?')
			rc = skip_to(p, "?>", "processing instruction");
		else if (left >= 4 && !memcmp(s, "<!--", 4))
			rc = skip_to(p, "-->", "comment");
		else if (left >= 9 && !memcmp(s, "<![CDATA[", 9))
			rc = p->depth ? skip_to(p, "]]>", "CDATA section")
				      : fail(p, "CDATA outside the root element");
		else if (left >= 2 && s[1] == '!')
			rc = fail(p, "a DOCTYPE or declaration (not read: it may define entities)");
		else if (left >= 2 && s[1] == '/')
			rc = end_tag(p);
		else
			rc = start_tag(p);
	}
	if (rc < 0)
		return rc;
	if (p->depth)
		return fail(p, "<%.*s> is never closed (a truncated file?)",
			    (int)(p->st[p->depth - 1].len > 64 ? 64 : p->st[p->depth - 1].len),
			    p->st[p->depth - 1].name);
	if (!p->had_root)
		return fail(p, "no <testsuites> or <testsuite> element");
	if (p->j->n) /* (qsort of a NULL base is undefined, even for none) */
		qsort(p->j->v, p->j->n, sizeof(*p->j->v), by_id);
	for (size_t k = 1; k < p->j->n; k++)
		if (!strcmp(p->j->v[k - 1].id, p->j->v[k].id))
			return fail(p, "test '%.200s' is reported twice", p->j->v[k].id);
	return 0;
}

int ft_junit_parse(struct ft_junit *j, const char *buf, size_t len, char *why, size_t cap)
{
	struct px p = { .b = buf, .len = len, .why = why, .cap = cap, .j = j };
	int rc;

	memset(j, 0, sizeof(*j));
	if (cap)
		why[0] = '\0';
	rc = parse(&p);
	free(p.suite);
	free(p.cur.id);
	if (rc == -ENOMEM)
		snprintf(why, cap, "out of memory");
	if (rc < 0)
		ft_junit_release(j);
	return rc;
}

const struct ft_junit_case *ft_junit_find(const struct ft_junit *j, const char *id)
{
	struct ft_junit_case key = { .id = (char *)id };

	return j->n ? bsearch(&key, j->v, j->n, sizeof(*j->v), by_id) : NULL;
}

void ft_junit_release(struct ft_junit *j)
{
	for (size_t k = 0; k < j->n; k++)
		free(j->v[k].id);
	free(j->v);
	memset(j, 0, sizeof(*j));
}
