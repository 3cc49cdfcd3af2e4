/*
 * cmd_hook.c - `ftrace hook install [--command CMD] [--force]` and
 * `ftrace hook uninstall`: the git pre-commit hook (docs/hooks.md).
 *
 * The hook is a shell script that git runs before each commit.  It runs
 * `ftrace test -- CMD` (or `ftrace test`, which takes the command from
 * .ftrace.json at commit time) against what is being committed: unstaged
 * edits and untracked files are stashed first and put back afterwards, even
 * when the tests fail or the hook is interrupted.
 *
 * A hook ftrace did not write is never overwritten silently: install
 * refuses, and with --force keeps it as pre-commit.local, which ftrace's
 * hook runs first.  A hook is ftrace's when it holds FT_HOOK_MARKER; only
 * such a hook is replaced by install or removed by uninstall.
 */
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
#include "ft_file.h"

#define FT_HOOK_MARKER "# ftrace-managed-hook v1"
#define FT_EXIT_REFUSED 1

static const char usage_text[] =
"usage: ftrace hook install [--command \"CMD\"] [--force]\n"
"       ftrace hook uninstall\n"
"\n"
"install    write the git pre-commit hook (in `git rev-parse --git-path hooks`,\n"
"           so core.hooksPath is respected).  It runs `ftrace test -- CMD` on\n"
"           what is being committed: unstaged edits and untracked files are\n"
"           stashed for the run and restored afterwards.  CMD is shell words\n"
"           (`--command \"python3 -m pytest -q\"`); without --command the hook\n"
"           runs `ftrace test`, which reads \"command\" from .ftrace.json.\n"
"  --force  replace a pre-commit hook ftrace did not write: it is kept as\n"
"           pre-commit.local and run first by ftrace's hook\n"
"uninstall  remove ftrace's hook (never another one) and put pre-commit.local\n"
"           back in its place\n"
"\n"
"exit status: 0 done; 1 refused (a hook ftrace did not write is in the way);\n"
"64 bad usage or no command; 70 internal error (not a git repository, ...);\n"
"78 invalid .ftrace.json, or one another user can write ($FTRACE_SAFE_DIRS).\n";

/* The hook's text after the FTRACE= line.  Why each step, in order:
 *  - pre-commit.local first: it is the user's own hook, and a failure there
 *    refuses the commit as it did before ftrace was installed;
 *  - `git stash push --keep-index --include-untracked` leaves exactly the
 *    index in the work tree (the pre-commit framework does the same);
 *  - restoring by checking out the stash's trees, not `git stash pop`: pop
 *    merges, and a file with staged and unstaged edits to nearby lines
 *    would conflict and leave the user's edits in the stash only. */
static const char hook_body[] =
"hookdir=$(cd \"$(dirname \"$0\")\" && pwd)\n"
"if [ -x \"$hookdir/pre-commit.local\" ]; then\n"
"\t\"$hookdir/pre-commit.local\" \"$@\" || exit $?\n"
"fi\n"
"\n"
"# Test what is being committed: set unstaged edits and untracked files aside\n"
"# (only when there are some: stashing rewrites the staged files too).\n"
"before=$(git rev-parse -q --verify refs/stash || true)\n"
"after=$before\n"
"if ! git diff --quiet || [ -n \"$(git ls-files --others --exclude-standard | head -1)\" ]; then\n"
"\tgit stash push --keep-index --include-untracked -q -m 'ftrace pre-commit' || {\n"
"\t\techo 'ftrace pre-commit: cannot stash the unstaged changes; commit refused' >&2\n"
"\t\texit 1\n"
"\t}\n"
"\tafter=$(git rev-parse -q --verify refs/stash || true)\n"
"fi\n"
"restore() {\n"
"\t[ \"$before\" != \"$after\" ] || return 0\n"
"\tindex_tree=$(git write-tree)\n"
"\tgit read-tree --reset -u \"$after\" &&\n"
"\tgit read-tree \"$index_tree\" &&\n"
"\tif git rev-parse -q --verify \"$after^3\" >/dev/null; then\n"
"\t\ttmp_index=$(git rev-parse --git-path ftrace-untracked.index) &&\n"
"\t\tGIT_INDEX_FILE=$tmp_index git read-tree \"$after^3\" &&\n"
"\t\tGIT_INDEX_FILE=$tmp_index git checkout-index -a -f &&\n"
"\t\trm -f \"$tmp_index\"\n"
"\tfi &&\n"
"\t[ \"$(git rev-parse -q --verify 'stash@{0}')\" = \"$after\" ] &&\n"
"\tgit stash drop -q 'stash@{0}' || {\n"
"\t\techo \"ftrace pre-commit: could not restore the unstaged changes; they are in $after (git stash list)\" >&2\n"
"\t\treturn 1\n"
"\t}\n"
"\tafter=$before\n"
"}\n"
"trap 'restore || exit 1' EXIT\n"
"trap 'exit 130' INT\n"
"trap 'exit 143' TERM\n"
"\n";

static int git_hooks_dir(char *out, size_t cap)
{
	FILE *p = popen("git rev-parse --git-path hooks 2>/dev/null", "r");
	size_t n;
	int st;

	if (!p)
		return -errno;
	if (!fgets(out, (int)cap, p))
		out[0] = '\0';
	st = pclose(p);
	n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	if (st != 0 || !n)
		return FT_EUSAGE;
	return 0;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* 1 when path is a hook ftrace wrote, 0 when it is someone else's, -errno
 * when it cannot be read (ENOENT: there is none). */
static int is_ours(const char *path)
{
	char line[512];
	FILE *f = ft_file_fopen(path, FT_FILE_FOLLOW);
	int ours = 0;

	if (!f)
		return -errno;
	for (int i = 0; i < 5 && fgets(line, sizeof(line), f); i++)
		if (!strncmp(line, FT_HOOK_MARKER, strlen(FT_HOOK_MARKER)))
			ours = 1;
	fclose(f);
	return ours;
}

/* Single-quote s for sh. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static int write_hook(const char *path, const char *self, const char *command)
{
	char tmp[PATH_MAX + 64];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.ftrace-tmp", path);
	/* a stale temp file of ours, or a link planted at its name: gone, then
	 * created afresh (never written through) */
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	fprintf(f, "#!/bin/sh\n" FT_HOOK_MARKER "\n"
		"# Installed by `ftrace hook install`; `ftrace hook uninstall` removes it.\n"
		"# Runs the tests the staged changes can affect (docs/hooks.md).\n"
		"FTRACE=${FTRACE:-");
	put_quoted(f, self);
	fputs("}\n", f);
	fputs(hook_body, f);
	if (command)
		fprintf(f, "\"$FTRACE\" test -- %s\n", command);
	else
		fputs("\"$FTRACE\" test\n", f);
	if (ferror(f) | fclose(f)) {
		unlink(tmp);
		return -EIO;
	}
	if (chmod(tmp, 0755) < 0 || rename(tmp, path) < 0) {
		int e = -errno;
		unlink(tmp);
		return e;
	}
	return 0;
}

static int install(const char *hooks, const char *command, int force)
{
	char hook[PATH_MAX + 16], local[PATH_MAX + 32], self[PATH_MAX];
	ssize_t n;
	int rc;

	snprintf(hook, sizeof(hook), "%s/pre-commit", hooks);
	snprintf(local, sizeof(local), "%s/pre-commit.local", hooks);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		ft_cmd_error("hook: cannot find the ftrace binary: %s", strerror(errno));
		return FT_EXIT_SOFTWARE;
	}
	self[n] = '\0';
	rc = is_ours(hook);
	if (rc == 0) {
		if (!force) {
			ft_cmd_error("hook: %s exists and was not written by ftrace; not replaced "
				     "(--force keeps it as pre-commit.local and runs it first)", hook);
			return FT_EXIT_REFUSED;
		}
		if (access(local, F_OK) == 0) {
			ft_cmd_error("hook: %s exists too; move one of them away first", local);
			return FT_EXIT_REFUSED;
		}
		if (rename(hook, local) < 0) {
			ft_cmd_error("hook: cannot move %s to %s: %s", hook, local, strerror(errno));
			return FT_EXIT_SOFTWARE;
		}
		fprintf(stderr, "ftrace: kept the existing hook as %s; it runs first\n", local);
	} else if (rc < 0 && rc != -ENOENT) {
		ft_cmd_error("hook: cannot read %s: %s", hook, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if ((rc = write_hook(hook, self, command)) < 0) {
		ft_cmd_error("hook: cannot write %s: %s", hook, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	fprintf(stderr, "ftrace: installed %s (runs: ftrace test%s%s)\n", hook,
		command ? " -- " : ", command from " FT_CONFIG_FILE, command ? command : "");
	return FT_EXIT_OK;
}

static int uninstall(const char *hooks)
{
	char hook[PATH_MAX + 16], local[PATH_MAX + 32];
	int rc;

	snprintf(hook, sizeof(hook), "%s/pre-commit", hooks);
	snprintf(local, sizeof(local), "%s/pre-commit.local", hooks);
	rc = is_ours(hook);
	if (rc == -ENOENT) {
		fprintf(stderr, "ftrace: no pre-commit hook in %s: nothing to remove\n", hooks);
		return FT_EXIT_OK;
	}
	if (rc == 0) {
		ft_cmd_error("hook: %s was not written by ftrace; left as it is", hook);
		return FT_EXIT_REFUSED;
	}
	if (rc < 0) {
		ft_cmd_error("hook: cannot read %s: %s", hook, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if (unlink(hook) < 0) {
		ft_cmd_error("hook: cannot remove %s: %s", hook, strerror(errno));
		return FT_EXIT_SOFTWARE;
	}
	if (access(local, F_OK) == 0) {
		if (rename(local, hook) < 0) {
			ft_cmd_error("hook: removed ftrace's hook, but cannot put %s back: %s", local,
				     strerror(errno));
			return FT_EXIT_SOFTWARE;
		}
		fprintf(stderr, "ftrace: removed ftrace's hook; %s is the pre-commit hook again\n", local);
	} else {
		fprintf(stderr, "ftrace: removed %s\n", hook);
	}
	return FT_EXIT_OK;
}

int ft_cmd_hook(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char hooks[PATH_MAX];
	struct ft_err err;
	const char *command = NULL, *verb;
	struct ft_config cfg;
	int force = 0, opt, rc;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? FT_EXIT_USAGE : FT_EXIT_OK;
	}
	verb = argv[1];
	if (strcmp(verb, "install") && strcmp(verb, "uninstall")) {
		ft_cmd_error("hook: '%s' is not install or uninstall", verb);
		return FT_EXIT_USAGE;
	}
	optind = 1;
	while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': command = optarg; break;
		case 'f': force = 1; break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (optind < argc - 1) {
		ft_cmd_error("hook: unexpected argument '%s'", argv[optind + 1]);
		return FT_EXIT_USAGE;
	}
	if (!strcmp(verb, "uninstall") && (command || force)) {
		ft_cmd_error("hook: uninstall takes no options");
		return FT_EXIT_USAGE;
	}
	if (command && (!command[strspn(command, " \t")] || strpbrk(command, "\n\r"))) {
		ft_cmd_error("hook: --command must be one non-empty line");
		return FT_EXIT_USAGE;
	}
	if ((rc = git_hooks_dir(hooks, sizeof(hooks))) < 0) {
		ft_cmd_error("hook: not in a git repository (`git rev-parse --git-path hooks` failed)");
		return FT_EXIT_SOFTWARE;
	}
	if (!strcmp(verb, "uninstall"))
		return uninstall(hooks);
	/* Without --command, the hook relies on the config's: check it now,
	 * rather than refusing every commit later. */
	if (!command) {
		rc = ft_config_find_load(&cfg, &err);
		if (rc < 0) {
			ft_cmd_error("hook: %s", ft_err_msg(&err));
			return rc == FT_ECONFIG || rc == FT_EUNSAFE ? FT_EXIT_CONFIG : FT_EXIT_SOFTWARE;
		}
		rc = cfg.command != NULL;
		ft_config_release(&cfg);
		if (!rc) {
			ft_cmd_error("hook: no command: pass --command \"<test command>\" or set \"command\" in %s",
				     FT_CONFIG_FILE);
			return FT_EXIT_USAGE;
		}
	}
	if ((rc = mkdir_p(hooks)) < 0) {
		ft_cmd_error("hook: cannot create %s: %s", hooks, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	return install(hooks, command, force);
}
