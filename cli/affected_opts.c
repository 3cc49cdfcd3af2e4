/*
 * affected_opts.c - `ftrace affected`'s command line: its usage text and
 * its options (cli/affected.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "ft_cmd.h"
#include "ft_runners.h"

static const char usage_text[] =
"usage: ftrace affected [--format lines|null|ids|json|ctest|node|jest|go|cargo|nextest]\n"
"                       [--explain]\n"
"                       [--db PATH]\n"
"                       [--on-unknown=none|all] [--granularity=auto|function|file]\n"
"                       [--shard K/N]\n"
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
"                   out), and the directory of a changed conftest.py below\n"
"                   which every module is so printed as its path instead\n"
"                   (at or above pytest's rootdir: exit 2, in every format\n"
"                   but a runner's); other tests by\n"
"                   id.  Safe for xargs: a blank, quote\n"
"                   or backslash in a pytest node id or path gets a\n"
"                   backslash before it\n"
"  --format null    the same, unescaped, each followed by a NUL byte: the\n"
"                   pipeline that always works is\n"
"                   ftrace affected --format null | xargs -0 -r pytest\n"
"  --format ids     every affected test id, one per line, as recorded (no\n"
"                   pytest module paths; for scripts that compare ids, not\n"
"                   for running: a test added to a module has no id yet)\n"
"  --format json    {\"complete\":true,\"tests\":[{\"id\":...,\"reasons\":[{\"path\":...,\n"
"                   \"kind\":...,\"change\":...}]}],\"args\":[...]}: args is what\n"
"                   to run, as --format lines prints it\n"
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
"                   dependency, what changed (lines format only); and a\n"
"                   last line \"# watch daemon: used|not used ...\" when a\n"
"                   watch daemon was asked (--format json: \"watch\")\n"
"  --no-watch       stat every recorded path even when a watch daemon runs\n"
"                   (`ftrace watch start`, docs/watch.md); FTRACE_NO_WATCH=1\n"
"                   does the same\n"
"  --db PATH        the database to read (default: <state dir>/ftrace.db; the\n"
"                   state dir is $FTRACE_DIR, else .ftrace in the nearest\n"
"                   ancestor directory holding .git or .ftrace)\n"
"  --shard K/N   print only machine K's part (1 <= K <= N) of the selection\n"
"                split over N machines by recorded cost (each run's time\n"
"                shared among its tests), longest first into the least loaded\n"
"                shard, ties by id: every machine computes the same split, and\n"
"                the N parts together are the whole selection\n"
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
"      (allow one with $FTRACE_SAFE_DIRS), pytest's configuration changed so\n"
"      that it may collect tests no run recorded, ...): run all\n"
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

int affected_parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "explain", no_argument, NULL, 'e' },
		{ "db", required_argument, NULL, 'd' },
		{ "on-unknown", required_argument, NULL, 'u' },
		{ "granularity", required_argument, NULL, 'g' },
		{ "shard", required_argument, NULL, 's' },
		{ "no-watch", no_argument, NULL, 'W' },
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
		case 'W':
			o->no_watch = 1;
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
		case 's': {
			char *end;
			long k = strtol(optarg, &end, 10), n = 0;
			if (*end == '/')
				n = strtol(end + 1, &end, 10);
			if (*end || k < 1 || n < 1 || k > n || n > 10000) {
				ft_cmd_error("affected: --shard takes K/N with 1 <= K <= N <= 10000, not '%s'", optarg);
				return FT_EXIT_USAGE;
			}
			o->shard_k = (int)k;
			o->shard_n = (int)n;
			break;
		}
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
