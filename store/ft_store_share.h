/*
 * ft_store_share.h - a recording to and from a bundle (common/ft_bundle.h):
 * `ftrace export`, `ftrace import` (docs/internals.md, "Bundles").
 *
 * Export writes what selection reads, made relative where it lies in the
 * repository: the tests, their sets (states), the runs they name (the
 * runner lists of the runs' metadata as JSON text, with the top as
 * FT_BUNDLE_TOP_TOKEN),
 * the listings, the flaky marks and the Python tables function
 * granularity reads (ft_store_share_int.h).  Not the stat cache nor the
 * fingerprint cache (stat results and boot ids are this machine's: an
 * imported state is verified by content), not the runs no test names.
 *
 * Import merges a bundle into this database in one write transaction:
 * each bundle test whose recording is not older than this database's
 * recording of it replaces it (its sets, outcome, run), the others keep
 * theirs; tests only here stay.  Relative paths are made absolute under
 * this checkout's `top`.  The commit writes the tests' digest and drops
 * what nothing references, as a run's does.  A failure rolls everything
 * back: the database is as before.
 *
 * Errors: FT_ECORRUPT (the database, before export, or the bundle's
 * content: an unknown dependency kind or outcome; the detail in
 * ft_store_err), FT_EDB, -ENOMEM, FT_ETOOLONG, FT_EUSAGE (a top that
 * cannot be written into JSON as a token, or "/").
 */
#ifndef FT_STORE_SHARE_H
#define FT_STORE_SHARE_H

#include <stddef.h>

struct ft_store;
struct ft_bundle;

/* Append the database's recording to `b` (its meta is the caller's).
 * Call inside a read transaction, after ft_store_verify(). */
int ft_store_export(struct ft_store *st, const char *top, struct ft_bundle *b);

struct ft_store_import_stats {
	size_t imported;   /* tests taken from the bundle */
	size_t kept;       /* tests whose local recording is newer */
};

int ft_store_import(struct ft_store *st, const struct ft_bundle *b, const char *top,
		    struct ft_store_import_stats *stats);

#endif
