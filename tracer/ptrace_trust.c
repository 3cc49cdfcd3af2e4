/*
 * ptrace_trust.c - see ptrace_trust.h.
 *
 * Why the instruction pointer and not the ELF: `go test` with cgo on
 * builds a test binary that imports `net` with a PT_INTERP; ld.so loads
 * the preload, which opens its region, and until this rule the tracer
 * stopped decoding the image.  The Go runtime's own `syscall` instructions
 * then read testdata/ unseen by anyone, and a broken testdata file
 * selected nothing (BurntSushi/toml's TestDecodeParallel, t7200).  Where a
 * call comes from is a fact of the call; what a binary might do is a guess.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrace_trust.h"

int ft_ptrace_trust_name(const char *base)
{
	static const char *const pre[] = {
		"libc.so.", "libc-2.",         /* glibc's libc, both namings */
		"ld-linux", "ld-2.",           /* its dynamic loader */
		"libftrace_preload.so",        /* our own records and lookups */
	};

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(base, pre[i], strlen(pre[i])))
			return 1;
	return 0;
}

/* One maps line: "lo-hi perms offset dev inode   path". */
static void parse_line(struct ft_ptrace_trust *t, const char *s, size_t len)
{
	char line[4096 + 128], perms[8], path[4096];
	unsigned long long lo, hi;
	const char *base;

	if (len >= sizeof(line))
		return; /* a path this long is no library of ours */
	memcpy(line, s, len);
	line[len] = '\0';
	path[0] = '\0';
	if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095[^\n]", &lo, &hi, perms, path) < 4)
		return;
	if (perms[2] != 'x' || path[0] != '/' || t->n >= FT_PTRACE_TRUST_MAX)
		return;
	base = strrchr(path, '/') + 1;
	if (!ft_ptrace_trust_name(base))
		return;
	t->lo[t->n] = lo;
	t->hi[t->n] = hi;
	t->n++;
}

size_t ft_ptrace_trust_parse(struct ft_ptrace_trust *t, const char *maps, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(maps + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (maps + i)) : len - i;
		parse_line(t, maps + i, l);
		i += l + 1;
	}
	return t->n;
}

int ft_ptrace_trust_load(struct ft_ptrace_trust *t, pid_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	ssize_t got;
	FILE *f;

	t->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while ((got = getline(&line, &cap, f)) > 0)
		ft_ptrace_trust_parse(t, line, (size_t)got);
	free(line);
	fclose(f);
	return (int)t->n;
}

int ft_ptrace_trust_has(const struct ft_ptrace_trust *t, uint64_t ip)
{
	/* ip is past the 2-byte instruction; its first byte decides */
	uint64_t at = ip >= 2 ? ip - 2 : ip;

	for (size_t i = 0; i < t->n; i++)
		if (at >= t->lo[i] && at < t->hi[i])
			return 1;
	return 0;
}
