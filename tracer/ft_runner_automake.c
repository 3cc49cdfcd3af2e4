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

	if (!getcwd(cwd, sizeof(cwd)))
		return 0; /* nothing left out: sound */
	for (int i = 1; i + 1 < p->argc && rc >= 0; i++) {
		if (!strcmp(p->argv[i], "--"))
			break;
		if (!strcmp(p->argv[i], "--log-file") || !strcmp(p->argv[i], "--trs-file"))
			rc = own(t, cwd, p->argv[++i]);
	}
	/* the harness's summary (TEST_SUITE_LOG), its default name */
	return rc < 0 ? rc : own(t, cwd, "test-suite.log");
}

static int newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

int ft_automake_list(const char *dir, char ***names, size_t *n, char *why, size_t whylen)
{
	static const char rule[] = "__ftrace_print_tests:\n\t@printf '%s\\n' $(TESTS)\n";
	char *argv[] = { "make", "-s", "--no-print-directory", "-o", "Makefile", "-f", "Makefile",
			 "-f", "-", "__ftrace_print_tests", NULL };
	char mk[PATH_MAX + 16], src[PATH_MAX + 16], *out = NULL, *line, *save;
	struct stat ms, ss;
	size_t len;
	int rc;

	*names = NULL;
	*n = 0;
	snprintf(mk, sizeof(mk), "%s/Makefile", dir);
	if (stat(mk, &ms) < 0) {
		rc = -errno;
		snprintf(why, whylen, "%.900s: %s: Automake's TESTS cannot be read, so new tests "
			 "cannot be found", mk, strerror(errno));
		return rc;
	}
	for (const char *f = "Makefile.in"; f; f = !strcmp(f, "Makefile.in") ? "Makefile.am" : NULL) {
		snprintf(src, sizeof(src), "%s/%s", dir, f);
		if (stat(src, &ss) == 0 && newer(&ss, &ms)) {
			snprintf(why, whylen, "%.400s is newer than %.400s: its TESTS may have new "
				 "tests; run `make` (or `autoreconf`) first", src, mk);
			return FT_EFORMAT;
		}
	}
	rc = ft_spawn_capture(dir, argv, rule, &out, &len);
	if (rc != 0) {
		snprintf(why, whylen, "%.900s: `make` could not print TESTS (%s): new Automake tests "
			 "cannot be found", dir, rc < 0 ? ft_strerror(rc) : "make failed");
		free(out);
		return rc < 0 ? rc : FT_EFORMAT;
	}
	rc = 0;
	for (line = strtok_r(out, "\n", &save); line && rc >= 0; line = strtok_r(NULL, "\n", &save)) {
		char **v;
		if (!*line)
			continue;
		if (!(v = realloc(*names, (*n + 2) * sizeof(*v))) || !(v[*n] = strdup(line))) {
			if (v)
				*names = v;
			rc = -ENOMEM;
			break;
		}
		*names = v;
		(*n)++;
		v[*n] = NULL;
	}
	free(out);
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
		snprintf(why, whylen, "out of memory");
	}
	return rc;
}

int ft_automake_cmd(char *const *cmd)
{
	const char *b;
	char *text = NULL;
	size_t len;
	int check = 0, am;

	if (!cmd || !cmd[0])
		return 0;
	b = base(cmd[0]);
	if (strcmp(b, "make") && strcmp(b, "gmake"))
		return 0;
	for (size_t i = 1; cmd[i]; i++) {
		if (!strcmp(cmd[i], "check"))
			check = 1;
		/* it chooses its tests itself, or runs elsewhere */
		if (!strncmp(cmd[i], "TESTS=", 6) || !strcmp(cmd[i], "-C") || !strncmp(cmd[i], "-C", 2) ||
		    !strcmp(cmd[i], "-f") || !strncmp(cmd[i], "--directory", 11) ||
		    !strncmp(cmd[i], "--file", 6) || !strncmp(cmd[i], "--makefile", 10))
			return 0;
	}
	if (!check || !(text = ft_file_read("Makefile", 0, &len, NULL)))
		return 0;
	am = memmem(text, len, "test-driver", 11) != NULL && memmem(text, len, "TEST_LOGS", 9) != NULL;
	free(text);
	return am;
}
