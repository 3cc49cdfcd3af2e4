/*
 * cmd_run.c - `ftrace run [--name NAME] -- CMD [ARGS...]`.
 *
 * Runs CMD under the interposer, then ingests the run's records into the
 * database.  The exit status is CMD's own (128+N when killed by signal N),
 * so `ftrace run -- pytest` can stand in for `pytest` anywhere.  When the
 * recording cannot be saved, that is said on stderr, the records are kept
 * in the run dir, and a successful CMD's status becomes 70: a caller must
 * not believe a map was updated when it was not.
 *
 * This file parses the options; cli/run_launch.c runs the steps.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_error.h"

static const char ft_run_usage[] =
	"usage: ftrace run [--name NAME] [--no-prelude-split] [--granularity=auto|function|file] [--keep-records] [-q] [--] CMD [ARGS...]\n"
	"\n"
	"Run CMD with ftrace's interposer and record, for each test, every file its\n"
	"processes open, stat, execute or list (including paths looked up that do\n"
	"not exist).  The map goes to <state dir>/ftrace.db; the state dir is\n"
	"$FTRACE_DIR, else .ftrace at the nearest ancestor holding .git or .ftrace.\n"
	"\n"
	"Tests: pytest is split per test automatically (a plugin is injected); jest\n"
	"per test file (an adapter is added to NODE_OPTIONS: docs/jest.md).  A\n"
	"process started with FTRACE_TEST_ID=<id> starts test <id> for its subtree.\n"
	"Otherwise the whole command is one test, named by --name or by the\n"
	"command line.  Tests not run keep their earlier recording.\n"
	"\n"
	"options:\n"
	"  --name NAME      record the whole command as one test called NAME\n"
	"  --no-prelude-split\n"
	"                   every pytest test depends on the whole session prelude\n"
	"                   (imports, collection), not only on its test module's\n"
	"                   import closure: sound even when importing one module\n"
	"                   changes state another test sees; selects more\n"
	"  --granularity=auto|function|file\n"
	"                   function: the pytest plugin also records which project\n"
	"                   functions each test ran, and the fingerprints of the\n"
	"                   project's .py files (docs/python-functions.md); auto\n"
	"                   (the default): as function where the interpreter has a\n"
	"                   cheap hook (CPython 3.12+, or 3.11 with the frame\n"
	"                   hook), else as file; file: only the fingerprints of\n"
	"                   the .py files each session loaded, for selection's\n"
	"                   import-time rule.  Without the option:\n"
	"                   .ftrace.json's \"granularity\", else $FTRACE_GRANULARITY,\n"
	"                   else auto.  Cost, measured on a 1,328-test suite\n"
	"                   (CPython 3.12, bench/README.md \"bench/pycost\"):\n"
	"                   function about 2.2-2.3x plain pytest (1.9x into a\n"
	"                   state directory that recorded before), file 1.4x\n"
	"                   (boltons, 472 tests: 1.5x into a state directory\n"
	"                   that never recorded, 1.3x after);\n"
	"                   on 3.11.2's frame hook 1.9x (1.55x again); on 3.9\n"
	"                   and 3.10 the profile or trace hook, qualnames from\n"
	"                   the source\n"
	"  --keep-records   keep the raw records (<state dir>/runs/...) after ingest\n"
	"  -q, --quiet      no summary line on stderr\n"
	"  -h, --help       this help\n"
	"\n"
	"exit status: CMD's own status (128+N if killed by signal N); 127 if CMD\n"
	"could not be started; 64 on bad usage; 70 if CMD succeeded but the\n"
	"recording could not be saved (the message says where the records are);\n"
	"2 if the database belongs to another repository (a copied checkout, a\n"
	"shared FTRACE_DIR; nothing is run); 78 if .ftrace.json is invalid, or\n"
	"it, the state directory or the database is owned by another user or\n"
	"writable by others (nothing is run; allow one with $FTRACE_SAFE_DIRS:\n"
	"docs/usage.md, \"Trust\"); 64 if\n"
	"$FTRACE_GRANULARITY is not file, function or auto (nothing is run).\n";

char *ft_cmd_join_argv(char **argv)
{
	size_t n = 1;
	char *s, *p;

	for (char **a = argv; *a; a++)
		n += strlen(*a) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	for (char **a = argv; *a; a++) {
		size_t l = strlen(*a);
		if (p != s)
			*p++ = ' ';
		memcpy(p, *a, l);
		p += l;
	}
	*p = '\0';
	return s;
}

int ft_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "keep-records", no_argument, NULL, 'k' },
		{ "no-prelude-split", no_argument, NULL, 'P' },
		{ "granularity", required_argument, NULL, 'G' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL;
	unsigned flags = 0;
	int opt, gran;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			if (!*name) {
				ft_cmd_error("run: --name needs a non-empty name");
				return FT_EXIT_USAGE;
			}
			break;
		case 'k': flags |= FT_RUN_KEEP; break;
		case 'P': flags |= FT_RUN_NO_SPLIT; break;
		case 'q': flags |= FT_RUN_QUIET; break;
		case 'G':
			/* The plugin reads it at import and removes it from the
			 * environment its tests see. */
			flags |= FT_RUN_GRANULARITY;
			if ((gran = ft_cmd_granularity_parse(optarg)) < 0) {
				ft_cmd_error("run: --granularity must be 'file', 'function' or 'auto', not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			ft_cmd_granularity_set(gran);
			break;
		case 'h': fputs(ft_run_usage, stdout); return FT_EXIT_OK;
		default: fputs(ft_run_usage, stderr); return FT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		ft_cmd_error("run: no command given; usage: ftrace run [--name NAME] -- CMD [ARGS...]");
		return FT_EXIT_USAGE;
	}

	return ft_cmd_run_argv(argv + optind, name, flags);
}
