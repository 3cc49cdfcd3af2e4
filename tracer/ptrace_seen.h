/*
 * ptrace_seen.h - which (context, path, class, errno) accesses the ptrace back end
 * already recorded, so that a loop opening one file a million times writes
 * one record.  The first occurrence is kept: its time is the one ingest's
 * "created before it was read" ordering needs.  Owns copies of the keys.
 * Errors: -ENOMEM.
 */
#ifndef FT_PTRACE_SEEN_H
#define FT_PTRACE_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct ft_ptrace_seen {
	struct ft_ptrace_seen_slot *slots;
	size_t n, cap;   /* cap is 0 or a power of two */
};

#define FT_PTRACE_SEEN_INIT { 0 }

/* 1 if new (now remembered), 0 if already seen, -ENOMEM. */
int ft_ptrace_seen_add(struct ft_ptrace_seen *s, uint32_t ctx, uint32_t cls, int err,
		       const char *path, size_t len);

void ft_ptrace_seen_release(struct ft_ptrace_seen *s);

#endif
