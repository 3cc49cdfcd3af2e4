/*
 * ft_runner_automake.c - see ft_runner_automake.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_ptree.h"
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

int ft_automake_passed(const char *trs, int64_t t0_ns)
{
	static const char *const ok[] = { "PASS", "SKIP", "XFAIL" };
	char line[512];
	struct stat st;
	int passed = 0, seen = 0;
	FILE *f;

	if (!trs || stat(trs, &st) < 0 ||
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec < t0_ns ||
	    !(f = fopen(trs, "r")))
		return 0;
	/* several :test-result: lines (a TAP driver) pass only if all do */
	while (fgets(line, sizeof(line), f)) {
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
	fclose(f);
	return seen && passed;
}

/* `rel` (relative to where `ftrace run` ran, or absolute) into own_files */
static int own(struct ft_ptree *t, const char *cwd, const char *rel)
{
	char path[PATH_MAX * 2];

	if (!rel || !*rel)
		return 0;
	if (rel[0] == '/')
		snprintf(path, sizeof(path), "%s", rel);
	else
		snprintf(path, sizeof(path), "%s/%s", cwd, rel[0] == '.' && rel[1] == '/' ? rel + 2 : rel);
	return ft_ptree_own_file(t, path);
}

int ft_automake_own_files(struct ft_ptree *t, const struct ft_ptree_proc *p)
{
	char cwd[PATH_MAX];
	int rc = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return 0; /* nothing left out: sound */
	for (int i = 1; i + 1 < p->argc && rc >= 0; i++) {
		if (!strcmp(p->argv[i], "--"))
			break;
		if (!strcmp(p->argv[i], "--log-file") || !strcmp(p->argv[i], "--trs-file"))
			rc = own(t, cwd, p->argv[++i]);
	}
	/* the harness's summary (TEST_SUITE_LOG), its default name, once */
	for (size_t i = 0; i < t->nown_files; i++) {
		const char *s = t->own_files[i], *slash = strrchr(s, '/');
		if (slash && !strcmp(slash + 1, "test-suite.log") &&
		    (size_t)(slash - s) == strlen(cwd) && !strncmp(s, cwd, strlen(cwd)))
			return rc;
	}
	return rc < 0 ? rc : own(t, cwd, "test-suite.log");
}
