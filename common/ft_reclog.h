/*
 * ft_reclog.h - reading the region files of one run (see ft_record.h).
 *
 * The reader never trusts a region: a truncated file, a bad magic, a record
 * whose size runs past the end, or an uncommitted record is skipped and
 * counted in `damaged`, never followed.  A damaged region means records may
 * be missing, so the caller must treat the affected contexts as untraced.
 *
 * Ownership: ft_reclog_each() maps each file read-only, calls back with
 * pointers into the mapping, and unmaps it afterwards; copy what you keep.
 */
#ifndef FT_RECLOG_H
#define FT_RECLOG_H

#include <stddef.h>

#include "ft_record.h"

struct ft_reclog_region {
	const char *file;                  /* path of the region file */
	const struct ft_region_hdr *hdr;   /* validated header */
};

/* Called for each committed record in file order.  Return non-zero to stop. */
typedef int (*ft_reclog_fn)(void *arg, const struct ft_reclog_region *region,
			    const struct ft_record *rec);

struct ft_reclog_stats {
	size_t regions;    /* region files read */
	size_t records;    /* committed records delivered */
	size_t damaged;    /* regions with a bad header or cut-short/uncommitted records
			    * (refused files included) */
	size_t refused;    /* r-*.rec names that are no regular file (a FIFO, a
			    * symlink, a device, a directory): never opened for
			    * reading, never followed; counted damaged too */
	char refused_name[256]; /* the first of them, for the message */
	size_t unrecorded; /* `lost-<pid>-<errno>` marks: processes that could
			    * not write a region (a full disk) and stopped
			    * recording; the caller treats the run as damaged */
	int unrecorded_err;/* the errno of the first of them */
	int ledger;        /* the run dir has a ledger (FT_LEDGER_NAME) that was
			    * read: a regular file, no link */
	size_t unlisted_bad; /* ledger lines that name no region file */
	size_t ledger_gone;/* regions the ledger lists that are not in the run
			    * dir: removed during the run */
	char gone_name[256]; /* the first of them, for the message */
};

/* Walk every `r-*.rec` file in `run_dir`, in a stable (sorted) order, and
 * check them against the run's ledger if there is one (ft_record.h): a
 * listed region that is not there counts in `ledger_gone`.  Whether a
 * ledger was required is the launcher region's to say (FT_REGION_LEDGER);
 * the caller judges.  The ledger is read as the regions are: relative to
 * the directory, O_NOFOLLOW | O_NONBLOCK, a regular file only, at most
 * 64 MiB. 
 * Each is opened relative to the directory, O_NOFOLLOW | O_NONBLOCK, and
 * refused unless it is a regular file (ft_file.h): a FIFO there never
 * blocks the walk, and the other regions are still read.
 * Returns 0, a negative FT_E* code or -errno on failure to read the directory, or
 * the callback's non-zero value. */
int ft_reclog_each(const char *run_dir, ft_reclog_fn fn, void *arg, struct ft_reclog_stats *stats);

#endif
