/*
 * runner_ctest.c - ctest's row of the runner table (ft_runners.h): a
 * direct child of a `ctest` image whose executable (realpath) and remaining
 * arguments equal a test's command from `ctest --show-only=json-v1` is that
 * test, named as ctest names it (docs/runners.md).  Its selections are one
 * `ctest -R ^(a|b)$` regex.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_ctest_times.h"
#include "ft_error.h"
#include "ft_file.h"
#include "ft_format.h"
#include "ft_ptree.h"
#include "ft_runlists.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_runners.h"
#include "ft_selection.h"
#include "ft_store.h"

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

static int is_image(const char *exe, char *const *argv, int argc)
{
	return !strcmp(argc > 0 ? base(argv[0]) : "", "ctest") || !strcmp(base(exe), "ctest");
}

/* the realpath of `p` equals `real` (an already resolved path) */
static int same_file(const char *p, const char *real)
{
	char buf[PATH_MAX];
	return p && real && realpath(p, buf) && !strcmp(buf, real);
}

/* Does image `p` run ctest test `t`?  ctest execs the command as listed;
 * a script started directly runs as "interpreter script args...". */
static int ctest_match(const struct ft_ptree_proc *p, const struct ft_ctest_test *t,
		       const char *cmd0)
{
	int n = 0, off;

	if (!t->argv || !t->argv[0] || !cmd0)
		return 0;
	while (t->argv[n])
		n++;
	if (p->argc == n && (same_file(p->argv[0], cmd0) || (p->exe && !strcmp(p->exe, cmd0))))
		off = 0;
	else if (p->argc == n + 1 && same_file(p->argv[1], cmd0))
		off = 1;
	else
		return 0;
	for (int i = 1; i < n; i++)
		if (strcmp(p->argv[i + off], t->argv[i]))
			return 0;
	return 1;
}

/* realpath of each test's command[0], once per run (NULL: none) */
static char **ctest_real0(const struct ft_ctest_list *cl)
{
	char **v = calloc(cl->n + 1, sizeof(*v));

	for (size_t j = 0; v && j < cl->n; j++)
		if (cl->tests[j].argv && cl->tests[j].argv[0])
			v[j] = realpath(cl->tests[j].argv[0], NULL);
	return v;
}

/* Names listed in <dir>/Testing/Temporary/LastTestsFailed.log ("N:name"
 * per line), written by this run.  Returns 1 and fills `*out` (a
 * newline-separated list, each line "\nname\n"-searchable), 0 if absent
 * or stale. */
static int ctest_failed_log(const char *dir, int64_t t0, char **out)
{
	char path[PATH_MAX], line[4096];
	size_t n = 0, cap = 0;
	struct stat st;
	FILE *f;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/Testing/Temporary/LastTestsFailed.log", dir);
	if (stat(path, &st) < 0 ||
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec < t0 ||
	    !(f = ft_file_fopen(path, FT_FILE_FOLLOW)))
		return 0;
	*out = calloc(1, 2);
	if (!*out) {
		fclose(f);
		return 0;
	}
	(*out)[0] = '\n';
	n = 1;
	cap = 2;
	while (fgets(line, sizeof(line), f)) {
		char *name = strchr(line, ':');
		size_t l;
		if (!name)
			continue;
		name++;
		name[strcspn(name, "\n")] = '\0';
		l = strlen(name);
		if (n + l + 2 > cap) {
			char *nb = realloc(*out, cap = (n + l + 2) * 2);
			if (!nb)
				break;
			*out = nb;
		}
		memcpy(*out + n, name, l);
		n += l;
		(*out)[n++] = '\n';
		(*out)[n] = '\0';
	}
	fclose(f);
	return 1;
}

static int listed(const char *list, const char *name)
{
	size_t l = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p++)
		if (p > list && p[-1] == '\n' && p[l] == '\n')
			return 1;
	return 0;
}

/* ctest's --test-dir DIR (or =DIR), else "." */
static const char *ctest_dir(const struct ft_ptree_proc *r)
{
	for (int i = 1; i < r->argc; i++) {
		if (!strcmp(r->argv[i], "--test-dir") && i + 1 < r->argc)
			return r->argv[i + 1];
		if (!strncmp(r->argv[i], "--test-dir=", 11))
			return r->argv[i] + 11;
	}
	return ".";
}

/* ctest reads and rewrites <dir>/Testing/Temporary (CTestCostData.txt,
 * LastTest.log, LastTestsFailed.log) in the same run: it only orders and
 * reports tests.  As a dependency it would be "modified during the run"
 * and select every test each time. */
static char *ctest_bookkeeping(const struct ft_ptree_proc *r)
{
	char real[PATH_MAX], *out;

	if (!realpath(ctest_dir(r), real) || asprintf(&out, "%s/Testing/Temporary", real) < 0)
		return NULL;
	return out;
}


/* Per run: the test list (given, or loaded once from the first ctest
 * image's args) and each test's command[0] resolved. */
struct state {
	struct ft_ctest_list loaded;
	const struct ft_ctest_list *cl;
	char **real0;
	int tried, times_read;
	struct ft_ctest_times times; /* ctest's own, read before --show-only */
};

static void release(void *arg)
{
	struct state *s = arg;

	if (!s)
		return;
	for (size_t j = 0; s->real0 && s->cl && j < s->cl->n; j++)
		free(s->real0[j]);
	free(s->real0);
	ft_ctest_times_release(&s->times);
	ft_ctest_list_release(&s->loaded);
	free(s);
}

/* Is `cwd` (a process's, real) the directory `workdir` names?  0 when
 * either is unknown. */
static int same_dir(const char *cwd, const char *workdir)
{
	char real[PATH_MAX];

	return cwd && workdir && realpath(workdir, real) && !strcmp(real, cwd);
}

/* Did p exec test t's command[0] by the very name ctest lists (not only
 * the same file: json-c's tests are symlinks to one script), as the
 * program or as the script its interpreter runs? */
static int same_name(const struct ft_ptree_proc *p, const struct ft_ctest_test *t)
{
	int n = 0;

	while (t->argv[n])
		n++;
	return (p->argc == n && !strcmp(p->argv[0], t->argv[0])) ||
	       (p->argc == n + 1 && !strcmp(p->argv[1], t->argv[0]));
}

/*
 * Process p matched several tests (ctest_match: the same arguments, the
 * same file).  Told apart, in turn, by the name it was started by, then
 * by its working directory at exec against each test's
 * WORKING_DIRECTORY: each filter is used when it leaves at least one.
 * One left: that test.  More: nothing tells them apart (the same command
 * in the same directory: another ENVIRONMENT, or a test registered
 * twice).  p then stays in the prelude (every test depends on it), and
 * each of those tests is marked untold: not recorded, and its earlier
 * recording forgotten (ctest_forget), so it is new, always selected, and
 * gone once ctest no longer lists it.  Kept as it was, a recording from a
 * run where it was the only one with that command would go on answering
 * for it (t8004).  The test's index, -1 (p is no test's), or -ENOMEM.
 */
static long tell_apart(struct ft_ptree *t, struct state *s, const struct ft_ptree_proc *p)
{
	size_t n = s->cl->n, left = 0;
	uint8_t *in = calloc(n ? 2 * n : 1, 1), *ok = in + n;

	if (!in)
		return -ENOMEM;
	for (size_t j = 0; j < n; j++)
		left += in[j] = ctest_match(p, &s->cl->tests[j], s->real0[j]);
	for (int f = 0; f < 2 && left > 1; f++) {
		size_t keep = 0;
		for (size_t j = 0; j < n; j++)
			keep += ok[j] = in[j] && (f == 0 ? same_name(p, &s->cl->tests[j])
							 : same_dir(p->cwd, s->cl->tests[j].workdir));
		if (keep) {
			memcpy(in, ok, n);
			left = keep;
		}
	}
	for (size_t j = 0; j < n; j++) {
		long k;
		if (!in[j])
			continue;
		if ((k = ft_ptree_test(t, s->cl->tests[j].name, ft_runner_ctest.name)) < 0) {
			free(in);
			return k;
		}
		if (left == 1) {
			free(in);
			return k;
		}
		t->tests[k].untold = 1;
	}
	free(in);
	return -1;
}

static long name_test(void **state, const struct ft_runner_naming *nm, struct ft_ptree *t, size_t r,
		 size_t i)
{
	struct state *s = *state;
	const struct ft_ptree_proc *p = &t->procs[i];
	size_t hit = FT_PTREE_NONE, nhit = 0;

	if (!s) {
		if (!(s = *state = calloc(1, sizeof(*s))))
			return -ENOMEM;
		s->cl = nm->ctest;
	}
	if (!t->bookkeeping[FT_BK_CTEST])
		t->bookkeeping[FT_BK_CTEST] = ctest_bookkeeping(&t->procs[r]);
	if (!s->times_read) {
		/* the run's own LastTest.log, before --show-only rewrites it */
		s->times_read = 1;
		ft_ctest_times_read(t->bookkeeping[FT_BK_CTEST], nm->env ? nm->env->t0_ns : 0,
				    &s->times);
	}
	if (!s->cl && !s->tried) {
		s->tried = 1;
		/* NEEDSWORK: run where ftrace runs, not where
		 * ctest ran (a `cd build && ctest` in a shell) */
		if (ft_ctest_list_load(&s->loaded, t->procs[r].argv + 1) >= 0)
			s->cl = &s->loaded;
	}
	if (s->cl && !s->real0 && !(s->real0 = ctest_real0(s->cl)))
		return -ENOMEM;
	for (size_t j = 0; s->cl && j < s->cl->n; j++)
		if (ctest_match(p, &s->cl->tests[j], s->real0[j])) {
			hit = j;
			nhit++;
		}
	if (nhit <= 1)
		return nhit ? ft_ptree_test(t, s->cl->tests[hit].name, ft_runner_ctest.name) : -1;
	return tell_apart(t, s, p);
}

static int not_untold(const char *name, void *arg)
{
	const struct ft_ptree *t = arg;

	for (size_t k = 0; k < t->ntests; k++)
		if (t->tests[k].untold && !strcmp(t->tests[k].id, name) &&
		    !strcmp(t->tests[k].runner, ft_runner_ctest.name))
			return 0;
	return 1;
}

/* The recordings of the tests this run could not tell apart (tell_apart)
 * are forgotten: they are new from now on.  Not counted in *forgotten,
 * which `ftrace run` reports as tests that no longer exist: the run says
 * how many it could not tell apart instead (ft_ingest_stats.untold). */
static int ctest_forget(struct ft_store *st, const struct ft_ptree *t, int64_t run_id,
			size_t *forgotten)
{
	size_t k = 0;
	int any = 0;

	(void)run_id;
	*forgotten = 0;
	for (size_t i = 0; i < t->ntests && !any; i++)
		any = t->tests[i].untold;
	return any ? ft_store_tests_forget(st, ft_runner_ctest.name, NULL, not_untold, (void *)t, &k)
		   : 0;
}

/* After a failed run: passed unless LastTestsFailed.log (of this run)
 * lists it. */
static int passed(void *state, const struct ft_ptree *t, const size_t *runner_of, size_t k,
		  const struct ft_runner_env *env)
{
	char *failed = NULL;
	int ok = 0;

	(void)state;
	if (ctest_failed_log(ctest_dir(&t->procs[runner_of[k]]), env->t0_ns, &failed))
		ok = !listed(failed, t->tests[k].id);
	free(failed);
	return ok;
}

/* ctest --show-only ARGS in the build directory the run used */
/* ctest's own timing of each test (LastTest.log of this run) */
static int finish(void **state, struct ft_ptree *t, const struct ft_runner_env *env)
{
	struct state *s = *state;

	(void)env;
	if (s)
		ft_ctest_times_apply(t, &s->times);
	return 0;
}

static int list_recorded(const struct ft_runlist *r, const char *top, struct ft_runner_names *out,
			 struct ft_err *e)
{
	struct ft_ctest_list l;
	int rc;

	if ((rc = ft_ctest_list_load_at(&l, r->dir, r->args)) < 0 || !l.n) {
		ft_err_set(e, rc < 0 ? rc : FT_EFORMAT, "%s: `ctest --show-only=json-v1` %s there: the "
			   "recorded ctest tests' new ones cannot be found; run `ftrace affected "
			   "--format ctest` in the build directory", r->dir,
			   rc < 0 ? "failed" : "lists no tests");
		if (rc >= 0)
			ft_ctest_list_release(&l);
		return e->code;
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_runner_names_add(out, "", l.tests[i].name);
	ft_ctest_list_release(&l);
	return rc;
}


/* --format ctest: the tests ctest lists here */
static int list_here(struct ft_runner_here *h)
{
	struct ft_ctest_list l;
	int rc;

	if ((rc = ft_ctest_list_load(&l, NULL)) < 0) {
		snprintf(h->why, sizeof(h->why), "`ctest --show-only=json-v1` failed here (%s): "
			 "new ctest tests cannot be found; run `ftrace affected --format ctest` "
			 "in the build directory where ctest runs", ft_strerror(rc));
		return rc;
	}
	/* run in the wrong directory, ctest lists nothing and exits 0: a new
	 * test would be missed */
	if (!l.n) {
		snprintf(h->why, sizeof(h->why), "ctest lists no tests here: new ctest tests "
			 "cannot be found; run `ftrace affected --format ctest` in the build "
			 "directory where ctest runs");
		ft_ctest_list_release(&l);
		return FT_EFORMAT;
	}
	for (size_t i = 0; i < l.n && rc >= 0; i++)
		rc = ft_runner_names_add(&h->tests, "", l.tests[i].name);
	ft_ctest_list_release(&l);
	return rc;
}

/* One regex for `ctest -R`, ^(a|b)$; nothing at all for no test (`ctest
 * -R ''` would run every test). */
static int format(const struct ft_selection *sel, const struct ft_runner_here *h, char **text,
		  struct ft_err *e)
{
	const char **ids = calloc(sel && sel->n ? sel->n : 1, sizeof(*ids));
	char *re = NULL;
	int rc;

	(void)h;
	(void)e;
	*text = NULL;
	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; sel && i < sel->n; i++)
		ids[i] = sel->tests[i].id;
	rc = ft_format_ctest_regex(ids, sel ? sel->n : 0, &re);
	free(ids);
	if (rc >= 0 && asprintf(text, "%s%s", re ? re : "", re ? "\n" : "") < 0) {
		*text = NULL;
		rc = -ENOMEM;
	}
	free(re);
	return rc;
}

/* ctest options that choose tests themselves: composing our -R with them
 * is not something to guess */
int ft_runner_ctest_chooses(char *const *cmd)
{
	static const char *const opts[] = {
		"-R", "--tests-regex", "-E", "--exclude-regex", "-L", "--label-regex",
		"-LE", "--label-exclude", "-I", "--tests-information", "-U", "--union",
		"--rerun-failed", "--tests-from-file", "--exclude-from-file", "-FA", "-FS", "-FC",
		"--fixture-exclude-any", "--fixture-exclude-setup", "--fixture-exclude-cleanup",
		"-N", "--show-only",
	};
	for (size_t i = 1; cmd[i]; i++)
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t l = strlen(opts[k]);
			if (!strncmp(cmd[i], opts[k], l) && (!cmd[i][l] || cmd[i][l] == '=' || opts[k][1] != '-'))
				return 1;
		}
	return 0;
}


/* `ctest ARGS -R ^(a|b)$`, over the tests `ctest --show-only=json-v1 ARGS`
 * lists here; listed tests the database lacks are new and selected. */
static int plan_ctest(char *const *cmd, const struct ft_selection *sel,
		      const struct ft_selection *all, char ***out, size_t *nsel,
		      struct ft_err *e)
{
	struct ft_ctest_list l;
	char **names = NULL, *re = NULL;
	const char **keep = NULL;
	size_t nk = 0;
	int rc = 0;

	if (ft_runner_ctest_chooses(cmd)) {
		ft_err_set(e, 0, "the ctest command chooses its own tests (-R, -E, -L, ...)");
		return FT_RUNNER_PLAN_ALL;
	}
	if ((rc = ft_ctest_list_load(&l, cmd + 1)) < 0) {
		ft_err_set(e, 0, "`ctest --show-only=json-v1` failed here: %s", ft_strerror(rc));
		return FT_RUNNER_PLAN_ALL;
	}
	if (!l.n) {
		ft_err_set(e, 0, "ctest lists no tests here");
		ft_ctest_list_release(&l);
		return FT_RUNNER_PLAN_ALL;
	}
	if (!(names = calloc(l.n + 1, sizeof(*names))))
		rc = -ENOMEM;
	for (size_t i = 0; rc >= 0 && i < l.n; i++)
		names[i] = l.tests[i].name;
	if (rc >= 0)
		rc = ft_runner_argv_pick(sel, all, names, l.n, &keep, &nk);
	if (rc >= 0 && nk)
		rc = ft_format_ctest_regex(keep, nk, &re);
	if (rc >= 0 && nk) {
		char *extra[] = { "-R", re };
		if (!(*out = ft_runner_argv_concat(cmd, ft_runner_argv_count(cmd), extra, 2)))
			rc = -ENOMEM;
	}
	*nsel = nk;
	if (rc >= 0)
		rc = nk ? FT_RUNNER_PLAN_NARROWED : FT_RUNNER_PLAN_NOTHING;
	free(re);
	free(keep);
	free(names);
	ft_ctest_list_release(&l);
	return rc;
}


static int narrow(const struct ft_runner_plan_in *in, struct ft_runner_plan_out *out)
{
	return plan_ctest(in->cmd, in->sel, in->all, &out->argv, &out->nselected, &out->err);
}

static const struct ft_safe_arg ctest_safe[] = {
	{ "-R", 1 }, { "--tests-regex", 1 }, { "-E", 1 }, { "--exclude-regex", 1 },
	{ "-L", 1 }, { "--label-regex", 1 }, { "-LE", 1 }, { "--label-exclude", 1 },
	{ "-I", 1 }, { "--tests-information", 1 }, { "-U", 0 }, { "--union", 0 },
	{ "-FA", 1 }, { "-FS", 1 }, { "-FC", 1 }, { "--fixture-exclude-any", 1 },
	{ "--fixture-exclude-setup", 1 }, { "--fixture-exclude-cleanup", 1 },
	{ "-C", 1 }, { "--build-config", 1 }, { "-j", 1 }, { "--parallel", 1 },
	{ "--output-on-failure", 0 }, { "-V", 0 }, { "-VV", 0 }, { "--verbose", 0 },
	{ "--extra-verbose", 0 }, { "-Q", 0 }, { "--quiet", 0 }, { "--timeout", 1 },
	{ "--stop-on-failure", 0 }, { "--schedule-random", 0 }, { "--repeat", 1 },
	{ "--repeat-until-fail", 1 }, { "--no-tests", 1 }, { "--progress", 0 },
	{ "--no-label-summary", 0 }, { "--no-subproject-summary", 0 }, { "--rerun-failed", 0 },
	{ "--tests-from-file", 1 }, { "--exclude-from-file", 1 }, { "-N", 0 },
	{ "--show-only", 0 }, { "--force-new-ctest-process", 0 }, { "--test-dir", 1 },
	{ NULL, 0 },
};

const struct ft_runner_ops ft_runner_ctest = {
	.name = "ctest",
	.is_image = is_image,
	.name_test = name_test,
	.finish = finish,
	.passed = passed,
	.judges_failures = 1,
	.release = release,
	.list_recorded = list_recorded,
	.lists_every_test = 1,
	.safe_args = ctest_safe,
	.list_here = list_here,
	.format = format,
	.narrow = narrow,
	.forget = ctest_forget,
};
