/*
 * ftrace.c - entry point: dispatch to a subcommand.
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "ft_cmd.h"
#include "ft_record.h"

struct ft_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	int hidden;
};

static const struct ft_command ft_commands[] = {
	{ "run", ft_cmd_run, "run a test command and record what each test touched", 0 },
	{ "affected", ft_cmd_affected, "print the tests that changes since the recording can affect", 0 },
	{ "test", ft_cmd_test, "run only the affected tests, and record them", 0 },
	{ "verify", ft_cmd_verify, "run the whole suite and report tests a selection missed (exit 99)", 0 },
	{ "flaky", ft_cmd_flaky, "list the tests learned flaky (outcome changed, nothing read did)", 0 },
	{ "stats", ft_cmd_stats, "show what the recording holds and what recent selections chose", 0 },
	{ "export", ft_cmd_export, "write the recording to a bundle another checkout can import", 0 },
	{ "import", ft_cmd_import, "take in a bundle that `ftrace export` wrote", 0 },
	{ "merge", ft_cmd_merge, "combine bundles (shards) of one repository into one", 0 },
	{ "watch", ft_cmd_watch, "start, stop or ask the daemon that keeps `affected` warm", 0 },
	{ "hook", ft_cmd_hook, "install or remove the git pre-commit hook", 0 },
	{ "ingest", ft_cmd_ingest, "save recordings that `ftrace run` kept unsaved", 0 },
	{ "records", ft_cmd_records, "dump raw records of a run directory (debugging)", 1 },
	{ FT_PTEXEC_CMD, ft_cmd_ptexec, "run a static program under ptrace (internal)", 1 },
};

void ft_cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ftrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fputs("usage: ftrace <command> [options]\n\n"
	      "Records which files each test touches, and selects the tests a change can affect.\n\n"
	      "commands:\n", out);
	for (size_t i = 0; i < sizeof(ft_commands) / sizeof(ft_commands[0]); i++)
		if (!ft_commands[i].hidden)
			fprintf(out, "  %-10s %s\n", ft_commands[i].name, ft_commands[i].summary);
	fputs("\n`ftrace <command> --help` describes each command.  See docs/usage.md.\n", out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return FT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return FT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		puts("ftrace " FT_VERSION);
		return FT_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(ft_commands) / sizeof(ft_commands[0]); i++)
		if (!strcmp(argv[1], ft_commands[i].name))
			return ft_commands[i].fn(argc - 1, argv + 1);
	ft_cmd_error("'%s' is not a command; see 'ftrace --help'", argv[1]);
	return FT_EXIT_USAGE;
}
