/*
 * ft_runner_go.c - see ft_runner_go.h and docs/go.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_go_envnames.h"
#include "ft_map.h"
#include "ft_namecache.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ft_runner.h"
#include "ft_runner_go.h"
#include "ft_runners.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

int ft_runner_go_is(const char *exe, char *const *argv, int argc)
{
	if (argc < 2 || (strcmp(base(argv[0]), "go") && strcmp(base(exe), "go")))
		return 0;
	/* the first word that is not an option (go -C dir test: -C takes one) */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-C")) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		return !strcmp(argv[i], "test");
	}
	return 0;
}

/* The `module` path of go.mod `path`, or NULL. */
static char *module_of(const char *path)
{
	char line[4096], *out = NULL;
	FILE *f = ft_file_fopen(path, FT_FILE_FOLLOW);

	if (!f)
		return NULL;
	while (!out && fgets(line, sizeof(line), f)) {
		char *s = line, *e;
		s += strspn(s, " \t");
		if (strncmp(s, "module", 6) || (s[6] != ' ' && s[6] != '\t'))
			continue;
		s += 6;
		s += strspn(s, " \t");
		if (*s == '"' || *s == '`') {
			char q = *s++;
			e = strchr(s, q);
		} else {
			e = s + strcspn(s, " \t\r\n"); /* a comment follows a blank */
		}
		if (e && e > s)
			out = strndup(s, (size_t)(e - s));
	}
	fclose(f);
	return out;
}

char *ft_go_import_path(const char *dir)
{
	char d[PATH_MAX], mod[PATH_MAX + 8], *m, *out = NULL;
	size_t n;

	if (snprintf(d, sizeof(d), "%s", dir) >= (int)sizeof(d) || d[0] != '/')
		return NULL;
	for (n = strlen(d);;) {
		struct stat sb;
		snprintf(mod, sizeof(mod), "%.*s/go.mod", (int)n, d);
		if (stat(mod, &sb) == 0 && S_ISREG(sb.st_mode))
			break;
		while (n > 0 && d[n - 1] != '/')
			n--;
		if (n <= 1)
			return NULL;
		n--;
	}
	if (!(m = module_of(mod)))
		return NULL;
	if (!d[n])
		out = m;
	else if (asprintf(&out, "%s%s", m, d + n) < 0)
		out = NULL;
	if (out != m)
		free(m);
	return out;
}

char *ft_runner_go_id(const struct ft_ptree_proc *p)
{
	const char *a0 = p->argc > 0 ? base(p->argv[0]) : "";
	size_t l = strlen(a0);

	/* Only an image the ptrace back end traced, as before the preload
	 * wrote its cwd too: a Go test binary under the preload makes its
	 * file syscalls without libc, unseen; it must not become its
	 * package's test with what the preload saw (docs/go.md). */
	if (!p->cwd || p->backend == FT_BACKEND_PRELOAD || l <= 5 || strcmp(a0 + l - 5, ".test"))
		return NULL;
	return ft_go_import_path(p->cwd);
}

/* The go tests of one `go list` call: one go image, one module. */
struct group {
	size_t go;                /* the runner image */
	char *root;               /* the module directory (holds go.mod) */
	char **ids;               /* the import paths */
	size_t nids;
};

/* go.mod's directory above `dir`, or NULL. */
static char *module_root(const char *dir)
{
	char d[PATH_MAX], mod[PATH_MAX + 8];
	size_t n;

	snprintf(d, sizeof(d), "%s", dir);
	for (n = strlen(d);;) {
		struct stat sb;
		snprintf(mod, sizeof(mod), "%.*s/go.mod", (int)n, d);
		if (stat(mod, &sb) == 0 && S_ISREG(sb.st_mode))
			return strndup(d, n ? n : 1);
		while (n > 0 && d[n - 1] != '/')
			n--;
		if (n <= 1)
			return NULL;
		n--;
	}
}

/* Build flags of the go test image that change which files and imports a
 * package has: passed on to `go list`. */
static int is_build_flag(const char *a, int *takes_value)
{
	static const char *const flags[] = { "tags", "mod", "modfile", "race", "msan", "asan", "cover",
					     "coverpkg", "pgo", "overlay" };
	const char *s = a;

	*takes_value = 0;
	if (*s++ != '-')
		return 0;
	if (*s == '-')
		s++;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		size_t l = strlen(flags[i]);
		if (strncmp(s, flags[i], l))
			continue;
		if (s[l] == '=')
			return 1;
		if (!s[l]) {
			*takes_value = strcmp(flags[i], "race") && strcmp(flags[i], "msan") &&
				       strcmp(flags[i], "asan") && strcmp(flags[i], "cover");
			return 1;
		}
	}
	return 0;
}

struct emit {
	struct ft_recwrite w;
	struct ft_map *d;          /* paths recorded for some test: not the prelude's */
	struct ft_map done;       /* (test, path) already written */
	const char *root;         /* the module's directory while its test binaries'
				   * packages are emitted (env_names), else NULL */
	int versioned;            /* the package being emitted is a versioned
				   * module's (the module cache, vendor/) */
	struct ft_namecache scanned; /* the .go files env_names read */
	int rc;
};

/* The largest .go file scanned for variable names (env_names) */
#define FT_GO_SCAN_MAX (8u << 20)

struct names_of {
	struct emit *e;
	const char *test;
	int whole;                /* every name counts, "=" (os.Environ) too; else
				   * the conventional ones only */
};

static int one_name(void *arg, const char *name, size_t len)
{
	struct names_of *n = arg;
	char key[FT_ID_MAX + FT_GO_ENVNAME_MAX + 4];
	uint32_t v;
	int added, kl;

	if (!n->whole && !ft_go_env_conventional(name, len))
		return 0;

	kl = snprintf(key, sizeof(key), "%s%c%.*s%cE", n->test, 0, (int)len, name, 0);
	if (kl <= 0 || (size_t)kl >= sizeof(key))
		return 0;
	if ((n->e->rc = ft_map_intern(&n->e->done, key, (size_t)kl, &v, &added)) < 0)
		return n->e->rc;
	if (added)
		n->e->rc = ft_recwrite_add(&n->e->w, FT_REC_ENV, FT_OP__NONE, 0, 0, name, len);
	return n->e->rc < 0 ? n->e->rc : 0;
}

/* ft_namecache's scan: a Go source's names (ft_go_envnames.h) */
static int scan_go(void *sarg, const char *text, size_t len, ft_name_fn keep, void *kept)
{
	(void)sarg;
	return ft_go_env_names(text, len, keep, kept);
}

/* A .go file of a package that is not the standard library's, built into
 * test `test`'s binary: the variable names its string literals hold are
 * variables the test may read before its test log starts, in the module's
 * own code or in another module's `init` (ft_go_envnames.h; docs/go.md,
 * "Environment variables"), recorded as environment reads of the test.
 * A versioned module's names are its conventional ones only (upper case:
 * ft_go_env_conventional), and its naming os.Environ is not taken as reading every
 * variable (golang.org/x/sys/unix wraps it, and nearly every module
 * imports that). */
static void env_names(struct emit *e, const char *test, const char *path)
{
	struct names_of n = { e, test, !e->versioned };
	long idx;

	if (e->rc < 0 || !test || !e->root)
		return;
	/* (read and scanned once for every test whose binary it goes into) */
	if ((idx = ft_namecache_file(&e->scanned, path, strlen(path), FT_GO_SCAN_MAX, NULL,
				     scan_go, NULL)) < 0) {
		e->rc = (int)idx;
		return;
	}
	(void)ft_namecache_each(&e->scanned, idx, one_name, &n);
}

/*
 * One record in test `test`'s context: a file's content (missing: absent)
 * or a directory's listing.  `test` NULL: no record, only ownership.
 *
 * Owned paths leave the prelude.  Only what the build reads for one
 * package alone is owned: its .go files (go, compile and vet read them
 * for that package only), its embedded files (inside its directory, by
 * the language's rule) and its directory's listing.  C sources and headers
 * stay in the prelude too: a cgo #include may name another package's
 * header, which would then be missed by the including package's tests.
 */
static void emit_path(struct emit *e, const char *test, const char *dir, const char *name, int listing,
		      int own)
{
	char path[PATH_MAX * 2], key[PATH_MAX * 2 + FT_ID_MAX + 2];
	struct stat sb;
	uint32_t v;
	int added, n, err = 0, kl;

	if (e->rc < 0)
		return;
	if (name && name[0] == '/')
		n = snprintf(path, sizeof(path), "%s", name);
	else if (name)
		n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		n = snprintf(path, sizeof(path), "%s", dir);
	if (n <= 0 || (size_t)n >= sizeof(path) || (size_t)n > FT_PATH_MAX)
		return;
	if (own && (e->rc = ft_map_intern(e->d, path, (size_t)n, &v, &added)) < 0)
		return;
	if (!test)
		return;
	kl = snprintf(key, sizeof(key), "%s%c%s%c", test, 0, path, listing ? 'L' : 'F');
	if (kl <= 0 || (size_t)kl >= sizeof(key))
		return;
	if ((e->rc = ft_map_intern(&e->done, key, (size_t)kl, &v, &added)) < 0 || !added)
		return;
	if (stat(path, &sb) < 0)
		err = errno;
	if (listing)
		e->rc = ft_recwrite_add(&e->w, FT_REC_ACCESS, FT_OP_GETDENTS, (uint8_t)(err < 256 ? err : 255),
					FT_AC_LIST, path, (size_t)n);
	else
		e->rc = ft_recwrite_add(&e->w, FT_REC_ACCESS, FT_OP_OPEN, (uint8_t)(err < 256 ? err : 255),
					FT_AC_READ, path, (size_t)n);
}

static void emit_list(struct emit *e, const char *test, const char *dir, const cJSON *pkg, const char *field)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(pkg, field), *it;

	int embed = strstr(field, "Embed") != NULL;

	cJSON_ArrayForEach(it, a) {
		size_t l;
		if (!cJSON_IsString(it))
			continue;
		l = strlen(it->valuestring);
		emit_path(e, test, dir, it->valuestring, 0,
			  embed || (l > 3 && !strcmp(it->valuestring + l - 3, ".go")));
		if (!embed && l > 3 && !strcmp(it->valuestring + l - 3, ".go") &&
		    strcmp(field, "IgnoredGoFiles") && strcmp(field, "CompiledGoFiles")) {
			char *full = NULL;
			if (it->valuestring[0] == '/' ? !(full = strdup(it->valuestring)) :
			    asprintf(&full, "%s/%s", dir, it->valuestring) < 0) {
				e->rc = -ENOMEM;
				return;
			}
			env_names(e, test, full);
			free(full);
		}
		/* an embedded file below the package: a new file next to it
		 * may match the pattern too */
		if (embed && strchr(it->valuestring, '/')) {
			char *sub = strdup(it->valuestring);
			if (!sub) {
				e->rc = -ENOMEM;
				return;
			}
			*strrchr(sub, '/') = '\0';
			char *full = NULL;
			if (asprintf(&full, "%s/%s", dir, sub) >= 0) {
				emit_path(e, test, full, NULL, 1, 1);
				free(full);
			}
			free(sub);
		}
	}
}

static const char *str_of(const cJSON *pkg, const char *field)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(pkg, field);
	return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* Every file of package entry `pkg` that can go into a build of it. */
static void emit_package(struct emit *e, const char *test, const cJSON *pkg, const char *test_dir)
{
	static const char *const lists[] = { "GoFiles", "CgoFiles", "CompiledGoFiles", "IgnoredGoFiles",
					     "IgnoredOtherFiles", "CFiles", "CXXFiles", "MFiles", "HFiles",
					     "FFiles", "SFiles", "SwigFiles", "SwigCXXFiles", "SysoFiles",
					     "EmbedFiles" };
	static const char *const test_lists[] = { "TestGoFiles", "XTestGoFiles", "TestEmbedFiles",
						  "XTestEmbedFiles" };
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(pkg, "Dir");
	const cJSON *mod = cJSON_GetObjectItemCaseSensitive(pkg, "Module");
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(mod, "Replace");
	const char *ver = str_of(cJSON_IsObject(rep) ? rep : mod, "Version");

	if (!cJSON_IsString(dir) || dir->valuestring[0] != '/')
		return;
	/* a module at a version (the module cache, vendor/); not the main
	 * module, nor one replaced by a directory (`replace ../dep`) */
	e->versioned = ver && *ver;
	emit_path(e, test, dir->valuestring, NULL, 1, 1);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		emit_list(e, test, dir->valuestring, pkg, lists[i]);
	if (!test || !strcmp(dir->valuestring, test_dir))
		for (size_t i = 0; i < sizeof(test_lists) / sizeof(test_lists[0]); i++)
			emit_list(e, test, dir->valuestring, pkg, test_lists[i]);
}

static int is_std(const cJSON *pkg)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pkg, "Standard")) ||
	       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pkg, "Goroot"));
}

/* Every non-standard package that `of` lists in its "Deps" (go list's
 * transitive imports), looked up by import path in `all`, emitted for
 * test `test` (emit_package; `test_dir` is the tested package's). */
static void emit_deps(struct emit *e, const char *test, const cJSON *of, const cJSON *all,
		      const char *test_dir)
{
	const cJSON *deps = cJSON_GetObjectItemCaseSensitive(of, "Deps"), *dn, *pkg;

	cJSON_ArrayForEach(dn, deps) {
		if (!cJSON_IsString(dn))
			continue;
		cJSON_ArrayForEach(pkg, all) {
			const char *ip = str_of(pkg, "ImportPath");
			if (ip && !strcmp(ip, dn->valuestring) && !is_std(pkg))
				emit_package(e, test, pkg, test_dir);
		}
	}
}

/* Parse go list's stream of JSON objects into an array; NULL on error. */
static cJSON *parse_stream(const char *buf, size_t len)
{
	cJSON *all = cJSON_CreateArray();
	const char *p = buf, *end = buf + len;

	while (all) {
		const char *next = NULL;
		cJSON *o;
		while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end)
			break;
		o = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &next, 0);
		if (!o || !next || next <= p) {
			cJSON_Delete(o);
			cJSON_Delete(all);
			return NULL;
		}
		cJSON_AddItemToArray(all, o);
		p = next;
	}
	return all;
}

/*
 * The start of a `go list` for go test image `go`: the go it ran, "list",
 * the caller's `mode` words, the image's build flags (up to -args: what
 * follows is the test binary's), and "--".  Room is left for `npkgs`
 * package arguments and the NULL; *n is the count so far.  NULL when out
 * of memory.
 */
static char **go_list_argv(const struct ft_ptree_proc *go, const char *const *mode, size_t nmode,
			   size_t npkgs, size_t *n)
{
	char **argv = calloc((size_t)go->argc + nmode + npkgs + 4, sizeof(*argv));
	size_t k = 0;

	if (!argv)
		return NULL;
	argv[k++] = go->exe && go->exe[0] == '/' ? go->exe : "go";
	argv[k++] = "list";
	for (size_t i = 0; i < nmode; i++)
		argv[k++] = (char *)mode[i];
	for (int i = 1; i < go->argc; i++) {
		int val;
		if (!strcmp(go->argv[i], "-args") || !strcmp(go->argv[i], "--args"))
			break;
		if (!is_build_flag(go->argv[i], &val))
			continue;
		argv[k++] = go->argv[i];
		if (val && i + 1 < go->argc)
			argv[k++] = go->argv[++i];
	}
	argv[k++] = "--";
	*n = k;
	return argv;
}

/* Run the `go list` of go_list_argv (taken over: freed here) in `dir`
 * and parse its JSON stream into *all.  0; 1 when go list failed or
 * printed no stream (nothing is owned); -ENOMEM. */
static int go_list_json(char **argv, const char *dir, cJSON **all)
{
	char *out = NULL;
	size_t outlen = 0;
	int rc = ft_go_capture(argv, dir, &out, &outlen);

	free(argv);
	*all = NULL;
	if (rc == -ENOMEM)
		return rc;
	if (rc >= 0)
		*all = parse_stream(out, outlen);
	free(out);
	return *all ? 0 : 1;
}

/* One `go list` for one group; records each test's sources.  A failure of
 * go list is not an error: 1 is returned and nothing is owned. */
static int load_group(const struct ft_ptree *t, const struct group *gr, struct emit *e)
{
	static const char *const mode[] = {
		"-deps", "-test",
		"-json=ImportPath,Dir,Standard,Goroot,Deps,GoFiles,CgoFiles,CompiledGoFiles,"
		"IgnoredGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,"
		"SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles,TestGoFiles,XTestGoFiles,"
		"TestEmbedFiles,XTestEmbedFiles,Module",
	};
	const struct ft_ptree_proc *go = &t->procs[gr->go];
	size_t n;
	char **argv = go_list_argv(go, mode, sizeof(mode) / sizeof(mode[0]), gr->nids, &n);
	cJSON *all = NULL, *pkg;
	int rc;

	if (!argv)
		return -ENOMEM;
	for (size_t i = 0; i < gr->nids; i++)
		argv[n++] = gr->ids[i];
	if ((rc = go_list_json(argv, gr->root, &all)) != 0)
		return rc;
	e->root = gr->root;
	for (size_t k = 0; k < gr->nids && e->rc >= 0; k++) {
		const char *id = gr->ids[k];
		size_t il = strlen(id);
		const cJSON *tm = NULL;
		const char *test_dir = NULL;

		/* the test main "<id>.test" lists what the binary is built from */
		cJSON_ArrayForEach(pkg, all) {
			const char *ip = str_of(pkg, "ImportPath");
			if (ip && !strncmp(ip, id, il) && !strcmp(ip + il, ".test"))
				tm = pkg;
			if (ip && !strcmp(ip, id))
				test_dir = str_of(pkg, "Dir");
		}
		if (!tm || !test_dir) {
			cJSON_Delete(all);
			return 1;
		}
		if ((e->rc = ft_recwrite_add(&e->w, FT_REC_CONTEXT, 0, 0, 0, id, il)) < 0)
			break;
		emit_deps(e, id, tm, all, test_dir);
	}
	e->root = NULL;
	cJSON_Delete(all);
	return e->rc < 0 ? e->rc : 0;
}

/* The module's other packages (`go list -e ./...` in its root): a package
 * no test binary was built from (no test files, imported by no tested
 * package) is read by the go command only; its .go files and listing
 * leave the prelude without going to any test.  Not an error if it fails
 * (they stay in the prelude). */
static int own_module(const struct ft_ptree *t, const struct group *gr, struct emit *e)
{
	const struct ft_ptree_proc *go = &t->procs[gr->go];
	char *argv[] = { go->exe && go->exe[0] == '/' ? go->exe : "go", "list", "-e",
			 "-json=Dir,GoFiles,CgoFiles,CompiledGoFiles,IgnoredGoFiles,EmbedFiles,"
			 "TestGoFiles,XTestGoFiles,TestEmbedFiles,XTestEmbedFiles",
			 "./...", NULL };
	char *out = NULL;
	size_t outlen = 0;
	cJSON *all, *pkg;
	int rc = ft_go_capture(argv, gr->root, &out, &outlen);

	if (rc == -ENOMEM)
		return rc;
	if (rc < 0 || !(all = parse_stream(out, outlen))) {
		free(out);
		return 0;
	}
	free(out);
	cJSON_ArrayForEach(pkg, all)
		emit_package(e, NULL, pkg, "");
	cJSON_Delete(all);
	return e->rc;
}

/* `go env NAME` of the go image, or NULL. */
static char *go_env(const char *go, const char *name)
{
	char *argv[] = { (char *)go, "env", (char *)name, NULL }, *out = NULL;
	size_t n = 0;

	if (ft_go_capture(argv, NULL, &out, &n) < 0)
		return NULL;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if (!n || out[0] != '/') {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * The module cache's download part, GOMODCACHE/cache: zips, .mod and .info
 * files, locks and the checksum database's tiles, which the go command
 * writes while it runs and checks against go.sum.  The extracted trees
 * beside it (GOMODCACHE/MODULE@VERSION) are what the build compiles, and
 * stay dependencies: they are read-only only by convention (`chmod`,
 * `-modcacherw`), and go's own test cache hashes them too.  NULL if go
 * does not say (then nothing of the module cache is left out).
 */
static char *go_download_cache(const char *go)
{
	char *mod = go_env(go, "GOMODCACHE"), *dl;
	size_t n;

	if (!mod)
		return NULL;
	n = strlen(mod);
	while (n > 1 && mod[n - 1] == '/')
		mod[--n] = '\0';
	dl = malloc(n + sizeof("/cache"));
	if (dl) {
		memcpy(dl, mod, n);
		memcpy(dl + n, "/cache", sizeof("/cache"));
	}
	free(mod);
	return dl;
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].root);
		for (size_t k = 0; k < g[i].nids; k++)
			free(g[i].ids[k]);
		free(g[i].ids);
	}
	free(g);
}

/* The go runner image image i was started by, or FT_PTREE_NONE. */
static size_t go_parent(const struct ft_ptree *t, size_t i)
{
	size_t h = ft_ptree_proc_head(t, i), par = t->procs[h].parent;
	return par != FT_PTREE_NONE && t->procs[par].runner == FT_RUNNER_GO ? par : FT_PTREE_NONE;
}

/* The package arguments of go test image `go` (argv after `test`): the
 * words that are not flags and look like patterns or directories
 * (`./...`, `./cmd/tool`, `example.com/m/...`, `.`); none means ".".  A
 * flag's separate value taken for one only adds a package go can find.
 * Stops at -args.  Returns the count put into out[] (at most max). */
static size_t go_patterns(const struct ft_ptree_proc *go, const char **out, size_t max)
{
	size_t n = 0;
	int seen_test = 0;

	for (int i = 1; i < go->argc && n < max; i++) {
		const char *a = go->argv[i];
		if (!seen_test) {
			if (!strcmp(a, "-C"))
				i++;
			else if (!strcmp(a, "test"))
				seen_test = 1;
			continue;
		}
		if (!strcmp(a, "-args") || !strcmp(a, "--args"))
			break;
		if (a[0] == '-')
			continue;
		if (strstr(a, "...") || !strcmp(a, ".") || !strncmp(a, "./", 2) || !strncmp(a, "../", 3) ||
		    a[0] == '/' || (strchr(a, '.') && strchr(a, '/')))
			out[n++] = a;
	}
	if (!n && max)
		out[n++] = ".";
	return n;
}

static int has_list(const cJSON *pkg, const char *field)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(pkg, field);
	return cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0;
}

/*
 * Build-only tests (ft_runner_go.h).  The case that broke: a compile error
 * in cmd/tool, a package without test files, failed `go test ./...`, yet
 * its sources went to no test ("read by the go command only"), so nothing
 * was selected and the pre-commit hook accepted a commit that does not
 * build.  One `go list -e -deps` per go test image, in its directory,
 * with its build flags and package arguments: the packages it matched
 * (not DepOnly) that have no test files, and what each imports.
 */
static int build_only(struct ft_ptree *t, size_t r, struct emit *e, int wstatus)
{
	static const char *const mode[] = {
		"-e", "-deps",
		"-json=ImportPath,Dir,Standard,Goroot,DepOnly,Deps,GoFiles,CgoFiles,CompiledGoFiles,"
		"IgnoredGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,"
		"SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles,TestGoFiles,XTestGoFiles",
	};
	const struct ft_ptree_proc *go = &t->procs[r];
	const char *pats[64];
	size_t np = go_patterns(go, pats, sizeof(pats) / sizeof(pats[0])), n;
	char **argv = go_list_argv(go, mode, sizeof(mode) / sizeof(mode[0]), np, &n);
	char *cdir = NULL;
	int passed = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && ft_runner_is_top(t, r);
	cJSON *all = NULL, *pkg;
	int rc;

	if (!argv)
		return -ENOMEM;
	for (size_t i = 0; i < np; i++)
		argv[n++] = (char *)pats[i];
	/* `go -C DIR test ...` resolves its patterns in DIR */
	for (int i = 1; i + 1 < go->argc && strcmp(go->argv[i], "test"); i++)
		if (!strcmp(go->argv[i], "-C")) {
			if (go->argv[i + 1][0] == '/')
				cdir = strdup(go->argv[i + 1]);
			else if (asprintf(&cdir, "%s/%s", go->cwd, go->argv[i + 1]) < 0)
				cdir = NULL;
			if (!cdir) {
				free(argv);
				return -ENOMEM;
			}
			break;
		}
	rc = go_list_json(argv, cdir ? cdir : go->cwd, &all);
	free(cdir);
	/* go list fails: the build stays in the prelude, as before */
	if (rc != 0)
		return rc < 0 ? rc : 0;
	cJSON_ArrayForEach(pkg, all) {
		const char *id = str_of(pkg, "ImportPath"), *dir = str_of(pkg, "Dir");
		size_t il;
		long k;
		int known = 0;

		if (!id || !dir || dir[0] != '/' || is_std(pkg) ||
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pkg, "DepOnly")) ||
		    has_list(pkg, "TestGoFiles") || has_list(pkg, "XTestGoFiles") ||
		    (il = strlen(id)) > FT_ID_MAX)
			continue;
		for (size_t j = 0; j < t->ntests; j++)
			known |= !strcmp(t->tests[j].id, id);
		if (known) /* tested in this run already */
			continue;
		if ((k = ft_ptree_test(t, id, "go")) < 0)
			return (int)k;
		t->tests[k].outcome = passed ? FT_OUTCOME_PASSED : FT_OUTCOME_FAILED;
		t->tests[k].guessed = !passed; /* the run's status */
		if ((e->rc = ft_recwrite_add(&e->w, FT_REC_CONTEXT, 0, 0, 0, id, il)) < 0)
			break;
		emit_package(e, id, pkg, dir);
		emit_deps(e, id, pkg, all, dir);
	}
	cJSON_Delete(all);
	return e->rc < 0 ? e->rc : 0;
}

int ft_go_deps_load(struct ft_ptree *t, const char *run_dir, int sources, int wstatus)
{
	struct emit e = { .w = FT_RECWRITE_INIT, .done = FT_MAP_INIT, .scanned = FT_NAMECACHE_INIT,
			  .rc = 0 };
	struct group *gr = NULL;
	size_t ngr = 0, first_go = FT_PTREE_NONE;
	int rc = 0, failed = 0;

	for (size_t i = 0; i < t->n; i++)
		/* any go command writes the caches: go test, go vet, go build */
		if (first_go == FT_PTREE_NONE && t->procs[i].exe && !strcmp(base(t->procs[i].exe), "go"))
			first_go = i;
	if (first_go == FT_PTREE_NONE)
		return 0;
	/* Go's content-addressed caches are never a test's input */
	{
		const char *go = t->procs[first_go].exe ? t->procs[first_go].exe : "go";
		if (!t->bookkeeping[FT_BK_GOCACHE])
			t->bookkeeping[FT_BK_GOCACHE] = go_env(go, "GOCACHE");
		if (!t->bookkeeping[FT_BK_GOMODCACHE])
			t->bookkeeping[FT_BK_GOMODCACHE] = go_download_cache(go);
		/* usage counters every go tool bumps (mapped, written) */
		if (!t->bookkeeping[FT_BK_GOTELEMETRY])
			t->bookkeeping[FT_BK_GOTELEMETRY] = go_env(go, "GOTELEMETRYDIR");
	}
	if (!sources)
		return 0;
	/* group the tests by (go image, module) */
	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		size_t g, r;
		char *root;
		const char *id;

		if (p->test < 0 || !p->cwd || strcmp(t->tests[p->test].runner, ft_runner_go.name) ||
		    (r = go_parent(t, i)) == FT_PTREE_NONE)
			continue;
		id = t->tests[p->test].id;
		if (!(root = module_root(p->cwd)))
			continue;
		for (g = 0; g < ngr; g++)
			if (gr[g].go == r && !strcmp(gr[g].root, root))
				break;
		if (g == ngr) {
			struct group *ng = realloc(gr, (ngr + 1) * sizeof(*ng));
			if (!ng) {
				free(root);
				rc = -ENOMEM;
				break;
			}
			gr = ng;
			memset(&gr[ngr], 0, sizeof(gr[ngr]));
			gr[ngr].go = r;
			gr[ngr].root = root;
			ngr++;
		} else {
			free(root);
		}
		{
			char **nv = realloc(gr[g].ids, (gr[g].nids + 1) * sizeof(*nv));
			if (!nv || !(nv[gr[g].nids] = strdup(id))) {
				if (nv)
					gr[g].ids = nv;
				rc = -ENOMEM;
				break;
			}
			gr[g].ids = nv;
			gr[g].nids++;
		}
	}
	if (rc >= 0 && !(e.d = calloc(1, sizeof(*e.d))))
		rc = -ENOMEM;
	/* before the groups' own_module(), which owns every package's files */
	for (size_t i = 0; rc >= 0 && i < t->n; i++)
		if (t->procs[i].runner == FT_RUNNER_GO && t->procs[i].cwd)
			rc = build_only(t, i, &e, wstatus);
	if (rc >= 0 && ngr) {
		for (size_t g = 0; rc >= 0 && g < ngr; g++) {
			int r = load_group(t, &gr[g], &e);
			if (r < 0)
				rc = r;
			else if (r > 0)
				failed = 1;
			else
				rc = own_module(t, &gr[g], &e);
		}
	}
	/* go list failed for some group: keep the whole build in the prelude
	 * (own nothing) but still record the sources we could name */
	e.w.flags |= FT_REGION_AT_INGEST; /* its times are not the run's */
	if (rc >= 0 && e.d && e.w.len)
		rc = ft_recwrite_save(&e.w, run_dir, "go-deps");
	if (rc >= 0 && e.d && !failed) {
		t->test_srcs = e.d;
		e.d = NULL;
	}
	if (e.d)
		ft_map_release(e.d);
	free(e.d);
	ft_recwrite_release(&e.w);
	ft_map_release(&e.done);
	ft_namecache_release(&e.scanned);
	groups_free(gr, ngr);
	return rc;
}
