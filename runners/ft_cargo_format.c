/*
 * ft_cargo_format.c - see ft_cargo_format.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ft_cargo_format.h"
#include "ft_cargo_meta.h"
#include "ft_error.h"

void ft_cargo_format_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

struct vec {
	char **v;
	size_t n, cap;
};

static int push(struct vec *x, char *s)
{
	if (!s)
		return -ENOMEM;
	if (x->n + 1 >= x->cap) {
		size_t nc = x->cap ? x->cap * 2 : 16;
		char **nv = realloc(x->v, nc * sizeof(*nv));
		if (!nv) {
			free(s);
			return -ENOMEM;
		}
		x->v = nv;
		x->cap = nc;
	}
	x->v[x->n++] = s;
	x->v[x->n] = NULL;
	return 0;
}

/* push "<a><sep><b>" */
static int push2(struct vec *x, const char *a, const char *sep, const char *b)
{
	char *s;
	return asprintf(&s, "%s%s%s", a, sep, b) < 0 ? -ENOMEM : push(x, s);
}

/* "PKG/lib" -> pkg, NULL target, "--lib"; "PKG/test/T" -> "--test", "T";
 * "PKG/doc" -> "--doc".  A cargo target or package name never holds '/'
 * or a space. */
struct cid {
	char pkg[256];
	const char *flag;   /* --lib --bin --test --example --bench --doc */
	const char *name;   /* target name, or NULL */
};

static int parse_id(const char *id, struct cid *c)
{
	static const struct { const char *kind, *flag; } kinds[] = {
		{ "bin/", "--bin" }, { "test/", "--test" }, { "example/", "--example" },
		{ "bench/", "--bench" },
	};
	const char *slash = strchr(id, '/'), *rest;

	if (!slash || slash == id || (size_t)(slash - id) >= sizeof(c->pkg) || strchr(id, ' '))
		return -1;
	memcpy(c->pkg, id, (size_t)(slash - id));
	c->pkg[slash - id] = '\0';
	rest = slash + 1;
	c->name = NULL;
	if (!strcmp(rest, "lib"))
		c->flag = "--lib";
	else if (!strcmp(rest, "doc"))
		c->flag = "--doc";
	else {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			size_t l = strlen(kinds[k].kind);
			if (!strncmp(rest, kinds[k].kind, l) && rest[l] && !strchr(rest + l, '/')) {
				c->flag = kinds[k].flag;
				c->name = rest + l;
				return 0;
			}
		}
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct package names of ids, sorted; FT_EFORMAT on a bad id. */
static int packages(const char *const *ids, size_t n, struct vec *pk, const char **bad)
{
	struct cid c;
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < n; i++) {
		int seen = 0;
		if (parse_id(ids[i], &c) < 0) {
			*bad = ids[i];
			return FT_EFORMAT;
		}
		for (size_t k = 0; k < pk->n; k++)
			seen |= !strcmp(pk->v[k], c.pkg);
		if (!seen)
			rc = push(pk, strdup(c.pkg));
	}
	if (pk->n > 1)
		qsort(pk->v, pk->n, sizeof(*pk->v), cmp_str);
	return rc;
}

/*
 * Does package `pkg` run whole (`-p PKG`, no target flags)?  When one of
 * its integration tests or benches is among ids and it has an example
 * (targets: every target id here, NULL when not known: any package may).
 * `cargo test` with no target flag builds the examples, and a test may run
 * one from the profile's examples/ (docs/cargo.md, rule 3); a target flag
 * (`--test T`) builds none, so the test would run an example built before
 * the change and could pass where the whole run fails (t8032).
 */
static int runs_whole(const char *const *ids, size_t n, char *const *targets, size_t nt,
		      const char *pkg)
{
	size_t pl = strlen(pkg);
	struct cid c;
	int runs_one = 0;

	for (size_t i = 0; !runs_one && i < n; i++)
		runs_one = parse_id(ids[i], &c) >= 0 && !strcmp(c.pkg, pkg) &&
			   (!strcmp(c.flag, "--test") || !strcmp(c.flag, "--bench"));
	if (!runs_one || !targets)
		return runs_one;
	for (size_t k = 0; k < nt; k++)
		if (!strncmp(targets[k], pkg, pl) && !strncmp(targets[k] + pl, "/example/", 9))
			return 1;
	return 0;
}

/* " --lib --test a" for the targets of package `pkg` among ids (doc: only
 * the doc-tests, else everything but); "" if none */
static int targets_of(const char *const *ids, size_t n, const char *pkg, int doc, char **out)
{
	size_t len = 0, cap = 64;
	char *s = malloc(cap);
	struct cid c;

	if (!s)
		return -ENOMEM;
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t need;
		if (parse_id(ids[i], &c) < 0 || strcmp(c.pkg, pkg) || (!strcmp(c.flag, "--doc")) != doc)
			continue;
		need = len + strlen(c.flag) + (c.name ? strlen(c.name) + 1 : 0) + 2;
		if (need > cap) {
			char *ns = realloc(s, cap = need * 2);
			if (!ns) {
				free(s);
				return -ENOMEM;
			}
			s = ns;
		}
		len += (size_t)sprintf(s + len, " %s%s%s", c.flag, c.name ? " " : "", c.name ? c.name : "");
	}
	*out = s;
	return 0;
}

int ft_cargo_format_lines(const char *const *ids, size_t n, char *const *targets, size_t nt,
			  char ***lines, size_t *nlines, const char **bad)
{
	struct vec pk = { 0 }, out = { 0 };
	int rc = packages(ids, n, &pk, bad);

	for (size_t k = 0; rc >= 0 && k < pk.n; k++) {
		if (runs_whole(ids, n, targets, nt, pk.v[k])) {
			rc = push2(&out, "-p ", pk.v[k], ""); /* its doc-tests too */
			continue;
		}
		for (int doc = 0; rc >= 0 && doc < 2; doc++) {
			char *t = NULL;
			if ((rc = targets_of(ids, n, pk.v[k], doc, &t)) < 0)
				break;
			if (*t)
				rc = push2(&out, "-p ", pk.v[k], t);
			free(t);
		}
	}
	ft_cargo_format_free(pk.v, pk.n);
	if (rc < 0) {
		ft_cargo_format_free(out.v, out.n);
		return rc;
	}
	*lines = out.v;
	*nlines = out.n;
	return 0;
}

int ft_cargo_format_argv(const char *const *ids, size_t n, char *const *targets, size_t nt,
			 char ***argv, size_t *nargv, int *superset, const char **bad)
{
	struct vec pk = { 0 }, out = { 0 };
	char **lines = NULL;
	size_t nl = 0;
	int rc = ft_cargo_format_lines(ids, n, targets, nt, &lines, &nl, bad);

	*superset = 0;
	if (rc >= 0)
		rc = packages(ids, n, &pk, bad);
	if (rc >= 0 && nl == 1) {
		/* the one line, split at its spaces (names hold none) */
		char *save = NULL, *w;
		for (w = strtok_r(lines[0], " ", &save); w && rc >= 0; w = strtok_r(NULL, " ", &save))
			rc = push(&out, strdup(w));
	} else {
		*superset = nl > 1;
		for (size_t k = 0; rc >= 0 && k < pk.n; k++) {
			rc = push(&out, strdup("-p"));
			if (rc >= 0)
				rc = push(&out, strdup(pk.v[k]));
		}
	}
	ft_cargo_format_free(lines, nl);
	ft_cargo_format_free(pk.v, pk.n);
	if (rc < 0) {
		ft_cargo_format_free(out.v, out.n);
		return rc;
	}
	*argv = out.v;
	*nargv = out.n;
	return 0;
}

/* nextest's = matcher: \ / ) , and control characters escaped */
static int escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '/' || *s == ')' || *s == ',')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\r')
			fputs("\\r", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
	return 0;
}

int ft_cargo_format_nextest(const char *const *ids, size_t n, char **out, const char **bad)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *sp = strchr(ids[i], ' ');
		if (!sp || sp == ids[i] || !sp[1]) {
			*bad = ids[i];
			return FT_EFORMAT;
		}
	}
	if (!n)
		return 0;
	if (!(f = open_memstream(&buf, &len)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *sp = strchr(ids[i], ' ');
		char bin[1024];
		snprintf(bin, sizeof(bin), "%.*s", (int)(sp - ids[i]), ids[i]);
		fputs(i ? " | (binary_id(=" : "(binary_id(=", f);
		escape(f, bin);
		fputs(") & test(=", f);
		escape(f, sp + 1);
		fputs("))", f);
	}
	if (fclose(f) != 0 || !buf) {
		free(buf);
		return -ENOMEM;
	}
	*out = buf;
	return 0;
}

/* The ids of the members' targets: those `cargo test` runs (`every` 0),
 * or all of them, whatever it runs by default (`every` 1). */
static int member_ids(const struct ft_cargo_meta *m, int every, char ***ids, size_t *n)
{
	struct vec out = { 0 };
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < m->n; i++) {
		const struct ft_cargo_pkg *p = &m->pkgs[i];
		if (!p->member)
			continue;
		for (size_t j = 0; rc >= 0 && j < p->ntargets; j++) {
			const struct ft_cargo_target *t = &p->targets[j];
			/* examples and benches are built, not run, unless test = true */
			if (t->kind == FT_CARGO_BUILD)
				continue;
			if (every || t->test)
				rc = push(&out, ft_cargo_test_id(p, t));
			if (rc >= 0 && t->kind == FT_CARGO_LIB && (every || t->doctest))
				rc = push(&out, ft_cargo_doc_id(p));
		}
	}
	if (rc < 0) {
		ft_cargo_format_free(out.v, out.n);
		return rc;
	}
	*ids = out.v;
	*n = out.n;
	return 0;
}

int ft_cargo_format_all(const struct ft_cargo_meta *m, char ***ids, size_t *n)
{
	return member_ids(m, 0, ids, n);
}

int ft_cargo_format_targets(const struct ft_cargo_meta *m, char ***ids, size_t *n)
{
	return member_ids(m, 1, ids, n);
}

int ft_cargo_target_gone(char *const *targets, size_t n, const char *id)
{
	const char *slash = strchr(id, '/');
	size_t plen = slash ? (size_t)(slash - id) + 1 : 0;
	int member = 0;

	if (!plen)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(targets[i], id))
			return 0;
		member = member || !strncmp(targets[i], id, plen);
	}
	return member;
}

int ft_cargo_format_nextest_list(char *const *args, char ***ids, size_t *n)
{
	static const char *const base[] = { "cargo", "nextest", "list", "--message-format", "json" };
	struct vec argv = { 0 }, out = { 0 };
	char *json = NULL;
	size_t len = 0;
	cJSON *root = NULL;
	const cJSON *suites, *s, *tc;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	for (size_t i = 0; rc >= 0 && i < sizeof(base) / sizeof(base[0]); i++)
		rc = push(&argv, strdup(base[i]));
	for (size_t i = 0; rc >= 0 && args && args[i]; i++)
		rc = push(&argv, strdup(args[i]));
	if (rc >= 0)
		rc = ft_cargo_capture(argv.v, &json, &len);
	if (rc >= 0 && !(root = cJSON_ParseWithLength(json, len)))
		rc = FT_EFORMAT;
	suites = root ? cJSON_GetObjectItemCaseSensitive(root, "rust-suites") : NULL;
	if (rc >= 0 && !cJSON_IsObject(suites))
		rc = FT_EFORMAT;
	if (rc < 0)
		suites = NULL;
	cJSON_ArrayForEach(s, suites) {
		const cJSON *cases = cJSON_GetObjectItemCaseSensitive(s, "testcases");
		if (!s->string || !cJSON_IsObject(cases)) {
			rc = FT_EFORMAT;
			break;
		}
		cJSON_ArrayForEach(tc, cases) {
			if (rc < 0 || !tc->string)
				break;
			rc = push2(&out, s->string, " ", tc->string);
		}
	}
	cJSON_Delete(root);
	free(json);
	ft_cargo_format_free(argv.v, argv.n);
	if (rc < 0) {
		ft_cargo_format_free(out.v, out.n);
		return rc;
	}
	*ids = out.v;
	*n = out.n;
	return 0;
}

void ft_cargo_drop_non_default(const struct ft_cargo_meta *m, char **ids, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++) {
		const char *slash = strchr(ids[i], '/');
		size_t plen = slash ? (size_t)(slash - ids[i]) : strlen(ids[i]);
		int keep = 1;

		for (size_t p = 0; p < m->n; p++)
			if (m->pkgs[p].member && !m->pkgs[p].default_member &&
			    strlen(m->pkgs[p].name) == plen && !strncmp(m->pkgs[p].name, ids[i], plen))
				keep = 0;
		if (keep)
			ids[k++] = ids[i];
		else
			free(ids[i]);
	}
	*n = k;
}
