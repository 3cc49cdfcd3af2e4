/*
 * ft_hash.c - streaming content hash of an open file (xxh3-64).
 *
 * The read buffer is fixed, so a 4 GiB file costs 64 KiB of memory.  The
 * caller has already checked S_ISREG on the descriptor: we never read a FIFO,
 * socket or device (reading one can block forever or consume data).
 */
#include <errno.h>
#include <unistd.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "ft_error.h"
#include "ft_state.h"

#define FT_HASH_BUF (64u * 1024u)

/* Returns 0 and the xxh3-64 of everything readable from fd (seeded), or
 * -errno when a read fails (the value is then meaningless). */
int ft_hash_fd(int fd, uint64_t seed, uint64_t *out)
{
	static _Thread_local unsigned char buf[FT_HASH_BUF];
	XXH3_state_t state;
	ssize_t n;

	if (XXH3_64bits_reset_withSeed(&state, seed) != XXH_OK)
		return FT_EINTERNAL;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		XXH3_64bits_update(&state, buf, (size_t)n);
	}
	*out = XXH3_64bits_digest(&state);
	return 0;
}
