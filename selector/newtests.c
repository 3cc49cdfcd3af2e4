/*
 * newtests.c - new pytest test files, and the listing precision rule.
 *
 * Every pytest test depends on the listing of its rootdir and test dirs
 * (collection reads them).  Adding tests/test_new.py changes that listing,
 * so without this file every test would be selected whenever a test file
 * is added.  Instead a changed listing is diffed against the names stored
 * at recording time (ft_store_listing_put):
 *   - an added name matching python_files is a new test, printed by its
 *     path relative to the rootdir (pytest takes a file as a node id);
 *   - an added directory is walked (bounded) for such files, and counts
 *     as a new test directory only if it holds one;
 *   - if that is all that changed, the listing does not count as changed
 *     for the tests that read it: collecting a new test file or test
 *     directory does not change how the existing tests run (the new file
 *     is run itself);
 *   - only in directories pytest collects from: below a norecursedirs
 *     match (a virtualenv, node_modules, build/) nothing is a test and
 *     every listing change counts;
 *   - any removal, or any other added name (conftest.py, a module, data),
 *     is a change.  No stored names: a change (sound, imprecise);
 *   - an added file the doctest plugin collects (a module under
 *     --doctest-modules, a --doctest-glob match) is a change and a new
 *     test too: pytest given the rest would never collect it;
 *   - a conftest.py anywhere in an added directory is a change: its hooks
 *     (pytest_collection_modifyitems, pytest_configure) reach every test;
 *   - with a collector that is not plain (a project's pytest_collect_file),
 *     any other added file may be a test: it is still a change, and the
 *     directory holding it (an added directory's parent) is a new test,
 *     printed by its path: pytest given it collects the file the same way;
 *   - a listing of reader FT_READER_COLLECT was read by pytest's
 *     collector alone (its reader's rule: runners/runner_pytest_readers.c;
 *     the
 *     adapter's FT_CONTEXT_COLLECT; every other reader of the directory,
 *     a conftest's os.listdir() or the import system, has its own LIST
 *     state): there a name the collector ignores, added or removed, is no
 *     change either, when the runs used only pytest's own collection
 *     hooks ("collector": {"plain": true}).  Ignored: a regular file that
 *     is no test file, no conftest.py, no __init__.py, and no doctest the
 *     runs would collect; a norecursedirs directory; an added directory
 *     that holds only such files, test files and __init__.py files.
 * An added test_x.py (or directory) is importable as a module too: a test
 * doing `try: import test_x` recorded the name's absence (the import
 * lookups that miss, adapters/pytest/ftrace_pysite.py), which selects it.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_record.h"
#include "ft_select_int.h"
#include "ft_state.h"
#include "ft_store_select.h"
#include "ft_store_runmeta.h"
#include "ft_store_tests.h"

#define FT_WALK_BUDGET 100000u /* directory entries read per selection */
#define FT_WALK_DEPTH 64

static const char *const ft_default_norecurse[] = {
	"*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}",
};

/* Append the strings of `s` to *v (n entries). */
static int strv_append(char ***v, size_t *n, const struct ft_runmeta_strv *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char **g;
		if (!(g = realloc(*v, (*n + 1) * sizeof(*g))))
			return -ENOMEM;
		*v = g;
		if (!(g[*n] = strdup(s->v[i])))
			return -ENOMEM;
		(*n)++;
	}
	return 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int strv_has(const struct ft_runmeta_strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

/* Keep of `v` only the strings `s` holds too. */
static void strv_keep(char **v, size_t *n, const struct ft_runmeta_strv *s)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++) {
		if (strv_has(s, v[i]))
			v[k++] = v[i];
		else
			free(v[i]);
	}
	*n = k;
}

/* Intersect the runs' lists one run at a time: the first run's `s`
 * (`first`) is appended, each later one keeps what it holds too; *has
 * stays 1 only while every run had the list.  0 or -ENOMEM. */
static int strv_meet(char ***v, size_t *n, int *has, const struct ft_runmeta_strv *s, int first)
{
	*has = (first || *has) && s->has;
	if (first)
		return strv_append(v, n, s);
	strv_keep(*v, n, s);
	return 0;
}

/* A new vector of the strings of `s` (NULL, *n = 0 if none, or out of
 * memory). */
static char **strv_copy(const struct ft_runmeta_strv *s, size_t *n)
{
	char **v = NULL;

	*n = 0;
	if (strv_append(&v, n, s) < 0) {
		strv_free(v, *n);
		*n = 0;
		return NULL;
	}
	return v;
}

static int str_cmp(const void *a, const void *b);

/* The own_files of every runner entry into nt->own (unsorted). */
static int add_own(struct ft__newtests *nt, const struct ft_runmeta *m)
{
	for (size_t k = 0; k < m->nrunners; k++) {
		const struct ft_runmeta_strv *own = &m->runners[k].own_files;
		for (size_t i = 0; i < own->n; i++) {
			char **v;
			if (own->v[i][0] != '/')
				continue; /* not an own file: the listing change counts */
			if (!(v = realloc(nt->own, (nt->nown + 1) * sizeof(*v))))
				return -ENOMEM;
			nt->own = v;
			if (!(v[nt->nown] = strdup(own->v[i])))
				return -ENOMEM;
			nt->nown++;
		}
	}
	return 0;
}

/* Merge a run's collector into its root: plain only if every run was,
 * the doctests of any run.  Without it (an older adapter), not plain. */
static int merge_collector(struct ft_pytest_root *p, const struct ft_runmeta_pytest *m, int first)
{
	p->plain = (first || p->plain) && m->plain && m->doctest_modules >= 0 && m->doctest_glob.has;
	p->lookups = (first || p->lookups) && strv_has(&m->noted, "lookups");
	if (m->doctest_modules > 0)
		p->doctest_modules = 1;
	/* a name any run would collect is a test name */
	p->has_pyfuncs = (first || p->has_pyfuncs) && m->python_functions.has;
	p->has_pyclasses = (first || p->has_pyclasses) && m->python_classes.has;
	if (strv_append(&p->pyfuncs, &p->npyfuncs, &m->python_functions) < 0 ||
	    strv_append(&p->pyclasses, &p->npyclasses, &m->python_classes) < 0)
		return -ENOMEM;
	/* a module is loaded at start-up (from the standard library) if
	 * every run had loaded it */
	if (strv_meet(&p->loaded, &p->nloaded, &p->has_loaded, &m->loaded, first) < 0 ||
	    strv_meet(&p->stdlib, &p->nstdlib, &p->has_stdlib, &m->stdlib, first) < 0)
		return -ENOMEM;
	/* one standard library in every run, or none to check against */
	if (first && m->std && !(p->std = strdup(m->std)))
		return -ENOMEM;
	if (!first && p->std && (!m->std || strcmp(p->std, m->std))) {
		free(p->std);
		p->std = NULL;
	}
	return strv_append(&p->doctest_glob, &p->ndglob, &m->doctest_glob);
}

static int add_root(void *arg, const struct ft_runmeta *m)
{
	struct ft__newtests *nt = arg;
	const struct ft_runmeta_pytest *py = m->pytest;
	struct ft_pytest_root *roots, *p;

	if (add_own(nt, m) < 0)
		return -ENOMEM;
	if (!py)
		return 0;
	for (size_t i = 0; i < nt->nroots; i++)
		if (!strcmp(nt->roots[i].rootdir, py->rootdir))
			/* newest run first: keep the first seen, but what
			 * any run's collector may collect counts */
			return merge_collector(&nt->roots[i], py, 0);
	roots = realloc(nt->roots, (nt->nroots + 1) * sizeof(*roots));
	if (!roots)
		return -ENOMEM;
	nt->roots = roots;
	p = &roots[nt->nroots++];
	memset(p, 0, sizeof(*p));
	p->rootdir = strdup(py->rootdir);
	p->rootlen = strlen(p->rootdir);
	while (p->rootlen > 1 && p->rootdir[p->rootlen - 1] == '/')
		p->rootdir[--p->rootlen] = '\0';
	p->patterns = strv_copy(&py->python_files, &p->npat);
	if (!p->npat) { /* pytest's default */
		p->patterns = calloc(2, sizeof(char *));
		p->patterns[0] = strdup("test_*.py");
		p->patterns[1] = strdup("*_test.py");
		p->npat = 2;
	}
	if (py->norecursedirs.has) {
		p->norecurse = strv_copy(&py->norecursedirs, &p->nnorecurse);
	} else {
		size_t n = sizeof(ft_default_norecurse) / sizeof(ft_default_norecurse[0]);
		p->norecurse = calloc(n, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			p->norecurse[i] = strdup(ft_default_norecurse[i]);
		p->nnorecurse = n;
	}
	return merge_collector(p, py, 1);
}

int ft__newtests_init(struct ft__newtests *nt, struct ft_store *st)
{
	int rc;

	nt->budget = FT_WALK_BUDGET;
	if ((rc = ft_store_runmeta_each(st, add_root, nt)) < 0)
		return rc;
	if (nt->nown > 1)
		qsort(nt->own, nt->nown, sizeof(*nt->own), str_cmp);
	return 0;
}

void ft__newtests_release(struct ft__newtests *nt)
{
	for (size_t i = 0; i < nt->nroots; i++) {
		free(nt->roots[i].rootdir);
		strv_free(nt->roots[i].patterns, nt->roots[i].npat);
		strv_free(nt->roots[i].norecurse, nt->roots[i].nnorecurse);
		strv_free(nt->roots[i].doctest_glob, nt->roots[i].ndglob);
		strv_free(nt->roots[i].pyfuncs, nt->roots[i].npyfuncs);
		strv_free(nt->roots[i].pyclasses, nt->roots[i].npyclasses);
		strv_free(nt->roots[i].loaded, nt->roots[i].nloaded);
		strv_free(nt->roots[i].stdlib, nt->roots[i].nstdlib);
		free(nt->roots[i].std);
	}
	free(nt->roots);
	for (size_t i = 0; i < nt->nfound; i++) {
		free(nt->found[i].id);
		free(nt->found[i].abs);
	}
	free(nt->found);
	for (size_t i = 0; i < nt->nown; i++)
		free(nt->own[i]);
	free(nt->own);
	/* known_files and list_dirs belong to the caller */
}

const struct ft_pytest_root *ft__newtests_root(const struct ft__newtests *nt, const char *path)
{
	for (size_t i = 0; i < nt->nroots; i++) {
		const struct ft_pytest_root *r = &nt->roots[i];
		if (!strncmp(path, r->rootdir, r->rootlen) &&
		    (path[r->rootlen] == '\0' || path[r->rootlen] == '/' || r->rootlen == 1))
			return r;
	}
	return NULL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int in_sorted(char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), str_cmp) != NULL;
}

/* Could a project collection hook make tests of this added file?  Any
 * file but pytest's own (conftest.py, __init__.py: changes of their own,
 * judged as such) and the bytecode cache. */
static int maybe_tests(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, "conftest.py") && strcmp(name, "__init__.py") &&
	       !(n > 4 && !strcmp(name + n - 4, ".pyc"));
}

/* Note the test file `abs` as new, once.  1 if it is new (now or from an
 * earlier listing: one directory may have several listing states), 0 if
 * the recording knows it, -ENOMEM. */
static int add_found(struct ft__newtests *nt, const struct ft_pytest_root *r, const char *abs)
{
	struct ft__newtest *f;

	if (in_sorted(nt->known_files, nt->nknown, abs))
		return 0;
	for (size_t i = 0; i < nt->nfound; i++)
		if (!strcmp(nt->found[i].abs, abs))
			return 1;
	if (nt->nfound == nt->capfound) {
		size_t cap = nt->capfound ? nt->capfound * 2 : 16;
		f = realloc(nt->found, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		nt->found = f;
		nt->capfound = cap;
	}
	f = &nt->found[nt->nfound];
	f->abs = strdup(abs);
	/* the rootdir itself (a new file there, for a project hook): "." */
	f->id = strdup(abs[r->rootlen] ? abs + r->rootlen + (r->rootlen > 1) : ".");
	if (!f->abs || !f->id) {
		free(f->abs);
		free(f->id);
		return -ENOMEM;
	}
	nt->nfound++;
	return 1;
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

struct ft__visit {
	dev_t dev;
	ino_t ino;
};

/* Collect test files below an added directory the recording never listed.
 * Follows symlinked directories like pytest does, once each (loops).  Sets
 * *other on a file that makes the directory more than new tests: a
 * conftest.py, and with `collected` any file the collector does not ignore
 * (collector_ignores) other than a test file or an __init__.py.  Counts
 * the new test files in *ntests. */
static int walk(struct ft__newtests *nt, const struct ft_pytest_root *r, const char *dir, int depth,
		struct ft__visit **seen, size_t *nseen, int collected, int *other, size_t *ntests)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (depth > FT_WALK_DEPTH) {
		nt->why = "an added directory is nested too deep to look for new tests";
		return 0;
	}
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return 0;
	for (size_t i = 0; i < *nseen; i++)
		if ((*seen)[i].dev == sb.st_dev && (*seen)[i].ino == sb.st_ino)
			return 0;
	{
		struct ft__visit *v = realloc(*seen, (*nseen + 1) * sizeof(**seen));
		if (!v)
			return -ENOMEM;
		*seen = v;
		v[(*nseen)++] = (struct ft__visit){ sb.st_dev, sb.st_ino };
	}
	if (!(d = opendir(dir))) {
		nt->why = "an added directory cannot be read to look for new tests";
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		char *p;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (nt->budget == 0) {
			nt->why = "added directories hold too many entries to look for new tests";
			break;
		}
		nt->budget--;
		if (!(p = join(dir, de->d_name))) {
			rc = -ENOMEM;
			break;
		}
		if (stat(p, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && ft_pytest_root_is_test_file(r, p, de->d_name)) {
				rc = add_found(nt, r, p);
				*ntests += rc > 0;
				rc = rc < 0 ? rc : 0;
			}
			else if (S_ISREG(sb.st_mode) && !strcmp(de->d_name, "conftest.py"))
				*other = 1;
			else if (S_ISREG(sb.st_mode) && ft_pytest_root_doctest_file(r, p, de->d_name)) {
				/* doctests: new tests, and a change (added_entry) */
				*other = 1;
				rc = add_found(nt, r, p) < 0 ? -ENOMEM : 0;
			}
			else if (S_ISREG(sb.st_mode) && collected && strcmp(de->d_name, "__init__.py") &&
				 !ft_pytest_root_ignores(r, p, de->d_name))
				*other = 1;
			else if (S_ISDIR(sb.st_mode) && !ft_pytest_root_skip_dir(r, de->d_name) &&
				 !in_sorted(nt->list_dirs, nt->nlist, p))
				rc = walk(nt, r, p, depth + 1, seen, nseen, collected, other, ntests);
		}
		free(p);
	}
	closedir(d);
	return rc;
}

/* One added (or, without stored names, present) entry.  Returns 1 if it is
 * a test file or a new test directory, or with `collected` (a listing of
 * a reader that FT_READER_COLLECTS) anything the collector ignores; 0 if it is anything else. */
static int added_entry(struct ft__newtests *nt, const struct ft_pytest_root *r, const char *dir,
		       const char *name, int collected, int *err)
{
	struct stat sb;
	char *p = join(dir, name);
	int neutral = 0, ignoring = collected && r->plain;

	if (!p) {
		*err = -ENOMEM;
		return 0;
	}
	if (stat(p, &sb) == 0) {
		if (S_ISREG(sb.st_mode) && ft_pytest_root_is_test_file(r, p, name)) {
			int found = add_found(nt, r, p);
			neutral = 1;
			*err = found < 0 ? found : 0;
		} else if (S_ISREG(sb.st_mode)) {
			neutral = collected && ft_pytest_root_ignores(r, p, name);
			/* a module under --doctest-modules, a file of a
			 * --doctest-glob: its doctests are new tests, and so
			 * is what importing it does at collection (a module
			 * that shadows another breaks the whole run); still a
			 * change of the listing for the tests that read it */
			if (!neutral && ft_pytest_root_doctest_file(r, p, name)) {
				int found = add_found(nt, r, p);
				if (found < 0) {
					*err = found;
					free(p);
					return 0;
				}
			}
			/* A collection hook of the project's own
			 * (pytest_collect_file in a conftest, a plugin) may
			 * make tests of any file: the directory that holds
			 * the new file is a new test then, by its path;
			 * pytest given it collects the file through the same
			 * hooks.  Not the file itself: pytest given a file
			 * that yields no test stops with "not found".  Only
			 * pytest's own collection (plain) proves it yields
			 * none. */
			if (!r->plain && !neutral && maybe_tests(name)) {
				int found = add_found(nt, r, dir);
				*err = found < 0 ? found : 0;
			}
		} else if (S_ISDIR(sb.st_mode) && ft_pytest_root_skip_dir(r, name)) {
			neutral = ignoring; /* pytest_ignore_collect: norecursedirs */
		} else if (S_ISDIR(sb.st_mode) && !in_sorted(nt->list_dirs, nt->nlist, p)) {
			/* Neutral if it is a new test directory: it holds new
			 * test files and no conftest.py.  An empty or
			 * source-only directory is a new importable
			 * (namespace) package, which can change what existing
			 * tests import -- unless only the collector listed
			 * its parent: then the import system's own listing
			 * of the parent, if any, is a LIST state that says
			 * so. */
			struct ft__visit *seen = NULL;
			size_t nseen = 0, ntests = 0;
			int other = 0;
			*err = walk(nt, r, p, 1, &seen, &nseen, collected, &other, &ntests);
			free(seen);
			neutral = !other && (ntests || ignoring);
			/* as above: a new directory with files a project hook
			 * may collect (a new snippet directory): its parent */
			if (!r->plain && other && *err >= 0) {
				int found = add_found(nt, r, dir);
				*err = found < 0 ? found : 0;
			}
		} else if (!S_ISDIR(sb.st_mode)) {
			neutral = ignoring; /* a FIFO, a socket: neither file nor dir */
		}
	}
	free(p);
	return neutral;
}

/* 1 if pytest collects in `path` (under root): no component of the part
 * below the rootdir matches norecursedirs or is __pycache__.  Elsewhere
 * (a virtualenv's site-packages under the rootdir, node_modules, build/)
 * an added file is not a test, and a listing change is a change. */
static int collected_dir(const struct ft_pytest_root *r, const char *path)
{
	const char *p = path + r->rootlen;
	char comp[256];

	while (*p) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (!n)
			break;
		if (n >= sizeof(comp))
			return 0;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (ft_pytest_root_skip_dir(r, comp))
			return 0;
		p += n;
	}
	return 1;
}

/* Is the name `name` added to (or removed from) the listing of `dir` none
 * to `reader` (NULL: anyone's, never)?  `root`: the rootdir's collection
 * rules, the reader's scope where pytest collects. */
static int reader_neutral(const struct ft_reader *reader, const struct ft_pytest_root *root,
			  const char *dir, const char *name, int added)
{
	struct ft_listing_change c = { .dir = dir, .name = name, .added = added, .scope = root };

	return ft_reader_neutral(reader, &c);
}

int ft__newtests_listing(struct ft__newtests *nt, const struct ft_pytest_root *root, struct ft_store *st,
			 int64_t path_id, const char *path, uint64_t recorded,
			 const struct ft_reader *reader)
{
	char *old = NULL, *cur = NULL;
	size_t olen = 0, clen = 0, i = 0, j = 0;
	int have, neutral, err = 0;
	int collected = reader && (reader->flags & FT_READER_COLLECTS);

	/* no tests there: a reader whose rule holds everywhere (the import
	 * system's) can still make it none by its names alone */
	if (!collected_dir(root, path))
		return reader && (reader->flags & FT_READER_EVERYWHERE) ?
			       ft__newtests_reader_only(st, reader, path_id, path, recorded) : 0;

	if (ft_state_listing(path, &cur, &clen, NULL) < 0)
		return 0; /* gone or unreadable: a change, nothing to collect */
	have = ft_store_listing_get(st, path_id, recorded, &old, &olen);
	if (have < 0) {
		free(cur);
		return have;
	}
	neutral = have == 1;
	/* Merge walk over two sorted lists of NUL-terminated names. */
	while (err == 0 && j < clen) {
		const char *c = cur + j;
		int cmp = 1;
		if (have == 1) {
			if (i >= olen)
				cmp = 1;
			else
				cmp = strcmp(old + i, c) < 0 ? -1 : strcmp(old + i, c) > 0 ? 1 : 0;
		}
		if (have == 1 && cmp < 0) { /* removed */
			if (!reader_neutral(reader, root, path, old + i, 0))
				neutral = 0;
			i += strlen(old + i) + 1;
			continue;
		}
		if (cmp == 0) {
			i += strlen(old + i) + 1;
		} else if (!collected && reader_neutral(reader, root, path, c, 1)) {
			/* nothing its reader can use (the collector's added
			 * entries: added_entry's walk) */
		} else if (!added_entry(nt, root, path, c, collected, &err)) {
			neutral = 0;
		}
		j += strlen(c) + 1;
	}
	while (have == 1 && i < olen) { /* removed at the end */
		if (!reader_neutral(reader, root, path, old + i, 0))
			neutral = 0;
		i += strlen(old + i) + 1;
	}
	free(old);
	free(cur);
	if (err < 0)
		return err;
	return neutral;
}

static int is_own(const void *arg, const char *dir, const char *name, int added)
{
	const struct ft__newtests *nt = arg;
	char *p = join(dir, name);
	int own;

	(void)added;
	if (!p)
		return 0;
	own = in_sorted(nt->own, nt->nown, p);
	free(p);
	return own;
}

static int reader_ok(const void *arg, const char *dir, const char *name, int added)
{
	return reader_neutral(arg, NULL, dir, name, added);
}

/* 1 if every name added to or removed from the listing of `path` since
 * `recorded` passes `ok`; 0 if one does not, or without stored names;
 * negative FT_E*. */
static int diff_all(const void *arg, struct ft_store *st, int64_t path_id, const char *path,
		    uint64_t recorded, int (*ok)(const void *, const char *, const char *, int))
{
	char *old = NULL, *cur = NULL;
	size_t olen = 0, clen = 0, i = 0, j = 0;
	int have, all = 1;

	if (ft_state_listing(path, &cur, &clen, NULL) < 0)
		return 0;
	have = ft_store_listing_get(st, path_id, recorded, &old, &olen);
	if (have != 1) {
		free(cur);
		return have < 0 ? have : 0;
	}
	/* merge walk over the two sorted name lists */
	while (all && (i < olen || j < clen)) {
		int cmp = i >= olen ? 1 : j >= clen ? -1 : strcmp(old + i, cur + j);
		if (cmp < 0) {
			all = ok(arg, path, old + i, 0);
			i += strlen(old + i) + 1;
		} else if (cmp > 0) {
			all = ok(arg, path, cur + j, 1);
			j += strlen(cur + j) + 1;
		} else {
			i += strlen(old + i) + 1;
			j += strlen(cur + j) + 1;
		}
	}
	free(old);
	free(cur);
	return all;
}

int ft__newtests_own_only(const struct ft__newtests *nt, struct ft_store *st, int64_t path_id,
			  const char *path, uint64_t recorded)
{
	return nt->nown ? diff_all(nt, st, path_id, path, recorded, is_own) : 0;
}

int ft__newtests_reader_only(struct ft_store *st, const struct ft_reader *reader, int64_t path_id,
			     const char *path, uint64_t recorded)
{
	return reader ? diff_all(reader, st, path_id, path, recorded, reader_ok) : 0;
}
