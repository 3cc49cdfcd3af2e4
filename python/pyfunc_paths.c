/*
 * pyfunc_paths.c - the two helpers that tie the pytest plugin's view of a
 * file to ingest's (ft_pyfunc.h): CRC-32 as zlib computes it, and the
 * source a cached .pyc belongs to.
 */
#include <stdint.h>
#include <string.h>

#include "ft_pyfunc.h"

uint32_t ft_pyfunc_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}

int ft_pyfunc_pyc_source(const char *pyc, char *out, size_t cap)
{
	const char *slash = strrchr(pyc, '/'), *dot;
	size_t dirlen, namelen;

	if (!slash || (size_t)(slash - pyc) < 12 || strncmp(slash - 12, "/__pycache__", 12))
		return -1;
	dot = strchr(slash + 1, '.');
	if (!dot || dot == slash + 1 || strcmp(pyc + strlen(pyc) - 4, ".pyc"))
		return -1;
	dirlen = (size_t)(slash - 12 - pyc);
	namelen = (size_t)(dot - slash - 1);
	if (dirlen + 1 + namelen + 3 + 1 > cap)
		return -1;
	memcpy(out, pyc, dirlen);
	out[dirlen] = '/';
	memcpy(out + dirlen + 1, slash + 1, namelen);
	memcpy(out + dirlen + 1 + namelen, ".py", 4);
	return 0;
}
