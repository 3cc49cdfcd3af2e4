/*
 * ft_ctest_times.c - ctest's per-test times from LastTest.log
 * (ft_ctest_times.h).
 *
 * The log holds, per test, "N/M Test: NAME", then the command, then the
 * test's output between "Output:" and "<end of output>" (skipped: a test
 * may print anything), then "Test time =   0.61 sec".  With -j the tests'
 * entries are still whole, each written when the test ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_ctest_times.h"
#include "ft_file.h"
#include "ft_ptree.h"

static void add(struct ft_ctest_times *c, const char *name, double secs)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		void *v = realloc(c->v, cap * sizeof(*c->v));
		if (!v)
			return;
		c->v = v;
		c->cap = cap;
	}
	if ((c->v[c->n].name = strdup(name)))
		c->v[c->n++].ns = (int64_t)(secs * 1e9);
}

void ft_ctest_times_read(const char *bookkeeping, int64_t t0_ns, struct ft_ctest_times *out)
{
	char path[4200], line[4096], name[4096] = "";
	int in_output = 0;
	struct stat st;
	FILE *f;

	memset(out, 0, sizeof(*out));
	if (!bookkeeping)
		return;
	snprintf(path, sizeof(path), "%s/LastTest.log", bookkeeping);
	if (stat(path, &st) < 0 ||
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec < t0_ns ||
	    !(f = ft_file_fopen(path, FT_FILE_FOLLOW)))
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned a, b;
		int off = 0;
		double secs;

		line[strcspn(line, "\n")] = '\0';
		if (in_output) {
			in_output = strcmp(line, "<end of output>") != 0;
			continue;
		}
		if (!strcmp(line, "Output:")) {
			in_output = 1;
		} else if (sscanf(line, "%u/%u Test: %n", &a, &b, &off) == 2 && off > 0) {
			snprintf(name, sizeof(name), "%s", line + off);
		} else if (name[0] && sscanf(line, "Test time = %lf sec", &secs) == 1 && secs >= 0 &&
			   secs < 1e9) {
			add(out, name, secs);
			name[0] = '\0';
		}
	}
	fclose(f);
}

int ft_ctest_times_apply(struct ft_ptree *t, const struct ft_ctest_times *c)
{
	int n = 0;

	for (size_t k = 0; k < t->ntests; k++) {
		if (!t->tests[k].runner || strcmp(t->tests[k].runner, "ctest"))
			continue;
		for (size_t i = 0; i < c->n; i++)
			if (!strcmp(t->tests[k].id, c->v[i].name)) {
				t->tests[k].own_ns = c->v[i].ns;
				n++;
				break;
			}
	}
	return n;
}

void ft_ctest_times_release(struct ft_ctest_times *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	memset(c, 0, sizeof(*c));
}
