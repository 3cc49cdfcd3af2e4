/*
 * cmd_records.c - `ftrace records RUN_DIR`: dump the raw records of a run,
 * one line each, for debugging and for the interposer's integration tests.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_reclog.h"

static const char ft_records_help[] =
	"usage: ftrace records [--help] RUN_DIR\n"
	"\n"
	"Print every committed record of the region files (r-<pid>-<seq>.rec) in\n"
	"RUN_DIR, region by region (sorted by pid, then seq), one line each:\n"
	"\n"
	"  <pid> <context> <TYPE> <op> <err> <flags> <data>\n"
	"\n"
	"  pid      the process that created the region\n"
	"  context  the test current when the record was written; '-' is the\n"
	"           session prelude (\"\")\n"
	"  TYPE     ACCESS, CONTEXT, BEGIN, END, UNTRACED, TUNTRACED, PROC,\n"
	"           TIMES (a file's stat before and after a utime: ingest's\n"
	"           evidence that only its times changed), EXIT (how a\n"
	"           process ended) or ENV (an environment variable read);\n"
	"           ARGV (a line after PROC: [the process's arguments], escaped);\n"
	"           CWD (after ARGV: the image's directory at its start)\n"
	"  op       for ACCESS the operation (open, stat, lstat, access, readlink,\n"
	"           realpath, opendir, getdents, exec, exec-search, spawn, libload,\n"
	"           dlopen, chdir, mkdir, rename-from, rename-to, unlink, rmdir,\n"
	"           link-from, link-to, symlink-to, truncate, creat, fopen, chmod,\n"
	"           chown, utime); '-' otherwise\n"
	"  err      0, or the errno name of the failed call (ENOENT, ...)\n"
	"  flags    ACCESS: class letters, in this order:\n"
	"             r read  w write  c create  t truncate  d delete  s stat\n"
	"             n nofollow  l list  x exec  k link  h chdir  b library\n"
	"             m mode, owner or times changed (chmod, chown, utime)\n"
	"             e exclusive create (O_CREAT|O_EXCL: a new file)\n"
	"           END: passed, failed, skipped, error or unknown\n"
	"           CONTEXT: scan (a runner scanning the tree: docs/jest.md),\n"
	"             startup-end (a runner's start-up is over: docs/pytest.md)\n"
	"           UNTRACED, TUNTRACED: static, setuid, go, noregion, unknown,\n"
	"           foreign (a 32-bit or musl program) or rawsys (Go code in a\n"
	"           library, io_uring)\n"
	"           EXIT: self (the ptrace back end saw it end) or reaped (its\n"
	"             parent's wait returned it)\n"
	"           '-' when there is nothing to show\n"
	"  data     the path (ACCESS, TIMES), test id (also TUNTRACED), or program (PROC,\n           UNTRACED), to the\n"
	"           end of the line; EXIT: '<pid> exited <code>' or\n"
	"           '<pid> killed <signal>'; ENV: the variable's name ('=': all)\n"
	"\n"
	"Bytes outside printable ASCII, and backslash, are escaped as \\n, \\t,\n"
	"\\\\ or \\xNN; in <context> a space is escaped as \\x20 too.\n"
	"\n"
	"Exit status: 0; 2 when a region was damaged (records may be missing;\n"
	"the count is printed on stderr); 64 for bad usage; 70 if RUN_DIR\n"
	"cannot be read.\n";

static const char *const ft_op_names[FT_OP__COUNT] = {
	[FT_OP__NONE] = "-",
#define FT__OP_NAME(name, str, cls) [FT_OP_##name] = str,
	FT_OPS(FT__OP_NAME)
#undef FT__OP_NAME
};

static const char *const ft_type_names[] = {
	[FT_REC_ACCESS] = "ACCESS", [FT_REC_CONTEXT] = "CONTEXT", [FT_REC_TEST_BEGIN] = "BEGIN",
	[FT_REC_TEST_END] = "END", [FT_REC_UNTRACED] = "UNTRACED", [FT_REC_PROC] = "PROC",
	[FT_REC_TEST_UNTRACED] = "TUNTRACED", [FT_REC_TIMES] = "TIMES",
	[FT_REC_EXIT] = "EXIT", [FT_REC_ENV] = "ENV",
};

static const char *const ft_outcome_names[] = {
	[FT_OUTCOME_UNKNOWN] = "unknown", [FT_OUTCOME_PASSED] = "passed",
	[FT_OUTCOME_FAILED] = "failed", [FT_OUTCOME_SKIPPED] = "skipped",
	[FT_OUTCOME_ERROR] = "error",
};

static const char *const ft_untraced_names[] = {
	[FT_UNTRACED_STATIC] = "static", [FT_UNTRACED_SETUID] = "setuid",
	[FT_UNTRACED_GO] = "go", [FT_UNTRACED_NOREGION] = "noregion",
	[FT_UNTRACED_UNKNOWN] = "unknown", [FT_UNTRACED_FOREIGN] = "foreign",
	[FT_UNTRACED_RAWSYS] = "rawsys", [FT_UNTRACED_USER] = "user",
	[FT_UNTRACED_CHROOT] = "chroot", [FT_UNTRACED_CAPS] = "caps",
	[FT_UNTRACED_PARTIAL] = "partial",
};

static const struct { uint32_t bit; char letter; } ft_class_letters[] = {
	{ FT_AC_READ, 'r' }, { FT_AC_WRITE, 'w' }, { FT_AC_CREATE, 'c' }, { FT_AC_TRUNC, 't' },
	{ FT_AC_DELETE, 'd' }, { FT_AC_STAT, 's' }, { FT_AC_NOFOLLOW, 'n' }, { FT_AC_LIST, 'l' },
	{ FT_AC_EXEC, 'x' }, { FT_AC_LINK, 'k' }, { FT_AC_CHDIR, 'h' }, { FT_AC_LIB, 'b' },
	{ FT_AC_ATTR, 'm' }, { FT_AC_EXCL, 'e' },
};

struct ft_records_state {
	const struct ft_region_hdr *hdr; /* region whose context is below */
	char context[FT_ID_MAX * 4 + 8]; /* escaped */
};

static void ft_escape(FILE *out, const char *s, size_t len, int space_too)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\')
			fputs("\\\\", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c >= 0x7f || (space_too && c == ' '))
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

static void ft_set_context(struct ft_records_state *st, const struct ft_record *rec)
{
	FILE *m;

	if (!rec->len) {
		strcpy(st->context, "-");
		return;
	}
	m = fmemopen(st->context, sizeof(st->context), "w");
	if (!m) {
		strcpy(st->context, "?");
		return;
	}
	if (rec->len == 1 && rec->data[0] == '-')
		fputs("\\x2d", m); /* a test really named "-" */
	else
		ft_escape(m, rec->data, rec->len, 1);
	fclose(m);
}

static const char *ft_errname(int err)
{
	static char buf[16];
	const char *name;

	if (!err)
		return "0";
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

static int ft_print_record(void *arg, const struct ft_reclog_region *region,
			   const struct ft_record *rec)
{
	struct ft_records_state *st = arg;
	char flags[32];
	size_t nf = 0;

	if (st->hdr != region->hdr) {
		st->hdr = region->hdr;
		strcpy(st->context, "-");
	}
	if (rec->type == FT_REC_CONTEXT || rec->type == FT_REC_TEST_BEGIN)
		ft_set_context(st, rec);

	if (rec->type == FT_REC_ACCESS) {
		for (size_t i = 0; i < sizeof(ft_class_letters) / sizeof(ft_class_letters[0]); i++)
			if (rec->flags & ft_class_letters[i].bit)
				flags[nf++] = ft_class_letters[i].letter;
		flags[nf] = '\0';
	} else if (rec->type == FT_REC_TEST_END && rec->flags <= FT_OUTCOME_ERROR) {
		/* "failed", or with the runner's own duration "failed,1234ms" */
		if (rec->aux)
			snprintf(flags, sizeof(flags), "%s,%lums", ft_outcome_names[rec->flags],
				 (unsigned long)rec->aux - 1);
		else
			strcpy(flags, ft_outcome_names[rec->flags]);
	} else if ((rec->type == FT_REC_UNTRACED || rec->type == FT_REC_TEST_UNTRACED) &&
		   rec->flags >= FT_UNTRACED_STATIC &&
		   rec->flags <= FT_UNTRACED_PARTIAL) {
		strcpy(flags, ft_untraced_names[rec->flags]);
	} else if (rec->type == FT_REC_CONTEXT && rec->flags == FT_CONTEXT_SCAN) {
		strcpy(flags, "scan");
	} else if (rec->type == FT_REC_CONTEXT && rec->flags == FT_CONTEXT_STARTUP_END) {
		strcpy(flags, "startup-end");
	} else if (rec->type == FT_REC_CONTEXT && rec->flags == FT_CONTEXT_COLLECT) {
		strcpy(flags, "collect");
	} else if (rec->type == FT_REC_EXIT && (rec->flags == FT_EXIT_SELF || rec->flags == FT_EXIT_REAPED)) {
		strcpy(flags, rec->flags == FT_EXIT_SELF ? "self" : "reaped");
	} else if (rec->type == FT_REC_PROC) {
		flags[0] = '\0'; /* the argv, if any, is printed after the program */
	} else if (rec->flags) {
		snprintf(flags, sizeof(flags), "0x%x", (unsigned)rec->flags);
	} else {
		flags[0] = '\0';
	}
	printf("%d %s %s %s %s %s ", (int)region->hdr->pid, st->context, ft_type_names[rec->type],
	       rec->type == FT_REC_ACCESS ? ft_op_names[rec->op] : "-", ft_errname(rec->err),
	       flags[0] ? flags : "-");
	if (rec->type == FT_REC_PROC && (rec->flags & FT_PROC_ARGV)) {
		/* PROC prints the program as before; its argv follows on a line
		 * of its own, "ARGV - 0 - [a b ...]" (flags "cut" when it was
		 * cut short), each argument escaped, spaces too; the brackets
		 * keep a line that ends in a path an ACCESS line */
		size_t exe = strnlen(rec->data, rec->len);
		ft_escape(stdout, rec->data, exe, 0);
		printf("\n%d %s ARGV - 0 %s [", (int)region->hdr->pid, st->context,
		       rec->flags & FT_PROC_ARGV_TRUNC ? "cut" : "-");
		size_t end = rec->len, cwd = rec->len;
		/* FT_PROC_CWD: the last string is the cwd, on a CWD line */
		if (rec->flags & FT_PROC_CWD) {
			while (end > exe + 1 && rec->data[end - 1] == '\0')
				end--;
			while (end > exe + 1 && rec->data[end - 1] != '\0')
				end--;
			cwd = end;
		}
		for (size_t i = exe + 1; i < end;) {
			size_t a = strnlen(rec->data + i, end - i);
			if (i > exe + 1)
				putchar(' ');
			ft_escape(stdout, rec->data + i, a, 1);
			i += a + 1;
		}
		putchar(']');
		if (cwd < rec->len) {
			printf("\n%d %s CWD - 0 - ", (int)region->hdr->pid, st->context);
			ft_escape(stdout, rec->data + cwd, strnlen(rec->data + cwd, rec->len - cwd), 0);
		}
	} else if (rec->type == FT_REC_EXIT) {
		/* "<pid> exited <code>" or "<pid> killed <signal>" */
		struct ft_rec_exit e;
		memcpy(&e, rec->data, sizeof(e));
		if (WIFSIGNALED(e.wstatus))
			printf("%d killed %d", (int)e.pid, WTERMSIG(e.wstatus));
		else
			printf("%d exited %d", (int)e.pid, WEXITSTATUS(e.wstatus));
	} else if (rec->type == FT_REC_TIMES) {
		/* the path after the binary struct ft_times */
		ft_escape(stdout, rec->data + sizeof(struct ft_times), rec->len - sizeof(struct ft_times), 0);
	} else {
		ft_escape(stdout, rec->data, rec->len, 0);
	}
	putchar('\n');
	return 0;
}

int ft_cmd_records(int argc, char **argv)
{
	struct ft_records_state st = { 0 };
	struct ft_reclog_stats stats;
	const char *dir = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(ft_records_help, stdout);
			return FT_EXIT_OK;
		}
		if (argv[i][0] == '-' && strcmp(argv[i], "-") && !dir) {
			ft_cmd_error("records: unknown option '%s'; see 'ftrace records --help'", argv[i]);
			return FT_EXIT_USAGE;
		}
		if (dir) {
			ft_cmd_error("records: one RUN_DIR expected; see 'ftrace records --help'");
			return FT_EXIT_USAGE;
		}
		dir = argv[i];
	}
	if (!dir) {
		ft_cmd_error("records: RUN_DIR missing; see 'ftrace records --help'");
		return FT_EXIT_USAGE;
	}
	rc = ft_reclog_each(dir, ft_print_record, &st, &stats);
	if (fflush(stdout) != 0) {
		ft_cmd_error("records: writing the output failed");
		return FT_EXIT_SOFTWARE;
	}
	if (rc < 0) {
		ft_cmd_error("records: cannot read run directory %s: %s", dir, ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	if (stats.refused)
		ft_cmd_error("records: %s/%s%s is not a regular file (a FIFO, link or device): not read; "
			     "remove it if you did not put it there", dir,
			     stats.refused_name, stats.refused > 1 ? " (and others)" : "");
	if (stats.damaged) {
		ft_cmd_error("records: %zu of %zu regions in %s are damaged; records may be missing",
			     stats.damaged, stats.regions, dir);
		return FT_EXIT_UNKNOWN;
	}
	return FT_EXIT_OK;
}
