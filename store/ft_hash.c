/*
 * ft_hash.c - streaming content hash of an open file (xxh3-64).
 *
 * The read buffer is fixed, so a 4 GiB file costs 64 KiB of memory.  The
 * caller has already checked S_ISREG on the descriptor: we never read a FIFO,
 * socket or device (reading one can block forever or consume data).
 */
#include <errno.h>
#include <string.h>
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

	/* Zeroed first: XXH3_64bits_reset_withSeed (xxHash 0.8.1, Debian 12)
	 * reads state->seed before it initialises anything, and skips making
	 * the seed's secret when that garbage equals `seed`.  A stack slot left
	 * by the previous call with the same seed (every 0644 file's), its
	 * secret since overwritten, then hashed with a garbage secret: under
	 * ASan the recorder and the selector disagreed on /etc/ssl/openssl.cnf
	 * and every test was selected (t7100, t8000, t8010). */
	memset(&state, 0, sizeof(state));
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
