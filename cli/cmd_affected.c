/*
 * cmd_affected.c - `ftrace affected`: print the tests a change can affect.
 *
 * The contract with scripts is the exit status: 0 means the set printed is
 * complete (it may be empty: nothing is affected); FT_EXIT_UNKNOWN (2) means
 * ftrace cannot tell, and then stdout stays empty unless --on-unknown=all
 * asked for every known test.  An empty stdout with status 2 must never be
 * read as "nothing affected": `ftrace affected | xargs pytest` would then
 * run... everything, because xargs runs pytest once with no arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "affected.h"
#include "affected_news.h"
#include "ft_cmd.h"
#include "ft_config.h"
#include "ft_error.h"
#include "ft_format.h"
#include "ft_locate.h"
#include "ft_pyfunc.h"
#include "ft_pytest_args.h"
#include "ft_select.h"
#include "ft_state.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_trust.h"


static const char usage_text[] =
"usage: ftrace affected [--format lines|null|ids|json|ctest|node|jest|go|cargo|nextest]\n"
"                       [--explain]\n"
"                       [--db PATH]\n"
"                       [--on-unknown=none|all] [--granularity=auto|function|file]\n"
"\n"
"Print the recorded tests that changes since the recording can affect: tests\n"
"that saw a file, directory listing, symlink or missing path that is now\n"
"different; tests that failed, errored or did not finish last time; tests\n"
"that could not be traced; new pytest test files; and the new tests of the\n"
"runners that recorded (ctest, node --test, jest, go test, Automake), asked\n"
"of each runner where the recording ran it.\n"
"\n"
"options:\n"
"  --format lines   one test per line (default), as the runner takes it: a\n"
"                   pytest module all of whose recorded tests are affected\n"
"                   is printed as its path, so that pytest also runs the\n"
"                   tests added to it since (a module that is gone is left\n"
"                   out); other tests by id.  Safe for xargs: a blank, quote\n"
"                   or backslash in a pytest node id or path gets a\n"
"                   backslash before it\n"
"  --format null    the same, unescaped, each followed by a NUL byte: the\n"
"                   pipeline that always works is\n"
"                   ftrace affected --format null | xargs -0 -r pytest\n"
"  --format ids     every affected test id, one per line, as recorded (no\n"
"                   pytest module paths; for scripts that compare ids)\n"
"  --format json    {\"complete\":true,\"tests\":[{\"id\":...,\"reasons\":[{\"path\":...,\n"
"                   \"kind\":...,\"change\":...}]}]}\n"
"  --format ctest   one regex for `ctest -R`, ^(a|b)$, matching exactly the\n"
"                   affected names (escaped); NOTHING when nothing is\n"
"                   affected (`ctest -R ''` would run every test).  Run it\n"
"                   where ctest runs: new tests (in `ctest --show-only` but\n"
"                   not recorded) are selected\n"
"  --format node    test file paths, one per line, for `node --test FILE...`,\n"
"                   relative to the current directory; files that\n"
"                   `node --test` would run here and were never recorded\n"
"                   are selected (docs/runners.md)\n"
"  --format jest    test file paths, one per line, for `jest --runTestsByPath\n"
"                   FILE...`, relative to the current directory; files that\n"
"                   `jest --listTests` lists here and were never recorded are\n"
"                   selected; NOTHING when nothing is affected (docs/jest.md)\n"
"  --format go      package import paths, one per line, for `go test PKG...`;\n"
"                   NOTHING when nothing is affected (`go test` without\n"
"                   packages tests the current directory).  Packages with\n"
"                   tests that `go list ./...` finds here and were never\n"
"                   recorded are selected (docs/go.md)\n"
"  --format cargo   `cargo test` arguments, one line per cargo invocation:\n"
"                   `-p PKG --lib --test NAME ...`, and `-p PKG --doc` apart\n"
"                   (cargo cannot mix --doc with other targets); NOTHING\n"
"                   when nothing is affected.  Run it in the workspace:\n"
"                   targets `cargo metadata` lists and the database lacks\n"
"                   are selected (docs/cargo.md)\n"
"  --format nextest one filterset for `cargo nextest run -E`:\n"
"                   (binary_id(=B) & test(=T)) | ...; NOTHING when nothing\n"
"                   is affected; new tests from `cargo nextest list` run\n"
"                   here are selected (docs/cargo.md)\n"
"  --explain        under each test, the reasons: which path, which kind of\n"
"                   dependency, what changed (lines format only)\n"
"  --db PATH        the database to read (default: <state dir>/ftrace.db; the\n"
"                   state dir is $FTRACE_DIR, else .ftrace in the nearest\n"
"                   ancestor directory holding .git or .ftrace)\n"
"  --on-unknown=none  when ftrace cannot tell, print nothing (default)\n"
"  --on-unknown=all   when ftrace cannot tell, print every known test\n"
"  --granularity=function, --granularity=auto (the default)\n"
"                   pytest tests recorded with their functions (`ftrace run`\n"
"                   at either) that only .py function bodies they did not run\n"
"                   changed for are left out (docs/python-functions.md); one\n"
"                   Python ($FTRACE_PYTHON, else python3 from PATH; never one\n"
"                   the database names) fingerprints the changed .py files;\n"
"                   other tests, and anything unclear, select by file.  With\n"
"                   --explain, under each changed .py file: the function\n"
"                   that changed and ran in the test, or that the skeleton\n"
"                   (code outside function bodies) changed\n"
"  --granularity=file  select by file only\n"
"                   (without the option: .ftrace.json's \"granularity\",\n"
"                   else $FTRACE_GRANULARITY, else auto)\n"
"  -h, --help       this text\n"
"\n"
"exit status:\n"
"  0   the set printed is complete; it may be empty (nothing is affected)\n"
"  2   cannot tell (no recording, corrupt or newer database, a database of\n"
"      another repository (a copied checkout, a shared FTRACE_DIR), a state dir,\n"
"      database or .ftrace.json owned by another user or writable by others\n"
"      (allow one with $FTRACE_SAFE_DIRS), ...): run all\n"
"      tests; the reason is on stderr; stdout is empty unless --on-unknown=all\n"
"  64  bad command line, or $FTRACE_GRANULARITY is not file, function or auto\n"
"  70  internal error\n"
"  78  .ftrace.json is invalid (the message names the file, line and key)\n"
"\n"
"The empty-set pitfall: `ftrace affected | xargs pytest` runs the WHOLE suite\n"
"when nothing is affected, because xargs runs pytest once without arguments.\n"
"Use `xargs -r` (--no-run-if-empty), and check the exit status:\n"
"  tests=$(ftrace affected) || exit_all=1\n"
"  printf '%s\\n' \"$tests\" | xargs -r pytest\n";

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "explain", no_argument, NULL, 'e' },
		{ "db", required_argument, NULL, 'd' },
		{ "on-unknown", required_argument, NULL, 'u' },
		{ "granularity", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "lines"))
				o->fmt = FMT_LINES;
			else if (!strcmp(optarg, "null"))
				o->fmt = FMT_NULL;
			else if (!strcmp(optarg, "ids"))
				o->fmt = FMT_IDS;
			else if (!strcmp(optarg, "json"))
				o->fmt = FMT_JSON;
			else if ((o->row = ft_runners_by_name(optarg)) && o->row->format)
				o->fmt = FMT_RUNNER;
			else {
				char names[256];
				ft_runners_format_names(names, sizeof(names));
				ft_cmd_error("affected: unknown --format '%s' (lines, null, ids, json, %s)",
					     optarg, names);
				return FT_EXIT_USAGE;
			}
			break;
		case 'e':
			o->explain = 1;
			break;
		case 'd':
			o->db = optarg;
			break;
		case 'u':
			if (!strcmp(optarg, "all"))
				o->on_unknown_all = 1;
			else if (!strcmp(optarg, "none"))
				o->on_unknown_all = 0;
			else {
				ft_cmd_error("affected: --on-unknown takes 'none' or 'all', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'g':
			if ((o->funcs = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("affected: --granularity takes 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			return FT_EXIT_OK;
		default:
			if (optopt)
				ft_cmd_error("affected: unknown option '-%c'; see 'ftrace affected --help'", optopt);
			else
				ft_cmd_error("affected: unknown or incomplete option '%s'; see 'ftrace affected --help'",
					     argv[optind - 1]);
			return FT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		ft_cmd_error("affected: unexpected argument '%s'; see 'ftrace affected --help'", argv[optind]);
		return FT_EXIT_USAGE;
	}
	return -1;
}

void ft_cmd_repo_top(char *out, size_t cap)
{
	char dir[4096];

	if (ft_statedir_find(dir, sizeof(dir)) >= 0 && ft_statedir_top(dir, out, cap) == 0)
		return;
	if (!getcwd(out, cap))
		snprintf(out, cap, "/");
}

static int unknown(const struct opts *o, struct ft_store *st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int unknown(const struct opts *o, struct ft_store *st, const char *fmt, ...)
{
	struct ft_selection *all = NULL;
	va_list ap;

	fputs("ftrace: affected: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nftrace: affected: cannot tell which tests are affected: run all tests", stderr);
	if (!o->on_unknown_all)
		fputs(" (or pass --on-unknown=all to print every known test)", stderr);
	fputc('\n', stderr);
	if (o->on_unknown_all && st && ft_select_all(st, &all) == 0) {
		struct opts po = { .fmt = o->fmt, .row = o->row };
		struct ft_pytest_arg *args = NULL;
		size_t nargs = 0;
		if (o->cfg && ft_cmd_add_always_run(all, o->cfg) < 0)
			fputs("ftrace: affected: out of memory adding always_run tests\n", stderr);
		/* whole modules where it can (their new tests too), else ids */
		char here[PATH_MAX];
		if (affected_wants_pytest_args(&po) &&
		    ft_pytest_args_from(st, all, getcwd(here, sizeof(here)), &args, &nargs) < 0)
			args = NULL;
		affected_print_tests(all, &po, 0, args, nargs);
		ft_pytest_args_free(args, nargs);
		ft_selection_free(all);
	} else if (o->fmt == FMT_JSON && o->on_unknown_all) {
		affected_print_json(NULL, 0);
	}
	fflush(stdout);
	return FT_EXIT_UNKNOWN;
}

static int open_error(const struct opts *o, const char *db, int rc)
{
	char buf[640 + 3 * 4200];

	switch (rc) {
	case FT_ENORECORD:
		/* an empty file: a first run is creating it, or saved nothing */
		if (access(db, F_OK) == 0)
			return unknown(o, NULL, "%s: no recording yet: %s (%s)", db, ft_store_errmsg(NULL),
				       "let a running `ftrace run` finish, or run one");
		return unknown(o, NULL, "%s: no database: nothing was recorded here (%s)", db,
			       "run `ftrace run -- <test command>` first");
	case FT_ECORRUPT:
		/* moving aside is safe whatever the file is, deleting is not */
		snprintf(buf, sizeof(buf), "%s; move it aside (e.g. `mv %s %s.bad`) and record again "
			 "with `ftrace run`", ft_store_errmsg(NULL), db, db);
		return unknown(o, NULL, "%s: corrupt or not an ftrace database: %s", db, buf);
	case FT_ESCHEMA:
		snprintf(buf, sizeof(buf), "%s; upgrade ftrace, or move it aside and record again",
			 ft_store_errmsg(NULL));
		return unknown(o, NULL, "%s: written by a newer ftrace: %s", db, buf);
	case FT_EDB:
		return unknown(o, NULL, "%s: cannot read the database: %s", db, ft_store_errmsg(NULL));
	case FT_EUNSAFE:
		return unknown(o, NULL, "%s", ft_store_errmsg(NULL));
	default:
		return unknown(o, NULL, "%s: cannot open the database: %s%s", db, ft_strerror(rc),
			       rc == -EACCES || rc == -EPERM
			       ? " (check that you may read it; ftrace only reads it here)" : "");
	}
}

/* The tests the runner has: for a runner's format, its row's list here;
 * else those of every runner the recording used.  (names, n) point into
 * `news`.  Without the runner's own list, a new test would be left out
 * silently: that is "cannot tell", never a smaller set. */
static int runner_tests(const struct opts *o, struct ft_store *st, struct ft_news *n,
			char ***names, size_t *nn)
{
	int rc;

	if (o->fmt == FMT_RUNNER) {
		if ((rc = o->row->list_here(&n->here)) < 0) {
			snprintf(n->why, sizeof(n->why), "%s", n->here.why);
			return rc;
		}
		*names = n->here.tests.v;
		*nn = n->here.tests.n;
		return 0;
	}
	if ((rc = ft_news_recorded(st, n)) < 0)
		return rc;
	*names = n->files.v;
	*nn = n->files.n;
	return 0;
}

/* Add the runner's tests the database does not hold to `sel` (new), and
 * let the row check the selection against its list (go: packages only,
 * removed ones left out). */
static int add_new_tests(const struct opts *o, struct ft_store *st, struct ft_selection *sel,
			 struct ft_news *n)
{
	struct ft_selection *all = NULL;
	char **names = NULL;
	size_t nn = 0;
	int rc;

	if ((rc = runner_tests(o, st, n, &names, &nn)) < 0)
		return rc;
	if (o->fmt != FMT_RUNNER && !nn)
		return 0;
	rc = ft_select_all(st, &all);
	if (rc >= 0)
		rc = ft_format_add_new(sel, all, names, nn);
	if (rc < 0)
		snprintf(n->why, sizeof(n->why), "cannot add new tests: %s", ft_strerror(rc));
	if (rc >= 0 && o->fmt == FMT_RUNNER && o->row->check &&
	    (rc = o->row->check(sel, &n->here)) < 0)
		snprintf(n->why, sizeof(n->why), "%s", n->here.why);
	ft_selection_free(all);
	return rc;
}

/* Can the selection be said in the runner's syntax?  (its format's errors) */
static int runner_check(const struct opts *o, const struct ft_selection *sel, char *why,
			size_t whylen)
{
	char *text = NULL;
	int rc = affected_runner_text(o, sel, &text, why, whylen);

	free(text);
	return rc;
}

static int affected_main(int argc, char **argv, struct ft_config *cfg)
{
	struct opts o = { 0 };
	char dir[4096], dbbuf[4200], top[4096];
	struct ft_store *st = NULL;
	struct ft_state *state = NULL;
	struct ft_selection *sel = NULL;
	struct ft_news news = { 0 };
	char here[PATH_MAX];   /* where pytest will start: its arguments are from there */
	char news_top[4096];
	struct ft_pytest_arg *args = NULL;
	size_t nargs = 0;
	char cfg_err[4400];
	const char *db;
	struct stat sb;
	int rc, status, corrupt = 0;

	o.funcs = -1;
	if ((rc = parse(argc, argv, &o)) >= 0)
		return rc;
	ft_cmd_repo_top(news_top, sizeof(news_top));
	news.here.top = news_top;
	/* .ftrace.json's always_run: a file we cannot read must not quietly
	 * drop tests from the set. */
	if ((rc = ft_config_find_load(cfg, cfg_err, sizeof(cfg_err))) < 0) {
		if (rc == FT_EUNSAFE)
			return unknown(&o, NULL, "%s", cfg_err);
		ft_cmd_error("affected: %s", cfg_err[0] ? cfg_err : ft_strerror(rc));
		return rc == FT_ECONFIG ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
	}
	o.cfg = cfg;
	/* the project's granularity, unless --granularity chose */
	if (o.funcs == -1 && (o.funcs = ft_cmd_granularity_default(cfg->granularity)) < 0)
		return FT_EXIT_USAGE;
	if (o.db) {
		db = o.db;
	} else {
		if ((rc = ft_statedir_find(dir, sizeof(dir))) < 0)
			return unknown(&o, NULL, "cannot find the state directory: %s", ft_strerror(rc));
		if (stat(dir, &sb) < 0) {
			if (errno == ENOENT)
				return unknown(&o, NULL, "%s: no state directory: nothing was recorded here (%s)",
					       dir, "run `ftrace run -- <test command>` first, or set FTRACE_DIR");
			return unknown(&o, NULL, "%s: cannot read the state directory: %s", dir,
				       strerror(errno));
		}
		if (ft_cmd_statedir_notdir(dir, cfg_err, sizeof(cfg_err)))
			return unknown(&o, NULL, "%s", cfg_err);
		if ((rc = ft_trust_check(dir, "state directory", cfg_err, sizeof(cfg_err))) < 0)
			return unknown(&o, NULL, "%s", rc == FT_EUNSAFE ? cfg_err : ft_strerror(rc));
		snprintf(dbbuf, sizeof(dbbuf), "%s/%s", dir, FT_STORE_FILE);
		db = dbbuf;
	}
	ft_cmd_lock_wait(0);
	if ((rc = ft_store_open(&st, db, 0)) < 0)
		return open_error(&o, db, rc);
	/* the database must be this tree's (ft_store_repo.h), also with --db;
	 * --db outside any repository: the recorded tree must still be itself */
	if (o.db && !ft_statedir_in_repo())
		rc = ft_store_repo_check(st, NULL, 0, cfg_err, sizeof(cfg_err));
	else if ((rc = ft_statedir_find(dir, sizeof(dir))) >= 0 &&
		 (rc = ft_statedir_top(dir, top, sizeof(top))) >= 0)
		rc = ft_store_repo_check(st, top, 0, cfg_err, sizeof(cfg_err));
	if (rc < 0) {
		status = unknown(&o, NULL, "%s: %s", db, rc == FT_EREPO ? cfg_err :
				 rc == FT_EDB || rc == FT_ECORRUPT ? ft_store_errmsg(st) : ft_strerror(rc));
		ft_store_close(st);
		return status;
	}
	if ((rc = ft_state_new(&state, st)) < 0) {
		ft_store_close(st);
		ft_cmd_error("affected: %s", ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	rc = ft_select_run(st, state, &sel);
	if (rc >= 0)
		ft_cmd_pyconf_filter(st, sel, "affected");
	if (rc >= 0 && o.funcs)
		ft_cmd_pyfunc_filter(st, sel, "affected", o.explain ? &affected_pyfunc_notes : NULL);
	if (rc < 0) {
		corrupt = rc == FT_ECORRUPT;
		status = unknown(&o, corrupt ? NULL : st, "%s: selection failed: %s%s", db,
				 rc == FT_ECORRUPT || rc == FT_EDB ? ft_store_errmsg(st) : ft_strerror(rc),
				 corrupt ? "; nothing was written into it: move it away and record "
				 "again with `ftrace run`" : "");
	} else if (sel->known == 0) {
		status = unknown(&o, st, "%s: the recording holds no tests%s", db,
				 "; run `ftrace run -- <test command>` over the whole suite");
	} else if (!sel->complete) {
		status = unknown(&o, st, "%s: %s", db, sel->incomplete_why);
	} else if ((rc = ft_cmd_add_always_run(sel, cfg)) < 0) {
		ft_cmd_error("affected: %s", ft_strerror(rc));
		status = FT_EXIT_SOFTWARE;
	} else if ((rc = add_new_tests(&o, st, sel, &news)) < 0) {
		status = unknown(&o, st, "%s", news.why);
	} else if (o.fmt == FMT_RUNNER &&
		   (rc = runner_check(&o, sel, news.why, sizeof(news.why))) < 0) {
		status = unknown(&o, st, "%s", rc == FT_EFORMAT ? news.why : ft_strerror(rc));
	} else if (affected_wants_pytest_args(&o) &&
		   (rc = ft_pytest_args_from(st, sel, getcwd(here, sizeof(here)), &args, &nargs)) < 0) {
		status = unknown(&o, st, "%s: reading the recorded pytest tests: %s", db,
				 rc == FT_EDB ? ft_store_errmsg(st) : ft_strerror(rc));
	} else {
		o.here = &news.here;
		affected_print_tests(sel, &o, 1, args, nargs);
		status = FT_EXIT_OK;
	}
	ft_pytest_args_free(args, nargs);
	if (fflush(stdout) != 0 && status == FT_EXIT_OK) {
		ft_cmd_error("affected: writing the output failed: %s", strerror(errno));
		status = FT_EXIT_SOFTWARE;
	}
	/* Make the next call faster.  Never waits for a writer and never
	 * changes the result: a read-only or locked database keeps its cache.
	 * A corrupt one gets nothing written into it. */
	ft_store_busy_timeout(st, 0);
	if (!corrupt)
		(void)ft_state_flush(state);
	ft_selection_free(sel);
	ft_state_free(state);
	ft_store_close(st);
	ft_news_release(&news);
	ft_pyfunc_notes_release(&affected_pyfunc_notes);
	return status;
}

int ft_cmd_affected(int argc, char **argv)
{
	struct ft_config cfg = { 0 };
	int status = affected_main(argc, argv, &cfg);

	ft_config_release(&cfg);
	return status;
}
