/*
 * pyfunc_names.c - a skeleton change that only changes module-level names
 * (see ft_pyfunc_names.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_json.h"
#include "ft_pyfunc_names.h"

/* The differing middle is compared with an (n+1)(m+1) table: past this,
 * no narrowing (a rewrite of that size selects by skeleton anyway). */
#define MAX_CELLS (4u << 20)

struct stmt {
	const char *hash;
	const char *kind;
	cJSON *bind, *ment;
	cJSON *src, *have;   /* a from-import's: the names it imports, parallel
			      * to bind, and whether its module has each (now
			      * only); NULL if the fingerprint has none */
	int matched;
	int paired;
	int pfrom;     /* paired as a test module's project from-import
			* (pfrom_pair): it binds the names it mentions */
	int reached;   /* an unchanged "mark" statement of a test module that
			* mentions a changed name: its marks take the new
			* value, so its test counts as changed */
};

int ft_pyfunc_names_is_def(const char *kind)
{
	return !strcmp(kind, "def") || !strcmp(kind, "wrap");
}

/* Is `name` (of length `len`) one of the `n` strings of `v`? */
static int in_list(char *const *v, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i]) == len && !strncmp(v[i], name, len))
			return 1;
	return 0;
}

/* Is every module of the comma-separated list `p` one of the `n` of `v`? */
static int all_in(const char *p, char *const *v, size_t n)
{
	if (!*p)
		return 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (!len || !in_list(v, n, p, len))
			return 0;
		p += len + (p[len] == ',');
	}
	return 1;
}

/* A test function whose marks run nothing: "mark", or "mark:M,N" whose
 * marks also read constants or make values of the standard-library
 * modules M and N, which every recorded session had loaded from the
 * standard library at its start-up (in->stdlib: `import M` there gave the
 * standard library's module, not a project file of its name). */
static int is_mark(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	if (!strcmp(s->kind, "mark"))
		return 1;
	return !strncmp(s->kind, "mark:", 5) && all_in(s->kind + 5, in->stdlib, in->nstdlib);
}

/* Names pytest itself looks up in a test module (setup_module,
 * setUpModule, teardown_function, pytestmark, pytest_plugins,
 * pytest_generate_tests, ...): a change of one is never a test's own. */
static int pytest_special(const char *n)
{
	return !strncmp(n, "setup", 5) || !strncmp(n, "setUp", 5) || !strncmp(n, "teardown", 8) ||
	       !strncmp(n, "tearDown", 8) || !strncmp(n, "pytest", 6);
}

static int is_from(const struct stmt *s)
{
	return !strncmp(s->kind, "from:", 5);
}

/* `import M` of a module every session has loaded already: added or
 * removed, it only binds or unbinds its names.  "import:M": every pytest
 * session loads M before any project code (the fingerprint's _PRELOADED);
 * "stdimport:M,N": top-level standard-library modules (or pytest) that
 * every recorded session had loaded at its start-up (in->loaded). */
static int is_preloaded_import(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	if (!strncmp(s->kind, "import:", 7))
		return 1;
	return !strncmp(s->kind, "stdimport:", 10) && all_in(s->kind + 10, in->loaded, in->nloaded);
}

/* A class whose methods have pytest marks that run nothing: "mclass", or
 * "mclass:M,N" whose marks read standard-library modules, as is_mark. */
static int is_mclass(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	if (!strcmp(s->kind, "mclass"))
		return 1;
	return !strncmp(s->kind, "mclass:", 7) && all_in(s->kind + 7, in->stdlib, in->nstdlib);
}

/* A plain class: "class", or "tclass" (its base is unittest's TestCase),
 * or in a test module a class whose methods have pytest marks. */
static int is_class(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	return !strcmp(s->kind, "class") || !strcmp(s->kind, "tclass") || (in->tmod && is_mclass(s, in));
}

int ft_pyfunc_names_is_pyclass(const char *kind)
{
	return !strcmp(kind, "class") || !strcmp(kind, "mclass") || !strncmp(kind, "mclass:", 7);
}

static int add_name(cJSON *arr, const char *s);

/* An annotated assignment, "ann:<digest of its annotation>", with
 * ":derive" or ":derive:re" after it when its value is derived. */
static int is_ann(const char *kind)
{
	return !strncmp(kind, "ann:", 4);
}

/* The length of an "ann:" kind's "ann:<digest>": the part that says what
 * the statement stores into __annotations__. */
static size_t ann_len(const char *kind)
{
	return 4 + strcspn(kind + 4, ":");
}

/* The derived part of a kind: "derive" or "derive:re" (the value compiled
 * a regular expression), alone or after an annotation's "ann:<digest>:";
 * NULL if none. */
static const char *derive_part(const char *kind)
{
	if (is_ann(kind))
		kind += ann_len(kind) + (kind[ann_len(kind)] == ':');
	return !strcmp(kind, "derive") || !strcmp(kind, "derive:re") ? kind : NULL;
}

int ft_pyfunc_names_is_assign(const char *kind)
{
	return !strcmp(kind, "assign") || derive_part(kind) || (is_ann(kind) && !kind[ann_len(kind)]);
}

/* Do both versions make the same __annotations__: the same annotated
 * assignments ("ann:" kinds, each with its annotation's digest, and their
 * names) in the same order?  The fingerprint tool calls an annotated
 * assignment "ann:" only when every one of the module's is, so these are
 * all the writes of __annotations__, whose reads the recorder cannot note:
 * only the names' values may differ. */
static int same_annotations(const struct stmt *a, size_t n, const struct stmt *b, size_t m)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < n && !is_ann(a[i].kind))
			i++;
		while (j < m && !is_ann(b[j].kind))
			j++;
		if (i == n || j == m)
			return i == n && j == m;
		if (ann_len(a[i].kind) != ann_len(b[j].kind) ||
		    strncmp(a[i].kind, b[j].kind, ann_len(a[i].kind)) || cJSON_GetArraySize(a[i].bind) != 1 ||
		    cJSON_GetArraySize(b[j].bind) != 1 ||
		    !cJSON_IsString(cJSON_GetArrayItem(a[i].bind, 0)) ||
		    !cJSON_IsString(cJSON_GetArrayItem(b[j].bind, 0)) ||
		    strcmp(cJSON_GetArrayItem(a[i].bind, 0)->valuestring,
			   cJSON_GetArrayItem(b[j].bind, 0)->valuestring))
			return 0;
		i++;
		j++;
	}
}

/* A derived assignment: its value reads earlier plain or derived
 * assignments' names and calls known-pure builtins (ftrace_fingerprint's
 * _Derive), so its names change with any name it mentions. */
static int is_derive(const struct stmt *s)
{
	return derive_part(s->kind) != NULL;
}

/* A derived assignment whose value compiles a regular expression: the
 * fingerprint tool found that it compiles, without a warning, under its
 * own standard library.  Only a test that ran with that same standard
 * library (std_ok: in->std, every recorded session's, equals the tool's)
 * may take the statement for one that only binds. */
static int is_regex(const struct stmt *s)
{
	const char *d = derive_part(s->kind);

	return d && !strcmp(d, "derive:re");
}

/* Add to `out` (the changed names) the names of each derived assignment
 * of `b` (now) that mentions one, until none is added: the closure over
 * the statements ("Derived values").  1 if some were added, 0, -ENOMEM;
 * -EAGAIN if it reached a regular expression's and !std_ok. */
static int derive_closure(const struct stmt *b, size_t m, cJSON *out, int std_ok)
{
	int grew = 1, any = 0;
	cJSON *e, *n;

	while (grew) {
		grew = 0;
		for (size_t j = 0; j < m; j++) {
			int reads = 0;
			if (!is_derive(&b[j]))
				continue;
			cJSON_ArrayForEach(e, b[j].ment)
				reads = reads || (cJSON_IsString(e) && ft_json_has_string(out, e->valuestring));
			if (!reads)
				continue;
			if (is_regex(&b[j]) && !std_ok)
				return -EAGAIN;
			cJSON_ArrayForEach(n, b[j].bind) {
				if (!cJSON_IsString(n) || ft_json_has_string(out, n->valuestring))
					continue;
				if (add_name(out, n->valuestring) < 0)
					return -ENOMEM;
				grew = any = 1;
			}
		}
	}
	return any;
}

/* A statement that can do nothing but bind its names: a plain function
 * or class, a plain assignment, an import of a preloaded module, a test
 * module's marked test. */
static int only_binds(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	return ft_pyfunc_names_is_def(s->kind) || is_class(s, in) || ft_pyfunc_names_is_assign(s->kind) ||
	       is_preloaded_import(s, in) || (in->tmod && is_mark(s, in));
}

/* The statements of a "names" object, or NULL (malformed, or none). */
static struct stmt *load(cJSON *names, size_t *n)
{
	cJSON *arr = cJSON_GetObjectItem(names, "stmts"), *e;
	struct stmt *v;
	size_t i = 0;

	*n = 0;
	if (!cJSON_IsArray(arr) || !(v = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v))))
		return NULL;
	cJSON_ArrayForEach(e, arr) {
		cJSON *h = cJSON_GetArrayItem(e, 0), *k = cJSON_GetArrayItem(e, 1);
		struct stmt *s = &v[i++];
		s->bind = cJSON_GetArrayItem(e, 2);
		s->ment = cJSON_GetArrayItem(e, 3);
		s->src = cJSON_GetArrayItem(e, 4);
		s->have = cJSON_GetArrayItem(e, 5);
		if (!cJSON_IsString(h) || !cJSON_IsString(k) || !cJSON_IsArray(s->bind) ||
		    !cJSON_IsArray(s->ment)) {
			free(v);
			return NULL;
		}
		s->hash = h->valuestring;
		s->kind = k->valuestring;
	}
	*n = i;
	return v;
}

/* Mark the statements a longest common subsequence of the hashes matches:
 * the common head and tail, then a table over the middle.  0, or 1 if the
 * middle is too large. */
static int match(struct stmt *a, size_t n, struct stmt *b, size_t m)
{
	size_t lo = 0, hn = n, hm = m, rn, rm;
	uint32_t *t;

	while (lo < n && lo < m && !strcmp(a[lo].hash, b[lo].hash)) {
		a[lo].matched = b[lo].matched = 1;
		lo++;
	}
	while (hn > lo && hm > lo && !strcmp(a[hn - 1].hash, b[hm - 1].hash)) {
		a[--hn].matched = 1;
		b[--hm].matched = 1;
	}
	rn = hn - lo;
	rm = hm - lo;
	if (!rn || !rm)
		return 0;
	if ((rn + 1) * (rm + 1) > MAX_CELLS || !(t = calloc((rn + 1) * (rm + 1), sizeof(*t))))
		return 1;
	/* t[i][j]: the LCS of a[lo+i..hn) and b[lo+j..hm) */
	for (size_t i = rn; i-- > 0;)
		for (size_t j = rm; j-- > 0;) {
			uint32_t *c = &t[i * (rm + 1) + j];
			if (!strcmp(a[lo + i].hash, b[lo + j].hash))
				*c = t[(i + 1) * (rm + 1) + j + 1] + 1;
			else {
				uint32_t d = t[(i + 1) * (rm + 1) + j], r = t[i * (rm + 1) + j + 1];
				*c = d > r ? d : r;
			}
		}
	for (size_t i = 0, j = 0; i < rn && j < rm;) {
		if (!strcmp(a[lo + i].hash, b[lo + j].hash)) {
			a[lo + i++].matched = 1;
			b[lo + j++].matched = 1;
		} else if (t[(i + 1) * (rm + 1) + j] >= t[i * (rm + 1) + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	free(t);
	return 0;
}

static int add_name(cJSON *arr, const char *s)
{
	cJSON *e;

	if (ft_json_has_string(arr, s))
		return 0;
	if (!(e = cJSON_CreateString(s)))
		return -ENOMEM;
	cJSON_AddItemToArray(arr, e);
	return 0;
}

/* How many statements of `v` bind `name` (a project from-import paired
 * by pfrom_pair, or any import of a project module, binds what it
 * mentions). */
static size_t binders(const struct stmt *v, size_t n, const char *name, int pfrom)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += (size_t)(ft_json_has_string(v[i].bind, name) ||
			      (pfrom && !strncmp(v[i].kind, "pimport:", 8) &&
			       ft_json_has_string(v[i].ment, name)));
	return c;
}

/* Does from-import `s` bind `alias` to the name `src` of its module? */
static int has_pair(const struct stmt *s, const char *src, const char *alias)
{
	for (int i = 0; i < cJSON_GetArraySize(s->bind); i++) {
		cJSON *b = cJSON_GetArrayItem(s->bind, i), *f = cJSON_GetArrayItem(s->src, i);
		if (cJSON_IsString(b) && cJSON_IsString(f) && !strcmp(b->valuestring, alias) &&
		    !strcmp(f->valuestring, src))
			return 1;
	}
	return 0;
}

/* Are the names a from-import imports listed, one per name it binds? */
static int has_src(const struct stmt *s)
{
	return cJSON_IsArray(s->src) && cJSON_GetArraySize(s->src) == cJSON_GetArraySize(s->bind);
}

/* Is from-import `s`'s module one every recorded session had loaded from
 * the standard library at its start-up (in->stdlib)?  Then adding or
 * removing the statement runs nothing. */
static int from_preloaded(const struct stmt *s, const struct ft_pyfunc_names_in *in)
{
	const char *mod = s->kind + 5;

	return in_list(in->stdlib, in->nstdlib, mod, strlen(mod));
}

/* A from-import `s` now, differing from `o`, an old one of the same module
 * (or NULL: `s` is new): add to `out` the names bound on one side only or
 * to another name of the module.  1 if each (name, alias) pair `s` gained
 * is one its module has (s->have, found by the fingerprint tool under the
 * standard library every recorded session had: `now_std` = in->std) and
 * the module is the standard library's own, loaded at every recorded
 * session's start-up (from_preloaded: not a project file of its name,
 * which the tool did not look at); 0 if not (`out` may hold some names
 * then); -ENOMEM. */
static int pair_from(const struct stmt *o, const struct stmt *s, cJSON *out,
		     const struct ft_pyfunc_names_in *in, const char *now_std)
{
	int std_ok = in->std && now_std && !strcmp(in->std, now_std) && from_preloaded(s, in);

	for (int side = !o; side < 2; side++) {
		const struct stmt *a = side ? s : o, *b = side ? o : s;
		for (int i = 0; i < cJSON_GetArraySize(a->bind); i++) {
			cJSON *al = cJSON_GetArrayItem(a->bind, i), *f = cJSON_GetArrayItem(a->src, i);
			cJSON *h = cJSON_GetArrayItem(s->have, i);
			if (!cJSON_IsString(al) || !cJSON_IsString(f))
				return 0;
			if (b && has_pair(b, f->valuestring, al->valuestring))
				continue;
			if (side && !(cJSON_IsNumber(h) && h->valueint == 1 && std_ok))
				return 0;
			if (add_name(out, al->valuestring) < 0)
				return -ENOMEM;
		}
	}
	return 1;
}

/* A from-import of a project module without aliases or a star, in a
 * test module: kind "pimport:E,...,M,?P.N1,?P.N2" (ftrace_fingerprint
 * _import_entries: the modules it needs, M the one it imports from, then
 * one "?" entry per name, P = M, or M itself when M is only dots) whose
 * mentions are exactly N1, N2, ...  *mlen: the length of the kind up to
 * the first "?" entry (its "pimport:" and its modules, which two such
 * statements of the same module share); *plen: the length of P's prefix
 * in a "?" entry ("?" included). */
static int is_pfrom(const struct stmt *s, size_t *mlen, size_t *plen)
{
	const char *q = strstr(s->kind, ",?"), *m, *p;
	size_t n = 0, ml;
	cJSON *e;

	if (strncmp(s->kind, "pimport:", 8) || !q)
		return 0;
	/* M: the entry before the first "?" one */
	for (m = q; m > s->kind + 8 && m[-1] != ','; m--)
		;
	ml = (size_t)(q - m);
	if (!ml)
		return 0;
	*mlen = (size_t)(q - s->kind);
	*plen = 1 + ml + (m[ml - 1] != '.');
	for (p = q + 1; *p; n++) {
		size_t len = strcspn(p, ",");
		/* "?" + M ("." after it unless M is dots) + a name of no dot */
		if (len <= *plen || p[0] != '?' || memcmp(p + 1, m, ml) ||
		    (m[ml - 1] != '.' && p[1 + ml] != '.') || memchr(p + *plen, '.', len - *plen))
			return 0;
		/* its name is one the statement mentions */
		{
			int found = 0;
			cJSON_ArrayForEach(e, s->ment)
				found = found || (cJSON_IsString(e) && strlen(e->valuestring) == len - *plen &&
						  !memcmp(e->valuestring, p + *plen, len - *plen));
			if (!found)
				return 0;
		}
		p += len + (p[len] == ',');
	}
	/* no alias: it mentions those names only */
	return n && (size_t)cJSON_GetArraySize(s->ment) == n && cJSON_GetArraySize(s->bind) == 0;
}

/* Does kind `kind` (an is_pfrom one) import the name `name` (its "?"
 * entries; plen as is_pfrom gives)? */
static int pfrom_has(const char *kind, size_t mlen, size_t plen, const char *name, size_t len)
{
	const char *p = kind + mlen + 1;

	while (*p) {
		size_t l = strcspn(p, ",");
		if (l - plen == len && !memcmp(p + plen, name, len))
			return 1;
		p += l + (p[l] == ',');
	}
	return 0;
}

/* How many statements before v[i] a longest common subsequence matched:
 * two unmatched statements with the same count stand between the same
 * matched ones, so each runs after what the other ran after. */
static size_t slot(const struct stmt *v, size_t i)
{
	size_t c = 0;

	while (i-- > 0)
		c += (size_t)v[i].matched;
	return c;
}

/* A test module's project from-import now `s` (is_pfrom), paired with an
 * old one `o` of the same module (or NULL: `s` is new): the names on one
 * side only are changed names (to `out`), and each, as its "?" entry, to
 * `attrs`: whether the module binds it plainly, so that getting it runs
 * no code and cannot fail, and what it binds is nothing pytest takes from
 * the test module by itself (a fixture, autouse or not, whatever its
 * name), is the test's session's to say (the module's file among what
 * its prelude loaded, and its fingerprint: ft__pyfunc_attrs_unsure).  0
 * or -ENOMEM. */
static int pfrom_pair(const struct stmt *o, const struct stmt *s, size_t mlen, size_t plen,
		      cJSON *out, cJSON *attrs)
{
	for (int side = !o; side < 2; side++) {
		const struct stmt *a = side ? s : o, *b = side ? o : s;
		const char *p = a->kind + mlen + 1;
		while (*p) {
			size_t l = strcspn(p, ",");
			char name[512], entry[1024];
			if (l - plen < sizeof(name) && l < sizeof(entry) &&
			    !(b && pfrom_has(b->kind, mlen, plen, p + plen, l - plen))) {
				memcpy(name, p + plen, l - plen);
				name[l - plen] = '\0';
				memcpy(entry, p, l);
				entry[l] = '\0';
				if (add_name(out, name) < 0 || add_name(attrs, entry) < 0)
					return -ENOMEM;
			} else if (l - plen >= sizeof(name) || l >= sizeof(entry)) {
				return -ENAMETOOLONG;
			}
			p += l + (p[l] == ',');
		}
	}
	return 0;
}

/* The changed names into `out`: 1 if every difference is allowed, else 0
 * and *why. */
static int changed_names(struct stmt *a, size_t n, struct stmt *b, size_t m, cJSON *out,
			 cJSON *attrs, const struct ft_pyfunc_names_in *in, const char *now_std,
			 const char **why)
{
	size_t mlen, plen, omlen, oplen;
	cJSON *e;

	for (size_t j = 0; j < m; j++) {
		struct stmt *s = &b[j];
		if (s->matched)
			continue;
		if (is_regex(s) && !(in->std && now_std && !strcmp(in->std, now_std))) {
			*why = "skeleton changed (a regular expression compiled at import, checked "
			       "under another standard library than the tests ran with)";
			return 0;
		}
		if (only_binds(s, in)) {
			cJSON_ArrayForEach(e, s->bind)
				if (add_name(out, e->valuestring) < 0)
					return -ENOMEM;
			continue;
		}
		if (in->tmod && is_pfrom(s, &mlen, &plen)) {
			/* a test module's from-import of a project module:
			 * an old one of the same module, or a new one */
			struct stmt *o = NULL;
			int r;
			for (size_t i = 0; i < n && !o; i++)
				if (!a[i].matched && !a[i].paired && is_pfrom(&a[i], &omlen, &oplen) &&
				    omlen == mlen && oplen == plen && !strncmp(a[i].kind, s->kind, mlen))
					o = &a[i];
			/* moved past another statement, it may now bind its
			 * unchanged names after code that reads them */
			if (o && slot(a, (size_t)(o - a)) != slot(b, j)) {
				*why = "skeleton changed (a from-import moved)";
				return 0;
			}
			if ((r = pfrom_pair(o, s, mlen, plen, out, attrs)) < 0) {
				if (r != -ENAMETOOLONG)
					return r;
				*why = NULL;
				return 0;
			}
			if (o)
				o->paired = o->pfrom = 1;
			s->paired = s->pfrom = 1;
			continue;
		}
		if (!is_from(s)) {
			*why = NULL;   /* the skeleton changed, plainly */
			return 0;
		}
		/* an import now must be an old one of the same module, or a new
		 * one of a module loaded at start-up, whose new names the
		 * module has */
		for (size_t i = 0; i < n && !s->paired; i++) {
			struct stmt *o = &a[i];
			int r;
			if (o->matched || o->paired || strcmp(o->kind, s->kind) || !has_src(o) ||
			    !has_src(s))
				continue;
			if ((r = pair_from(o, s, out, in, now_std)) < 0)
				return r;
			if (!r) {
				*why = "skeleton changed (a from-import gained a name its module is not "
				       "known to have in the standard library the tests ran with)";
				return 0;
			}
			o->paired = s->paired = 1;
		}
		if (!s->paired && has_src(s)) {
			int r = pair_from(NULL, s, out, in, now_std);
			if (r < 0)
				return r;
			s->paired = r;
		}
		if (!s->paired) {
			*why = "skeleton changed (an import statement was added)";
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct stmt *s = &a[i];
		if (s->matched || s->paired)
			continue;
		if (!only_binds(s, in) && !(is_from(s) && from_preloaded(s, in))) {
			*why = is_from(s) ? "skeleton changed (an import statement was removed)" : NULL;
			return 0;
		}
		cJSON_ArrayForEach(e, s->bind)
			if (add_name(out, e->valuestring) < 0)
				return -ENOMEM;
	}
	return 1;
}

/* Add to `hit` the keys of `refs` that are methods of class `name` (at
 * any depth: "name.m", "name.Inner.m").  0 or -ENOMEM. */
static int add_methods(cJSON *hit, cJSON *refs, const char *name)
{
	size_t len = strlen(name);
	cJSON *k;

	cJSON_ArrayForEach(k, refs)
		if (!strncmp(k->string, name, len) && k->string[len] == '.' &&
		    add_name(hit, k->string) < 0)
			return -ENOMEM;
	return 0;
}

int ft_pyfunc_names_diff(cJSON *old, cJSON *now, const struct ft_pyfunc_names_in *in,
			 struct ft_pyfunc_names_out *res, const char **why)
{
	struct stmt *a = NULL, *b = NULL;
	size_t n, m;
	cJSON *out = NULL, *hit = NULL, *wr = NULL, *mk = NULL, *cl = NULL, *at = NULL;
	cJSON *refs = cJSON_GetObjectItem(now, "refs"), *e, *k, *std;
	char doc[4096];
	int rc = 0;

	memset(res, 0, sizeof(*res));
	*why = "function granularity: no statement list of the version the test saw or of now";
	if (!cJSON_IsObject(refs) || !(a = load(old, &n)) || !(b = load(now, &m)))
		goto out;
	*why = "skeleton changed (too many statements to compare)";
	if (match(a, n, b, m))
		goto out;
	if (!(out = cJSON_CreateArray()) || !(hit = cJSON_CreateArray()) ||
	    !(wr = cJSON_CreateArray()) || !(mk = cJSON_CreateArray()) ||
	    !(cl = cJSON_CreateArray()) || !(at = cJSON_CreateArray())) {
		rc = -ENOMEM;
		goto out;
	}
	*why = "skeleton changed (an annotated assignment added, removed, moved or annotated "
	       "otherwise: the module's __annotations__ changed)";
	if (!same_annotations(a, n, b, m))
		goto out;
	std = cJSON_GetObjectItem(now, "std");
	if ((rc = changed_names(a, n, b, m, out, at, in,
				cJSON_IsString(std) ? std->valuestring : NULL, why)) <= 0)
		goto out;
	if ((rc = derive_closure(b, m, out, in->std && cJSON_IsString(std) &&
				 !strcmp(in->std, std->valuestring))) < 0) {
		if (rc == -EAGAIN) {
			*why = "skeleton changed (a regular expression compiled at import reads a "
			       "changed name, and the tests ran with another standard library)";
			rc = 0;
		}
		goto out;
	}
	rc = 0;
	for (size_t j = 0; j < m; j++)
		if (ft_json_has_string(b[j].ment, "*")) {
			*why = "skeleton changed, and module-level code reads the namespace as a whole "
			       "(globals(), vars(), dir(), eval() or exec())";
			goto out;
		}
	cJSON_ArrayForEach(e, out) {
		int pf = 0;
		for (size_t j = 0; j < m; j++)
			pf = pf || (b[j].pfrom && ft_json_has_string(b[j].ment, e->valuestring));
		for (size_t i = 0; i < n; i++)
			pf = pf || (a[i].pfrom && ft_json_has_string(a[i].ment, e->valuestring));
		if (binders(a, n, e->valuestring, pf) > 1 || binders(b, m, e->valuestring, pf) > 1) {
			*why = "skeleton changed, and a changed name is bound by more than one statement";
			goto out;
		}
		if (in->tmod && pytest_special(e->valuestring)) {
			*why = "skeleton changed, and a changed name is one pytest looks up in a "
			       "test module (setup_module, pytestmark, pytest_plugins, ...)";
			goto out;
		}
		/* a test module's test function may name one in its marks
		 * (a parametrize table): what its marks hold is its own, so
		 * an unchanged one that does is changed with it (reached); a
		 * derived assignment that reads one changed with it
		 * (derive_closure) */
		for (size_t j = 0; j < m; j++) {
			/* (a paired project from-import binds what it mentions) */
			/* (a plain assignment's value is constants: it names
			 * one only by the words of a string, `__all__ =
			 * ["__version__"]`, which reaches the name only through
			 * a read of the module's names, noted where it runs, or
			 * code of the module that reads its namespace as a
			 * whole, judged here and by its refs below) */
			if (!ft_json_has_string(b[j].ment, e->valuestring) || is_derive(&b[j]) ||
			    b[j].pfrom || !strcmp(b[j].kind, "assign"))
				continue;
			if (in->tmod && is_mark(&b[j], in)) {
				b[j].reached = b[j].matched;
				continue;
			}
			/* a test class whose methods' marks name it: the class
			 * is changed with it (its name joins the changed ones,
			 * so that it is asked for whole) */
			if (in->tmod && is_mclass(&b[j], in)) {
				cJSON *bn;
				b[j].reached = b[j].matched;
				cJSON_ArrayForEach(bn, b[j].bind)
					if (add_name(out, bn->valuestring) < 0) {
						rc = -ENOMEM;
						goto out;
					}
				continue;
			}
			*why = "skeleton changed, and code outside function bodies mentions a "
			       "changed name";
			goto out;
		}
	}
	/* the bodies that can see the change: their code names a changed name
	 * (or the namespace), and the changed defs themselves */
	cJSON_ArrayForEach(k, refs) {
		int sees = ft_json_has_string(k, "*");
		cJSON_ArrayForEach(e, out)
			sees = sees || ft_json_has_string(k, e->valuestring);
		if (sees && add_name(hit, k->string) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	}
	/* each changed function, old or new, counts as its own body, and a
	 * changed class's methods (now; gone ones are changed bodies) as
	 * theirs; a "wrap" one's docstring is in the wrapper its name holds */
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < (side ? m : n); i++) {
			struct stmt *s = side ? &b[i] : &a[i];
			int wrap = !strcmp(s->kind, "wrap");
			/* an assignment's names have no body: their readers
			 * are the refs above and the recorded reads */
			if ((s->matched && !(side && s->reached)) || !only_binds(s, in) ||
			    is_preloaded_import(s, in) ||
			    ft_pyfunc_names_is_assign(s->kind))
				continue;
			if (is_class(s, in)) {
				cJSON_ArrayForEach(e, s->bind)
					if (add_methods(hit, refs, e->valuestring) < 0 ||
					    add_name(cl, e->valuestring) < 0) {
						rc = -ENOMEM;
						goto out;
					}
				continue;
			}
			cJSON_ArrayForEach(e, s->bind) {
				int len = snprintf(doc, sizeof(doc), "%s#doc", e->valuestring);
				if (add_name(hit, e->valuestring) < 0 ||
				    (is_mark(s, in) && add_name(mk, e->valuestring) < 0) ||
				    (wrap && len >= 0 && (size_t)len < sizeof(doc) && add_name(wr, doc) < 0)) {
					rc = -ENOMEM;
					goto out;
				}
			}
		}
	res->names = out;
	res->keys = hit;
	res->wraps = wr;
	res->marks = mk;
	res->classes = cl;
	res->attrs = at;
	out = hit = wr = mk = cl = at = NULL;
	*why = NULL;
	rc = 1;
out:
	cJSON_Delete(out);
	cJSON_Delete(hit);
	cJSON_Delete(wr);
	cJSON_Delete(mk);
	cJSON_Delete(cl);
	cJSON_Delete(at);
	free(a);
	free(b);
	return rc;
}

/* A statement that may act outside the module's namespace as it runs
 * (ft_pyfunc_names_effects): kind "other", "leaves" (it binds a function
 * that may store outside the module when a test runs it), or one this
 * ftrace does not know (a newer tool's). */
static int may_act(const char *kind)
{
	static const char *const plain[] = { "def", "wrap", "class", "tclass", "assign", "doc",
					     "bind" };
	static const char *const prefixes[] = { "mark", "mclass", "ann:", "derive", "from:",
						"import:", "stdimport:", "pimport:", "bind:" };

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(kind, plain[i]))
			return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(kind, prefixes[i], strlen(prefixes[i])))
			return 0;
	return 1;
}

/* Add the comma-separated entries of `list` (a "pimport:" or "leaves:"
 * kind's) to `out`. */
static int add_entries(cJSON *out, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		char buf[1024];
		if (n && n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			if (add_name(out, buf) < 0)
				return -ENOMEM;
		} else if (n) {
			return 1;   /* too long to check: may act */
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

int ft_pyfunc_names_effects(cJSON *old, cJSON *now, cJSON *bound, cJSON *imports,
			    cJSON *leaves, const char **why)
{
	struct stmt *a = NULL, *b = NULL;
	size_t n = 0, m = 0;
	cJSON *names = cJSON_CreateArray(), *e;
	int rc = 1, r;

	*why = "import-time code: no statement list of the version the test saw or of now";
	if (!names)
		return -ENOMEM;
	if (!(a = load(old, &n)) || !(b = load(now, &m)))
		goto out;
	*why = "import-time code: too many statements changed to compare";
	if (match(a, n, b, m))
		goto out;
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < (side ? m : n); i++) {
			const struct stmt *s = side ? &b[i] : &a[i];
			if (s->matched)
				continue;
			if (!strncmp(s->kind, "leaves:", 7) && leaves) {
				if ((r = add_entries(leaves, s->kind + 7)) != 0) {
					rc = r < 0 ? r : 1;
					*why = "a function that may store outside its module changed, into "
					       "a module too long to name";
					goto out;
				}
				continue;   /* a def or class: it binds code */
			}
			if (!strncmp(s->kind, "leaves", 6)) {
				*why = "a function that may store outside its module (into another "
				       "module, the environment or a started patcher) was added, removed "
				       "or changed: a test that runs it may leave that state behind for "
				       "every later test of its session";
				goto out;
			}
			if (may_act(s->kind)) {
				*why = side ? "import-time code: a module-level statement that acts outside "
					      "the module by its form (a bare call, a store into an object, "
					      "an augmented assignment, a star import) was added or changed"
					    : "import-time code: a module-level statement that acts outside "
					      "the module by its form (a bare call, a store into an object, "
					      "an augmented assignment, a star import) was removed or changed";
				goto out;
			}
			if (!strncmp(s->kind, "pimport:", 8) && imports &&
			    (r = add_entries(imports, s->kind + 8)) != 0) {
				rc = r < 0 ? r : 1;
				*why = "import-time code: an import too long to check";
				goto out;
			}
			/* what a statement of another plain kind binds is its bind
			 * list; one of "bind" or "pimport:" lists them among what
			 * it mentions */
			/* not "bind:def": what a def or class binds is code,
			 * whose edit is a body's (the limit of the docs) */
			if (!strcmp(s->kind, "bind") || !strncmp(s->kind, "pimport:", 8))
				cJSON_ArrayForEach(e, s->ment)
					if (cJSON_IsString(e) && add_name(names, e->valuestring) < 0) {
						rc = -ENOMEM;
						goto out;
					}
			if (ft_pyfunc_names_is_def(s->kind) || !strncmp(s->kind, "bind:def", 8) ||
			    !strcmp(s->kind, "class") || !strcmp(s->kind, "tclass") ||
			    !strncmp(s->kind, "mclass", 6) || !strncmp(s->kind, "mark", 4))
				continue;
			cJSON_ArrayForEach(e, s->bind)
				if (cJSON_IsString(e) && add_name(names, e->valuestring) < 0) {
					rc = -ENOMEM;
					goto out;
				}
		}
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < (side ? m : n); i++) {
			const struct stmt *s = side ? &b[i] : &a[i];
			if (!s->matched || !may_act(s->kind))
				continue;
			if (ft_json_has_string(s->ment, "*") && cJSON_GetArraySize(names) > 0) {
				*why = "import-time code: a module-level statement that acts outside the "
				       "module reads the namespace as a whole, and names changed";
				goto out;
			}
			cJSON_ArrayForEach(e, names)
				if (ft_json_has_string(s->ment, e->valuestring)) {
					*why = "import-time code: a module-level statement that acts outside "
					       "the module mentions a changed name";
					goto out;
				}
		}
	rc = 0;
	*why = NULL;
	if (bound) {
		cJSON_ArrayForEach(e, names)
			if (add_name(bound, e->valuestring) < 0) {
				rc = -ENOMEM;
				break;
			}
	}
out:
	cJSON_Delete(names);
	free(a);
	free(b);
	return rc;
}
