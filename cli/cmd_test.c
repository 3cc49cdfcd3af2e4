/*
 * cmd_test.c - `ftrace test [--name NAME] [--] [CMD...]`: select, run only
 * what is affected, and record, so the map stays current.
 *
 * The selection is `ftrace affected`'s, computed in-process; the run is
 * `ftrace run`'s (ft_cmd_run_argv).  How the selection reaches the runner:
 *
 *  - pytest (CMD runs pytest, py.test or `-m pytest`, and no --name): the
 *    known tests that are NOT affected go, one node id per line, to a file
 *    in the state dir named by FTRACE_DESELECT_FILE; the pytest plugin
 *    deselects them (adapters/pytest/ftrace_pytest.py).  Passing the
 *    affected ids instead would skip new tests, which must always run:
 *    a test added to an existing file has an id nobody recorded yet.
 *  - anything else is one test, named NAME or (like `ftrace run`) by its
 *    command line: it runs when that test is affected or not known yet.
 *
 * When ftrace cannot tell (no recording, corrupt database, ...), everything
 * runs and is recorded.  When nothing is affected, nothing runs: that is
 * said on stderr and the status is 0.  Otherwise the status is the runner's.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_runner.h"
#include "ft_runner_argv.h"
#include "ft_error.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"

#define FT_ENV_DESELECT "FTRACE_DESELECT_FILE"

static const char usage_text[] =
"usage: ftrace test [--name NAME] [--granularity=auto|function|file] [-q] [--] [CMD [ARGS...]]\n"
"\n"
"Run only the tests that changes since the last recording can affect, and\n"
"record them (as `ftrace run` does), so the map stays current.  Without CMD,\n"
"the \"command\" of .ftrace.json at the repository top is run.\n"
"\n"
"  pytest (CMD runs pytest or python -m pytest): the known tests that are not\n"
"      affected are deselected; new tests and .ftrace.json's always_run tests\n"
"      always run.\n"
"  ctest (CMD is `ctest ARGS`): ctest ARGS -R '^(a|b)$' with the affected\n"
"      and new tests (docs/runners.md)\n"
"  node --test (CMD is `node [OPTS] --test`): node [OPTS] --test FILE... with\n"
"      the affected and new test files\n"
"  jest (CMD is `jest ARGS`, `npx jest ARGS`, or `npm test` whose script is\n"
"      jest): CMD [--] --runTestsByPath FILE... with the affected and new\n"
"      test files (docs/jest.md)\n"
"  Automake (CMD is `make ARGS check` over an Automake harness here):\n"
"      make ARGS check TESTS=\"a b\" with the affected and new TESTS entries;\n"
"      with SUBDIRS, the whole command (or nothing, when nothing is affected)\n"
"  go test (CMD is `go test [FLAGS] ./...`, flags that do not change which\n"
"      files build): go test FLAGS PKG... with the affected and new packages\n"
"      (docs/go.md)\n"
"  cargo test (CMD is `cargo test [OPTS]`): cargo test -p PKG --lib --test T\n"
"      ... with the affected and new test targets (docs/cargo.md)\n"
"  cargo nextest run (CMD is `cargo nextest run [OPTS]`): cargo nextest run\n"
"      -E '(binary_id(=B) & test(=T)) | ...' with the affected and new tests\n"
"      (each runs as given when it already chooses its tests)\n"
"  any other CMD is one test (named NAME, else by its command line): it runs\n"
"      when that test is affected or was never recorded.\n"
"\n"
"With no recording (or when ftrace cannot tell), everything runs and is\n"
"recorded.  With nothing affected, nothing runs.\n"
"\n"
"options:\n"
"  --name NAME   CMD is one test called NAME (as `ftrace run --name`)\n"
"  --granularity=auto|function|file\n"
"                pytest: select as `ftrace affected --granularity=G` (at\n"
"                auto, the default, and function: tests recorded with their\n"
"                functions that only changed .py function bodies they did\n"
"                not run can affect are deselected) and record as `ftrace\n"
"                run --granularity=G` (docs/python-functions.md).  Without\n"
"                the option: .ftrace.json's \"granularity\", else\n"
"                $FTRACE_GRANULARITY, else auto\n"
"  -q, --quiet   no summary line after recording\n"
"  -h, --help    this text\n"
"\n"
"exit status: the runner's own; 0 when nothing is affected (nothing ran);\n"
"64 bad usage, no command or a bad $FTRACE_GRANULARITY; 78 invalid\n"
".ftrace.json, or it, the state directory or the database is owned by\n"
"another user or writable by others (nothing ran; $FTRACE_SAFE_DIRS allows\n"
"one); 70 internal error; 127 CMD could not be started.\n";

static const struct ft_reason always_reason = { NULL, 0, FT_CHANGE_ALWAYS_RUN, 0 };

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ft_selected *)a)->id, ((const struct ft_selected *)b)->id);
}

static int has_id(const struct ft_selection *sel, const char *id)
{
	struct ft_selected key = { .id = id };

	return sel && sel->n && bsearch(&key, sel->tests, sel->n, sizeof(key), id_cmp) != NULL;
}

/*
 * Add the always_run ids that the selection lacks.  The ids point into the
 * config, which must outlive the selection's use.  sel->tests comes from
 * calloc (ft_selection_free frees it), so it may be grown with realloc.
 */
int ft_cmd_add_always_run(struct ft_selection *sel, const struct ft_config *cfg)
{
	struct ft_selected *t;
	size_t n = sel->n;

	if (!cfg->nalways_run)
		return 0;
	t = realloc(sel->tests, (sel->n + cfg->nalways_run + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	sel->tests = t;
	for (size_t i = 0; i < cfg->nalways_run; i++) {
		int dup = has_id(sel, cfg->always_run[i]);
		for (size_t k = sel->n; k < n && !dup; k++)
			dup = !strcmp(t[k].id, cfg->always_run[i]);
		if (!dup)
			t[n++] = (struct ft_selected){ cfg->always_run[i], &always_reason, 1, 0 };
	}
	sel->n = n;
	qsort(sel->tests, sel->n, sizeof(*t), id_cmp);
	return 0;
}

static int is_pytest_word(const char *w)
{
	const char *base = strrchr(w, '/');

	base = base ? base + 1 : w;
	return !strcmp(base, "pytest") || !strcmp(base, "py.test") || !strncmp(base, "pytest-3", 8);
}

/* Is argv[0] a program that runs its arguments as a command (so that the
 * command starts at a later word)?  Returns how many words to skip. */
static int wrapper_words(char **argv)
{
	static const char *const runners[] = { "uv", "poetry", "pipenv", "pdm", "hatch", "rye" };
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "env")) {
		int i = 1;
		while (argv[i] && (strchr(argv[i], '=') || argv[i][0] == '-'))
			i++;
		return i;
	}
	for (size_t k = 0; k < sizeof(runners) / sizeof(runners[0]); k++)
		if (!strcmp(base, runners[k]) && argv[1] && !strcmp(argv[1], "run"))
			return 2;
	return 0;
}

/*
 * Does this command run pytest?  `pytest ...`, `py.test ...`, `<python>
 * -m pytest ...`, also behind `env VAR=x` or `uv|poetry|pipenv|pdm|hatch|rye
 * run`.  Anything else is not pytest: its own test (named by its command
 * line) decides whether it runs, which is always safe.
 */
static int argv_runs_pytest(char **argv)
{
	int skip;

	while (argv[0] && (skip = wrapper_words(argv)) > 0)
		for (; skip > 0 && argv[0]; skip--)
			argv++;
	if (!argv[0])
		return 0;
	if (is_pytest_word(argv[0]))
		return 1;
	for (int i = 1; argv[i]; i++) {
		if (strcmp(argv[i - 1], "-m"))
			continue;
		return !strcmp(argv[i], "pytest");
	}
	return 0;
}

/* The same for the config's string form: each simple command of the line
 * (split at ; & | and newlines; words at blanks, quotes are not parsed). */
static int runs_pytest(char **argv, int shell)
{
	char *s, *save = NULL, *words[64];
	int found = 0;

	if (!shell)
		return argv_runs_pytest(argv);
	if (!(s = strdup(argv[2])))
		return 0;
	for (char *seg = strtok_r(s, ";&|\n", &save); seg && !found; seg = strtok_r(NULL, ";&|\n", &save)) {
		char *wsave = NULL;
		int n = 0;
		for (char *w = strtok_r(seg, " \t()", &wsave); w && n < 63; w = strtok_r(NULL, " \t()", &wsave))
			words[n++] = w;
		words[n] = NULL;
		found = n > 0 && argv_runs_pytest(words);
	}
	free(s);
	return found;
}

/* A selected id that pytest can run: a node id, a (new) test file, or a
 * new file or directory that a collection hook of the project may make
 * tests of (selector/newtests.c): new tests always run. */
static int pytest_id(const struct ft_selected *t)
{
	size_t n = strlen(t->id);

	for (size_t i = 0; i < t->nreasons; i++)
		if (t->reasons[i].change == FT_CHANGE_NEW)
			return 1;
	return strstr(t->id, "::") || (n > 3 && !strcmp(t->id + n - 3, ".py"));
}

static char *join_words(char **argv)
{
	size_t n = 1;
	char *s;

	for (char **a = argv; *a; a++)
		n += strlen(*a) + 1;
	if (!(s = malloc(n)))
		return NULL;
	s[0] = '\0';
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strcat(s, " ");
		strcat(s, *a);
	}
	return s;
}

struct plan {
	struct ft_store *st;
	struct ft_state *state;
	struct ft_selection *sel;   /* complete selection, always_run added */
	struct ft_selection *all;   /* every known test */
	char why[PATH_MAX + 512];   /* when it cannot tell */
	int corrupt;                /* selection found it corrupt: write nothing */
	char state_dir[PATH_MAX];
};

/* 0 with p->sel and p->all set, or 1 with p->why (cannot tell: run all),
 * or a negative code (internal error). */
static int plan_select(struct plan *p, const struct ft_config *cfg)
{
	char db[PATH_MAX + 32], top[PATH_MAX];
	struct stat sb;
	int rc;

	if ((rc = ft_statedir_find(p->state_dir, sizeof(p->state_dir))) < 0) {
		snprintf(p->why, sizeof(p->why), "cannot find the state directory: %s", ft_strerror(rc));
		return 1;
	}
	snprintf(db, sizeof(db), "%s/%s", p->state_dir, FT_STORE_FILE);
	if (ft_cmd_statedir_notdir(p->state_dir, p->why, sizeof(p->why)))
		return 1;
	if (stat(p->state_dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(p->why, sizeof(p->why), "nothing was recorded here yet (no %s)", p->state_dir);
		return 1;
	}
	ft_cmd_lock_wait(0);
	if ((rc = ft_store_open(&p->st, db, 0)) < 0) {
		snprintf(p->why, sizeof(p->why), "%s: %s%s%s", db, ft_strerror(rc),
			 rc == FT_ENORECORD ? "" : ": ", rc == FT_ENORECORD ? "" : ft_store_errmsg(NULL));
		return 1;
	}
	/* another tree's database: `ftrace run` refuses it too (exit 2) */
	if ((rc = ft_statedir_top(p->state_dir, top, sizeof(top))) < 0 ||
	    (rc = ft_store_repo_check(p->st, top, 0, p->why, sizeof(p->why))) < 0) {
		if (rc != FT_EREPO)
			snprintf(p->why, sizeof(p->why), "%s: %s", db, ft_strerror(rc));
		return 1;
	}
	if ((rc = ft_state_new(&p->state, p->st)) < 0)
		return rc;
	rc = ft_select_run(p->st, p->state, &p->sel);
	if (rc < 0) {
		p->corrupt = rc == FT_ECORRUPT;
		snprintf(p->why, sizeof(p->why), "%s: selection failed: %s", db,
			 rc == FT_ECORRUPT || rc == FT_EDB ? ft_store_errmsg(p->st) : ft_strerror(rc));
		return 1;
	}
	if (p->sel->known == 0) {
		snprintf(p->why, sizeof(p->why), "%s: the recording holds no tests", db);
		return 1;
	}
	if (!p->sel->complete) {
		snprintf(p->why, sizeof(p->why), "%s: %s", db, p->sel->incomplete_why);
		return 1;
	}
	if ((rc = ft_cmd_add_always_run(p->sel, cfg)) < 0)
		return rc;
	if ((rc = ft_select_all(p->st, &p->all)) < 0) {
		snprintf(p->why, sizeof(p->why), "%s: cannot list the known tests: %s", db, ft_strerror(rc));
		return 1;
	}
	return 0;
}

static void plan_release(struct plan *p)
{
	if (p->st) {
		/* Keep the stat cache for next time; never wait for a writer. */
		ft_store_busy_timeout(p->st, 0);
		if (p->state && !p->corrupt)
			(void)ft_state_flush(p->state);
	}
	ft_selection_free(p->sel);
	ft_selection_free(p->all);
	ft_state_free(p->state);
	if (p->st)
		ft_store_close(p->st);
	p->st = NULL;
	p->state = NULL;
	p->sel = p->all = NULL;
}

/* The known tests that are not selected, one per line, in a file of the
 * state dir (never a dependency: ingest ignores the state dir).  Returns 0
 * with the count in *n, or -errno. */
static int write_deselect(const struct plan *p, const char *path, size_t *n)
{
	/* never through a link planted at its name, never into a FIFO */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	struct stat sb;
	FILE *f;

	*n = 0;
	if (fd < 0)
		return errno == ELOOP ? FT_ENOTREG : -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || !(f = fdopen(fd, "w"))) {
		close(fd);
		return FT_ENOTREG;
	}
	for (size_t i = 0; i < p->all->n; i++) {
		const char *id = p->all->tests[i].id;
		if (has_id(p->sel, id) || strchr(id, '\n'))
			continue;
		fprintf(f, "%s\n", id);
		(*n)++;
	}
	if (ferror(f) | fclose(f)) /* both must run */
		return -EIO;
	return 0;
}

int ft_cmd_test(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char cfg_err[PATH_MAX + 256], deselect[PATH_MAX + 64] = "";
	const char *name = NULL;
	struct ft_config cfg;
	struct plan p = { 0 };
	char **cmd, *cmdline = NULL, **narrowed = NULL;
	int quiet = 0, opt, rc, pytest, runner, shell = 0, status, funcs = -1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			if (!*name) {
				ft_cmd_error("test: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'G':
			/* as `ftrace run --granularity`: the plugin reads it at
			 * import and hides it from the tests */
			if ((funcs = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("test: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	rc = ft_config_find_load(&cfg, cfg_err, sizeof(cfg_err));
	if (rc < 0) {
		ft_cmd_error("test: %s", cfg_err[0] ? cfg_err : ft_strerror(rc));
		return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	/* an untrusted state dir is an error, not "cannot tell: run all" (the
	 * recording would then go into it) */
	if ((rc = ft_statedir_find(p.state_dir, sizeof(p.state_dir))) >= 0 &&
	    (rc = ft_cmd_trust_state("test", p.state_dir)) < 0) {
		ft_config_release(&cfg);
		return rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	if (optind < argc) {
		cmd = argv + optind;
	} else if (cfg.command) {
		cmd = cfg.command;
		shell = cfg.command_is_shell;
	} else {
		ft_cmd_error("test: no command: give one (ftrace test -- pytest) or set \"command\" in %s",
			     FT_CONFIG_FILE);
		ft_config_release(&cfg);
		return FT_EXIT_USAGE;
	}
	pytest = !name && runs_pytest(cmd, shell);
	runner = !name && !shell && !pytest ? ft_runner_cmd_kind(cmd) : 0;

	/* without the switch, .ftrace.json's "granularity"; without either,
	 * an exported FTRACE_GRANULARITY; without that, function */
	if (funcs == -1 && (funcs = ft_cmd_granularity_default(cfg.granularity)) < 0) {
		ft_config_release(&cfg);
		return FT_EXIT_USAGE;
	}
	ft_cmd_granularity_set(funcs);
	rc = plan_select(&p, &cfg);
	if (rc == 0)
		ft_cmd_pyconf_filter(p.st, p.sel, "test");
	if (rc == 0 && funcs)
		ft_cmd_pyfunc_filter(p.st, p.sel, "test", NULL);
	if (rc < 0) {
		ft_cmd_error("test: selection failed: %s", ft_strerror(rc));
		status = FT_EXIT_SOFTWARE;
		goto out;
	}
	if (rc == 1) {
		ft_cmd_error("test: cannot tell which tests are affected: %s; running all tests", p.why);
	} else if (pytest) {
		size_t nsel = 0, ndesel = 0;
		for (size_t i = 0; i < p.sel->n; i++)
			nsel += pytest_id(&p.sel->tests[i]);
		if (nsel == 0) {
			ft_cmd_error("nothing affected");
			status = FT_EXIT_OK;
			goto out;
		}
		snprintf(deselect, sizeof(deselect), "%s/deselect-%d.txt", p.state_dir, (int)getpid());
		if ((rc = write_deselect(&p, deselect, &ndesel)) < 0) {
			ft_cmd_error("test: cannot write %s: %s", deselect, ft_strerror(rc));
			unlink(deselect);
			status = FT_EXIT_SOFTWARE;
			goto out;
		}
		if (!quiet)
			fprintf(stderr, "ftrace: %zu affected test%s; %zu known test%s deselected\n",
				nsel, nsel == 1 ? "" : "s", ndesel, ndesel == 1 ? "" : "s");
		setenv(FT_ENV_DESELECT, deselect, 1);
	} else if (runner) {
		/* ctest, node --test, go test: the selection in the runner's own syntax */
		char why[256], top[PATH_MAX];
		size_t n = 0;

		if (ft_statedir_top(p.state_dir, top, sizeof(top)) < 0 && !getcwd(top, sizeof(top)))
			snprintf(top, sizeof(top), "/");
		rc = ft_runner_argv_plan(cmd, p.sel, p.all, top, &narrowed, &n, why, sizeof(why));
		if (rc < 0) {
			ft_cmd_error("test: %s", ft_strerror(rc));
			status = FT_EXIT_SOFTWARE;
			goto out;
		}
		if (rc == FT_RUNNER_PLAN_NOTHING) {
			ft_cmd_error("nothing affected");
			status = FT_EXIT_OK;
			goto out;
		}
		if (rc == FT_RUNNER_PLAN_ALL)
			ft_cmd_error("test: running all tests: %s", why);
		else if (!quiet)
			fprintf(stderr, "ftrace: %zu affected test%s\n", n, n == 1 ? "" : "s");
		if (rc == FT_RUNNER_PLAN_NARROWED && why[0])
			ft_cmd_error("test: %s", why); /* a superset (cargo) */
		if (narrowed)
			cmd = narrowed;
	} else {
		const char *id = name;
		if (!id && !(id = cmdline = join_words(cmd))) {
			status = FT_EXIT_SOFTWARE;
			goto out;
		}
		if (has_id(p.all, id) && !has_id(p.sel, id)) {
			ft_cmd_error("nothing affected");
			status = FT_EXIT_OK;
			goto out;
		}
	}
	/* The store is opened again, for writing, by the ingest. */
	plan_release(&p);
	status = ft_cmd_run_argv(cmd, name, (quiet ? FT_RUN_QUIET : 0) |
				 (funcs != -1 ? FT_RUN_GRANULARITY : 0));
out:
	if (deselect[0]) {
		unlink(deselect);
		unsetenv(FT_ENV_DESELECT);
	}
	plan_release(&p);
	free(cmdline);
	ft_runner_argv_free(narrowed);
	ft_config_release(&cfg);
	return status;
}
