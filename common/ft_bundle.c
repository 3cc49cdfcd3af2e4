/*
 * ft_bundle.c - the bundle's encoding: see ft_bundle.h.
 *
 * The reader treats the file as hostile: a bundle comes from another
 * machine, a CI cache, a download.  The checksum catches damage in
 * transit; a crafted file with a right checksum must still never read
 * out of bounds or allocate more than its own size says (each count is
 * checked against the bytes left, at the item's smallest size).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_bundle.h"
#include "ft_bundle_py.h"
#include "ft_bundle_rd.h"
#include "ft_bundle_tree.h"
#include "ft_envdep.h"
#include "ft_error.h"
#include "ft_file.h"
#include "ft_map.h"
#include "ft_vec.h"

#define NOSTR UINT32_MAX

void ft_bundle_release(struct ft_bundle *b)
{
	for (size_t i = 0; i < b->nmeta; i++) {
		free(b->meta[i].key);
		free(b->meta[i].value);
	}
	for (size_t i = 0; i < b->npaths; i++)
		free(b->paths[i].bytes);
	for (size_t i = 0; i < b->nsets; i++)
		free(b->sets[i].deps);
	for (size_t i = 0; i < b->nruns; i++) {
		free(b->runs[i].command);
		free(b->runs[i].meta_json);
		free(b->runs[i].py_prelude);
	}
	for (size_t i = 0; i < b->ntests; i++) {
		free(b->tests[i].name);
		free(b->tests[i].runner);
		free(b->tests[i].sets);
		free(b->tests[i].shares);
		free(b->tests[i].py_funcs);
		free(b->tests[i].py_own);
		free(b->tests[i].py_lazy);
	}
	for (size_t i = 0; i < b->nlistings; i++)
		free(b->listings[i].names);
	for (size_t i = 0; i < b->nflaky; i++)
		free(b->flaky[i].name);
	for (size_t i = 0; i < b->npyfps; i++) {
		free(b->pyfps[i].skeleton);
		free(b->pyfps[i].bodies);
		free(b->pyfps[i].prelude);
		free(b->pyfps[i].names);
	}
	for (size_t i = 0; i < b->npyconf; i++)
		free(b->pyconf[i].view);
	free(b->pyfps);
	free(b->pyconf);
	free(b->meta);
	free(b->paths);
	free(b->sets);
	free(b->runs);
	free(b->tests);
	free(b->listings);
	free(b->flaky);
	memset(b, 0, sizeof(*b));
}

const char *ft_bundle_meta(const struct ft_bundle *b, const char *key)
{
	for (size_t i = b->nmeta; i-- > 0;)
		if (!strcmp(b->meta[i].key, key))
			return b->meta[i].value;
	return NULL;
}

static char *dup_bytes(const void *p, size_t len)
{
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, p, len);
		s[len] = '\0';
	}
	return s;
}

int ft_bundle_add_meta(struct ft_bundle *b, const char *key, const char *value)
{
	struct ft_bundle_kv *v = ft_vec_grow(b->meta, &b->cmeta, b->nmeta, sizeof(*v), 8);
	char *k, *val;

	if (!v)
		return -ENOMEM;
	b->meta = v;
	k = strdup(key);
	val = strdup(value);
	if (!k || !val) {
		free(k);
		free(val);
		return -ENOMEM;
	}
	b->meta[b->nmeta].key = k;
	b->meta[b->nmeta++].value = val;
	return 0;
}

int ft_bundle_add_path(struct ft_bundle *b, const char *bytes, uint32_t len, uint8_t flags,
		       uint32_t *idx)
{
	struct ft_bundle_path *v = ft_vec_grow(b->paths, &b->cpaths, b->npaths, sizeof(*v), 64);

	if (!v || b->npaths >= FT_BUNDLE_NONE)
		return -ENOMEM;
	b->paths = v;
	if (!(v[b->npaths].bytes = dup_bytes(bytes, len)))
		return -ENOMEM;
	v[b->npaths].len = len;
	v[b->npaths].flags = flags;
	*idx = (uint32_t)b->npaths++;
	return 0;
}

/* --- reading ---------------------------------------------------------------- */

static int fail(struct ft_bundle_rd *r, const char *what)
{
	if (!r->bad)
		ft_err_set(r->e, FT_ECORRUPT, "%s", what);
	r->bad = 1;
	return FT_ECORRUPT;
}

int ft__bundle_fail(struct ft_bundle_rd *r, const char *what)
{
	return fail(r, what);
}

static uint64_t get_le(struct ft_bundle_rd *r, int bytes)
{
	uint64_t v = 0;

	if (r->bad || (size_t)(r->end - r->p) < (size_t)bytes) {
		fail(r, "truncated");
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += bytes;
	return v;
}

uint64_t ft__bundle_get_le(struct ft_bundle_rd *r, int bytes)
{
	return get_le(r, bytes);
}

size_t ft__bundle_leb(uint32_t x, unsigned char out[5])
{
	uint32_t v = x + 1u;
	size_t n = 0;

	do {
		out[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			out[n] |= 0x80;
		n++;
	} while (v);
	return n;
}

uint32_t ft__bundle_get_u32(struct ft_bundle_rd *r)
{
	uint64_t v = 0;

	if (r->version < 4)
		return (uint32_t)get_le(r, 4);
	for (int i = 0;; i++) {
		unsigned char c;
		if (r->bad || r->p == r->end) {
			fail(r, "truncated");
			return 0;
		}
		c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			if (i > 0 && c == 0) {
				fail(r, "a number is not in its shortest form (not canonical)");
				return 0;
			}
			break;
		}
		if (i == 4) {
			fail(r, "a number is longer than 32 bits");
			return 0;
		}
	}
	if (v > UINT32_MAX) {
		fail(r, "a number is longer than 32 bits");
		return 0;
	}
	return (uint32_t)(v - 1);
}

#define U8(r) ((uint8_t)get_le(r, 1))
#define U32(r) ft__bundle_get_u32(r)
#define I32(r) ((int32_t)ft__bundle_get_u32(r))
#define I64(r) ((int64_t)get_le(r, 8))
/* A section item's or inner item's smallest size: before version 4, and from it */
#define MIN(r, v3, v4) ((r)->version >= 4 ? (size_t)(v4) : (size_t)(v3))

/* A string: NULL with r->bad on damage, NULL without it for "none" when
 * `optional`.  *len gets the length. */
static char *get_str(struct ft_bundle_rd *r, int optional, uint32_t *len, int *nomem)
{
	uint32_t n = U32(r);
	char *s;

	if (r->bad)
		return NULL;
	if (n == NOSTR) {
		if (!optional)
			fail(r, "a required string is missing");
		return NULL;
	}
	if ((size_t)(r->end - r->p) < n) {
		fail(r, "truncated inside a string");
		return NULL;
	}
	if (!len && memchr(r->p, '\0', n)) {
		/* a name or text, NUL-terminated where it is used: a NUL inside
		 * would cut it short there (paths and listings, which may be
		 * binary, are read with their length) */
		fail(r, "a string holds a NUL byte");
		return NULL;
	}
	if (!(s = dup_bytes(r->p, n))) {
		*nomem = 1;
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	if (len)
		*len = n;
	return s;
}

int ft__bundle_is_hex(const char *s, size_t n)
{
	if (n == 0 || n % 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Version 4's front-coded string: u32 shared (the bytes it has in common
 * with `prev`, the string before it in its section), u32 h, then the
 * rest's bytes.  With `hex`, h's low bit says the string is hexadecimal
 * (ft__bundle_is_hex), shared nothing, its h >> 1 bytes the digits' values;
 * else h (h >> 1 with `hex`) is the rest's length.  Canonical: `shared`
 * is the whole common prefix (the rest does not begin with prev's next
 * byte), and a hexadecimal string is always coded as one.  NUL bytes are
 * refused unless `len` is asked for (paths: checked by the caller).  The
 * strings rebuilt are bounded in total (a long prefix named again and
 * again): FT_BUNDLE_PY_MAX bytes. */
static char *get_fstr(struct ft_bundle_rd *r, const char *prev, uint32_t prevlen, uint32_t *len, int hex,
		      int *nomem)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t shared = U32(r), h = U32(r), n = hex ? h >> 1 : h;
	int is_hex = hex && (h & 1);
	uint64_t full;
	char *s;

	if (r->bad)
		return NULL;
	if (shared > prevlen || (is_hex && (shared || !n))) {
		fail(r, "a string shares more than the one before it has");
		return NULL;
	}
	if ((size_t)(r->end - r->p) < n) {
		fail(r, "truncated inside a string");
		return NULL;
	}
	full = (uint64_t)shared + (is_hex ? 2 * (uint64_t)n : n);
	if (full >= UINT32_MAX || r->made + full > FT_BUNDLE_PY_MAX) {
		fail(r, "the strings expand to more than 4 GiB");
		return NULL;
	}
	if (!is_hex && shared < prevlen && n && r->p[0] == (unsigned char)prev[shared]) {
		fail(r, "a string does not share all it has in common with the one before it "
			"(not canonical)");
		return NULL;
	}
	if (!(s = malloc(full + 1))) {
		*nomem = 1;
		r->bad = 1;
		return NULL;
	}
	memcpy(s, prev, shared);
	if (is_hex) {
		for (uint32_t i = 0; i < n; i++) {
			s[2 * i] = digits[r->p[i] >> 4];
			s[2 * i + 1] = digits[r->p[i] & 15];
		}
	} else {
		memcpy(s + shared, r->p, n);
	}
	s[full] = '\0';
	r->p += n;
	r->made += full;
	if (!is_hex && hex && ft__bundle_is_hex(s, full)) {
		free(s);
		fail(r, "a hexadecimal string is not coded as one (not canonical)");
		return NULL;
	}
	if (!len && memchr(s, '\0', full)) {
		free(s);
		fail(r, "a string holds a NUL byte");
		return NULL;
	}
	if (len)
		*len = (uint32_t)full;
	return s;
}

/* A section's count, checked against the bytes left at `min` bytes an
 * item; the array allocated (zeroed) for it. */
static void *get_count(struct ft_bundle_rd *r, size_t min, size_t elem, size_t *n, size_t *cap, int *nomem)
{
	uint32_t c = U32(r);
	void *v;

	*n = 0;
	if (r->bad)
		return NULL;
	if ((uint64_t)c * min > (uint64_t)(r->end - r->p)) {
		fail(r, "a count is larger than the bytes left");
		return NULL;
	}
	if (!(v = calloc(c ? c : 1, elem))) {
		*nomem = 1;
		r->bad = 1;
		return NULL;
	}
	*cap = c;
	return v;
}

/* An item's own count (a set's members, a list's strings), checked
 * against the bytes left at `min` bytes each (`what` says so), and its
 * array allocated (zeroed).  NULL on damage or without memory. */
static void *get_inner(struct ft_bundle_rd *r, size_t min, size_t elem, uint32_t *n, const char *what,
		       int *nomem)
{
	void *v;

	*n = U32(r);
	if (r->bad)
		return NULL;
	if ((uint64_t)*n * min > (uint64_t)(r->end - r->p)) {
		fail(r, what);
		return NULL;
	}
	if (!(v = calloc(*n ? *n : 1, elem))) {
		*nomem = 1;
		r->bad = 1;
	}
	return v;
}

static int idx_ok(uint32_t i, size_t n, int none_ok)
{
	return (none_ok && i == FT_BUNDLE_NONE) || i < n;
}

/* A relative path as export writes one: its ".." parts never climb above
 * the top ("a/../b" stays under it; "../x" or "a/../../x" would not), so
 * that rebased under a top it names a path under that top as far as the
 * names go.  Recorded paths keep the parts the process used ("..", ".",
 * an empty part): the kernel, not a lexical rule, resolves them (a
 * symbolic link before a ".." goes elsewhere), so they are not folded. */
int ft_bundle_rel_ok(const char *p, uint32_t len)
{
	uint32_t i = 0;
	long depth = 0;

	if (len && p[0] == '/')
		return 0;
	while (i < len) {
		uint32_t j = i;
		while (j < len && p[j] != '/')
			j++;
		if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (!(j - i == 1 && p[i] == '.') && j > i) {
			depth++;
		}
		i = j + 1;
	}
	return 1;
}

/* Is `key` new to `seen`?  A table entry there twice is not canonical
 * (the writer interns). */
static int once(struct ft_bundle_rd *r, struct ft_map *seen, const void *key, size_t len, int *nomem)
{
	uint32_t v;
	int added;

	if (ft_map_intern(seen, key, len, &v, &added) < 0) {
		*nomem = 1;
		r->bad = 1;
		return 0;
	}
	if (!added)
		fail(r, "a Python string or list is there twice");
	return added;
}

/* Version 3's string and list tables (ft_bundle_py.h), into `py`. */
static void parse_pytab(struct ft_bundle_rd *r, struct ft_bundle_pyread *py, int *nomem)
{
	struct ft_map seen = FT_MAP_INIT;

	py->strs = get_count(r, MIN(r, 4, 2), sizeof(*py->strs), &py->nstrs, &py->cstrs, nomem);
	for (size_t c = py->cstrs; !r->bad && py->nstrs < c && py->strs; py->nstrs++)
		if (!(py->strs[py->nstrs] = r->version >= 4 ?
		      get_fstr(r, py->nstrs ? py->strs[py->nstrs - 1] : "",
			       py->nstrs ? (uint32_t)strlen(py->strs[py->nstrs - 1]) : 0, NULL, 1, nomem) :
		      get_str(r, 0, NULL, nomem)) ||
		    !once(r, &seen, py->strs[py->nstrs], strlen(py->strs[py->nstrs]), nomem))
			break;
	ft_map_release(&seen);
	if (r->bad)
		return;
	py->lists = get_count(r, MIN(r, 4, 1), sizeof(*py->lists), &py->nlists, &py->clists, nomem);
	for (size_t c = py->clists; !r->bad && py->nlists < c && py->lists; py->nlists++) {
		struct ft_bundle_pylist *l = &py->lists[py->nlists];
		uint32_t n;
		if (!(l->ids = get_inner(r, MIN(r, 4, 1), sizeof(*l->ids), &n,
					 "a Python list's size is larger than the bytes left", nomem)))
			break;
		for (l->n = 0; l->n < n && !r->bad; l->n++) {
			l->ids[l->n] = U32(r);
			if (!r->bad && l->ids[l->n] >= py->nstrs)
				fail(r, "a Python list names a string that is not there");
		}
		if (!r->bad && !once(r, &seen, l->ids, (size_t)l->n * sizeof(*l->ids), nomem))
			break;
		if (!r->bad)
			ft__bundle_py_bound(py, l);
	}
	ft_map_release(&seen);
}

/* One of a test's Python texts as version 3 codes it: the text, or NULL
 * (none, or damage: r->bad says which). */
static char *get_pytext(struct ft_bundle_rd *r, struct ft_bundle_pyread *py, int *nomem)
{
	struct ft_bundle_pyval v = { 0 };
	uint32_t one;
	char *out = NULL;
	int rc;

	v.tag = U8(r);
	if (r->bad || v.tag == FT_BUNDLE_PY_NONE)
		return NULL;
	if (v.tag == FT_BUNDLE_PY_RAW) {
		out = get_str(r, 0, NULL, nomem);
		if (out && (r->version >= 4 ? ft__bundle_tree_codable(out) : ft__bundle_py_codable(out)))
			fail(r, "a Python text is kept whole where it would be shared (not canonical)");
		return out;
	}
	if (r->version >= 4) {
		/* 2 + the root's kind (ft_bundle_tree.h) */
		ft__bundle_tree_get(r, py, v.tag - 2u, &out, nomem);
		return out;
	}
	if (v.tag == FT_BUNDLE_PY_LIST) {
		one = U32(r);
		if (!r->bad && one >= py->nlists)
			fail(r, "a Python text names a list that is not there");
		v.n = 1;
		v.ids = &one;
	} else if (v.tag == FT_BUNDLE_PY_OBJ || v.tag == FT_BUNDLE_PY_STRS) {
		size_t nvals = v.tag == FT_BUNDLE_PY_OBJ ? py->nlists : py->nstrs;
		v.n = U32(r);
		if (!r->bad && (uint64_t)v.n * 8 > (uint64_t)(r->end - r->p))
			fail(r, "a Python text's size is larger than the bytes left");
		if (!r->bad && !(v.ids = malloc((size_t)(v.n ? v.n : 1) * 2 * sizeof(*v.ids)))) {
			*nomem = 1;
			r->bad = 1;
		}
		/* `{}` is tag 2's: an empty object of strings would be a
		 * second coding of it (not canonical) */
		if (!r->bad && v.tag == FT_BUNDLE_PY_STRS && v.n == 0)
			fail(r, "an empty Python object coded as one of strings (not canonical)");
		for (uint32_t i = 0; !r->bad && i < v.n; i++) {
			v.ids[2 * i] = U32(r);
			v.ids[2 * i + 1] = U32(r);
			if (!r->bad && (v.ids[2 * i] >= py->nstrs || v.ids[2 * i + 1] >= nvals))
				fail(r, "a Python text names a string or list that is not there");
		}
	} else {
		fail(r, "a Python text has an unknown tag");
	}
	if (!r->bad && ft__bundle_py_first_use(py, &v) < 0)
		fail(r, "the Python strings and lists are not in the order of their first use");
	if (!r->bad && (rc = ft__bundle_py_text(py, &v, &out)) < 0) {
		if (rc == -ENOMEM) {
			*nomem = 1;
			r->bad = 1;
		} else {
			fail(r, "the Python lists expand to more than 4 GiB");
		}
	}
	if (v.tag != FT_BUNDLE_PY_LIST)
		free(v.ids);
	return out;
}

/* Version 2's Python sections: pyfunc_fps and pyconf_views rows (their
 * texts coded as ft_bundle_py.h says from version 3). */
static void parse_py(struct ft_bundle_rd *r, struct ft_bundle *b, struct ft_bundle_pyread *py, int *nomem)
{
	/* a row's smallest: path, value, skeleton's length, and three texts
	 * (version 3: a tag and an index or count for two, a tag for names) */
	b->pyfps = get_count(r, b->version >= 4 ? 13 : b->version >= 3 ? 27 : 28, sizeof(*b->pyfps), &b->npyfps,
			     &b->cpyfps, nomem);
	for (size_t c = b->cpyfps; !r->bad && b->npyfps < c && b->pyfps; b->npyfps++) {
		struct ft_bundle_pyfps *f = &b->pyfps[b->npyfps];
		f->path = U32(r);
		f->value = get_le(r, 8);
		if (!r->bad && !idx_ok(f->path, b->npaths, 0))
			fail(r, "a fingerprint names a path that is not there");
		if (!(f->skeleton = get_str(r, 0, NULL, nomem)))
			break;
		if (b->version >= 3) {
			/* required texts: none is damage */
			f->bodies = get_pytext(r, py, nomem);
			f->prelude = get_pytext(r, py, nomem);
			f->names = get_pytext(r, py, nomem);
			if (!r->bad && (!f->bodies || !f->prelude))
				fail(r, "a fingerprint lacks its bodies or prelude");
			continue;
		}
		if (!(f->bodies = get_str(r, 0, NULL, nomem)) ||
		    !(f->prelude = get_str(r, 0, NULL, nomem)))
			break;
		f->names = get_str(r, 1, NULL, nomem);
	}
	if (r->bad)
		return;
	b->pyconf = get_count(r, MIN(r, 16, 10), sizeof(*b->pyconf), &b->npyconf, &b->cpyconf, nomem);
	for (size_t c = b->cpyconf; !r->bad && b->npyconf < c && b->pyconf; b->npyconf++) {
		struct ft_bundle_pyconf *v = &b->pyconf[b->npyconf];
		v->path = U32(r);
		v->value = get_le(r, 8);
		if (!r->bad && !idx_ok(v->path, b->npaths, 0))
			fail(r, "a configuration view names a path that is not there");
		if (!(v->view = get_str(r, 0, NULL, nomem)))
			break;
	}
}

/* `n` set indices of a test (its sets, or v5's shares) into a new array
 * *out, *count of them read; `over` and `missing` say what failed. */
static void get_sets(struct ft_bundle_rd *r, const struct ft_bundle *b, uint32_t n, uint32_t **out,
		     uint32_t *count, const char *over, const char *missing, int *nomem)
{
	if ((uint64_t)n * MIN(r, 4, 1) > (uint64_t)(r->end - r->p)) {
		fail(r, over);
		return;
	}
	if (!(*out = calloc(n ? n : 1, sizeof(**out)))) {
		*nomem = 1;
		r->bad = 1;
		return;
	}
	for (*count = 0; *count < n && !r->bad; (*count)++) {
		(*out)[*count] = U32(r);
		if (!r->bad && !idx_ok((*out)[*count], b->nsets, 0))
			fail(r, missing);
	}
}

static void parse_payload(struct ft_bundle_rd *r, struct ft_bundle *b, struct ft_bundle_pyread *py,
			  int *nomem)
{
	b->meta = get_count(r, MIN(r, 8, 2), sizeof(*b->meta), &b->nmeta, &b->cmeta, nomem);
	for (size_t c = b->cmeta; !r->bad && b->nmeta < c && b->meta; b->nmeta++) {
		struct ft_bundle_kv *kv = &b->meta[b->nmeta];
		if (!(kv->key = get_str(r, 0, NULL, nomem)) || !(kv->value = get_str(r, 0, NULL, nomem)))
			break;
	}
	if (r->bad)
		return;
	b->paths = get_count(r, MIN(r, 5, 3), sizeof(*b->paths), &b->npaths, &b->cpaths, nomem);
	for (size_t c = b->cpaths; !r->bad && b->npaths < c && b->paths; b->npaths++) {
		struct ft_bundle_path *pa = &b->paths[b->npaths];
		pa->flags = U8(r);
		if (!r->bad && ((pa->flags & ~(FT_BUNDLE_REL | FT_BUNDLE_ENV)) ||
				pa->flags == (FT_BUNDLE_REL | FT_BUNDLE_ENV)))
			fail(r, "a path has unknown flags");
		if (!(pa->bytes = r->version >= 4 ?
		      get_fstr(r, b->npaths ? b->paths[b->npaths - 1].bytes : "",
			       b->npaths ? b->paths[b->npaths - 1].len : 0, &pa->len, 0, nomem) :
		      get_str(r, 0, &pa->len, nomem)))
			break;
		if (pa->flags & FT_BUNDLE_ENV) {
			if (memchr(pa->bytes, '\0', pa->len) || !ft_envdep_is(pa->bytes, pa->len) ||
			    ft_envdep_skip(pa->bytes + 1, pa->len - 1))
				fail(r, "an environment variable's name is not one (\"$NAME\")");
		} else if (memchr(pa->bytes, '\0', pa->len) ||
		    (!(pa->flags & FT_BUNDLE_REL) && (pa->len == 0 || pa->bytes[0] != '/')) ||
		    ((pa->flags & FT_BUNDLE_REL) && pa->len && pa->bytes[0] == '/'))
			fail(r, "a path is not a path (a NUL byte, or an absolute path not starting at /)");
		else if ((pa->flags & FT_BUNDLE_REL) && !ft_bundle_rel_ok(pa->bytes, pa->len))
			fail(r, "a path relative to the repository leaves it (a .. part above the top)");
	}
	if (r->bad)
		return;
	b->sets = get_count(r, MIN(r, 4, 1), sizeof(*b->sets), &b->nsets, &b->csets, nomem);
	for (size_t c = b->csets; !r->bad && b->nsets < c && b->sets; b->nsets++) {
		struct ft_bundle_set *s = &b->sets[b->nsets];
		uint32_t n;
		if (!(s->deps = get_inner(r, MIN(r, 13, 10), sizeof(*s->deps), &n,
					  "a set's size is larger than the bytes left", nomem)))
			break;
		for (s->n = 0; s->n < n && !r->bad; s->n++) {
			s->deps[s->n].path = U32(r);
			s->deps[s->n].kind = U8(r);
			s->deps[s->n].value = get_le(r, 8);
			if (!r->bad && !idx_ok(s->deps[s->n].path, b->npaths, 0))
				fail(r, "a set names a path that is not there");
		}
	}
	if (!r->bad && b->version >= 3)
		parse_pytab(r, py, nomem);
	if (r->bad)
		return;
	b->runs = get_count(r, MIN(r, 32, 21), sizeof(*b->runs), &b->nruns, &b->cruns, nomem);
	for (size_t c = b->cruns; !r->bad && b->nruns < c && b->runs; b->nruns++) {
		struct ft_bundle_run *ru = &b->runs[b->nruns];
		ru->command = get_str(r, 1, NULL, nomem);
		ru->cwd = U32(r);
		ru->started_ns = I64(r);
		ru->finished_ns = I64(r);
		ru->exit_status = I32(r);
		ru->meta_json = get_str(r, 1, NULL, nomem);
		if (b->version >= 3)
			ru->py_prelude = get_pytext(r, py, nomem);
		else if (b->version >= 2)
			ru->py_prelude = get_str(r, 1, NULL, nomem);
		if (!r->bad && !idx_ok(ru->cwd, b->npaths, 1))
			fail(r, "a run names a directory that is not there");
	}
	if (r->bad)
		return;
	b->tests = get_count(r, MIN(r, 25, 8), sizeof(*b->tests), &b->ntests, &b->ctests, nomem);
	for (size_t c = b->ctests; !r->bad && b->ntests < c && b->tests; b->ntests++) {
		struct ft_bundle_test *t = &b->tests[b->ntests];
		uint32_t n;
		if (!(t->name = r->version >= 4 ?
		      get_fstr(r, b->ntests ? b->tests[b->ntests - 1].name : "",
			       b->ntests ? (uint32_t)strlen(b->tests[b->ntests - 1].name) : 0, NULL, 0,
			       nomem) :
		      get_str(r, 0, NULL, nomem)))
			break;
		t->runner = get_str(r, 1, NULL, nomem);
		t->file = U32(r);
		t->outcome = I32(r);
		t->untraced = U8(r);
		t->run = U32(r);
		n = U32(r);
		if (r->bad)
			break;
		if (t->untraced > 1) {
			fail(r, "a test's untraced flag is neither 0 nor 1");
			break;
		}
		if (!idx_ok(t->file, b->npaths, 1) || !idx_ok(t->run, b->nruns, 1)) {
			fail(r, "a test names a file or run that is not there");
			break;
		}
		get_sets(r, b, n, &t->sets, &t->nsets, "a test's set count is larger than the bytes left",
			 "a test names a set that is not there", nomem);
		/* v5: the sets it handed on (none: no array) */
		if (b->version >= 5 && !r->bad && (n = U32(r)) && !r->bad)
			get_sets(r, b, n, &t->shares, &t->nshares,
				 "a test's share count is larger than the bytes left",
				 "a test hands on a set that is not there", nomem);
		if (b->version < 2 || r->bad)
			continue;
		t->py_complete = U8(r);
		if (b->version >= 3) {
			t->py_funcs = get_pytext(r, py, nomem);
			t->py_own = get_pytext(r, py, nomem);
			t->py_lazy = get_pytext(r, py, nomem);
		} else {
			t->py_funcs = get_str(r, 1, NULL, nomem);
			t->py_own = get_str(r, 1, NULL, nomem);
			t->py_lazy = get_str(r, 1, NULL, nomem);
		}
		if (!r->bad && !t->py_funcs != !t->py_own)
			fail(r, "a test has a function list without its own files, or the reverse");
	}
	if (r->bad)
		return;
	b->listings = get_count(r, MIN(r, 16, 10), sizeof(*b->listings), &b->nlistings, &b->clistings, nomem);
	for (size_t c = b->clistings; !r->bad && b->nlistings < c && b->listings; b->nlistings++) {
		struct ft_bundle_listing *l = &b->listings[b->nlistings];
		l->path = U32(r);
		l->value = get_le(r, 8);
		if (!r->bad && !idx_ok(l->path, b->npaths, 0))
			fail(r, "a listing names a path that is not there");
		if (!(l->names = get_str(r, 0, &l->len, nomem)))
			break;
	}
	if (r->bad)
		return;
	b->flaky = get_count(r, MIN(r, 36, 27), sizeof(*b->flaky), &b->nflaky, &b->cflaky, nomem);
	for (size_t c = b->cflaky; !r->bad && b->nflaky < c && b->flaky; b->nflaky++) {
		struct ft_bundle_flaky *f = &b->flaky[b->nflaky];
		if (!(f->name = get_str(r, 0, NULL, nomem)))
			break;
		f->count = I64(r);
		f->last_ns = I64(r);
		f->last_from = I32(r);
		f->last_to = I32(r);
		f->clean = I64(r);
	}
	if (!r->bad && b->version >= 2)
		parse_py(r, b, py, nomem);
	if (!r->bad && (py->next_str != py->nstrs || py->next_list != py->nlists))
		fail(r, "a Python string or list no text uses");
	if (!r->bad && r->p != r->end)
		fail(r, "bytes after the last section");
}

int ft_bundle_parse(struct ft_bundle *b, const unsigned char *buf, size_t len, struct ft_err *e)
{
	struct ft_bundle_rd r = { .p = buf, .end = buf + len, .e = e };
	struct ft_bundle_pyread py = { 0 };
	uint64_t plen, sum;
	uint32_t version, flags;
	int nomem = 0;

	memset(b, 0, sizeof(*b));
	ft_err_set(e, 0, NULL);
	if (len < FT_BUNDLE_HEADER || memcmp(buf, FT_BUNDLE_MAGIC, 8))
		return ft_err_set(e, FT_ECORRUPT, "not an ftrace bundle (no FTBUNDLE header)");
	r.p += 8;
	version = U32(&r);
	flags = U32(&r);
	plen = get_le(&r, 8);
	sum = get_le(&r, 8);
	if (version < FT_BUNDLE_VERSION_MIN || version > FT_BUNDLE_VERSION) {
		return ft_err_set(e, version > FT_BUNDLE_VERSION ? FT_ESCHEMA : FT_ECORRUPT,
				  "bundle format version %u, this ftrace reads versions %d to %d",
				  version, FT_BUNDLE_VERSION_MIN, FT_BUNDLE_VERSION);
	}
	if (flags) {
		/* none defined: a flag (compression, say) changes how to read */
		return ft_err_set(e, FT_ECORRUPT, "unknown header flags %#x", flags);
	}
	if (plen != len - FT_BUNDLE_HEADER) {
		return ft_err_set(e, FT_ECORRUPT, "truncated or extended: the header says %llu bytes "
				  "of data, the file has %zu", (unsigned long long)plen,
				  len - FT_BUNDLE_HEADER);
	}
	if (XXH3_64bits(buf + FT_BUNDLE_HEADER, (size_t)plen) != sum)
		return ft_err_set(e, FT_ECORRUPT, "checksum mismatch: the file was damaged");
	b->version = version;
	r.version = version;
	parse_payload(&r, b, &py, &nomem);
	ft__bundle_pyread_release(&py);
	if (r.bad) {
		/* the arrays were calloc'd to their whole count: an item cut
		 * short inside is released too */
		b->nmeta = b->cmeta;
		b->npaths = b->cpaths;
		b->nsets = b->csets;
		b->nruns = b->cruns;
		b->ntests = b->ctests;
		b->nlistings = b->clistings;
		b->nflaky = b->cflaky;
		b->npyfps = b->cpyfps;
		b->npyconf = b->cpyconf;
		ft_bundle_release(b);
		/* the reason fail() wrote stays */
		e->code = nomem ? -ENOMEM : FT_ECORRUPT;
		return e->code;
	}
	return 0;
}

int ft_bundle_read(struct ft_bundle *b, const char *path, struct ft_err *e)
{
	struct stat sb;
	char *buf;
	size_t got = 0;
	int fd, rc;

	memset(b, 0, sizeof(*b));
	ft_err_set(e, 0, NULL);
	/* O_NONBLOCK: a FIFO named like a bundle must not hang the open (it
	 * is then refused as not a regular file) */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return ft_err_set(e, -errno, NULL);
	rc = fstat(fd, &sb) < 0 ? -errno : !S_ISREG(sb.st_mode) ? FT_ENOTREG :
	     sb.st_size > (off_t)UINT32_MAX ? -EFBIG : 0;
	if (rc < 0) {
		close(fd);
		return ft_err_set(e, rc, NULL);
	}
	/* a failed read parses what came before it: refused as truncated */
	rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &got);
	close(fd);
	if (rc == -ENOMEM)
		return ft_err_set(e, -ENOMEM, NULL);
	rc = ft_bundle_parse(b, (unsigned char *)buf, got, e);
	free(buf);
	return rc;
}
