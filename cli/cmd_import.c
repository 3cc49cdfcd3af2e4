/*
 * cmd_import.c - `ftrace import [--force] FILE`: a bundle into this
 * checkout's database (store/ft_store_share.h; docs/usage.md, "Sharing a
 * recording").
 *
 * Order matters for the promise "corrupt input leaves the database as it
 * was": the whole bundle is read and checked (magic, version, length,
 * checksum, every index) before the database is opened for writing, and
 * the import itself is one transaction, rolled back on any failure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ft_bundle.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_statedir.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_store_share.h"
#include "share.h"

static const char usage_text[] =
"usage: ftrace import [--force] FILE\n"
"\n"
"Take in a bundle that `ftrace export` wrote (on another checkout or machine\n"
"of this repository): its tests and the states of what they read, paths in\n"
"the repository rebased onto this checkout's top.  A test recorded here more\n"
"recently than in the bundle keeps this recording; tests only here stay.\n"
"Nothing in a bundle is ever run.  `ftrace affected` then answers as on the\n"
"exporting checkout: a dependency outside the repository that differs on\n"
"this machine (another interpreter, a missing library) selects its tests.\n"
"\n"
"options:\n"
"  --force      import a bundle of another repository (its root commits\n"
"               differ from this checkout's and its HEAD commit is not in\n"
"               this repository, or one side has no git)\n"
"  -h, --help   this text\n"
"\n"
"exit status: 0 imported; 2 refused, the database unchanged (FILE corrupt,\n"
"truncated, not a bundle, a newer format, another repository's; a corrupt\n"
"database or another tree's here); 64 bad usage; 70 internal error (out of\n"
"memory); 78 a state directory another user owns.\n";

/* The bundle's repository against this checkout's: 0, or the exit status. */
static int same_repo(const struct ft_bundle *b, const char *top, const char *file, int force)
{
	const char *theirs = ft_bundle_meta(b, FT_BUNDLE_FP_REPO);
	const char *their_head = ft_bundle_meta(b, FT_BUNDLE_FP_HEAD);
	char mine[4096], head[128];

	ft_share_git(top, mine, sizeof(mine), head, sizeof(head));
	if (!theirs)
		theirs = "";
	if (!strcmp(mine, theirs) || force)
		return 0;
	/* a shallow clone (CI's fetch-depth) takes its boundary for roots:
	 * the bundle's HEAD, known here, says the same repository */
	if (their_head && ft_share_has_commit(top, their_head))
		return 0;
	ft_cmd_error("import: %s was exported from another repository (root commit %s), not "
		     "this one at %s (%s): its recording does not describe this tree. "
		     "`ftrace import --force` takes it anyway", file,
		     theirs[0] ? theirs : "none: no git", top, mine[0] ? mine : "no git");
	return FT_EXIT_UNKNOWN;
}

static int import_db(struct ft_share_where *w, const struct ft_bundle *b, const char *file)
{
	struct ft_store_import_stats stats;
	struct ft_store *st = NULL;
	struct ft_err err;
	mode_t old_mask;
	int rc;

	if ((rc = ft_statedir_make(w->state_dir)) < 0) {
		ft_cmd_error("import: cannot create the state directory %s: %s", w->state_dir,
			     ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	ft_cmd_lock_wait(1);
	/* owner-only, as `ftrace run` makes it */
	old_mask = umask(077);
	rc = ft_store_open(&st, w->db, FT_STORE_CREATE);
	umask(old_mask);
	if (rc < 0) {
		ft_store_err(NULL, rc, &err);
		ft_cmd_error("import: %s: %s", w->db, ft_err_msg(&err));
		return rc == -ENOMEM ? FT_EXIT_SOFTWARE : FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_store_repo_check(st, w->top, 1, &err)) < 0) {
		ft_cmd_error("import: %s: %s", w->db, rc == FT_EREPO ? ft_err_msg(&err) : ft_strerror(rc));
		ft_store_close(st);
		return FT_EXIT_UNKNOWN;
	}
	rc = ft_store_import(st, b, w->top, &stats);
	if (rc < 0) {
		/* a full disk says where, like the database's own failures */
		if (rc == -ENOSPC)
			ft_store_err(st, rc, &err);
		else
			ft_store_err_db(st, rc, &err);
		ft_cmd_error("import: %s was not imported into %s (unchanged): %s", file, w->db,
			     ft_err_msg(&err));
		ft_store_close(st);
		return rc == -ENOMEM ? FT_EXIT_SOFTWARE : FT_EXIT_UNKNOWN;
	}
	ft_store_close(st);
	fprintf(stderr, "ftrace: import: %zu test%s imported from %s, %zu kept (recorded here "
		"since)\n", stats.imported, stats.imported == 1 ? "" : "s", file, stats.kept);
	return FT_EXIT_OK;
}

static int import_main(int argc, char **argv, struct ft_bundle *b)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_share_where w;
	int opt, force = 0, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		ft_cmd_error("import: %s", optind < argc ? "one FILE only" : "FILE is missing");
		fputs(usage_text, stderr);
		return FT_EXIT_USAGE;
	}
	if ((status = ft_share_read("import", b, argv[optind])) != 0)
		return status;
	if ((status = ft_share_locate("import", &w)) != 0)
		return status;
	if ((status = same_repo(b, w.top, argv[optind], force)) != 0)
		return status;
	return import_db(&w, b, argv[optind]);
}

int ft_cmd_import(int argc, char **argv)
{
	struct ft_bundle b = { 0 };
	int status = import_main(argc, argv, &b);

	ft_bundle_release(&b);
	return status;
}
