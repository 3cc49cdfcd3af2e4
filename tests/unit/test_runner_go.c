/*
 * test_runner_go.c - the go test runner rule (runners/ft_runner_go.c): which
 * argv is `go test`, the import path of a package directory from go.mod,
 * the ptrace back end's FT_PROC_CWD as the tree reads it, and the rule over
 * a tree shaped like a real `go test ./...` run (go forks, the child execs
 * the package's test binary in the package directory; vet and link are
 * children too, and no tests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_ptree.h"
#include "ft_record.h"
#include "ft_recwrite.h"
#include "ft_runner.h"
#include "ft_runner_go.h"

static char dir[PATH_MAX];

static void put(const char *rel, const char *text)
{
	char p[PATH_MAX + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_non_null(f = fopen(p, "w"));
	fputs(text, f);
	fclose(f);
}

static void sub(const char *rel)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/ft-rgo.XXXXXX", *d = mkdtemp(tmpl);

	if (!d || !realpath(d, dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int is_go(const char *exe, const char *args)
{
	char buf[512], *v[16];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", args);
	for (char *s = strtok(buf, " "); s && n < 15; s = strtok(NULL, " "))
		v[n++] = s;
	v[n] = NULL;
	return ft_runner_go_is(exe, v, n);
}

static void test_runner_go__which_argv_is_go_test(void **state)
{
	assert_true(is_go(NULL, "go test ./..."));
	assert_true(is_go(NULL, "/usr/local/go/bin/go test"));
	assert_true(is_go("/usr/lib/go-1.19/bin/go", "anything test ./a"));
	assert_true(is_go(NULL, "go -C sub test ./..."));
	assert_false(is_go(NULL, "go vet ./..."));
	assert_false(is_go(NULL, "go build -o test ."));      /* "test" is not the command */
	assert_false(is_go(NULL, "go"));
	assert_false(is_go(NULL, "gotest test"));
	assert_int_equal(ft_runner_kind_of(NULL, (char *[]){ "go", "test", NULL }, 2), FT_RUNNER_GO);
}

static void test_runner_go__import_path_from_go_mod(void **state)
{
	char p[PATH_MAX + 64], *id;

	sub("m");
	sub("m/a");
	sub("m/a/b");
	put("m/go.mod", "// a comment\nmodule example.com/m // trailing\n\ngo 1.19\n");
	snprintf(p, sizeof(p), "%s/m/a/b", dir);
	assert_non_null(id = ft_go_import_path(p));
	assert_string_equal(id, "example.com/m/a/b");
	free(id);
	snprintf(p, sizeof(p), "%s/m", dir);
	assert_non_null(id = ft_go_import_path(p));
	assert_string_equal(id, "example.com/m");
	free(id);
	/* a nested module wins; a quoted path */
	put("m/a/go.mod", "module \"example.com/other\"\n");
	snprintf(p, sizeof(p), "%s/m/a/b", dir);
	assert_non_null(id = ft_go_import_path(p));
	assert_string_equal(id, "example.com/other/b");
	free(id);
	/* no go.mod above: no name (the process stays in the prelude) */
	assert_null(ft_go_import_path(dir));
	assert_null(ft_go_import_path("relative/dir"));
}

/* A region as the ptrace back end writes it: PROC with argv and the cwd. */
static void region(const char *run, const char *name, int pid, int ppid, uint64_t start,
		   const char *exe, const char *args, const char *cwd)
{
	struct ft_recwrite w = FT_RECWRITE_INIT;
	char buf[4096];
	size_t n = 0;
	uint32_t flags = 0;

	w.backend = strcmp(name, "launcher") ? FT_BACKEND_PTRACE : FT_BACKEND_LAUNCHER;
	w.pid = pid;
	w.ppid = ppid;
	w.start_ns = start;
	assert_int_equal(ft_recwrite_add(&w, FT_REC_CONTEXT, 0, 0, 0, "", 0), 0);
	if (exe) {
		n = (size_t)snprintf(buf, sizeof(buf), "%s", exe) + 1;
		flags = FT_PROC_ARGV;
		for (const char *a = args; *a; a++)
			buf[n++] = *a == ' ' ? '\0' : *a;
		buf[n++] = '\0';
		if (cwd) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", cwd) + 1;
			flags |= FT_PROC_CWD;
		}
		assert_int_equal(ft_recwrite_add(&w, FT_REC_PROC, FT_OP__NONE, 0, flags, buf, n), 0);
	}
	assert_int_equal(ft_recwrite_add(&w, FT_REC_ACCESS, FT_OP_OPEN, 0, FT_AC_READ, "/etc/hostname",
					 13), 0);
	assert_int_equal(ft_recwrite_save(&w, run, name), 0);
	ft_recwrite_release(&w);
}

static const char *test_of(const struct ft_ptree *t, const char *file)
{
	const struct ft_ptree_test *x = ft_ptree_test_of(t, file);
	return x ? x->id : NULL;
}

static void test_runner_go__tree_of_a_go_test_run(void **state)
{
	char run[PATH_MAX + 16], pa[PATH_MAX + 16], pb[PATH_MAX + 16], f[PATH_MAX + 64];
	struct ft_ptree t = FT_PTREE_INIT;
	struct ft_runner_env env = { dir, 0, 0, NULL };
	const struct ft_ptree_proc *p;

	sub("mod");
	sub("mod/a");
	sub("mod/b");
	put("mod/go.mod", "module example.com/mod\n");
	snprintf(pa, sizeof(pa), "%s/mod/a", dir);
	snprintf(pb, sizeof(pb), "%s/mod/b", dir);
	snprintf(run, sizeof(run), "%s/run", dir);
	sub("run");
	region(run, "launcher", 10, 1, 100, NULL, NULL, NULL);
	region(run, "ptrace-11-0", 11, 10, 200, NULL, NULL, NULL);
	region(run, "ptrace-11-1", 11, 10, 300, "/usr/local/go/bin/go", "go test ./...", dir);
	region(run, "ptrace-12-2", 12, 11, 400, NULL, NULL, NULL);               /* fork */
	region(run, "ptrace-12-3", 12, 11, 500, "/usr/local/go/pkg/tool/linux_amd64/vet",
	       "/usr/local/go/pkg/tool/linux_amd64/vet -unsafeptr=false /tmp/b/vet.cfg", dir);
	region(run, "ptrace-13-4", 13, 11, 600, NULL, NULL, NULL);
	region(run, "ptrace-13-5", 13, 11, 700, "/tmp/go-build1/b001/a.test",
	       "/tmp/go-build1/b001/a.test -test.paniconexit0 -test.timeout=10m0s", pa);
	region(run, "ptrace-14-6", 14, 13, 800, "/bin/cat", "cat x", pa);       /* its child */
	region(run, "ptrace-15-7", 15, 11, 900, "/tmp/go-build1/b002/b.test",
	       "/tmp/go-build1/b002/b.test -test.paniconexit0", pb);
	/* a test binary whose cwd is unknown: no name, stays in the prelude */
	region(run, "ptrace-16-8", 16, 11, 950, "/tmp/go-build1/b003/c.test", "/tmp/go-build1/b003/c.test",
	       NULL);
	assert_int_equal(ft_ptree_build(&t, run), 0);
	snprintf(f, sizeof(f), "%s/r-ptrace-13-5.rec", run);
	assert_non_null(p = ft_ptree_proc_of(&t, f));
	assert_string_equal(p->cwd, pa);       /* FT_PROC_CWD is not an argument */
	assert_int_equal(p->argc, 3);
	assert_string_equal(p->argv[2], "-test.timeout=10m0s");
	assert_int_equal(ft_runner_apply(&t, &env, NULL), 0);

	snprintf(f, sizeof(f), "%s/r-ptrace-13-5.rec", run);
	assert_string_equal(test_of(&t, f), "example.com/mod/a");
	snprintf(f, sizeof(f), "%s/r-ptrace-13-4.rec", run);    /* the fork that exec'd it */
	assert_string_equal(test_of(&t, f), "example.com/mod/a");
	snprintf(f, sizeof(f), "%s/r-ptrace-14-6.rec", run);
	assert_string_equal(test_of(&t, f), "example.com/mod/a");
	snprintf(f, sizeof(f), "%s/r-ptrace-15-7.rec", run);
	assert_string_equal(test_of(&t, f), "example.com/mod/b");
	snprintf(f, sizeof(f), "%s/r-ptrace-12-3.rec", run);    /* vet: no test */
	assert_null(test_of(&t, f));
	snprintf(f, sizeof(f), "%s/r-ptrace-16-8.rec", run);
	assert_null(test_of(&t, f));
	snprintf(f, sizeof(f), "%s/r-ptrace-11-1.rec", run);
	assert_null(test_of(&t, f));
	assert_int_equal(t.ntests, 2);
	assert_string_equal(t.tests[0].runner, "go");
	assert_int_equal(t.tests[0].outcome, FT_OUTCOME_PASSED);   /* go test on top, exit 0 */
	ft_ptree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runner_go__which_argv_is_go_test),
		cmocka_unit_test(test_runner_go__import_path_from_go_mod),
		cmocka_unit_test(test_runner_go__tree_of_a_go_test_run),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
