/*
 * cmd_ingest.c - `ftrace ingest [--keep-records] [-q] [RUN_DIR...]`.
 *
 * Saves the records that `ftrace run` kept because it could not save them
 * (the database was locked longer than FTRACE_LOCK_TIMEOUT, the disk was
 * full, ftrace was killed while saving): each such run dir holds run.info
 * (common/ft_runinfo.h), and is ingested as `ftrace run` would have done.
 * Without RUN_DIR, every pending run dir of the state dir, oldest first.
 * A run dir in use (its `ftrace run` still running or saving, or another
 * `ftrace ingest` at it) is left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_locate.h"
#include "ft_runinfo.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"

static const char ft_ingest_usage[] =
	"usage: ftrace ingest [--keep-records] [-q] [RUN_DIR...]\n"
	"\n"
	"Save recordings that `ftrace run` could not save: when the database was\n"
	"locked longer than FTRACE_LOCK_TIMEOUT, the disk was full, or ftrace was\n"
	"stopped while saving, it keeps the run's records in <state dir>/runs/<id>\n"
	"and names this command.  Each RUN_DIR is saved into <state dir>/ftrace.db\n"
	"as `ftrace run` would have (a run dir of another state dir is refused);\n"
	"without RUN_DIR, every run dir of the state dir still to be saved, oldest\n"
	"first.  A run dir in use (its `ftrace run` is still going) is skipped.\n"
	"Files the tests read that changed since the run are recorded as unknown,\n"
	"so their tests are selected again: a late save is never too optimistic.\n"
	"\n"
	"options:\n"
	"  --keep-records   keep the run dirs after saving them (marked as saved)\n"
	"  -q, --quiet      no summary lines on stderr\n"
	"  -h, --help       this help\n"
	"\n"
	"environment: FTRACE_LOCK_TIMEOUT=<seconds> bounds the wait for a\n"
	"database another process holds (default: as long as that process lives).\n"
	"\n"
	"exit status: 0 if every run dir was saved (or none was pending); 70 if\n"
	"one could not be saved (the message says why; its records are kept);\n"
	"64 on bad usage; 78 if .ftrace.json is invalid.\n";

static int name_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The run dirs of `runs` still to be saved, sorted oldest first. */
static int list_pending(const char *runs, char ***out, size_t *n)
{
	DIR *d = opendir(runs);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char *p;
		struct stat sb;
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", runs, de->d_name) < 0) {
			rc = -ENOMEM;
			break;
		}
		if (lstat(p, &sb) < 0 || !S_ISDIR(sb.st_mode) || !ft_runinfo_pending(p)) {
			free(p);
			continue;
		}
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*nv));
			if (!nv) {
				free(p);
				rc = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[(*n)++] = p;
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return rc;
}

/* Is `run_dir` directly below `runs`?  Compared by where they lead. */
static int is_run_dir_of(const char *run_dir, const char *runs)
{
	char a[PATH_MAX], b[PATH_MAX], *slash;

	if (!realpath(run_dir, a) || !realpath(runs, b))
		return 0;
	slash = strrchr(a, '/');
	if (!slash || slash == a)
		return 0;
	*slash = '\0';
	return !strcmp(a, b);
}

static int has_info(const char *run_dir)
{
	char p[PATH_MAX];
	struct stat sb;

	return (size_t)snprintf(p, sizeof(p), "%s/%s", run_dir, FT_RUNINFO_FILE) < sizeof(p) &&
	       lstat(p, &sb) == 0;
}

/* Save one run dir: 0, or 1 when it was not saved (said why).  `found`:
 * it was found pending, not named; one in use is then only noted (its own
 * `ftrace run` or `ftrace ingest` saves it). */
static int ingest_one(const char *state_dir, const char *run_dir, const char *adapters,
		      const struct ft_config *cfg, int keep, int quiet, int here, int found)
{
	struct ft_runinfo ri;
	char ident_top[PATH_MAX];
	struct ft_cmd_save sv = {
		.cmd = "ingest", .state_dir = state_dir, .run_dir = run_dir, .adapters = adapters,
		.cfg = cfg, .quiet = quiet, .keep = keep,
		.ident_top = ft_statedir_top(state_dir, ident_top, sizeof(ident_top)) == 0 ? ident_top : NULL,
	};
	struct stat sb;
	int lockfd, rc;

	lockfd = ft_runinfo_lock(run_dir);
	if (lockfd < 0) {
		if (lockfd == -EWOULDBLOCK) {
			if (!found || !quiet)
				ft_cmd_error("ingest: %s is in use (its `ftrace run` is still going, or "
					     "another `ftrace ingest` is saving it); left alone", run_dir);
			return !found;
		}
		if (lockfd == -ENOENT && found)
			return 0; /* saved and removed by its own run meanwhile */
		ft_cmd_error("ingest: %s: %s", run_dir, ft_strerror(lockfd));
		return 1;
	}
	if (!ft_runinfo_pending(run_dir)) {
		if (found) { /* saved meanwhile by its own run or another ingest */
			close(lockfd);
			return 0;
		}
		ft_cmd_error("ingest: %s has nothing to save: %s", run_dir,
			     access(run_dir, F_OK) < 0 ? "it is gone (saved meanwhile?)" :
			     !has_info(run_dir)
			     ? "no run.info (its `ftrace run` was stopped before the command ended)"
			     : "it was saved already");
		close(lockfd);
		return 1;
	}
	if ((rc = ft_runinfo_read(run_dir, &ri)) < 0) {
		ft_cmd_error("ingest: %s/%s cannot be read: %s", run_dir, FT_RUNINFO_FILE,
			     ft_strerror(rc));
		close(lockfd);
		return 1;
	}
	/* the runners' own test lists are found from where the command ran */
	if (ri.cwd && ri.cwd[0] == '/' && stat(ri.cwd, &sb) == 0 && S_ISDIR(sb.st_mode))
		(void)chdir(ri.cwd);
	sv.narrowed = ri.narrowed; /* what `ftrace test` put in, left out again */
	rc = ft_cmd_save_run(&sv, &ri);
	if (here >= 0)
		(void)fchdir(here);
	ft_runinfo_release(&ri);
	close(lockfd);
	return rc < 0;
}

int ft_cmd_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep-records", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char state_dir[PATH_MAX], runs[PATH_MAX + 8], adapters[PATH_MAX];
	struct ft_err cfg_err;
	struct ft_config cfg;
	char **pending = NULL;
	size_t npending = 0;
	int opt, keep = 0, quiet = 0, failed = 0, rc, here;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'k': keep = 1; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(ft_ingest_usage, stdout); return FT_EXIT_OK;
		default: fputs(ft_ingest_usage, stderr); return FT_EXIT_USAGE;
		}
	}
	rc = ft_config_find_load(&cfg, &cfg_err);
	if (rc < 0) {
		ft_cmd_error("ingest: %s", ft_err_msg(&cfg_err));
		return rc == FT_ECONFIG ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_statedir_find(state_dir, sizeof(state_dir))) < 0) {
		ft_cmd_error("ingest: cannot find the state directory: %s", ft_strerror(rc));
		ft_config_release(&cfg);
		return FT_EXIT_SOFTWARE;
	}
	snprintf(runs, sizeof(runs), "%s/runs", state_dir);
	if (ft_locate_adapters(adapters, sizeof(adapters)) < 0)
		adapters[0] = '\0';
	here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			if (!is_run_dir_of(argv[i], runs)) {
				ft_cmd_error("ingest: %s is not a run dir of %s (run `ftrace ingest` in the "
					     "repository it belongs to, or set FTRACE_DIR to its state dir)",
					     argv[i], runs);
				failed = 1;
				continue;
			}
			failed |= ingest_one(state_dir, argv[i], adapters, &cfg, keep, quiet, here, 0);
		}
	} else if ((rc = list_pending(runs, &pending, &npending)) < 0) {
		ft_cmd_error("ingest: cannot list %s: %s", runs, ft_strerror(rc));
		failed = 1;
	} else {
		for (size_t i = 0; i < npending; i++) {
			failed |= ingest_one(state_dir, pending[i], adapters, &cfg, keep, quiet, here, 1);
			free(pending[i]);
		}
		free(pending);
		if (!npending && !quiet)
			fprintf(stderr, "ftrace: ingest: no run in %s waits to be saved\n", runs);
	}
	if (here >= 0)
		close(here);
	ft_config_release(&cfg);
	return failed ? FT_EXIT_SOFTWARE : FT_EXIT_OK;
}
