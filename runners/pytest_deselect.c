/*
 * pytest_deselect.c - see ft_pytest_deselect.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_pytest_deselect.h"
#include "ft_runner_argv.h"
#include "ft_selection.h"
#include "ft_store.h"
#include "ft_store_runmeta.h"
#include "ft_store_tests.h"

struct left {
	const char *id;
	int64_t run_id;       /* the run that recorded it; 0: none known */
};

struct run_group {
	int64_t run_id;
	char *line;           /* "\x1e" + the options as JSON, or "\x1e?" */
};

struct walk {
	struct left *v;       /* sorted by id */
	size_t n;
	struct run_group *g;
	size_t ng, capg;
};

static int left_cmp(const void *a, const void *b)
{
	return strcmp(((const struct left *)a)->id, ((const struct left *)b)->id);
}

static int by_run(const void *a, const void *b)
{
	const struct left *x = a, *y = b;

	if (x->run_id != y->run_id)
		return (x->run_id > y->run_id) - (x->run_id < y->run_id);
	return strcmp(x->id, y->id);
}

static int group_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct run_group *)a)->run_id, y = ((const struct run_group *)b)->run_id;

	return (x > y) - (x < y);
}

static int each_test(void *arg, const struct ft_store_test *t)
{
	struct walk *w = arg;
	struct left key = { t->name, 0 }, *l;

	if (t->runner && !strcmp(t->runner, "pytest") &&
	    (l = bsearch(&key, w->v, w->n, sizeof(*w->v), left_cmp)))
		l->run_id = t->run_id;
	return 0;
}

static int each_run(void *arg, const struct ft_runmeta *m)
{
	struct walk *w = arg;
	const struct ft_runmeta_strv *o = m->pytest ? &m->pytest->options : NULL;
	cJSON *a;
	char *json = NULL, *line;

	if (!o || !o->has)
		return 0; /* no group line of its own: "?" */
	if (!(a = cJSON_CreateArray()))
		return -ENOMEM;
	for (size_t i = 0; i < o->n; i++) {
		cJSON *s = cJSON_CreateString(o->v[i]);
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			cJSON_Delete(a);
			return -ENOMEM;
		}
	}
	json = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	if (!json || asprintf(&line, "\x1e%s", json) < 0) {
		free(json);
		return -ENOMEM;
	}
	free(json);
	if (w->ng == w->capg) {
		struct run_group *ng = realloc(w->g, (w->capg = w->capg ? 2 * w->capg : 8) * sizeof(*ng));
		if (!ng) {
			free(line);
			return -ENOMEM;
		}
		w->g = ng;
	}
	w->g[w->ng++] = (struct run_group){ m->run_id, line };
	return 0;
}

/* The known tests left out, each with its run (st NULL: none). */
static int gather(struct ft_store *st, const struct ft_selection *sel,
		  const struct ft_selection *all, struct walk *w)
{
	int rc = 0;

	if (!(w->v = calloc(all->n + 1, sizeof(*w->v))))
		return -ENOMEM;
	for (size_t i = 0; i < all->n; i++) {
		const char *id = all->tests[i].id;
		if (ft_runner_argv_has(sel, id) || strchr(id, '\n') || id[0] == '\x1e')
			continue;
		w->v[w->n++] = (struct left){ id, 0 };
	}
	if (!st)
		return 0;
	qsort(w->v, w->n, sizeof(*w->v), left_cmp);
	if ((rc = ft_store_tests_each(st, each_test, w)) < 0 ||
	    (rc = ft_store_runmeta_each(st, each_run, w)) < 0)
		return rc;
	qsort(w->v, w->n, sizeof(*w->v), by_run);
	qsort(w->g, w->ng, sizeof(*w->g), group_cmp);
	return 0;
}

static int write_groups(FILE *f, const struct walk *w, int any)
{
	for (size_t i = 0; i < w->n; i++) {
		if (any) {
			if (i == 0)
				fputs("\x1e*\n", f);
		} else if (i == 0 || w->v[i].run_id != w->v[i - 1].run_id) {
			struct run_group key = { w->v[i].run_id, NULL }, *g;

			g = w->ng ? bsearch(&key, w->g, w->ng, sizeof(*w->g), group_cmp) : NULL;
			fprintf(f, "%s\n", g && w->v[i].run_id ? g->line : "\x1e?");
		}
		fprintf(f, "%s\n", w->v[i].id);
	}
	return 0;
}

int ft_pytest_deselect_write(struct ft_store *st, const struct ft_selection *sel,
			     const struct ft_selection *all, const char *path, size_t *n)
{
	struct walk w = { 0 };
	struct stat sb;
	FILE *f = NULL;
	int fd = -1, rc;

	*n = 0;
	if ((rc = gather(st, sel, all, &w)) < 0)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = errno == ELOOP ? FT_ENOTREG : -errno;
		goto out;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || !(f = fdopen(fd, "w"))) {
		close(fd);
		rc = FT_ENOTREG;
		goto out;
	}
	write_groups(f, &w, st == NULL);
	if (ferror(f) | fclose(f)) /* both must run */
		rc = -EIO;
	else
		*n = w.n;
out:
	for (size_t i = 0; i < w.ng; i++)
		free(w.g[i].line);
	free(w.g);
	free(w.v);
	return rc;
}

/*
 * How many words at args[i] are an option the plugin never counts among a
 * session's options (_NEUTRAL_OPTIONS in adapters/pytest/ftrace_pytest.py:
 * output, pace, which tests run), in a spelling pytest takes; 0 for any
 * other word.  Only a subset of that set, so that two command lines equal
 * but for these words have equal options: then pytest need not start.
 */
static size_t neutral_words(char *const *args, size_t i)
{
	static const char *const flags[] = {
		"-q", "--quiet", "-v", "--verbose", "-vv", "-vvv", "-qq", "-s", "-x", "--exitfirst",
		"-l", "--showlocals", "--no-header", "--no-summary", "--lf", "--last-failed",
		"--ff", "--failed-first", "--nf", "--new-first", "--sw", "--stepwise", "--full-trace",
	};
	/* with a value: "--tb=short", "--tb short" */
	static const char *const valued[] = {
		"--tb", "--capture", "--color", "--durations", "--durations-min", "--maxfail",
		"--junitxml", "--junit-xml", "--numprocesses", "--dist", "--basetemp", "-n",
	};
	const char *a = args[i];

	for (size_t k = 0; k < sizeof(flags) / sizeof(*flags); k++)
		if (!strcmp(a, flags[k]))
			return 1;
	if (a[0] == '-' && a[1] == 'r' && a[2])
		return 1; /* -rA, -rfE */
	for (size_t k = 0; k < sizeof(valued) / sizeof(*valued); k++) {
		size_t len = strlen(valued[k]);

		if (strncmp(a, valued[k], len))
			continue;
		if (a[len] == '=' || (len == 2 && a[len] >= '0' && a[len] <= '9'))
			return 1; /* --tb=short, -n4 */
		if (!a[len])
			return args[i + 1] ? 2 : 1;
	}
	return 0;
}

/* Are a and b (NULL-terminated) the same but for neutral words? */
static int same_args(char *const *a, char *const *b)
{
	size_t i = 0, j = 0, s;

	for (;;) {
		while (a[i] && (s = neutral_words(a, i)))
			i += s;
		while (b[j] && (s = neutral_words(b, j)))
			j += s;
		if (!a[i] || !b[j])
			return !a[i] && !b[j];
		if (strcmp(a[i], b[j]))
			return 0;
		i++;
		j++;
	}
}

struct same_walk {
	char *const *args;
	int64_t *runs;        /* the runs of pytest tests, sorted, unique */
	size_t n, cap;
	size_t nsame;         /* of them, those whose args are `args` */
};

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int same_test(void *arg, const struct ft_store_test *t)
{
	struct same_walk *w = arg;

	if (!t->runner || strcmp(t->runner, "pytest"))
		return 0;
	if (w->n && w->runs[w->n - 1] == t->run_id)
		return 0;
	if (w->n == w->cap) {
		int64_t *nv = realloc(w->runs, (w->cap = w->cap ? 2 * w->cap : 16) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		w->runs = nv;
	}
	w->runs[w->n++] = t->run_id;
	return 0;
}

static int same_run(void *arg, const struct ft_runmeta *m)
{
	struct same_walk *w = arg;
	const struct ft_runmeta_strv *a = m->pytest ? &m->pytest->args : NULL;
	char **v;

	if (!a || !a->has || !bsearch(&m->run_id, w->runs, w->n, sizeof(*w->runs), i64_cmp))
		return 0;
	if (!(v = calloc(a->n + 1, sizeof(*v))))
		return -ENOMEM;
	for (size_t k = 0; k < a->n; k++)
		v[k] = a->v[k];
	w->nsame += same_args(v, w->args);
	free(v);
	return 0;
}

int ft_pytest_deselect_same(struct ft_store *st, char *const *args)
{
	struct same_walk w = { args, NULL, 0, 0, 0 };
	size_t u = 0;
	int rc;

	if ((rc = ft_store_tests_each(st, same_test, &w)) >= 0) {
		qsort(w.runs, w.n, sizeof(*w.runs), i64_cmp);
		for (size_t i = 0; i < w.n; i++)
			if (!u || w.runs[u - 1] != w.runs[i])
				w.runs[u++] = w.runs[i];
		w.n = u;
		rc = ft_store_runmeta_each(st, same_run, &w);
	}
	if (rc >= 0)
		rc = w.nsame == w.n;
	free(w.runs);
	return rc;
}
