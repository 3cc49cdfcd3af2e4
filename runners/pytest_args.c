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
	long dir;           /* 1 + the index of the changed conftest's
			     * directory printed for it (ft_pytest_args_dirs),
			     * or 0 */
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

/* The length of the longest run of whole components that absolute paths
 * `path` and `from` begin with (0 for "/" alone), and in *ups how many
 * components of `from` follow it. */
static size_t common_dirs(const char *path, const char *from, size_t *ups)
{
	size_t common = 0;

	for (size_t i = 1; path[i - 1] == from[i - 1]; i++) {
		int fb = !path[i] || path[i] == '/', db = !from[i] || from[i] == '/';
		if (fb && db)
			common = i;
		if (!path[i] || !from[i])
			break;
	}
	if (!strcmp(path, "/") || !strcmp(from, "/"))
		common = 0;
	*ups = 0;
	for (const char *c = from + common; *c; c++)
		*ups += *c == '/' && c[1];
	return common;
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
	size_t fl = strlen(file), common, ups;
	char *out, *o;

	*err = 0;
	if (!from || !pl || fl <= pl || file[fl - pl - 1] != '/' || memcmp(file + fl - pl, id, pl) ||
	    !plain_abs(file) || !plain_abs(from))
		return NULL;
	common = common_dirs(file, from, &ups);
	if (file[common] != '/')
		return NULL;
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

/* `dir`'s path from `from` (both absolute and plain), malloc'd: "." for
 * `from` itself; NULL on -ENOMEM (*err) or when a path is not plain. */
static char *relpath(const char *dir, const char *from, int *err)
{
	size_t common, ups, dl = strlen(dir);
	char *out, *o;

	*err = 0;
	if (!plain_abs(dir) || !plain_abs(from))
		return NULL;
	common = common_dirs(dir, from, &ups);
	if (!(o = out = malloc(3 * ups + dl + 2))) {
		*err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < ups; i++, o += 3)
		memcpy(o, "../", 3);
	if (dir[common] == '/' && dir[common + 1])
		strcpy(o, dir + common + 1);
	else if (ups)
		o[-1] = '\0';   /* "../.." */
	else
		strcpy(o, ".");
	return out;
}

/* Is `file` below directory `dir` (no trailing slash)? */
static int below(const char *file, const char *dir)
{
	size_t dl = strlen(dir);

	return !strncmp(file, dir, dl) && file[dl] == '/';
}

/* Does a selected test have `conftest` (the changed file) as a reason? */
static int reason_of(const struct ft_selection *sel, const char *conftest)
{
	for (size_t i = 0; i < sel->n; i++)
		for (size_t k = 0; k < sel->tests[i].nreasons; k++)
			if (sel->tests[i].reasons[k].path &&
			    !strcmp(sel->tests[i].reasons[k].path, conftest))
				return 1;
	return 0;
}

/*
 * Which of the changed conftests' directories are printed whole:
 * `dirs[i]`, the directory of the changed conftest.py `conftests[i]`,
 * where a selected test has that conftest as a reason and every recorded
 * module below it is selected whole.  The outermost first: a module goes
 * to the shortest such directory.  *whole is 1 when such a directory is a
 * module's rootdir or above it (printed, it would collect what the
 * suite's testpaths leave out).
 */
static void claim_dirs(struct mods *m, const struct ft_selection *sel, const char *const *dirs,
		       const char *const *conftests, size_t ndirs, char *claimed, int *whole)
{
	size_t left = ndirs;

	for (size_t len = 1; left; len++) {
		for (size_t i = 0; i < ndirs; i++) {
			const char *d = dirs[i];
			size_t dl = strlen(d);
			int ok = 1;

			if (dl != len)
				continue;
			left--;
			if (d[0] != '/' || !d[1] || !reason_of(sel, conftests[i]))
				continue;
			for (size_t j = 0; ok && j < m->n; j++) {
				const struct mod *md = &m->v[j];
				if (below(md->file, d) && !md->dir &&
				    (!md->prefix || md->selected != md->known))
					ok = 0;
			}
			if (!ok)
				continue;
			/* (an outer one claimed every module here already:
			 * nothing left to print it for, but it prints itself) */
			for (size_t o = 0; ok && o < ndirs; o++)
				if (claimed[o] && below(d, dirs[o]))
					ok = 0;
			if (!ok)
				continue;
			claimed[i] = 1;
			for (size_t j = 0; j < m->n; j++) {
				struct mod *md = &m->v[j];
				size_t fl = strlen(md->file), pl = md->prefix ? strlen(md->prefix) : 0;
				/* its rootdir is md->file less "/" and the id's path */
				if (pl && fl > pl + 1 && dl <= fl - pl - 1 && below(md->file, d))
					*whole = 1;
				if (below(md->file, d) && !md->dir)
					md->dir = (long)i + 1;
			}
		}
	}
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
	return ft_pytest_args_dirs(st, sel, from, NULL, 0, out, n, NULL);
}

/* The rootdir of module `md` (its file less "/" and its node id's path)
 * into `root`, or 0 when it has none to tell. */
static int mod_root(const struct mod *md, char *root, size_t size)
{
	size_t fl = strlen(md->file), pl = md->prefix ? strlen(md->prefix) : 0;

	if (!pl || fl <= pl + 1 || fl - pl - 1 >= size)
		return 0;
	memcpy(root, md->file, fl - pl - 1);
	root[fl - pl - 1] = '\0';
	return 1;
}

/* Directory `dir` as an argument, from `from`, else from `root` (the
 * rootdir): into args[*k].  0, or -ENOMEM; a path that is not plain
 * prints as it is. */
static int put_dir(struct ft_pytest_arg *args, size_t *k, const char *dir, const char *from,
		   const char *root)
{
	int rc = 0;

	if (!(args[*k].own = relpath(dir, from ? from : root, &rc))) {
		if (rc < 0)
			return rc;
		if (!(args[*k].own = strdup(dir)))
			return -ENOMEM;
	}
	args[*k].text = args[*k].own;
	args[*k].pytest = 1;
	(*k)++;
	return 0;
}

int ft_pytest_args_dirs(struct ft_store *st, const struct ft_selection *sel, const char *from,
			const char *const *conftests, size_t nconftests,
			struct ft_pytest_arg **out, size_t *n, int *whole)
{
	struct mods m = { 0 };
	char **dirs = NULL;
	char *dirdone = NULL, *claimed = NULL;
	char root[4096], root0[4096] = "";
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
	if (!(of = calloc(sel->n, sizeof(*of))) ||
	    !(args = calloc(sel->n + nconftests, sizeof(*args)))) {
		rc = -ENOMEM;
		goto out;
	}
	w.of = of;
	if ((rc = ft_store_tests_with_file(st, "pytest", walk_one, &w)) < 0)
		goto out;
	if (whole)
		*whole = 0;
	if (nconftests) {
		if (!(dirs = calloc(nconftests, sizeof(*dirs))) ||
		    !(dirdone = calloc(nconftests, 1))) {
			rc = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < nconftests; i++) {
			const char *sl = strrchr(conftests[i], '/');
			if (!(dirs[i] = strndup(conftests[i], sl ? (size_t)(sl - conftests[i]) : 0))) {
				rc = -ENOMEM;
				goto out;
			}
		}
		if (!(claimed = calloc(nconftests, 1))) {
			rc = -ENOMEM;
			goto out;
		}
		claim_dirs(&m, sel, (const char *const *)dirs, conftests, nconftests, claimed, whole);
		for (size_t j = 0; j < m.n && !root0[0]; j++)
			if (!mod_root(&m.v[j], root0, sizeof(root0)))
				root0[0] = '\0';
	}
	for (size_t i = 0; i < sel->n; i++) {
		struct mod *md = of[i] ? &m.v[of[i] - 1] : NULL;
		if (md && md->printed)
			continue;   /* its module is printed already */
		if (md && md->dir) {
			/* below a changed conftest: its directory, once */
			md->printed = 1;
			if (dirdone[md->dir - 1])
				continue;
			dirdone[md->dir - 1] = 1;
			if (!mod_root(md, root, sizeof(root)))
				strcpy(root, "/");
			if ((rc = put_dir(args, &k, dirs[md->dir - 1], from, root)) < 0)
				goto out;
			continue;
		}
		if (!md && dirs && sel->tests[i].nreasons &&
		    sel->tests[i].reasons[0].change == FT_CHANGE_NEW && sel->tests[i].reasons[0].path) {
			/* a new test file below a directory printed whole */
			int in = 0;
			for (size_t d = 0; !in && d < nconftests; d++)
				in = claimed[d] && below(sel->tests[i].reasons[0].path, dirs[d]);
			if (in)
				continue;
		}
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
	/* a claimed directory none of whose tests is recorded (a conftest
	 * that ignored all of them): printed too, from the first rootdir */
	for (size_t d = 0; d < nconftests; d++) {
		if (!claimed[d] || dirdone[d])
			continue;
		if (!from && !root0[0])
			continue;   /* no rootdir to print it from: its tests are none */
		if ((rc = put_dir(args, &k, dirs[d], from, root0)) < 0)
			goto out;
	}
	*out = args;
	*n = k;
	args = NULL;
out:
	ft_pytest_args_free(args, sel ? sel->n + nconftests : 0);
	free(of);
	mods_free(&m);
	for (size_t i = 0; dirs && i < nconftests; i++)
		free(dirs[i]);
	free(dirs);
	free(dirdone);
	free(claimed);
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
