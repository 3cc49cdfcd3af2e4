/*
 * ft_runner_automake.c - see ft_runner_automake.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_error.h"
#include "ft_file.h"
#include "ft_ptree.h"
#include "ft_spawn.h"
#include "ft_runner_argv.h"
#include "ft_runner_automake.h"

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

const char *ft_automake_test(const struct ft_ptree_proc *p, const char **trs)
{
	const char *name = NULL;
	int d = -1;

	if (trs)
		*trs = NULL;
	if (!p->argv || p->argv_cut)
		return NULL;
	for (int i = 0; i < 2 && i < p->argc && d < 0; i++)
		if (!strcmp(base(p->argv[i]), "test-driver"))
			d = i;
	if (d < 0)
		return NULL;
	for (int i = d + 1; i + 1 < p->argc; i++) {
		if (!strcmp(p->argv[i], "--"))
			break;
		if (!strcmp(p->argv[i], "--test-name"))
			name = p->argv[++i];
		else if (!strcmp(p->argv[i], "--trs-file") && trs)
			*trs = p->argv[++i];
	}
	return name && *name ? name : NULL;
}

/* The directory the driver ran in: its image's cwd (FT_PROC_CWD), else
 * where `ftrace run` runs (records without a cwd).  0, or -1. */
static int driver_dir(const struct ft_ptree_proc *p, char *buf, size_t cap)
{
	if (p->cwd && p->cwd[0] == '/' && strlen(p->cwd) < cap) {
		strcpy(buf, p->cwd);
		return 0;
	}
	return getcwd(buf, cap) ? 0 : -1;
}

int ft_automake_test_id(const struct ft_ptree_proc *p, char **id)
{
	char run[PATH_MAX], drv[PATH_MAX];
	const char *name = ft_automake_test(p, NULL), *rel = NULL;
	size_t l;

	*id = NULL;
	if (!name)
		return 0;
	if (driver_dir(p, drv, sizeof(drv)) == 0 && getcwd(run, sizeof(run))) {
		l = strlen(run);
		if (!strcmp(drv, run))
			rel = "";
		else if (!strncmp(drv, run, l) && (drv[l] == '/' || l == 1))
			rel = drv + l + (l > 1);
		else
			rel = drv; /* outside: absolute, never a sibling's id */
	}
	if (!rel || !*rel)
		*id = strdup(name);
	else if (asprintf(id, "%s/%s", rel, name) < 0)
		*id = NULL;
	return *id ? 1 : -ENOMEM;
}

int ft_automake_trs_passed(const char *trs, int64_t t0_ns)
{
	static const char *const ok[] = { "PASS", "SKIP", "XFAIL" };
	char *line = NULL;
	size_t cap = 0;
	struct stat st;
	int passed = 0, seen = 0;
	FILE *f;

	/* ft_file_fopen: non-blocking, regular files only, so a FIFO named
	 * like the .trs cannot hang ingest */
	if (!trs || !(f = ft_file_fopen(trs, FT_FILE_FOLLOW)))
		return 0;
	if (fstat(fileno(f), &st) < 0 ||
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec < t0_ns) {
		fclose(f);
		return 0;
	}
	/* several :test-result: lines (a TAP driver) pass only if all do.
	 * Whole lines (getline): read in fixed pieces, the tail of a long line
	 * that began with ":test-result: PASS" counted as a result (found by
	 * tests/fuzz/fuzz_trs.c). */
	while (getline(&line, &cap, f) > 0) {
		const char *v;
		int good = 0;
		if (strncmp(line, ":test-result:", 13))
			continue;
		v = line + 13 + strspn(line + 13, " \t");
		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			size_t l = strlen(ok[i]);
			if (!strncmp(v, ok[i], l) && (v[l] == '\n' || v[l] == '\0' || v[l] == ' '))
				good = 1;
		}
		seen = 1;
		passed = good;
		if (!good)
			break;
	}
	free(line);
	fclose(f);
	return seen && passed;
}

int ft_automake_passed(const struct ft_ptree_proc *p, int64_t t0_ns)
{
	char dir[PATH_MAX], path[PATH_MAX * 2];
	const char *trs;

	/* the .trs is relative to the driver's directory (a subdirectory's
	 * in a recursive build) */
	ft_automake_test(p, &trs);
	if (!trs || driver_dir(p, dir, sizeof(dir)) < 0)
		return 0;
	if (trs[0] != '/') {
		snprintf(path, sizeof(path), "%s/%s", dir, trs);
		trs = path;
	}
	return ft_automake_trs_passed(trs, t0_ns);
}

/* `rel` (relative to where `ftrace run` ran, or absolute) into own_files */
static int own(struct ft_ptree *t, const char *cwd, const char *rel)
{
	char path[PATH_MAX * 2];
	uint32_t id;

	if (!rel || !*rel)
		return 0;
	if (rel[0] == '/')
		snprintf(path, sizeof(path), "%s", rel);
	else
		snprintf(path, sizeof(path), "%s/%s", cwd, rel[0] == '.' && rel[1] == '/' ? rel + 2 : rel);
	return ft_map_intern(&t->own_files, path, strlen(path), &id, NULL);
}

int ft_automake_own_files(struct ft_ptree *t, const struct ft_ptree_proc *p)
{
	char cwd[PATH_MAX];
	int rc = 0;

	/* relative to the driver's directory: a subdirectory's in a
	 * recursive build */
	if (driver_dir(p, cwd, sizeof(cwd)) < 0)
		return 0; /* nothing left out: sound */
	for (int i = 1; i + 1 < p->argc && rc >= 0; i++) {
		if (!strcmp(p->argv[i], "--"))
			break;
		if (!strcmp(p->argv[i], "--log-file") || !strcmp(p->argv[i], "--trs-file"))
			rc = own(t, cwd, p->argv[++i]);
	}
	/* the harness's summary (TEST_SUITE_LOG), its default name, and the
	 * name it writes it under first (Automake 1.16: `$(TEST_SUITE_LOG).tmp`,
	 * renamed) */
	if (rc >= 0)
		rc = own(t, cwd, "test-suite.log.tmp");
	return rc < 0 ? rc : own(t, cwd, "test-suite.log");
}

static int newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

/* one name into *names (NULL-terminated) */
static int push(char ***names, size_t *n, const char *prefix, const char *name)
{
	char **v = realloc(*names, (*n + 2) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	*names = v;
	if (asprintf(&v[*n], "%s%s", prefix, name) < 0)
		return -ENOMEM;
	v[++(*n)] = NULL;
	return 0;
}

/* A SUBDIRS entry as a relative directory ("./one/" -> "one"); NULL for
 * "." (the directory itself) or an entry that leaves it ("..", "/x"). */
static const char *subdir_of(char *e)
{
	size_t l;

	while (e[0] == '.' && e[1] == '/')
		e += 2;
	l = strlen(e);
	while (l > 1 && e[l - 1] == '/')
		e[--l] = '\0';
	if (!*e || !strcmp(e, ".") || e[0] == '/' || !strcmp(e, "..") || !strncmp(e, "../", 3) ||
	    strstr(e, "/../"))
		return NULL;
	return e;
}

/*
 * TESTS of `dir`'s Makefile, each prefixed with `prefix`, then (depth
 * allowing) those of its SUBDIRS under "prefix/sub/": the ids
 * ft_automake_test_id gives the drivers a recursive `make check` runs
 * there.  `tree` counts the SUBDIRS entries other than "." and the
 * directories with tests (ft_automake_list).
 */
static int list_dir(const char *dir, const char *prefix, int depth, char ***names, size_t *n,
		    struct ft_automake_tree *tree, struct ft_err *e)
{
	/* H: the parallel harness's log, which Automake defines wherever
	 * Makefile.am has TESTS (its check-TESTS rule with it) */
	static const char rule[] = "__ftrace_print_tests:\n"
				   "\t@printf 'T%s\\n' $(TESTS)\n"
				   "\t@printf 'S%s\\n' $(SUBDIRS)\n"
				   "\t@printf 'H%s\\n' $(TEST_SUITE_LOG)\n";
	char *argv[] = { "make", "-s", "--no-print-directory", "-o", "Makefile", "-f", "Makefile",
			 "-f", "-", "__ftrace_print_tests", NULL };
	char mk[PATH_MAX + 16], src[PATH_MAX + 16], *out = NULL, *line, *save;
	struct stat ms, ss;
	size_t len;
	int rc, counted;

	snprintf(mk, sizeof(mk), "%s/Makefile", dir);
	if (stat(mk, &ms) < 0) {
		rc = -errno;
		return ft_err_set(e, rc,
				  "%.900s: %s: Automake's TESTS cannot be read, so new tests "
				  "cannot be found", mk, strerror(errno));
	}
	for (const char *f = "Makefile.in"; f; f = !strcmp(f, "Makefile.in") ? "Makefile.am" : NULL) {
		snprintf(src, sizeof(src), "%s/%s", dir, f);
		if (stat(src, &ss) == 0 && newer(&ss, &ms)) {
			return ft_err_set(e, FT_EFORMAT,
					  "%.400s is newer than %.400s: its TESTS may have new "
					  "tests; run `make` (or `autoreconf`) first", src, mk);
		}
	}
	rc = ft_spawn_capture(dir, argv, rule, &out, &len);
	if (rc != 0) {
		ft_err_set(e, rc < 0 ? rc : FT_EFORMAT, "%.900s: `make` could not print TESTS (%s): new "
			   "Automake tests cannot be found", dir, rc < 0 ? ft_strerror(rc) : "make failed");
		free(out);
		return e->code;
	}
	rc = 0;
	for (line = strtok_r(out, "\n", &save), counted = 0; line && rc >= 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char sub[PATH_MAX * 2], pre[PATH_MAX];
		const char *d;
		if (line[0] == 'T' && line[1])
			rc = push(names, n, prefix, line + 1);
		if ((line[0] == 'H' || line[0] == 'T') && line[1] && !counted) {
			counted = 1;
			if (tree->nharness++ == 0 && !(tree->harness_prefix = strdup(prefix)))
				rc = -ENOMEM;
		}
		if (line[0] != 'S' || !line[1] || !(d = subdir_of(line + 1)))
			continue;
		tree->nsub++;
		if (depth >= 16) {
			rc = ft_err_set(e, FT_EFORMAT, "%.900s: SUBDIRS nest too deep", dir);
			break;
		}
		snprintf(sub, sizeof(sub), "%s/%s", dir, d);
		if (snprintf(pre, sizeof(pre), "%s%s/", prefix, d) >= (int)sizeof(pre)) {
			rc = ft_err_set(e, FT_EFORMAT, "%.900s: SUBDIRS path too long", dir);
			break;
		}
		rc = list_dir(sub, pre, depth + 1, names, n, tree, e);
	}
	free(out);
	if (rc == -ENOMEM)
		ft_err_set(e, rc, "out of memory");
	return rc;
}

int ft_automake_list(const char *dir, char ***names, size_t *n, struct ft_automake_tree *tree,
		     struct ft_err *e)
{
	struct ft_automake_tree own = { 0 }, *tr = tree ? tree : &own;
	int rc;

	*names = NULL;
	*n = 0;
	memset(tr, 0, sizeof(*tr));
	rc = list_dir(dir, "", 0, names, n, tr, e);
	if (!tree || rc < 0) {
		free(tr->harness_prefix);
		memset(tr, 0, sizeof(*tr));
	}
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
	}
	return rc;
}

/*
 * GNU make's options, by whether they leave `make check` in ./Makefile
 * running exactly Automake's TESTS: the rest choose another directory or
 * Makefile (-C, -f), another goal, or the tests themselves (TESTS=,
 * TEST_LOGS=, on the command line), or are not known here.  Short options
 * group (`-kj2`), a value-taking one takes the rest of its word or the
 * next word; long ones take `=value` or the next word.
 */
static const char make_short_flags[] = "BbdikLNnqRrSstvw";
static const char make_short_value[] = "IjlOoW";   /* -I -j -l -O -o -W */
static const char make_short_optval[] = "jlO";     /* value may be left out */

static const char *const make_long_flags[] = {
	"--always-make", "--debug", "--ignore-errors",
	"--keep-going", "--check-symlink-times", "--no-builtin-rules",
	"--no-builtin-variables", "--silent", "--quiet", "--no-silent", "--stop",
	"--no-keep-going", "--trace", "--print-directory", "--no-print-directory",
	"--warn-undefined-variables", "--jobs", "--load-average", "--output-sync", NULL,
};
static const char *const make_long_value[] = {
	"--include-dir", "--old-file", "--assume-old", "--what-if", "--new-file",
	"--assume-new", NULL,
};

static int in_list(const char *const *l, const char *a, size_t len)
{
	for (; *l; l++)
		if (strlen(*l) == len && !strncmp(*l, a, len))
			return 1;
	return 0;
}

int ft_automake_args_narrowable(char *const *cmd)
{
	int check = 0;

	if (!cmd || !cmd[0] || (strcmp(base(cmd[0]), "make") && strcmp(base(cmd[0]), "gmake")))
		return 0;
	for (size_t i = 1; cmd[i]; i++) {
		const char *a = cmd[i], *eq = strchr(a, '=');

		if (a[0] != '-') {
			if (eq) {
				/* a variable: not one that chooses the tests */
				size_t l = (size_t)(eq - a);
				while (l && (a[l - 1] == ':' || a[l - 1] == '+' || a[l - 1] == '?' ||
					     a[l - 1] == '!'))
					l--;
				if ((l == 5 && !strncmp(a, "TESTS", 5)) ||
				    (l == 9 && !strncmp(a, "TEST_LOGS", 9)))
					return 0;
				continue;
			}
			if (strcmp(a, "check"))
				return 0; /* another goal */
			check = 1;
			continue;
		}
		if (!strcmp(a, "--"))
			return 0;
		if (a[1] == '-') {
			size_t l = eq ? (size_t)(eq - a) : strlen(a);
			if (in_list(make_long_flags, a, l))
				continue; /* (--jobs[=N], --debug[=F]: optional values) */
			if (!in_list(make_long_value, a, l))
				return 0;
			if (!eq && !cmd[++i])
				return 0;
			continue;
		}
		for (size_t c = 1; a[c]; c++) {
			if (strchr(make_short_flags, a[c]))
				continue;
			if (!strchr(make_short_value, a[c]))
				return 0; /* -C, -f, or not known */
			if (!a[c + 1] && strchr(make_short_optval, a[c])) {
				/* `-j 4`: make takes a number that follows */
				if (cmd[i + 1] && cmd[i + 1][0] &&
				    strspn(cmd[i + 1], "0123456789.") == strlen(cmd[i + 1]))
					i++;
			} else if (!a[c + 1] && !cmd[++i]) {
				return 0;
			}
			break;
		}
	}
	return check;
}

int ft_automake_cmd(char *const *cmd)
{
	char *text = NULL;
	size_t len;
	int am;

	if (!ft_automake_args_narrowable(cmd) || !(text = ft_file_read("Makefile", 0, &len, NULL)))
		return 0;
	am = memmem(text, len, "test-driver", 11) != NULL && memmem(text, len, "TEST_LOGS", 9) != NULL;
	/* The top of a recursive build whose tests are all in its SUBDIRS
	 * (SUBDIRS = src tests): its Makefile has no harness of its own.
	 * Automake's if make lists a test somewhere below, or cannot list
	 * them (a stale Makefile: the plan then says why it runs them all);
	 * one with no TESTS anywhere (a check-local rule) stays no runner's. */
	if (!am && memmem(text, len, "generated by automake", 21) && memmem(text, len, "SUBDIRS", 7)) {
		struct ft_err e;
		char **names = NULL;
		size_t n = 0;
		int rc = ft_automake_list(".", &names, &n, NULL, &e);

		am = rc < 0 || n > 0;
		ft_runner_argv_free(names);
	}
	free(text);
	return am;
}
