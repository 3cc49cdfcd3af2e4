/*
 * ft_cargo_meta.c - see ft_cargo_meta.h and docs/cargo.md.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_cargo_meta.h"
#include "ft_error.h"
#include "ft_spawn.h"


int ft_cargo_capture(char *const *argv, char **out, size_t *len)
{
	int rc = ft_spawn_capture(NULL, argv, NULL, out, len);

	if (rc > 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		return FT_EFORMAT;
	}
	return rc;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int kind_of(const cJSON *kinds)
{
	static const struct { const char *s; int k; } tab[] = {
		{ "lib", FT_CARGO_LIB }, { "rlib", FT_CARGO_LIB }, { "dylib", FT_CARGO_LIB },
		{ "cdylib", FT_CARGO_LIB }, { "staticlib", FT_CARGO_LIB }, { "proc-macro", FT_CARGO_LIB },
		{ "bin", FT_CARGO_BIN }, { "test", FT_CARGO_TEST }, { "example", FT_CARGO_EXAMPLE },
		{ "bench", FT_CARGO_BENCH }, { "custom-build", FT_CARGO_BUILD },
	};
	const cJSON *k;

	cJSON_ArrayForEach(k, kinds)
		for (size_t i = 0; cJSON_IsString(k) && i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!strcmp(k->valuestring, tab[i].s))
				return tab[i].k;
	return 0;
}

static int parse_pkg(struct ft_cargo_pkg *p, const cJSON *jp)
{
	const cJSON *targets = cJSON_GetObjectItemCaseSensitive(jp, "targets"), *jt;
	const char *name = str(jp, "name"), *id = str(jp, "id"), *man = str(jp, "manifest_path");
	char *slash;

	if (!name || !id || !man || !cJSON_IsArray(targets))
		return FT_EFORMAT;
	if (!(p->name = strdup(name)) || !(p->id = strdup(id)) || !(p->manifest = strdup(man)) ||
	    !(p->dir = strdup(man)))
		return -ENOMEM;
	if (str(jp, "version") && !(p->version = strdup(str(jp, "version"))))
		return -ENOMEM;
	if ((slash = strrchr(p->dir, '/')))
		*slash = '\0';
	p->targets = calloc((size_t)cJSON_GetArraySize(targets) + 1, sizeof(*p->targets));
	if (!p->targets)
		return -ENOMEM;
	cJSON_ArrayForEach(jt, targets) {
		struct ft_cargo_target *t = &p->targets[p->ntargets];
		const char *tn = str(jt, "name"), *src = str(jt, "src_path");
		const cJSON *test = cJSON_GetObjectItemCaseSensitive(jt, "test");
		const cJSON *doc = cJSON_GetObjectItemCaseSensitive(jt, "doctest");

		if (!tn || !src)
			return FT_EFORMAT;
		t->kind = kind_of(cJSON_GetObjectItemCaseSensitive(jt, "kind"));
		t->test = !cJSON_IsFalse(test);
		t->doctest = cJSON_IsTrue(doc);
		if (!(t->name = strdup(tn)) || !(t->src_path = strdup(src)))
			return -ENOMEM;
		p->ntargets++;
	}
	return 0;
}

static long pkg_index(const struct ft_cargo_meta *m, const char *id)
{
	for (size_t i = 0; id && i < m->n; i++)
		if (!strcmp(m->pkgs[i].id, id))
			return (long)i;
	return -1;
}

static int parse_resolve(struct ft_cargo_meta *m, const cJSON *root)
{
	const cJSON *resolve = cJSON_GetObjectItemCaseSensitive(root, "resolve");
	const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(resolve, "nodes"), *jn, *d;
	const cJSON *members = cJSON_GetObjectItemCaseSensitive(root, "workspace_members");

	cJSON_ArrayForEach(d, members) {
		long k = cJSON_IsString(d) ? pkg_index(m, d->valuestring) : -1;
		if (k >= 0)
			m->pkgs[k].member = 1;
	}
	/* cargo 1.71 and later: the members a command without -p or
	 * --workspace works on */
	members = cJSON_GetObjectItemCaseSensitive(root, "workspace_default_members");
	m->has_defaults = cJSON_IsArray(members);
	cJSON_ArrayForEach(d, members) {
		long k = cJSON_IsString(d) ? pkg_index(m, d->valuestring) : -1;
		if (k >= 0)
			m->pkgs[k].default_member = 1;
	}
	/* `--no-deps` output has no resolve (null): then no graph
	 * (m->graph 0), and closures take every package */
	if (cJSON_IsNull(resolve) && !m->want_graph)
		return 0;
	if (!cJSON_IsArray(nodes))
		return FT_EFORMAT;
	m->graph = 1;
	cJSON_ArrayForEach(jn, nodes) {
		long k = pkg_index(m, str(jn, "id"));
		const cJSON *deps = cJSON_GetObjectItemCaseSensitive(jn, "dependencies");
		struct ft_cargo_pkg *p;

		if (k < 0 || !cJSON_IsArray(deps))
			return FT_EFORMAT;
		p = &m->pkgs[k];
		free(p->deps);
		p->ndeps = 0;
		if (!(p->deps = calloc((size_t)cJSON_GetArraySize(deps) + 1, sizeof(*p->deps))))
			return -ENOMEM;
		cJSON_ArrayForEach(d, deps) {
			long j = cJSON_IsString(d) ? pkg_index(m, d->valuestring) : -1;
			if (j < 0)
				return FT_EFORMAT;
			p->deps[p->ndeps++] = (size_t)j;
		}
	}
	return 0;
}

static int parse(struct ft_cargo_meta *m, const char *json, size_t len, int want_graph)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *pkgs, *jp;
	const char *ws, *td;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->want_graph = want_graph;
	if (!root)
		return FT_EFORMAT;
	pkgs = cJSON_GetObjectItemCaseSensitive(root, "packages");
	ws = str(root, "workspace_root");
	td = str(root, "target_directory");
	if (!cJSON_IsArray(pkgs) || !ws || !td) {
		cJSON_Delete(root);
		return FT_EFORMAT;
	}
	if (!(m->workspace_root = strdup(ws)) || !(m->target_dir = strdup(td)) ||
	    !(m->pkgs = calloc((size_t)cJSON_GetArraySize(pkgs) + 1, sizeof(*m->pkgs))))
		rc = -ENOMEM;
	cJSON_ArrayForEach(jp, pkgs) {
		if (rc < 0)
			break;
		rc = parse_pkg(&m->pkgs[m->n++], jp);
	}
	if (rc >= 0)
		rc = parse_resolve(m, root);
	cJSON_Delete(root);
	if (rc < 0)
		ft_cargo_meta_release(m);
	return rc;
}

int ft_cargo_meta_parse(struct ft_cargo_meta *m, const char *json, size_t len)
{
	return parse(m, json, len, 1);
}

/* The host triple of the toolchain: `rustc -vV`'s "host: " line, with the
 * rustc beside `cargo` when there is one (rustup's proxies and a
 * toolchain's bin/ hold both), else rustc from PATH.  malloc'd, or NULL. */
static char *host_triple(const char *cargo)
{
	char rustc[PATH_MAX], *argv[] = { "rustc", "-vV", NULL }, *out, *h, *e, *r = NULL;
	const char *slash = cargo ? strrchr(cargo, '/') : NULL;
	size_t len;

	if (slash && snprintf(rustc, sizeof(rustc), "%.*s/rustc", (int)(slash - cargo), cargo) <
			     (int)sizeof(rustc) && access(rustc, X_OK) == 0)
		argv[0] = rustc;
	if (ft_cargo_capture(argv, &out, &len) < 0)
		return NULL;
	if ((h = strstr(out, "\nhost: ")) && (e = strchr(h += 7, '\n')) && e > h)
		r = strndup(h, (size_t)(e - h));
	free(out);
	return r;
}

static int load_argv(struct ft_cargo_meta *m, char **argv, int want_graph)
{
	char *out;
	size_t len;
	int rc;

	if ((rc = ft_cargo_capture(argv, &out, &len)) < 0)
		return rc;
	rc = parse(m, out, len, want_graph);
	free(out);
	return rc;
}

int ft_cargo_meta_load_for(struct ft_cargo_meta *m, const char *cargo, const char *manifest_path,
			   const char *target)
{
	char *argv[12] = { (char *)(cargo ? cargo : "cargo"), "metadata", "--format-version", "1",
			   "--offline" };
	char *host;
	int n = 5, rc;

	memset(m, 0, sizeof(*m));
	if (manifest_path) {
		argv[n++] = "--manifest-path";
		argv[n++] = (char *)manifest_path;
	}
	if ((rc = load_argv(m, argv, 1)) != FT_EFORMAT)
		return rc;
	/* Offline, cargo resolves the dependencies of every platform, and
	 * fails on one that no build here ever downloaded (a Windows-only
	 * crate of a dev-dependency).  The build only used those of the host
	 * and of its --target: ask for these alone. */
	if ((host = host_triple(cargo))) {
		int k = n;
		argv[k++] = "--filter-platform";
		argv[k++] = host;
		if (target && strcmp(target, host)) {
			argv[k++] = "--filter-platform";
			argv[k++] = (char *)target;
		}
		argv[k] = NULL;
		ft_cargo_meta_release(m);
		rc = load_argv(m, argv, 1);
		free(host);
		if (rc != FT_EFORMAT)
			return rc;
	}
	/* Offline, the resolve can still fail on a crate that this platform
	 * needs but no build here downloaded: one of a workspace member that
	 * `cargo test` never builds (walkdir's walkdir-list and its atty).
	 * The members and their targets need no resolve; without the graph,
	 * each test's closure is every package (sound, coarser). */
	argv[n++] = "--no-deps";
	argv[n] = NULL;
	ft_cargo_meta_release(m);
	return load_argv(m, argv, 0);
}

int ft_cargo_meta_load_members(struct ft_cargo_meta *m)
{
	char *argv[] = { "cargo", "metadata", "--format-version", "1", "--offline", "--no-deps",
			 NULL };

	memset(m, 0, sizeof(*m));
	return load_argv(m, argv, 0);
}

int ft_cargo_meta_load(struct ft_cargo_meta *m, const char *cargo, const char *manifest_path)
{
	return ft_cargo_meta_load_for(m, cargo, manifest_path, NULL);
}

void ft_cargo_meta_release(struct ft_cargo_meta *m)
{
	for (size_t i = 0; m->pkgs && i < m->n; i++) {
		struct ft_cargo_pkg *p = &m->pkgs[i];
		for (size_t j = 0; j < p->ntargets; j++) {
			free(p->targets[j].name);
			free(p->targets[j].src_path);
		}
		free(p->targets);
		free(p->deps);
		free(p->name);
		free(p->id);
		free(p->version);
		free(p->manifest);
		free(p->dir);
	}
	free(m->pkgs);
	free(m->workspace_root);
	free(m->target_dir);
	memset(m, 0, sizeof(*m));
}

static const char *kind_word(int kind)
{
	switch (kind) {
	case FT_CARGO_BIN: return "bin";
	case FT_CARGO_TEST: return "test";
	case FT_CARGO_EXAMPLE: return "example";
	case FT_CARGO_BENCH: return "bench";
	default: return NULL;
	}
}

char *ft_cargo_test_id(const struct ft_cargo_pkg *p, const struct ft_cargo_target *t)
{
	char *out = NULL;
	const char *w = kind_word(t->kind);

	if (t->kind == FT_CARGO_LIB) {
		if (asprintf(&out, "%s/lib", p->name) < 0)
			return NULL;
	} else if (w) {
		if (asprintf(&out, "%s/%s/%s", p->name, w, t->name) < 0)
			return NULL;
	}
	return out;
}

char *ft_cargo_doc_id(const struct ft_cargo_pkg *p)
{
	char *out;
	return asprintf(&out, "%s/doc", p->name) < 0 ? NULL : out;
}

char *ft_cargo_binary_id(const struct ft_cargo_pkg *p, const struct ft_cargo_target *t)
{
	char *out = NULL;

	if (t->kind == FT_CARGO_LIB)
		out = strdup(p->name);
	else if (t->kind == FT_CARGO_TEST) {
		if (asprintf(&out, "%s::%s", p->name, t->name) < 0)
			return NULL;
	} else if (kind_word(t->kind)) {
		if (asprintf(&out, "%s::%s/%s", p->name, kind_word(t->kind), t->name) < 0)
			return NULL;
	}
	return out;
}

int ft_cargo_meta_find_src(const struct ft_cargo_meta *m, const char *src, size_t *pi, size_t *ti)
{
	char real[PATH_MAX];

	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < m->pkgs[i].ntargets; j++) {
			const char *s = m->pkgs[i].targets[j].src_path;
			if (m->pkgs[i].targets[j].kind == FT_CARGO_BUILD)
				continue;
			if (!strcmp(s, src) || (realpath(s, real) && !strcmp(real, src))) {
				*pi = i;
				*ti = j;
				return 0;
			}
		}
	return -1;
}

void ft_cargo_meta_closure(const struct ft_cargo_meta *m, size_t p, unsigned char *out)
{
	size_t *stack = malloc((m->n + 1) * sizeof(*stack)), top = 0;

	memset(out, 0, m->n);
	if (!stack || !m->graph) {
		/* no graph, or no memory for the walk: every package (a
		 * superset) */
		memset(out, 1, m->n);
		free(stack);
		return;
	}
	out[p] = 1;
	stack[top++] = p;
	while (top) {
		const struct ft_cargo_pkg *q = &m->pkgs[stack[--top]];
		for (size_t k = 0; k < q->ndeps; k++)
			if (!out[q->deps[k]]) {
				out[q->deps[k]] = 1;
				stack[top++] = q->deps[k];
			}
	}
	free(stack);
}
