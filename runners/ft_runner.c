/*
 * ft_runner.c - see ft_runner.h.  The rules are documented with examples
 * in docs/runners.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_runner.h"
#include "ft_runner_automake.h"
#include "ft_spawn.h"
#include "ft_runner_go.h"
#include "ft_runner_cargo.h"


static void free_argv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void ft_ctest_list_release(struct ft_ctest_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->tests[i].name);
		free_argv(l->tests[i].argv);
		free(l->tests[i].workdir);
	}
	free(l->tests);
	memset(l, 0, sizeof(*l));
}

static int parse_test(struct ft_ctest_test *t, const cJSON *jt)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(jt, "name");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(jt, "command");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(jt, "properties");
	const cJSON *e;
	size_t n = 0;

	if (!cJSON_IsString(name))
		return FT_EFORMAT;
	if (!(t->name = strdup(name->valuestring)))
		return -ENOMEM;
	/* a test without a command (NOT_AVAILABLE, a missing executable) has
	 * no process to match: it stays in the prelude */
	if (cJSON_IsArray(cmd)) {
		t->argv = calloc((size_t)cJSON_GetArraySize(cmd) + 1, sizeof(char *));
		if (!t->argv)
			return -ENOMEM;
		cJSON_ArrayForEach(e, cmd) {
			if (!cJSON_IsString(e))
				return FT_EFORMAT;
			if (!(t->argv[n++] = strdup(e->valuestring)))
				return -ENOMEM;
		}
	}
	cJSON_ArrayForEach(e, props) {
		const cJSON *pn = cJSON_GetObjectItemCaseSensitive(e, "name");
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(e, "value");
		if (cJSON_IsString(pn) && !strcmp(pn->valuestring, "WORKING_DIRECTORY") &&
		    cJSON_IsString(pv) && !t->workdir && !(t->workdir = strdup(pv->valuestring)))
			return -ENOMEM;
	}
	return 0;
}

int ft_ctest_list_parse(struct ft_ctest_list *l, const char *json, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *tests, *jt;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!root)
		return FT_EFORMAT;
	tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
	if (!cJSON_IsArray(tests)) {
		cJSON_Delete(root);
		return FT_EFORMAT;
	}
	l->tests = calloc((size_t)cJSON_GetArraySize(tests) + 1, sizeof(*l->tests));
	if (!l->tests)
		rc = -ENOMEM;
	cJSON_ArrayForEach(jt, tests) {
		if (rc < 0)
			break;
		rc = parse_test(&l->tests[l->n++], jt);
	}
	cJSON_Delete(root);
	if (rc < 0)
		ft_ctest_list_release(l);
	return rc;
}

int ft_ctest_list_load(struct ft_ctest_list *l, char *const *args)
{
	return ft_ctest_list_load_at(l, NULL, args);
}

int ft_ctest_list_load_at(struct ft_ctest_list *l, const char *dir, char *const *args)
{
	char **argv, *buf = NULL;
	size_t n = 0, nargs = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	while (args && args[nargs])
		nargs++;
	if (!(argv = calloc(nargs + 3, sizeof(*argv))))
		return -ENOMEM;
	argv[0] = "ctest";
	argv[1] = "--show-only=json-v1";
	for (size_t i = 0; i < nargs; i++)
		argv[2 + i] = args[i];
	rc = ft_spawn_capture(dir, argv, NULL, &buf, &n);
	free(argv);
	if (rc < 0)
		return rc;
	rc = rc == 0 ? ft_ctest_list_parse(l, buf, n) : FT_EFORMAT;
	free(buf);
	return rc;
}

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

int ft_runner_kind_of(const char *exe, char *const *argv, int argc)
{
	const char *a0 = argc > 0 ? base(argv[0]) : "", *e = base(exe);

	if (!strcmp(a0, "ctest") || !strcmp(e, "ctest"))
		return FT_RUNNER_CTEST;
	if (!strcmp(a0, "jest"))
		return FT_RUNNER_JEST;
	if (ft_runner_go_is(exe, argv, argc))
		return FT_RUNNER_GO;
	if (!strcmp(a0, "node") || !strcmp(a0, "nodejs") || !strcmp(e, "node") || !strcmp(e, "nodejs")) {
		for (int i = 1; i < argc; i++)
			if (!strcmp(argv[i], "--test"))
				return FT_RUNNER_NODE;
		/* node_modules/.bin/jest, jest-cli/bin/jest.js, jest/bin/jest.js */
		if (argc > 1 && (!strcmp(base(argv[1]), "jest") || !strcmp(base(argv[1]), "jest.js")))
			return FT_RUNNER_JEST;
	}
	if (argc > 0 && ft_cargo_is_test(argv, argc))
		return FT_RUNNER_CARGO;
	if (argc > 0 && ft_cargo_is_nextest(argv, argc))
		return FT_RUNNER_NEXTEST;
	return 0;
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

/* Node test id: the file relative to the repository top. */
static char *node_id(const char *file, const char *top)
{
	char real[PATH_MAX];
	size_t tl = top ? strlen(top) : 0;
	struct stat st;

	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode) || !realpath(file, real))
		return NULL;
	if (tl && !strncmp(real, top, tl) && real[tl] == '/')
		return strdup(real + tl + 1);
	return strdup(real);
}

/* The image that started image i's process is a runner image: return it. */
static size_t runner_parent(const struct ft_ptree *t, size_t i)
{
	size_t h = ft_ptree_proc_head(t, i), par = t->procs[h].parent;
	return par != FT_PTREE_NONE && t->procs[par].runner ? par : FT_PTREE_NONE;
}

/* index of "npm" (or npm-cli.js run by node) in the argv, or -1 */
static int npm_word(const struct ft_ptree_proc *p)
{
	for (int i = 0; p->argv && i < p->argc && i < 3; i++)
		if (!strcmp(base(p->argv[i]), "npm") || !strcmp(base(p->argv[i]), "npm-cli.js"))
			return i;
	return -1;
}

/* npm, or npx (npm exec): both read and prune npm's debug logs */
int ft_runner_is_npm(const struct ft_ptree_proc *p)
{
	for (int i = 0; p->argv && i < p->argc && i < 3; i++)
		if (!strcmp(base(p->argv[i]), "npx") || !strcmp(base(p->argv[i]), "npx-cli.js"))
			return 1;
	return npm_word(p) >= 0;
}

static int is_npm(const struct ft_ptree_proc *p)
{
	return ft_runner_is_npm(p);
}

/* npm's debug logs: npm reads and prunes them at every start, so another
 * npm running at the same time makes them "modified during the run"; they
 * are never a test's input.  $npm_config_logs_dir, else ~/.npm/_logs. */
static char *npm_logs(void)
{
	const char *d = getenv("npm_config_logs_dir"), *home = getenv("HOME");
	char *out = NULL;

	if (d && *d)
		return strdup(d);
	if (home && *home && asprintf(&out, "%s/.npm/_logs", home) < 0)
		return NULL;
	return out;
}

/* Does this image fail when the one command it starts fails?  `sh -c
 * 'node --test'` (one simple command: the shell's status is its status) and
 * `npm test` / `npm run X` (npm exits non-zero when the script does).  An
 * argv that was cut short, or anything else (`sh -c 'ctest; true'`), is
 * not known to pass a failure on. */
static int passes_failure_on(const struct ft_ptree_proc *p)
{
	static const char *const npm_cmds[] = { "test", "t", "tst", "run", "run-script", "rum", "urn" };
	const char *b;

	if (p->ptexec)
		return 1; /* `ftrace __ptrace-exec` ends as its program did */
	if (!p->argv || p->argv_cut || p->argc < 1)
		return 0;
	b = base(p->argv[0]);
	if ((!strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "dash")) && p->argc == 3 &&
	    !strcmp(p->argv[1], "-c"))
		return !strpbrk(p->argv[2], ";&|\n`()<>");
	/* cargo exits with the status of what it ran: `cargo nextest run`
	 * runs cargo-nextest, rustup's cargo proxy execs cargo */
	if (!strcmp(b, "cargo"))
		return 1;
	/* the first word after npm that is not an option */
	for (int k = npm_word(p) + 1; k > 0 && k < p->argc; k++) {
		if (p->argv[k][0] == '-')
			continue;
		for (size_t c = 0; c < sizeof(npm_cmds) / sizeof(npm_cmds[0]); c++)
			if (!strcmp(p->argv[k], npm_cmds[c]))
				return 1;
		return 0;
	}
	return 0;
}

/* Is the runner image's failure the run's failure?  It is the first
 * command (possibly exec'd into), started by the launcher or by nothing we
 * saw, or every process between the launcher and it passes a failure on
 * (`ftrace run -- npm test`). */
int ft_runner_is_top(const struct ft_ptree *t, size_t r)
{
	size_t par = t->procs[ft_ptree_proc_head(t, r)].parent;

	while (par != FT_PTREE_NONE && t->procs[par].backend != FT_BACKEND_LAUNCHER) {
		if (!passes_failure_on(&t->procs[par]))
			return 0;
		/* a later exec of that process decides its status instead (a
		 * region without FT_REC_PROC only continues this image) */
		for (size_t j = par + 1; j < t->n; j++)
			if (t->procs[j].pid == t->procs[par].pid && t->procs[j].ppid == t->procs[par].ppid &&
			    t->procs[j].parent == par && t->procs[j].exe)
				return 0;
		par = t->procs[ft_ptree_proc_head(t, par)].parent;
	}
	return 1;
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

int ft_runner_apply(struct ft_ptree *t, const struct ft_runner_env *env,
		    const struct ft_ctest_list *ctest)
{
	struct ft_cargo_run cargo = FT_CARGO_RUN_INIT;
	struct ft_ctest_list loaded = { 0 };
	const struct ft_ctest_list *cl = ctest;
	size_t *runner_of = NULL;
	char **real0 = NULL;
	int rc = 0, tried = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct ft_ptree_proc *p = &t->procs[i];
		p->runner = p->argv && !p->argv_cut ? ft_runner_kind_of(p->exe, p->argv, p->argc) : 0;
		/* A region continued after the image's first one filled up has
		 * no PROC record: it is still that image (jest -i fills several
		 * MiB), so it is a runner if that one is.  Parents start first. */
		if (!p->exe && !p->argv && p->parent != FT_PTREE_NONE && p->parent < i &&
		    t->procs[p->parent].pid == p->pid && t->procs[p->parent].ppid == p->ppid)
			p->runner = t->procs[p->parent].runner;
		if (!t->bookkeeping[FT_BK_NPM] && is_npm(p))
			t->bookkeeping[FT_BK_NPM] = npm_logs();
	}
	for (size_t i = 0; i < t->n && rc >= 0; i++) {
		struct ft_ptree_proc *p = &t->procs[i];
		size_t r = p->argv && !p->argv_cut && p->argc > 0 ? runner_parent(t, i) : FT_PTREE_NONE;
		long k = -1;
		char *id = NULL;
		char *am = NULL;

		if ((rc = ft_automake_test_id(p, &am)) < 0)
			break;
		/* (a test may itself be a runner: a ctest test running
		 * `ctest --build-and-test`; its children then stay its own) */
		if (r == FT_PTREE_NONE && !am)
			continue;
		if (am) {
			/* Automake's driver is the test; it is its own "runner" */
			k = ft_ptree_test(t, am, "automake");
			free(am);
			r = i;
			if (k >= 0)
				rc = ft_automake_own_files(t, p);
		} else if (t->procs[r].runner == FT_RUNNER_CTEST) {
			if (!t->bookkeeping[FT_BK_CTEST])
				t->bookkeeping[FT_BK_CTEST] = ctest_bookkeeping(&t->procs[r]);
			if (!cl && !tried) {
				tried = 1;
				/* NEEDSWORK: run where ftrace runs, not where
				 * ctest ran (a `cd build && ctest` in a shell) */
				if (ft_ctest_list_load(&loaded, t->procs[r].argv + 1) >= 0)
					cl = &loaded;
			}
			/* Two tests with the same command cannot be told apart
			 * by argv: such a process stays in the prelude (every
			 * test depends on it) and neither test is recorded, so
			 * both stay new, always selected. */
			size_t hit = FT_PTREE_NONE, nhit = 0;
			if (cl && !real0 && !(real0 = ctest_real0(cl))) {
				rc = -ENOMEM;
				break;
			}
			for (size_t j = 0; cl && j < cl->n; j++)
				if (ctest_match(p, &cl->tests[j], real0[j])) {
					hit = j;
					nhit++;
				}
			if (nhit == 1)
				k = ft_ptree_test(t, cl->tests[hit].name, "ctest");
		} else if (t->procs[r].runner == FT_RUNNER_NODE) {
			id = node_id(p->argv[p->argc - 1], env->repo_top);
			if (id)
				k = ft_ptree_test(t, id, "node");
			free(id);
		} else if (t->procs[r].runner == FT_RUNNER_GO) {
			/* go test: a package's test binary (docs/go.md) */
			id = ft_runner_go_id(p);
			if (id)
				k = ft_ptree_test(t, id, "go");
			free(id);
		} else if (t->procs[r].runner == FT_RUNNER_CARGO || t->procs[r].runner == FT_RUNNER_NEXTEST) {
			k = ft_cargo_name(&cargo, t, &t->procs[r], p);
		}
		if (k < -1)
			rc = (int)k;
		else if (k >= 0) {
			size_t *nr = realloc(runner_of, t->ntests * sizeof(*nr));
			if (!nr) {
				rc = -ENOMEM;
				break;
			}
			runner_of = nr;
			runner_of[k] = r;
			/* the whole process is the test: the image the runner
			 * forked did the exec of the test's program (its exec
			 * and path search records) before this one began */
			for (size_t j = i;; j = t->procs[j].parent) {
				t->procs[j].test = k;
				if (t->procs[j].parent == FT_PTREE_NONE ||
				    t->procs[t->procs[j].parent].pid != p->pid)
					break;
			}
		}
	}
	ft_ptree_inherit(t);
	if (rc >= 0)
		rc = ft_cargo_finish(&cargo, t, env->run_dir);
	for (size_t k = 0; k < t->ntests && rc >= 0; k++) {
		const struct ft_ptree_proc *r = &t->procs[runner_of[k]];
		int ok = WIFEXITED(env->wstatus) && WEXITSTATUS(env->wstatus) == 0;
		char *failed = NULL;

		t->tests[k].outcome = FT_OUTCOME_FAILED;
		if (!strcmp(t->tests[k].runner, "automake")) {
			if (ft_automake_passed(r, env->t0_ns))
				t->tests[k].outcome = FT_OUTCOME_PASSED;
			continue;
		}
		if (!ft_runner_is_top(t, runner_of[k]))
			continue;
		if (ok)
			t->tests[k].outcome = FT_OUTCOME_PASSED;
		else if (r->runner == FT_RUNNER_CTEST && ctest_failed_log(ctest_dir(r), env->t0_ns, &failed))
			t->tests[k].outcome = listed(failed, t->tests[k].id) ? FT_OUTCOME_FAILED
									   : FT_OUTCOME_PASSED;
		else if (ft_cargo_passed_before_failure(t, runner_of, k))
			t->tests[k].outcome = FT_OUTCOME_PASSED;
		free(failed);
	}
	free(runner_of);
	for (size_t j = 0; real0 && cl && j < cl->n; j++)
		free(real0[j]);
	free(real0);
	ft_ctest_list_release(&loaded);
	ft_cargo_release(&cargo);
	return rc;
}
