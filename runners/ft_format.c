/*
 * ft_format.c - see ft_format.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_format.h"
#include "ft_selection.h"

#define FT_NODE_WALK_BUDGET 100000u /* directory entries */

int ft_format_ctest_regex(const char *const *ids, size_t n, char **out)
{
	size_t len = 5;
	char *s, *o;

	*out = NULL;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(ids[i]) + 1;
	if (!(s = malloc(len)))
		return -ENOMEM;
	o = s;
	*o++ = '^';
	*o++ = '(';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*o++ = '|';
		/* CMake's regex (cmsys::RegularExpression): these are special */
		for (const char *p = ids[i]; *p; p++) {
			if (strchr("^$.[]*+?()|\\", *p))
				*o++ = '\\';
			*o++ = *p;
		}
	}
	*o++ = ')';
	*o++ = '$';
	*o = '\0';
	*out = s;
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static int has(const struct ft_selection *sel, size_t n, const char *id)
{
	struct ft_selected key = { .id = id };
	return sel && n && bsearch(&key, sel->tests, n, sizeof(key), id_cmp) != NULL;
}

static const struct ft_reason new_reason = { .change = FT_CHANGE_NEW };

int ft_format_add_new(struct ft_selection *sel, const struct ft_selection *known,
		      char *const *names, size_t n)
{
	struct ft_selected *t;
	size_t k = sel->n;

	if (!n)
		return 0;
	/* sel->tests comes from calloc (ft_selection_free frees it) */
	t = realloc(sel->tests, (sel->n + n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	sel->tests = t;
	for (size_t i = 0; i < n; i++) {
		int dup = has(known, known ? known->n : 0, names[i]) || has(sel, sel->n, names[i]);
		for (size_t j = sel->n; j < k && !dup; j++)
			dup = !strcmp(t[j].id, names[i]);
		if (!dup)
			t[k++] = (struct ft_selected){ names[i], &new_reason, 1, 0 };
	}
	sel->n = k;
	qsort(sel->tests, sel->n, sizeof(*t), id_cmp);
	return 0;
}

/* Node 20's defaults for `node --test` without arguments (doc/api/test.md,
 * "Running tests from the command line"), as fnmatch patterns on the base
 * name, plus any .js/.cjs/.mjs file below a directory named "test". */
static const char *const node_names[] = {
	"*.test.js", "*.test.cjs", "*.test.mjs", "*-test.js", "*-test.cjs", "*-test.mjs",
	"*_test.js", "*_test.cjs", "*_test.mjs", "test-*.js", "test-*.cjs", "test-*.mjs",
	"test.js", "test.cjs", "test.mjs",
};

static int is_js(const char *b)
{
	const char *dot = strrchr(b, '.');
	return dot && (!strcmp(dot, ".js") || !strcmp(dot, ".cjs") || !strcmp(dot, ".mjs"));
}

int ft_format_is_node_test(const char *rel)
{
	const char *b = strrchr(rel, '/');

	b = b ? b + 1 : rel;
	for (size_t i = 0; i < sizeof(node_names) / sizeof(node_names[0]); i++)
		if (!fnmatch(node_names[i], b, 0))
			return 1;
	if (!is_js(b))
		return 0;
	/* a directory component "test" */
	for (const char *p = rel; p < b; ) {
		const char *e = strchr(p, '/');
		if (!e)
			break;
		if (e - p == 4 && !strncmp(p, "test", 4))
			return 1;
		p = e + 1;
	}
	return 0;
}

struct walk {
	char **v;
	size_t n, cap, budget;
};

static int walk(struct walk *w, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	while (rc >= 0 && (e = readdir(d))) {
		char *path = NULL, *r = NULL;
		struct stat st;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
			continue;
		if (!w->budget--) {
			rc = FT_EINTERNAL;
			break;
		}
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0 ||
		    asprintf(&r, "%s%s%s", rel, *rel ? "/" : "", e->d_name) < 0) {
			free(path);
			rc = -ENOMEM;
			break;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = walk(w, path, r);
		} else if (ft_format_is_node_test(r)) {
			if (w->n == w->cap) {
				char **nv = realloc(w->v, (w->cap = w->cap ? w->cap * 2 : 16) * sizeof(char *));
				if (!nv) {
					rc = -ENOMEM;
					free(path);
					free(r);
					break;
				}
				w->v = nv;
			}
			w->v[w->n++] = r;
			r = NULL;
		}
		free(path);
		free(r);
	}
	closedir(d);
	return rc;
}

int ft_format_node_tests(const char *dir, char ***out, size_t *n)
{
	struct walk w = { .budget = FT_NODE_WALK_BUDGET };
	int rc = walk(&w, dir, "");

	if (rc < 0) {
		for (size_t i = 0; i < w.n; i++)
			free(w.v[i]);
		free(w.v);
		return rc;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

const char *ft_format_cwd_rel(const char *top, char *buf, size_t cap)
{
	size_t tl;

	if (!getcwd(buf, cap))
		return NULL;
	tl = strlen(top);
	if (!strcmp(buf, top))
		return "";
	if (!strncmp(buf, top, tl) && buf[tl] == '/')
		return buf + tl + 1;
	return NULL;
}

/* A node id (relative to the top) as a path from the current directory. */
static void put_path(FILE *f, const char *id, const char *top)
{
	char buf[4096];
	const char *rel = ft_format_cwd_rel(top, buf, sizeof(buf));
	size_t rl = rel ? strlen(rel) : 0;

	if (id[0] == '/' || (rel && !rl))
		fprintf(f, "%s\n", id);
	else if (rel && !strncmp(id, rel, rl) && id[rl] == '/')
		fprintf(f, "%s\n", id + rl + 1);
	else
		fprintf(f, "%s/%s\n", top, id);
}

int ft_format_paths(const struct ft_selection *sel, const char *top, char **text)
{
	char path[8300];
	size_t len = 0;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return -ENOMEM;
	/* a removed test file cannot run, and node or jest given its path
	 * fails ("Could not find"): it is left out (docs/jest.md,
	 * docs/runners.md) */
	for (size_t i = 0; sel && i < sel->n; i++) {
		const char *id = sel->tests[i].id;
		snprintf(path, sizeof(path), "%s%s%s", id[0] == '/' ? "" : top,
			 id[0] == '/' ? "" : "/", id);
		if (access(path, F_OK) == 0 || errno != ENOENT)
			put_path(f, id, top);
	}
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}
