/*
 * ft_bundle_tree.c - version 4's Python texts as trees: see
 * ft_bundle_tree.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_bundle_rd.h"
#include "ft_bundle_tree.h"
#include "ft_error.h"

enum { K_NULL, K_FALSE, K_TRUE, K_INT, K_STR, K_LIST, K_ARRAY, K_OBJECT, K_LAST = K_OBJECT };

/* --- writing ---------------------------------------------------------------- */

struct enc {
	unsigned char *b;
	size_t n, cap;
	int nomem;
};

static void put_byte(struct enc *e, unsigned c)
{
	if (e->nomem)
		return;
	if (e->n == e->cap) {
		size_t ncap = e->cap ? 2 * e->cap : 64;
		unsigned char *nb = realloc(e->b, ncap);
		if (!nb) {
			e->nomem = 1;
			return;
		}
		e->b = nb;
		e->cap = ncap;
	}
	e->b[e->n++] = (unsigned char)c;
}

/* As ft_bundle_rd.h says version 4 codes a u32. */
static void put_u32(struct enc *e, uint32_t x)
{
	unsigned char b[5];
	size_t n = ft__bundle_leb(x, b);

	for (size_t i = 0; i < n; i++)
		put_byte(e, b[i]);
}

static int kind_of(const cJSON *j)
{
	if (cJSON_IsNull(j))
		return K_NULL;
	if (cJSON_IsFalse(j))
		return K_FALSE;
	if (cJSON_IsTrue(j))
		return K_TRUE;
	if (cJSON_IsNumber(j))
		return K_INT;
	if (cJSON_IsString(j))
		return K_STR;
	if (cJSON_IsArray(j))
		return ft__bundle_py_is_string_array(j) ? K_LIST : K_ARRAY;
	if (cJSON_IsObject(j))
		return K_OBJECT;
	return -1;
}

/* Can a tree hold `j` at `depth` (its numbers int32s, its nesting within
 * the limit)? */
static int fits(const cJSON *j, int depth)
{
	const cJSON *m;
	int k = kind_of(j);

	if (k < 0)
		return 0;
	if (k == K_INT) {
		double d = j->valuedouble;
		/* NaN fails every comparison */
		return d >= (double)INT32_MIN && d <= (double)INT32_MAX && d == (double)(int32_t)d;
	}
	if (k >= K_LIST && depth >= FT_BUNDLE_TREE_DEPTH)
		return 0;
	if (k == K_ARRAY || k == K_OBJECT)
		cJSON_ArrayForEach(m, j)
			if ((k == K_OBJECT && !m->string) || !fits(m, depth + 1))
				return 0;
	return 1;
}

static int fits_whole(const cJSON *j, void *arg)
{
	(void)arg;
	return fits(j, 0);
}

/* `text` parsed when a tree codes it: it fits, and the reader's print of
 * it is the text itself. */
static cJSON *codable(const char *text)
{
	return ft__bundle_py_parse_exact(text, fits_whole, NULL);
}

int ft__bundle_tree_codable(const char *text)
{
	cJSON *j = codable(text);

	cJSON_Delete(j);
	return j != NULL;
}

static int intern(struct ft_bundle_pytab *tab, struct enc *e, const char *s)
{
	uint32_t id;

	if (ft_map_intern(&tab->strs, s, strlen(s), &id, NULL) < 0)
		return -ENOMEM;
	put_u32(e, id);
	return 0;
}

/* Node `j` of kind `k` (its kind byte already out), in the reader's order. */
static int emit(struct ft_bundle_pytab *tab, struct enc *e, const cJSON *j, int k)
{
	const cJSON *m;
	uint32_t id;

	switch (k) {
	case K_INT: {
		int32_t i = (int32_t)j->valuedouble;
		/* zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... */
		put_u32(e, i < 0 ? ((uint32_t)(-(int64_t)i) << 1) - 1u : (uint32_t)i << 1);
		return 0;
	}
	case K_STR:
		return intern(tab, e, j->valuestring);
	case K_LIST:
		if (ft__bundle_py_code_list(tab, j, &id) < 0)
			return -ENOMEM;
		put_u32(e, id);
		return 0;
	case K_ARRAY:
	case K_OBJECT:
		put_u32(e, (uint32_t)cJSON_GetArraySize(j));
		cJSON_ArrayForEach(m, j) {
			int mk = kind_of(m);
			if (k == K_OBJECT && intern(tab, e, m->string) < 0)
				return -ENOMEM;
			put_byte(e, (unsigned)mk);
			if (emit(tab, e, m, mk) < 0)
				return -ENOMEM;
		}
		return 0;
	default:
		return 0;
	}
}

int ft__bundle_tree_code(struct ft_bundle_pytab *tab, const char *text, struct ft_bundle_pyval *v)
{
	struct enc e = { 0 };
	cJSON *j;
	int k;

	memset(v, 0, sizeof(*v));
	if (!text)
		return 0;
	v->tag = FT_BUNDLE_PY_RAW;
	v->raw = text;
	if (!(j = codable(text)))
		return 0;
	k = kind_of(j);
	put_byte(&e, 2u + (unsigned)k);
	if (emit(tab, &e, j, k) < 0 || e.nomem) {
		cJSON_Delete(j);
		free(e.b);
		return -ENOMEM;
	}
	cJSON_Delete(j);
	v->tag = FT_BUNDLE_PY_TREE;
	v->code = e.b;
	v->ncode = e.n;
	return 0;
}

/* --- reading ---------------------------------------------------------------- */

struct tctx {
	struct ft_bundle_rd *r;
	struct ft_bundle_pyread *py;
	uint64_t bound;       /* the bytes the text prints as, at most */
	int *nomem;
};

/* `add` more bytes of text: within FT_BUNDLE_PY_MAX, with what was made? */
static int charge(struct tctx *t, uint64_t add)
{
	t->bound += add;
	if (t->bound > FT_BUNDLE_PY_MAX || t->py->made + t->bound > FT_BUNDLE_PY_MAX) {
		ft__bundle_fail(t->r, "the Python texts expand to more than 4 GiB");
		return 0;
	}
	return 1;
}

/* An index into a table of `n` entries, named in first-use order. */
static int get_ref(struct tctx *t, int list, uint32_t *id)
{
	struct ft_bundle_rd *r = t->r;

	*id = ft__bundle_get_u32(r);
	if (r->bad)
		return 0;
	if (*id >= (list ? t->py->nlists : t->py->nstrs)) {
		ft__bundle_fail(r, "a Python text names a string or list that is not there");
		return 0;
	}
	if ((list ? ft__bundle_py_use_list(t->py, *id) : ft__bundle_py_use_str(t->py, *id)) < 0) {
		ft__bundle_fail(r, "the Python strings and lists are not in the order of their first use");
		return 0;
	}
	return 1;
}

static cJSON *node(struct tctx *t, unsigned kind, int depth);

/* An array's or object's members, into `j`. */
static int members(struct tctx *t, cJSON *j, int object, int depth)
{
	struct ft_bundle_rd *r = t->r;
	uint32_t n = ft__bundle_get_u32(r), key = 0;
	int all_strings = 1;

	if (r->bad)
		return 0;
	/* a member is at least its kind byte, and a key's index */
	if ((uint64_t)n * (object ? 2 : 1) > (uint64_t)(r->end - r->p)) {
		ft__bundle_fail(r, "a Python text's size is larger than the bytes left");
		return 0;
	}
	if (!charge(t, 2 + (uint64_t)n))
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		unsigned k;
		cJSON *m;
		if (object && (!get_ref(t, 0, &key) ||
			       !charge(t, ft__bundle_py_str_bound(t->py, key) + 1)))
			return 0;
		k = (unsigned)ft__bundle_get_le(r, 1);
		if (r->bad)
			return 0;
		all_strings &= k == K_STR;
		if (!(m = node(t, k, depth + 1)))
			return 0;
		if (!(object ? cJSON_AddItemToObject(j, t->py->strs[key], m) :
			       cJSON_AddItemToArray(j, m))) {
			cJSON_Delete(m);
			*t->nomem = 1;
			r->bad = 1;
			return 0;
		}
	}
	/* `[]` too */
	if (!object && all_strings) {
		ft__bundle_fail(r, "an array of strings not coded as a list (not canonical)");
		return 0;
	}
	return 1;
}

static cJSON *node(struct tctx *t, unsigned kind, int depth)
{
	struct ft_bundle_rd *r = t->r;
	cJSON *j = NULL;
	uint32_t id;

	if (kind > K_LAST) {
		ft__bundle_fail(r, "a Python text has an unknown kind of value");
		return NULL;
	}
	if (kind >= K_LIST && depth >= FT_BUNDLE_TREE_DEPTH) {
		ft__bundle_fail(r, "a Python text nests deeper than a bundle's trees may");
		return NULL;
	}
	switch (kind) {
	case K_NULL:
	case K_TRUE:
		if (charge(t, 4))
			j = kind == K_NULL ? cJSON_CreateNull() : cJSON_CreateTrue();
		break;
	case K_FALSE:
		if (charge(t, 5))
			j = cJSON_CreateFalse();
		break;
	case K_INT:
		id = ft__bundle_get_u32(r);
		if (!r->bad && charge(t, 11))
			j = cJSON_CreateNumber(id & 1 ? -(double)(id >> 1) - 1 : (double)(id >> 1));
		break;
	case K_STR:
		if (get_ref(t, 0, &id) && charge(t, ft__bundle_py_str_bound(t->py, id)))
			j = cJSON_CreateString(t->py->strs[id]);
		break;
	case K_LIST:
		if (get_ref(t, 1, &id) && charge(t, t->py->lists[id].bound))
			j = ft__bundle_py_make_list(t->py, &t->py->lists[id]);
		break;
	default:
		j = kind == K_ARRAY ? cJSON_CreateArray() : cJSON_CreateObject();
		if (j && !members(t, j, kind == K_OBJECT, depth)) {
			cJSON_Delete(j);
			return NULL;
		}
		break;
	}
	if (!j && !r->bad) {
		*t->nomem = 1;
		r->bad = 1;
	}
	return j;
}

void ft__bundle_tree_get(struct ft_bundle_rd *r, struct ft_bundle_pyread *py, unsigned kind,
			 char **out, int *nomem)
{
	struct tctx t = { r, py, 0, nomem };
	cJSON *j;

	*out = NULL;
	if (!(j = node(&t, kind, 0)))
		return;
	*out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!*out) {
		*nomem = 1;
		r->bad = 1;
		return;
	}
	py->made += strlen(*out);
}
