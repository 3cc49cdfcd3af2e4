/*
 * gen.c - benchmark generator for `ftrace affected`.
 *
 *   gen ROOT DB NDIRS FILES_PER_DIR NTESTS
 *
 * Creates ROOT/dNNNN/fNNNN.py (small distinct contents) and a database DB
 * with NTESTS tests, built through the store API exactly as ingest does:
 *   - one "prelude" set shared by every test (the first 1,000 files and the
 *     listing of ROOT), like a pytest session's imports;
 *   - one set per test module (tests / 10 modules): every file of one
 *     directory plus the listing of that directory, 20 files of other
 *     directories, and 5 absent paths;
 *   - each test references the prelude and its module's set.
 * Every file is referenced, so `affected` checks as many paths as `git
 * status` does.  Values are observed with ft_state, as `ftrace run` would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_record.h"
#include "ft_state.h"
#include "ft_store.h"

static struct ft_state *obs;

static void die(const char *what, int rc)
{
	fprintf(stderr, "gen: %s: %d\n", what, rc);
	exit(1);
}

static struct ft_dep dep(const char *path, enum ft_dep_kind kind)
{
	struct ft_dep d = { strdup(path), (uint32_t)strlen(path), (uint8_t)kind, 0 };
	if (ft_state_observe(obs, path, kind, &d.value, NULL) < 0)
		die("observe", -1);
	return d;
}

int main(int argc, char **argv)
{
	struct ft_store *st;
	struct ft_run_info run = { .command = "gen", .cwd = "/" };
	int64_t run_id, prelude, *modsets;
	char path[4096], name[64], root[4096];
	int ndirs, nfiles, ntests, nmods, rc;
	struct ft_dep *deps;
	size_t n;

	if (argc != 6)
		die("usage: gen ROOT DB NDIRS FILES_PER_DIR NTESTS", 64);
	ndirs = atoi(argv[3]);
	nfiles = atoi(argv[4]);
	ntests = atoi(argv[5]);
	nmods = ntests / 10 ? ntests / 10 : 1;
	mkdir(argv[1], 0755);
	if (!realpath(argv[1], root))  /* recorded paths are absolute */
		die("realpath", errno);
	argv[1] = root;
	/* the tree the database belongs to (store/ft_store_repo.h): `affected`
	 * run in ROOT reads a database whose runs were all there */
	run.cwd = root;
	for (int d = 0; d < ndirs; d++) {
		snprintf(path, sizeof(path), "%s/d%04d", argv[1], d);
		mkdir(path, 0755);
		for (int f = 0; f < nfiles; f++) {
			FILE *fp;
			snprintf(path, sizeof(path), "%s/d%04d/f%04d.py", argv[1], d, f);
			if (!(fp = fopen(path, "w")))
				die(path, errno);
			fprintf(fp, "# module %d/%d\nVALUE = %d\n", d, f, d * nfiles + f);
			fclose(fp);
		}
	}
	if ((rc = ft_store_open(&st, argv[2], FT_STORE_CREATE)) < 0)
		die("open", rc);
	if ((rc = ft_state_new(&obs, NULL)) < 0)
		die("state", rc);
	if ((rc = ft_store_run_begin(st, &run, &run_id)) < 0)
		die("run_begin", rc);

	deps = calloc((size_t)nfiles + 2000, sizeof(*deps));
	n = 0;
	deps[n++] = dep(argv[1], FT_DEP_LIST);
	for (int i = 0; i < 1000 && i < ndirs * nfiles; i++) {
		snprintf(path, sizeof(path), "%s/d%04d/f%04d.py", argv[1], i / nfiles, i % nfiles);
		deps[n++] = dep(path, FT_DEP_FILE);
	}
	if ((rc = ft_store_depset_put(st, deps, n, &prelude)) < 0)
		die("prelude", rc);
	for (size_t i = 0; i < n; i++)
		free((void *)deps[i].path);

	modsets = calloc((size_t)nmods, sizeof(*modsets));
	for (int m = 0; m < nmods; m++) {
		int d = m % ndirs;
		n = 0;
		snprintf(path, sizeof(path), "%s/d%04d", argv[1], d);
		deps[n++] = dep(path, FT_DEP_LIST);
		for (int f = 0; f < nfiles; f++) {
			snprintf(path, sizeof(path), "%s/d%04d/f%04d.py", argv[1], d, f);
			deps[n++] = dep(path, FT_DEP_FILE);
		}
		for (int k = 0; k < 20; k++) {
			int o = (m * 7919 + k * 104729) % (ndirs * nfiles);
			snprintf(path, sizeof(path), "%s/d%04d/f%04d.py", argv[1], o / nfiles, o % nfiles);
			deps[n++] = dep(path, FT_DEP_FILE);
		}
		for (int k = 0; k < 5; k++) {
			snprintf(path, sizeof(path), "%s/d%04d/missing%d.py", argv[1], d, k);
			deps[n++] = dep(path, FT_DEP_ABSENT);
		}
		if ((rc = ft_store_depset_put(st, deps, n, &modsets[m])) < 0)
			die("module set", rc);
		for (size_t i = 0; i < n; i++)
			free((void *)deps[i].path);
	}
	for (int t = 0; t < ntests; t++) {
		int64_t sets[2] = { prelude, modsets[t % nmods] };
		struct ft_test_row row = { .name = name, .runner = "command",
					   .outcome = FT_OUTCOME_PASSED, .sets = sets, .nsets = 2 };
		snprintf(name, sizeof(name), "test_%05d", t);
		if ((rc = ft_store_test_put(st, run_id, &row)) < 0)
			die("test_put", rc);
	}
	if ((rc = ft_store_run_commit(st)) < 0)
		die("commit", rc);
	ft_state_free(obs);
	ft_store_close(st);
	free(deps);
	free(modsets);
	return 0;
}
