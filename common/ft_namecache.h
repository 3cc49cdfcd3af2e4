/*
 * ft_namecache.h - the names a scanner finds in files, each file read and
 * scanned once however many processes or tests use it (the environment
 * variable names of the shell and make texts a run read, ingest/
 * ft_collect.c; of a Go module's sources, runners/ft_runner_go.c).
 *
 * ft_namecache_file(c, path, len, max, scan, sarg) gives the file's index
 * in the cache: the first time, it reads the file (following a link, a
 * regular file of at most `max` bytes, not a program: an ELF is skipped)
 * and calls scan(sarg, text, len, keep, kept) to collect the names.  A
 * file whose text is not there to scan has the one name `over` (NULL:
 * none): one larger than `max` (not a program), or one that is gone (a
 * script a test wrote, ran and removed; a shell's: every variable).  A
 * file that cannot be read otherwise has no names: what it holds is its
 * dependency's business.  ft_namecache_each(c, idx, fn, arg) calls
 * fn(arg, name, len) for each name found, in order, repeats included; its
 * negative return stops the walk and is returned.
 *
 * Errors: -ENOMEM (the cache stays usable).  Not thread-safe.
 */
#ifndef FT_NAMECACHE_H
#define FT_NAMECACHE_H

#include <stddef.h>

#include "ft_map.h"

typedef int (*ft_name_fn)(void *arg, const char *name, size_t len);

struct ft_namecache {
	struct ft_map files;   /* path -> index */
	char **names;          /* by index: the names, each NUL-ended; NULL none */
	size_t *len, cap;
};

#define FT_NAMECACHE_INIT { FT_MAP_INIT, NULL, NULL, 0 }

long ft_namecache_file(struct ft_namecache *c, const char *path, size_t len, size_t max,
		       const char *over,
		       int (*scan)(void *sarg, const char *text, size_t len, ft_name_fn keep, void *kept),
		       void *sarg);

int ft_namecache_each(const struct ft_namecache *c, long idx, ft_name_fn fn, void *arg);

void ft_namecache_release(struct ft_namecache *c);

#endif
