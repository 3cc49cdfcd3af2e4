/*
 * ft_go_list.c - asking `go list` (ft_runner_go.h): the packages go test
 * would test here, the ones it no longer finds, and forgetting recorded
 * packages that were removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_error.h"
#include "ft_ptree.h"
#include "ft_runner.h"
#include "ft_runner_go.h"
#include "ft_spawn.h"
#include "ft_store.h"
#include "ft_vec.h"

/* Run argv in `dir` (NULL: here) and collect its stdout (ft_spawn.h).
 * 0, or FT_EFORMAT when it cannot start or exits non-zero. */
int ft_go_capture(char *const *argv, const char *dir, char **out, size_t *outlen)
{
	int rc = ft_spawn_capture(dir, argv, NULL, out, outlen);

	if (rc == 0 || rc == -ENOMEM)
		return rc;
	if (rc > 0)
		free(*out);
	*out = NULL;
	*outlen = 0;
	return FT_EFORMAT;
}

void ft_go_list_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* `go list` with `argv` from `dir`: its non-empty output lines. */
static int go_list_lines(char *const *argv, const char *dir, char ***out, size_t *n)
{
	char *buf = NULL, *line, *save = NULL, **v = NULL;
	size_t len = 0, k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ft_go_capture(argv, dir, &buf, &len)) < 0)
		return rc;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char **nv;
		if (!*line)
			continue;
		if (!(nv = realloc(v, (k + 1) * sizeof(*nv))) || !(nv[k] = strdup(line))) {
			if (nv)
				v = nv;
			rc = -ENOMEM;
			break;
		}
		v = nv;
		k++;
	}
	free(buf);
	if (rc < 0) {
		ft_go_list_free(v, k);
		return rc;
	}
	*out = v;
	*n = k;
	return 0;
}

int ft_go_list_tests(const char *dir, char ***out, size_t *n)
{
	return ft_go_list_tests_with(dir, NULL, 0, out, n);
}

int ft_go_list_tests_with(const char *dir, char *const *flags, size_t nflags, char ***out,
			  size_t *n)
{
	/* every package: one without test files is still built (a build-only
	 * test), and a new one that does not compile fails `go test ./...`.
	 * -e: a package with an error (an import that cannot be found, a file
	 * that does not parse) is listed too, where plain `go list` fails for
	 * all of them: go test tests it (and fails it).  But not one with an
	 * error and no directory: go 1.26, outside any module, lists the
	 * pattern itself ("./...", "directory prefix . does not contain main
	 * module") as such a package, which is none (t7101) */
	char **argv = calloc(nflags + 7, sizeof(*argv));
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!argv)
		return -ENOMEM;
	argv[k++] = "go";
	argv[k++] = "list";
	argv[k++] = "-e";
	for (size_t i = 0; i < nflags; i++)
		argv[k++] = flags[i];
	argv[k++] = "-f";
	argv[k++] = "{{if or .Dir (not .Error)}}{{.ImportPath}}{{end}}";
	argv[k++] = "./...";
	argv[k] = NULL;
	rc = go_list_lines(argv, dir, out, n);
	free(argv);
	return rc;
}

int ft_go_list_gone(const char *dir, const char *const *pkgs, size_t n, char ***out, size_t *nout)
{
	char **argv = calloc(n + 6, sizeof(*argv));
	int rc;

	*out = NULL;
	*nout = 0;
	if (!n) {
		free(argv);
		return 0;
	}
	if (!argv)
		return -ENOMEM;
	argv[0] = "go";
	argv[1] = "list";
	argv[2] = "-e";
	argv[3] = "-f";
	argv[4] = "{{if and .Error (not .Dir)}}{{.ImportPath}}{{end}}";
	for (size_t i = 0; i < n; i++)
		argv[5 + i] = (char *)pkgs[i];  /* spawn takes char *const * */
	rc = go_list_lines(argv, dir, out, nout);
	free(argv);
	return rc;
}

/* ft_go_forget_gone's candidates: recorded packages of one module. */
struct forget {
	char **mods;              /* `go list -m` lines: module paths */
	size_t nmods;
	char **cand;              /* recorded names under one of them */
	size_t n, cap;
	char **gone;              /* what go list -e cannot find */
	size_t ngone;
};

static int under_module(const struct forget *f, const char *name)
{
	for (size_t i = 0; i < f->nmods; i++) {
		size_t l = strlen(f->mods[i]);
		if (!strncmp(name, f->mods[i], l) && (name[l] == '\0' || name[l] == '/'))
			return 1;
	}
	return 0;
}

static int forget_collect(const char *name, void *arg)
{
	struct forget *f = arg;
	char **nv;

	if (!under_module(f, name))
		return 0;
	if (!(nv = ft_vec_grow(f->cand, &f->cap, f->n, sizeof(*f->cand), 16)))
		return -ENOMEM;
	f->cand = nv;
	if (!(f->cand[f->n] = strdup(name)))
		return -ENOMEM;
	f->n++;
	return 0;
}

static int forget_keep(const char *name, void *arg)
{
	const struct forget *f = arg;

	for (size_t i = 0; i < f->ngone; i++)
		if (!strcmp(f->gone[i], name))
			return 0;
	return 1;
}

static void forget_release(struct forget *f)
{
	ft_go_list_free(f->mods, f->nmods);
	ft_go_list_free(f->cand, f->n);
	ft_go_list_free(f->gone, f->ngone);
	memset(f, 0, sizeof(*f));
}

static int any_name(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	return 1;
}

int ft_go_forget_gone(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
		      size_t *forgotten)
{
	int rc;

	*forgotten = 0;
	/* Every recorded package tested again by this run (the usual full
	 * run): nothing to ask go about, and no go process started. */
	if ((rc = ft_store_tests_others(st, "go", run_id, any_name, NULL)) <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; rc >= 0 && i < t->n; i++) {
		const struct ft_ptree_proc *p = &t->procs[i];
		char *argv[] = { "go", "list", "-m", NULL };
		struct forget f = { 0 };
		int seen = 0;
		size_t k = 0;

		if (p->runner != FT_RUNNER_GO || !p->cwd)
			continue;
		for (size_t j = 0; j < i && !seen; j++)   /* one pass per directory */
			seen = t->procs[j].runner == FT_RUNNER_GO && t->procs[j].cwd &&
			       !strcmp(t->procs[j].cwd, p->cwd);
		if (seen)
			continue;
		/* go cannot say (no module here, go missing): forget nothing */
		if ((rc = go_list_lines(argv, p->cwd, &f.mods, &f.nmods)) < 0 || !f.nmods) {
			rc = rc == -ENOMEM ? rc : 0;
			forget_release(&f);
			continue;
		}
		rc = ft_store_tests_others(st, "go", run_id, forget_collect, &f);
		if (rc >= 0 && f.n) {
			int r = ft_go_list_gone(p->cwd, (const char *const *)f.cand, f.n, &f.gone,
						&f.ngone);
			if (r == -ENOMEM)
				rc = r;
		}
		if (rc >= 0 && f.ngone && (rc = ft_store_tests_forget(st, "go", NULL, forget_keep, &f, &k)) >= 0)
			*forgotten += k;
		forget_release(&f);
	}
	return rc;
}
