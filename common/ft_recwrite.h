/*
 * ft_recwrite.h - write a region file from ordinary (non-interposed) code.
 *
 * The launcher uses it to add what only it can see, such as the PATH search
 * for the first command or an untraceable first command, in the same format
 * the back ends use (ft_record.h), so ingest reads one kind of input.
 * Records are buffered in memory and written by ft_recwrite_save().
 *
 * Errors: -ENOMEM, -errno from the file system, FT_ETOOLONG.
 */
#ifndef FT_RECWRITE_H
#define FT_RECWRITE_H

#include <stddef.h>
#include <stdint.h>

struct ft_recwrite {
	char *buf;
	size_t len, cap;
	uint32_t backend;   /* enum ft_backend in the header; 0 = FT_BACKEND_LAUNCHER */
	int32_t pid, ppid;  /* the header's process; pid 0: this process (getpid) */
	uint64_t start_ns;  /* the header's start time; 0: when saved */
	uint32_t flags;     /* the header's flags (enum ft_region_flags) */
};

#define FT_RECWRITE_INIT { 0 }

int ft_recwrite_add(struct ft_recwrite *w, uint8_t type, uint8_t op, uint8_t err,
		    uint32_t flags, const char *data, size_t len);

/* Write `<run_dir>/r-<name>.rec` atomically (temp file + rename), then
 * list it in the run's ledger, if the run has one (FT_LEDGER_NAME). */
int ft_recwrite_save(struct ft_recwrite *w, const char *run_dir, const char *name);

/* Create `<run_dir>/ledger` (FT_LEDGER_NAME), empty, exclusively, owner-only.
 * The launcher calls it before anything runs, and sets FT_REGION_LEDGER in
 * its own region only when it returns 0.  0 or -errno. */
int ft_recwrite_ledger_create(const char *run_dir);

/* Append "<file name>\n" to the run's ledger: one write, O_APPEND, never
 * creating, following or blocking on it.  Best effort: silent if there is
 * no ledger.  Async-signal-safe (the preload calls it with its own buffer:
 * preload/region.c builds the same line itself). */
void ft_recwrite_ledger_add(const char *run_dir, const char *file_name);

/* Leave `<run_dir>/lost-<pid>-<err>` (FT_LOST_PREFIX), an empty file that
 * tells ingest a region could not be written (a full disk): the run is then
 * damaged.  Best effort: an empty file needs no data block. */
void ft_recwrite_mark_lost(const char *run_dir, int pid, int err);

void ft_recwrite_release(struct ft_recwrite *w);

#endif
