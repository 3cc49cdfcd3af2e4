/*
 * pytest_args.c - see ft_pytest_args.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "ft_error.h"
#include "ft_pytest_args.h"
#include "ft_selection.h"
#include "ft_store.h"
#include "ft_store_tests.h"
#include "ft_vec.h"

/* One module file of the selection's pytest tests. */
struct mod {
	char *file;         /* tests.file (absolute) */
	char *prefix;       /* the node id up to "::", shared by its tests;
			     * NULL when they do not share one */
	size_t known, selected;
	int printed;
};

struct mods {
	struct mod *v;
	size_t n, cap;
};

/* The module of `file`: the last one if it is that file (rows come
 * ordered by file), else a new one. */
static struct mod *mod_get(struct mods *m, const char *file)
{
	struct mod *nv;

	if (m->n && !strcmp(m->v[m->n - 1].file, file))
		return &m->v[m->n - 1];
	if (!(nv = ft_vec_grow(m->v, &m->cap, m->n, sizeof(*m->v), 16)))
		return NULL;
	m->v = nv;
	memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
	if (!(m->v[m->n].file = strdup(file)))
		return NULL;
	return &m->v[m->n++];
}

static void mods_free(struct mods *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].file);
		free(m->v[i].prefix);
	}
	free(m->v);
}

/* The length of the node id's path part ("a/test_x.py" of
 * "a/test_x.py::T::t[x]"), or 0 if it has none. */
static size_t prefix_len(const char *id)
{
	const char *c = strstr(id, "::");
	return c && c > id ? (size_t)(c - id) : 0;
}

/* An absolute path with no empty, "." or ".." component. */
static int plain_abs(const char *path)
{
	if (path[0] != '/')
		return 0;
	for (const char *c = path; *c; c++)
		if (c[0] == '/' && (c[1] == '/' || (c[1] == '.' && (!c[2] || c[2] == '/' ||
		    (c[2] == '.' && (!c[3] || c[3] == '/'))))))
			return 0;
	return 1;
}

/*
 * pytest takes its arguments' paths from the directory it starts in, while
 * node ids are relative to its rootdir: from a subdirectory, or from the
 * top of a repository whose rootdir is below it, an id as recorded names
 * no file (pytest stops: "file or directory not found").  So the path part
 * of `id` (its first `pl` bytes) becomes `file`'s path from `from`.
 *
 * `file` is the module's absolute path, `from` the directory the runner
 * will start in (absolute and physical, as getcwd gives it).  Returns the
 * new argument (malloc'd), or NULL to print the id as it is: `from` is
 * NULL, the id's path part is not the tail of `file` (a collector that
 * names its items otherwise), a path is not plain (plain_abs), or the
 * result is the id itself (started from the rootdir).  *err is -ENOMEM
 * when that is why it is NULL.
 */
static char *rebase(const char *file, const char *id, size_t pl, const char *from, int *err)
{
	size_t fl = strlen(file), common = 0, ups = 0;
	char *out, *o;

	*err = 0;
	if (!from || !pl || fl <= pl || file[fl - pl - 1] != '/' || memcmp(file + fl - pl, id, pl) ||
	    !plain_abs(file) || !plain_abs(from))
		return NULL;
	/* the longest common run of whole components */
	for (size_t i = 1; file[i - 1] == from[i - 1]; i++) {
		int fb = !file[i] || file[i] == '/', db = !from[i] || from[i] == '/';
		if (fb && db)
			common = i;
		if (!file[i] || !from[i])
			break;
	}
	if (file[common] != '/')
		return NULL;
	for (const char *c = from + common; *c; c++)
		ups += *c == '/' && c[1];
	if (!(o = out = malloc(3 * ups + (fl - common) + strlen(id + pl) + 1))) {
		*err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < ups; i++, o += 3)
		memcpy(o, "../", 3);
	strcpy(o, file + common + 1);
	strcat(o, id + pl);
	if (!strcmp(out, id)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Index of `id` in the (bytewise sorted) selection, or -1. */
static long find(const struct ft_selection *sel, const char *id)
{
	size_t lo = 0, hi = sel->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sel->tests[mid].id, id);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Is the first `len` bytes of `id` a selected id?  1, 0, or -ENOMEM. */
static int cut_selected(const struct ft_selection *sel, const char *id, size_t len)
{
	char *cut = strndup(id, len);
	long at;

	if (!cut)
		return -ENOMEM;
	at = find(sel, cut);
	free(cut);
	return at >= 0;
}

/* Is a shorter node id that covers `id` ("f::t" of "f::t[1]" or of
 * "f::t::m") selected too?  1 yes, 0 no, -ENOMEM. */
static int covered(const struct ft_selection *sel, const char *id)
{
	size_t pl = prefix_len(id);
	const char *p;
	int c;

	if (!pl)
		return 0;
	for (p = id + pl + 2; *p && *p != '['; p++)
		if (p[0] == ':' && p[1] == ':') {
			if ((c = cut_selected(sel, id, (size_t)(p - id))) != 0)
				return c;
			p++;
		}
	return *p == '[' ? cut_selected(sel, id, (size_t)(p - id)) : 0;
}

/* ft_pytest_args' walk over pytest's recorded tests, by file. */
struct walk {
	struct mods *m;
	const struct ft_selection *sel;
	size_t *of;
};

static int walk_one(void *arg, const char *name, const char *file)
{
	struct walk *w = arg;
	struct mod *md;
	size_t pl;
	long at;

	if (!(md = mod_get(w->m, file)))
		return -ENOMEM;
	md->known++;
	pl = prefix_len(name);
	if (md->known == 1) {
		if (pl && !(md->prefix = strndup(name, pl)))
			return -ENOMEM;
	} else if (md->prefix && (pl != strlen(md->prefix) || strncmp(name, md->prefix, pl))) {
		free(md->prefix);
		md->prefix = NULL;
	}
	if ((at = find(w->sel, name)) >= 0) {
		md->selected++;
		w->of[at] = (size_t)(md - w->m->v) + 1;
	}
	return 0;
}

int ft_pytest_args_from(struct ft_store *st, const struct ft_selection *sel, const char *from,
			struct ft_pytest_arg **out, size_t *n)
{
	struct mods m = { 0 };
	size_t *of = NULL;           /* 1 + the module index of each selected
				      * test, 0 for none */
	struct ft_pytest_arg *args = NULL;
	struct walk w = { &m, sel, NULL };
	char *rel;
	size_t k = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!sel || !sel->n)
		return 0;
	if (!(of = calloc(sel->n, sizeof(*of))) || !(args = calloc(sel->n, sizeof(*args)))) {
		rc = -ENOMEM;
		goto out;
	}
	w.of = of;
	if ((rc = ft_store_tests_with_file(st, "pytest", walk_one, &w)) < 0)
		goto out;
	for (size_t i = 0; i < sel->n; i++) {
		struct mod *md = of[i] ? &m.v[of[i] - 1] : NULL;
		if (md && md->printed)
			continue;   /* its module is printed already */
		if (!md || !md->prefix || md->selected != md->known) {
			int c = covered(sel, sel->tests[i].id);
			if (c < 0) {
				rc = c;
				goto out;
			}
			if (!c) {
				const struct ft_selected *t = &sel->tests[i];
				/* a new test file of pytest's (selector/newtests.c) */
				const char *file = md ? md->file : t->nreasons && t->reasons[0].change ==
						   FT_CHANGE_NEW ? t->reasons[0].path : NULL;
				size_t pl = prefix_len(t->id);
				args[k].pytest = md != NULL;
				args[k].text = t->id;
				if (file && (args[k].own = rebase(file, t->id, pl ? pl : strlen(t->id),
								  from, &rc)))
					args[k].text = args[k].own;
				if (rc < 0)
					goto out;
				k++;
			}
			continue;
		}
		md->printed = 1;
		if (access(md->file, F_OK) < 0 && errno == ENOENT)
			continue;   /* gone, and its tests with it */
		args[k].own = md->prefix;
		args[k].pytest = 1;
		args[k].text = md->prefix;
		md->prefix = NULL;
		if ((rel = rebase(md->file, args[k].own, strlen(args[k].own), from, &rc))) {
			free(args[k].own);
			args[k].own = rel;
			args[k].text = rel;
		}
		k++;
		if (rc < 0)
			goto out;
	}
	*out = args;
	*n = k;
	args = NULL;
out:
	ft_pytest_args_free(args, sel ? sel->n : 0);
	free(of);
	mods_free(&m);
	return rc;
}

void ft_pytest_args_free(struct ft_pytest_arg *args, size_t n)
{
	if (!args)
		return;
	for (size_t i = 0; i < n; i++)
		free(args[i].own);
	free(args);
}

int ft_pytest_args(struct ft_store *st, const struct ft_selection *sel,
		   struct ft_pytest_arg **out, size_t *n)
{
	return ft_pytest_args_from(st, sel, NULL, out, n);
}
