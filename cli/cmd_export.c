/*
 * cmd_export.c - `ftrace export FILE`: this checkout's recording as a
 * bundle (common/ft_bundle.h; docs/usage.md, "Sharing a recording").
 *
 * The database is read in one read transaction, after ft_store_verify_whole:
 * a bundle is made from a recording that passed the checks selection
 * makes, so a flipped bit here is never laundered into a bundle with a
 * fresh checksum.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ft_bundle.h"
#include "ft_cmd.h"
#include "ft_error.h"
#include "ft_store.h"
#include "ft_store_repo.h"
#include "ft_store_select.h"
#include "ft_store_share.h"
#include "share.h"

static const char usage_text[] =
"usage: ftrace export FILE\n"
"\n"
"Write this checkout's recording to FILE, a bundle that `ftrace import`\n"
"takes in on another checkout or machine of the same repository: the tests,\n"
"the states of what they read (paths in the repository relative to its top),\n"
"their outcomes and runs, the listings and flaky marks, and a fingerprint\n"
"(the repository's root commits, HEAD, OS, machine).  Not the stat cache,\n"
"which is this machine's.  FILE is replaced atomically.\n"
"\n"
"options:\n"
"  -h, --help   this text\n"
"\n"
"exit status: 0 written; 2 nothing to export (no recording here, a corrupt\n"
"database, another tree's database); 64 bad usage; 70 FILE cannot be written;\n"
"78 a state directory another user owns.\n";

static int export_db(struct ft_share_where *w, struct ft_store *st, struct ft_bundle *b)
{
	struct ft_err err;
	int rc;

	if ((rc = ft_store_repo_check(st, w->top, 0, &err)) < 0) {
		if (rc == FT_EREPO)
			ft_cmd_error("export: %s: %s", w->db, ft_err_msg(&err));
		else
			ft_cmd_error("export: %s: %s", w->db, ft_strerror(rc));
		return FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_store_read_begin(st)) < 0) {
		ft_store_err(st, rc, &err);
		ft_cmd_error("export: %s: %s", w->db, ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	if ((rc = ft_store_verify_whole(st)) == 0)
		rc = ft_store_export(st, w->top, b);
	ft_store_read_end(st);
	if (rc == -ENOMEM) {
		ft_cmd_error("export: out of memory");
		return FT_EXIT_SOFTWARE;
	}
	if (rc < 0) {
		ft_store_err_db(st, rc, &err);
		ft_cmd_error("export: %s: %s", w->db, ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	return 0;
}

static int export_main(int argc, char **argv, struct ft_bundle *b)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ft_share_where w;
	struct ft_store *st = NULL;
	struct ft_err err;
	int opt, rc, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(usage_text, stdout); return FT_EXIT_OK;
		default: fputs(usage_text, stderr); return FT_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		ft_cmd_error("export: %s", optind < argc ? "one FILE only" : "FILE is missing");
		fputs(usage_text, stderr);
		return FT_EXIT_USAGE;
	}
	if ((status = ft_share_locate("export", &w)) != 0)
		return status;
	ft_cmd_lock_wait(0);
	if ((rc = ft_store_open(&st, w.db, FT_STORE_RDONLY)) < 0) {
		ft_store_err(NULL, rc, &err);
		ft_cmd_error("export: nothing to export: %s: %s", w.db,
			     rc == FT_ENORECORD ? "no recording yet (run `ftrace run` first)" :
			     ft_err_msg(&err));
		return FT_EXIT_UNKNOWN;
	}
	status = export_db(&w, st, b);
	ft_store_close(st);
	if (status)
		return status;
	if ((rc = ft_share_fingerprint(b, w.top)) < 0) {
		ft_cmd_error("export: out of memory");
		return FT_EXIT_SOFTWARE;
	}
	if ((rc = ft_bundle_write(b, argv[optind])) < 0) {
		ft_cmd_error("export: cannot write %s: %s", argv[optind], ft_strerror(rc));
		return FT_EXIT_SOFTWARE;
	}
	fprintf(stderr, "ftrace: export: %zu tests, %zu sets, %zu paths written to %s\n",
		b->ntests, b->nsets, b->npaths, argv[optind]);
	return FT_EXIT_OK;
}

int ft_cmd_export(int argc, char **argv)
{
	struct ft_bundle b = { 0 };
	int status = export_main(argc, argv, &b);

	ft_bundle_release(&b);
	return status;
}
